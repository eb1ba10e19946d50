package io.pond.designer.views.journeys;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.streams.UploadHandler;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.designer.views.MainLayout;
import io.pond.engine.identity.Permission;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import io.pond.processes.JourneyTemplates;
import jakarta.annotation.security.PermitAll;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;

/** The journeys: open one, start a new one (empty, from a template, from a BPMN file). */
@Route(value = "journeys", layout = MainLayout.class)
@PermitAll
public class JourneysView extends VerticalLayout implements HasDynamicTitle {

    /** A new journey's diagram: its entry and nothing else. */
    static final String EMPTY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="definitions" targetNamespace="https://pond.io/journeys">
              <bpmn:process id="%1$s" isExecutable="true">
                <bpmn:startEvent id="entry" name="%2$s"/>
              </bpmn:process>
              <bpmndi:BPMNDiagram id="diagram">
                <bpmndi:BPMNPlane id="plane" bpmnElement="%1$s">
                  <bpmndi:BPMNShape id="entry_di" bpmnElement="entry"><dc:Bounds x="160" y="160" width="36" height="36"/></bpmndi:BPMNShape>
                </bpmndi:BPMNPlane>
              </bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;

    private final Journeys journeys;
    private final CurrentUser user;
    private final ObjectMapper json;
    private final Grid<Journeys.Journey> grid = new Grid<>();

