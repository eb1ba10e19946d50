package io.pond.designer.views;

import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

@Route(value = "connectors", layout = MainLayout.class)
@PermitAll
public class ConnectorsView extends ComingSoonView {

    public ConnectorsView() {
        super("nav.connectors", "connectors.purpose");
    }
}
