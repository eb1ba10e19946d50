package io.pond.connectors.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.connectors.spi.RetryableConnectorException;

/**
 * JSON over HTTP for connectors, with timeouts well below the job lock (so a slow call is never picked up
 * by a second node while the first still waits) and network failures reported as retryable.
 */
public final class JsonHttp {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default answer timeout: well below Camunda's job lock of five minutes. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final ObjectMapper JSON = new ObjectMapper();

    // HTTP/1.1 with kept-alive connections: over plain http (a CRM inside the network, the sandbox) the default
    // HTTP/2 client offers an h2c upgrade on every new connection, which measured at a third of the throughput
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    private static volatile Duration requestTimeout = REQUEST_TIMEOUT;

    private JsonHttp() {
    }

    /** How long a call may wait for its answer ({@code pond.connectors.request-timeout}); at most one minute. */
    public static void requestTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("A connector's request timeout (POND_CONNECTORS_REQUEST_TIMEOUT,"
                    + " pond.connectors.request-timeout) must be more than 0 and at most 1 minute, not " + timeout);
        }
        requestTimeout = timeout;
    }

    public static Duration requestTimeout() {
        return requestTimeout;
    }

    /** A response: the status, the headers and the body as text. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        public JsonNode json() throws RetryableConnectorException {
            try {
                return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (JsonProcessingException e) {
                // the far side received the request and answered something unreadable: whether it acted is unknown
                throw RetryableConnectorException.outcomeUnknown("The answer was not JSON (HTTP " + status + "): "
                        + (body.length() > 200 ? body.substring(0, 200) : body), e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(0)).orElse(null);
        }
    }

    /** Sends the request; a timeout or a broken connection becomes a {@link RetryableConnectorException}. */
    public static Response send(HttpRequest.Builder request, String what) throws RetryableConnectorException {
        Duration timeout = requestTimeout;
        HttpRequest built = request.timeout(timeout).build();
        try {
            HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            // nothing reached the other side: calling again is safe
            throw new RetryableConnectorException(what + ": cannot connect (" + e.getClass().getSimpleName() + ")", null, e);
        } catch (HttpTimeoutException e) {
            throw RetryableConnectorException.outcomeUnknown(what + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw RetryableConnectorException.outcomeUnknown(what + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableConnectorException(what + ": interrupted", null, e);
        }
    }

    public static HttpRequest.Builder postJson(URI uri, Object body) {
        try {
            return HttpRequest.newBuilder(uri).header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
