package io.pond.designer.views.journeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.timepicker.TimePicker;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.pond.connectors.spi.ConnectorDescriptor;
import io.pond.connectors.spi.ConnectorInputs;
import io.pond.connectors.spi.ElementTemplates;
import io.pond.connectors.spi.InputProblem;
import io.pond.connectors.spi.InputType;
import io.pond.connectors.spi.TemplateText;
import io.pond.designer.security.CurrentUser;
import io.pond.designer.views.Labels;
import io.pond.engine.connector.ConnectorRegistry;
import io.pond.engine.connector.ConnectorStep;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.event.PropertyCondition;
import io.pond.engine.identity.Permission;
import io.pond.engine.journey.EventRule;
import io.pond.engine.journey.JourneyModel;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.JourneySplit;
import io.pond.engine.journey.Journeys;
import io.pond.engine.script.SandboxedScripting;
import io.pond.engine.script.ScriptProblem;
import io.pond.engine.script.ScriptSandbox;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;

/**
 * The properties of what is selected, as Vaadin fields generated from the same declarations the runtime validates
 * with (connector inputs, timers, event conditions, split percentages); errors show as you type. Every change goes
 * to the canvas as one undoable edit, and from there back as the saved draft.
 */
class PropertiesPanel extends VerticalLayout {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIMPLE_DURATION = Pattern.compile("P(?:T(\\d+)([MH])|(\\d+)D)");
    private static final Pattern NEXT_LOCAL = Pattern.compile("\\$\\{pondTime\\.next\\('(\\d{2}:\\d{2})'.*");
    private static final Pattern SPLIT_FLOW = Pattern.compile("\\$\\{pondSplit\\.is\\(execution, '([^']*)'\\)}");
    private static final Pattern RULE = Pattern.compile("\\$\\{pondRule\\.matches\\(execution, '(.*)'\\)}", Pattern.DOTALL);

    private final ConnectorRegistry registry;
    private final ConnectorStep connectorStep;
    private final SandboxedScripting scripting;
    private final ScriptSandbox sandbox;
    private final CustomerTags tags;
    private final Segments segments;
    private final CurrentUser user;

    private JourneyDesignerView view;
    private boolean editable;
    private String selected;
    private boolean waitingForElement;

    PropertiesPanel(ConnectorRegistry registry, ConnectorStep connectorStep, SandboxedScripting scripting, ScriptSandbox sandbox,
            CustomerTags tags, Segments segments, CurrentUser user) {
        this.registry = registry;
        this.connectorStep = connectorStep;
        this.scripting = scripting;
        this.sandbox = sandbox;
        this.tags = tags;
        this.segments = segments;
        this.user = user;
        setId("properties");
        setHeightFull();
        getStyle().set("overflow", "auto").set("border-left", "1px solid var(--lumo-contrast-10pct)");
    }

    void bind(JourneyDesignerView view, Journeys.Journey journey, boolean editable) {
        this.view = view;
        this.editable = editable;
    }

    /** A node created on the canvas reaches the server with the next diagram: show it then. */
    void diagramChanged() {
        if (waitingForElement) {
            show(selected);
        }
    }

