package io.pond.engine.sandbox;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.pond.connectors.coupon.WeChatPaySettings;
import io.pond.connectors.coupon.WeChatPaySigner;
import io.pond.connectors.crm.RestCrmSettings;
import io.pond.connectors.webhook.WebhookSettings;
import io.pond.connectors.wecom.WeComSettings;
import io.pond.engine.connector.ConnectorSettings;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Local stand-ins for WeCom, WeChat Pay, a REST CRM and webhook receivers, served by Pond itself under
 * {@code /sandbox}. They follow wecom-contract.md, errors included, and keep what they received for the
 * Sandbox outbox screen. A system nobody has configured talks to its stand-in, so a fresh install runs
 * journeys end to end; tests inject faults (error codes, delays, expired tokens) here.
 */
public class Sandbox implements ConnectorSettings.SandboxDefaults {

    public static final String CORP_ID = "wwTESTCORP000001";
    public static final String CORP_SECRET = "S3CR3T";
    public static final String CALLBACK_TOKEN = "QDG6eK";
    public static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    public static final String WEBHOOK_SECRET = "sandbox-webhook-secret";
    public static final String MCHID = "1900000109";
    public static final String APPID = "wx233544546545989";

    /** The sandbox's controllers, for the engine's configuration to import. */
    @Import({WeComSandbox.class, WeChatPaySandbox.class, CrmSandbox.class})
    public static class Controllers {
    }

    /**
     * What a stub does instead of answering normally, once: answer an error code or status, answer late, or do the
     * work and then cut the connection in the middle of its answer (the request arrived; the caller cannot know).
     */
    public record Fault(int code, Duration delay, boolean cut, boolean workDone) {

        public Fault(int code, Duration delay) {
            this(code, delay, false, false);
        }

        /** Does the work, then the connection breaks in the middle of the answer. */
        public static Fault cutAfterReceiving() {
            return new Fault(0, null, true, true);
        }

        /** The request arrives, and the connection breaks before the work is done (the far side died). */
        public static Fault cutBeforeWorking() {
            return new Fault(0, null, true, false);
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Environment environment;
    /** Read once: every stub request and every connector step asks, and a lookup walks all property sources. */
    private final boolean enabled;
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    final KeyPair platformKeys = rsa();
    final KeyPair merchantKeys = rsa();

    public Sandbox(JdbcTemplate jdbc, Clock clock, Environment environment) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.environment = environment;
        this.enabled = environment.getProperty("pond.sandbox.enabled", Boolean.class, true);
    }

    public boolean enabled() {
        return enabled;
    }

    /** This Pond's own address, where the stubs answer. */
    public String baseUrl() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String path = environment.getProperty("server.servlet.context-path", "");
        return "http://localhost:" + port + path + "/sandbox";
    }

    @Override
    public Optional<Record> settings(String system) {
        if (!enabled()) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (system) {
            case "wecom" -> new WeComSettings(baseUrl() + "/wecom", CORP_ID, CORP_SECRET, CALLBACK_TOKEN, AES_KEY);
            case "wechatpay" -> new WeChatPaySettings(baseUrl() + "/wechatpay", MCHID, APPID, "SANDBOXSERIAL",
                    WeChatPaySigner.pem("PRIVATE KEY", merchantKeys.getPrivate().getEncoded()),
                    WeChatPaySigner.pem("PUBLIC KEY", platformKeys.getPublic().getEncoded()));
            case "crm" -> new RestCrmSettings(baseUrl() + "/crm", "Authorization", "Bearer sandbox");
            case "webhook" -> new WebhookSettings(WEBHOOK_SECRET);
            default -> null;
        });
    }

    /** The next {@code times} calls to {@code operation} (e.g. "add_msg_template", "coupons") get this fault. */
    public void inject(String operation, Fault fault, int times) {
        Deque<Fault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
    }

    public void clearFaults() {
        faults.clear();
    }

    /** The fault waiting for this operation, if any (it is used up). */
    Optional<Fault> nextFault(String operation) {
        Deque<Fault> queue = faults.get(operation);
        if (queue == null) {
            return Optional.empty();
        }
        synchronized (queue) {
            return Optional.ofNullable(queue.poll());
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger DELAYED = new java.util.concurrent.atomic.AtomicInteger();

    /** Waits out a delay fault: the client gives up first (its timeout is shorter), the stub carries on. */
    static void sleep(Duration delay) {
        DELAYED.incrementAndGet();
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            DELAYED.decrementAndGet();
        }
    }

    /** Whether a delayed request is still on its way (its caller gave up; the stub has not finished it). */
    public boolean delaying() {
        return DELAYED.get() > 0;
    }

    Clock clock() {
        return clock;
    }

    /** Keeps what a stub received, for the outbox screen and for tests. */
    void record(String system, String operation, String recipient, String summary, String request, String response) {
        jdbc.update("insert into pond_sandbox_message (system_name, operation, recipient, summary, request, response, received_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?)", system, operation, recipient, abbreviate(summary), request, response,
                Timestamp.from(clock.instant()));
    }

    /** Empties the outbox. */
    public void clearMessages() {
        jdbc.update("delete from pond_sandbox_message");
    }

    /** One thing a stub received. */
    public record Message(long id, String system, String operation, String recipient, String summary, String request,
            String response, Instant receivedAt) {
    }

    public List<Message> messages(int limit) {
        return jdbc.query("select id, system_name, operation, recipient, summary, request, response, received_at"
                        + " from pond_sandbox_message order by id desc limit ?",
                (rs, i) -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()), limit);
    }

    public List<Message> messages(String system, String operation) {
        return jdbc.query("select id, system_name, operation, recipient, summary, request, response, received_at"
                        + " from pond_sandbox_message where system_name = ? and operation = ? order by id",
                (rs, i) -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()), system, operation);
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 999) + "…";
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
