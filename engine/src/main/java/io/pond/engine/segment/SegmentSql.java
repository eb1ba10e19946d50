package io.pond.engine.segment;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.customer.LifecycleStage;
import io.pond.engine.segment.SegmentCondition.Operator;

/**
 * Compiles a segment definition into one SQL predicate over {@code pond_customer c}, with bound
 * parameters only: the database does all the work, in set-based joins, and nothing the user typed
 * becomes SQL. Invalid definitions are refused with the path of the bad condition (e.g. "2.1").
 */
public class SegmentSql {

    /** A predicate to put after {@code where}, and its parameters in order. */
    public record Compiled(String predicate, List<Object> parameters) {

        /** The whole query counting the live customers the predicate selects. */
        public String countQuery() {
            return "select count(*) from pond_customer c where c.merged_into is null and " + predicate;
        }

        /** The ids of the live customers the predicate selects, in id order. */
        public String idQuery() {
            return "select c.id from pond_customer c where c.merged_into is null and " + predicate + " order by c.id";
        }
    }

    private final Map<String, AttributeDefinition> attributes;
    private final java.util.function.LongFunction<SegmentCondition> savedSegments;
    private final java.util.Set<Long> inlining = new java.util.HashSet<>();
    private final Instant now;
    private final ZoneId zone;

    /**
     * @param attributes the attribute definitions the conditions may use
     * @param clock      "the last N days" is counted back from this clock's now
     * @param zone       "since a date" starts at midnight in this zone
     */
    public SegmentSql(List<AttributeDefinition> attributes, Clock clock, ZoneId zone) {
        this(attributes, clock, zone, id -> null);
    }

    /** The same, with saved segments a condition may name (their definitions are inlined). */
    public SegmentSql(List<AttributeDefinition> attributes, Clock clock, ZoneId zone,
            java.util.function.LongFunction<SegmentCondition> savedSegments) {
        this.savedSegments = savedSegments;
        this.attributes = attributes.stream().collect(Collectors.toMap(AttributeDefinition::key, Function.identity()));
        this.now = clock.instant();
        this.zone = zone;
    }

    public Compiled compile(SegmentCondition condition) {
        List<Object> parameters = new ArrayList<>();
        String predicate = predicate(condition, "1", parameters);
        return new Compiled(predicate, List.copyOf(parameters));
    }

    private String predicate(SegmentCondition condition, String path, List<Object> p) {
        if (condition == null) {
            throw invalid(path, "is empty");
        }
        if (condition instanceof SegmentCondition.All all) {
            return join(all.conditions(), " and ", "(1 = 1)", path, p);
        }
        if (condition instanceof SegmentCondition.Any any) {
            return join(any.conditions(), " or ", "(1 = 0)", path, p);
        }
        if (condition instanceof SegmentCondition.Not not) {
            return "(not " + predicate(not.condition(), path + ".1", p) + ")";
        }
        if (condition instanceof SegmentCondition.HasTag tag) {
            p.add(tag.tagId());
            return "exists (select 1 from pond_customer_tag t where t.customer_id = c.id and t.tag_id = ?)";
        }
        if (condition instanceof SegmentCondition.AttributeIs attribute) {
            return attribute(attribute, path, p);
        }
        if (condition instanceof SegmentCondition.ProfileIs profile) {
            return profile(profile, path, p);
        }
        if (condition instanceof SegmentCondition.ConsentIs consent) {
            if (consent.channel() == null) {
                throw invalid(path, "needs a channel");
            }
            p.add(consent.channel().name());
            String agreed = "exists (select 1 from pond_consent k where k.customer_id = c.id and k.channel = ? and k.granted = true)";
            return consent.granted() ? agreed : "(not " + agreed + ")";
        }
        if (condition instanceof SegmentCondition.DidEvent event) {
            return event(event, path, p);
        }
        if (condition instanceof SegmentCondition.InSegment segment) {
            SegmentCondition saved = savedSegments.apply(segment.segmentId());
            if (saved == null) {
                throw invalid(path, "names the segment " + segment.segmentId() + ", which does not exist");
            }
            if (!inlining.add(segment.segmentId())) {
                throw invalid(path, "names the segment " + segment.segmentId() + ", which contains itself");
            }
            try {
                return predicate(saved, path + ".1", p);
            } finally {
                inlining.remove(segment.segmentId());
            }
        }
        throw invalid(path, "is not a known kind of condition");
    }

