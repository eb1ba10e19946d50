package io.pond.engine.event;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/** A customer's behaviour events, newest first, for the profile's timeline. */
public class EventHistory {

    private final JdbcTemplate jdbc;

    public EventHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<CustomerEvent> latest(long customerId, int limit) {
        return jdbc.query("select event_id, customer_id, event_type, occurred_at, properties from pond_event"
                        + " where customer_id = ? order by occurred_at desc, id desc limit ?",
                (rs, i) -> new CustomerEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getString(5)), customerId, limit);
    }

    public long count(long customerId) {
        Long count = jdbc.queryForObject("select count(*) from pond_event where customer_id = ?", Long.class, customerId);
        return count == null ? 0 : count;
    }
}
