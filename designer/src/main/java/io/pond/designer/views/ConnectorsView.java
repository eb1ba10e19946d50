package io.pond.designer.views;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.StreamResource;
import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.InputProblem;
import io.pond.connectors.spi.InputType;
import io.pond.designer.security.CurrentUser;
import io.pond.engine.connector.ConnectorRegistry;
import io.pond.engine.connector.ConnectorSettings;
import io.pond.engine.connector.Deliveries;
import io.pond.engine.connector.DeliveryResolution;
import io.pond.engine.connector.ElementTemplateController;
import io.pond.engine.identity.Permission;
import jakarta.annotation.security.PermitAll;

/**
 * The connectors installed, the settings of the systems they talk to (secrets are write-only: a stored secret is
 * never sent to the browser), and the deliveries they made, where an operator settles those of unknown fate.
 */
@Route(value = "connectors", layout = MainLayout.class)
@PermitAll
public class ConnectorsView extends VerticalLayout implements HasDynamicTitle {

    final Grid<Deliveries.Delivery> deliveryGrid = new Grid<>();
    final Select<Deliveries.Status> statusFilter = new Select<>();

    private final ConnectorRegistry registry;
    private final ConnectorSettings settings;
    private final Deliveries deliveries;
    private final DeliveryResolution resolution;
    private final CurrentUser user;

    public ConnectorsView(ConnectorRegistry registry, ConnectorSettings settings, Deliveries deliveries,
            DeliveryResolution resolution, ElementTemplateController templates, CurrentUser user) {
        this.registry = registry;
        this.settings = settings;
        this.deliveries = deliveries;
        this.resolution = resolution;
        this.user = user;
        setSizeFull();
        add(new H2(getTranslation("nav.connectors")));
        TabSheet tabs = new TabSheet();
        tabs.setSizeFull();
        tabs.add(getTranslation("connectors.tab.catalogue"), catalogue(templates));
        tabs.add(getTranslation("connectors.tab.settings"), settingsTab());
        tabs.add(getTranslation("connectors.tab.deliveries"), deliveriesTab());
        add(tabs);
    }

    private boolean chinese() {
        return "zh".equals(getLocale().getLanguage());
    }

    private Component catalogue(ElementTemplateController templates) {
        Grid<ConnectorDescriptor> grid = new Grid<>();
        grid.setId("connector-grid");
        grid.addColumn(d -> chinese() ? d.nameZh() : d.nameEn()).setHeader(getTranslation("connectors.name")).setAutoWidth(true);
        grid.addColumn(d -> chinese() ? d.descriptionZh() : d.descriptionEn()).setHeader(getTranslation("connectors.description"))
                .setFlexGrow(1);
        grid.addColumn(ConnectorDescriptor::key).setHeader(getTranslation("connectors.id")).setAutoWidth(true);
        grid.addColumn(d -> d.customerFacing() ? getTranslation("connectors.reaches", d.channel()) : "")
                .setHeader(getTranslation("connectors.customerFacing")).setAutoWidth(true);
        grid.addColumn(d -> getTranslation(d.idempotent() ? "connectors.idempotent.yes" : "connectors.idempotent.no"))
                .setHeader(getTranslation("connectors.idempotent")).setAutoWidth(true);
        grid.setItems(registry.descriptors());
        grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(this::inputsOf));
        grid.setSizeFull();

