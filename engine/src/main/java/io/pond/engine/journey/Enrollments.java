package io.pond.engine.journey;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Customers entering journeys: each entry starts one process instance (business key: the customer id) and
 * records an enrolment, in one transaction. A customer is in a journey at most once at a time (a unique key
 * guards it across nodes), and enters again only as the journey's re-entry policy allows. When the instance
 * ends, however it ends, the enrolment is closed with the reason.
 */
public class Enrollments {

    /** The variable every journey instance has (its journey is its process definition's key). */
    public static final String CUSTOMER_ID = "customerId";

    public enum Source { EVENT, SEGMENT, API }

    public enum Outcome {
        ENROLLED,
        /** In the journey right now. */
        ALREADY_IN,
        /** Was in it before, and the re-entry policy says not again (yet). */
        NOT_AGAIN,
        /** No such customer. */
        UNKNOWN_CUSTOMER
    }

    /** The journey is a draft, paused or archived: nobody enters it now. */
    public static class NotTakingIn extends IllegalStateException {
        public NotTakingIn(Journeys.Journey journey) {
            super("The journey " + journey.key() + " takes nobody in: it is " + journey.status().name().toLowerCase()
                    + " / 旅程 " + journey.key() + " 当前不接收客户");
        }
    }

    /** Why an enrolment ended. */
    public enum EndReason { COMPLETED, GOAL, EXIT, OPT_OUT, ARCHIVED, CANCELLED }

    public record Enrollment(long id, String journeyKey, long customerId, int version, String processInstanceId, Source source,
            Instant enteredAt, Instant endedAt, String endReason, Instant convertedAt) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final RuntimeService runtimeService;
    private final Journeys journeys;
    private final TransactionTemplate transaction;
    private final CommandExecutor commands;
    private final Clock clock;

    /** @param commands the engine's command executor: a batch of customers enters in one command (see inOneCommand) */
    public Enrollments(JdbcTemplate jdbc, RuntimeService runtimeService, Journeys journeys,
            TransactionTemplate transaction, CommandExecutor commands, Clock clock) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.runtimeService = runtimeService;
        this.journeys = journeys;
        this.transaction = transaction;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * Runs the work in one engine command: the instances it starts are written in one flush, each kind of row as one
     * JDBC batch (a multi-row insert on PostgreSQL) instead of a round of inserts per customer. Measured: several times
     * the enrolment rate (benchmark/results).
     */
    private <T> T inOneCommand(java.util.function.Supplier<T> work) {
        return commands.execute(commandContext -> work.get());
    }

    /** Enrols one customer, with journey variables (e.g. the properties of the event that brought them). */
    public Outcome enroll(String journeyKey, long customerId, Source source, Map<String, Object> variables) {
        return enroll(journeyKey, List.of(customerId), source, variables).get(customerId);
    }

    /**
     * Enrols the customers in the journey's published version, in one transaction, and says for each what
     * happened. A customer listed twice is enrolled once.
     *
     * @throws NotTakingIn when the journey takes nobody in now (a draft, paused or archived)
     */
    public Map<Long, Outcome> enroll(String journeyKey, Collection<Long> customerIds, Source source, Map<String, Object> variables) {
        Journeys.Journey journey = journeys.require(journeyKey);
        if (journey.status() != Journeys.Status.PUBLISHED || journey.publishedVersion() == null) {
            throw new NotTakingIn(journey);
        }
        Journeys.Version version = journeys.version(journeyKey, journey.publishedVersion()).orElseThrow();
        try {
            return transaction.execute(status -> inOneCommand(() -> enrollAll(version,
                    new ArrayList<>(new java.util.LinkedHashSet<>(customerIds)), source, variables)));
        } catch (DuplicateKeyException raced) {
            // another node enrolled one of them at the same moment: one at a time, so the others still enter
            Map<Long, Outcome> outcomes = new LinkedHashMap<>();
            for (Long customerId : new java.util.LinkedHashSet<>(customerIds)) {
                try {
                    outcomes.putAll(transaction.execute(status -> inOneCommand(() -> enrollAll(version, List.of(customerId), source,
                            variables))));
                } catch (DuplicateKeyException again) {
                    outcomes.put(customerId, Outcome.ALREADY_IN);
                }
            }
            return outcomes;
        }
    }