    private String join(List<SegmentCondition> conditions, String operator, String empty, String path, List<Object> p) {
        if (conditions.isEmpty()) {
            return empty;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            parts.add(predicate(conditions.get(i), path + "." + (i + 1), p));
        }
        return "(" + String.join(operator, parts) + ")";
    }

    private String attribute(SegmentCondition.AttributeIs condition, String path, List<Object> p) {
        AttributeDefinition definition = attributes.get(condition.key());
        if (definition == null) {
            throw invalid(path, "uses the attribute '" + condition.key() + "', which is not defined");
        }
        ValueType type = switch (definition.type()) {
            case STRING, ENUM -> ValueType.TEXT;
            case NUMBER -> ValueType.NUMBER;
            case BOOLEAN -> ValueType.BOOLEAN;
            case DATE -> ValueType.DATE;
        };
        String column = switch (definition.type()) {
            case STRING, ENUM -> "a.string_value";
            case NUMBER -> "a.number_value";
            case BOOLEAN -> "a.boolean_value";
            case DATE -> "a.date_value";
        };
        List<Object> values = new ArrayList<>();
        for (String raw : condition.values()) {
            try {
                Object value = definition.type() == AttributeType.ENUM ? raw.trim() : definition.parse(raw);
                values.add(value instanceof LocalDate date ? java.sql.Date.valueOf(date) : value);
            } catch (IllegalArgumentException e) {
                throw invalid(path, e.getMessage());
            }
        }
        checkArity(condition.operator(), type, values, path);
        String rows = "select 1 from pond_customer_attribute a where a.customer_id = c.id and a.attribute_key = ?";
        p.add(condition.key());
        return switch (condition.operator()) {
            case NOT_EQUALS -> {
                p.add(values.get(0));
                yield "(not exists (" + rows + " and " + column + " = ?))";
            }
            case IS_EMPTY -> "(not exists (" + rows + " and " + column + " is not null))";
            default -> "exists (" + rows + " and " + column + " is not null and "
                    + comparison(column, condition.operator(), values, p) + ")";
        };
    }

    private String profile(SegmentCondition.ProfileIs condition, String path, List<Object> p) {
        if (condition.field() == null) {
            throw invalid(path, "needs a profile field");
        }
        String column = switch (condition.field()) {
            case DISPLAY_NAME -> "c.display_name";
            case LIFECYCLE_STAGE -> "c.lifecycle_stage";
            case MEMBER_TIER -> "c.member_tier";
            case POINTS -> "c.points";
            case OWNER -> "c.owner_id";
            case TIMEZONE -> "c.timezone";
        };
        ValueType type = condition.field() == SegmentCondition.ProfileField.POINTS ? ValueType.NUMBER : ValueType.TEXT;
        List<Object> values = new ArrayList<>();
        for (String raw : condition.values()) {
            String value = raw == null ? "" : raw.trim();
            if (condition.field() == SegmentCondition.ProfileField.LIFECYCLE_STAGE) {
                try {
                    value = LifecycleStage.valueOf(value.toUpperCase(Locale.ROOT)).name();
                } catch (IllegalArgumentException e) {
                    throw invalid(path, "'" + raw + "' is not a lifecycle stage");
                }
            }
            if (type == ValueType.NUMBER) {
                try {
                    values.add(new BigDecimal(value));
                } catch (NumberFormatException e) {
                    throw invalid(path, "compares points with a number; '" + raw + "' is not one");
                }
            } else {
                values.add(value);
            }
        }
        checkArity(condition.operator(), type, values, path);
        return switch (condition.operator()) {
            case NOT_EQUALS -> {
                p.add(values.get(0));
                yield "(" + column + " is null or " + column + " <> ?)";
            }
            case IS_EMPTY -> "(" + column + " is null or " + emptyText(column, type) + ")";
            default -> "(" + column + " is not null and " + comparison(column, condition.operator(), values, p) + ")";
        };
    }

