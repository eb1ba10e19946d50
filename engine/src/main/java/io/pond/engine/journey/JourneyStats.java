package io.pond.engine.journey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.pond.engine.api.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Per-node figures of a journey version, each from one grouped query over the engine's and Pond's tables (never
 * per instance): customers waiting at the node now, customers who passed it, open incidents there (failed), and
 * how many of those who passed it converted (reached the goal). Plus the version's totals.
 */
public class JourneyStats {

    public record NodeStats(String activityId, long waiting, long passed, long failed, long converted) {
    }

    public record Totals(long entered, long active, long converted, Map<String, Long> endedBy) {
    }

    public record VersionStats(String journeyKey, int version, Totals totals, Map<String, NodeStats> nodes) {
    }

    private final JdbcTemplate jdbc;
    private final Journeys journeys;

    public JourneyStats(JdbcTemplate jdbc, Journeys journeys) {
        this.jdbc = jdbc;
        this.journeys = journeys;
    }

    public VersionStats of(String journeyKey, int version) {
        Journeys.Version published = journeys.version(journeyKey, version)
                .orElseThrow(() -> new NotFoundException("The journey " + journeyKey + " has no version " + version));
        String definition = published.processDefinitionId();
        Map<String, long[]> nodes = new TreeMap<>();
        jdbc.query("select act_id_, count(distinct proc_inst_id_) from act_ru_execution where proc_def_id_ = ? and act_id_ is not null"
                + " group by act_id_", rs -> {
                    node(nodes, rs.getString(1))[0] = rs.getLong(2);
                }, definition);
        jdbc.query("select act_id_, count(distinct proc_inst_id_) from act_hi_actinst where proc_def_id_ = ? and end_time_ is not null"
                + " and (act_inst_state_ is null or act_inst_state_ <> 2) group by act_id_", rs -> {
                    node(nodes, rs.getString(1))[1] = rs.getLong(2);
                }, definition);
        jdbc.query("select activity_id_, count(distinct proc_inst_id_) from act_ru_incident where proc_def_id_ = ?"
                + " and activity_id_ is not null group by activity_id_", rs -> {
                    node(nodes, rs.getString(1))[2] = rs.getLong(2);
                }, definition);
        jdbc.query("select a.act_id_, count(distinct a.proc_inst_id_) from act_hi_actinst a join pond_enrollment e"
                + " on e.process_instance_id = a.proc_inst_id_ where a.proc_def_id_ = ? and e.converted_at is not null"
                + " group by a.act_id_", rs -> {
                    node(nodes, rs.getString(1))[3] = rs.getLong(2);
                }, definition);
        Map<String, NodeStats> result = new LinkedHashMap<>();
        nodes.forEach((id, n) -> result.put(id, new NodeStats(id, n[0], n[1], n[2], n[3])));

        long[] totals = new long[2]; // entered, converted
        Map<String, Long> endedBy = new TreeMap<>();
        jdbc.query("select end_reason, count(*), sum(case when converted_at is not null then 1 else 0 end) from pond_enrollment"
                + " where journey_key = ? and version = ? group by end_reason", rs -> {
                    String reason = rs.getString(1);
                    long count = rs.getLong(2);
                    totals[0] += count;
                    totals[1] += rs.getLong(3);
                    if (reason != null) {
                        endedBy.put(reason, count);
                    }
                }, journeyKey, version);
        // an enrolment marked with a reason is still active until its instance is gone
        Long stillActive = jdbc.queryForObject("select count(*) from pond_enrollment where journey_key = ? and version = ?"
                + " and ended_at is null", Long.class, journeyKey, version);
        return new VersionStats(journeyKey, version, new Totals(totals[0], stillActive == null ? 0 : stillActive, totals[1],
                endedBy), result);
    }

    private static long[] node(Map<String, long[]> nodes, String activityId) {
        return nodes.computeIfAbsent(activityId, id -> new long[4]);
    }
}
