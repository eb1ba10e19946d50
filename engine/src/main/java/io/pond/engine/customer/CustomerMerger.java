package io.pond.engine.customer;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.pond.engine.audit.AuditLog;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Merges one customer profile into another when an identity proves they are one person. Nothing is
 * lost: identities, tags, events, consents, attributes and running journeys move to the survivor,
 * the merged profile stays as a tombstone pointing to it, and the merge is recorded on the profile and
 * in the audit log. Runs inside the caller's transaction.
 */
public class CustomerMerger {

    private final JdbcTemplate jdbc;
    private final ProcessEngine engine;
    private final AuditLog auditLog;
    private final Clock clock;

    public CustomerMerger(JdbcTemplate jdbc, ProcessEngine engine, AuditLog auditLog, Clock clock) {
        this.jdbc = jdbc;
        this.engine = engine;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Moves everything of {@code mergedId} to {@code survivorId}; {@code reason} says which identity proved it. */
    public void merge(long survivorId, long mergedId, String reason) {
        if (survivorId == mergedId) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        // lock both rows in a fixed order, so two merges of the same pair cannot deadlock
        jdbc.queryForList("select id from pond_customer where id in (?, ?) order by id for update",
                Long.class, Math.min(survivorId, mergedId), Math.max(survivorId, mergedId));

        int identities = jdbc.update("update pond_customer_identity set customer_id = ? where customer_id = ?",
                survivorId, mergedId);
        int tags = jdbc.update("""
                insert into pond_customer_tag (customer_id, tag_id, source, tagged_at)
                select ?, m.tag_id, m.source, m.tagged_at from pond_customer_tag m
                 where m.customer_id = ?
                   and not exists (select 1 from pond_customer_tag s where s.customer_id = ? and s.tag_id = m.tag_id)""",
                survivorId, mergedId, survivorId);
        jdbc.update("delete from pond_customer_tag where customer_id = ?", mergedId);
        int events = jdbc.update("update pond_event set customer_id = ? where customer_id = ?", survivorId, mergedId);
        int attributes = jdbc.update("""
                insert into pond_customer_attribute
                       (customer_id, attribute_key, string_value, number_value, boolean_value, date_value)
                select ?, m.attribute_key, m.string_value, m.number_value, m.boolean_value, m.date_value
                  from pond_customer_attribute m
                 where m.customer_id = ?
                   and not exists (select 1 from pond_customer_attribute s
                                    where s.customer_id = ? and s.attribute_key = m.attribute_key)""",
                survivorId, mergedId, survivorId);
        jdbc.update("delete from pond_customer_attribute where customer_id = ?", mergedId);
        int consents = mergeConsents(survivorId, mergedId);
        mergeProfile(survivorId, mergedId, now);
        int journeys = moveJourneys(survivorId, mergedId);

        String moved = "identities=" + identities + ", tags=" + tags + ", events=" + events + ", consents=" + consents
                + ", attributes=" + attributes + ", journeys=" + journeys;
        jdbc.update("insert into pond_customer_merge (survivor_id, merged_id, reason, moved, merged_at) values (?, ?, ?, ?, ?)",
                survivorId, mergedId, abbreviate(reason, 300), moved, now);
        auditLog.record(null, "CUSTOMER_MERGED", "customer " + mergedId + " into " + survivorId + ": " + reason + " (" + moved + ")");
    }

    /** Per channel the newer decision wins; on a tie a refusal wins, since contacting someone who refused is worse. */
    private int mergeConsents(long survivorId, long mergedId) {
        List<Map<String, Object>> theirs = jdbc.queryForList(
                "select channel, granted, source, changed_at from pond_consent where customer_id = ?", mergedId);
        int moved = 0;
        for (Map<String, Object> consent : theirs) {
            String channel = (String) consent.get("channel");
            List<Map<String, Object>> ours = jdbc.queryForList(
                    "select granted, changed_at from pond_consent where customer_id = ? and channel = ?", survivorId, channel);
            Timestamp theirTime = toTimestamp(consent.get("changed_at"));
            boolean theirGranted = (Boolean) consent.get("granted");
            boolean takeTheirs;
            if (ours.isEmpty()) {
                takeTheirs = true;
            } else {
                Timestamp ourTime = toTimestamp(ours.get(0).get("changed_at"));
                int newer = theirTime.compareTo(ourTime);
                takeTheirs = newer > 0 || (newer == 0 && !theirGranted);
            }
            if (takeTheirs) {
                jdbc.update("delete from pond_consent where customer_id = ? and channel = ?", survivorId, channel);
                jdbc.update("insert into pond_consent (customer_id, channel, granted, source, changed_at) values (?, ?, ?, ?, ?)",
                        survivorId, channel, theirGranted, consent.get("source"), theirTime);
                moved++;
            }
        }
        jdbc.update("delete from pond_consent where customer_id = ?", mergedId);
        return moved;
    }

    /** Points add up; blanks of the survivor are filled from the merged profile; a prospect takes the other's stage. */
    private void mergeProfile(long survivorId, long mergedId, Timestamp now) {
        Map<String, Object> merged = jdbc.queryForMap(
                "select display_name, lifecycle_stage, member_tier, points, owner_id from pond_customer where id = ?", mergedId);
        jdbc.update("""
                update pond_customer set
                       display_name = coalesce(display_name, ?),
                       lifecycle_stage = case when lifecycle_stage = 'PROSPECT' then ? else lifecycle_stage end,
                       member_tier = coalesce(member_tier, ?),
                       points = points + ?,
                       owner_id = coalesce(owner_id, ?),
                       updated_at = ?
                 where id = ?""",
                merged.get("display_name"), merged.get("lifecycle_stage"), merged.get("member_tier"),
                ((Number) merged.get("points")).longValue(), merged.get("owner_id"), now, survivorId);
        jdbc.update("update pond_customer set merged_into = ?, points = 0, updated_at = ? where id = ?", survivorId, now, mergedId);
        // earlier merges into the merged profile now point to the survivor too
        jdbc.update("update pond_customer set merged_into = ? where merged_into = ?", survivorId, mergedId);
    }

    /** Journeys the merged profile is in continue for the survivor (Camunda 7 has no public API to re-key). */
    private int moveJourneys(long survivorId, long mergedId) {
        // a journey both are in keeps the survivor's run: the other one ends, so nobody gets a journey twice
        List<String> twice = jdbc.queryForList("select m.process_instance_id from pond_enrollment m join pond_enrollment s"
                + " on s.journey_key = m.journey_key and s.customer_id = ? and s.ended_at is null"
                + " where m.customer_id = ? and m.ended_at is null and m.process_instance_id is not null", String.class,
                survivorId, mergedId);
        for (String instance : twice) {
            jdbc.update("update pond_enrollment set end_reason = 'CANCELLED' where process_instance_id = ?", instance);
            engine.getRuntimeService().deleteProcessInstanceIfExists(instance, "merged into customer " + survivorId
                    + ", who is in this journey already", true, true, false, false);
        }
        jdbc.update("update pond_enrollment set customer_id = ? where customer_id = ?", survivorId, mergedId);
        List<ProcessInstance> running = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(Long.toString(mergedId)).list();
        if (running.isEmpty()) {
            return 0;
        }
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired()
                .execute(context -> {
                    for (ProcessInstance instance : running) {
                        var execution = context.getExecutionManager().findExecutionById(instance.getId());
                        execution.setProcessBusinessKey(Long.toString(survivorId));
                        if (execution.hasVariableLocal("customerId")) {
                            execution.setVariableLocal("customerId", survivorId);
                        }
                    }
                    return null;
                });
        return running.size();
    }

    private static Timestamp toTimestamp(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return Timestamp.from(offset.toInstant());
        }
        return Timestamp.valueOf(Objects.toString(value));
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
