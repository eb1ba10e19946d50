package io.pond.designer.views;

import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

@Route(value = "tasks", layout = MainLayout.class)
@PermitAll
public class TasksView extends ComingSoonView {

    public TasksView() {
        super("nav.tasks", "tasks.purpose");
    }
}
