package io.pond.engine.journey;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.engine.event.PropertyCondition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * How Pond runs a journey's diagram: the transaction boundaries it needs are added when it is published, so a
 * diagram drawn anywhere (Pond's designer, Camunda Modeler) behaves the same. Entering runs the customer to their
 * first wait or step in the enrolment's transaction (cheap: timers, gateways); an event that reaches a waiting
 * customer only moves them on (what follows runs as a job); each connector step and each scripted decision is a
 * job of its own, so a failure there is retried or becomes an incident at that node, never lost.
 */
public final class JourneyModel {

    /** The camunda:property of a "wait for event" that holds its conditions on the event's properties (JSON). */
    public static final String WHEN = "pond.when";
    private static final String CONNECTOR = "${pondConnector}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JourneyModel() {
    }

    /** @param service the journey sends service messages (order notices): its steps are exempt from the marketing cap */
    static void prepare(BpmnModelInstance model, boolean service) {
        for (IntermediateCatchEvent wait : model.getModelElementsByType(IntermediateCatchEvent.class)) {
            if (wait.getEventDefinitions().stream().anyMatch(d -> d instanceof MessageEventDefinition)) {
                wait.setCamundaAsyncAfter(true);
                conditions(wait);
            }
        }
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            // a staff task is the customer's owner's, unless the diagram says whose it is
            if (task.getCamundaAssignee() == null && task.getCamundaCandidateUsers() == null
                    && task.getCamundaCandidateGroups() == null) {
                task.setCamundaAssignee("${pondStaff.assignee(execution)}");
                task.setCamundaCandidateGroups(StaffTasks.FALLBACK_GROUP);
            }
        }
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (CONNECTOR.equals(trim(task.getCamundaDelegateExpression()))) {
                task.setCamundaAsyncBefore(true);
                if (service && property(task, ElementTemplates.PURPOSE_PROPERTY) == null) {
                    addProperty(model, task, ElementTemplates.PURPOSE_PROPERTY, "SERVICE");
                }
            }
        }
        for (ExclusiveGateway gateway : model.getModelElementsByType(ExclusiveGateway.class)) {
            String split = property(gateway, JourneySplit.SPLIT);
            if (split != null) {
                JourneySplit.parse(split, gateway.getId());
            }
            // by sourceRef: a diagram need not list a node's outgoing flows
            if (model.getModelElementsByType(SequenceFlow.class).stream().filter(f -> f.getSource() == gateway)
                    .map(SequenceFlow::getConditionExpression).anyMatch(c -> c != null && c.getLanguage() != null)) {
                gateway.setCamundaAsyncBefore(true);
            }
        }
    }

    /**
     * The expressions Pond writes itself (the designer's blocks, rules, splits, outcomes, local times): data, not
     * code. Any other {@code ${…}} or {@code #{…}} that Camunda would evaluate is code.
     */
    private static final java.util.regex.Pattern POND_EXPRESSION = java.util.regex.Pattern.compile(
            "\\$\\{(pondConnector|pondStaff\\.assignee\\(execution\\)"
            + "|pondRule\\.matches\\(execution, *'[^']*'\\)"
            + "|pondSplit\\.is\\(execution, *'[^']*'\\)"
            + "|pondTime\\.next\\('[0-9]{2}:[0-9]{2}', *customerId\\)"
            + "|outcome *[!=]= *'[^'$#{}]*'"
            + "|dateTime\\(\\)\\.plus(Minutes|Hours|Days|Weeks)\\([0-9]{1,4}\\)\\.toDate\\(\\))}");
    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$\\{[a-zA-Z_][a-zA-Z0-9_]*}");
    /** Elements whose text Camunda evaluates. */
    private static final java.util.Set<String> EVALUATED_TEXT = java.util.Set.of("conditionExpression", "timeDuration", "timeDate",
            "timeCycle", "inputParameter", "outputParameter", "expression", "script", "completionCondition", "loopCardinality");

    /**
     * The nodes and paths of a diagram that run code: a condition in a script language, a script step or listener,
     * a Java class, or an expression Camunda evaluates that Pond did not write (in a condition, a timer, an assignee,
     * an input mapping…). Only developers and admins may publish them. Text Pond renders itself (message texts,
     * webhook bodies in {@code camunda:property} values) and names are never evaluated, so they are not code.
     */
    public static List<String> scripted(BpmnModelInstance model) {
        java.util.Set<String> scripted = new java.util.LinkedHashSet<>();
        for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
            if (flow.getConditionExpression() != null && flow.getConditionExpression().getLanguage() != null) {
                scripted.add(nameOf(flow));
            }
        }
        org.w3c.dom.Document document = io.pond.engine.xml.SafeXml.parse(org.camunda.bpm.model.bpmn.Bpmn.convertToString(model));
        code(document.getDocumentElement(), null, model, scripted);
        return List.copyOf(scripted);
    }

    private static void code(org.w3c.dom.Element element, String owner, BpmnModelInstance model, java.util.Set<String> scripted) {
        String id = element.getAttribute("id");
        if (!id.isEmpty() && model.getModelElementById(id) instanceof org.camunda.bpm.model.bpmn.instance.FlowElement flowElement) {
            owner = nameOf(flowElement);
        }
        String where = owner == null ? "the journey" : owner;
        String local = element.getLocalName();
        if ("scriptTask".equals(local) || "script".equals(local) && "http://camunda.org/schema/1.0/bpmn".equals(element.getNamespaceURI())) {
            scripted.add(where);
        }
        org.w3c.dom.NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            org.w3c.dom.Node attribute = attributes.item(i);
            if (!"http://camunda.org/schema/1.0/bpmn".equals(attribute.getNamespaceURI())) {
                continue;
            }
            String name = attribute.getLocalName();
            if ("class".equals(name) || "resource".equals(name) || code(attribute.getNodeValue())) {
                scripted.add(where);
            }
        }
        // in a text Camunda evaluates, a bare variable (a date the event brought: ${dueAt}) reads a value and runs nothing
        if (EVALUATED_TEXT.contains(local) && code(element.getTextContent())
                && !VARIABLE.matcher(element.getTextContent().trim()).matches()) {
            scripted.add(where);
        }
        for (org.w3c.dom.Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof org.w3c.dom.Element childElement) {
                code(childElement, owner, model, scripted);
            }
        }
    }

    /** Holds an expression Pond did not write. */
    static boolean code(String text) {
        if (text == null || !text.contains("${") && !text.contains("#{")) {
            return false;
        }
        return !POND_EXPRESSION.matcher(text.trim()).matches();
    }

    /** The camunda:property of an event sub-process that makes it the journey's goal or one of its exits. */
    public static final String ENDING = "pond.end";

    /**
     * The settings with the goal and exits drawn in the diagram (the designer's Goal and Exit blocks: an event
     * sub-process whose message start names the event type, marked {@code pond.end = goal | exit}). A drawn goal
     * replaces the goal of the settings; drawn exits add to theirs. The runtime ends the journey on them before any
     * wait sees the event, so the conversion is counted as for a goal set in the settings.
     */
    public static JourneySettings endings(BpmnModelInstance model, JourneySettings settings) {
        EventRule goal = settings.goal();
        List<EventRule> exits = new java.util.ArrayList<>(settings.exits());
        for (SubProcess sub : model.getModelElementsByType(SubProcess.class)) {
            String ending = property(sub, ENDING);
            if (!sub.triggeredByEvent() || ending == null) {
                continue;
            }
            for (StartEvent start : sub.getChildElementsByType(StartEvent.class)) {
                for (MessageEventDefinition message : start.getChildElementsByType(MessageEventDefinition.class)) {
                    if (message.getMessage() == null || message.getMessage().getName() == null) {
                        continue;
                    }
                    EventRule rule = new EventRule(message.getMessage().getName(), conditions(start));
                    if ("goal".equalsIgnoreCase(ending)) {
                        goal = rule;
                    } else if (!exits.contains(rule)) {
                        exits.add(rule);
                    }
                }
            }
        }
        return new JourneySettings(settings.entry(), settings.reentry(), settings.reentryDays(), goal, exits, settings.service(),
                settings.sop());
    }

    /** The conditions a "wait for event" puts on the event's properties; none when it waits for any such event. */
    public static List<PropertyCondition> conditions(BaseElement wait) {
        String text = property(wait, WHEN);
        if (text == null || text.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(text, new TypeReference<List<PropertyCondition>>() { }));
        } catch (Exception e) {
            throw new IllegalArgumentException("The wait " + wait.getId() + " has unreadable event conditions (" + WHEN + "): "
                    + rootMessage(e));
        }
    }

    private static void addProperty(BpmnModelInstance model, BaseElement element, String name, String value) {
        ExtensionElements extensions = element.getExtensionElements();
        if (extensions == null) {
            extensions = model.newInstance(ExtensionElements.class);
            element.setExtensionElements(extensions);
        }
        CamundaProperties group = extensions.getElementsQuery().filterByType(CamundaProperties.class).list().stream()
                .findFirst().orElse(null);
        if (group == null) {
            group = model.newInstance(CamundaProperties.class);
            extensions.addChildElement(group);
        }
        CamundaProperty property = model.newInstance(CamundaProperty.class);
        property.setCamundaName(name);
        property.setCamundaValue(value);
        group.addChildElement(property);
    }

    /** How messages name a node: its name and id, or its id. */
    public static String nameOf(org.camunda.bpm.model.bpmn.instance.FlowElement element) {
        return element.getName() == null || element.getName().isBlank() ? element.getId()
                : element.getName() + " (" + element.getId() + ")";
    }

    /** The value of a {@code camunda:property} of the element, or null. */
    public static String property(BaseElement element, String name) {
        ExtensionElements extensions = element.getExtensionElements();
        if (extensions == null) {
            return null;
        }
        List<CamundaProperty> found = new ArrayList<>();
        extensions.getElementsQuery().filterByType(CamundaProperties.class).list()
                .forEach(group -> group.getCamundaProperties().stream().filter(p -> name.equals(p.getCamundaName()))
                        .forEach(found::add));
        return found.isEmpty() ? null : found.get(0).getCamundaValue();
    }

    static String trim(String text) {
        return text == null ? null : text.trim();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
