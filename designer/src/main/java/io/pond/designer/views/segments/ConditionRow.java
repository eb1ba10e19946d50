package io.pond.designer.views.segments;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.pond.designer.views.Labels;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.customer.LifecycleStage;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.SegmentCondition.Operator;
import io.pond.engine.segment.SegmentCondition.ProfileField;

/** One condition of the segment builder; the fields shown follow the kind chosen. */
class ConditionRow extends HorizontalLayout {

    enum Kind { TAG, ATTRIBUTE, PROFILE, CONSENT, EVENT }

    enum Window { WITHIN_DAYS, SINCE, EVER }

    final Checkbox not = new Checkbox();
    final Select<Kind> kind = new Select<>();
    final ComboBox<CustomerTags.Tag> tag = new ComboBox<>();
    final ComboBox<AttributeDefinition> attribute = new ComboBox<>();
    final Select<ProfileField> field = new Select<>();
    final Select<Operator> operator = new Select<>();
    final TextField value = new TextField();
    final TextField secondValue = new TextField();
    final Select<LifecycleStage> stage = new Select<>();
    final Select<ConsentChannel> channel = new Select<>();
    final Select<Boolean> granted = new Select<>();
    final TextField eventType = new TextField();
    final Select<SegmentCondition.DidEvent.Count> count = new Select<>();
    final IntegerField times = new IntegerField();
    final Select<Window> window = new Select<>();
    final IntegerField days = new IntegerField();
    final DatePicker since = new DatePicker();
    final Button remove = new Button(VaadinIcon.CLOSE_SMALL.create());
    private List<Operator> offeredOperators = List.of();

    ConditionRow(int index, List<CustomerTags.Tag> tags, List<AttributeDefinition> attributes, Runnable changed,
            java.util.function.Consumer<ConditionRow> removed) {
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        setWrap(true);
        setId("condition-" + index);
        not.setLabel(getTranslation("segment.not"));
        kind.setItems(Kind.values());
        kind.setItemLabelGenerator(k -> getTranslation("segment.kind." + k.name()));
        kind.setPlaceholder(getTranslation("segment.kind"));
        tag.setItems(tags);
        tag.setItemLabelGenerator(CustomerTags.Tag::label);
        tag.setPlaceholder(getTranslation("segment.tag"));
        attribute.setItems(attributes);
        attribute.setItemLabelGenerator(a -> a.label(getLocale()) + " (" + a.key() + ")");
        attribute.setPlaceholder(getTranslation("segment.attribute"));
        field.setItems(ProfileField.values());
        field.setItemLabelGenerator(f -> getTranslation("segment.field." + f.name()));
        field.setPlaceholder(getTranslation("segment.field"));
        operator.setItemLabelGenerator(o -> getTranslation("segment.operator." + o.name()));
        operator.setPlaceholder(getTranslation("segment.operator"));
        value.setPlaceholder(getTranslation("segment.value"));
        value.setValueChangeMode(ValueChangeMode.LAZY);
        secondValue.setPlaceholder(getTranslation("segment.value.upTo"));
        secondValue.setValueChangeMode(ValueChangeMode.LAZY);
        stage.setItems(LifecycleStage.values());
        stage.setItemLabelGenerator(s -> Labels.of(this, "stage", s));
        channel.setItems(ConsentChannel.values());
        channel.setItemLabelGenerator(c -> getTranslation("channel." + c.name()));
        granted.setItems(true, false);
        granted.setItemLabelGenerator(g -> getTranslation(g ? "segment.consent.granted" : "segment.consent.notGranted"));
        granted.setValue(true);
        eventType.setPlaceholder(getTranslation("segment.eventType"));
        eventType.setValueChangeMode(ValueChangeMode.LAZY);
        count.setItems(SegmentCondition.DidEvent.Count.values());
        count.setItemLabelGenerator(c -> getTranslation("segment.count." + c.name()));
        count.setValue(SegmentCondition.DidEvent.Count.AT_LEAST);
        times.setMin(0);
        times.setValue(1);
        times.setWidth("6em");
        times.setSuffixComponent(new com.vaadin.flow.component.html.Span(getTranslation("segment.times")));
        window.setItems(Window.values());
        window.setItemLabelGenerator(w -> getTranslation("segment.window." + w.name()));
        window.setValue(Window.WITHIN_DAYS);
        days.setMin(1);
        days.setValue(30);
        days.setWidth("6em");
        days.setSuffixComponent(new com.vaadin.flow.component.html.Span(getTranslation("segment.days")));
        remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        remove.getElement().setAttribute("aria-label", getTranslation("segment.remove"));
        remove.addClickListener(click -> removed.accept(this));

        Map<String, HasValue<?, ?>> inputs = new LinkedHashMap<>();
        inputs.put("not", not);
        inputs.put("kind", kind);
        inputs.put("tag", tag);
        inputs.put("attribute", attribute);
        inputs.put("field", field);
        inputs.put("operator", operator);
        inputs.put("value", value);
        inputs.put("secondValue", secondValue);
        inputs.put("stage", stage);
        inputs.put("channel", channel);
        inputs.put("granted", granted);
        inputs.put("eventType", eventType);
        inputs.put("count", count);
        inputs.put("times", times);
        inputs.put("window", window);
        inputs.put("days", days);
        inputs.put("since", since);
        Set<HasValue<?, ?>> shaping = Set.of(kind, attribute, field, operator, window);
        inputs.forEach((name, input) -> {
            ((com.vaadin.flow.component.Component) input).setId("condition-" + index + "-" + name);
            input.addValueChangeListener(change -> {
                if (shaping.contains(input)) {
                    layoutFields();
                }
                changed.run();
            });
        });
        add(not, kind, tag, attribute, field, operator, value, secondValue, stage, channel, granted, eventType, count,
                times, window, days, since, remove);
        layoutFields();
    }

