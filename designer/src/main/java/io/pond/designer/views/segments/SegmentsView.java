package io.pond.designer.views.segments;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.designer.views.MainLayout;
import io.pond.designer.views.customers.CustomerView;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.identity.Permission;
import io.pond.engine.importing.CustomerExport;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import jakarta.annotation.security.PermitAll;

/**
 * The segment builder: conditions combined with AND or OR (each may be negated), a count that follows
 * every change, a sample of the customers, and save, delete and export.
 */
@Route(value = "segments", layout = MainLayout.class)
@PermitAll
public class SegmentsView extends SplitLayout implements HasDynamicTitle {

    enum Match { ALL, ANY }

    final Grid<Segments.Segment> saved = new Grid<>();
    final TextField name = new TextField();
    final Select<Match> match = new Select<>();
    final VerticalLayout rows = new VerticalLayout();
    final Span count = new Span();
    final Span error = new Span();
    final Grid<Customer> sample = new Grid<>();
    final Button save = new Button();

    private final Segments segments;
    private final CustomerTags tags;
    private final CustomerAttributes attributes;
    private final CurrentUser user;
    private final List<ConditionRow> conditions = new ArrayList<>();
    private Long editing;
    private int nextRow;

    public SegmentsView(Segments segments, CustomerTags tags, CustomerAttributes attributes, CustomerExport export,
            CurrentUser user) {
        this.segments = segments;
        this.tags = tags;
        this.attributes = attributes;
        this.user = user;
        setSizeFull();
        setSplitterPosition(25);

        saved.setId("segment-list");
        saved.addColumn(Segments.Segment::name).setHeader(getTranslation("segment.saved"));
        saved.addThemeVariants(GridVariant.LUMO_COMPACT);
        saved.asSingleSelect().addValueChangeListener(change -> {
            if (change.getValue() != null) {
                edit(change.getValue());
            }
        });
        Button create = new Button(getTranslation("segment.new"), VaadinIcon.PLUS.create(), click -> edit(null));
        create.setId("segment-new");
        VerticalLayout left = new VerticalLayout(new H2(getTranslation("nav.segments")), create, saved);
        left.setSizeFull();
        addToPrimary(left);

        name.setLabel(getTranslation("segment.name"));
        name.setId("segment-name");
        name.setWidth("24em");
        match.setLabel(getTranslation("segment.match"));
        match.setItems(Match.values());
        match.setItemLabelGenerator(m -> getTranslation("segment.match." + m.name()));
        match.setValue(Match.ALL);
        match.setId("segment-match");
        match.addValueChangeListener(change -> recount());
        rows.setPadding(false);
        rows.setSpacing(false);
        rows.setId("segment-conditions");
        Button add = new Button(getTranslation("segment.addCondition"), VaadinIcon.PLUS.create(), click -> addRow(null));
        add.setId("segment-add-condition");
        add.addThemeVariants(ButtonVariant.LUMO_TERTIARY);

        count.setId("segment-count");
        count.getStyle().set("font-size", "var(--lumo-font-size-xl)").set("font-weight", "600");
        error.setId("segment-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        sample.setId("segment-sample");
        sample.addComponentColumn(c -> new RouterLink(c.displayName() == null ? getTranslation("customer.unnamed", c.id())
                : c.displayName(), CustomerView.class, c.id())).setHeader(getTranslation("customer.name"));
        sample.addColumn(c -> Labels.of(this, "stage", c.lifecycleStage())).setHeader(getTranslation("customer.stage"));
        sample.addColumn(Customer::points).setHeader(getTranslation("customer.points"));
        sample.addThemeVariants(GridVariant.LUMO_COMPACT);
        sample.setAllRowsVisible(true);

        save.setText(getTranslation("segment.save"));
        save.setId("segment-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> save());
        save.setVisible(user.can(Permission.EDIT_SEGMENTS));
        Button delete = new Button(getTranslation("segment.delete"), click -> delete());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        delete.setVisible(user.can(Permission.EDIT_SEGMENTS));
        HorizontalLayout actions = new HorizontalLayout(save, delete);
        if (user.can(Permission.IMPORT_EXPORT)) {
            Anchor download = new Anchor(event -> {
                event.setFileName((name.isEmpty() ? "segment" : name.getValue()) + ".csv");
                event.setContentType("text/csv;charset=UTF-8");
                OutputStreamWriter out = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
                out.write('\uFEFF');
                export.write(definition().orElse(new SegmentCondition.All(List.of())), out,
                        !user.can(Permission.VIEW_PHONE_NUMBERS));
                out.flush();
            }, "");
            download.add(new Button(getTranslation("segment.export"), VaadinIcon.DOWNLOAD.create()));
            actions.add(download);
        }

        HorizontalLayout head = new HorizontalLayout(name, match);
        head.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        VerticalLayout editor = new VerticalLayout(head, rows, add, count, error, actions, sample);
        editor.setSizeFull();
        addToSecondary(editor);
        refreshList();
        edit(null);
    }

    private void edit(Segments.Segment segment) {
        editing = segment == null ? null : segment.id();
        conditions.clear();
        rows.removeAll();
        name.setValue(segment == null ? "" : segment.name());
        SegmentCondition definition = segment == null ? null : segment.definition();
        List<SegmentCondition> parts = List.of();
        if (definition instanceof SegmentCondition.Any any) {
            match.setValue(Match.ANY);
            parts = any.conditions();
        } else if (definition instanceof SegmentCondition.All all) {
            match.setValue(Match.ALL);
            parts = all.conditions();
        } else if (definition != null) {
            parts = List.of(definition);
        }
        parts.forEach(this::addRow);
        if (parts.isEmpty()) {
            addRow(null);
        }
        recount();
    }

    private void addRow(SegmentCondition condition) {
        ConditionRow row = new ConditionRow(nextRow++, tags.tags(), attributes.definitions(), this::recount, removed -> {
            conditions.remove(removed);
            rows.remove(removed);
            recount();
        });
        if (condition != null) {
            row.show(condition);
        }
        conditions.add(row);
        rows.add(row);
    }

    /** The definition the rows describe; empty while a row is incomplete. */
    Optional<SegmentCondition> definition() {
        List<SegmentCondition> parts = new ArrayList<>();
        for (ConditionRow row : conditions) {
            Optional<SegmentCondition> condition = row.condition();
            if (condition.isEmpty()) {
                return Optional.empty();
            }
            parts.add(condition.get());
        }
        return Optional.of(match.getValue() == Match.ANY ? new SegmentCondition.Any(parts) : new SegmentCondition.All(parts));
    }

    private void recount() {
        Optional<SegmentCondition> definition = definition();
        if (definition.isEmpty()) {
            count.setText("");
            error.setText(getTranslation("segment.incomplete"));
            sample.setItems(List.of());
            return;
        }
        try {
            long members = segments.count(definition.get());
            count.setText(getTranslation("segment.count", members));
            error.setText("");
            sample.setItems(segments.sample(definition.get(), 20));
        } catch (IllegalArgumentException e) {
            count.setText("");
            error.setText(e.getMessage());
            sample.setItems(List.of());
        }
    }

    private void save() {
        Optional<SegmentCondition> definition = definition();
        if (definition.isEmpty()) {
            Notification.show(getTranslation("segment.incomplete")).addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        try {
            editing = segments.save(editing, name.getValue(), definition.get(), user.id());
            name.setInvalid(false);
            refreshList();
            Notification.show(getTranslation("segment.saved.done", name.getValue()), 3000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (IllegalArgumentException e) {
            name.setErrorMessage(e.getMessage());
            name.setInvalid(true);
        }
    }

    private void delete() {
        if (editing == null) {
            edit(null);
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog(getTranslation("segment.delete.confirm", name.getValue()),
                getTranslation("segment.delete.text"), getTranslation("segment.delete"), yes -> {
                    segments.delete(editing);
                    refreshList();
                    edit(null);
                });
        confirm.setCancelable(true);
        confirm.setCancelText(getTranslation("action.cancel"));
        confirm.open();
    }

    private void refreshList() {
        saved.setItems(segments.list());
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.segments") + " · " + getTranslation("app.name");
    }
}
