package io.pond.engine.customer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

import io.pond.engine.db.SqlDialect;

/** Tag groups, tags (mirrors of WeCom corp tags) and the tags on customers, each with its source and time. */
public class CustomerTags {

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Clock clock;

    public CustomerTags(JdbcTemplate jdbc, SqlDialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.clock = clock;
    }

    public record TagGroup(long id, String name, String weComGroupId) {
    }

    public record Tag(long id, long groupId, String groupName, String name, String weComTagId) {

        /** "group: tag", as people say it. */
        public String label() {
            return groupName + ": " + name;
        }
    }

    public record CustomerTag(Tag tag, TagSource source, Instant taggedAt) {
    }

    public List<TagGroup> groups() {
        return jdbc.query("select id, name, wecom_group_id from pond_tag_group order by name",
                (rs, i) -> new TagGroup(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    public List<Tag> tags() {
        return jdbc.query(TAG_QUERY + " order by g.name, t.name", (rs, i) -> mapTag(rs));
    }

    public Optional<Tag> tag(long id) {
        return jdbc.query(TAG_QUERY + " where t.id = ?", (rs, i) -> mapTag(rs), id).stream().findFirst();
    }

    public Optional<Tag> findTag(String groupName, String tagName) {
        return jdbc.query(TAG_QUERY + " where g.name = ? and t.name = ?", (rs, i) -> mapTag(rs), groupName, tagName)
                .stream().findFirst();
    }

    /** The group of that name, made when missing. */
    public long ensureGroup(String name, String weComGroupId) {
        String clean = requireName(name, "tag group");
        Optional<Long> existing = jdbc.queryForList("select id from pond_tag_group where name = ?", Long.class, clean)
                .stream().findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        // journeys on several job threads may make the same group at the same moment
        jdbc.update("insert into pond_tag_group (name, wecom_group_id, created_at) values (?, ?, ?)"
                + dialect.ignoringConflictOn("name"), clean, weComGroupId, Timestamp.from(clock.instant()));
        return jdbc.queryForObject("select id from pond_tag_group where name = ?", Long.class, clean);
    }

    /** The tag of that name in that group, made (with its group) when missing. */
    public Tag ensureTag(String groupName, String tagName, String weComTagId) {
        long group = ensureGroup(groupName, null);
        String clean = requireName(tagName, "tag");
        Optional<Tag> existing = findTag(groupName.trim(), clean);
        if (existing.isPresent()) {
            return existing.get();
        }
        jdbc.update("insert into pond_tag (group_id, name, wecom_tag_id, created_at) values (?, ?, ?, ?)"
                + dialect.ignoringConflictOn("group_id, name"), group, clean, weComTagId, Timestamp.from(clock.instant()));
        return findTag(groupName.trim(), clean).orElseThrow();
    }

    public void rename(long tagId, String newName) {
        jdbc.update("update pond_tag set name = ? where id = ?", requireName(newName, "tag"), tagId);
    }

    /** Removes a tag everywhere; rules that use it must be removed first. */
    public void deleteTag(long tagId) {
        Integer rules = jdbc.queryForObject("select count(*) from pond_auto_tag_rule where tag_id = ?", Integer.class, tagId);
        if (rules != null && rules > 0) {
            throw new IllegalStateException("The tag is used by " + rules + " auto-tag rule(s); remove them first");
        }
        jdbc.update("delete from pond_customer_tag where tag_id = ?", tagId);
        jdbc.update("delete from pond_tag where id = ?", tagId);
    }

    /** Tags customers; a customer who has the tag already keeps its first source and time. */
    public int tag(Collection<Long> customerIds, long tagId, TagSource source) {
        return tag(customerIds.stream().map(customer -> new long[] {customer, tagId}).toList(), source);
    }

    /** Puts tags on customers, given as {customer id, tag id} pairs; returns how many were new. */
    public int tag(List<long[]> customerAndTag, TagSource source) {
        Timestamp now = Timestamp.from(clock.instant());
        return SqlDialect.count(dialect.insertIgnoringDuplicates(jdbc, "pond_customer_tag",
                List.of(new SqlDialect.Column("customer_id", "bigint"), new SqlDialect.Column("tag_id", "bigint"),
                        new SqlDialect.Column("source", "varchar"), new SqlDialect.Column("tagged_at", "timestamptz")),
                List.of("customer_id", "tag_id"),
                customerAndTag.stream().map(pair -> new Object[] {pair[0], pair[1], source.name(), now}).toList()));
    }

    public int untag(Collection<Long> customerIds, long tagId) {
        int[][] counts = jdbc.batchUpdate("delete from pond_customer_tag where customer_id = ? and tag_id = ?",
                customerIds, 1000, (ps, customerId) -> {
                    ps.setLong(1, customerId);
                    ps.setLong(2, tagId);
                });
        return sum(counts);
    }

    public List<CustomerTag> tagsOf(long customerId) {
        return jdbc.query("""
                select t.id, t.group_id, g.name as group_name, t.name, t.wecom_tag_id, ct.source, ct.tagged_at
                  from pond_customer_tag ct join pond_tag t on t.id = ct.tag_id join pond_tag_group g on g.id = t.group_id
                 where ct.customer_id = ? order by g.name, t.name""",
                (rs, i) -> new CustomerTag(mapTag(rs), TagSource.valueOf(rs.getString("source")),
                        rs.getTimestamp("tagged_at").toInstant()), customerId);
    }

    private static final String TAG_QUERY = "select t.id, t.group_id, g.name as group_name, t.name, t.wecom_tag_id"
            + " from pond_tag t join pond_tag_group g on g.id = t.group_id";

    private static Tag mapTag(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Tag(rs.getLong("id"), rs.getLong("group_id"), rs.getString("group_name"), rs.getString("name"),
                rs.getString("wecom_tag_id"));
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A " + what + " needs a name");
        }
        String clean = name.trim();
        if (clean.length() > 100) {
            throw new IllegalArgumentException("A " + what + " name has at most 100 characters");
        }
        return clean;
    }

    static int sum(int[][] counts) {
        int total = 0;
        for (int[] chunk : counts) {
            for (int count : chunk) {
                total += Math.max(count, 0);
            }
        }
        return total;
    }
}
