package io.pond.engine.customer;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pond.engine.db.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

/** Custom attribute definitions and the customers' typed values (one column per type, so SQL compares them typed). */
public class CustomerAttributes {

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Clock clock;

    public CustomerAttributes(JdbcTemplate jdbc, SqlDialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.clock = clock;
    }

    /** One value to store; {@code value} is null to remove it. */
    public record Value(long customerId, String key, Object value) {
    }

    public List<AttributeDefinition> definitions() {
        return jdbc.query("select attribute_key, label_en, label_zh, value_type, enum_values from pond_attribute_definition"
                + " order by attribute_key", (rs, i) -> new AttributeDefinition(rs.getString(1), rs.getString(2),
                rs.getString(3), AttributeType.valueOf(rs.getString(4)), split(rs.getString(5))));
    }

    public Optional<AttributeDefinition> definition(String key) {
        return definitions().stream().filter(d -> d.key().equals(key)).findFirst();
    }

    /** Declares a new attribute, or changes the labels and enum values of one; its type never changes. */
    public void define(AttributeDefinition definition) {
        Optional<AttributeDefinition> existing = definition(definition.key());
        String enumValues = String.join("\n", definition.enumValues());
        if (existing.isPresent()) {
            if (existing.get().type() != definition.type()) {
                throw new IllegalArgumentException("The attribute " + definition.key() + " is a " + existing.get().type()
                        + "; a type cannot change once customers may have values");
            }
            jdbc.update("update pond_attribute_definition set label_en = ?, label_zh = ?, enum_values = ? where attribute_key = ?",
                    definition.labelEn().trim(), definition.labelZh().trim(), enumValues, definition.key());
        } else {
            jdbc.update("insert into pond_attribute_definition (attribute_key, label_en, label_zh, value_type, enum_values,"
                            + " created_at) values (?, ?, ?, ?, ?, ?)", definition.key(), definition.labelEn().trim(),
                    definition.labelZh().trim(), definition.type().name(), enumValues, Timestamp.from(clock.instant()));
        }
    }

    /** Removes an attribute and every customer's value of it. */
    public void delete(String key) {
        jdbc.update("delete from pond_customer_attribute where attribute_key = ?", key);
        jdbc.update("delete from pond_attribute_definition where attribute_key = ?", key);
    }

    public Map<String, Object> of(long customerId) {
        Map<String, Object> values = new LinkedHashMap<>();
        jdbc.query("select attribute_key, string_value, number_value, boolean_value, date_value from pond_customer_attribute"
                + " where customer_id = ? order by attribute_key", rs -> {
                    Object value = rs.getString(2);
                    if (value == null) {
                        value = rs.getBigDecimal(3);
                    }
                    if (value == null) {
                        boolean b = rs.getBoolean(4);
                        value = rs.wasNull() ? null : b;
                    }
                    if (value == null && rs.getDate(5) != null) {
                        value = rs.getDate(5).toLocalDate();
                    }
                    values.put(rs.getString(1), value);
                }, customerId);
        return values;
    }

    /** Stores typed values (see {@link AttributeDefinition#parse}); a null value removes the attribute. */
    public void set(List<Value> values) {
        if (values.isEmpty()) {
            return;
        }
        // the last value of a (customer, key) pair wins
        Map<List<Object>, Value> last = new LinkedHashMap<>();
        values.forEach(v -> last.put(List.of(v.customerId(), v.key()), v));
        List<Value> removed = last.values().stream().filter(v -> v.value() == null).toList();
        jdbc.batchUpdate("delete from pond_customer_attribute where customer_id = ? and attribute_key = ?", removed, 1000,
                (ps, v) -> {
                    ps.setLong(1, v.customerId());
                    ps.setString(2, v.key());
                });
        dialect.upsert(jdbc, "pond_customer_attribute", List.of(new SqlDialect.Column("customer_id", "bigint"),
                        new SqlDialect.Column("attribute_key", "varchar"), new SqlDialect.Column("string_value", "varchar"),
                        new SqlDialect.Column("number_value", "numeric"), new SqlDialect.Column("boolean_value", "boolean"),
                        new SqlDialect.Column("date_value", "date")), List.of("customer_id", "attribute_key"),
                last.values().stream().filter(v -> v.value() != null).map(CustomerAttributes::row).toList());
    }

    private static Object[] row(Value v) {
        Object value = v.value();
        return new Object[] {v.customerId(), v.key(), value instanceof String s ? s : null,
                value instanceof BigDecimal n ? n : null, value instanceof Boolean b ? b : null,
                value instanceof LocalDate d ? Date.valueOf(d) : null};
    }

    private static List<String> split(String lines) {
        return lines == null || lines.isBlank() ? List.of() : Arrays.asList(lines.split("\n"));
    }
}
