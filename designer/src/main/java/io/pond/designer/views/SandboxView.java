package io.pond.designer.views;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.pond.designer.security.CurrentUser;
import io.pond.engine.identity.Permission;
import io.pond.engine.sandbox.Sandbox;
import io.pond.engine.sandbox.SandboxEvents;
import io.pond.engine.sandbox.WeComSandbox;
import jakarta.annotation.security.PermitAll;

/**
 * The sandbox outbox: what Pond's stand-ins for WeCom, WeChat Pay, the CRM and webhooks received, to whom, so a
 * new user sees a journey work end to end without real accounts; and a customer to play, who scans a channel
 * code and adds a staff member, then does what journeys enter, wait or end on (an event of theirs).
 */
@Route(value = "sandbox", layout = MainLayout.class)
@PermitAll
public class SandboxView extends VerticalLayout implements HasDynamicTitle {

    private static final int POLL_MILLIS = 3000;

    final Grid<Sandbox.Message> outbox = new Grid<>();
    private final Sandbox sandbox;
    private Registration polling;

    final ComboBox<String> eventType = new ComboBox<>();
    final TextField eventCustomer = new TextField();
    final TextArea eventProperties = new TextArea();

    public SandboxView(Sandbox sandbox, WeComSandbox weCom, SandboxEvents events, CurrentUser user) {
        this.sandbox = sandbox;
        setSizeFull();
        add(new H2(getTranslation("nav.sandbox")));
        Paragraph about = new Paragraph(getTranslation(sandbox.enabled() ? "sandbox.about" : "sandbox.disabled"));
        about.getStyle().set("color", "var(--lumo-secondary-text-color)");
        add(about);

        if (sandbox.enabled() && user.can(Permission.USE_SANDBOX)) {
            add(new H3(getTranslation("sandbox.scan.title")));
            TextField staff = new TextField(getTranslation("sandbox.scan.staff"));
            staff.setValue("zhangsan");
            staff.setId("scan-staff");
            TextField state = new TextField(getTranslation("sandbox.scan.state"));
            state.setValue("store_001");
            state.setMaxLength(30);
            state.setId("scan-state");
            TextField name = new TextField(getTranslation("sandbox.scan.name"));
            name.setValue(getTranslation("sandbox.scan.defaultName"));
            name.setId("scan-name");
            Button scan = new Button(getTranslation("sandbox.scan.action"), VaadinIcon.QRCODE.create(), click -> {
                try {
                    String externalUserid = weCom.simulateAdd(staff.getValue().trim(), state.getValue().trim(), name.getValue().trim());
                    Notification.show(getTranslation("sandbox.scan.done", name.getValue(), externalUserid))
                            .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                    // the customer just made is the one to play next
                    events.customerOnWeCom(externalUserid).ifPresent(id -> eventCustomer.setValue(Long.toString(id)));
                    refresh();
                } catch (IllegalStateException | IllegalArgumentException e) {
                    Notification.show(e.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
                }
            });
            scan.setId("scan-action");
            scan.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            HorizontalLayout form = new HorizontalLayout(staff, state, name, scan);
            form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            add(form);
            add(eventForm(events));
        }

        add(new H3(getTranslation("sandbox.outbox")));
        Button refresh = new Button(getTranslation("sandbox.refresh"), VaadinIcon.REFRESH.create(), click -> refresh());
        HorizontalLayout tools = new HorizontalLayout(refresh);
        if (user.can(Permission.USE_SANDBOX)) {
            Button clear = new Button(getTranslation("sandbox.clear"), click -> {
                sandbox.clearMessages();
                refresh();
            });
            clear.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            clear.setId("sandbox-clear");
            tools.add(clear);
        }
        add(tools);
        outbox.setId("sandbox-outbox");
        outbox.addColumn(m -> Labels.time(m.receivedAt())).setHeader(getTranslation("sandbox.when")).setAutoWidth(true);
        outbox.addColumn(m -> getTranslation("connectors.system." + m.system())).setHeader(getTranslation("sandbox.system"))
                .setAutoWidth(true);
        outbox.addColumn(Sandbox.Message::operation).setHeader(getTranslation("sandbox.operation")).setAutoWidth(true);
        outbox.addColumn(Sandbox.Message::recipient).setHeader(getTranslation("sandbox.recipient")).setAutoWidth(true);
        outbox.addColumn(Sandbox.Message::summary).setHeader(getTranslation("sandbox.summary")).setFlexGrow(1);
        outbox.setSizeFull();
        add(outbox);
        refresh();
    }

    /** The customer does something a journey enters, waits, converts or ends on: an event, as the event API takes it. */
    private Component eventForm(SandboxEvents events) {
        eventCustomer.setLabel(getTranslation("sandbox.event.customer"));
        eventCustomer.setId("event-customer");
        eventCustomer.setWidth("9em");
        eventType.setLabel(getTranslation("sandbox.event.type"));
        eventType.setId("event-type");
        eventType.setItems(events.eventTypesInUse());
        eventType.setAllowCustomValue(true);
        eventType.addCustomValueSetListener(custom -> eventType.setValue(custom.getDetail().trim()));
        eventType.setHelperText(getTranslation("sandbox.event.type.help"));
        eventProperties.setLabel(getTranslation("sandbox.event.properties"));
        eventProperties.setId("event-properties");
        eventProperties.setPlaceholder("{\"product\": \"product-a\"}");
        eventProperties.setWidth("22em");
        Button send = new Button(getTranslation("sandbox.event.send"), VaadinIcon.PAPERPLANE.create(), click -> sendEvent(events));
        send.setId("event-send");
        HorizontalLayout form = new HorizontalLayout(eventCustomer, eventType, eventProperties, send);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        Paragraph about = new Paragraph(getTranslation("sandbox.event.about"));
        about.getStyle().set("color", "var(--lumo-secondary-text-color)");
        VerticalLayout section = new VerticalLayout(new H3(getTranslation("sandbox.event.title")), about, form);
        section.setPadding(false);
        return section;
    }

    /** Sends the form's event; a wrong field is marked with what is wrong, and everything typed stays. */
    private void sendEvent(SandboxEvents events) {
        eventCustomer.setInvalid(false);
        eventType.setInvalid(false);
        eventProperties.setInvalid(false);
        long customer;
        try {
            customer = Long.parseLong(eventCustomer.getValue().trim());
        } catch (NumberFormatException notANumber) {
            mark(eventCustomer, getTranslation("designer.live.customerId.invalid"));
            return;
        }
        String type = eventType.getValue() == null ? "" : eventType.getValue().trim();
        if (type.isEmpty()) {
            mark(eventType, getTranslation("sandbox.event.type.missing"));
            return;
        }
        try {
            SandboxEvents.Sent sent = events.send(customer, type, eventProperties.getValue());
            Notification.show(getTranslation("sandbox.event.sent", type, Long.toString(sent.customerId())))
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (SandboxEvents.Refused refused) {
            switch (refused.reason()) {
                case NO_CUSTOMER -> mark(eventCustomer, getTranslation("sandbox.event.noCustomer", Long.toString(customer)));
                case NO_IDENTITY -> mark(eventCustomer, getTranslation("sandbox.event.noIdentity", Long.toString(customer)));
                case BAD_TYPE -> mark(eventType, getTranslation("sandbox.event.type.invalid"));
                case NOT_JSON -> mark(eventProperties, getTranslation("sandbox.event.properties.notJson", refused.detail()));
                case NOT_AN_OBJECT -> mark(eventProperties, getTranslation("sandbox.event.properties.notObject"));
                case REFUSED -> Notification.show(refused.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
        }
    }

    private static void mark(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }

    private void refresh() {
        outbox.setItems(sandbox.messages(500));
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        // journeys send in the background: the outbox follows without a manual refresh
        attach.getUI().setPollInterval(POLL_MILLIS);
        polling = attach.getUI().addPollListener(poll -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        detach.getUI().setPollInterval(-1);
        if (polling != null) {
            polling.remove();
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.sandbox") + " · " + getTranslation("app.name");
    }
}
