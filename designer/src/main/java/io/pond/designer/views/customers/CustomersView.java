package io.pond.designer.views.customers;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.designer.views.MainLayout;
import io.pond.engine.customer.CustomerSearch;
import io.pond.engine.customer.CustomerSearch.Listed;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.identity.Permission;
import io.pond.engine.importing.CustomerExport;
import io.pond.engine.importing.CustomerImport;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import jakarta.annotation.security.PermitAll;

/** Every customer, a page at a time (the grid fetches as it scrolls), searchable by name or identity. */
@Route(value = "customers", layout = MainLayout.class)
@PermitAll
public class CustomersView extends VerticalLayout implements HasDynamicTitle {

    final TextField search = new TextField();
    final ComboBox<CustomerTags.Tag> tag = new ComboBox<>();
    final ComboBox<Segments.Segment> segment = new ComboBox<>();
    final Grid<Listed> grid = new Grid<>();
    final Span total = new Span();

    private final CustomerSearch customers;

    public CustomersView(CustomerSearch customers, CustomerTags tags, Segments segments, CustomerImport imports,
            CustomerExport export, CurrentUser user) {
        this.customers = customers;
        setSizeFull();

        search.setPlaceholder(getTranslation("customers.search"));
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setWidth("22em");
        search.setId("customer-search");
        tag.setPlaceholder(getTranslation("customers.filter.tag"));
        tag.setItems(tags.tags());
        tag.setItemLabelGenerator(CustomerTags.Tag::label);
        tag.setClearButtonVisible(true);
        segment.setPlaceholder(getTranslation("customers.filter.segment"));
        segment.setItems(segments.list());
        segment.setItemLabelGenerator(Segments.Segment::name);
        segment.setClearButtonVisible(true);
        search.addValueChangeListener(e -> refresh());
        tag.addValueChangeListener(e -> refresh());
        segment.addValueChangeListener(e -> refresh());

        HorizontalLayout toolbar = new HorizontalLayout(search, tag, segment);
        toolbar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        toolbar.setWidthFull();
        toolbar.addAndExpand(new Span());
        if (user.can(Permission.IMPORT_EXPORT)) {
            Button importButton = new Button(getTranslation("customers.import"), VaadinIcon.UPLOAD.create(),
                    click -> new ImportDialog(imports, user, this::refresh).open());
            importButton.setId("import-customers");
            Anchor exportLink = new Anchor(event -> {
                event.setFileName("customers.csv");
                event.setContentType("text/csv;charset=UTF-8");
                OutputStreamWriter out = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
                out.write('\uFEFF'); // Excel opens UTF-8 CSV correctly only with a byte-order mark
                export.write(exportedSegment(), out, !user.can(Permission.VIEW_PHONE_NUMBERS));
                out.flush();
            }, "");
            exportLink.add(new Button(getTranslation("customers.export"), VaadinIcon.DOWNLOAD.create()));
            toolbar.add(importButton, exportLink);
        }

        boolean fullPhones = user.can(Permission.VIEW_PHONE_NUMBERS);
        grid.setId("customer-grid");
        grid.addComponentColumn(listed -> new RouterLink(name(listed), CustomerView.class, listed.customer().id()))
                .setHeader(getTranslation("customer.name")).setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(listed -> Labels.of(this, "stage", listed.customer().lifecycleStage()))
                .setHeader(getTranslation("customer.stage")).setAutoWidth(true);
        grid.addColumn(listed -> listed.customer().memberTier()).setHeader(getTranslation("customer.tier")).setAutoWidth(true);
        grid.addColumn(listed -> listed.customer().points()).setHeader(getTranslation("customer.points")).setAutoWidth(true);
        grid.addColumn(listed -> listed.identities().stream().map(i -> Labels.identity(i, fullPhones))
                .collect(Collectors.joining(", "))).setHeader(getTranslation("customer.identities")).setFlexGrow(2);
        grid.addColumn(listed -> Labels.time(listed.customer().createdAt()))
                .setHeader(getTranslation("customer.created")).setAutoWidth(true);
        grid.setSizeFull();
        total.setId("customer-count");

        add(new H2(getTranslation("nav.customers")), toolbar, total, grid);
        refresh();
    }

    private String name(Listed listed) {
        String name = listed.customer().displayName();
        return name == null || name.isBlank() ? getTranslation("customer.unnamed", listed.customer().id()) : name;
    }

    private CustomerSearch.Filter filter() {
        return new CustomerSearch.Filter(search.getValue(), tag.getValue() == null ? null : tag.getValue().id(),
                segment.getValue() == null ? null : segment.getValue().definition());
    }

    /** The tag and segment filters as one segment, for the export (the text search is not part of it). */
    private SegmentCondition exportedSegment() {
        List<SegmentCondition> all = new ArrayList<>();
        if (tag.getValue() != null) {
            all.add(new SegmentCondition.HasTag(tag.getValue().id()));
        }
        if (segment.getValue() != null) {
            all.add(segment.getValue().definition());
        }
        return new SegmentCondition.All(all);
    }

    void refresh() {
        CustomerSearch.Filter filter = filter();
        long count = customers.count(filter);
        total.setText(getTranslation("customers.count", count));
        grid.setItems(query -> customers.page(filter, query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, count));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.customers") + " · " + getTranslation("app.name");
    }

}