    void show(String elementId) {
        removeAll();
        selected = elementId;
        waitingForElement = false;
        BpmnModelInstance model = view.model();
        if (elementId == null || model == null) {
            settings();
            return;
        }
        BaseElement element = model.getModelElementById(elementId);
        if (element == null) {
            waitingForElement = true;
            return;
        }
        boolean startsAnEnding = element instanceof StartEvent
                && element.getParentElement() instanceof org.camunda.bpm.model.bpmn.instance.SubProcess sub && sub.triggeredByEvent();
        add(new H4(getTranslation(startsAnEnding ? "properties.type.endingStart"
                : "properties.type." + element.getElementType().getTypeName())));
        Span id = new Span(elementId);
        id.getStyle().set("font-family", "monospace").set("font-size", "var(--lumo-font-size-xs)");
        add(id);
        if (element instanceof FlowElement flowElement) {
            TextField name = text("prop-name", getTranslation("properties.name"), flowElement.getName());
            name.addValueChangeListener(e -> change(Map.of("name", e.getValue())));
            add(name);
        }
        boolean inEventSubProcess = element.getParentElement() instanceof org.camunda.bpm.model.bpmn.instance.SubProcess parent
                && parent.triggeredByEvent();
        if (element instanceof StartEvent && !inEventSubProcess) {
            add(new Paragraph(getTranslation("properties.entry.help")));
            settings();
        } else if (element instanceof org.camunda.bpm.model.bpmn.instance.SubProcess sub && sub.triggeredByEvent()) {
            Select<String> ending = new Select<>();
            ending.setId("ending-kind");
            ending.setLabel(getTranslation("properties.ending"));
            ending.setItems("goal", "exit");
            ending.setItemLabelGenerator(kind -> getTranslation("properties.ending." + kind));
            ending.setValue("exit".equals(JourneyModel.property(sub, JourneyModel.ENDING)) ? "exit" : "goal");
            ending.addValueChangeListener(e -> {
                if (e.isFromClient()) {
                    change(Map.of("properties", properties(JourneyModel.ENDING, e.getValue())));
                }
            });
            add(ending, new Paragraph(getTranslation("properties.ending.help")));
        } else if (element instanceof CatchEvent event) {
            event.getEventDefinitions().stream().filter(d -> d instanceof TimerEventDefinition).findFirst()
                    .ifPresent(timer -> timer((TimerEventDefinition) timer));
            event.getEventDefinitions().stream().filter(d -> d instanceof MessageEventDefinition).findFirst()
                    .ifPresent(message -> eventWait(event, (MessageEventDefinition) message));
        } else if (element instanceof ExclusiveGateway gateway) {
            if (JourneyModel.property(gateway, JourneySplit.SPLIT) != null) {
                split(model, gateway);
            } else {
                add(new Paragraph(getTranslation("properties.gateway.help")));
                for (SequenceFlow flow : outgoing(model, gateway)) {
                    Button open = new Button(label(flow.getTarget()) + (gateway.getDefault() == flow ? " · "
                            + getTranslation("properties.condition.default") : ""), e -> view.canvas().select(flow.getId()));
                    open.setId("gateway-flow-" + flow.getId());
                    add(open);
                }
            }
        } else if (element instanceof SequenceFlow flow && flow.getSource() instanceof ExclusiveGateway gateway
                && JourneyModel.property(gateway, JourneySplit.SPLIT) == null) {
            condition(model, gateway, flow);
        } else if (element instanceof ServiceTask task
                && task.getCamundaDelegateExpression() != null
                && ElementTemplates.DELEGATE.equals(task.getCamundaDelegateExpression().trim())) {
            connector(task);
        } else if (element instanceof UserTask task) {
            TextField outcomes = text("task-outcomes", getTranslation("properties.task.outcomes"),
                    JourneyModel.property(task, "pond.outcomes"));
            outcomes.setHelperText(getTranslation("properties.task.outcomes.help"));
            outcomes.addValueChangeListener(e -> change(Map.of("properties", properties("pond.outcomes", e.getValue()))));
            add(outcomes);
        }
        getChildren().forEach(this::lockIfReadOnly);
    }

    // ------------------------------------------------------------------ journey settings (the entry)

    private void settings() {
        Journeys.Journey journey = view.journey();
        JourneySettings current = journey.settings();
        add(new H4(getTranslation("properties.journey")));
        TextField name = text("settings-name", getTranslation("journeys.name"), journey.name());
        TextArea description = new TextArea(getTranslation("properties.description"));
        description.setValue(journey.description() == null ? "" : journey.description());
        description.setWidthFull();
        Select<JourneySettings.EntryType> entry = new Select<>();
        entry.setId("settings-entry");
        entry.setLabel(getTranslation("properties.entry"));
        entry.setItems(JourneySettings.EntryType.values());
        entry.setItemLabelGenerator(type -> Labels.of(this, "properties.entry", type));
        entry.setValue(current.entry().type());
        TextField entryEvent = text("settings-entry-event", getTranslation("properties.entry.event"),
                current.entry().event() == null ? "" : current.entry().event().eventType());
        ConditionFields entryCondition = new ConditionFields("settings-entry",
                current.entry().event() == null || current.entry().event().conditions().isEmpty() ? null
                        : current.entry().event().conditions().get(0));
        ComboBox<Segments.Segment> segment = new ComboBox<>(getTranslation("properties.entry.segment"));
        segment.setId("settings-entry-segment");
        segment.setItems(segments.list());
        segment.setItemLabelGenerator(Segments.Segment::name);
        if (current.entry().segmentId() != null) {
            segments.find(current.entry().segmentId()).ifPresent(segment::setValue);
        }
        Runnable entryShown = () -> {
            entryEvent.setVisible(entry.getValue() == JourneySettings.EntryType.EVENT);
            entryCondition.setVisible(entry.getValue() == JourneySettings.EntryType.EVENT);
            segment.setVisible(entry.getValue() == JourneySettings.EntryType.SEGMENT);
        };
        entry.addValueChangeListener(e -> entryShown.run());
        entryShown.run();
        Select<JourneySettings.Reentry> reentry = new Select<>();
        reentry.setId("settings-reentry");
        reentry.setLabel(getTranslation("properties.reentry"));
        reentry.setItems(JourneySettings.Reentry.values());
        reentry.setItemLabelGenerator(type -> Labels.of(this, "properties.reentry", type));
        reentry.setValue(current.reentry());
        IntegerField days = new IntegerField(getTranslation("properties.reentry.days"));
        days.setId("settings-reentry-days");
        days.setMin(1);
        days.setValue(current.reentryDays());
        days.setVisible(current.reentry() == JourneySettings.Reentry.AFTER_DAYS);
        reentry.addValueChangeListener(e -> days.setVisible(e.getValue() == JourneySettings.Reentry.AFTER_DAYS));
        TextField goal = text("settings-goal", getTranslation("properties.goal"), current.goal() == null ? "" : current.goal().eventType());
        goal.setHelperText(getTranslation("properties.goal.help"));
        TextField exits = text("settings-exits", getTranslation("properties.exits"),
                current.exits().stream().map(EventRule::eventType).collect(Collectors.joining(", ")));
        exits.setHelperText(getTranslation("properties.exits.help"));
        Checkbox service = new Checkbox(getTranslation("properties.service"), current.service());
        service.setId("settings-service");
        Span problem = new Span();
        problem.setId("settings-problem");
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        Button save = new Button(getTranslation("action.save"), e -> {
            try {
                JourneySettings.Entry newEntry = switch (entry.getValue()) {
                    case API -> JourneySettings.Entry.api();
                    case EVENT -> new JourneySettings.Entry(JourneySettings.EntryType.EVENT, new EventRule(entryEvent.getValue(),
                            entryCondition.condition() == null ? List.of() : List.of(entryCondition.condition())), null);
                    case SEGMENT -> new JourneySettings.Entry(JourneySettings.EntryType.SEGMENT, null,
                            segment.getValue() == null ? null : segment.getValue().id());
                };
                List<EventRule> exitRules = Arrays.stream(exits.getValue().split("[,，\\s]+")).filter(s -> !s.isBlank())
                        .map(type -> new EventRule(type, List.of())).toList();
                JourneySettings settings = new JourneySettings(newEntry, reentry.getValue(), days.getValue(),
                        goal.getValue().isBlank() ? null : new EventRule(goal.getValue(), List.of()), exitRules, service.getValue(),
                        current.sop());
                view.saveSettings(name.getValue(), description.getValue(), settings);
                problem.setText("");
            } catch (IllegalArgumentException invalid) {
                problem.setText(invalid.getMessage());
            }
        });
        save.setId("settings-save");
        save.setEnabled(editable);
        add(name, description, entry, entryEvent, entryCondition, segment, reentry, days, goal, exits, service, problem, save);
    }

