package io.pond.engine.event;

import java.math.BigDecimal;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** A test on one property of an event, e.g. {@code state = store-12} or {@code amount > 100}. */
public record PropertyCondition(String property, Operator operator, String value) {

    public enum Operator { EQUALS, NOT_EQUALS, CONTAINS, GREATER_THAN, LESS_THAN, EXISTS }

    public PropertyCondition {
        if (property == null || property.isBlank()) {
            throw new IllegalArgumentException("A condition needs the property it tests, e.g. state or order.amount");
        }
        if (operator == null) {
            throw new IllegalArgumentException("A condition needs an operator");
        }
        if (operator != Operator.EXISTS && (value == null || value.isBlank())) {
            throw new IllegalArgumentException("The condition on " + property + " needs a value");
        }
        if ((operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN)) {
            try {
                new BigDecimal(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("The condition on " + property + " compares numbers; '" + value + "' is not one");
            }
        }
        property = property.trim();
    }

    /** Whether the event's properties pass; a dotted property (order.amount) looks into nested objects. */
    public boolean test(JsonNode properties) {
        JsonNode node = properties;
        for (String part : property.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        boolean present = node != null && !node.isNull();
        return switch (operator) {
            case EXISTS -> present;
            case EQUALS -> present && text(node).equals(value.trim());
            case NOT_EQUALS -> !present || !text(node).equals(value.trim());
            case CONTAINS -> present && text(node).toLowerCase(Locale.ROOT).contains(value.trim().toLowerCase(Locale.ROOT));
            case GREATER_THAN -> present && number(node) != null && number(node).compareTo(new BigDecimal(value.trim())) > 0;
            case LESS_THAN -> present && number(node) != null && number(node).compareTo(new BigDecimal(value.trim())) < 0;
        };
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static BigDecimal number(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        try {
            return new BigDecimal(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
