package io.pond.connectors.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass: rate limit, 5xx, timeout, expired token. The step is retried with backoff; when
 * the retries are used up it becomes an incident an operator can see and retry.
 */
public final class RetryableConnectorException extends ConnectorException {

    private final Duration retryAfter;
    private final boolean outcomeUnknown;

    public RetryableConnectorException(String message) {
        this(message, null, null);
    }

    /** @param retryAfter how long the remote side asked to wait (e.g. WeCom's 45009 needs at least 60 s) */
    public RetryableConnectorException(String message, Duration retryAfter, Throwable cause) {
        this(message, retryAfter, cause, false);
    }

    private RetryableConnectorException(String message, Duration retryAfter, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * The request went out but no answer came back (a read timeout, a connection dropped mid-answer): the remote
     * side may have acted. Pond retries it only for a connector whose remote side deduplicates
     * ({@link ConnectorType#idempotent()}); any other step stops with an incident instead of risking a second send.
     */
    public static RetryableConnectorException outcomeUnknown(String message, Throwable cause) {
        return new RetryableConnectorException(message, null, cause, true);
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
