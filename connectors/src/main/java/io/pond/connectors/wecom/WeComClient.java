package io.pond.connectors.wecom;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import io.pond.connectors.http.JsonHttp;
import io.pond.connectors.spi.BusinessConnectorException;
import io.pond.connectors.spi.ConnectorException;
import io.pond.connectors.spi.RetryableConnectorException;

/**
 * A client of WeCom's server API for one corp app, with the access token cached per app (refreshed once when
 * WeCom calls it expired or invalid, one refresh at a time however many threads ask) and WeCom's error codes
 * sorted into retryable and business failures (wecom-contract.md §1, §7).
 */
public final class WeComClient {

    private static final Map<String, WeComClient> CLIENTS = new ConcurrentHashMap<>();
    private static final Set<Integer> TOKEN_ERRORS = Set.of(40014, 42001, 40001);
    /** Refetch this long before WeCom says the token expires. */
    private static final Duration MARGIN = Duration.ofSeconds(200);

    private final WeComSettings settings;
    private final Clock clock;
    private final ReentrantLock refresh = new ReentrantLock();
    private volatile String token;
    private volatile Instant expiresAt = Instant.MIN;
    private volatile int tokenFetches;
    /** APIs WeCom blocked for frequency (45009), and until when: no call goes out before then. */
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

    private WeComClient(WeComSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The client of these settings, shared so that its token is too. */
    public static WeComClient of(WeComSettings settings, Clock clock) {
        return CLIENTS.computeIfAbsent(settings.baseUrl() + "|" + settings.corpId() + "|" + settings.secret().hashCode(),
                k -> new WeComClient(settings, clock));
    }

    /** Forgets every client, with its token and its pauses: after settings change, and when a sandbox is reset. */
    public static void reset() {
        CLIENTS.clear();
    }

    /** How often this client fetched a token (for tests of the single-flight refresh). */
    public int tokenFetches() {
        return tokenFetches;
    }

    public JsonNode post(String path, Object body) throws ConnectorException {
        return call(path, token -> JsonHttp.postJson(uri(path, Map.of("access_token", token)), body));
    }

    public JsonNode get(String path, Map<String, String> query) throws ConnectorException {
        return call(path, token -> {
            Map<String, String> all = new java.util.LinkedHashMap<>(query);
            all.put("access_token", token);
            return HttpRequest.newBuilder(uri(path, all)).GET();
        });
    }

    private interface RequestWithToken {
        HttpRequest.Builder build(String token);
    }

    private JsonNode call(String path, RequestWithToken request) throws ConnectorException {
        Instant paused = pausedUntil.get(path);
        if (paused != null && clock.instant().isBefore(paused)) {
            throw new RetryableConnectorException("WeCom " + path + " is paused after a frequency limit (45009) until " + paused,
                    Duration.between(clock.instant(), paused), null);
        }
        String used = token();
        JsonNode answer = send(path, request.build(used));
        int errcode = answer.path("errcode").asInt(0);
        if (TOKEN_ERRORS.contains(errcode)) {
            invalidate(used);
            answer = send(path, request.build(token()));
            errcode = answer.path("errcode").asInt(0);
            if (TOKEN_ERRORS.contains(errcode)) {
                throw new RetryableConnectorException("WeCom refused a fresh access token too (" + errcode + " "
                        + answer.path("errmsg").asText() + ") on " + path);
            }
        }
        try {
            return check(path, answer);
        } catch (RetryableConnectorException e) {
            if (errcode == 45009 && e.retryAfter().isPresent()) {
                // the whole API is blocked for the corp, not just this call: every step waits the window out
                pausedUntil.put(path, clock.instant().plus(e.retryAfter().get()));
            }
            throw e;
        }
    }

    private JsonNode send(String path, HttpRequest.Builder request) throws RetryableConnectorException {
        JsonHttp.Response response = JsonHttp.send(request, "WeCom " + path);
        if (response.status() >= 500 || response.status() == 429) {
            throw new RetryableConnectorException("WeCom " + path + " answered HTTP " + response.status());
        }
        return response.json();
    }

    /** Sorts WeCom's error codes: 0 passes, busy and frequency limits retry, the rest are business outcomes. */
    static JsonNode check(String path, JsonNode answer) throws ConnectorException {
        int errcode = answer.path("errcode").asInt(0);
        String message = "WeCom " + path + ": " + errcode + " " + answer.path("errmsg").asText();
        switch (errcode) {
            case 0:
                return answer;
            case -1:
                throw new RetryableConnectorException(message + " (busy)", Duration.ofSeconds(1), null);
            case 45009:
                // the API is blocked for its window: wait at least a minute, with jitter so nodes do not return together
                throw new RetryableConnectorException(message + " (frequency limit)",
                        Duration.ofSeconds(60 + ThreadLocalRandom.current().nextInt(30)), null);
            case 45033:
            case 41063:
                throw new RetryableConnectorException(message, Duration.ofSeconds(5), null);
            default:
                throw new BusinessConnectorException("WECOM_" + errcode, message);
        }
    }

    private String token() throws ConnectorException {
        String current = token;
        if (current != null && clock.instant().isBefore(expiresAt)) {
            return current;
        }
        refresh.lock();
        try {
            if (token != null && clock.instant().isBefore(expiresAt)) {
                return token;
            }
            JsonNode answer = send("/cgi-bin/gettoken", HttpRequest.newBuilder(uri("/cgi-bin/gettoken",
                    Map.of("corpid", settings.corpId(), "corpsecret", settings.secret()))).GET());
            tokenFetches++;
            int errcode = answer.path("errcode").asInt(0);
            if (errcode == -1) {
                throw new RetryableConnectorException("WeCom gettoken: busy", Duration.ofSeconds(1), null);
            }
            if (errcode != 0) {
                // a wrong secret or corp id: retrying will not fix it, and repeating it can get the IP blocked
                throw new RetryableConnectorException("WeCom refused the app's credentials (" + errcode + " "
                        + answer.path("errmsg").asText() + "): check corp id and secret in the WeCom settings",
                        Duration.ofMinutes(5), null);
            }
            token = answer.path("access_token").asText();
            expiresAt = clock.instant().plusSeconds(answer.path("expires_in").asLong(7200)).minus(MARGIN);
            return token;
        } finally {
            refresh.unlock();
        }
    }

    /** Drops the token, unless another thread has replaced it meanwhile. */
    private void invalidate(String stale) {
        refresh.lock();
        try {
            if (stale.equals(token)) {
                token = null;
                expiresAt = Instant.MIN;
            }
        } finally {
            refresh.unlock();
        }
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder uri = new StringBuilder(settings.baseUrl().replaceAll("/+$", "")).append(path);
        String separator = "?";
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        return URI.create(uri.toString());
    }
}