    /** Shows the fields the chosen kind, attribute type and operator need. */
    private void layoutFields() {
        Kind k = kind.getValue();
        tag.setVisible(k == Kind.TAG);
        attribute.setVisible(k == Kind.ATTRIBUTE);
        field.setVisible(k == Kind.PROFILE);
        channel.setVisible(k == Kind.CONSENT);
        granted.setVisible(k == Kind.CONSENT);
        boolean event = k == Kind.EVENT;
        eventType.setVisible(event);
        count.setVisible(event);
        times.setVisible(event);
        window.setVisible(event);
        days.setVisible(event && window.getValue() == Window.WITHIN_DAYS);
        since.setVisible(event && window.getValue() == Window.SINCE);

        List<Operator> operators = operatorsFor(k);
        boolean compares = !operators.isEmpty();
        operator.setVisible(compares);
        if (compares && !operators.equals(offeredOperators)) {
            Operator chosen = operator.getValue();
            offeredOperators = operators;
            operator.setItems(operators);
            operator.setValue(chosen != null && operators.contains(chosen) ? chosen : operators.get(0));
        }
        Operator op = operator.getValue();
        boolean stageValue = k == Kind.PROFILE && field.getValue() == ProfileField.LIFECYCLE_STAGE;
        boolean needsValue = compares && op != null && op != Operator.IS_EMPTY;
        stage.setVisible(needsValue && stageValue && op != Operator.IN);
        value.setVisible(needsValue && !(stageValue && op != Operator.IN));
        value.setHelperText(op == Operator.IN ? getTranslation("segment.value.list") : null);
        secondValue.setVisible(needsValue && op == Operator.BETWEEN);
    }

