package io.pond.engine.apikey;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.pond.engine.audit.AuditLog;
import io.pond.engine.secret.SecretBox;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keys of the systems that call Pond's API (a mini-program backend, an ERP...). A caller sends its key id
 * in {@code X-Pond-Key} and signs each body with HMAC-SHA256 of the key's secret:
 * {@code X-Pond-Signature: sha256=<hex>} of {@code <X-Pond-Timestamp>.<X-Pond-Nonce>.<body>}. The secret is shown once, when the key is made.
 */
public class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final JdbcTemplate jdbc;
    private final AuditLog auditLog;
    private final Clock clock;
    private final SecretBox secrets;

    public ApiKeys(JdbcTemplate jdbc, AuditLog auditLog, Clock clock, SecretBox secrets) {
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** A key as listed: never with its secret. */
    public record ApiKey(String keyId, String name, String createdBy, Instant createdAt, Instant revokedAt) {

        public boolean active() {
            return revokedAt == null;
        }
    }

    /** A key just made: the only time its secret is shown. */
    public record NewKey(String keyId, String secret) {
    }

    public NewKey create(String name, String actor) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Name the key after the system that will use it, e.g. 'mini-program backend'");
        }
        String keyId = "pk_" + random(12);
        String secret = random(32);
        jdbc.update("insert into pond_api_key (key_id, secret, name, created_by, created_at) values (?, ?, ?, ?, ?)",
                keyId, secrets.encrypt(secret), name.trim(), actor, Timestamp.from(clock.instant()));
        auditLog.record(actor, "API_KEY_CREATED", keyId + " (" + name.trim() + ")");
        return new NewKey(keyId, secret);
    }

    public void revoke(String keyId, String actor) {
        jdbc.update("update pond_api_key set revoked_at = ? where key_id = ? and revoked_at is null",
                Timestamp.from(clock.instant()), keyId);
        auditLog.record(actor, "API_KEY_REVOKED", keyId);
    }

    public List<ApiKey> list() {
        return jdbc.query("select key_id, name, created_by, created_at, revoked_at from pond_api_key order by created_at desc",
                (rs, i) -> new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()));
    }

    /** A fresh HMAC-SHA256 keyed with the secret of the active key {@code keyId}, to feed the body into. */
    public Optional<Mac> macFor(String keyId) {
        if (keyId == null) {
            return Optional.empty();
        }
        return jdbc.queryForList("select secret from pond_api_key where key_id = ? and revoked_at is null", String.class, keyId)
                .stream().findFirst().map(this::plain).map(ApiKeys::mac);
    }

    /** Keys made before secrets were encrypted are stored as they are. */
    private String plain(String stored) {
        return stored.startsWith(SecretBox.PREFIX) ? secrets.decrypt(stored) : stored;
    }

    /** Whether {@code signature} ({@code sha256=<hex>}) is the HMAC the body produced; compared in constant time. */
    public static boolean matches(byte[] hmac, String signature) {
        if (signature == null || !signature.startsWith("sha256=")) {
            return false;
        }
        try {
            byte[] given = HEX.parseHex(signature.substring("sha256=".length()).trim().toLowerCase(java.util.Locale.ROOT));
            return MessageDigest.isEqual(hmac, given);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
    }

    public Optional<ApiKey> find(String keyId) {
        return list().stream().filter(key -> key.keyId().equals(keyId)).findFirst();
    }

    /** HMAC-SHA256 with the secret of {@code <timestamp>.<nonce>.<body>}, as the caller computes it. */
    public static byte[] sign(String secret, String timestamp, String nonce, byte[] body) {
        Mac mac = mac(secret);
        mac.update(signedPrefix(timestamp, nonce));
        return mac.doFinal(body);
    }

    /** What the signature covers before the body: the timestamp and the nonce, so neither can be changed. */
    static byte[] signedPrefix(String timestamp, String nonce) {
        return (timestamp + "." + nonce + ".").getBytes(StandardCharsets.UTF_8);
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The header value a caller sends: {@code sha256=<hex>}. */
    public static String signatureHeader(String secret, String timestamp, String nonce, byte[] body) {
        return "sha256=" + HEX.formatHex(sign(secret, timestamp, nonce, body));
    }

    /**
     * The four headers of a signed call made at {@code now}: key id, timestamp (seconds since 1970), a fresh nonce and
     * the signature. Pond takes a call within five minutes of its timestamp, and each nonce once.
     */
    public static java.util.Map<String, String> signedHeaders(String keyId, String secret, java.time.Instant now, byte[] body) {
        String timestamp = Long.toString(now.getEpochSecond());
        String nonce = random(16);
        return java.util.Map.of(ApiKeyAuthenticationFilter.KEY_HEADER, keyId,
                ApiKeyAuthenticationFilter.TIMESTAMP_HEADER, timestamp, ApiKeyAuthenticationFilter.NONCE_HEADER, nonce,
                ApiKeyAuthenticationFilter.SIGNATURE_HEADER, signatureHeader(secret, timestamp, nonce, body));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HEX.formatHex(value);
    }
}
