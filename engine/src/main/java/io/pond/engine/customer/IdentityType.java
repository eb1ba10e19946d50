package io.pond.engine.customer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The channel ids that identify a customer. Values are normalised before they are stored or looked up,
 * so {@code 138 0000 0000} and {@code +8613800000000} are the same phone.
 */
public enum IdentityType {
    WECOM_EXTERNAL_USERID("wecom_external_userid"),
    WECHAT_UNIONID("wechat_unionid"),
    WECHAT_OPENID("wechat_openid"),
    PHONE("phone"),
    MEMBER_ID("member_id"),
    EMAIL("email");

    private static final Pattern PHONE_DIGITS = Pattern.compile("\\+?[0-9]{5,20}");
    private static final Pattern EMAIL_SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_LENGTH = 256;

    private final String key;

    IdentityType(String key) {
        this.key = key;
    }

    /** The name used in the API, in CSV headers and in the database. */
    public String key() {
        return key;
    }

    public static Optional<IdentityType> ofKey(String key) {
        return Arrays.stream(values()).filter(type -> type.key.equals(key)).findFirst();
    }

    /**
     * The stored form of a raw value, or an explanation of why it is not one.
     *
     * @throws IllegalArgumentException with a message fit for the caller
     */
    public String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        String value = raw.trim();
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        return switch (this) {
            case PHONE -> normalizePhone(value);
            case EMAIL -> {
                String email = value.toLowerCase(Locale.ROOT);
                if (!EMAIL_SHAPE.matcher(email).matches()) {
                    throw new IllegalArgumentException("is not an e-mail address");
                }
                yield email;
            }
            default -> value;
        };
    }

    /** Mainland mobile numbers get +86; other numbers must carry their country code. */
    private static String normalizePhone(String value) {
        String compact = value.replaceAll("[\\s()\\-.]", "");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        }
        if (!PHONE_DIGITS.matcher(compact).matches()) {
            throw new IllegalArgumentException("is not a phone number");
        }
        if (!compact.startsWith("+")) {
            if (compact.length() == 11 && compact.startsWith("1")) {
                return "+86" + compact;
            }
            if (compact.length() == 13 && compact.startsWith("861")) {
                return "+" + compact;
            }
            throw new IllegalArgumentException("needs a country code, e.g. +852 for Hong Kong");
        }
        return compact;
    }

    /** The phone number with the middle hidden, for people who need to recognise it but not to call it. */
    public static String maskPhone(String phone) {
        if (phone == null || phone.length() < 8) {
            return "****";
        }
        return phone.substring(0, phone.length() - 8) + "****" + phone.substring(phone.length() - 4);
    }
}
