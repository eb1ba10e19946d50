package io.pond.engine.segment;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.pond.engine.customer.ConsentChannel;

/**
 * A segment's definition: a tree of conditions on customers, stored as JSON and compiled by
 * {@link SegmentSql} into one SQL query. Every condition is true or false for every customer; an
 * absent value is never equal, less or greater than anything, and always "not equal" and "empty".
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SegmentCondition.All.class, name = "all"),
        @JsonSubTypes.Type(value = SegmentCondition.Any.class, name = "any"),
        @JsonSubTypes.Type(value = SegmentCondition.Not.class, name = "not"),
        @JsonSubTypes.Type(value = SegmentCondition.HasTag.class, name = "tag"),
        @JsonSubTypes.Type(value = SegmentCondition.AttributeIs.class, name = "attribute"),
        @JsonSubTypes.Type(value = SegmentCondition.ProfileIs.class, name = "profile"),
        @JsonSubTypes.Type(value = SegmentCondition.ConsentIs.class, name = "consent"),
        @JsonSubTypes.Type(value = SegmentCondition.DidEvent.class, name = "event"),
        @JsonSubTypes.Type(value = SegmentCondition.InSegment.class, name = "segment")})
public sealed interface SegmentCondition {

    /** How a value is compared; which ones apply depends on the value's type. */
    enum Operator { EQUALS, NOT_EQUALS, LESS_THAN, GREATER_THAN, BETWEEN, IN, CONTAINS, IS_EMPTY }

    /** The columns of the profile a segment can test. */
    enum ProfileField { DISPLAY_NAME, LIFECYCLE_STAGE, MEMBER_TIER, POINTS, OWNER, TIMEZONE }

    /** Customers matching every condition (an empty list matches everyone). */
    record All(List<SegmentCondition> conditions) implements SegmentCondition {
        public All {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    /** Customers matching at least one condition (an empty list matches no one). */
    record Any(List<SegmentCondition> conditions) implements SegmentCondition {
        public Any {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    record Not(SegmentCondition condition) implements SegmentCondition {
    }

    /** Members of a saved segment (its definition as it is when the condition is evaluated). */
    record InSegment(long segmentId) implements SegmentCondition {
    }

    record HasTag(long tagId) implements SegmentCondition {
    }

    /** A custom attribute compared with values written as text (parsed by the attribute's type). */
    record AttributeIs(String key, Operator operator, List<String> values) implements SegmentCondition {
        public AttributeIs {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    record ProfileIs(ProfileField field, Operator operator, List<String> values) implements SegmentCondition {
        public ProfileIs {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /** {@code granted}: has agreed to the channel; false: has not (refused, or never asked). */
    record ConsentIs(ConsentChannel channel, boolean granted) implements SegmentCondition {
    }

    /**
     * "Did {@code eventType} at least / at most {@code count} times", within the last {@code withinDays}
     * days or since {@code since} (neither: ever). "Did not do X since a date" is at most 0 times.
     */
    record DidEvent(String eventType, Count count, int times, Integer withinDays, LocalDate since) implements SegmentCondition {

        public enum Count { AT_LEAST, AT_MOST }
    }
}
