package io.pond.engine.journey;

import java.util.List;

/**
 * What a journey is besides its diagram: how customers enter, whether they may enter again, the goal that
 * ends it as a conversion, the events that end it without one, and whether it sends service messages (exempt
 * from the daily marketing cap). {@code sop}: an SOP flow, which holds staff tasks, waits and conditions only.
 */
public record JourneySettings(Entry entry, Reentry reentry, Integer reentryDays, EventRule goal, List<EventRule> exits,
        boolean service, boolean sop) {

    /** How customers enter: on an event, from a segment (a background enrolment), or only through the API. */
    public enum EntryType { EVENT, SEGMENT, API }

    public record Entry(EntryType type, EventRule event, Long segmentId) {

        public Entry {
            if (type == null) {
                throw new IllegalArgumentException("Say how customers enter the journey: on an event, from a segment or by the API");
            }
            if (type == EntryType.EVENT && event == null) {
                throw new IllegalArgumentException("An entry on an event needs the event type");
            }
            if (type == EntryType.SEGMENT && segmentId == null) {
                throw new IllegalArgumentException("An entry from a segment needs the segment");
            }
        }

        public static Entry api() {
            return new Entry(EntryType.API, null, null);
        }
    }

    /** Whether a customer may enter again: never, after some days, or any time (never twice at the same time). */
    public enum Reentry { ONCE, AFTER_DAYS, ANY }

    public JourneySettings {
        entry = entry == null ? Entry.api() : entry;
        reentry = reentry == null ? Reentry.ONCE : reentry;
        if (reentry == Reentry.AFTER_DAYS && (reentryDays == null || reentryDays < 1)) {
            throw new IllegalArgumentException("Entering again after some days needs the number of days (at least 1)");
        }
        exits = exits == null ? List.of() : List.copyOf(exits);
    }

    /** A journey (not an SOP flow). */
    public JourneySettings(Entry entry, Reentry reentry, Integer reentryDays, EventRule goal, List<EventRule> exits,
            boolean service) {
        this(entry, reentry, reentryDays, goal, exits, service, false);
    }

    /** Entry by the API only, once per customer, no goal: a journey's starting point. */
    public static JourneySettings defaults() {
        return new JourneySettings(Entry.api(), Reentry.ONCE, null, null, List.of(), false);
    }

    /**
     * An SOP flow: the steps staff follow for a customer (tasks, waits, conditions), drawn by analysts; it sends
     * nothing itself.
     */
    public static JourneySettings sopFlow() {
        return new JourneySettings(Entry.api(), Reentry.ANY, null, null, List.of(), false, true);
    }
}
