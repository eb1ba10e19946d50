package io.pond.connectors.spi;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything a connector declares, read once from its annotations. Validation, the designer's form and
 * the element template are all derived from this record, so they cannot disagree.
 */
public record ConnectorDescriptor(String id, int version, String nameEn, String nameZh, String descriptionEn,
        String descriptionZh, String icon, String group, String channel, boolean idempotent, List<InputDescriptor> inputs,
        List<OutputDescriptor> outputs, List<InputDescriptor> settings, Class<? extends Record> inputType,
        Class<? extends Record> settingsType) {

    /** "id:version", as a diagram names the connector. */
    public String key() {
        return id + ":" + version;
    }

    public boolean customerFacing() {
        return !channel.isEmpty();
    }

    /** The system the connector talks to, the first part of its id ({@code wecom} of {@code wecom.tag.mark}). */
    public String system() {
        return id.substring(0, id.indexOf('.'));
    }

    public record InputDescriptor(String name, InputType type, String labelEn, String labelZh, boolean required,
            String pattern, String patternHint, List<String> choices, String defaultValue, int maxLength,
            String descriptionEn, String descriptionZh, Class<?> javaType) {
    }

    public record OutputDescriptor(String name, String descriptionEn, String descriptionZh) {
    }

    /** Reads a connector class. */
    public static ConnectorDescriptor of(Class<?> connector) {
        ConnectorType type = connector.getAnnotation(ConnectorType.class);
        if (type == null) {
            throw new IllegalArgumentException(connector.getName() + " is not annotated with @ConnectorType");
        }
        if (!type.id().matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+")) {
            throw new IllegalArgumentException(connector.getName() + ": '" + type.id()
                    + "' is not a connector id like system.object.verb");
        }
        Class<? extends Record> input = inputType(connector);
        List<OutputDescriptor> outputs = Arrays.stream(type.outputs())
                .map(o -> new OutputDescriptor(o.name(), o.descriptionEn(), o.descriptionZh())).toList();
        List<InputDescriptor> inputs = inputs(input, false);
        return new ConnectorDescriptor(type.id(), type.version(), type.nameEn(), type.nameZh(), type.descriptionEn(),
                type.descriptionZh(), type.icon(), type.group(), type.channel(), type.idempotent(), inputs, outputs,
                inputs(type.settings(), true), input, type.settings());
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> inputType(Class<?> connector) {
        for (var generic : connector.getGenericInterfaces()) {
            if (generic instanceof java.lang.reflect.ParameterizedType parameterized
                    && parameterized.getRawType() == Connector.class
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> argument && argument.isRecord()) {
                return (Class<? extends Record>) argument;
            }
        }
        throw new IllegalArgumentException(connector.getName() + " must implement Connector<SomeInputRecord> directly");
    }

    private static List<InputDescriptor> inputs(Class<? extends Record> record, boolean settings) {
        List<InputDescriptor> inputs = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            Input input = component.getAnnotation(Input.class);
            if (input == null) {
                throw new IllegalArgumentException(record.getName() + "." + component.getName() + " has no @Input");
            }
            InputType type = input.type() == InputType.AUTO ? typeOf(component.getType()) : input.type();
            if (type == InputType.SECRET && !settings) {
                throw new IllegalArgumentException(record.getName() + "." + component.getName()
                        + ": secrets belong in the connector's settings, never in a diagram");
            }
            List<String> choices = component.getType().isEnum()
                    ? Arrays.stream(component.getType().getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList()
                    : List.of(input.choices());
            if (type == InputType.ENUM && choices.isEmpty()) {
                throw new IllegalArgumentException(record.getName() + "." + component.getName() + " is an ENUM without choices");
            }
            inputs.add(new InputDescriptor(component.getName(), type, input.labelEn(), input.labelZh(), input.required(),
                    input.pattern(), input.patternHint(), choices, input.defaultValue(), input.maxLength(),
                    input.descriptionEn(), input.descriptionZh(), component.getType()));
        }
        return List.copyOf(inputs);
    }

    private static InputType typeOf(Class<?> java) {
        if (java == boolean.class || java == Boolean.class) {
            return InputType.BOOLEAN;
        }
        if (java.isEnum()) {
            return InputType.ENUM;
        }
        if (java.isPrimitive() || Number.class.isAssignableFrom(java) || java == BigDecimal.class) {
            return InputType.NUMBER;
        }
        return InputType.STRING;
    }
}
