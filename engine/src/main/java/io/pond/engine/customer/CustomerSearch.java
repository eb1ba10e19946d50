package io.pond.engine.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.SegmentSql;
import io.pond.engine.segment.Segments;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pages of the customer list: everyone, or those matching a text (a name prefix or any identity), a tag
 * and a segment. Each page is one query with an offset; the count another.
 */
public class CustomerSearch {

    private final JdbcTemplate jdbc;
    private final Segments segments;

    public CustomerSearch(JdbcTemplate jdbc, Segments segments) {
        this.jdbc = jdbc;
        this.segments = segments;
    }

    /** What the list is narrowed to; every part may be empty. */
    public record Filter(String text, Long tagId, SegmentCondition segment) {

        public static final Filter EVERYONE = new Filter(null, null, null);
    }

    /** A customer in the list, with the identities to show next to the name. */
    public record Listed(Customer customer, List<Identity> identities) {
    }

    public long count(Filter filter) {
        Query query = query(filter);
        Long count = jdbc.queryForObject("select count(*) from pond_customer c where " + query.predicate(), Long.class,
                query.parameters().toArray());
        return count == null ? 0 : count;
    }

    public List<Listed> page(Filter filter, int offset, int limit) {
        Query query = query(filter);
        List<Object> parameters = new ArrayList<>(query.parameters());
        parameters.add(limit);
        parameters.add(offset);
        List<Customer> customers = jdbc.query("select " + CustomerDirectory.COLUMNS + " from pond_customer c where "
                + query.predicate() + " order by c.id desc limit ? offset ?", CustomerDirectory.CUSTOMER, parameters.toArray());
        if (customers.isEmpty()) {
            return List.of();
        }
        java.util.Map<Long, List<Identity>> identities = new java.util.HashMap<>();
        new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(jdbc).query(
                "select customer_id, identity_type, identity_value from pond_customer_identity where customer_id in (:ids)"
                        + " order by created_at, identity_type, identity_value",
                java.util.Map.of("ids", customers.stream().map(Customer::id).toList()), rs -> {
                    identities.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                            .add(new Identity(IdentityType.ofKey(rs.getString(2)).orElseThrow(), rs.getString(3)));
                });
        return customers.stream().map(c -> new Listed(c, identities.getOrDefault(c.id(), List.of()))).toList();
    }

    private record Query(String predicate, List<Object> parameters) {
    }

    private Query query(Filter filter) {
        StringBuilder predicate = new StringBuilder("c.merged_into is null");
        List<Object> parameters = new ArrayList<>();
        String text = filter.text() == null ? "" : filter.text().trim();
        if (!text.isEmpty()) {
            List<String> matches = new ArrayList<>();
            matches.add("lower(c.display_name) like ? escape '\\'");
            parameters.add(SegmentSql.escapeLike(text.toLowerCase(Locale.ROOT)) + "%");
            for (IdentityType type : IdentityType.values()) {
                Optional<String> value = normalized(type, text);
                if (value.isPresent()) {
                    matches.add("exists (select 1 from pond_customer_identity i where i.customer_id = c.id"
                            + " and i.identity_type = ? and i.identity_value = ?)");
                    parameters.add(type.key());
                    parameters.add(value.get());
                }
            }
            predicate.append(" and (").append(String.join(" or ", matches)).append(")");
        }
        List<SegmentCondition> conditions = new ArrayList<>();
        if (filter.tagId() != null) {
            conditions.add(new SegmentCondition.HasTag(filter.tagId()));
        }
        if (filter.segment() != null) {
            conditions.add(filter.segment());
        }
        if (!conditions.isEmpty()) {
            SegmentSql.Compiled compiled = segments.compile(new SegmentCondition.All(conditions));
            predicate.append(" and ").append(compiled.predicate());
            parameters.addAll(compiled.parameters());
        }
        return new Query(predicate.toString(), parameters);
    }

    private static Optional<String> normalized(IdentityType type, String text) {
        try {
            return Optional.of(type.normalize(text));
        } catch (IllegalArgumentException notThisType) {
            return Optional.empty();
        }
    }
}