    public JourneysView(Journeys journeys, CurrentUser user, ObjectMapper json) {
        this.journeys = journeys;
        this.user = user;
        this.json = json;
        setSizeFull();
        add(new H2(getTranslation("nav.journeys")), new Paragraph(getTranslation("journeys.purpose")));
        if (user.can(Permission.EDIT_JOURNEYS)) {
            Button create = new Button(getTranslation("journeys.new"), VaadinIcon.PLUS.create(), e -> newJourney(false));
            create.setId("journey-new");
            create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            Button sop = new Button(getTranslation("journeys.newSop"), VaadinIcon.CLIPBOARD_CHECK.create(), e -> newJourney(true));
            sop.setId("journey-new-sop");
            Button gallery = new Button(getTranslation("journeys.templates"), VaadinIcon.RECORDS.create(), e -> gallery());
            gallery.setId("journey-templates");
            add(new HorizontalLayout(create, sop, gallery, importButton()));
        }
        grid.setId("journey-grid");
        grid.addComponentColumn(j -> new RouterLink(j.name(), JourneyDesignerView.class, j.key()))
                .setHeader(getTranslation("journeys.name")).setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Journeys.Journey::key).setHeader(getTranslation("journeys.key")).setAutoWidth(true);
        grid.addColumn(j -> getTranslation(j.settings().sop() ? "journeys.sop" : "journeys.journey"))
                .setHeader(getTranslation("journeys.kind")).setAutoWidth(true);
        grid.addComponentColumn(j -> status(this, j)).setHeader(getTranslation("journeys.status")).setAutoWidth(true);
        grid.addColumn(j -> j.publishedVersion() == null ? "" : "v" + j.publishedVersion())
                .setHeader(getTranslation("journeys.version")).setAutoWidth(true);
        grid.addColumn(j -> Labels.time(j.updatedAt())).setHeader(getTranslation("journeys.updated")).setAutoWidth(true);
        grid.setItems(journeys.list());
        add(grid);
    }

    static Component status(Component owner, Journeys.Journey journey) {
        Span badge = new Span(Labels.of(owner, "journeys.status", journey.status()));
        badge.getElement().getThemeList().add(switch (journey.status()) {
            case PUBLISHED -> "badge success";
            case PAUSED -> "badge contrast";
            case ARCHIVED -> "badge error";
            case DRAFT -> "badge";
        });
        return badge;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.journeys") + " · Pond";
    }

    /** @param sop an SOP flow: staff tasks, waits and conditions, for analysts */
    private void newJourney(boolean sop) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation(sop ? "journeys.newSop" : "journeys.new"));
        TextField name = new TextField(getTranslation("journeys.name"));
        name.setId("journey-name");
        name.setRequired(true);
        TextField key = new TextField(getTranslation("journeys.key"));
        key.setId("journey-key");
        key.setHelperText(getTranslation("journeys.key.help"));
        key.setPattern(Journeys.KEY.pattern());
        Button create = new Button(getTranslation("journeys.create"), e -> {
            try {
                String bpmn = EMPTY.formatted(key.getValue().trim(), getTranslation("journeys.block.entry"));
                journeys.create(key.getValue().trim(), name.getValue(), null,
                        sop ? JourneySettings.sopFlow() : JourneySettings.defaults(), bpmn, user.id());
                dialog.close();
                UI.getCurrent().navigate(JourneyDesignerView.class, key.getValue().trim());
            } catch (IllegalArgumentException problem) {
                key.setInvalid(true);
                key.setErrorMessage(problem.getMessage());
            }
        });
        create.setId("journey-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(name, key));
        dialog.getFooter().add(new Button(getTranslation("action.cancel"), e -> dialog.close()), create);
        dialog.open();
    }

    /** The eight journeys of the field, each a working diagram to start from. */
    private void gallery() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("journeys.templates"));
        dialog.setWidth("900px");
        boolean zh = Locale.CHINESE.getLanguage().equals(getLocale().getLanguage());
        // as many columns as fit: fixed 260 px cards wrapped two to a row in the 900 px dialog and left a third empty
        Div cards = new Div();
        cards.getStyle().set("display", "grid").set("grid-template-columns", "repeat(auto-fill, minmax(240px, 1fr))")
                .set("gap", "var(--lumo-space-m)");
        for (JourneyTemplates.Template template : JourneyTemplates.all()) {
            Div card = new Div();
            card.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("border-radius", "8px")
                    .set("padding", "var(--lumo-space-s)");
            Button use = new Button(getTranslation("journeys.template.use"), e -> {
                String key = freeKey(template.key());
                try {
                    JourneySettings settings = template.settings().isMissingNode() || template.settings().isNull()
                            ? JourneySettings.defaults() : json.treeToValue(template.settings(), JourneySettings.class);
                    journeys.create(key, zh ? template.nameZh() : template.nameEn(), zh ? template.descriptionZh()
                            : template.descriptionEn(), settings, template.bpmn(), user.id());
                    dialog.close();
                    UI.getCurrent().navigate(JourneyDesignerView.class, key);
                } catch (Exception problem) {
                    Notification.show(problem.getMessage(), 6000, Notification.Position.MIDDLE)
                            .addThemeVariants(NotificationVariant.LUMO_ERROR);
                }
            });
            use.setId("template-" + template.key());
            card.add(new H4(zh ? template.nameZh() : template.nameEn()),
                    new Paragraph(zh ? template.descriptionZh() : template.descriptionEn()), use);
            cards.add(card);
        }
        dialog.add(cards);
        dialog.getFooter().add(new Button(getTranslation("action.close"), e -> dialog.close()));
        dialog.open();
    }

    private String freeKey(String base) {
        String key = base;
        for (int i = 2; journeys.find(key).isPresent(); i++) {
            key = base + "-" + i;
        }
        return key;
    }

    /** A BPMN file (from Pond or Camunda Modeler) becomes a new draft named after its process. */
    private Component importButton() {
        Upload upload = new Upload(UploadHandler.toTempFile((metadata, file) -> {
            String bpmn = Files.readString(file.toPath(), StandardCharsets.UTF_8);
            Files.deleteIfExists(file.toPath());
            UI ui = UI.getCurrent();
            ui.access(() -> importFile(bpmn));
        }));
        upload.setId("journey-import");
        upload.setAcceptedFileTypes(".bpmn", ".xml");
        upload.setMaxFiles(1);
        upload.setDropAllowed(false);
        upload.setUploadButton(new Button(getTranslation("journeys.import"), VaadinIcon.UPLOAD.create()));
        return upload;
    }

    private void importFile(String bpmn) {
        try {
            io.pond.engine.xml.SafeXml.parse(bpmn); // a DOCTYPE is refused before Camunda's parser sees the file
            BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(bpmn.getBytes(StandardCharsets.UTF_8)));
            Process process = model.getModelElementsByType(Process.class).stream().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(getTranslation("journeys.import.noProcess")));
            String key = freeKey(Journeys.KEY.matcher(process.getId()).matches() ? process.getId() : "imported");
            String name = process.getName() == null || process.getName().isBlank() ? key : process.getName();
            journeys.create(key, name, null, JourneySettings.defaults(), bpmn, user.id());
            UI.getCurrent().navigate(JourneyDesignerView.class, key);
        } catch (RuntimeException problem) {
            Notification.show(getTranslation("journeys.import.failed", rootMessage(problem)), 8000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
