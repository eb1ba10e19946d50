package io.pond.engine.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/** Appends to and reads {@code pond_audit_event}: who did what, when. Entries are never changed. */
public class AuditLog {

    private static final int MAX_DETAIL = 1024;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records one event; {@code actor} is a user id or {@code null} for the system itself. */
    public void record(String actor, String action, String detail) {
        String shortened = detail != null && detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        jdbc.update("insert into pond_audit_event (occurred_at, actor, action, detail) values (?, ?, ?, ?)",
                Timestamp.from(clock.instant()), actor, action, shortened);
    }

    /** The newest events first. */
    public List<AuditEvent> latest(int limit) {
        return jdbc.query("select occurred_at, actor, action, detail from pond_audit_event order by id desc limit ?",
                (rs, i) -> new AuditEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4)),
                limit);
    }

    public record AuditEvent(Instant occurredAt, String actor, String action, String detail) {
    }
}
