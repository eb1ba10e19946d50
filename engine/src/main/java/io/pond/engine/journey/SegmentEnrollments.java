package io.pond.engine.journey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import io.pond.engine.db.Jdbc;
import io.pond.engine.segment.SegmentSql;
import io.pond.engine.segment.Segments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enrols a segment's members into a journey in the background: page by page in customer id order, each page
 * enrolled and the job's progress (and resume point) written in one transaction, so a restart or a crash resumes
 * after the last page that counted and nobody is enrolled twice. Memory stays flat whatever the segment's size.
 * A job can be cancelled between pages; a job whose node stopped beating is taken over by another node.
 */
public class SegmentEnrollments {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentEnrollments.class);
    private static final Duration ORPHANED_AFTER = Duration.ofMinutes(1);

    public enum Status { RUNNING, CANCELLING, CANCELLED, DONE, FAILED }

    public record Job(long id, String journeyKey, long segmentId, Status status, long total, long processed, long enrolled,
            long skipped, String error, String startedBy, Instant createdAt, Instant updatedAt) {

        public int percent() {
            return total == 0 ? (status == Status.DONE ? 100 : 0) : (int) Math.min(100, processed * 100 / total);
        }
    }

    private final JdbcTemplate jdbc;
    private final Segments segments;
    private final Journeys journeys;
    private final Enrollments enrollments;
    private final TransactionTemplate transaction;
    private final ExecutorService workers;
    private final Clock clock;
    private final int pageSize;
    private final String node = UUID.randomUUID().toString();

    public SegmentEnrollments(JdbcTemplate jdbc, Segments segments, Journeys journeys, Enrollments enrollments,
            TransactionTemplate transaction, ExecutorService workers, Clock clock, int pageSize) {
        this.jdbc = jdbc;
        this.segments = segments;
        this.journeys = journeys;
        this.enrollments = enrollments;
        this.transaction = transaction;
        this.workers = workers;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    /** Starts enrolling the segment's members now; returns the job to follow. */
    public Job start(String journeyKey, long segmentId, String actor) {
        Journeys.Journey journey = journeys.require(journeyKey);
        if (journey.status() != Journeys.Status.PUBLISHED) {
            throw new Enrollments.NotTakingIn(journey);
        }
        Segments.Segment segment = segments.find(segmentId)
                .orElseThrow(() -> new IllegalArgumentException("There is no segment " + segmentId));
        long total = segments.count(segment.definition());
        Timestamp now = now();
        long id = Jdbc.insertReturningId(jdbc, "insert into pond_enrollment_job (journey_key, segment_id, status, total,"
                + " started_by, node, heartbeat_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", journeyKey,
                segmentId, Status.RUNNING.name(), total, actor, node, now, now, now);
        workers.submit(() -> run(id));
        return job(id).orElseThrow();
    }

    /** Stops the job after the page being enrolled; the customers enrolled so far stay in the journey. */
    public void cancel(long id) {
        jdbc.update("update pond_enrollment_job set status = ?, updated_at = ? where id = ? and status = ?",
                Status.CANCELLING.name(), now(), id, Status.RUNNING.name());
    }

    public Optional<Job> job(long id) {
        return jdbc.query("select * from pond_enrollment_job where id = ?", (rs, i) -> job(rs), id).stream().findFirst();
    }

    public List<Job> jobs(String journeyKey) {
        return jdbc.query("select * from pond_enrollment_job where journey_key = ? order by id desc", (rs, i) -> job(rs),
                journeyKey);
    }

    /** Takes over the jobs whose node stopped (a restart, a crash): they go on from their resume point. */
    public int resumeOrphaned() {
        List<Long> orphaned = jdbc.queryForList("select id from pond_enrollment_job where status in (?, ?)"
                + " and (heartbeat_at is null or heartbeat_at < ?)", Long.class, Status.RUNNING.name(), Status.CANCELLING.name(),
                Timestamp.from(clock.instant().minus(ORPHANED_AFTER)));
        int resumed = 0;
        for (Long id : orphaned) {
            if (jdbc.update("update pond_enrollment_job set node = ?, heartbeat_at = ? where id = ? and (heartbeat_at is null"
                    + " or heartbeat_at < ?)", node, now(), id, Timestamp.from(clock.instant().minus(ORPHANED_AFTER))) == 1) {
                workers.submit(() -> run(id));
                resumed++;
            }
        }
        return resumed;
    }

    /** Runs the job to its end on this thread (the workers call it; tests may too). */
    public void run(long id) {
        runPages(id, Integer.MAX_VALUE);
    }

    /** Enrols up to {@code pages} pages (or to the end, or until cancelled); true while the job still has work. */
    boolean runPages(long id, int pages) {
        try {
            for (int page = 0; page < pages; page++) {
                Job job = job(id).orElseThrow();
                if (job.status() == Status.CANCELLING) {
                    finish(id, Status.CANCELLED, null);
                    return false;
                }
                if (job.status() != Status.RUNNING) {
                    return false;
                }
                if (!enrollNextPage(job)) {
                    finish(id, Status.DONE, null);
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Enrolling segment members (job {}) failed: {}", id, e.getMessage(), e);
            finish(id, Status.FAILED, abbreviate(e.getMessage() == null ? e.toString() : e.getMessage()));
            return false;
        }
    }

    /** One page: its members enrolled and the progress counted together. False when there were none left. */
    private boolean enrollNextPage(Job job) {
        Segments.Segment segment = segments.find(job.segmentId())
                .orElseThrow(() -> new IllegalStateException("The segment " + job.segmentId() + " was deleted"));
        SegmentSql.Compiled compiled = segments.compile(segment.definition());
        Boolean more = transaction.execute(status -> {
            Long resumeAfter = jdbc.queryForObject("select last_customer_id from pond_enrollment_job where id = ? for update",
                    Long.class, job.id());
            List<Object> parameters = new ArrayList<>(compiled.parameters());
            parameters.add(resumeAfter);
            parameters.add(pageSize);
            List<Long> page = jdbc.queryForList("select c.id from pond_customer c where c.merged_into is null and "
                    + compiled.predicate() + " and c.id > ? order by c.id limit ?", Long.class, parameters.toArray());
            if (page.isEmpty()) {
                return false;
            }
            Map<Long, Enrollments.Outcome> outcomes = enrollments.enroll(job.journeyKey(), page, Enrollments.Source.SEGMENT,
                    Map.of());
            long enrolled = outcomes.values().stream().filter(o -> o == Enrollments.Outcome.ENROLLED).count();
            jdbc.update("update pond_enrollment_job set processed = processed + ?, enrolled = enrolled + ?, skipped = skipped + ?,"
                    + " last_customer_id = ?, heartbeat_at = ?, updated_at = ? where id = ?", page.size(), enrolled,
                    page.size() - enrolled, page.get(page.size() - 1), now(), now(), job.id());
            return true;
        });
        return Boolean.TRUE.equals(more);
    }

    private void finish(long id, Status status, String error) {
        jdbc.update("update pond_enrollment_job set status = ?, error = ?, updated_at = ? where id = ?", status.name(), error,
                now(), id);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static String abbreviate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 999);
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getLong("id"), rs.getString("journey_key"), rs.getLong("segment_id"),
                Status.valueOf(rs.getString("status")), rs.getLong("total"), rs.getLong("processed"), rs.getLong("enrolled"),
                rs.getLong("skipped"), rs.getString("error"), rs.getString("started_by"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
