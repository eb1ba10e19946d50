package io.pond.engine.connector;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.Consents;

/**
 * The guard before every customer-facing send: the customer's consent for the channel, quiet hours in
 * their time zone (the send waits; it is not dropped) and the daily cap on marketing messages across all
 * journeys (service messages are exempt from the cap).
 */
public class SendPolicy {

    public enum Verdict { SEND, BLOCK, WAIT }

    /** What to do; {@code reason} is the BPMN error code of a block, {@code until} the end of a wait. */
    public record Decision(Verdict verdict, String reason, Instant until) {

        static Decision send() {
            return new Decision(Verdict.SEND, null, null);
        }
    }

    public static final String NO_CONSENT = "POLICY_NO_CONSENT";
    public static final String FREQUENCY_CAP = "POLICY_FREQUENCY_CAP";

    private final Consents consents;
    private final Deliveries deliveries;
    private final PolicySettings settings;
    private final Clock clock;

    public SendPolicy(Consents consents, Deliveries deliveries, PolicySettings settings, Clock clock) {
        this.consents = consents;
        this.deliveries = deliveries;
        this.settings = settings;
        this.clock = clock;
    }

    /** {@code pond.policy.*}: the cap per customer and day, and quiet hours (start and end, local time). */
    public record PolicySettings(int frequencyCapPerDay, LocalTime quietHoursStart, LocalTime quietHoursEnd) {
    }

    /** The verdict for a send to this customer; {@code deliveryKey} is the step's own delivery, which does not count against the cap. */
    public Decision check(long customerId, String channel, boolean marketing, String timezone, String deliveryKey) {
        ConsentChannel consentChannel;
        try {
            consentChannel = ConsentChannel.valueOf(channel);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("A connector names the unknown consent channel " + channel);
        }
        if (!consents.allows(customerId, consentChannel)) {
            return new Decision(Verdict.BLOCK, NO_CONSENT, null);
        }
        ZoneId zone = zone(timezone);
        ZonedDateTime local = clock.instant().atZone(zone);
        // a service message (an order notice, the answer to an add on WeCom) is expected at once, at any hour
        if (marketing && quiet(local.toLocalTime())) {
            ZonedDateTime opens = local.with(settings.quietHoursEnd());
            if (!opens.isAfter(local)) {
                opens = opens.plusDays(1);
            }
            return new Decision(Verdict.WAIT, "QUIET_HOURS", opens.toInstant());
        }
        if (marketing && settings.frequencyCapPerDay() >= 0) {
            Instant dayStart = local.toLocalDate().atStartOfDay(zone).toInstant();
            if (deliveries.marketingSentSince(customerId, dayStart, deliveryKey) >= settings.frequencyCapPerDay()) {
                return new Decision(Verdict.BLOCK, FREQUENCY_CAP, null);
            }
        }
        return Decision.send();
    }

    private boolean quiet(LocalTime time) {
        LocalTime start = settings.quietHoursStart();
        LocalTime end = settings.quietHoursEnd();
        if (start.equals(end)) {
            return false;
        }
        return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end) : !time.isBefore(start) || time.isBefore(end);
    }

    private static ZoneId zone(String timezone) {
        try {
            return ZoneId.of(timezone == null ? "Asia/Shanghai" : timezone);
        } catch (java.time.DateTimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }
}
