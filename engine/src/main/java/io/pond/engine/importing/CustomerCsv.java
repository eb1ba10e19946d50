package io.pond.engine.importing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.CustomerDirectory.ProfilePatch;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.customer.LifecycleStage;

/**
 * The CSV layout of customers, shared by import and export: one column per identity type
 * ({@code phone}, {@code email}...), the profile columns, {@code tags} as {@code group:tag; group:tag},
 * and one column per custom attribute, named by its key.
 */
public final class CustomerCsv {

    public static final String DISPLAY_NAME = "display_name";
    public static final String LIFECYCLE_STAGE = "lifecycle_stage";
    public static final String MEMBER_TIER = "member_tier";
    public static final String POINTS = "points";
    public static final String TIMEZONE = "timezone";
    public static final String OWNER = "owner_id";
    public static final String TAGS = "tags";
    /** Written by the export, ignored by the import: customers are found by identity. */
    public static final String CUSTOMER_ID = "customer_id";
    public static final List<String> PROFILE = List.of(DISPLAY_NAME, LIFECYCLE_STAGE, MEMBER_TIER, POINTS, TIMEZONE, OWNER);
    static final String DEFAULT_TAG_GROUP = "Imported";
    private static final Map<String, LifecycleStage> STAGE_NAMES = Map.of("潜在", LifecycleStage.PROSPECT,
            "首购", LifecycleStage.FIRST_PURCHASE, "复购", LifecycleStage.REPEAT, "沉睡", LifecycleStage.DORMANT,
            "流失", LifecycleStage.CHURNED);

    private CustomerCsv() {
    }

    /** Every column name that is not an attribute key. */
    public static Set<String> reservedColumns() {
        return AttributeDefinition.RESERVED_KEYS;
    }

    /** A tag named in a CSV cell. */
    public record TagName(String group, String tag) {
        public String key() {
            return group + "\u0000" + tag;
        }
    }

    /** A valid row; its profile fields are null where the cell was empty (the stored value stays). */
    public record Row(long number, Set<Identity> identities, ProfilePatch profile, Map<String, Object> attributes,
            List<TagName> tags) {
    }

    /** A problem with a row: its number (1 = the first row under the header), the column and what is wrong. */
    public record RowError(long number, String column, String message) {
    }

