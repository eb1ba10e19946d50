package io.pond.designer.views;

import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

@Route(value = "journeys", layout = MainLayout.class)
@PermitAll
public class JourneysView extends ComingSoonView {

    public JourneysView() {
        super("nav.journeys", "journeys.purpose");
    }
}
