package io.pond.designer.views;

import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

@Route(value = "customers", layout = MainLayout.class)
@PermitAll
public class CustomersView extends ComingSoonView {

    public CustomersView() {
        super("nav.customers", "customers.purpose");
    }
}
