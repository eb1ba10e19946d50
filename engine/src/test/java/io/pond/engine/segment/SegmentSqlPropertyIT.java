package io.pond.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.customer.ConsentChannel;
import io.pond.engine.customer.LifecycleStage;
import io.pond.engine.segment.SegmentCondition.Operator;
import io.pond.engine.segment.SegmentCondition.ProfileField;
import io.pond.engine.test.PostgresTestDatabase;
import liquibase.integration.spring.SpringLiquibase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Random customers, events and segment definitions: the customers PostgreSQL selects with the compiled
 * SQL are exactly those a plain in-memory reading of the same definition selects.
 */
class SegmentSqlPropertyIT {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final List<AttributeDefinition> ATTRIBUTES = List.of(
            new AttributeDefinition("city", "City", "城市", AttributeType.STRING, null),
            new AttributeDefinition("age", "Age", "年龄", AttributeType.NUMBER, null),
            new AttributeDefinition("vip", "VIP", "VIP", AttributeType.BOOLEAN, null),
            new AttributeDefinition("birthday", "Birthday", "生日", AttributeType.DATE, null),
            new AttributeDefinition("channel", "Channel", "渠道", AttributeType.ENUM, List.of("store", "online", "event")));
    private static final List<String> CITIES = List.of("Shanghai", "shanghai", "Hangzhou", "Wuhan_1", "50%off");
    private static final List<String> NAMES = List.of("", "Li Lei", "li", "Han Meimei", "Wang_5");
    private static final List<String> TIERS = List.of("GOLD", "SILVER");
    private static final List<String> EVENT_TYPES = List.of("order_paid", "page_viewed");
    private static final List<ConsentChannel> CHANNELS = List.of(ConsentChannel.WECOM, ConsentChannel.SMS);
    private static final int TAGS = 3;

    private static SingleConnectionDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static long[] tagIds;

    /** One customer of a generated world, as plain Java values. */
    record Person(long id, String name, LifecycleStage stage, String tier, long points, Map<String, Object> attributes,
            Set<Integer> tags, Map<ConsentChannel, Boolean> consents, List<EventAt> events, boolean mergedAway) {
    }

    record EventAt(String type, Instant at) {
    }

    @BeforeContainer
    static void database() throws Exception {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        // one connection for all tries: opening one per statement (a new PostgreSQL backend each) took most of the time
        dataSource = new SingleConnectionDataSource(database.url(), PostgresTestDatabase.user(),
                PostgresTestDatabase.password(), true);
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(dataSource);
        liquibase.setChangeLog("classpath:db/changelog/pond-master.yaml");
        liquibase.setResourceLoader(new DefaultResourceLoader());
        liquibase.afterPropertiesSet();
        jdbc = new JdbcTemplate(dataSource);
        Timestamp now = Timestamp.from(NOW);
        jdbc.update("insert into pond_tag_group (id, name, created_at) values (1, 'g', ?)", now);
        tagIds = new long[TAGS];
        for (int i = 0; i < TAGS; i++) {
            tagIds[i] = 100 + i;
            jdbc.update("insert into pond_tag (id, group_id, name, created_at) values (?, 1, ?, ?)", tagIds[i], "t" + i, now);
        }
        for (AttributeDefinition definition : ATTRIBUTES) {
            jdbc.update("insert into pond_attribute_definition (attribute_key, label_en, label_zh, value_type, enum_values,"
                            + " created_at) values (?, ?, ?, ?, ?, ?)", definition.key(), definition.labelEn(),
                    definition.labelZh(), definition.type().name(), String.join("\n", definition.enumValues()), now);
        }
    }

    @AfterContainer
    static void closeConnection() {
        dataSource.destroy();
    }

