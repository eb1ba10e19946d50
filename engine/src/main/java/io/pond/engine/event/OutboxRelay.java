package io.pond.engine.event;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.pond.engine.config.SettingException;
import io.pond.engine.db.SqlDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands the events in the outbox to the {@link CustomerEventListener}s, oldest first. A batch is locked
 * while it is delivered (other nodes skip it on PostgreSQL) and marked delivered in the same
 * transaction as the listeners' work; when a listener fails the whole batch is retried later.
 * <p>
 * On PostgreSQL several workers deliver at once, each the events of its share of the customers (customer id modulo
 * the number of workers), so one customer's events still arrive in order. A worker spends most of its time waiting
 * for the database's answers, so two of them keep two cores busy where one kept one.
 */
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    static final int MAX_ATTEMPTS = 5;
    static final int MAX_WORKERS = 8;
    /** How long an early event is delivered again (every few seconds) before it is given up. */
    public static final java.time.Duration EARLY_EVENTS_WAIT = java.time.Duration.ofMinutes(15);
    private static final java.time.Duration EARLY_EVENTS_RETRY = java.time.Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final List<CustomerEventListener> listeners;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final int workers;
    /** The workers beyond the first, which runs on the caller's thread. */
    private final ExecutorService otherWorkers;

    /** @param workers how many deliver at once; on H2, which cannot skip locked rows, always one */
    public OutboxRelay(JdbcTemplate jdbc, SqlDialect dialect, List<CustomerEventListener> listeners,
            TransactionTemplate transaction, Clock clock, int workers) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.listeners = listeners;
        this.transaction = transaction;
        this.clock = clock;
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new SettingException("POND_OUTBOX_WORKERS (pond.outbox.workers) must be a whole number from 1 to " + MAX_WORKERS
                    + " (each worker holds a database connection while it delivers); '" + workers + "' is not.");
        }
        this.workers = dialect == SqlDialect.POSTGRESQL ? workers : 1;
        this.otherWorkers = this.workers == 1 ? null : Executors.newFixedThreadPool(this.workers - 1, daemonThreads());
    }

    private static CustomizableThreadFactory daemonThreads() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("pond-outbox-");
        threads.setDaemon(true); // a worker must not keep a stopping JVM alive
        return threads;
    }

    private volatile boolean stopping;

    /** Delivers every pending event, each worker its share; returns when all are delivered or wait for a retry. */
    @Scheduled(fixedDelayString = "${pond.outbox.poll-interval:1000}")
    public void poll() {
        if (stopping) {
            return; // the other workers' threads are gone
        }
        List<Future<?>> others = IntStream.range(1, workers).<Future<?>>mapToObj(share -> otherWorkers.submit(() -> deliverShare(share)))
                .toList();
        deliverShare(0);
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warn("An outbox worker stopped; its events are delivered in the next round: {}", e.getCause().toString());
            }
        }
    }

    private void deliverShare(int share) {
        while (!stopping && deliverBatch(share) == BATCH) {
            // more are waiting
        }
    }

    /** Pond is shutting down: finish the current batch and take no more, before the database goes away. */
    @EventListener(ContextClosedEvent.class)
    public void stop() {
        stopping = true;
        if (otherWorkers != null) {
            otherWorkers.shutdown();
        }
    }

    /** Delivers up to one batch of pending events of each share, one share after the other; returns how many. */
    public int deliverBatch() {
        int delivered = 0;
        for (int share = 0; share < workers; share++) {
            delivered += deliverBatch(share);
        }
        return delivered;
    }

    private int deliverBatch(int share) {
        try {
            Integer delivered = transaction.execute(status -> {
                List<Map<String, Object>> batch = pending(share, true);
                deliver(batch);
                return batch.size();
            });
            return delivered == null ? 0 : delivered;
        } catch (RuntimeException e) {
            if (stopping) {
                return 0;
            }
            if (!(e instanceof CustomerEventListener.NotYet)) {
                LOG.warn("Delivering a batch of customer events failed ({}); delivering them one at a time", e.getMessage());
            }
            return deliverOneByOne(share);
        }
    }

    /** The share's events due for delivery, oldest first; {@code lock} takes them, skipping those another has taken. */
    private List<Map<String, Object>> pending(int share, boolean lock) {
        String ofShare = workers == 1 ? "" : " and exists (select 1 from pond_event e where e.event_id = o.reference"
                + " and mod(e.customer_id, " + workers + ") = " + share + ")";
        return jdbc.queryForList("select id, reference, attempts, created_at from pond_outbox o where delivered_at is null"
                + " and parked_at is null and topic = ? and (next_attempt_at is null or next_attempt_at <= ?)" + ofShare
                + " order by id" + (lock ? dialect.lockSkippingLocked(BATCH) : " limit " + BATCH), EventIngestion.TOPIC,
                Timestamp.from(clock.instant()));
    }

    private void deliver(List<Map<String, Object>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<String> references = batch.stream().map(row -> (String) row.get("reference")).toList();
        Map<String, CustomerEvent> events = load(references);
        List<CustomerEvent> ordered = references.stream().map(events::get).filter(java.util.Objects::nonNull).toList();
        listeners.forEach(listener -> listener.onEvents(ordered));
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate("update pond_outbox set delivered_at = ?, attempts = attempts + 1 where id = ?", batch, BATCH,
                (ps, row) -> {
                    ps.setTimestamp(1, now);
                    ps.setLong(2, ((Number) row.get("id")).longValue());
                });
    }

    /** Each event in a transaction of its own: a failing one is counted (and parked at the limit), the rest go on. */
    private int deliverOneByOne(int share) {
        List<Map<String, Object>> batch = pending(share, false);
        int delivered = 0;
        for (Map<String, Object> row : batch) {
            long id = ((Number) row.get("id")).longValue();
            try {
                Boolean done = transaction.execute(status -> {
                    List<Map<String, Object>> one = jdbc.queryForList("select id, reference, attempts, created_at from pond_outbox"
                            + " where id = ? and delivered_at is null and parked_at is null" + dialect.lockSkippingLocked(1), id);
                    deliver(one);
                    return !one.isEmpty();
                });
                delivered += Boolean.TRUE.equals(done) ? 1 : 0;
            } catch (CustomerEventListener.NotYet early) {
                java.time.Instant created = instant(row.get("created_at"));
                boolean givenUp = created != null && created.plus(EARLY_EVENTS_WAIT).isBefore(clock.instant());
                if (givenUp) {
                    LOG.warn("The customer event {} was expected by a journey for {} and never awaited; it is set aside: {}",
                            row.get("reference"), EARLY_EVENTS_WAIT, early.getMessage());
                }
                // not a failure: no attempt is counted, the event comes again in a few seconds
                jdbc.update("update pond_outbox set next_attempt_at = ?, last_error = ?, delivered_at = ? where id = ?",
                        Timestamp.from(clock.instant().plus(EARLY_EVENTS_RETRY)), abbreviate(early.getMessage()),
                        givenUp ? Timestamp.from(clock.instant()) : null, id);
            } catch (RuntimeException e) {
                if (stopping) {
                    return delivered;
                }
                int attempts = ((Number) row.get("attempts")).intValue() + 1;
                boolean park = attempts >= MAX_ATTEMPTS;
                if (park) {
                    LOG.error("The customer event {} failed {} times and is parked; it stays in pond_outbox with its error: {}",
                            row.get("reference"), attempts, e.getMessage(), e);
                } else {
                    LOG.warn("Delivering the customer event {} failed (attempt {} of {}); it is tried again: {}",
                            row.get("reference"), attempts, MAX_ATTEMPTS, e.getMessage());
                }
                jdbc.update("update pond_outbox set attempts = ?, last_error = ?, parked_at = ? where id = ?", attempts,
                        abbreviate(e.toString()), park ? Timestamp.from(clock.instant()) : null, id);
            }
        }
        return delivered;
    }

    /** A timestamp column as PostgreSQL (Timestamp) and H2 (OffsetDateTime) return it. */
    private static java.time.Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return value instanceof java.time.OffsetDateTime time ? time.toInstant() : null;
    }

    /** Events that failed too often and wait for an operator. */
    public long parked() {
        Long count = jdbc.queryForObject("select count(*) from pond_outbox where parked_at is not null and delivered_at is null",
                Long.class);
        return count == null ? 0 : count;
    }

    /** Events still waiting for delivery. */
    public long pending() {
        Long count = jdbc.queryForObject("select count(*) from pond_outbox where delivered_at is null and parked_at is null",
                Long.class);
        return count == null ? 0 : count;
    }

    private Map<String, CustomerEvent> load(List<String> eventIds) {
        Map<String, CustomerEvent> events = new java.util.HashMap<>();
        new NamedParameterJdbcTemplate(jdbc).query("select event_id, customer_id, event_type, occurred_at, properties"
                + " from pond_event where event_id in (:ids)", Map.of("ids", eventIds), rs -> {
                    events.put(rs.getString(1), new CustomerEvent(rs.getString(1), rs.getLong(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5)));
                });
        return events;
    }

    private static String abbreviate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 999);
    }
}
