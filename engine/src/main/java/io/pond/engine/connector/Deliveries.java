package io.pond.engine.connector;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One row per connector step (per journey, customer, activity and loop): its state across attempts. Each
 * change commits at once, in a transaction of its own, so what happened outside (a message went out) is
 * known even when the engine's transaction around the step is lost in a crash.
 */
public class Deliveries {

    public enum Status {
        /** The call is being made; if a step finds its row like this, an earlier attempt ended without an answer. */
        IN_FLIGHT,
        /** Done; the outputs are kept, so a retried step reuses them instead of calling again. */
        SENT,
        /** The remote side refused it (a business error the journey routed). */
        FAILED,
        /** A retryable failure; the next attempt calls again. */
        RETRYING,
        /** Not sent: no consent, or the frequency cap. */
        BLOCKED,
        /** Waiting for quiet hours to end. */
        DEFERRED,
        /** An attempt ended without an answer and the remote side cannot deduplicate: it may or may not have gone out. */
        AMBIGUOUS
    }

    public record Delivery(String key, String step, String connector, String processInstanceId, String activityId,
            Long customerId, String purpose, Status status, String detail, String output, int attempts, Instant createdAt,
            Instant updatedAt, Instant sentAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    public Deliveries(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    public Optional<Delivery> find(String key) {
        return jdbc.query("select " + COLUMNS + " from pond_delivery where delivery_key = ?", (rs, i) -> map(rs), key)
                .stream().findFirst();
    }

    /** Who a step is for and what it is: the row a delivery starts with. */
    public record Step(String key, String natural, String connector, String processInstanceId, String activityId,
            Long customerId, String purpose) {
    }

    /** What {@link #claim} found: go ahead and call, or why not. */
    public enum Claim { CLAIMED, ALREADY_SENT, IN_FLIGHT_ELSEWHERE, GUARDED }

    /**
     * Takes the step for one attempt, committed at once, before the call goes out: the row becomes IN_FLIGHT
     * unless it is SENT already or (for a remote side that cannot deduplicate) IN_FLIGHT or AMBIGUOUS. The
     * guard (the send policy) runs in the same transaction with the customer's row locked, so two journeys
     * sending to one customer at once cannot both pass the frequency cap; when it says no, its status and
     * reason are recorded instead.
     */
    public Claim claim(Step step, boolean remoteDeduplicates, Guard guard) {
        return ownTransaction.execute(status -> {
            if (step.customerId() != null && guard != null) {
                jdbc.queryForList("select id from pond_customer where id = ? for update", Long.class, step.customerId());
            }
            Optional<Delivery> current = find(step.key());
            if (current.isPresent()) {
                Status was = current.get().status();
                if (was == Status.SENT) {
                    return Claim.ALREADY_SENT;
                }
                if (!remoteDeduplicates && (was == Status.IN_FLIGHT || was == Status.AMBIGUOUS)) {
                    return Claim.IN_FLIGHT_ELSEWHERE;
                }
            }
            Timestamp now = Timestamp.from(clock.instant());
            Guarded verdict = guard == null ? null : guard.check();
            Status next = verdict == null ? Status.IN_FLIGHT : verdict.status();
            String detail = verdict == null ? null : abbreviate(verdict.detail());
            if (current.isPresent()) {
                int changed = jdbc.update("update pond_delivery set status = ?, detail = ?, updated_at = ?,"
                        + " attempts = attempts + ? where delivery_key = ? and status = ?", next.name(), detail, now,
                        next == Status.IN_FLIGHT ? 1 : 0, step.key(), current.get().status().name());
                if (changed == 0) {
                    return Claim.IN_FLIGHT_ELSEWHERE;
                }
            } else {
                try {
                    jdbc.update("insert into pond_delivery (delivery_key, step, connector, process_instance_id, activity_id,"
                                    + " customer_id, purpose, status, detail, attempts, created_at, updated_at)"
                                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", step.key(), abbreviate(step.natural()),
                            step.connector(), step.processInstanceId(), step.activityId(), step.customerId(), step.purpose(),
                            next.name(), detail, next == Status.IN_FLIGHT ? 1 : 0, now, now);
                } catch (DuplicateKeyException raced) {
                    // another node took the same step in the same moment
                    status.setRollbackOnly();
                    return Claim.IN_FLIGHT_ELSEWHERE;
                }
            }
            return verdict == null ? Claim.CLAIMED : Claim.GUARDED;
        });
    }

    /** The send policy, as {@link #claim} asks it: {@code null} to go ahead, or the status to record instead. */
    public interface Guard {
        Guarded check();
    }

    /** A send the policy stopped: BLOCKED or DEFERRED, and why. */
    public record Guarded(Status status, String detail) {
    }

    public void sent(String key, String output) {
        change(key, Status.SENT, null, output);
    }

    public void mark(String key, Status status, String detail) {
        change(key, status, detail, null);
    }

    /** How many marketing messages reached the customer since {@code from}, across all journeys. */
    public int marketingSentSince(long customerId, Instant from, String exceptKey) {
        // a message in flight or of unknown fate counts: it may well have reached the customer
        Integer count = jdbc.queryForObject("select count(*) from pond_delivery where customer_id = ? and purpose = 'MARKETING'"
                + " and status in ('SENT', 'IN_FLIGHT', 'AMBIGUOUS') and coalesce(sent_at, updated_at) >= ? and delivery_key <> ?",
                Integer.class, customerId, Timestamp.from(from), exceptKey == null ? "" : exceptKey);
        return count == null ? 0 : count;
    }

    /** How an operator settles an AMBIGUOUS delivery after checking with the remote side. */
    public enum Resolution {
        /** It did go out: the step continues with no outputs, and never calls again. */
        SENT,
        /** It did not: the step calls again when its job is retried. */
        SEND_AGAIN
    }

    /** Settles an AMBIGUOUS delivery; false when it is no longer ambiguous. */
    public boolean resolve(String key, Resolution resolution, String actor) {
        return settle(key, Status.AMBIGUOUS, resolution, "{}", "resolved by " + actor + " as " + resolution);
    }

    /**
     * Settles an earlier attempt that is still {@code was} (IN_FLIGHT or AMBIGUOUS) as the remote side or an operator
     * reported it: SENT with these outputs, or ready to be sent again; false when the row changed meanwhile.
     */
    public boolean settle(String key, Status was, Resolution resolution, String output, String detail) {
        return Boolean.TRUE.equals(ownTransaction.execute(s -> {
            Timestamp now = Timestamp.from(clock.instant());
            boolean sent = resolution == Resolution.SENT;
            return jdbc.update("update pond_delivery set status = ?, detail = ?, output = case when ? then ? else output end,"
                            + " sent_at = case when ? then ? else sent_at end, updated_at = ? where delivery_key = ? and status = ?",
                    (sent ? Status.SENT : Status.RETRYING).name(), abbreviate(detail), sent, output, sent, now, now, key,
                    was.name()) == 1;
        }));
    }

    /**
     * Records that an earlier attempt's fate is still unknown: the row is AMBIGUOUS with this reason. Its time is left
     * as it was, since it tells when the call went out.
     */
    public void undecided(String key, String detail) {
        ownTransaction.executeWithoutResult(s -> jdbc.update("update pond_delivery set status = ?, detail = ? where delivery_key = ?"
                + " and status in (?, ?)", Status.AMBIGUOUS.name(), abbreviate(detail), key, Status.IN_FLIGHT.name(),
                Status.AMBIGUOUS.name()));
    }

    /** The most recently changed deliveries, of one status or (null) of all. */
    public List<Delivery> latest(Status status, int limit) {
        if (status == null) {
            return jdbc.query("select " + COLUMNS + " from pond_delivery order by updated_at desc limit ?", (rs, i) -> map(rs), limit);
        }
        return jdbc.query("select " + COLUMNS + " from pond_delivery where status = ? order by updated_at desc limit ?",
                (rs, i) -> map(rs), status.name(), limit);
    }

    private void change(String key, Status status, String detail, String output) {
        ownTransaction.executeWithoutResult(s -> {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("update pond_delivery set status = ?, detail = ?, output = coalesce(?, output), updated_at = ?,"
                            + " sent_at = case when ? then ? else sent_at end where delivery_key = ?",
                    status.name(), abbreviate(detail), output, now, status == Status.SENT, now, key);
        });
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 999) + "…";
    }

    private static final String COLUMNS = "delivery_key, step, connector, process_instance_id, activity_id, customer_id,"
            + " purpose, status, detail, output, attempts, created_at, updated_at, sent_at";

    private static Delivery map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Number customer = (Number) rs.getObject("customer_id");
        return new Delivery(rs.getString("delivery_key"), rs.getString("step"), rs.getString("connector"),
                rs.getString("process_instance_id"), rs.getString("activity_id"), customer == null ? null : customer.longValue(),
                rs.getString("purpose"), Status.valueOf(rs.getString("status")), rs.getString("detail"), rs.getString("output"),
                rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getTimestamp("sent_at") == null ? null : rs.getTimestamp("sent_at").toInstant());
    }
}