        StreamResource json = new StreamResource("pond-element-templates.json",
                () -> new java.io.ByteArrayInputStream(templates.templates().toPrettyString().getBytes(StandardCharsets.UTF_8)));
        json.setContentType("application/json");
        Anchor download = new Anchor(json, getTranslation("connectors.templates.download"));
        download.getElement().setAttribute("download", true);
        download.setId("element-templates-download");
        Paragraph help = new Paragraph(getTranslation("connectors.templates.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        VerticalLayout tab = new VerticalLayout(help, download, grid);
        tab.setSizeFull();
        tab.setPadding(false);
        return tab;
    }

    private Component inputsOf(ConnectorDescriptor connector) {
        VerticalLayout inputs = new VerticalLayout();
        inputs.setPadding(false);
        inputs.setSpacing(false);
        for (ConnectorDescriptor.InputDescriptor input : connector.inputs()) {
            String label = (chinese() ? input.labelZh() : input.labelEn()) + " · " + input.type().name().toLowerCase()
                    + (input.required() ? " · " + getTranslation("connectors.required") : "");
            inputs.add(new Span(label));
        }
        return inputs;
    }

    private Component settingsTab() {
        VerticalLayout tab = new VerticalLayout();
        tab.setPadding(false);
        Paragraph help = new Paragraph(getTranslation("connectors.settings.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        tab.add(help);
        registry.systemsWithSettings().forEach((system, connector) -> tab.add(systemForm(system, connector)));
        return tab;
    }

    private Component systemForm(String system, ConnectorDescriptor connector) {
        boolean editable = user.can(Permission.CONFIGURE_CONNECTORS);
        VerticalLayout card = new VerticalLayout();
        card.setId("settings-" + system);
        card.getStyle().set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-l)");
        Span state = new Span();
        state.setId("settings-" + system + "-state");
        state.getElement().getThemeList().add("badge");
        H3 title = new H3(getTranslation("connectors.system." + system));
        HorizontalLayout header = new HorizontalLayout(title, state);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        card.add(header);

        Map<String, HasValue<?, ?>> fields = new HashMap<>();
        FormLayout form = new FormLayout();
        Map<String, String> current = settings.forForm(connector);
        for (ConnectorDescriptor.InputDescriptor setting : connector.settings()) {
            String label = chinese() ? setting.labelZh() : setting.labelEn();
            HasValue<?, ?> field;
            if (setting.type() == InputType.SECRET) {
                PasswordField secret = new PasswordField(label);
                secret.setRevealButtonVisible(false);
                // the stored secret never leaves the server: the field only says that one is there
                secret.setPlaceholder(current.get(setting.name()) != null ? getTranslation("connectors.secret.kept") : "");
                secret.setHelperText(getTranslation("connectors.secret.help"));
                field = secret;
            } else if (setting.type() == InputType.BOOLEAN) {
                Checkbox box = new Checkbox(label, Boolean.parseBoolean(current.getOrDefault(setting.name(), setting.defaultValue())));
                field = box;
            } else if (setting.type() == InputType.TEXT || setting.type() == InputType.JSON) {
                TextArea area = new TextArea(label);
                area.setValue(current.getOrDefault(setting.name(), setting.defaultValue()));
                field = area;
            } else {
                TextField text = new TextField(label);
                text.setValue(current.getOrDefault(setting.name(), setting.defaultValue()));
                text.setRequiredIndicatorVisible(setting.required());
                field = text;
            }
            String description = chinese() ? setting.descriptionZh() : setting.descriptionEn();
            if (!description.isEmpty() && field instanceof com.vaadin.flow.component.HasHelper helper && helper.getHelperText() == null) {
                helper.setHelperText(description);
            }
            ((Component) field).setId("setting-" + system + "-" + setting.name());
            field.setReadOnly(!editable);
            fields.put(setting.name(), field);
            form.add((Component) field);
        }
        card.add(form);
        Span problems = new Span();
        problems.setId("settings-" + system + "-problems");
        problems.getStyle().set("color", "var(--lumo-error-text-color)");
        card.add(problems);
        Runnable showState = () -> state.setText(getTranslation(settings.configured(system) ? "connectors.configured"
                : "connectors.sandbox"));
        showState.run();
        if (editable) {
            Button save = new Button(getTranslation("action.save"), click -> {
                Map<String, String> values = new HashMap<>();
                fields.forEach((name, field) -> values.put(name, String.valueOf(field.getValue())));
                List<InputProblem> found = settings.save(connector, values, user.id());
                if (found.isEmpty()) {
                    problems.setText("");
                    fields.forEach((name, field) -> {
                        if (field instanceof PasswordField secret) {
                            secret.clear();
                            secret.setPlaceholder(getTranslation("connectors.secret.kept"));
                        }
                    });
                    showState.run();
                    Notification.show(getTranslation("connectors.saved")).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                } else {
                    problems.setText(String.join("; ", found.stream().map(p -> chinese() ? p.messageZh() : p.messageEn()).toList()));
                }
            });
            save.setId("settings-" + system + "-save");
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            Button sandbox = new Button(getTranslation("connectors.useSandbox"), click -> {
                ConfirmDialog confirm = new ConfirmDialog(getTranslation("connectors.useSandbox"),
                        getTranslation("connectors.useSandbox.confirm"), getTranslation("connectors.useSandbox"), yes -> {
                            settings.reset(system, user.id());
                            showState.run();
                        });
                confirm.setCancelable(true);
                confirm.setCancelText(getTranslation("action.cancel"));
                confirm.open();
            });
            sandbox.setId("settings-" + system + "-reset");
            sandbox.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            card.add(new HorizontalLayout(save, sandbox));
        }
        return card;
    }

    private Component deliveriesTab() {
        statusFilter.setId("delivery-status");
        statusFilter.setLabel(getTranslation("deliveries.status"));
        statusFilter.setEmptySelectionAllowed(true);
        statusFilter.setEmptySelectionCaption(getTranslation("deliveries.all"));
        statusFilter.setItems(Deliveries.Status.values());
        statusFilter.setItemLabelGenerator(s -> s == null ? getTranslation("deliveries.all") : Labels.of(this, "delivery", s));
        statusFilter.addValueChangeListener(change -> refreshDeliveries());
        Button refresh = new Button(VaadinIcon.REFRESH.create(), click -> refreshDeliveries());
        refresh.getElement().setAttribute("aria-label", getTranslation("deliveries.refresh"));
        HorizontalLayout tools = new HorizontalLayout(statusFilter, refresh);
        tools.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        deliveryGrid.setId("delivery-grid");
        deliveryGrid.addColumn(d -> Labels.time(d.updatedAt())).setHeader(getTranslation("deliveries.when")).setAutoWidth(true);
        deliveryGrid.addColumn(Deliveries.Delivery::connector).setHeader(getTranslation("deliveries.connector")).setAutoWidth(true);
        deliveryGrid.addColumn(d -> d.customerId() == null ? "" : String.valueOf(d.customerId()))
                .setHeader(getTranslation("deliveries.customer")).setAutoWidth(true);
        deliveryGrid.addColumn(d -> Labels.of(this, "delivery", d.status())).setHeader(getTranslation("deliveries.status"))
                .setAutoWidth(true);
        deliveryGrid.addColumn(Deliveries.Delivery::attempts).setHeader(getTranslation("deliveries.attempts")).setAutoWidth(true);
        deliveryGrid.addColumn(Deliveries.Delivery::detail).setHeader(getTranslation("deliveries.detail")).setFlexGrow(1);
        if (user.can(Permission.RESOLVE_DELIVERIES)) {
            deliveryGrid.addComponentColumn(this::resolveButtons).setHeader(getTranslation("deliveries.resolve")).setAutoWidth(true);
        }
        deliveryGrid.setSizeFull();
        Paragraph help = new Paragraph(getTranslation("deliveries.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        VerticalLayout tab = new VerticalLayout(help, tools, deliveryGrid);
        tab.setPadding(false);
        tab.setSizeFull();
        refreshDeliveries();
        return tab;
    }

    private Component resolveButtons(Deliveries.Delivery delivery) {
        if (delivery.status() != Deliveries.Status.AMBIGUOUS) {
            return new Span();
        }
        Button sent = new Button(getTranslation("deliveries.wasSent"), click -> settle(delivery, Deliveries.Resolution.SENT));
        Button again = new Button(getTranslation("deliveries.sendAgain"),
                click -> settle(delivery, Deliveries.Resolution.SEND_AGAIN));
        sent.addThemeVariants(ButtonVariant.LUMO_SMALL);
        again.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(sent, again);
    }

    private void settle(Deliveries.Delivery delivery, Deliveries.Resolution how) {
        if (!resolution.resolve(delivery.key(), how, user.id())) {
            Notification.show(getTranslation("deliveries.alreadySettled")).addThemeVariants(NotificationVariant.LUMO_CONTRAST);
        }
        refreshDeliveries();
    }

    private void refreshDeliveries() {
        deliveryGrid.setItems(deliveries.latest(statusFilter.getValue(), 500));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.connectors") + " · " + getTranslation("app.name");
    }
}
