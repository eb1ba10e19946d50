package io.pond.connectors.spi;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Checks inputs as written in a diagram (text) against a descriptor, and binds them to the input record. */
public final class ConnectorInputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorInputs() {
    }

    /** Every problem of the given values; empty when they can be bound. Missing optional inputs are fine. */
    public static List<InputProblem> validate(List<ConnectorDescriptor.InputDescriptor> inputs, Map<String, String> values) {
        return validate(inputs, values, true);
    }

    /** {@code defaults}: whether an empty value stands for the input's default (false once placeholders are filled). */
    private static List<InputProblem> validate(List<ConnectorDescriptor.InputDescriptor> inputs, Map<String, String> values,
            boolean defaults) {
        List<InputProblem> problems = new ArrayList<>();
        for (ConnectorDescriptor.InputDescriptor input : inputs) {
            String raw = defaults ? valueOf(input, values) : values.get(input.name());
            if (raw == null || raw.isBlank()) {
                if (input.required()) {
                    problems.add(new InputProblem(input.name(), input.labelEn() + " is required", input.labelZh() + "为必填项"));
                }
                continue;
            }
            // a value with placeholders is checked once they are filled, for each customer
            boolean filledLater = raw.contains("${");
            if (!filledLater && input.maxLength() > 0 && raw.length() > input.maxLength()) {
                problems.add(new InputProblem(input.name(), input.labelEn() + " has at most " + input.maxLength() + " characters",
                        input.labelZh() + "最多 " + input.maxLength() + " 个字符"));
            }
            if (!filledLater && !input.pattern().isEmpty() && !raw.matches(input.pattern())) {
                String hint = input.patternHint().isEmpty() ? input.pattern() : input.patternHint();
                problems.add(new InputProblem(input.name(), input.labelEn() + " must be " + hint,
                        input.labelZh() + "格式不正确：" + hint));
            }
            switch (input.type()) {
                case NUMBER -> {
                    try {
                        new BigDecimal(raw.trim());
                    } catch (NumberFormatException e) {
                        problems.add(new InputProblem(input.name(), input.labelEn() + " must be a number",
                                input.labelZh() + "必须是数字"));
                    }
                }
                case BOOLEAN -> {
                    if (!raw.trim().equals("true") && !raw.trim().equals("false")) {
                        problems.add(new InputProblem(input.name(), input.labelEn() + " must be true or false",
                                input.labelZh() + "必须是 true 或 false"));
                    }
                }
                case ENUM -> {
                    if (!input.choices().contains(raw.trim())) {
                        problems.add(new InputProblem(input.name(), input.labelEn() + " must be one of " + input.choices(),
                                input.labelZh() + "必须是以下之一：" + input.choices()));
                    }
                }
                case JSON -> {
                    try {
                        // a placeholder stands for a value: inside quotes part of a string, outside a number
                        JSON.readTree(filledLater ? raw.replaceAll("\\$\\{[^}]*}", "0") : raw);
                    } catch (JsonProcessingException e) {
                        problems.add(new InputProblem(input.name(), input.labelEn() + " is not valid JSON: "
                                + e.getOriginalMessage(), input.labelZh() + "不是有效的 JSON：" + e.getOriginalMessage()));
                    }
                }
                case TEMPLATE, TEXT, STRING -> {
                    List<String> unknown = TemplateText.unknownPlaceholders(raw);
                    if (!unknown.isEmpty()) {
                        problems.add(new InputProblem(input.name(), input.labelEn() + " uses unknown placeholders " + unknown
                                + "; use ${customer.name}, ${customer.attributes.<key>}...",
                                input.labelZh() + "使用了未知的占位符 " + unknown));
                    }
                }
                default -> {
                }
            }
        }
        return problems;
    }

    /** As {@link #bind(Class, List, Map, ConnectorContext.CustomerView, Map)} without journey variables. */
    public static <R extends Record> R bind(Class<R> type, List<ConnectorDescriptor.InputDescriptor> inputs,
            Map<String, String> values, ConnectorContext.CustomerView customer) {
        return bind(type, inputs, values, customer, Map.of());
    }

    /**
     * Builds the input record. Text inputs (string, text, template, JSON) are filled from the customer and the
     * journey's variables first, then every input is checked and converted.
     *
     * @throws IllegalArgumentException listing the problems when the values are not valid
     */
    public static <R extends Record> R bind(Class<R> type, List<ConnectorDescriptor.InputDescriptor> inputs,
            Map<String, String> values, ConnectorContext.CustomerView customer, Map<String, Object> journey) {
        Map<String, String> filled = new java.util.HashMap<>();
        for (ConnectorDescriptor.InputDescriptor input : inputs) {
            String raw = valueOf(input, values);
            boolean text = input.type() == InputType.TEMPLATE || input.type() == InputType.TEXT
                    || input.type() == InputType.STRING || input.type() == InputType.JSON;
            if (raw != null && text && !TemplateText.unknownPlaceholders(raw).isEmpty()) {
                filled.put(input.name(), raw); // validation below names the unknown placeholder
            } else if (raw != null && text) {
                filled.put(input.name(), TemplateText.render(raw, customer, journey,
                        input.type() == InputType.JSON ? ConnectorInputs::jsonEscape : java.util.function.UnaryOperator.identity()));
            } else if (raw != null) {
                filled.put(input.name(), raw);
            }
        }
        return bindFilled(type, inputs, filled);
    }

    private static String jsonEscape(String value) {
        String quoted;
        try {
            quoted = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return quoted.substring(1, quoted.length() - 1);
    }

    private static <R extends Record> R bindFilled(Class<R> type, List<ConnectorDescriptor.InputDescriptor> inputs,
            Map<String, String> values) {
        // defaults were applied before the placeholders were filled: a default that filled to nothing stays empty
        List<InputProblem> problems = validate(inputs, values, false);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems.stream().map(InputProblem::messageEn).toList()));
        }
        Object[] arguments = new Object[inputs.size()];
        Class<?>[] types = new Class<?>[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            ConnectorDescriptor.InputDescriptor input = inputs.get(i);
            types[i] = input.javaType();
            arguments[i] = convert(values.get(input.name()), input);
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot build " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static String valueOf(ConnectorDescriptor.InputDescriptor input, Map<String, String> values) {
        String raw = values.get(input.name());
        return (raw == null || raw.isEmpty()) && !input.defaultValue().isEmpty() ? input.defaultValue() : raw;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String raw, ConnectorDescriptor.InputDescriptor input) {
        Class<?> java = input.javaType();
        boolean empty = raw == null || raw.isBlank();
        if (java == String.class) {
            return empty && input.type() != InputType.TEMPLATE ? null : raw;
        }
        if (java == boolean.class || java == Boolean.class) {
            return empty ? (java == boolean.class ? false : null) : Boolean.valueOf(raw.trim());
        }
        if (java.isEnum()) {
            return empty ? null : Enum.valueOf((Class<Enum>) java, raw.trim());
        }
        if (java == int.class || java == Integer.class) {
            return empty ? (java == int.class ? 0 : null) : new BigDecimal(raw.trim()).intValueExact();
        }
        if (java == long.class || java == Long.class) {
            return empty ? (java == long.class ? 0L : null) : new BigDecimal(raw.trim()).longValueExact();
        }
        if (java == BigDecimal.class) {
            return empty ? null : new BigDecimal(raw.trim());
        }
        if (JsonNode.class.isAssignableFrom(java)) {
            try {
                return empty ? null : JSON.readTree(raw);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e.getOriginalMessage(), e);
            }
        }
        throw new IllegalStateException("An input of type " + java.getName() + " is not supported");
    }
}
