package io.pond.connectors.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass: rate limit, 5xx, timeout, expired token. The step is retried with backoff; when
 * the retries are used up it becomes an incident an operator can see and retry.
 */
public final class RetryableConnectorException extends ConnectorException {

    private final Duration retryAfter;

    public RetryableConnectorException(String message) {
        this(message, null, null);
    }

    /** @param retryAfter how long the remote side asked to wait (e.g. WeCom's 45009 needs at least 60 s) */
    public RetryableConnectorException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
