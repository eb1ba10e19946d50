package io.pond.engine.journey;

import java.util.List;

/**
 * What a journey is besides its diagram: how customers enter, whether they may enter again, the goal that
 * ends it as a conversion, the events that end it without one, and whether it sends service messages (exempt
 * from the daily marketing cap).
 */
public record JourneySettings(Entry entry, Reentry reentry, Integer reentryDays, EventRule goal, List<EventRule> exits,
        boolean service) {

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

    /** Entry by the API only, once per customer, no goal: a journey's starting point. */
    public static JourneySettings defaults() {
        return new JourneySettings(Entry.api(), Reentry.ONCE, null, null, List.of(), false);
    }
}
