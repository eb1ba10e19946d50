package io.pond.designer.views.settings;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.pond.designer.views.MainLayout;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.audit.AuditLog.AuditEvent;
import jakarta.annotation.security.RolesAllowed;

/** Administration: where users and roles live, and the audit log. */
@Route(value = "settings", layout = MainLayout.class)
@RolesAllowed("ADMIN")
public class SettingsView extends VerticalLayout implements HasDynamicTitle {

    final Grid<AuditEvent> audit = new Grid<>();

    public SettingsView(AuditLog auditLog) {
        add(new H2(getTranslation("nav.settings")));

        add(new H3(getTranslation("settings.users.title")));
        Paragraph users = new Paragraph(getTranslation("settings.users.text"));
        Anchor admin = new Anchor("/camunda/app/admin/default/#/users", getTranslation("settings.users.link"));
        admin.setTarget("_blank");
        add(users, admin);

        add(new H3(getTranslation("settings.audit.title")));
        DateTimeFormatter time = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
                .withLocale(getLocale()).withZone(ZoneId.systemDefault());
        audit.setId("audit-log");
        audit.addColumn(event -> time.format(event.occurredAt())).setHeader(getTranslation("settings.audit.time"))
                .setAutoWidth(true);
        audit.addColumn(AuditEvent::actor).setHeader(getTranslation("settings.audit.actor")).setAutoWidth(true);
        audit.addColumn(AuditEvent::action).setHeader(getTranslation("settings.audit.action")).setAutoWidth(true);
        audit.addColumn(AuditEvent::detail).setHeader(getTranslation("settings.audit.detail"));
        audit.setItems(auditLog.latest(200));
        add(audit);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.settings") + " · " + getTranslation("app.name");
    }
}
