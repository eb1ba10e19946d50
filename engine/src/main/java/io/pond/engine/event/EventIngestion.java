package io.pond.engine.event;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.db.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts behaviour events, one or a batch of up to {@value #MAX_BATCH}. Each item is checked on its own:
 * the bad ones are reported by index and field, the good ones of the same batch are kept. A replayed
 * {@code eventId} changes nothing. In one transaction the events are stored, their customers found
 * (created, merged), auto-tag rules applied and an outbox row written for the journey runtime.
 */
public class EventIngestion {

    public static final int MAX_BATCH = 1000;
    public static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    static final String TOPIC = "customer-event";
    private static final int MAX_EVENT_ID = 128;
    private static final int MAX_PROPERTIES = 16 * 1024;
    private static final Duration FUTURE_TOLERANCE = Duration.ofHours(1);
    private static final Set<String> FIELDS = Set.of("eventId", "type", "occurredAt", "customer", "properties");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final SqlDialect dialect;
    private final CustomerDirectory directory;
    private final AutoTagRules autoTagRules;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public EventIngestion(JdbcTemplate jdbc, SqlDialect dialect, CustomerDirectory directory, AutoTagRules autoTagRules,
            TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = dialect;
        this.directory = directory;
        this.autoTagRules = autoTagRules;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** A problem with one field of one item. */
    public record FieldError(String field, String message) {
    }

    /** Why the item at {@code index} (0-based) was not accepted. */
    public record Rejected(int index, String eventId, List<FieldError> errors) {
    }

    /** What happened to a request: new events stored, replays ignored, items refused. */
    public record Result(int accepted, int duplicates, List<Rejected> rejected) {
    }

    private record Valid(int index, String eventId, String type, Instant occurredAt, Set<Identity> identities,
            String properties) {
    }

    /**
     * Ingests a JSON object (one event) or array (a batch).
     *
     * @throws IllegalArgumentException when the body is neither, or the batch is too large
     */
    public Result ingest(JsonNode body) {
        List<JsonNode> items = new ArrayList<>();
        if (body != null && body.isArray()) {
            if (body.size() > MAX_BATCH) {
                throw new IllegalArgumentException("A batch holds at most " + MAX_BATCH + " events; this one has "
                        + body.size() + ". Split it.");
            }
            body.forEach(items::add);
        } else if (body != null && body.isObject()) {
            items.add(body);
        } else {
            throw new IllegalArgumentException("The body must be one event (a JSON object) or a batch (a JSON array)");
        }
        List<Valid> valid = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Instant latestAllowed = clock.instant().plus(FUTURE_TOLERANCE);
        for (int i = 0; i < items.size(); i++) {
            List<FieldError> errors = new ArrayList<>();
            Valid event = validate(i, items.get(i), latestAllowed, errors);
            if (errors.isEmpty()) {
                valid.add(event);
            } else {
                JsonNode id = items.get(i).path("eventId");
                rejected.add(new Rejected(i, id.isTextual() ? id.asText() : null, List.copyOf(errors)));
            }
        }
        int[] stored = transaction.execute(status -> store(valid));
        return new Result(stored[0], stored[1], List.copyOf(rejected));
    }

    /** Stores valid events; returns {accepted, duplicates}. */
    private int[] store(List<Valid> events) {
        if (events.isEmpty()) {
            return new int[] {0, 0};
        }
        Set<String> known = existing(events.stream().map(Valid::eventId).toList());
        Set<String> seen = new HashSet<>();
        List<Valid> fresh = new ArrayList<>();
        for (Valid event : events) {
            if (!known.contains(event.eventId()) && seen.add(event.eventId())) {
                fresh.add(event);
            }
        }
        if (fresh.isEmpty()) {
            return new int[] {0, events.size()};
        }
        long[] customers = directory.resolve(fresh.stream().map(Valid::identities).toList(),
                fresh.stream().map(e -> "event " + e.eventId()).toList());
        Timestamp received = Timestamp.from(clock.instant());
        boolean[] inserted = dialect.insertIgnoringDuplicates(jdbc, "pond_event",
                List.of(new SqlDialect.Column("event_id", "varchar"), new SqlDialect.Column("customer_id", "bigint"),
                        new SqlDialect.Column("event_type", "varchar"), new SqlDialect.Column("occurred_at", "timestamptz"),
                        new SqlDialect.Column("received_at", "timestamptz"), new SqlDialect.Column("properties", "text")),
                List.of("event_id"),
                indexes(fresh.size()).stream().map(i -> new Object[] {fresh.get(i).eventId(), customers[i], fresh.get(i).type(),
                        Timestamp.from(fresh.get(i).occurredAt()), received, fresh.get(i).properties()}).toList());
        List<CustomerEvent> accepted = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            if (inserted[i]) {
                Valid event = fresh.get(i);
                accepted.add(new CustomerEvent(event.eventId(), customers[i], event.type(), event.occurredAt(), event.properties()));
            }
        }
        jdbc.batchUpdate("insert into pond_outbox (topic, reference, created_at, attempts) values (?, ?, ?, 0)",
                accepted, MAX_BATCH, (ps, event) -> {
                    ps.setString(1, TOPIC);
                    ps.setString(2, event.eventId());
                    ps.setTimestamp(3, received);
                });
        autoTagRules.apply(accepted.stream()
                .sorted(java.util.Comparator.comparing(CustomerEvent::occurredAt)).toList());
        return new int[] {accepted.size(), events.size() - accepted.size()};
    }

    private Set<String> existing(List<String> eventIds) {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < eventIds.size(); from += MAX_BATCH) {
            found.addAll(named.queryForList("select event_id from pond_event where event_id in (:ids)",
                    Map.of("ids", eventIds.subList(from, Math.min(eventIds.size(), from + MAX_BATCH))), String.class));
        }
        return found;
    }

    private Valid validate(int index, JsonNode item, Instant latestAllowed, List<FieldError> errors) {
        if (!item.isObject()) {
            errors.add(new FieldError("", "must be a JSON object"));
            return null;
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of an event (eventId, type, occurredAt, customer, properties)"));
            }
        }
        String eventId = text(item, "eventId", errors);
        if (eventId != null && eventId.length() > MAX_EVENT_ID) {
            errors.add(new FieldError("eventId", "must be at most " + MAX_EVENT_ID + " characters"));
        }
        String type = text(item, "type", errors);
        if (type != null && !EVENT_TYPE.matcher(type).matches()) {
            errors.add(new FieldError("type", "must be lower-case letters, digits, '_', '.' or '-', starting with a letter,"
                    + " e.g. order_paid"));
        }
        Instant occurredAt = null;
        String time = text(item, "occurredAt", errors);
        if (time != null) {
            try {
                occurredAt = OffsetDateTime.parse(time).toInstant();
                if (occurredAt.isAfter(latestAllowed)) {
                    errors.add(new FieldError("occurredAt", "lies in the future"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("occurredAt", "must be a time with its offset, e.g. 2026-11-25T09:30:00+08:00"));
            }
        }
        Set<Identity> identities = identities(item.get("customer"), errors);
        String properties = null;
        JsonNode props = item.get("properties");
        if (props != null && !props.isNull()) {
            if (!props.isObject()) {
                errors.add(new FieldError("properties", "must be a JSON object"));
            } else {
                properties = props.toString();
                if (properties.length() > MAX_PROPERTIES) {
                    errors.add(new FieldError("properties", "must be at most " + MAX_PROPERTIES / 1024 + " KB of JSON"));
                }
            }
        }
        return new Valid(index, eventId, type, occurredAt, identities, properties);
    }

    private static Set<Identity> identities(JsonNode customer, List<FieldError> errors) {
        Set<Identity> identities = new LinkedHashSet<>();
        if (customer == null || customer.isNull()) {
            errors.add(new FieldError("customer", "is required: an object of identities, e.g. {\"phone\": \"13800000000\"}"));
            return identities;
        }
        if (!customer.isObject() || customer.isEmpty()) {
            errors.add(new FieldError("customer", "must be an object with at least one identity, e.g. {\"phone\": \"13800000000\"}"));
            return identities;
        }
        customer.fields().forEachRemaining(field -> {
            String name = "customer." + field.getKey();
            IdentityType type = IdentityType.ofKey(field.getKey()).orElse(null);
            if (type == null) {
                errors.add(new FieldError(name, "is not an identity type; use one of " + java.util.Arrays.stream(
                        IdentityType.values()).map(IdentityType::key).toList()));
            } else if (!field.getValue().isTextual()) {
                errors.add(new FieldError(name, "must be a string"));
            } else {
                try {
                    identities.add(Identity.of(type, field.getValue().asText()));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(name, e.getMessage()));
                }
            }
        });
        return identities;
    }

    private static String text(JsonNode item, String field, List<FieldError> errors) {
        JsonNode node = item.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText().trim();
    }

    private static List<Integer> indexes(int size) {
        List<Integer> indexes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            indexes.add(i);
        }
        return indexes;
    }
}
