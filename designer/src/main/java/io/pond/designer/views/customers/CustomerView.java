package io.pond.designer.views.customers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.designer.views.MainLayout;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.TagSource;
import io.pond.engine.event.CustomerEvent;
import io.pond.engine.event.EventHistory;
import io.pond.engine.identity.Permission;
import jakarta.annotation.security.PermitAll;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;

/** One customer, all of them: identities, tags with their source, attributes, consent, events, merges, journeys. */
@Route(value = "customer", layout = MainLayout.class)
@PermitAll
public class CustomerView extends VerticalLayout implements HasUrlParameter<Long>, HasDynamicTitle {

    private final CustomerDirectory directory;
    private final CustomerTags tags;
    private final CustomerAttributes attributes;
    private final Consents consents;
    private final EventHistory events;
    private final HistoryService history;
    private final RepositoryService repository;
    private final CurrentUser user;
    private String title = "";

    public CustomerView(CustomerDirectory directory, CustomerTags tags, CustomerAttributes attributes, Consents consents,
            EventHistory events, HistoryService history, RepositoryService repository, CurrentUser user) {
        this.directory = directory;
        this.tags = tags;
        this.attributes = attributes;
        this.consents = consents;
        this.events = events;
        this.history = history;
        this.repository = repository;
        this.user = user;
        setId("customer-view");
    }

    @Override
    public void setParameter(BeforeEvent event, Long id) {
        removeAll();
        Optional<Customer> found = id == null ? Optional.empty() : directory.find(id);
        if (found.isEmpty()) {
            title = getTranslation("customer.notFound", id);
            add(new H2(title), new RouterLink(getTranslation("customer.back"), CustomersView.class));
            return;
        }
        Customer customer = found.get();
        if (customer.id() != id) {
            // an old id of a merged profile: show where its data lives now
            Notification.show(getTranslation("customer.mergedInto", id, customer.id()));
            event.forwardTo(CustomerView.class, customer.id());
            return;
        }
        show(customer);
    }

    private void show(Customer customer) {
        removeAll();
        title = customer.displayName() == null ? getTranslation("customer.unnamed", customer.id()) : customer.displayName();
        add(new RouterLink(getTranslation("customer.back"), CustomersView.class), new H2(title));
        FlexLayout facts = new FlexLayout(
                fact("customer.stage", Labels.of(this, "stage", customer.lifecycleStage())),
                fact("customer.tier", customer.memberTier()),
                fact("customer.points", Long.toString(customer.points())),
                fact("customer.timezone", customer.timezone()),
                fact("customer.owner", customer.ownerId()),
                fact("customer.created", Labels.time(customer.createdAt())));
        facts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        facts.getStyle().set("gap", "var(--lumo-space-l)");
        add(facts);

        boolean fullPhones = user.can(Permission.VIEW_PHONE_NUMBERS);
        add(new H3(getTranslation("customer.identities")));
        Div identities = new Div();
        identities.setId("customer-identities");
        for (Identity identity : directory.identities(customer.id())) {
            identities.add(new Paragraph(Labels.identity(identity, fullPhones)));
        }
        add(identities);

        add(new H3(getTranslation("customer.tags")));
        add(tagSection(customer));

        Map<String, Object> values = attributes.of(customer.id());
        if (!values.isEmpty()) {
            add(new H3(getTranslation("customer.attributes")));
            FlexLayout attributeFacts = new FlexLayout();
            attributeFacts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
            attributeFacts.getStyle().set("gap", "var(--lumo-space-l)");
            attributes.definitions().stream().filter(d -> values.containsKey(d.key())).forEach(d ->
                    attributeFacts.add(factLabeled(d.label(getLocale()), String.valueOf(values.get(d.key())))));
            add(attributeFacts);
        }

        add(new H3(getTranslation("customer.consents")));
        add(consentSection(customer));

        add(new H3(getTranslation("customer.events", events.count(customer.id()))));
        Grid<CustomerEvent> timeline = new Grid<>();
        timeline.setId("customer-events");
        timeline.addColumn(e -> Labels.time(e.occurredAt())).setHeader(getTranslation("event.time")).setAutoWidth(true);
        timeline.addColumn(CustomerEvent::type).setHeader(getTranslation("event.type")).setAutoWidth(true);
        timeline.addColumn(e -> e.propertiesJson() == null ? "" : e.propertiesJson()).setHeader(getTranslation("event.properties"));
        timeline.setItems(events.latest(customer.id(), 100));
        timeline.setAllRowsVisible(true);
        timeline.addThemeVariants(GridVariant.LUMO_COMPACT);
        add(timeline);

        List<CustomerDirectory.Merge> merges = directory.merges(customer.id());
        if (!merges.isEmpty()) {
            add(new H3(getTranslation("customer.merges")));
            for (CustomerDirectory.Merge merge : merges) {
                add(new Paragraph(getTranslation("customer.merge", merge.mergedId(), Labels.time(merge.mergedAt()),
                        merge.reason(), merge.moved())));
            }
        }

        add(new H3(getTranslation("customer.journeys")));
        List<String> keys = new ArrayList<>();
        keys.add(customer.businessKey());
        directory.formerIds(customer.id()).forEach(old -> keys.add(Long.toString(old)));
        List<HistoricProcessInstance> journeys = history.createHistoricProcessInstanceQuery()
                .processInstanceBusinessKeyIn(keys.toArray(String[]::new)).orderByProcessInstanceStartTime().desc()
                .listPage(0, 100);
        if (journeys.isEmpty()) {
            add(new Paragraph(getTranslation("customer.noJourneys")));
        } else {
            Grid<HistoricProcessInstance> grid = new Grid<>();
            grid.addColumn(j -> journeyName(j)).setHeader(getTranslation("journey.name")).setAutoWidth(true);
            grid.addColumn(j -> getTranslation("journey.state." + j.getState())).setHeader(getTranslation("journey.state"));
            grid.addColumn(j -> Labels.time(j.getStartTime() == null ? null : j.getStartTime().toInstant()))
                    .setHeader(getTranslation("journey.started"));
            grid.addColumn(j -> Labels.time(j.getEndTime() == null ? null : j.getEndTime().toInstant()))
                    .setHeader(getTranslation("journey.ended"));
            grid.setItems(journeys);
            grid.setAllRowsVisible(true);
            add(grid);
        }
    }

