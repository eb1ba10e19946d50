package io.pond.designer.views.settings;

import java.util.Arrays;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.designer.views.MainLayout;
import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.audit.AuditLog.AuditEvent;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.identity.Permission;
import jakarta.annotation.security.RolesAllowed;

/** Administration, a tab per concern; each tab shows only to the roles it is for. */
@Route(value = "settings", layout = MainLayout.class)
@RolesAllowed({"ADMIN", "DEVELOPER"})
public class SettingsView extends VerticalLayout implements HasDynamicTitle {

    final Grid<AuditEvent> audit = new Grid<>();
    final Grid<AttributeDefinition> attributeGrid = new Grid<>();
    final Grid<ApiKeys.ApiKey> keyGrid = new Grid<>();

    private final CustomerAttributes attributes;
    private final ApiKeys apiKeys;
    private final CurrentUser user;

    public SettingsView(AuditLog auditLog, CustomerAttributes attributes, ApiKeys apiKeys, CurrentUser user) {
        this.attributes = attributes;
        this.apiKeys = apiKeys;
        this.user = user;
        setSizeFull();
        add(new H2(getTranslation("nav.settings")));
        TabSheet tabs = new TabSheet();
        tabs.setSizeFull();
        if (user.can(Permission.MANAGE_ATTRIBUTES)) {
            tabs.add(getTranslation("settings.attributes.title"), attributesTab());
        }
        if (user.can(Permission.MANAGE_API_KEYS)) {
            tabs.add(getTranslation("settings.apiKeys.title"), apiKeysTab());
        }
        if (user.can(Permission.MANAGE_USERS)) {
            tabs.add(getTranslation("settings.users.title"), usersTab(auditLog));
        }
        add(tabs);
    }

