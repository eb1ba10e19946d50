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
import io.pond.engine.db.SqlDialect.Column;
import org.springframework.jdbc.core.RowCallbackHandler;
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
    static final String DEFAULT_TIMEZONE = "Asia/Shanghai";

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
        return resolve(groups, source, null).customers();
    }

    /** Which customer each group resolved to, and which customers this call created (with the group that did). */
    public record Resolution(long[] customers, Map<Long, Integer> createdBy) {

        /** Whether the profile of group {@code i} went into its customer's first row already. */
        public boolean createdWithProfileOf(int i) {
            Integer creator = createdBy.get(customers[i]);
            return creator != null && creator == i;
        }
    }

    /**
     * As {@link #resolve(List, List)}; a customer created here starts with the profile fields of the group
     * that created it ({@code profiles} may be null), which saves an update per new customer in an import.
     */
    public Resolution resolve(List<Set<Identity>> groups, List<String> source, List<ProfilePatch> profiles) {
        Map<Identity, Long> owners = owners(groups.stream().flatMap(Set::stream).toList());
        long[] customers = new long[groups.size()];
        Map<Long, Integer> created = new java.util.LinkedHashMap<>();
        IdBlock newIds = new IdBlock(groups.stream().filter(group -> group.stream().noneMatch(owners::containsKey)).count());
        Map<Identity, Long> added = new java.util.LinkedHashMap<>();

        for (int i = 0; i < groups.size(); i++) {
            Set<Identity> group = groups.get(i);
            TreeSet<Long> found = new TreeSet<>();
            group.stream().map(owners::get).filter(java.util.Objects::nonNull).forEach(found::add);
            long customer;
            if (found.isEmpty()) {
                customer = newIds.next();
                created.put(customer, i);
            } else {
                customer = found.first();
                for (long other : found.tailSet(customer, false)) {
                    // a customer made earlier in this batch is not stored yet: only our bookkeeping changes
                    if (created.remove(other) == null) {
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
        insertCustomers(created, profiles);
        insertIdentities(added, owners, customers, source);
        return new Resolution(customers, created);
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
        return jdbc.query("select identity_type, identity_value from pond_customer_identity where customer_id = ?"
                + " order by created_at, identity_type, identity_value",
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

    /**
     * Sets the given profile fields of many customers at once; a null field keeps the stored value. When a
     * customer appears twice, the later change wins.
     */
    public void updateProfiles(List<Long> customerIds, List<ProfilePatch> patches) {
        Map<Long, ProfilePatch> last = new java.util.LinkedHashMap<>();
        for (int i = 0; i < customerIds.size(); i++) {
            if (!patches.get(i).isEmpty()) {
                last.merge(customerIds.get(i), patches.get(i), (earlier, later) -> later.over(earlier));
            }
        }
        if (last.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Map.Entry<Long, ProfilePatch>> rows = new ArrayList<>(last.entrySet());
        if (dialect == SqlDialect.POSTGRESQL) {
            for (int from = 0; from < rows.size(); from += LOOKUP_CHUNK) {
                List<Map.Entry<Long, ProfilePatch>> chunk = rows.subList(from, Math.min(rows.size(), from + LOOKUP_CHUNK));
                List<Object> arguments = new ArrayList<>();
                for (Map.Entry<Long, ProfilePatch> row : chunk) {
                    ProfilePatch p = row.getValue();
                    arguments.addAll(java.util.Arrays.asList(row.getKey(), p.displayName(),
                            p.lifecycleStage() == null ? null : p.lifecycleStage().name(), p.memberTier(), p.points(),
                            p.timezone(), p.ownerId()));
                }
                arguments.add(now);
                // one statement per chunk: a join with the new values instead of a thousand single updates
                jdbc.update("update pond_customer c set display_name = coalesce(v.display_name, c.display_name),"
                        + " lifecycle_stage = coalesce(v.lifecycle_stage, c.lifecycle_stage),"
                        + " member_tier = coalesce(v.member_tier, c.member_tier), points = coalesce(v.points, c.points),"
                        + " timezone = coalesce(v.timezone, c.timezone), owner_id = coalesce(v.owner_id, c.owner_id),"
                        + " updated_at = ? from (values "
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(),
                                "(?::bigint, ?::varchar, ?::varchar, ?::varchar, ?::bigint, ?::varchar, ?::varchar)"))
                        + ") as v(id, display_name, lifecycle_stage, member_tier, points, timezone, owner_id)"
                        + " where c.id = v.id", moveLast(arguments));
            }
            return;
        }
        jdbc.batchUpdate("""
                update pond_customer set display_name = coalesce(?, display_name),
                       lifecycle_stage = coalesce(?, lifecycle_stage), member_tier = coalesce(?, member_tier),
                       points = coalesce(?, points), timezone = coalesce(?, timezone), owner_id = coalesce(?, owner_id),
                       updated_at = ?
                 where id = ?""", rows, LOOKUP_CHUNK, (ps, row) -> {
                    ProfilePatch p = row.getValue();
                    ps.setString(1, p.displayName());
                    ps.setString(2, p.lifecycleStage() == null ? null : p.lifecycleStage().name());
                    ps.setString(3, p.memberTier());
                    ps.setObject(4, p.points(), java.sql.Types.BIGINT);
                    ps.setString(5, p.timezone());
                    ps.setString(6, p.ownerId());
                    ps.setTimestamp(7, now);
                    ps.setLong(8, row.getKey());
                });
    }

    /** The timestamp argument goes first in the statement ("updated_at = ?") but was added last. */
    private static Object[] moveLast(List<Object> arguments) {
        Object now = arguments.remove(arguments.size() - 1);
        arguments.add(0, now);
        return arguments.toArray();
    }

    /** Profile fields to set; null fields are left as they are. */
    public record ProfilePatch(String displayName, LifecycleStage lifecycleStage, String memberTier, Long points,
            String timezone, String ownerId) {

        public boolean isEmpty() {
            return displayName == null && lifecycleStage == null && memberTier == null && points == null
                    && timezone == null && ownerId == null;
        }

        /** This patch applied after {@code earlier}. */
        ProfilePatch over(ProfilePatch earlier) {
            return new ProfilePatch(displayName != null ? displayName : earlier.displayName,
                    lifecycleStage != null ? lifecycleStage : earlier.lifecycleStage,
                    memberTier != null ? memberTier : earlier.memberTier, points != null ? points : earlier.points,
                    timezone != null ? timezone : earlier.timezone, ownerId != null ? ownerId : earlier.ownerId);
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
        byType.forEach((type, distinct) -> {
            List<String> all = new ArrayList<>(distinct);
            for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
                List<String> values = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
                RowCallbackHandler owner = rs -> {
                    owners.put(new Identity(type, rs.getString(1)), rs.getLong(2));
                };
                if (dialect == SqlDialect.POSTGRESQL) {
                    // one array parameter, unnested and joined: one index lookup per value, and a plan that costs
                    // nothing to make (with "= any(array)" the planner estimates every one of a thousand values)
                    jdbc.query(connection -> {
                        var statement = connection.prepareStatement("select i.identity_value, i.customer_id"
                                + " from unnest(?::varchar[]) as v(value) cross join lateral (select identity_value, customer_id"
                                + " from pond_customer_identity where identity_type = ? and identity_value = v.value) i");
                        statement.setArray(1, connection.createArrayOf("varchar", values.toArray()));
                        statement.setString(2, type.key());
                        // planned anew each time: a plan cached while the table was small (at the start of an
                        // import) would go on scanning the whole table once it holds millions of identities
                        statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
                        return statement;
                    }, owner);
                } else {
                    named.query("select identity_value, customer_id from pond_customer_identity"
                            + " where identity_type = :type and identity_value in (:values)",
                            new MapSqlParameterSource("type", type.key()).addValue("values", values), owner);
                }
            }
        });
        return owners;
    }

    private void insertCustomers(Map<Long, Integer> created, List<ProfilePatch> profiles) {
        if (created.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        ProfilePatch none = new ProfilePatch(null, null, null, null, null, null);
        jdbc.batchUpdate("insert into pond_customer (id, display_name, lifecycle_stage, member_tier, points, timezone,"
                        + " owner_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new ArrayList<>(created.entrySet()), 1000, (PreparedStatement ps, Map.Entry<Long, Integer> customer) -> {
                    ProfilePatch p = profiles == null ? none : profiles.get(customer.getValue());
                    ps.setLong(1, customer.getKey());
                    ps.setString(2, p.displayName());
                    ps.setString(3, p.lifecycleStage() == null ? LifecycleStage.PROSPECT.name() : p.lifecycleStage().name());
                    ps.setString(4, p.memberTier());
                    ps.setLong(5, p.points() == null ? 0 : p.points());
                    ps.setString(6, p.timezone() == null ? DEFAULT_TIMEZONE : p.timezone());
                    ps.setString(7, p.ownerId());
                    ps.setTimestamp(8, now);
                    ps.setTimestamp(9, now);
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
                List.of(new Column("customer_id", "bigint"), new Column("identity_type", "varchar"),
                        new Column("identity_value", "varchar"), new Column("created_at", "timestamptz")),
                List.of("identity_type", "identity_value"),
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