    private List<Operator> operatorsFor(Kind k) {
        if (k == Kind.ATTRIBUTE) {
            AttributeDefinition definition = attribute.getValue();
            if (definition == null) {
                return List.of();
            }
            return switch (definition.type()) {
                case NUMBER, DATE -> List.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.LESS_THAN, Operator.GREATER_THAN,
                        Operator.BETWEEN, Operator.IN, Operator.IS_EMPTY);
                case BOOLEAN -> List.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IS_EMPTY);
                case STRING, ENUM -> List.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.CONTAINS,
                        Operator.IS_EMPTY);
            };
        }
        if (k == Kind.PROFILE && field.getValue() != null) {
            return switch (field.getValue()) {
                case POINTS -> List.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.LESS_THAN, Operator.GREATER_THAN,
                        Operator.BETWEEN, Operator.IN);
                case LIFECYCLE_STAGE -> List.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN);
                default -> List.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.CONTAINS, Operator.IS_EMPTY);
            };
        }
        return List.of();
    }

    /** The condition as filled in so far; empty while something it needs is missing. */
    Optional<SegmentCondition> condition() {
        Optional<SegmentCondition> plain = plainCondition();
        return not.getValue() ? plain.map(SegmentCondition.Not::new) : plain;
    }

    private Optional<SegmentCondition> plainCondition() {
        Kind k = kind.getValue();
        if (k == null) {
            return Optional.empty();
        }
        switch (k) {
            case TAG:
                return Optional.ofNullable(tag.getValue()).map(t -> new SegmentCondition.HasTag(t.id()));
            case CONSENT:
                return Optional.ofNullable(channel.getValue())
                        .map(c -> new SegmentCondition.ConsentIs(c, Boolean.TRUE.equals(granted.getValue())));
            case EVENT:
                if (eventType.isEmpty() || times.getValue() == null || count.getValue() == null) {
                    return Optional.empty();
                }
                Integer within = window.getValue() == Window.WITHIN_DAYS ? days.getValue() : null;
                LocalDate from = window.getValue() == Window.SINCE ? since.getValue() : null;
                if ((window.getValue() == Window.WITHIN_DAYS && within == null) || (window.getValue() == Window.SINCE && from == null)) {
                    return Optional.empty();
                }
                return Optional.of(new SegmentCondition.DidEvent(eventType.getValue().trim(), count.getValue(),
                        times.getValue(), within, from));
            case ATTRIBUTE:
                if (attribute.getValue() == null) {
                    return Optional.empty();
                }
                return values().map(v -> new SegmentCondition.AttributeIs(attribute.getValue().key(), operator.getValue(), v));
            case PROFILE:
                if (field.getValue() == null) {
                    return Optional.empty();
                }
                return values().map(v -> new SegmentCondition.ProfileIs(field.getValue(), operator.getValue(), v));
            default:
                return Optional.empty();
        }
    }

    private Optional<List<String>> values() {
        Operator op = operator.getValue();
        if (op == null) {
            return Optional.empty();
        }
        if (op == Operator.IS_EMPTY) {
            return Optional.of(List.of());
        }
        if (stage.isVisible()) {
            return Optional.ofNullable(stage.getValue()).map(s -> List.of(s.name()));
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (op == Operator.IN) {
            return Optional.of(Arrays.stream(value.getValue().split("[,，]")).map(String::trim).filter(v -> !v.isEmpty()).toList());
        }
        if (op == Operator.BETWEEN) {
            return secondValue.isEmpty() ? Optional.empty() : Optional.of(List.of(value.getValue(), secondValue.getValue()));
        }
        return Optional.of(List.of(value.getValue()));
    }

    /** Fills the row from a stored condition (the builder edits one level: rows that may each be negated). */
    void show(SegmentCondition condition) {
        SegmentCondition plain = condition;
        if (condition instanceof SegmentCondition.Not negated) {
            not.setValue(true);
            plain = negated.condition();
        }
        if (plain instanceof SegmentCondition.HasTag t) {
            kind.setValue(Kind.TAG);
            tag.getListDataView().getItems().filter(x -> x.id() == t.tagId()).findFirst().ifPresent(tag::setValue);
        } else if (plain instanceof SegmentCondition.ConsentIs c) {
            kind.setValue(Kind.CONSENT);
            channel.setValue(c.channel());
            granted.setValue(c.granted());
        } else if (plain instanceof SegmentCondition.DidEvent e) {
            kind.setValue(Kind.EVENT);
            eventType.setValue(e.eventType());
            count.setValue(e.count());
            times.setValue(e.times());
            window.setValue(e.withinDays() != null ? Window.WITHIN_DAYS : e.since() != null ? Window.SINCE : Window.EVER);
            if (e.withinDays() != null) {
                days.setValue(e.withinDays());
            }
            since.setValue(e.since());
        } else if (plain instanceof SegmentCondition.AttributeIs a) {
            kind.setValue(Kind.ATTRIBUTE);
            attribute.getListDataView().getItems().filter(x -> x.key().equals(a.key())).findFirst().ifPresent(attribute::setValue);
            operator.setValue(a.operator());
            showValues(a.operator(), a.values());
        } else if (plain instanceof SegmentCondition.ProfileIs p) {
            kind.setValue(Kind.PROFILE);
            field.setValue(p.field());
            operator.setValue(p.operator());
            if (p.field() == ProfileField.LIFECYCLE_STAGE && p.operator() != Operator.IN && !p.values().isEmpty()) {
                stage.setValue(LifecycleStage.valueOf(p.values().get(0)));
            } else {
                showValues(p.operator(), p.values());
            }
        }
    }

    private void showValues(Operator op, List<String> values) {
        if (op == Operator.IN) {
            value.setValue(String.join(", ", values));
        } else if (!values.isEmpty()) {
            value.setValue(values.get(0));
            if (values.size() > 1) {
                secondValue.setValue(values.get(1));
            }
        }
    }

}
