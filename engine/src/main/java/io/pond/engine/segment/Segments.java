package io.pond.engine.segment;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.customer.Customer;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.db.Jdbc;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Saved, named segments, and what they select right now: a count, a sample, or every member one by one. */
public class Segments {

    private final JdbcTemplate jdbc;
    private final CustomerAttributes attributes;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ZoneId zone;

    public Segments(JdbcTemplate jdbc, CustomerAttributes attributes, ObjectMapper json, TransactionTemplate transaction,
            Clock clock, ZoneId zone) {
        this.jdbc = jdbc;
        this.attributes = attributes;
        this.json = json;
        this.transaction = transaction;
        this.clock = clock;
        this.zone = zone;
    }

    public record Segment(long id, String name, SegmentCondition definition, String updatedBy, Instant updatedAt) {
    }

    public SegmentSql.Compiled compile(SegmentCondition definition) {
        return new SegmentSql(attributes.definitions(), clock, zone, id -> find(id).map(Segment::definition).orElse(null))
                .compile(definition);
    }

    public long count(SegmentCondition definition) {
        SegmentSql.Compiled compiled = compile(definition);
        Long count = jdbc.queryForObject(compiled.countQuery(), Long.class, compiled.parameters().toArray());
        return count == null ? 0 : count;
    }

    /** The first {@code limit} members by id, with their profiles. */
    public List<Customer> sample(SegmentCondition definition, int limit) {
        SegmentSql.Compiled compiled = compile(definition);
        List<Object> parameters = new java.util.ArrayList<>(compiled.parameters());
        parameters.add(limit);
        return jdbc.query("select " + CUSTOMER_COLUMNS + " from pond_customer c where c.merged_into is null and "
                        + compiled.predicate() + " order by c.id limit ?",
                io.pond.engine.customer.CustomerRows.CUSTOMER, parameters.toArray());
    }

    /** Streams the members' ids without holding them in memory (a cursor, inside a read-only transaction). */
    public void forEachMember(SegmentCondition definition, LongConsumer member) {
        SegmentSql.Compiled compiled = compile(definition);
        transaction.executeWithoutResult(status -> jdbc.query(connection -> {
            var statement = connection.prepareStatement(compiled.idQuery());
            statement.setFetchSize(5000);
            for (int i = 0; i < compiled.parameters().size(); i++) {
                statement.setObject(i + 1, compiled.parameters().get(i));
            }
            return statement;
        }, rs -> {
            member.accept(rs.getLong(1));
        }));
    }

    public List<Segment> list() {
        return jdbc.query("select id, name, definition, created_by, updated_at from pond_segment order by name",
                (rs, i) -> new Segment(rs.getLong(1), rs.getString(2), read(rs.getString(3)), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
    }

    public Optional<Segment> find(long id) {
        return list().stream().filter(segment -> segment.id() == id).findFirst();
    }

    /** Saves a new segment ({@code id} null) or changes one; the definition must compile. */
    public long save(Long id, String name, SegmentCondition definition, String actor) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A segment needs a name");
        }
        compile(definition);
        String text = write(definition);
        Timestamp now = Timestamp.from(clock.instant());
        try {
            if (id == null) {
                return Jdbc.insertReturningId(jdbc, "insert into pond_segment (name, definition, created_by, updated_at)"
                        + " values (?, ?, ?, ?)", name.trim(), text, actor, now);
            }
            jdbc.update("update pond_segment set name = ?, definition = ?, created_by = ?, updated_at = ? where id = ?",
                    name.trim(), text, actor, now, id);
            return id;
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("A segment named '" + name.trim() + "' exists already");
        }
    }

    public void delete(long id) {
        jdbc.update("delete from pond_segment where id = ?", id);
    }

    public String write(SegmentCondition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public SegmentCondition read(String text) {
        try {
            return json.readValue(text, SegmentCondition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a segment definition: " + e.getOriginalMessage(), e);
        }
    }

    private static final String CUSTOMER_COLUMNS = "c.id, c.display_name, c.lifecycle_stage, c.member_tier, c.points,"
            + " c.timezone, c.owner_id, c.merged_into, c.created_at, c.updated_at";
}