    /** Checks a header: every column must be known, and at least one must be an identity. */
    public static List<String> checkHeader(List<String> header, Map<String, AttributeDefinition> attributes) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean identity = false;
        for (String column : header) {
            String name = column.trim();
            if (!seen.add(name)) {
                problems.add("the column '" + name + "' appears twice");
            }
            if (IdentityType.ofKey(name).isPresent()) {
                identity = true;
            } else if (!reservedColumns().contains(name) && !attributes.containsKey(name)) {
                problems.add("the column '" + name + "' is neither an identity, a profile field, 'tags' nor a defined attribute");
            }
        }
        if (!identity) {
            problems.add("there is no identity column; add at least one of " + identityKeys());
        }
        return problems;
    }

    /** Reads one record (column -> cell) into a row, or adds its errors. */
    public static Row parse(long number, Map<String, String> cells, Map<String, AttributeDefinition> attributes,
            List<RowError> errors) {
        int before = errors.size();
        Set<Identity> identities = new LinkedHashSet<>();
        Map<String, Object> values = new LinkedHashMap<>();
        List<TagName> tags = new ArrayList<>();
        String displayName = null;
        LifecycleStage stage = null;
        String tier = null;
        Long points = null;
        String timezone = null;
        String owner = null;
        for (Map.Entry<String, String> cell : cells.entrySet()) {
            String column = cell.getKey().trim();
            String value = cell.getValue() == null ? "" : cell.getValue().trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                IdentityType type = IdentityType.ofKey(column).orElse(null);
                if (type != null) {
                    // the export joins several identities of one type with ;
                    for (String one : value.split("[;；]")) {
                        if (!one.isBlank()) {
                            identities.add(Identity.of(type, one));
                        }
                    }
                    continue;
                }
                switch (column) {
                    case CUSTOMER_ID -> { }
                    case DISPLAY_NAME -> displayName = limit(value, 200, column);
                    case LIFECYCLE_STAGE -> stage = stage(value);
                    case MEMBER_TIER -> tier = limit(value, 40, column);
                    case POINTS -> points = points(value);
                    case TIMEZONE -> timezone = ZoneId.of(value).getId();
                    case OWNER -> owner = limit(value, 128, column);
                    case TAGS -> tags.addAll(tags(value));
                    default -> {
                        AttributeDefinition definition = attributes.get(column);
                        Object parsed = definition.parse(value);
                        values.put(column, parsed);
                    }
                }
            } catch (java.time.DateTimeException e) {
                errors.add(new RowError(number, column, "'" + value + "' is not a time zone such as Asia/Shanghai"));
            } catch (IllegalArgumentException e) {
                errors.add(new RowError(number, column, e.getMessage()));
            }
        }
        if (identities.isEmpty() && errors.size() == before) {
            errors.add(new RowError(number, "", "no identity: fill at least one of " + identityKeys()));
        }
        if (errors.size() > before) {
            return null;
        }
        return new Row(number, identities, new ProfilePatch(displayName, stage, tier, points, timezone, owner), values, tags);
    }

    /**
     * A reader of the file's text: UTF-8 (a byte-order mark is skipped) or, when the start of the file is not
     * UTF-8, GB18030, which is what Excel on Chinese Windows saves.
     */
    public static Reader reader(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(1 << 16);
        byte[] sample = in.readNBytes(1 << 16);
        in.reset();
        int bom = sample.length >= 3 && (sample[0] & 0xff) == 0xEF && (sample[1] & 0xff) == 0xBB && (sample[2] & 0xff) == 0xBF
                ? 3 : 0;
        in.skipNBytes(bom);
        Charset charset = isUtf8(sample, bom) ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
        return new InputStreamReader(in, charset);
    }

    private static boolean isUtf8(byte[] sample, int offset) {
        // not the end of input: a character cut by the end of the sample is not an error
        return !StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(sample, offset, sample.length - offset), CharBuffer.allocate(sample.length), false)
                .isError();
    }

    private static LifecycleStage stage(String value) {
        LifecycleStage chinese = STAGE_NAMES.get(value);
        if (chinese != null) {
            return chinese;
        }
        try {
            return LifecycleStage.valueOf(value.toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a lifecycle stage; use PROSPECT, FIRST_PURCHASE,"
                    + " REPEAT, DORMANT or CHURNED (or 潜在, 首购, 复购, 沉睡, 流失)");
        }
    }

    private static Long points(String value) {
        try {
            long points = Long.parseLong(value.replace(",", ""));
            if (points < 0) {
                throw new IllegalArgumentException("points cannot be negative");
            }
            return points;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("points must be a whole number, not '" + value + "'");
        }
    }

    static List<TagName> tags(String cell) {
        List<TagName> tags = new ArrayList<>();
        for (String part : cell.split("[;；]")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            String[] groupAndTag = text.split("[:：]", 2);
            TagName tag = groupAndTag.length == 2 ? new TagName(groupAndTag[0].trim(), groupAndTag[1].trim())
                    : new TagName(DEFAULT_TAG_GROUP, text);
            if (tag.group().isEmpty() || tag.tag().isEmpty() || tag.group().length() > 100 || tag.tag().length() > 100) {
                throw new IllegalArgumentException("'" + text + "' is not a tag; write group:tag, separated by ;");
            }
            tags.add(tag);
        }
        return tags;
    }

    private static String limit(String value, int max, String column) {
        if (value.length() > max) {
            throw new IllegalArgumentException(column + " has at most " + max + " characters");
        }
        return value;
    }

    private static List<String> identityKeys() {
        return java.util.Arrays.stream(IdentityType.values()).map(IdentityType::key).toList();
    }
}
