package io.pond.engine.customer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A custom attribute customers can have, e.g. {@code city} (string) or {@code baby_birthday} (date). */
public record AttributeDefinition(String key, String labelEn, String labelZh, AttributeType type, List<String> enumValues) {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Names of built-in columns (identities, profile fields, tags, the customer id) that no attribute may take. */
    public static final java.util.Set<String> RESERVED_KEYS = reserved();
    private static final int MAX_STRING = 1000;

    public AttributeDefinition {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("An attribute key is lower-case letters, digits and _ and starts with a"
                    + " letter, e.g. baby_birthday; '" + key + "' is not");
        }
        if (RESERVED_KEYS.contains(key)) {
            throw new IllegalArgumentException("'" + key + "' is a built-in field of every customer; choose another key");
        }
        if (labelEn == null || labelEn.isBlank() || labelZh == null || labelZh.isBlank()) {
            throw new IllegalArgumentException("An attribute needs an English and a Chinese label");
        }
        enumValues = enumValues == null ? List.of() : enumValues.stream().map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
        if (type == AttributeType.ENUM && enumValues.isEmpty()) {
            throw new IllegalArgumentException("An enum attribute needs its values");
        }
    }

    private static java.util.Set<String> reserved() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (IdentityType type : IdentityType.values()) {
            names.add(type.key());
        }
        names.addAll(List.of("customer_id", "display_name", "lifecycle_stage", "member_tier", "points", "timezone",
                "owner_id", "tags"));
        return java.util.Collections.unmodifiableSet(names);
    }

    public String label(Locale locale) {
        return "zh".equals(locale.getLanguage()) ? labelZh : labelEn;
    }

    /**
     * The typed value of {@code raw}: String, BigDecimal, Boolean or LocalDate.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public Object parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        try {
            return switch (type) {
                case STRING -> {
                    if (value.length() > MAX_STRING) {
                        throw new IllegalArgumentException(key + " has at most " + MAX_STRING + " characters");
                    }
                    yield value;
                }
                case NUMBER -> new BigDecimal(value);
                case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "是" -> Boolean.TRUE;
                    case "false", "no", "0", "否" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
                };
                case DATE -> LocalDate.parse(value);
                case ENUM -> {
                    if (!enumValues.contains(value)) {
                        throw new IllegalArgumentException(key + " must be one of " + enumValues + ", not '" + value + "'");
                    }
                    yield value;
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be a date like 2026-11-25, not '" + value + "'");
        }
    }
}
