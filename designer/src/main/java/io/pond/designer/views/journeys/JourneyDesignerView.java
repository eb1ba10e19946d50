package io.pond.designer.views.journeys;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.designer.views.MainLayout;
import io.pond.engine.connector.ConnectorRegistry;
import io.pond.engine.connector.ConnectorStep;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.script.SandboxedScripting;
import io.pond.engine.script.ScriptSandbox;
import io.pond.engine.segment.Segments;
import io.pond.engine.identity.Permission;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.JourneyStats;
import io.pond.engine.journey.JourneyValidation;
import io.pond.engine.journey.Journeys;
import jakarta.annotation.security.PermitAll;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;

/**
 * The journey designer: the canvas, the properties of what is selected, validation marked on the nodes,
 * publishing with a note, the version history with what changed, and the live view of a published journey.
 * Drafts save themselves after every change.
 */
@Route(value = "journey", layout = MainLayout.class)
@PermitAll
public class JourneyDesignerView extends VerticalLayout implements HasUrlParameter<String>, HasDynamicTitle {

    private final Journeys journeys;
    private final JourneyValidation validation;
    private final JourneyStats stats;
    private final Enrollments enrollments;
    private final RepositoryService repositoryService;
    private final HistoryService historyService;
    private final ConnectorRegistry registry;
    private final CurrentUser user;
    private final PropertiesPanel properties;

    final JourneyCanvas canvas = new JourneyCanvas();
    private final Span title = new Span();
    private final Div status = new Div();
    private final Span saveState = new Span();
    private final Div problemList = new Div();
    private final HorizontalLayout toolbar = new HorizontalLayout();
    private final HorizontalLayout lifecycle = new HorizontalLayout();
    private final Div livePanel = new Div();

    private Journeys.Journey journey;
    private String xml;
    private BpmnModelInstance model;
    private boolean live;
    private boolean editable;

    public JourneyDesignerView(Journeys journeys, JourneyValidation validation, JourneyStats stats, Enrollments enrollments,
            RepositoryService repositoryService, HistoryService historyService, ConnectorRegistry registry, CurrentUser user,
            ConnectorStep connectorStep, SandboxedScripting scripting, ScriptSandbox sandbox, CustomerTags tags, Segments segments) {
        this.journeys = journeys;
        this.validation = validation;
        this.stats = stats;
        this.enrollments = enrollments;
        this.repositoryService = repositoryService;
        this.historyService = historyService;
        this.registry = registry;
        this.user = user;
        this.properties = new PropertiesPanel(registry, connectorStep, scripting, sandbox, tags, segments, user);
        setSizeFull();
        setPadding(false);
        setSpacing(false);

        title.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
        title.setId("journey-title");
        saveState.setId("save-state");
        saveState.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        toolbar.setWidthFull();
        toolbar.setAlignItems(FlexComponent.Alignment.CENTER);
        toolbar.getStyle().set("padding", "var(--lumo-space-xs) var(--lumo-space-m)").set("flex-wrap", "wrap");

        problemList.setId("problem-list");
        problemList.getStyle().set("padding", "0 var(--lumo-space-m)").set("max-height", "9em").set("overflow", "auto");
        problemList.setVisible(false);

        canvas.setSizeFull();
        canvas.getStyle().set("min-height", "420px").set("border-top", "1px solid var(--lumo-contrast-10pct)");
        properties.setWidth("380px");
        properties.getStyle().set("flex-shrink", "0");
        livePanel.setId("live-panel");
        livePanel.setVisible(false);
        HorizontalLayout body = new HorizontalLayout(canvas, properties);
        body.setSizeFull();
        body.setSpacing(false);
        body.expand(canvas);
        // an overflowing flex item may shrink to nothing: the bars above the canvas keep their height
        toolbar.getStyle().set("flex-shrink", "0");
        problemList.getStyle().set("flex-shrink", "0");
        livePanel.getStyle().set("flex-shrink", "0");
        add(toolbar, problemList, livePanel, body);
        expand(body);

        canvas.onChange(this::changed);
        canvas.onSelect(this::selected);
        canvas.addImportFailedListener(e -> error(getTranslation("designer.import.failed", e.message())));
        canvas.addImportedListener(e -> saveState.setText(getTranslation("designer.opened")));
    }