    // ------------------------------------------------------------------ waits

    private enum TimerKind { DURATION, DATE, NEXT_LOCAL, EXPRESSION }

    private void timer(TimerEventDefinition timer) {
        String duration = textOf(timer.getTimeDuration());
        String date = textOf(timer.getTimeDate());
        Select<TimerKind> kind = new Select<>();
        kind.setId("timer-kind");
        kind.setLabel(getTranslation("properties.timer"));
        // a free expression is code (only developers and admins publish it); the others are data
        boolean hasExpression = duration != null && !SIMPLE_DURATION.matcher(duration).matches()
                || date != null && date.contains("${") && !NEXT_LOCAL.matcher(date).matches();
        kind.setItems(user.can(Permission.WRITE_SCRIPTS) || hasExpression ? List.of(TimerKind.values())
                : List.of(TimerKind.DURATION, TimerKind.DATE, TimerKind.NEXT_LOCAL));
        kind.setItemLabelGenerator(k -> Labels.of(this, "properties.timer", k));
        IntegerField amount = new IntegerField(getTranslation("properties.timer.amount"));
        amount.setId("timer-amount");
        amount.setMin(1);
        amount.setStepButtonsVisible(true);
        amount.setValueChangeMode(ValueChangeMode.LAZY);
        amount.setWidth("9em");
        Select<String> unit = new Select<>();
        unit.setId("timer-unit");
        unit.setLabel(getTranslation("properties.timer.unit"));
        unit.setItems("M", "H", "D");
        unit.setItemLabelGenerator(u -> getTranslation("properties.timer.unit." + u));
        unit.setWidth("9em");
        DateTimePicker until = new DateTimePicker(getTranslation("properties.timer.date"));
        until.setId("timer-date");
        TimePicker at = new TimePicker(getTranslation("properties.timer.time"));
        at.setId("timer-time");
        TextField expression = text("timer-expression", getTranslation("properties.timer.expression"), "");
        Matcher simple = duration == null ? null : SIMPLE_DURATION.matcher(duration);
        Matcher nextLocal = date == null ? null : NEXT_LOCAL.matcher(date);
        if (simple != null && simple.matches()) {
            kind.setValue(TimerKind.DURATION);
            amount.setValue(Integer.parseInt(simple.group(1) != null ? simple.group(1) : simple.group(3)));
            unit.setValue(simple.group(1) != null ? simple.group(2) : "D");
        } else if (nextLocal != null && nextLocal.matches()) {
            kind.setValue(TimerKind.NEXT_LOCAL);
            at.setValue(java.time.LocalTime.parse(nextLocal.group(1)));
        } else if (date != null && !date.contains("${")) {
            kind.setValue(TimerKind.DATE);
            try {
                until.setValue(java.time.OffsetDateTime.parse(date).atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime());
            } catch (RuntimeException e) {
                until.setValue(null);
            }
        } else {
            kind.setValue(duration == null && date == null ? TimerKind.DURATION : TimerKind.EXPRESSION);
            expression.setValue(duration != null ? duration : date != null ? date : "");
            if (duration == null && date == null) {
                unit.setValue("H");
            }
        }
        Runnable shown = () -> {
            amount.setVisible(kind.getValue() == TimerKind.DURATION);
            unit.setVisible(kind.getValue() == TimerKind.DURATION);
            until.setVisible(kind.getValue() == TimerKind.DATE);
            at.setVisible(kind.getValue() == TimerKind.NEXT_LOCAL);
            expression.setVisible(kind.getValue() == TimerKind.EXPRESSION);
        };
        Runnable apply = () -> {
            Map<String, String> timerChange = switch (kind.getValue()) {
                case DURATION -> amount.getValue() == null || amount.getValue() < 1 || unit.getValue() == null ? null
                        : Map.of("kind", "timeDuration", "value", ("D".equals(unit.getValue()) ? "P" + amount.getValue() + "D"
                                : "PT" + amount.getValue() + unit.getValue()));
                case DATE -> until.getValue() == null ? null : Map.of("kind", "timeDate", "value",
                        until.getValue().atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime().toString());
                case NEXT_LOCAL -> at.getValue() == null ? null : Map.of("kind", "timeDate", "value",
                        "${pondTime.next('" + at.getValue().toString().substring(0, 5) + "', customerId)}");
                case EXPRESSION -> expression.getValue().isBlank() ? null : Map.of("kind", expression.getValue().startsWith("P")
                        ? "timeDuration" : "timeDate", "value", expression.getValue().trim());
            };
            amount.setInvalid(kind.getValue() == TimerKind.DURATION && timerChange == null);
            amount.setErrorMessage(getTranslation("properties.timer.invalid"));
            if (timerChange != null) {
                change(Map.of("timer", timerChange));
            }
        };
        kind.addValueChangeListener(e -> {
            shown.run();
            if (e.isFromClient()) {
                apply.run();
            }
        });
        amount.addValueChangeListener(e -> apply.run());
        unit.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                apply.run();
            }
        });
        until.addValueChangeListener(e -> apply.run());
        at.addValueChangeListener(e -> apply.run());
        expression.addValueChangeListener(e -> apply.run());
        shown.run();
        add(kind, new HorizontalLayout(amount, unit), until, at, expression);
    }

    private void eventWait(CatchEvent event, MessageEventDefinition message) {
        TextField type = text("event-type", getTranslation("properties.event.type"),
                message.getMessage() == null ? "" : message.getMessage().getName());
        type.setHelperText(getTranslation("properties.event.type.help"));
        type.addValueChangeListener(e -> {
            try {
                new EventRule(e.getValue(), List.of());
                type.setInvalid(false);
                change(Map.of("message", e.getValue().trim()));
            } catch (IllegalArgumentException invalid) {
                type.setInvalid(true);
                type.setErrorMessage(invalid.getMessage());
            }
        });
        List<PropertyCondition> conditions = JourneyModel.conditions(event);
        ConditionFields when = new ConditionFields("event", conditions.isEmpty() ? null : conditions.get(0));
        when.onChange(condition -> change(Map.of("properties", properties(JourneyModel.WHEN,
                condition == null ? null : write(List.of(condition))))));
        add(type, when);
    }

    /** One condition on an event's properties (property, operator, value), or none. */
    private final class ConditionFields extends HorizontalLayout {
        private final TextField property;
        private final Select<PropertyCondition.Operator> operator = new Select<>();
        private final TextField value;

        ConditionFields(String idPrefix, PropertyCondition current) {
            property = text(idPrefix + "-property", getTranslation("properties.event.property"), current == null ? "" : current.property());
            operator.setId(idPrefix + "-operator");
            operator.setLabel(getTranslation("properties.event.operator"));
            operator.setItems(PropertyCondition.Operator.values());
            operator.setItemLabelGenerator(o -> Labels.of(PropertiesPanel.this, "properties.operator", o));
            operator.setValue(current == null ? PropertyCondition.Operator.EQUALS : current.operator());
            value = text(idPrefix + "-value", getTranslation("properties.event.value"), current == null ? "" : current.value());
            property.setWidth("8em");
            operator.setWidth("7em");
            value.setWidth("8em");
            add(property, operator, value);
            setAlignItems(FlexComponent.Alignment.BASELINE);
        }

        PropertyCondition condition() {
            if (property.getValue().isBlank()) {
                return null;
            }
            return new PropertyCondition(property.getValue().trim(), operator.getValue(), value.getValue());
        }

        void onChange(Consumer<PropertyCondition> listener) {
            Runnable fire = () -> {
                try {
                    listener.accept(condition());
                    value.setInvalid(false);
                } catch (IllegalArgumentException invalid) {
                    value.setInvalid(true);
                    value.setErrorMessage(invalid.getMessage());
                }
            };
            property.addValueChangeListener(e -> fire.run());
            operator.addValueChangeListener(e -> {
                if (e.isFromClient()) {
                    fire.run();
                }
            });
            value.addValueChangeListener(e -> fire.run());
        }
    }

    // ------------------------------------------------------------------ conditions

    private enum RuleKind { TAG, ATTRIBUTE, SEGMENT, EVENT }

    private void condition(BpmnModelInstance model, ExclusiveGateway gateway, SequenceFlow flow) {
        String body = flow.getConditionExpression() == null ? "" : flow.getConditionExpression().getTextContent().trim();
        boolean script = flow.getConditionExpression() != null && "groovy".equalsIgnoreCase(flow.getConditionExpression().getLanguage());
        add(new Paragraph(getTranslation("properties.condition.help", label(gateway), label(flow.getTarget()))));
        Checkbox isDefault = new Checkbox(getTranslation("properties.condition.default"), gateway.getDefault() == flow);
        isDefault.setId("condition-default");
        Span currentText = new Span(body.isEmpty() ? getTranslation("properties.condition.none") : describe(body, script));
        currentText.setId("condition-current");
        currentText.getStyle().set("font-size", "var(--lumo-font-size-s)");
        boolean scriptsAllowed = user.can(Permission.WRITE_SCRIPTS);
        RadioButtonGroup<String> mode = new RadioButtonGroup<>(getTranslation("properties.condition.mode"));
        mode.setId("condition-mode");
        mode.setItems(scriptsAllowed || script ? List.of("rule", "script") : List.of("rule"));
        mode.setItemLabelGenerator(m -> getTranslation("properties.condition.mode." + m));
        mode.setValue(script ? "script" : "rule");
        VerticalLayout ruleFields = ruleBuilder(flow, currentText);
        VerticalLayout scriptFields = scriptEditor(flow, body, script, scriptsAllowed, currentText);
        Runnable shown = () -> {
            boolean none = isDefault.getValue();
            mode.setVisible(!none);
            ruleFields.setVisible(!none && "rule".equals(mode.getValue()));
            scriptFields.setVisible(!none && "script".equals(mode.getValue()));
        };
        mode.addValueChangeListener(e -> shown.run());
        isDefault.addValueChangeListener(e -> {
            if (!e.isFromClient()) {
                return;
            }
            if (e.getValue()) {
                view.canvas().setProperties(flow.getId(), Changes.condition(null));
                view.canvas().setProperties(gateway.getId(), Changes.defaultFlow(flow.getId()));
                currentText.setText(getTranslation("properties.condition.default"));
            } else {
                view.canvas().setProperties(gateway.getId(), Changes.defaultFlow(null));
                currentText.setText(getTranslation("properties.condition.none"));
            }
            shown.run();
        });
        shown.run();
        add(isDefault, currentText, mode, ruleFields, scriptFields);
    }

    private String describe(String body, boolean script) {
        Matcher rule = RULE.matcher(body);
        if (!script && rule.matches()) {
            return getTranslation("properties.condition.rule", rule.group(1));
        }
        return body;
    }

    /** Attribute, tag, segment membership or event count: compiled to one query, never to code. */
    private VerticalLayout ruleBuilder(SequenceFlow flow, Span currentText) {
        Select<RuleKind> kind = new Select<>();
        kind.setId("rule-kind");
        kind.setLabel(getTranslation("properties.rule.kind"));
        kind.setItems(RuleKind.values());
        kind.setItemLabelGenerator(k -> Labels.of(this, "properties.rule", k));
        kind.setValue(RuleKind.TAG);
        ComboBox<CustomerTags.Tag> tag = new ComboBox<>(getTranslation("properties.rule.tag"));
        tag.setId("rule-tag");
        tag.setItems(tags.tags());
        tag.setItemLabelGenerator(CustomerTags.Tag::label);
        TextField attribute = text("rule-attribute", getTranslation("properties.rule.attribute"), "");
        Select<SegmentCondition.Operator> operator = new Select<>();
        operator.setId("rule-operator");
        operator.setLabel(getTranslation("properties.event.operator"));
        operator.setItems(SegmentCondition.Operator.EQUALS, SegmentCondition.Operator.NOT_EQUALS,
                SegmentCondition.Operator.GREATER_THAN, SegmentCondition.Operator.LESS_THAN, SegmentCondition.Operator.CONTAINS);
        operator.setValue(SegmentCondition.Operator.EQUALS);
        TextField value = text("rule-value", getTranslation("properties.event.value"), "");
        ComboBox<Segments.Segment> segment = new ComboBox<>(getTranslation("properties.entry.segment"));
        segment.setId("rule-segment");
        segment.setItems(segments.list());
        segment.setItemLabelGenerator(Segments.Segment::name);
        TextField eventType = text("rule-event", getTranslation("properties.event.type"), "");
        IntegerField times = new IntegerField(getTranslation("properties.rule.times"));
        times.setId("rule-times");
        times.setMin(1);
        times.setValue(1);
        IntegerField withinDays = new IntegerField(getTranslation("properties.rule.withinDays"));
        withinDays.setId("rule-within-days");
        withinDays.setMin(1);
        Span problem = new Span();
        problem.setId("rule-problem");
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        Runnable shown = () -> {
            tag.setVisible(kind.getValue() == RuleKind.TAG);
            attribute.setVisible(kind.getValue() == RuleKind.ATTRIBUTE);
            operator.setVisible(kind.getValue() == RuleKind.ATTRIBUTE);
            value.setVisible(kind.getValue() == RuleKind.ATTRIBUTE);
            segment.setVisible(kind.getValue() == RuleKind.SEGMENT);
            eventType.setVisible(kind.getValue() == RuleKind.EVENT);
            times.setVisible(kind.getValue() == RuleKind.EVENT);
            withinDays.setVisible(kind.getValue() == RuleKind.EVENT);
        };
        kind.addValueChangeListener(e -> shown.run());
        shown.run();
        Button apply = new Button(getTranslation("properties.rule.apply"), e -> {
            try {
                SegmentCondition condition = switch (kind.getValue()) {
                    case TAG -> new SegmentCondition.HasTag(require(tag.getValue()).id());
                    case ATTRIBUTE -> new SegmentCondition.AttributeIs(attribute.getValue().trim(), operator.getValue(),
                            List.of(value.getValue()));
                    case SEGMENT -> new SegmentCondition.InSegment(require(segment.getValue()).id());
                    case EVENT -> new SegmentCondition.DidEvent(new EventRule(eventType.getValue(), List.of()).eventType(),
                            SegmentCondition.DidEvent.Count.AT_LEAST, times.getValue() == null ? 1 : times.getValue(),
                            withinDays.getValue(), null);
                };
                segments.compile(condition);
                String written = segments.write(condition);
                if (written.contains("'")) {
                    throw new IllegalArgumentException(getTranslation("properties.rule.quote"));
                }
                String expression = "${pondRule.matches(execution, '" + written + "')}";
                view.canvas().setProperties(flow.getId(), Changes.condition(Map.of("body", expression)));
                currentText.setText(describe(expression, false));
                problem.setText("");
            } catch (RuntimeException invalid) {
                problem.setText(invalid.getMessage() == null ? invalid.toString() : invalid.getMessage());
            }
        });
        apply.setId("rule-apply");
        apply.setEnabled(editable);
        VerticalLayout fields = new VerticalLayout(kind, tag, attribute, operator, value, segment, eventType, times, withinDays,
                problem, apply);
        fields.setPadding(false);
        return fields;
    }

    private static <T> T require(T value) {
        if (value == null) {
            throw new IllegalArgumentException("Choose one first / 请先选择");
        }
        return value;
    }

    /** Groovy for developers and admins: checked by the sandbox as you type, tried against a customer on demand. */
    private VerticalLayout scriptEditor(SequenceFlow flow, String body, boolean script, boolean allowed, Span currentText) {
        CodeEditor source = new CodeEditor();
        source.setId("condition-script");
        source.setWidthFull();
        source.setValue(script ? body : "");
        source.setReadOnly(!allowed || !editable);
        Span check = new Span(getTranslation("properties.script.help"));
        check.setId("script-check");
        check.getStyle().set("font-size", "var(--lumo-font-size-s)");
        source.addValueChangeListener(e -> {
            // kept even when refused (nothing typed is lost); validation marks it and publishing refuses it
            view.canvas().setProperties(flow.getId(), Changes.condition(Map.of("body", e.getValue(), "language", "groovy")));
            currentText.setText(e.getValue());
            try {
                sandbox.check(e.getValue());
                check.setText(getTranslation("properties.script.ok"));
                check.getStyle().set("color", "var(--lumo-success-text-color)");
            } catch (ScriptProblem problem) {
                check.setText(problem.getMessage());
                check.getStyle().set("color", "var(--lumo-error-text-color)");
            }
        });
        TextField customer = text("script-customer", getTranslation("properties.script.customer"), "");
        customer.setWidth("10em");
        Span result = new Span();
        result.setId("script-result");
        Button test = new Button(getTranslation("properties.script.test"), e -> {
            try {
                Object value = scripting.test(source.getValue(), Long.parseLong(customer.getValue().trim()), Map.of());
                result.setText(getTranslation("properties.script.result", String.valueOf(value)));
                result.getStyle().set("color", "var(--lumo-success-text-color)");
            } catch (NumberFormatException bad) {
                result.setText(getTranslation("designer.live.customerId.invalid"));
                result.getStyle().set("color", "var(--lumo-error-text-color)");
            } catch (ScriptProblem problem) {
                result.setText(problem.getMessage());
                result.getStyle().set("color", "var(--lumo-error-text-color)");
            }
        });
        test.setId("script-test");
        HorizontalLayout testRow = new HorizontalLayout(customer, test);
        testRow.setAlignItems(FlexComponent.Alignment.BASELINE);
        VerticalLayout fields = new VerticalLayout(new Span(getTranslation("properties.script")), source, check, testRow, result);
        if (!allowed) {
            fields.addComponentAtIndex(0, new Paragraph(getTranslation("properties.script.notAllowed")));
        }
        fields.setPadding(false);
        return fields;
    }

    // ------------------------------------------------------------------ A/B split

    private void split(BpmnModelInstance model, ExclusiveGateway gateway) {
        List<Map<String, Object>> variants;
        try {
            variants = JSON.readValue(JourneyModel.property(gateway, JourneySplit.SPLIT), new TypeReference<List<Map<String, Object>>>() { });
        } catch (Exception e) {
            variants = new ArrayList<>();
        }
        List<Map<String, Object>> rows = new ArrayList<>(variants);
        VerticalLayout list = new VerticalLayout();
        list.setPadding(false);
        Span sum = new Span();
        sum.setId("split-sum");
        List<SequenceFlow> out = outgoing(model, gateway);
        VerticalLayout flows = new VerticalLayout();
        flows.setPadding(false);
        Runnable[] render = new Runnable[1];
        Runnable write = () -> {
            int total = rows.stream().mapToInt(r -> ((Number) r.getOrDefault("percent", 0)).intValue()).sum();
            sum.setText(getTranslation("properties.split.sum", total));
            sum.getStyle().set("color", total == 100 ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)");
            change(Map.of("properties", properties(JourneySplit.SPLIT, write(rows))));
        };
        render[0] = () -> {
            list.removeAll();
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = rows.get(i);
                TextField variant = text("split-variant-" + i, getTranslation("properties.split.variant"), String.valueOf(row.get("variant")));
                variant.setWidth("6em");
                IntegerField percent = new IntegerField(getTranslation("properties.split.percent"));
                percent.setId("split-percent-" + i);
                percent.setWidth("7em");
                percent.setMin(0);
                percent.setMax(100);
                percent.setValue(((Number) row.getOrDefault("percent", 0)).intValue());
                percent.setValueChangeMode(ValueChangeMode.EAGER);
                variant.addValueChangeListener(e -> {
                    row.put("variant", e.getValue().trim());
                    write.run();
                });
                percent.addValueChangeListener(e -> {
                    row.put("percent", e.getValue() == null ? 0 : e.getValue());
                    write.run();
                });
                Button remove = new Button("−", e -> {
                    rows.remove(row);
                    write.run();
                    render[0].run();
                });
                HorizontalLayout line = new HorizontalLayout(variant, percent, remove);
                line.setAlignItems(FlexComponent.Alignment.BASELINE);
                list.add(line);
            }
            int total = rows.stream().mapToInt(r -> ((Number) r.getOrDefault("percent", 0)).intValue()).sum();
            sum.setText(getTranslation("properties.split.sum", total));
            sum.getStyle().set("color", total == 100 ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)");
            flows.removeAll();
            for (SequenceFlow flow : out) {
                Select<String> variant = new Select<>();
                variant.setId("split-flow-" + flow.getId());
                variant.setLabel(getTranslation("properties.split.flow", label(flow.getTarget())));
                variant.setItems(rows.stream().map(r -> String.valueOf(r.get("variant"))).toList());
                Matcher current = flow.getConditionExpression() == null ? null
                        : SPLIT_FLOW.matcher(flow.getConditionExpression().getTextContent().trim());
                if (current != null && current.matches() && rows.stream().anyMatch(r -> current.group(1).equals(r.get("variant")))) {
                    variant.setValue(current.group(1));
                }
                variant.addValueChangeListener(e -> {
                    if (e.getValue() != null) {
                        view.canvas().setProperties(flow.getId(), Changes.condition(Map.of("body",
                                "${pondSplit.is(execution, '" + e.getValue() + "')}")));
                    }
                });
                flows.add(variant);
            }
        };
        render[0].run();
        Button addVariant = new Button(getTranslation("properties.split.add"), e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", String.valueOf((char) ('A' + rows.size())));
            row.put("percent", 0);
            rows.add(row);
            write.run();
            render[0].run();
        });
        addVariant.setId("split-add");
        add(new Paragraph(getTranslation("properties.split.help")), list, sum, addVariant, flows);
    }

    // ------------------------------------------------------------------ connector steps

    private void connector(ServiceTask task) {
        String key = JourneyModel.property(task, ElementTemplates.CONNECTOR_PROPERTY);
        ConnectorDescriptor connector = key == null ? null
                : registry.find(key.trim()).map(ConnectorRegistry.Registered::descriptor).orElse(null);
        if (connector == null) {
            add(new Paragraph(getTranslation("properties.connector.missing", String.valueOf(key))));
            return;
        }
        boolean zh = Locale.CHINESE.getLanguage().equals(getLocale().getLanguage());
        add(new Paragraph(zh ? connector.descriptionZh() : connector.descriptionEn()));
        TextField previewCustomer = text("preview-customer", getTranslation("properties.preview.customer"), "");
        previewCustomer.setWidth("10em");
        List<Runnable> previews = new ArrayList<>();
        for (ConnectorDescriptor.InputDescriptor input : connector.inputs()) {
            String current = JourneyModel.property(task, ElementTemplates.INPUT_PREFIX + input.name());
            String label = (zh ? input.labelZh() : input.labelEn()) + (input.required() ? " *" : "");
            Component field;
            Consumer<String> validate;
            if (input.type() == InputType.ENUM || input.type() == InputType.BOOLEAN) {
                Select<String> select = new Select<>();
                select.setLabel(label);
                select.setItems(input.type() == InputType.BOOLEAN ? List.of("true", "false") : input.choices());
                select.setValue(current != null ? current : input.defaultValue().isEmpty() ? null : input.defaultValue());
                select.addValueChangeListener(e -> change(Map.of("properties",
                        properties(ElementTemplates.INPUT_PREFIX + input.name(), e.getValue()))));
                field = select;
                validate = value -> { };
            } else {
                boolean multiline = input.type() == InputType.TEMPLATE || input.type() == InputType.TEXT || input.type() == InputType.JSON;
                com.vaadin.flow.component.AbstractField<?, String> text;
                if (multiline) {
                    TextArea area = new TextArea(label);
                    area.setWidthFull();
                    area.setValueChangeMode(ValueChangeMode.LAZY);
                    if (input.maxLength() > 0) {
                        area.setMaxLength(input.maxLength());
                    }
                    text = area;
                } else {
                    TextField line = new TextField(label);
                    line.setWidthFull();
                    line.setValueChangeMode(ValueChangeMode.LAZY);
                    text = line;
                }
                text.setValue(current == null ? "" : current);
                Span preview = new Span();
                preview.setId("preview-" + input.name());
                preview.getStyle().set("font-size", "var(--lumo-font-size-s)").set("white-space", "pre-wrap");
                validate = value -> {
                    List<InputProblem> problems = ConnectorInputs.validate(List.of(input), value == null || value.isEmpty()
                            ? Map.of() : Map.of(input.name(), value));
                    ((com.vaadin.flow.component.HasValidation) text).setInvalid(!problems.isEmpty());
                    ((com.vaadin.flow.component.HasValidation) text).setErrorMessage(problems.isEmpty() ? null
                            : problems.stream().map(p -> zh ? p.messageZh() : p.messageEn()).collect(Collectors.joining("; ")));
                };
                Consumer<String> finalValidate = validate;
                text.addValueChangeListener(e -> {
                    finalValidate.accept(e.getValue());
                    change(Map.of("properties", properties(ElementTemplates.INPUT_PREFIX + input.name(), e.getValue())));
                });
                if (current != null) {
                    validate.accept(current);
                }
                text.setId("input-" + input.name());
                field = text;
                if (input.type() == InputType.TEMPLATE) {
                    Runnable render = () -> preview.setText(renderPreview(text.getValue(), previewCustomer.getValue()));
                    previews.add(render);
                    text.addValueChangeListener(e -> render.run());
                    add(field, preview);
                    continue;
                }
            }
            field.getElement().setAttribute("data-input", input.name());
            add(field);
        }
        if (!previews.isEmpty()) {
            previewCustomer.addValueChangeListener(e -> previews.forEach(Runnable::run));
            add(previewCustomer);
        }
        if (connector.customerFacing()) {
            Select<String> purpose = new Select<>();
            purpose.setId("input-purpose");
            purpose.setLabel(getTranslation("properties.purpose"));
            purpose.setItems("MARKETING", "SERVICE");
            purpose.setItemLabelGenerator(p -> getTranslation("properties.purpose." + p));
            String current = JourneyModel.property(task, ElementTemplates.PURPOSE_PROPERTY);
            purpose.setValue(current == null ? "MARKETING" : current);
            purpose.addValueChangeListener(e -> {
                if (e.isFromClient()) {
                    change(Map.of("properties", properties(ElementTemplates.PURPOSE_PROPERTY, e.getValue())));
                }
            });
            add(purpose);
        }
    }

    /** The text as the chosen customer would receive it; with no customer, as written. */
    private String renderPreview(String template, String customerId) {
        if (template == null || template.isBlank()) {
            return "";
        }
        if (customerId == null || !customerId.trim().matches("[0-9]{1,18}")) {
            return getTranslation("properties.preview.choose");
        }
        return connectorStep.customerView(Long.parseLong(customerId.trim()))
                .map(customer -> getTranslation("properties.preview", TemplateText.render(template, customer)))
                .orElse(getTranslation("properties.preview.noCustomer", customerId));
    }

    // ------------------------------------------------------------------ helpers

    private void change(Map<String, ?> change) {
        if (editable && selected != null) {
            view.canvas().setProperties(selected, change);
        }
    }

    private static Map<String, String> properties(String name, String value) {
        Map<String, String> map = new HashMap<>();
        map.put(name, value == null || value.isBlank() ? null : value);
        return map;
    }

    private TextField text(String id, String label, String value) {
        TextField field = new TextField(label);
        field.setId(id);
        field.setWidthFull();
        field.setValue(value == null ? "" : value);
        field.setValueChangeMode(ValueChangeMode.LAZY);
        return field;
    }

    private void lockIfReadOnly(Component component) {
        if (!editable && component instanceof com.vaadin.flow.component.HasValue<?, ?> value) {
            value.setReadOnly(true);
        }
    }

    private static List<SequenceFlow> outgoing(BpmnModelInstance model, FlowElement node) {
        return model.getModelElementsByType(SequenceFlow.class).stream().filter(f -> f.getSource() == node).toList();
    }

    private static String label(FlowElement element) {
        return element.getName() == null || element.getName().isBlank() ? element.getId() : element.getName();
    }

    private static String textOf(org.camunda.bpm.model.xml.instance.ModelElementInstance expression) {
        return expression == null || expression.getTextContent() == null || expression.getTextContent().isBlank() ? null
                : expression.getTextContent().trim();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Changes that may hold a null (Map.of refuses nulls): null removes a condition or the default. */
    private static final class Changes {
        static Map<String, Object> condition(Map<String, String> condition) {
            Map<String, Object> change = new HashMap<>();
            change.put("condition", condition);
            return change;
        }

        static Map<String, Object> defaultFlow(String flowId) {
            Map<String, Object> change = new HashMap<>();
            change.put("defaultFlow", flowId);
            return change;
        }
    }
}
