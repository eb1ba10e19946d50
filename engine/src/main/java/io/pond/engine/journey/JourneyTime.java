package io.pond.engine.journey;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerDirectory;

/**
 * Times a journey waits for that depend on the customer: {@code ${pondTime.next('09:00', customerId)}} in a timer's
 * date is the next 09:00 on the customer's clock (their timezone, Shanghai when unknown), today if it is still ahead,
 * else tomorrow. Campaigns go out at fixed local hours, so this is the usual "wait until".
 */
public class JourneyTime {

    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    private final CustomerDirectory directory;
    private final Clock clock;

    public JourneyTime(CustomerDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    public Date next(String localTime, Object customerId) {
        LocalTime time;
        try {
            time = LocalTime.parse(localTime.trim());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("'" + localTime + "' is not a time of day like 09:00");
        }
        ZonedDateTime now = clock.instant().atZone(zone(customerId));
        ZonedDateTime next = now.with(time).withSecond(time.getSecond()).withNano(0);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Date.from(next.toInstant());
    }

    private ZoneId zone(Object customerId) {
        if (customerId == null) {
            return DEFAULT_ZONE;
        }
        String timezone = directory.find(Long.parseLong(customerId.toString())).map(Customer::timezone).orElse(null);
        try {
            return timezone == null || timezone.isBlank() ? DEFAULT_ZONE : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return DEFAULT_ZONE;
        }
    }
}
