package io.pond.engine.customer;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.pond.engine.db.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Finds customers by their identities, creates the ones not seen before and merges profiles that an
 * identity proves to be one person. Works on whole batches with a few set-based statements, so an
 * import or a batch of events does not cost a query per row. Runs inside the caller's transaction.
 */
public class CustomerDirectory {

    static final String COLUMNS = "id, display_name, lifecycle_stage, member_tier, points, timezone, owner_id,"
            + " merged_into, created_at, updated_at";
    private static final int LOOKUP_CHUNK = 1000;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final SqlDialect dialect;
    private final CustomerMerger merger;
    private final Clock clock;

    public CustomerDirectory(JdbcTemplate jdbc, SqlDialect dialect, CustomerMerger merger, Clock clock) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = dialect;
        this.merger = merger;
        this.clock = clock;
    }

    /**
     * The customer of each group of identities, in the same order: the one that owns them, a new one
     * when none does, or, when they belong to several, the oldest of those with the others merged into it.
     * Identities not stored yet are added to their customer.
     *
     * @param groups one non-empty set of identities per event or row
     * @param source what brought the identities, for the merge record (e.g. "event e-17")
     */
    public long[] resolve(List<Set<Identity>> groups, List<String> source) {
        Map<Identity, Long> owners = owners(groups.stream().flatMap(Set::stream).toList());
        long[] customers = new long[groups.size()];
        Set<Long> created = new LinkedHashSet<>();
        IdBlock newIds = new IdBlock(groups.stream().filter(group -> group.stream().noneMatch(owners::containsKey)).count());
        Map<Identity, Long> added = new java.util.LinkedHashMap<>();

        for (int i = 0; i < groups.size(); i++) {
            Set<Identity> group = groups.get(i);
            TreeSet<Long> found = new TreeSet<>();
            group.stream().map(owners::get).filter(java.util.Objects::nonNull).forEach(found::add);
            long customer;
            if (found.isEmpty()) {
                customer = newIds.next();
                created.add(customer);
            } else {
                customer = found.first();
                for (long other : found.tailSet(customer, false)) {
                    // a customer made earlier in this batch is not stored yet: only our bookkeeping changes
                    if (!created.remove(other)) {
                        merger.merge(customer, other, "identity shared by " + describe(group) + " (" + source.get(i) + ")");
                    }
                    remap(owners, added, customers, i, other, customer);
                }
            }
            for (Identity identity : group) {
                if (!owners.containsKey(identity)) {
                    owners.put(identity, customer);
                    added.put(identity, customer);
                }
            }
            customers[i] = customer;
        }
        insertCustomers(created);
        insertIdentities(added, owners, customers, source);
        return customers;
    }

    /** The customer, following merges to the profile that holds the data now. */
    public Optional<Customer> find(long id) {
        long current = id;
        for (int hops = 0; hops < 100; hops++) {
            List<Customer> found = jdbc.query("select " + COLUMNS + " from pond_customer where id = ?", CUSTOMER, current);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Customer customer = found.get(0);
            if (customer.mergedInto() == null) {
                return Optional.of(customer);
            }
            current = customer.mergedInto();
        }
        throw new IllegalStateException("Customer " + id + " is in a loop of merges");
    }

    public Optional<Long> findByIdentity(Identity identity) {
        return jdbc.query("select customer_id from pond_customer_identity where identity_type = ? and identity_value = ?",
                (rs, i) -> rs.getLong(1), identity.type().key(), identity.value()).stream().findFirst();
    }

    public List<Identity> identities(long customerId) {
        return jdbc.query("select identity_type, identity_value from pond_customer_identity where customer_id = ? order by id",
                (rs, i) -> new Identity(IdentityType.ofKey(rs.getString(1)).orElseThrow(), rs.getString(2)), customerId);
    }

    /** Profiles merged into this one, newest first. */
    public List<Merge> merges(long customerId) {
        return jdbc.query("select merged_id, reason, moved, merged_at from pond_customer_merge where survivor_id = ?"
                        + " order by merged_at desc, id desc",
                (rs, i) -> new Merge(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
                customerId);
    }

    /** All ids this customer has had: its own and those of profiles merged into it (journeys keep old keys). */
    public List<Long> formerIds(long customerId) {
        return jdbc.queryForList("select id from pond_customer where merged_into = ? order by id", Long.class, customerId);
    }

    public void updateProfile(long customerId, ProfileChange change) {
        int updated = jdbc.update("""
                update pond_customer set display_name = ?, lifecycle_stage = ?, member_tier = ?, points = ?,
                       timezone = ?, owner_id = ?, updated_at = ?
                 where id = ? and merged_into is null""",
                change.displayName(), change.lifecycleStage().name(), change.memberTier(), change.points(),
                change.timezone(), change.ownerId(), Timestamp.from(clock.instant()), customerId);
        if (updated == 0) {
            throw new IllegalArgumentException("No customer " + customerId);
        }
    }

    /** The editable part of a profile. */
    public record ProfileChange(String displayName, LifecycleStage lifecycleStage, String memberTier, long points,
            String timezone, String ownerId) {
    }

    /** One profile merged into another. */
    public record Merge(long mergedId, String reason, String moved, java.time.Instant mergedAt) {
    }

    private Map<Identity, Long> owners(Collection<Identity> identities) {
        Map<IdentityType, Set<String>> byType = new EnumMap<>(IdentityType.class);
        identities.forEach(identity -> byType.computeIfAbsent(identity.type(), t -> new HashSet<>()).add(identity.value()));
        Map<Identity, Long> owners = new HashMap<>();
        byType.forEach((type, values) -> {
            List<String> all = new ArrayList<>(values);
            for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
                MapSqlParameterSource parameters = new MapSqlParameterSource("type", type.key())
                        .addValue("values", all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK)));
                named.query("select identity_value, customer_id from pond_customer_identity"
                                + " where identity_type = :type and identity_value in (:values)", parameters,
                        rs -> {
                            owners.put(new Identity(type, rs.getString(1)), rs.getLong(2));
                        });
            }
        });
        return owners;
    }

    private void insertCustomers(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate("insert into pond_customer (id, lifecycle_stage, points, timezone, created_at, updated_at)"
                        + " values (?, 'PROSPECT', 0, 'Asia/Shanghai', ?, ?)",
                ids, 1000, (PreparedStatement ps, Long id) -> {
                    ps.setLong(1, id);
                    ps.setTimestamp(2, now);
                    ps.setTimestamp(3, now);
                });
    }

    /**
     * Stores the new identities. Another transaction may have stored one of them meanwhile (PostgreSQL
     * skips it then); its customer and ours are one person, so ours is merged into it.
     */
    private void insertIdentities(Map<Identity, Long> added, Map<Identity, Long> owners, long[] customers, List<String> source) {
        if (added.isEmpty()) {
            return;
        }
        List<Map.Entry<Identity, Long>> rows = new ArrayList<>(added.entrySet());
        Timestamp now = Timestamp.from(clock.instant());
        boolean[] inserted = dialect.insertIgnoringDuplicates(jdbc, "pond_customer_identity",
                List.of("customer_id", "identity_type", "identity_value", "created_at"), List.of("identity_type", "identity_value"),
                rows.stream().map(row -> new Object[] {row.getValue(), row.getKey().type().key(), row.getKey().value(), now})
                        .toList());
        for (int i = 0; i < rows.size(); i++) {
            if (!inserted[i]) {
                Map.Entry<Identity, Long> row = rows.get(i);
                long theirs = findByIdentity(row.getKey()).orElseThrow();
                long ours = owners.get(row.getKey()) == null ? row.getValue() : owners.get(row.getKey());
                if (theirs != ours) {
                    long survivor = Math.min(theirs, ours);
                    long other = Math.max(theirs, ours);
                    merger.merge(survivor, other, "identity " + row.getKey() + " stored at the same time by another request");
                    remap(owners, added, customers, customers.length, other, survivor);
                }
            }
        }
    }

    private static void remap(Map<Identity, Long> owners, Map<Identity, Long> added, long[] customers, int upTo,
            long from, long to) {
        owners.replaceAll((identity, owner) -> owner == from ? to : owner);
        added.replaceAll((identity, owner) -> owner == from ? to : owner);
        for (int j = 0; j < upTo; j++) {
            if (customers[j] == from) {
                customers[j] = to;
            }
        }
    }

    private static String describe(Set<Identity> group) {
        return group.stream().map(Identity::toString).sorted().reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** New customer ids, fetched from the sequence in one query when first needed. */
    private final class IdBlock {
        private final long size;
        private List<Long> ids;
        private int next;

        IdBlock(long size) {
            this.size = size;
        }

        long next() {
            if (ids == null) {
                ids = jdbc.queryForList(dialect.nextValues("pond_customer_seq"), Long.class, size);
            }
            return ids.get(next++);
        }
    }

    static final RowMapper<Customer> CUSTOMER = CustomerDirectory::mapCustomer;

    static Customer mapCustomer(ResultSet rs, int row) throws SQLException {
        Number mergedInto = (Number) rs.getObject("merged_into");
        return new Customer(rs.getLong("id"), rs.getString("display_name"),
                LifecycleStage.valueOf(rs.getString("lifecycle_stage")), rs.getString("member_tier"), rs.getLong("points"),
                rs.getString("timezone"), rs.getString("owner_id"), mergedInto == null ? null : mergedInto.longValue(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