    @Override
    public void setParameter(BeforeEvent event, String key) {
        journey = journeys.find(key).orElse(null);
        if (journey == null) {
            add(new Paragraph(getTranslation("designer.missing", key)));
            return;
        }
        editable = user.can(Permission.EDIT_JOURNEYS) && journey.status() != Journeys.Status.ARCHIVED;
        xml = journey.draftBpmn();
        properties.bind(this, journey, editable);
        canvas.setPalette(JourneyBlocks.of(registry, getLocale(), journey.settings().sop()), Map.of(
                "hand", getTranslation("designer.tool.hand"), "lasso", getTranslation("designer.tool.lasso"),
                "connect", getTranslation("designer.tool.connect"), "counts", getTranslation("designer.counts"),
                "waiting", getTranslation("designer.counts.waiting"), "passed", getTranslation("designer.counts.passed"),
                "converted", getTranslation("designer.counts.converted")));
        canvas.importXml(xml);
        canvas.setReadOnly(!editable);
        buildToolbar();
        properties.show(null);
    }

    @Override
    public String getPageTitle() {
        return (journey == null ? "" : journey.name() + " · ") + getTranslation("nav.journeys") + " · Pond";
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().addPollListener(poll -> {
            if (live) {
                refreshCounts();
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent event) {
        event.getUI().setPollInterval(-1);
    }

    Journeys.Journey journey() {
        return journey;
    }

    JourneyCanvas canvas() {
        return canvas;
    }

    /** The diagram as last received from the canvas, parsed once per change. */
    BpmnModelInstance model() {
        if (model == null && xml != null) {
            try {
                model = Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return model;
    }

    // ------------------------------------------------------------------ editing

    private void changed(String newXml) {
        xml = newXml;
        model = null;
        if (!editable) {
            return;
        }
        save();
        properties.diagramChanged();
    }

    private void selected(String elementId) {
        properties.show(elementId);
        if (live && elementId != null) {
            showCustomersAt(elementId);
        }
    }

    void save() {
        try {
            journey = journeys.saveDraft(journey.key(), journey.name(), journey.description(), journey.settings(), xml, user.id());
            saveState.setText(getTranslation("designer.saved", Labels.time(Instant.now())));
        } catch (RuntimeException e) {
            saveState.setText(getTranslation("designer.notSaved"));
            error(e.getMessage());
        }
    }

    /** Saves new journey settings (entry, re-entry, goal, exits) with the draft. */
    void saveSettings(String name, String description, io.pond.engine.journey.JourneySettings settings) {
        journey = journeys.saveDraft(journey.key(), name, description, settings, xml, user.id());
        title.setText(journey.name());
        saveState.setText(getTranslation("designer.saved", Labels.time(Instant.now())));
    }

    // ------------------------------------------------------------------ toolbar

    private void buildToolbar() {
        toolbar.removeAll();
        title.setText(journey.name());
        status.removeAll();
        status.add(JourneysView.status(this, journey));
        status.setId("journey-status");
        toolbar.add(title, status);
        if (journey.settings().sop()) {
            Span sop = new Span(getTranslation("journeys.sop"));
            sop.setId("journey-kind");
            sop.getElement().getThemeList().add("badge contrast");
            toolbar.add(sop);
        }
        if (editable) {
            // Ctrl+Z / Ctrl+Y work on the canvas itself (bpmn-js's keyboard); in a text field they undo the typing
            Button undo = icon("designer-undo", VaadinIcon.ARROW_BACKWARD, "designer.undo", e -> canvas.undo());
            Button redo = icon("designer-redo", VaadinIcon.ARROW_FORWARD, "designer.redo", e -> canvas.redo());
            toolbar.add(undo, redo);
        }
        toolbar.add(icon("designer-zoom-in", VaadinIcon.PLUS, "designer.zoomIn", e -> canvas.zoom(1)),
                icon("designer-zoom-out", VaadinIcon.MINUS, "designer.zoomOut", e -> canvas.zoom(-1)),
                icon("designer-fit", VaadinIcon.EXPAND_SQUARE, "designer.fit", e -> canvas.zoom(0)));
        Button validate = new Button(getTranslation("designer.validate"), VaadinIcon.CHECK_SQUARE_O.create(), e -> validate());
        validate.setId("designer-validate");
        toolbar.add(validate);
        lifecycle.removeAll();
        if (user.can(Permission.PUBLISH_JOURNEYS) && journey.status() != Journeys.Status.ARCHIVED) {
            Button publish = new Button(getTranslation("designer.publish"), VaadinIcon.ROCKET.create(), e -> publish());
            publish.setId("designer-publish");
            publish.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            lifecycle.add(publish);
            if (journey.status() == Journeys.Status.PUBLISHED) {
                lifecycle.add(lifecycleButton("designer-pause", "designer.pause", () -> journeys.pause(journey.key(), user.id())));
            }
            if (journey.status() == Journeys.Status.PAUSED) {
                lifecycle.add(lifecycleButton("designer-resume", "designer.resume", () -> journeys.resume(journey.key(), user.id())));
            }
            if (journey.status() != Journeys.Status.DRAFT) {
                lifecycle.add(lifecycleButton("designer-archive", "designer.archive", () -> journeys.archive(journey.key(), user.id())));
            }
        }
        toolbar.add(lifecycle);
        Button versions = new Button(getTranslation("designer.versions"), VaadinIcon.TIME_BACKWARD.create(), e -> versions());
        versions.setId("designer-versions");
        Anchor export = new Anchor(DownloadHandler.fromInputStream(event -> new DownloadResponse(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), journey.key() + ".bpmn", "application/xml",
                xml.getBytes(StandardCharsets.UTF_8).length)), "");
        export.add(new Button(getTranslation("designer.export"), VaadinIcon.DOWNLOAD.create()));
        export.setId("designer-export");
        toolbar.add(versions, export);
        if (journey.publishedVersion() != null) {
            Button liveButton = new Button(getTranslation(live ? "designer.live.stop" : "designer.live"), VaadinIcon.EYE.create(),
                    e -> toggleLive());
            liveButton.setId("designer-live");
            toolbar.add(liveButton);
        }
        toolbar.add(saveState);
    }

    private Button icon(String id, VaadinIcon icon, String tooltip, com.vaadin.flow.component.ComponentEventListener<
            com.vaadin.flow.component.ClickEvent<Button>> listener) {
        Button button = new Button(icon.create(), listener);
        button.setId(id);
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        button.setTooltipText(getTranslation(tooltip));
        button.setAriaLabel(getTranslation(tooltip));
        return button;
    }

    private Button lifecycleButton(String id, String label, Runnable action) {
        Button button = new Button(getTranslation(label), e -> {
            try {
                action.run();
                journey = journeys.require(journey.key());
                buildToolbar();
                Notification.show(getTranslation(label + ".done"), 3000, Notification.Position.BOTTOM_START);
            } catch (RuntimeException problem) {
                error(problem.getMessage());
            }
        });
        button.setId(id);
        return button;
    }

    // ------------------------------------------------------------------ validate and publish

    /** Marks each problem on its node and lists it; a click on one selects its node. */
    List<JourneyValidation.Problem> validate() {
        List<JourneyValidation.Problem> problems = validation.validate(xml, journey.settings());
        boolean zh = Locale.CHINESE.getLanguage().equals(getLocale().getLanguage());
        List<Map<String, String>> marks = new ArrayList<>();
        problemList.removeAll();
        for (JourneyValidation.Problem problem : problems) {
            String message = zh ? problem.messageZh() : problem.messageEn();
            Map<String, String> mark = new LinkedHashMap<>();
            mark.put("id", problem.elementId());
            mark.put("message", message);
            marks.add(mark);
            Div item = new Div(new Span((problem.blocking() ? "✖ " : "⚠ ") + message));
            item.addClassName("problem");
            item.getElement().setAttribute("data-element", problem.elementId() == null ? "" : problem.elementId());
            item.getStyle().set("cursor", "pointer").set("color", problem.blocking() ? "var(--lumo-error-text-color)"
                    : "var(--lumo-warning-text-color, #b26a00)");
            if (problem.elementId() != null) {
                item.addClickListener(e -> canvas.select(problem.elementId()));
            }
            problemList.add(item);
        }
        problemList.setVisible(!problems.isEmpty());
        canvas.setProblems(marks);
        if (problems.isEmpty()) {
            Notification.show(getTranslation("designer.valid"), 3000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        }
        return problems;
    }

    private void publish() {
        if (!validate().isEmpty()) {
            error(getTranslation("designer.publish.fixFirst"));
            return;
        }
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("designer.publish.title", journey.name()));
        TextArea note = new TextArea(getTranslation("designer.publish.note"));
        note.setId("publish-note");
        note.setWidthFull();
        note.setMaxLength(1000);
        RadioButtonGroup<Journeys.InFlight> inFlight = new RadioButtonGroup<>(getTranslation("designer.publish.inFlight"));
        inFlight.setId("publish-in-flight");
        inFlight.setItems(Journeys.InFlight.values());
        inFlight.setItemLabelGenerator(choice -> Labels.of(this, "designer.publish.inFlight", choice));
        inFlight.setValue(Journeys.InFlight.STAY);
        inFlight.setVisible(journey.publishedVersion() != null);
        Button confirm = new Button(getTranslation("designer.publish"), e -> {
            try {
                boolean first = journey.publishedVersion() == null;
                Journeys.Published published = journeys.publish(journey.key(), inFlight.getValue(), user.id(), note.getValue());
                dialog.close();
                journey = journeys.require(journey.key());
                buildToolbar();
                // what became of the customers already in it: nothing to say on a first version
                String outcome = first ? "designer.published"
                        : inFlight.getValue() == Journeys.InFlight.MOVE ? "designer.published.moved" : "designer.published.stay";
                Notification notice = Notification.show(getTranslation(outcome, published.version().version(), published.moved()),
                        4000, Notification.Position.BOTTOM_START);
                notice.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            } catch (RuntimeException problem) {
                note.setInvalid(true);
                note.setErrorMessage(problem.getMessage());
            }
        });
        confirm.setId("publish-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(note, inFlight));
        dialog.getFooter().add(new Button(getTranslation("action.cancel"), e -> dialog.close()), confirm);
        dialog.open();
    }

    // ------------------------------------------------------------------ versions

    /** Each published version with its note; comparing one with the draft marks added, removed and changed nodes. */
    private void versions() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("designer.versions"));
        dialog.setWidth("640px");
        VerticalLayout list = new VerticalLayout();
        List<Journeys.Version> versions = journeys.versions(journey.key());
        if (versions.isEmpty()) {
            list.add(new Paragraph(getTranslation("designer.versions.none")));
        }
        for (Journeys.Version version : versions) {
            Button compare = new Button(getTranslation("designer.versions.compare"), e -> {
                dialog.close();
                compare(version);
            });
            compare.setId("compare-" + version.version());
            HorizontalLayout row = new HorizontalLayout(new Span("v" + version.version()),
                    new Span(Labels.time(version.publishedAt()) + " · " + version.publishedBy()),
                    new Span(version.note() == null ? "" : version.note()), compare);
            row.setAlignItems(FlexComponent.Alignment.BASELINE);
            list.add(row);
        }
        dialog.add(list);
        dialog.getFooter().add(new Button(getTranslation("action.close"), e -> dialog.close()));
        dialog.open();
    }

    private void compare(Journeys.Version version) {
        BpmnModelInstance published = repositoryService.getBpmnModelInstance(version.processDefinitionId());
        BpmnModelInstance draft = model();
        if (draft == null) {
            return;
        }
        Map<String, String> before = fingerprints(published);
        Map<String, String> after = fingerprints(draft);
        List<String> added = after.keySet().stream().filter(id -> !before.containsKey(id)).toList();
        List<String> removed = before.keySet().stream().filter(id -> !after.containsKey(id)).toList();
        List<String> changed = after.keySet().stream().filter(id -> before.containsKey(id) && !before.get(id).equals(after.get(id)))
                .toList();
        List<Map<String, String>> marks = new ArrayList<>();
        added.forEach(id -> marks.add(Map.of("id", id, "message", getTranslation("designer.diff.added"))));
        changed.forEach(id -> marks.add(Map.of("id", id, "message", getTranslation("designer.diff.changed"))));
        canvas.setProblems(marks);
        problemList.removeAll();
        problemList.add(new Div(new Span(getTranslation("designer.diff", version.version(), added.size(), removed.size(),
                changed.size()))));
        removed.forEach(id -> problemList.add(new Div(new Span("− " + nameIn(published, id)))));
        problemList.getElement().setAttribute("data-diff", added.size() + "/" + removed.size() + "/" + changed.size());
        problemList.setVisible(true);
    }

    /**
     * What a node is, for the diff: its type, name and settings, without what publishing adds (async flags, the
     * staff-task defaults) and without its position.
     */
    private static Map<String, String> fingerprints(BpmnModelInstance model) {
        Map<String, String> prints = new LinkedHashMap<>();
        for (FlowElement element : model.getModelElementsByType(FlowElement.class)) {
            prints.put(element.getId(), describe(element));
        }
        return prints;
    }

    private static String describe(FlowElement element) {
        StringBuilder text = new StringBuilder(element.getElementType().getTypeName()).append('|').append(element.getName());
        if (element instanceof SequenceFlow flow) {
            text.append('|').append(flow.getSource().getId()).append('>').append(flow.getTarget().getId()).append('|')
                    .append(flow.getConditionExpression() == null ? "" : flow.getConditionExpression().getTextContent());
        }
        element.getDomElement().getChildElements().forEach(child -> text.append('|').append(child.getLocalName()).append('=')
                .append(child.getTextContent() == null ? "" : child.getTextContent().trim()));
        if (element.getExtensionElements() != null) {
            element.getExtensionElements().getElementsQuery().filterByType(
                    org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties.class).list().forEach(group ->
                    group.getCamundaProperties().forEach(p -> text.append('|').append(p.getCamundaName()).append('=')
                            .append(p.getCamundaValue())));
        }
        return text.toString();
    }

    private static String nameIn(BpmnModelInstance model, String id) {
        FlowElement element = model.getModelElementById(id);
        return element == null || element.getName() == null ? id : element.getName() + " (" + id + ")";
    }

    // ------------------------------------------------------------------ live view

    private void toggleLive() {
        live = !live;
        UI.getCurrent().setPollInterval(live ? 2000 : -1);
        livePanel.setVisible(live);
        if (live) {
            buildLivePanel();
            refreshCounts();
        } else {
            canvas.setCounts(Map.of());
            canvas.highlight(List.of());
        }
        buildToolbar();
    }

    private void refreshCounts() {
        JourneyStats.VersionStats version = stats.of(journey.key(), journey.publishedVersion());
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        version.nodes().forEach((id, node) -> counts.put(id, Map.of("waiting", node.waiting(), "passed", node.passed(),
                "converted", node.converted())));
        canvas.setCounts(counts);
        livePanel.getElement().setAttribute("data-entered", Long.toString(version.totals().entered()));
        Span totals = new Span(getTranslation("designer.live.totals", version.totals().entered(), version.totals().active(),
                version.totals().converted()));
        totals.setId("live-totals");
        livePanel.getChildren().filter(c -> "live-totals".equals(c.getId().orElse(""))).findFirst().ifPresent(livePanel::remove);
        livePanel.addComponentAsFirst(totals);
        if (testInstance != null) {
            highlightPath(testInstance);
        }
    }

    private String testInstance;

    private void buildLivePanel() {
        livePanel.removeAll();
        livePanel.getStyle().set("padding", "0 var(--lumo-space-m)");
        TextField customer = new TextField();
        customer.setPlaceholder(getTranslation("designer.live.customerId"));
        customer.setId("test-customer");
        Button enrol = new Button(getTranslation("designer.live.enrol"), e -> {
            try {
                long id = Long.parseLong(customer.getValue().trim());
                Enrollments.Outcome outcome = enrollments.enroll(journey.key(), id, Enrollments.Source.API, Map.of());
                Notification.show(Labels.of(this, "designer.live.outcome", outcome), 4000, Notification.Position.BOTTOM_START);
                testInstance = enrollments.active(id).stream().filter(en -> en.journeyKey().equals(journey.key()))
                        .map(Enrollments.Enrollment::processInstanceId).findFirst().orElse(testInstance);
                refreshCounts();
            } catch (NumberFormatException bad) {
                customer.setInvalid(true);
                customer.setErrorMessage(getTranslation("designer.live.customerId.invalid"));
            } catch (RuntimeException problem) {
                error(problem.getMessage());
            }
        });
        enrol.setId("test-enrol");
        HorizontalLayout row = new HorizontalLayout(customer, enrol);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        Div customers = new Div();
        customers.setId("live-customers");
        livePanel.add(row, customers);
    }

    /** The customers waiting at a node now, each linked to their profile. */
    private void showCustomersAt(String elementId) {
        livePanel.getChildren().filter(c -> "live-customers".equals(c.getId().orElse(""))).findFirst().ifPresent(holder -> {
            Div customers = (Div) holder;
            customers.removeAll();
            Journeys.Version version = journeys.version(journey.key(), journey.publishedVersion()).orElse(null);
            if (version == null) {
                return;
            }
            List<HistoricActivityInstance> here = historyService.createHistoricActivityInstanceQuery()
                    .processDefinitionId(version.processDefinitionId()).activityId(elementId).unfinished().listPage(0, 50);
            customers.add(new Span(getTranslation("designer.live.here", here.size())));
            if (here.isEmpty()) {
                return;
            }
            // the customers are the instances' business keys, read in one query
            Set<String> instances = new LinkedHashSet<>();
            here.forEach(activity -> instances.add(activity.getProcessInstanceId()));
            for (var instance : historyService.createHistoricProcessInstanceQuery().processInstanceIds(instances).list()) {
                String businessKey = instance.getBusinessKey();
                if (businessKey != null && businessKey.matches("[0-9]{1,18}")) {
                    customers.add(new com.vaadin.flow.router.RouterLink("#" + businessKey,
                            io.pond.designer.views.customers.CustomerView.class, Long.parseLong(businessKey)));
                }
            }
        });
    }

    /** The test customer's path so far: the nodes they passed and the flows between them. */
    private void highlightPath(String processInstanceId) {
        Set<String> passed = new LinkedHashSet<>();
        historyService.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).list()
                .forEach(activity -> passed.add(activity.getActivityId()));
        BpmnModelInstance diagram = model();
        if (diagram != null) {
            for (SequenceFlow flow : diagram.getModelElementsByType(SequenceFlow.class)) {
                if (passed.contains(flow.getSource().getId()) && passed.contains(flow.getTarget().getId())) {
                    passed.add(flow.getId());
                }
            }
        }
        canvas.highlight(new ArrayList<>(passed));
    }

    void error(String message) {
        Notification.show(message, 8000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
}
