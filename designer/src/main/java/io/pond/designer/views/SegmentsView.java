package io.pond.designer.views;

import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

@Route(value = "segments", layout = MainLayout.class)
@PermitAll
public class SegmentsView extends ComingSoonView {

    public SegmentsView() {
        super("nav.segments", "segments.purpose");
    }
}