    private static String emptyText(String column, ValueType type) {
        return type == ValueType.TEXT ? column + " = ''" : "1 = 0";
    }

    private String event(SegmentCondition.DidEvent event, String path, List<Object> p) {
        if (event.eventType() == null || event.eventType().isBlank()) {
            throw invalid(path, "needs an event type");
        }
        if (event.count() == null || event.times() < 0) {
            throw invalid(path, "needs 'at least' or 'at most' and a number of times (0 or more)");
        }
        if (event.withinDays() != null && event.since() != null) {
            throw invalid(path, "is either within the last days or since a date, not both");
        }
        if (event.withinDays() != null && event.withinDays() < 1) {
            throw invalid(path, "counts at least the last 1 day");
        }
        Instant from = event.withinDays() != null ? now.minus(Duration.ofDays(event.withinDays()))
                : event.since() != null ? event.since().atStartOfDay(zone).toInstant() : null;
        String window = from == null ? "" : " and e.occurred_at >= ?";
        String matching = "select e.customer_id from pond_event e where e.event_type = ?" + window;
        boolean atLeast = event.count() == SegmentCondition.DidEvent.Count.AT_LEAST;
        // "at least 0" is everyone; "at most n" is the complement of "at least n + 1"
        int threshold = atLeast ? event.times() : event.times() + 1;
        if (threshold == 0) {
            return "(1 = 1)";
        }
        p.add(event.eventType().trim());
        if (from != null) {
            p.add(Timestamp.from(from));
        }
        String did;
        if (threshold == 1) {
            did = "exists (select 1 from pond_event e where e.customer_id = c.id and e.event_type = ?" + window + ")";
        } else {
            p.add(threshold);
            did = "c.id in (" + matching + " group by e.customer_id having count(*) >= ?)";
        }
        return atLeast ? did : "(not " + did + ")";
    }

    private enum ValueType { TEXT, NUMBER, BOOLEAN, DATE }

    private static void checkArity(Operator operator, ValueType type, List<Object> values, String path) {
        if (operator == null) {
            throw invalid(path, "needs an operator");
        }
        int needed = switch (operator) {
            case IS_EMPTY -> 0;
            case BETWEEN -> 2;
            case IN -> -1;
            default -> 1;
        };
        if (needed >= 0 && values.size() != needed) {
            throw invalid(path, operator + " takes " + needed + " value(s), not " + values.size());
        }
        if (needed < 0 && values.isEmpty()) {
            throw invalid(path, "IN takes at least one value");
        }
        boolean ordered = type == ValueType.NUMBER || type == ValueType.DATE;
        if ((operator == Operator.LESS_THAN || operator == Operator.GREATER_THAN || operator == Operator.BETWEEN) && !ordered) {
            throw invalid(path, operator + " compares numbers or dates");
        }
        if (operator == Operator.CONTAINS && type != ValueType.TEXT) {
            throw invalid(path, "CONTAINS looks into text");
        }
        if (type == ValueType.BOOLEAN && operator == Operator.IN) {
            throw invalid(path, "a yes/no value is EQUALS, NOT_EQUALS or IS_EMPTY");
        }
    }

    /** The comparison of a non-null column with the values. */
    private static String comparison(String column, Operator operator, List<Object> values, List<Object> p) {
        switch (operator) {
            case EQUALS -> {
                p.add(values.get(0));
                return column + " = ?";
            }
            case LESS_THAN -> {
                p.add(values.get(0));
                return column + " < ?";
            }
            case GREATER_THAN -> {
                p.add(values.get(0));
                return column + " > ?";
            }
            case BETWEEN -> {
                p.add(values.get(0));
                p.add(values.get(1));
                return column + " between ? and ?";
            }
            case IN -> {
                p.addAll(values);
                return column + " in (" + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")";
            }
            case CONTAINS -> {
                p.add("%" + escapeLike(String.valueOf(values.get(0)).toLowerCase(Locale.ROOT)) + "%");
                return "lower(" + column + ") like ? escape '\\'";
            }
            default -> throw new IllegalStateException(operator + " is handled by the caller");
        }
    }

    public static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static IllegalArgumentException invalid(String path, String message) {
        return new IllegalArgumentException("Condition " + path + " " + message);
    }
}