    private Component attributesTab() {
        attributeGrid.setId("attribute-grid");
        attributeGrid.addColumn(AttributeDefinition::key).setHeader(getTranslation("attribute.key")).setAutoWidth(true);
        attributeGrid.addColumn(a -> a.label(getLocale())).setHeader(getTranslation("attribute.label")).setAutoWidth(true);
        attributeGrid.addColumn(a -> getTranslation("attribute.type." + a.type().name())).setHeader(getTranslation("attribute.type"));
        attributeGrid.addColumn(a -> String.join(", ", a.enumValues())).setHeader(getTranslation("attribute.values"));
        attributeGrid.addComponentColumn(a -> {
            Button delete = new Button(VaadinIcon.TRASH.create(), click -> {
                ConfirmDialog confirm = new ConfirmDialog(getTranslation("attribute.delete.confirm", a.key()),
                        getTranslation("attribute.delete.text"), getTranslation("attribute.delete"), yes -> {
                            attributes.delete(a.key());
                            attributeGrid.setItems(attributes.definitions());
                        });
                confirm.setCancelable(true);
                confirm.setCancelText(getTranslation("action.cancel"));
                confirm.setConfirmButtonTheme("error primary");
                confirm.open();
            });
            delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            return delete;
        }).setFlexGrow(0);
        attributeGrid.setItems(attributes.definitions());
        attributeGrid.setAllRowsVisible(true);
        Button add = new Button(getTranslation("attribute.new"), VaadinIcon.PLUS.create(), click -> editAttribute());
        add.setId("attribute-new");
        Paragraph help = new Paragraph(getTranslation("attribute.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        return new VerticalLayout(help, add, attributeGrid);
    }

    private void editAttribute() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("attribute.new"));
        TextField key = new TextField(getTranslation("attribute.key"));
        key.setHelperText(getTranslation("attribute.key.help"));
        key.setId("attribute-key");
        TextField labelEn = new TextField(getTranslation("attribute.labelEn"));
        labelEn.setId("attribute-label-en");
        TextField labelZh = new TextField(getTranslation("attribute.labelZh"));
        labelZh.setId("attribute-label-zh");
        Select<AttributeType> type = new Select<>();
        type.setLabel(getTranslation("attribute.type"));
        type.setItems(AttributeType.values());
        type.setItemLabelGenerator(t -> getTranslation("attribute.type." + t.name()));
        type.setValue(AttributeType.STRING);
        type.setId("attribute-type");
        TextArea values = new TextArea(getTranslation("attribute.values"));
        values.setHelperText(getTranslation("attribute.values.help"));
        values.setVisible(false);
        type.addValueChangeListener(change -> values.setVisible(change.getValue() == AttributeType.ENUM));
        Span problem = new Span();
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        Button save = new Button(getTranslation("action.save"), click -> {
            try {
                attributes.define(new AttributeDefinition(key.getValue().trim(), labelEn.getValue(), labelZh.getValue(),
                        type.getValue(), Arrays.asList(values.getValue().split("[\\n,，]"))));
                attributeGrid.setItems(attributes.definitions());
                dialog.close();
            } catch (IllegalArgumentException e) {
                problem.setText(e.getMessage());
            }
        });
        save.setId("attribute-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(key, type, labelEn, labelZh, values), problem);
        dialog.getFooter().add(new Button(getTranslation("action.cancel"), click -> dialog.close()), save);
        dialog.open();
    }

    private Component apiKeysTab() {
        keyGrid.setId("api-key-grid");
        keyGrid.addColumn(ApiKeys.ApiKey::keyId).setHeader(getTranslation("apiKey.id")).setAutoWidth(true);
        keyGrid.addColumn(ApiKeys.ApiKey::name).setHeader(getTranslation("apiKey.name")).setAutoWidth(true);
        keyGrid.addColumn(k -> k.createdBy() + ", " + Labels.time(k.createdAt())).setHeader(getTranslation("apiKey.created"));
        keyGrid.addColumn(k -> k.active() ? getTranslation("apiKey.active") : getTranslation("apiKey.revoked", Labels.time(k.revokedAt())))
                .setHeader(getTranslation("apiKey.state"));
        keyGrid.addComponentColumn(k -> {
            Button revoke = new Button(getTranslation("apiKey.revoke"), click -> {
                apiKeys.revoke(k.keyId(), user.id());
                keyGrid.setItems(apiKeys.list());
            });
            revoke.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            revoke.setVisible(k.active());
            return revoke;
        });
        keyGrid.setItems(apiKeys.list());
        keyGrid.setAllRowsVisible(true);
        TextField name = new TextField();
        name.setPlaceholder(getTranslation("apiKey.name.placeholder"));
        name.setWidth("20em");
        Button create = new Button(getTranslation("apiKey.create"), click -> {
            try {
                ApiKeys.NewKey key = apiKeys.create(name.getValue(), user.id());
                name.clear();
                keyGrid.setItems(apiKeys.list());
                showSecretOnce(key);
            } catch (IllegalArgumentException e) {
                name.setErrorMessage(e.getMessage());
                name.setInvalid(true);
            }
        });
        create.setId("api-key-create");
        HorizontalLayout form = new HorizontalLayout(name, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        Paragraph help = new Paragraph(getTranslation("apiKey.help"));
        help.getStyle().set("color", "var(--lumo-secondary-text-color)");
        return new VerticalLayout(help, form, keyGrid);
    }

    private void showSecretOnce(ApiKeys.NewKey key) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("apiKey.secret.title"));
        Pre secret = new Pre("X-Pond-Key: " + key.keyId() + "\nsecret: " + key.secret());
        secret.setId("api-key-secret");
        dialog.add(new Paragraph(getTranslation("apiKey.secret.text")), secret);
        dialog.setCloseOnOutsideClick(false);
        dialog.getFooter().add(new Button(getTranslation("apiKey.secret.done"), click -> dialog.close()));
        dialog.open();
    }

    private Component usersTab(AuditLog auditLog) {
        Paragraph users = new Paragraph(getTranslation("settings.users.text"));
        Anchor admin = new Anchor("/camunda/app/admin/default/#/users", getTranslation("settings.users.link"));
        admin.setTarget("_blank");
        audit.setId("audit-log");
        audit.addColumn(event -> Labels.time(event.occurredAt())).setHeader(getTranslation("settings.audit.time"))
                .setAutoWidth(true);
        audit.addColumn(AuditEvent::actor).setHeader(getTranslation("settings.audit.actor")).setAutoWidth(true);
        audit.addColumn(AuditEvent::action).setHeader(getTranslation("settings.audit.action")).setAutoWidth(true);
        audit.addColumn(AuditEvent::detail).setHeader(getTranslation("settings.audit.detail"));
        audit.setItems(auditLog.latest(200));
        VerticalLayout tab = new VerticalLayout(users, admin, new H3(getTranslation("settings.audit.title")), audit);
        tab.setSizeFull();
        return tab;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.settings") + " · " + getTranslation("app.name");
    }

}