    private String journeyName(HistoricProcessInstance instance) {
        var definition = repository.getProcessDefinition(instance.getProcessDefinitionId());
        return (definition.getName() == null ? definition.getKey() : definition.getName()) + " v" + definition.getVersion();
    }

    private VerticalLayout tagSection(Customer customer) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        section.setId("customer-tags");
        boolean editable = user.can(Permission.EDIT_CUSTOMERS);
        FlexLayout chips = new FlexLayout();
        chips.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        chips.getStyle().set("gap", "var(--lumo-space-s)");
        for (CustomerTags.CustomerTag tag : tags.tagsOf(customer.id())) {
            Span chip = new Span(tag.tag().label());
            chip.getElement().getThemeList().add("badge");
            chip.getElement().setAttribute("title", getTranslation("tag.source." + tag.source().name()) + " · "
                    + Labels.time(tag.taggedAt()));
            if (editable) {
                Button remove = new Button("×", click -> {
                    tags.untag(List.of(customer.id()), tag.tag().id());
                    show(customer);
                });
                remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
                remove.getElement().setAttribute("aria-label", getTranslation("tag.remove", tag.tag().label()));
                chip.add(remove);
            }
            chips.add(chip);
        }
        section.add(chips);
        if (editable) {
            ComboBox<CustomerTags.Tag> add = new ComboBox<>();
            add.setPlaceholder(getTranslation("tag.add"));
            add.setItems(tags.tags());
            add.setItemLabelGenerator(CustomerTags.Tag::label);
            add.addValueChangeListener(change -> {
                if (change.getValue() != null) {
                    tags.tag(List.of(customer.id()), change.getValue().id(), TagSource.MANUAL);
                    show(customer);
                }
            });
            section.add(add);
        }
        return section;
    }

    private VerticalLayout consentSection(Customer customer) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        section.setId("customer-consents");
        Map<ConsentChannel, Consents.Consent> current = new java.util.EnumMap<>(ConsentChannel.class);
        consents.of(customer.id()).forEach(c -> current.put(c.channel(), c));
        for (ConsentChannel channel : ConsentChannel.values()) {
            Consents.Consent consent = current.get(channel);
            String state = consent == null ? getTranslation("consent.none")
                    : getTranslation(consent.granted() ? "consent.granted" : "consent.revoked", consent.source(),
                            Labels.time(consent.changedAt()));
            HorizontalLayout row = new HorizontalLayout(new Span(getTranslation("channel." + channel.name()) + ": " + state));
            row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
            if (consent != null && consent.granted() && user.can(Permission.EDIT_CUSTOMERS)) {
                Button optOut = new Button(getTranslation("consent.optOut"), click -> {
                    ConfirmDialog confirm = new ConfirmDialog();
                    confirm.setHeader(getTranslation("consent.optOut.confirm", getTranslation("channel." + channel.name())));
                    confirm.setText(getTranslation("consent.optOut.text"));
                    confirm.setCancelable(true);
                    confirm.setCancelText(getTranslation("action.cancel"));
                    confirm.setConfirmText(getTranslation("consent.optOut"));
                    confirm.addConfirmListener(yes -> {
                        consents.revoke(customer.id(), channel, getTranslation("consent.source.staff", user.id()), user.id());
                        show(customer);
                    });
                    confirm.open();
                });
                optOut.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                row.add(optOut);
            }
            section.add(row);
        }
        return section;
    }

    private Div fact(String labelKey, String value) {
        return factLabeled(getTranslation(labelKey), value);
    }

    private Div factLabeled(String label, String value) {
        Span name = new Span(label);
        name.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        Div fact = new Div(name, new Div(new Span(value == null || value.isBlank() ? "—" : value)));
        return fact;
    }

    @Override
    public String getPageTitle() {
        return title + " · " + getTranslation("app.name");
    }
}