    @Property(tries = 600)
    void postgresqlSelectsExactlyTheCustomersTheDefinitionDescribes(@ForAll("worlds") List<Person> world,
            @ForAll("conditions") SegmentCondition definition) {
        store(world);
        SegmentSql.Compiled compiled = new SegmentSql(ATTRIBUTES, Clock.fixed(NOW, ZoneOffset.UTC), ZONE).compile(definition);
        Set<Long> selected = new TreeSet<>(jdbc.queryForList(compiled.idQuery(), Long.class, compiled.parameters().toArray()));

        Set<Long> expected = new TreeSet<>();
        for (Person person : world) {
            if (!person.mergedAway() && matches(definition, person)) {
                expected.add(person.id());
            }
        }
        assertThat(selected).as("%s%nSQL: %s %s", definition, compiled.predicate(), compiled.parameters())
                .isEqualTo(expected);
        assertThat(jdbc.queryForObject(compiled.countQuery(), Long.class, compiled.parameters().toArray()))
                .isEqualTo(expected.size());
    }

    // ---- the reference: a direct reading of the definition ----

    static boolean matches(SegmentCondition condition, Person p) {
        if (condition instanceof SegmentCondition.All all) {
            return all.conditions().stream().allMatch(c -> matches(c, p));
        }
        if (condition instanceof SegmentCondition.Any any) {
            return any.conditions().stream().anyMatch(c -> matches(c, p));
        }
        if (condition instanceof SegmentCondition.Not not) {
            return !matches(not.condition(), p);
        }
        if (condition instanceof SegmentCondition.HasTag tag) {
            return p.tags().stream().anyMatch(i -> tagIds[i] == tag.tagId());
        }
        if (condition instanceof SegmentCondition.ConsentIs consent) {
            return Boolean.TRUE.equals(p.consents().get(consent.channel())) == consent.granted();
        }
        if (condition instanceof SegmentCondition.DidEvent event) {
            Instant from = event.withinDays() != null ? NOW.minus(Duration.ofDays(event.withinDays()))
                    : event.since() != null ? event.since().atStartOfDay(ZONE).toInstant() : Instant.MIN;
            long times = p.events().stream().filter(e -> e.type().equals(event.eventType()) && !e.at().isBefore(from)).count();
            return event.count() == SegmentCondition.DidEvent.Count.AT_LEAST ? times >= event.times() : times <= event.times();
        }
        if (condition instanceof SegmentCondition.AttributeIs attribute) {
            AttributeDefinition definition = ATTRIBUTES.stream().filter(d -> d.key().equals(attribute.key())).findFirst().orElseThrow();
            List<Object> values = attribute.values().stream()
                    .map(v -> definition.type() == AttributeType.ENUM ? v.trim() : definition.parse(v)).toList();
            return compare(p.attributes().get(attribute.key()), attribute.operator(), values);
        }
        SegmentCondition.ProfileIs profile = (SegmentCondition.ProfileIs) condition;
        Object value = switch (profile.field()) {
            case DISPLAY_NAME -> p.name();
            case LIFECYCLE_STAGE -> p.stage().name();
            case MEMBER_TIER -> p.tier();
            case POINTS -> BigDecimal.valueOf(p.points());
            case OWNER -> null;
            case TIMEZONE -> "Asia/Shanghai";
        };
        List<Object> values = profile.values().stream()
                .map(v -> profile.field() == ProfileField.POINTS ? (Object) new BigDecimal(v) : v).toList();
        if (profile.operator() == Operator.IS_EMPTY) {
            return value == null || "".equals(value);
        }
        return compare(value, profile.operator(), values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static boolean compare(Object value, Operator operator, List<Object> values) {
        if (operator == Operator.IS_EMPTY) {
            return value == null;
        }
        if (operator == Operator.NOT_EQUALS) {
            return value == null || !same(value, values.get(0));
        }
        if (value == null) {
            return false;
        }
        return switch (operator) {
            case EQUALS -> same(value, values.get(0));
            case IN -> values.stream().anyMatch(v -> same(value, v));
            case LESS_THAN -> ((Comparable) value).compareTo(values.get(0)) < 0;
            case GREATER_THAN -> ((Comparable) value).compareTo(values.get(0)) > 0;
            case BETWEEN -> ((Comparable) value).compareTo(values.get(0)) >= 0 && ((Comparable) value).compareTo(values.get(1)) <= 0;
            case CONTAINS -> value.toString().toLowerCase(Locale.ROOT).contains(values.get(0).toString().toLowerCase(Locale.ROOT));
            default -> throw new IllegalStateException();
        };
    }

    private static boolean same(Object a, Object b) {
        return a instanceof BigDecimal x && b instanceof BigDecimal y ? x.compareTo(y) == 0 : a.equals(b);
    }

    // ---- storing a world ----

    private static void store(List<Person> world) {
        for (String table : List.of("pond_event", "pond_customer_tag", "pond_consent", "pond_customer_attribute",
                "pond_customer")) {
            jdbc.update("delete from " + table);
        }
        Timestamp now = Timestamp.from(NOW);
        List<Object[]> customers = new ArrayList<>();
        List<Object[]> attributes = new ArrayList<>();
        List<Object[]> tags = new ArrayList<>();
        List<Object[]> consents = new ArrayList<>();
        List<Object[]> events = new ArrayList<>();
        for (Person p : world) {
            customers.add(new Object[] {p.id(), p.name(), p.stage().name(), p.tier(), p.points(),
                    p.mergedAway() ? world.get(0).id() : null, now, now});
            p.attributes().forEach((key, value) -> attributes.add(new Object[] {p.id(), key,
                    value instanceof String text ? text : null, value instanceof BigDecimal number ? number : null,
                    value instanceof Boolean yes ? yes : null,
                    value instanceof LocalDate date ? java.sql.Date.valueOf(date) : null}));
            p.tags().forEach(i -> tags.add(new Object[] {p.id(), tagIds[i], now}));
            p.consents().forEach((channel, granted) -> consents.add(new Object[] {p.id(), channel.name(), granted, now}));
            for (int n = 0; n < p.events().size(); n++) {
                EventAt event = p.events().get(n);
                events.add(new Object[] {p.id() + "-" + n, p.id(), event.type(), Timestamp.from(event.at()), now});
            }
        }
        jdbc.batchUpdate("insert into pond_customer (id, display_name, lifecycle_stage, member_tier, points, timezone,"
                + " merged_into, created_at, updated_at) values (?, ?, ?, ?, ?, 'Asia/Shanghai', ?, ?, ?)", customers,
                new int[] {java.sql.Types.BIGINT, java.sql.Types.VARCHAR, java.sql.Types.VARCHAR, java.sql.Types.VARCHAR,
                        java.sql.Types.BIGINT, java.sql.Types.BIGINT, java.sql.Types.TIMESTAMP, java.sql.Types.TIMESTAMP});
        jdbc.batchUpdate("insert into pond_customer_attribute (customer_id, attribute_key, string_value, number_value,"
                + " boolean_value, date_value) values (?, ?, ?, ?, ?, ?)", attributes,
                new int[] {java.sql.Types.BIGINT, java.sql.Types.VARCHAR, java.sql.Types.VARCHAR, java.sql.Types.DECIMAL,
                        java.sql.Types.BOOLEAN, java.sql.Types.DATE});
        jdbc.batchUpdate("insert into pond_customer_tag (customer_id, tag_id, source, tagged_at) values (?, ?, 'MANUAL', ?)",
                tags);
        jdbc.batchUpdate("insert into pond_consent (customer_id, channel, granted, source, changed_at) values"
                + " (?, ?, ?, 'test', ?)", consents);
        jdbc.batchUpdate("insert into pond_event (event_id, customer_id, event_type, occurred_at, received_at) values"
                + " (?, ?, ?, ?, ?)", events);
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<Person>> worlds() {
        return person().list().ofMaxSize(25).map(people -> {
            List<Person> numbered = new ArrayList<>();
            for (int i = 0; i < people.size(); i++) {
                Person p = people.get(i);
                numbered.add(new Person(i + 1, p.name(), p.stage(), p.tier(), p.points(), p.attributes(), p.tags(),
                        p.consents(), p.events(), i > 0 && p.mergedAway()));
            }
            return numbered;
        });
    }

    private Arbitrary<Person> person() {
        Arbitrary<Map<String, Object>> attributes = Combinators.combine(
                Arbitraries.of(CITIES).injectNull(0.3),
                Arbitraries.integers().between(15, 70).map(BigDecimal::valueOf).map(b -> (Object) b).injectNull(0.3),
                Arbitraries.of(true, false).map(b -> (Object) b).injectNull(0.4),
                dates().map(d -> (Object) d).injectNull(0.4),
                Arbitraries.of("store", "online", "event").injectNull(0.4)).as((city, age, vip, birthday, channel) -> {
                    Map<String, Object> values = new HashMap<>();
                    putIf(values, "city", city);
                    putIf(values, "age", age);
                    putIf(values, "vip", vip);
                    putIf(values, "birthday", birthday);
                    putIf(values, "channel", channel);
                    return values;
                });
        Arbitrary<Map<ConsentChannel, Boolean>> consents = Arbitraries.maps(Arbitraries.of(CHANNELS), Arbitraries.of(true, false))
                .ofMaxSize(2);
        Arbitrary<List<EventAt>> events = Combinators.combine(Arbitraries.of(EVENT_TYPES),
                        Arbitraries.integers().between(0, 60 * 24).map(hours -> NOW.minus(Duration.ofHours(hours))))
                .as(EventAt::new).list().ofMaxSize(6);
        return Combinators.combine(Arbitraries.of(NAMES).injectNull(0.2), Arbitraries.of(LifecycleStage.class),
                Arbitraries.of(TIERS).injectNull(0.4), Arbitraries.longs().between(0, 500), attributes,
                Arbitraries.integers().between(0, TAGS - 1).set().ofMaxSize(TAGS), consents, events)
                .as((name, stage, tier, points, values, tags, consent, happened) ->
                        new Person(0, name, stage, tier, points, values, tags, consent, happened, false))
                .flatMap(p -> Arbitraries.of(false, false, false, true).map(merged ->
                        new Person(0, p.name(), p.stage(), p.tier(), p.points(), p.attributes(), p.tags(), p.consents(),
                                p.events(), merged)));
    }

    private static void putIf(Map<String, Object> values, String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    private static Arbitrary<LocalDate> dates() {
        return Arbitraries.integers().between(0, 3650).map(days -> LocalDate.of(1990, 1, 1).plusDays(days * 3L));
    }

    @Provide
    Arbitrary<SegmentCondition> conditions() {
        return condition(3);
    }

    private Arbitrary<SegmentCondition> condition(int depth) {
        Arbitrary<SegmentCondition> leaf = Arbitraries.oneOf(tag(), attribute(), profile(), consent(), event());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<SegmentCondition> all = Arbitraries.lazy(() -> condition(depth - 1)).list().ofMaxSize(3)
                .map(SegmentCondition.All::new);
        Arbitrary<SegmentCondition> any = Arbitraries.lazy(() -> condition(depth - 1)).list().ofMaxSize(3)
                .map(SegmentCondition.Any::new);
        Arbitrary<SegmentCondition> not = Arbitraries.lazy(() -> condition(depth - 1)).map(SegmentCondition.Not::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(2, all), net.jqwik.api.Tuple.of(2, any),
                net.jqwik.api.Tuple.of(1, not));
    }

    private Arbitrary<SegmentCondition> tag() {
        return Arbitraries.integers().between(0, TAGS - 1).map(i -> new SegmentCondition.HasTag(100 + i));
    }

    private Arbitrary<SegmentCondition> consent() {
        return Combinators.combine(Arbitraries.of(CHANNELS), Arbitraries.of(true, false)).as(SegmentCondition.ConsentIs::new);
    }

    private Arbitrary<SegmentCondition> event() {
        Arbitrary<Integer> within = Arbitraries.of(1, 7, 30, 90).injectNull(0.5);
        return Combinators.combine(Arbitraries.of(EVENT_TYPES), Arbitraries.of(SegmentCondition.DidEvent.Count.class),
                Arbitraries.integers().between(0, 3), within, Arbitraries.of(20, 45).injectNull(0.5))
                .as((type, count, times, days, sinceDaysAgo) -> days == null && sinceDaysAgo != null
                        ? new SegmentCondition.DidEvent(type, count, times, null, LocalDate.ofInstant(NOW, ZONE).minusDays(sinceDaysAgo))
                        : new SegmentCondition.DidEvent(type, count, times, days, null));
    }

    private Arbitrary<SegmentCondition> attribute() {
        Arbitrary<SegmentCondition> city = textCondition(CITIES.stream().map(c -> c.toLowerCase(Locale.ROOT).substring(0, 3)).toList(),
                CITIES).map(v -> new SegmentCondition.AttributeIs("city", v.operator(), v.values()));
        Arbitrary<SegmentCondition> channel = textCondition(List.of("on", "st"), List.of("store", "online", "event"))
                .map(v -> new SegmentCondition.AttributeIs("channel", v.operator(), v.values()));
        Arbitrary<SegmentCondition> age = numberCondition(15, 70)
                .map(v -> new SegmentCondition.AttributeIs("age", v.operator(), v.values()));
        Arbitrary<SegmentCondition> vip = Combinators.combine(Arbitraries.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IS_EMPTY),
                Arbitraries.of("true", "false")).as((op, v) -> new SegmentCondition.AttributeIs("vip", op,
                op == Operator.IS_EMPTY ? List.of() : List.of(v)));
        Arbitrary<SegmentCondition> birthday = Combinators.combine(Arbitraries.of(Operator.EQUALS, Operator.NOT_EQUALS,
                Operator.LESS_THAN, Operator.GREATER_THAN, Operator.BETWEEN, Operator.IS_EMPTY), dates(), dates())
                .as((op, a, b) -> new SegmentCondition.AttributeIs("birthday", op, values(op, a.toString(),
                        (a.isBefore(b) ? b : a).toString(), List.of(a.toString(), b.toString()))));
        return Arbitraries.oneOf(city, channel, age, vip, birthday);
    }

    private Arbitrary<SegmentCondition> profile() {
        Arbitrary<SegmentCondition> name = textCondition(List.of("li", "_", "%", "han"), NAMES)
                .map(v -> new SegmentCondition.ProfileIs(ProfileField.DISPLAY_NAME, v.operator(), v.values()));
        Arbitrary<SegmentCondition> tier = textCondition(List.of("gol", "l"), TIERS)
                .map(v -> new SegmentCondition.ProfileIs(ProfileField.MEMBER_TIER, v.operator(), v.values()));
        Arbitrary<SegmentCondition> stage = Combinators.combine(Arbitraries.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN),
                Arbitraries.of(LifecycleStage.class).list().ofMinSize(1).ofMaxSize(3)).as((op, stages) ->
                new SegmentCondition.ProfileIs(ProfileField.LIFECYCLE_STAGE, op,
                        (op == Operator.IN ? stages : stages.subList(0, 1)).stream().map(Enum::name).toList()));
        Arbitrary<SegmentCondition> points = numberCondition(0, 500)
                .map(v -> new SegmentCondition.ProfileIs(ProfileField.POINTS, v.operator(),
                        v.operator() == Operator.IS_EMPTY ? List.of() : v.values()));
        return Arbitraries.oneOf(name, tier, stage, points);
    }

    record OperatorAndValues(Operator operator, List<String> values) {
    }

    private Arbitrary<OperatorAndValues> textCondition(List<String> fragments, List<String> whole) {
        return Combinators.combine(Arbitraries.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.CONTAINS,
                        Operator.IS_EMPTY), Arbitraries.of(whole), Arbitraries.of(fragments),
                Arbitraries.of(whole).list().ofMinSize(1).ofMaxSize(3))
                .as((op, value, fragment, many) -> new OperatorAndValues(op, switch (op) {
                    case IS_EMPTY -> List.of();
                    case CONTAINS -> List.of(fragment);
                    case IN -> many;
                    default -> List.of(value);
                }));
    }

    private Arbitrary<OperatorAndValues> numberCondition(int min, int max) {
        return Combinators.combine(Arbitraries.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.LESS_THAN,
                        Operator.GREATER_THAN, Operator.BETWEEN, Operator.IN, Operator.IS_EMPTY),
                Arbitraries.integers().between(min, max), Arbitraries.integers().between(min, max))
                .as((op, a, b) -> new OperatorAndValues(op, values(op, String.valueOf(Math.min(a, b)),
                        String.valueOf(Math.max(a, b)), List.of(String.valueOf(a), String.valueOf(b)))));
    }

    private static List<String> values(Operator op, String low, String high, List<String> several) {
        return switch (op) {
            case IS_EMPTY -> List.of();
            case BETWEEN -> List.of(low, high);
            case IN -> several;
            default -> List.of(low);
        };
    }
}
