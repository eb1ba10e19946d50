package io.pond.engine.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Writes a segment's members as CSV in the import layout ({@link CustomerCsv}), so an export can be
 * edited and imported again. Members are streamed and written a chunk at a time.
 */
public class CustomerExport {

    private static final int CHUNK = 1000;

    private final Segments segments;
    private final CustomerAttributes attributes;
    private final NamedParameterJdbcTemplate named;

    public CustomerExport(Segments segments, CustomerAttributes attributes, NamedParameterJdbcTemplate named) {
        this.segments = segments;
        this.attributes = attributes;
        this.named = named;
    }

    /** Writes the members; returns how many. {@code maskPhones} hides the middle of phone numbers. */
    public long write(SegmentCondition segment, Writer out, boolean maskPhones) throws IOException {
        List<AttributeDefinition> definitions = attributes.definitions();
        List<String> header = new ArrayList<>();
        header.add("customer_id");
        for (IdentityType type : IdentityType.values()) {
            header.add(type.key());
        }
        header.addAll(CustomerCsv.PROFILE);
        header.add(CustomerCsv.TAGS);
        definitions.forEach(d -> header.add(d.key()));
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get());
        List<Long> chunk = new ArrayList<>(CHUNK);
        long[] written = {0};
        segments.forEachMember(segment, id -> {
            chunk.add(id);
            if (chunk.size() == CHUNK) {
                written[0] += writeChunk(chunk, definitions, printer, maskPhones);
                chunk.clear();
            }
        });
        written[0] += writeChunk(chunk, definitions, printer, maskPhones);
        printer.flush();
        return written[0];
    }

    private long writeChunk(List<Long> ids, List<AttributeDefinition> definitions, CSVPrinter printer, boolean maskPhones) {
        if (ids.isEmpty()) {
            return 0;
        }
        Map<String, Object> in = Map.of("ids", ids);
        Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
        ids.forEach(id -> rows.put(id, new TreeMap<>()));
        named.query("select id, display_name, lifecycle_stage, member_tier, points, timezone, owner_id from pond_customer"
                + " where id in (:ids)", in, rs -> {
                    Map<String, String> row = rows.get(rs.getLong(1));
                    row.put(CustomerCsv.DISPLAY_NAME, rs.getString(2));
                    row.put(CustomerCsv.LIFECYCLE_STAGE, rs.getString(3));
                    row.put(CustomerCsv.MEMBER_TIER, rs.getString(4));
                    row.put(CustomerCsv.POINTS, Long.toString(rs.getLong(5)));
                    row.put(CustomerCsv.TIMEZONE, rs.getString(6));
                    row.put(CustomerCsv.OWNER, rs.getString(7));
                });
        named.query("select customer_id, identity_type, identity_value from pond_customer_identity where customer_id in (:ids)"
                + " order by created_at, identity_type, identity_value", in, rs -> {
                    String value = rs.getString(3);
                    if (maskPhones && IdentityType.PHONE.key().equals(rs.getString(2))) {
                        value = IdentityType.maskPhone(value);
                    }
                    rows.get(rs.getLong(1)).merge(rs.getString(2), value, (a, b) -> a + ";" + b);
                });
        named.query("select ct.customer_id, g.name, t.name from pond_customer_tag ct join pond_tag t on t.id = ct.tag_id"
                + " join pond_tag_group g on g.id = t.group_id where ct.customer_id in (:ids) order by g.name, t.name", in, rs -> {
                    rows.get(rs.getLong(1)).merge(CustomerCsv.TAGS, rs.getString(2) + ":" + rs.getString(3), (a, b) -> a + "; " + b);
                });
        named.query("select customer_id, attribute_key, string_value, number_value, boolean_value, date_value"
                + " from pond_customer_attribute where customer_id in (:ids)", in, rs -> {
                    Object value = rs.getString(3);
                    if (value == null && rs.getBigDecimal(4) != null) {
                        value = rs.getBigDecimal(4).stripTrailingZeros().toPlainString();
                    }
                    if (value == null) {
                        boolean yes = rs.getBoolean(5);
                        value = rs.wasNull() ? null : yes;
                    }
                    if (value == null && rs.getDate(6) != null) {
                        value = rs.getDate(6).toLocalDate();
                    }
                    if (value != null) {
                        rows.get(rs.getLong(1)).put(rs.getString(2), value instanceof BigDecimal n ? n.toPlainString()
                                : value.toString());
                    }
                });
        try {
            for (Map.Entry<Long, Map<String, String>> row : rows.entrySet()) {
                List<String> cells = new ArrayList<>();
                cells.add(Long.toString(row.getKey()));
                for (IdentityType type : IdentityType.values()) {
                    cells.add(row.getValue().get(type.key()));
                }
                for (String column : CustomerCsv.PROFILE) {
                    cells.add(row.getValue().get(column));
                }
                cells.add(row.getValue().get(CustomerCsv.TAGS));
                definitions.forEach(d -> cells.add(row.getValue().get(d.key())));
                printer.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.size();
    }
}