    private Map<Long, Outcome> enrollAll(Journeys.Version version, List<Long> customerIds, Source source,
            Map<String, Object> variables) {
        Map<Long, Outcome> outcomes = new LinkedHashMap<>();
        Set<Long> known = new HashSet<>(named.queryForList("select id from pond_customer where id in (:ids) and merged_into is null",
                Map.of("ids", customerIds), Long.class));
        Map<Long, Object[]> history = new HashMap<>();
        named.query("select customer_id, max(entered_at), sum(case when ended_at is null then 1 else 0 end) from pond_enrollment"
                + " where journey_key = :journey and customer_id in (:ids) group by customer_id",
                Map.of("journey", version.journeyKey(), "ids", customerIds),
                rs -> {
                    history.put(rs.getLong(1), new Object[] {rs.getTimestamp(2).toInstant(), rs.getLong(3)});
                });
        JourneySettings settings = version.settings();
        Instant now = clock.instant();
        List<Object[]> rows = new ArrayList<>();
        for (Long customerId : customerIds) {
            Object[] before = history.get(customerId);
            Outcome outcome;
            if (!known.contains(customerId)) {
                outcome = Outcome.UNKNOWN_CUSTOMER;
            } else if (before != null && (Long) before[1] > 0) {
                outcome = Outcome.ALREADY_IN;
            } else if (before != null && !mayEnterAgain(settings, (Instant) before[0], now)) {
                outcome = Outcome.NOT_AGAIN;
            } else {
                Map<String, Object> instanceVariables = new HashMap<>(variables == null ? Map.of() : variables);
                instanceVariables.put(CUSTOMER_ID, customerId);
                // runs to the customer's first wait in this transaction (connector steps and scripts are jobs of their own)
                ProcessInstance instance = runtimeService.createProcessInstanceById(version.processDefinitionId())
                        .businessKey(Long.toString(customerId)).setVariables(instanceVariables).execute();
                boolean over = instance.isEnded();
                rows.add(new Object[] {version.journeyKey(), customerId, over ? null : version.journeyKey(), version.version(),
                        instance.getId(), source.name(), Timestamp.from(now), over ? Timestamp.from(now) : null,
                        over ? EndReason.COMPLETED.name() : null});
                outcome = Outcome.ENROLLED;
            }
            outcomes.put(customerId, outcome);
        }
        jdbc.batchUpdate("insert into pond_enrollment (journey_key, customer_id, active_journey, version, process_instance_id,"
                + " source, entered_at, ended_at, end_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        return outcomes;
    }

    private static boolean mayEnterAgain(JourneySettings settings, Instant lastEntered, Instant now) {
        return switch (settings.reentry()) {
            case ONCE -> false;
            case AFTER_DAYS -> !lastEntered.plus(Duration.ofDays(settings.reentryDays())).isAfter(now);
            case ANY -> true;
        };
    }

    /** Closes the enrolment of an instance that ended; the reason set earlier (goal, exit...) stays. */
    public void ended(String processInstanceId) {
        jdbc.update("update pond_enrollment set ended_at = ?, active_journey = null, end_reason = coalesce(end_reason, ?)"
                + " where process_instance_id = ? and ended_at is null", Timestamp.from(clock.instant()),
                EndReason.COMPLETED.name(), processInstanceId);
    }

    /**
     * Ends a customer's journey now, for a reason (the goal was reached: a conversion at this time; an exit
     * event; an opt-out). Returns false when the customer was not in it.
     */
    public boolean end(Enrollment enrollment, EndReason reason, String detail) {
        int marked = jdbc.update("update pond_enrollment set end_reason = ?, converted_at = case when ? then ? else converted_at end"
                        + " where id = ? and ended_at is null", reason.name(), reason == EndReason.GOAL,
                Timestamp.from(clock.instant()), enrollment.id());
        if (marked == 0) {
            return false;
        }
        if (enrollment.processInstanceId() != null
                && runtimeService.createProcessInstanceQuery().processInstanceId(enrollment.processInstanceId()).count() > 0) {
            runtimeService.deleteProcessInstance(enrollment.processInstanceId(), reason.name().toLowerCase() + ": " + detail,
                    true, true);
        } else {
            ended(enrollment.processInstanceId());
        }
        return true;
    }

    /** The customer's enrolments that are running now. */
    public List<Enrollment> active(long customerId) {
        return jdbc.query("select * from pond_enrollment where customer_id = ? and ended_at is null", (rs, i) -> enrollment(rs),
                customerId);
    }

    public List<Enrollment> of(long customerId) {
        return jdbc.query("select * from pond_enrollment where customer_id = ? order by entered_at desc", (rs, i) -> enrollment(rs),
                customerId);
    }

    public java.util.Optional<Enrollment> ofInstance(String processInstanceId) {
        return jdbc.query("select * from pond_enrollment where process_instance_id = ?", (rs, i) -> enrollment(rs),
                processInstanceId).stream().findFirst();
    }

    private static Enrollment enrollment(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Enrollment(rs.getLong("id"), rs.getString("journey_key"), rs.getLong("customer_id"), rs.getInt("version"),
                rs.getString("process_instance_id"), Source.valueOf(rs.getString("source")),
                rs.getTimestamp("entered_at").toInstant(), instant(rs.getTimestamp("ended_at")), rs.getString("end_reason"),
                instant(rs.getTimestamp("converted_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
