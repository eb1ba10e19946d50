package io.pond.connectors.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with placeholders, filled per customer and journey: {@code ${customer.name}}, {@code ${customer.name|friend}}
 * (a fallback for an empty value), {@code ${customer.attributes.city}}, {@code ${journey.welcome_code}} (a
 * variable of the journey, e.g. from the event that started it). This is plain substitution, never an
 * expression language: nothing in the text is evaluated.
 */
public final class TemplateText {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z][a-zA-Z0-9_.]*)(?:\\|([^}]*))?}");
    /** The placeholders every template may use; {@code customer.attributes.<key>} and {@code customer.identity.<type>} too. */
    public static final Set<String> FIELDS = Set.of("customer.id", "customer.name", "customer.tier", "customer.points",
            "customer.timezone", "customer.owner");

    private TemplateText() {
    }

    /** The placeholders of {@code template} that no customer could fill. */
    public static List<String> unknownPlaceholders(String template) {
        List<String> unknown = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
        while (m.find()) {
            String name = m.group(1);
            if (!FIELDS.contains(name) && !name.startsWith("customer.attributes.") && !name.startsWith("customer.identity.")
                    && !name.startsWith("journey.")) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** The template with each placeholder replaced by the customer's value, or its fallback, or nothing. */
    public static String render(String template, ConnectorContext.CustomerView customer) {
        return render(template, customer, Map.of(), java.util.function.UnaryOperator.identity());
    }

    /**
     * The template filled from the customer and the journey's variables; each value passes through
     * {@code escape} first (JSON inputs escape quotes, so a name cannot break the document).
     */
    public static String render(String template, ConnectorContext.CustomerView customer, Map<String, Object> journey,
            java.util.function.UnaryOperator<String> escape) {
        if (template == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.startsWith("journey.")) {
                Object variable = journey.get(name.substring("journey.".length()));
                value = variable == null ? null : variable.toString();
            } else {
                value = customer == null ? null : valueOf(name, customer);
            }
            if (value == null || value.isEmpty()) {
                value = m.group(2) == null ? "" : m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String valueOf(String name, ConnectorContext.CustomerView c) {
        if (name.startsWith("customer.attributes.")) {
            Object value = c.attributes().get(name.substring("customer.attributes.".length()));
            return value == null ? null : value.toString();
        }
        if (name.startsWith("customer.identity.")) {
            return c.identities().get(name.substring("customer.identity.".length()));
        }
        Map<String, Object> fields = new java.util.HashMap<>();
        fields.put("customer.id", c.id());
        fields.put("customer.name", c.displayName());
        fields.put("customer.tier", c.memberTier());
        fields.put("customer.points", c.points());
        fields.put("customer.timezone", c.timezone());
        fields.put("customer.owner", c.ownerId());
        Object value = fields.get(name);
        return value == null ? null : value.toString();
    }
}
