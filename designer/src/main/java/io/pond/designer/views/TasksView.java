package io.pond.designer.views;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.customers.CustomerView;
import io.pond.engine.identity.Permission;
import io.pond.engine.identity.PondRole;
import io.pond.engine.journey.StaffTasks;
import jakarta.annotation.security.PermitAll;

/**
 * The task inbox: the staff tasks journeys and SOP flows gave to the logged-in person (or to one of their groups),
 * soonest due first, overdue ones marked; each is completed with one of its outcomes, which the journey branches on.
 */
@Route(value = "tasks", layout = MainLayout.class)
@PermitAll
public class TasksView extends VerticalLayout implements HasDynamicTitle {

    final Grid<StaffTasks.StaffTask> grid = new Grid<>();
    final Paragraph empty = new Paragraph();

    private final StaffTasks tasks;
    private final CurrentUser user;

    public TasksView(StaffTasks tasks, CurrentUser user) {
        this.tasks = tasks;
        this.user = user;
        add(new H2(getTranslation("nav.tasks")), new Paragraph(getTranslation("tasks.purpose")));
        grid.setId("task-grid");
        // the texts share what the due date and the outcome picker leave, and wrap: the picker stays in view
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addColumn(StaffTasks.StaffTask::name).setHeader(getTranslation("tasks.task")).setFlexGrow(2);
        grid.addComponentColumn(this::customer).setHeader(getTranslation("tasks.customer")).setFlexGrow(1);
        grid.addColumn(StaffTasks.StaffTask::journeyKey).setHeader(getTranslation("tasks.journey")).setFlexGrow(1);
        grid.addComponentColumn(this::due).setHeader(getTranslation("tasks.due")).setAutoWidth(true).setFlexGrow(0);
        if (handlesAllTasks()) {
            // an admin's inbox holds the team's tasks and those nobody else can take: whose each one is
            grid.addColumn(task -> task.assignee() == null ? getTranslation("tasks.for.team") : task.assignee())
                    .setHeader(getTranslation("tasks.for")).setFlexGrow(1);
        }
        grid.addComponentColumn(this::complete).setHeader(getTranslation("tasks.outcome")).setAutoWidth(true).setFlexGrow(0);
        grid.setAllRowsVisible(true);
        empty.setId("task-empty");
        empty.setText(getTranslation("tasks.empty"));
        add(grid, empty);
        refresh();
    }

    private Component customer(StaffTasks.StaffTask task) {
        if (task.customerId() == null) {
            return new Span();
        }
        String name = task.customerName() == null || task.customerName().isBlank() ? "#" + task.customerId() : task.customerName();
        return new RouterLink(name, CustomerView.class, task.customerId());
    }

    private Component due(StaffTasks.StaffTask task) {
        if (task.due() == null) {
            return new Span();
        }
        Span due = new Span(Labels.time(task.due()));
        if (task.overdue(Instant.now())) {
            due.setText(getTranslation("tasks.overdue", Labels.time(task.due())));
            due.getElement().getThemeList().add("badge error");
        }
        return due;
    }

    private Component complete(StaffTasks.StaffTask task) {
        Select<String> outcome = new Select<>();
        outcome.setItems(task.outcomes().isEmpty() ? List.of("done") : task.outcomes());
        outcome.setItemLabelGenerator(this::outcomeLabel);
        outcome.setPlaceholder(getTranslation("tasks.choose"));
        outcome.setWidth("13em");
        outcome.setId("outcome-" + task.id());
        if (task.outcomes().isEmpty()) {
            outcome.setValue("done");
        }
        Button done = new Button(getTranslation("tasks.complete"), click -> {
            if (outcome.getValue() == null) {
                outcome.setInvalid(true);
                outcome.setErrorMessage(getTranslation("tasks.choose"));
                return;
            }
            try {
                tasks.complete(task.id(), task.outcomes().isEmpty() ? null : outcome.getValue(), user.id(), groups(),
                        handlesAllTasks());
                Notification.show(getTranslation("tasks.completed", task.name())).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            } catch (IllegalArgumentException | SecurityException e) {
                Notification.show(e.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
            refresh();
        });
        done.setId("complete-" + task.id());
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
        return new HorizontalLayout(outcome, done);
    }

    /** An outcome's label: translated when Pond knows it (tasks.outcome.interested), else as the journey names it. */
    private String outcomeLabel(String outcome) {
        String key = "tasks.outcome." + outcome;
        String label = getTranslation(key);
        return label == null || label.startsWith("!") || label.equals(key) ? outcome.replace('_', ' ') : label;
    }

    private boolean handlesAllTasks() {
        return user.can(Permission.HANDLE_ALL_TASKS);
    }

    private Set<String> groups() {
        return user.roles().stream().map(PondRole::groupId).collect(java.util.stream.Collectors.toSet());
    }

    void refresh() {
        List<StaffTasks.StaffTask> mine = tasks.inbox(user.id(), groups(), handlesAllTasks());
        grid.setItems(mine);
        grid.setVisible(!mine.isEmpty());
        empty.setVisible(mine.isEmpty());
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.tasks") + " · Pond";
    }
}
