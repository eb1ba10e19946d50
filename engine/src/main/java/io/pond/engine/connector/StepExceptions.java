package io.pond.engine.connector;

import java.time.Duration;
import java.time.Instant;

/** How a connector step tells the job executor what to do besides "retry by the cycle". */
final class StepExceptions {

    private StepExceptions() {
    }

    /** Not now: run the step again at {@code until}, without using up a retry (quiet hours). */
    static final class Deferred extends RuntimeException {
        final Instant until;

        Deferred(Instant until, String message) {
            super(message);
            this.until = until;
        }
    }

    /** A retryable failure, with how long the remote side asked to wait. */
    static final class Retry extends RuntimeException {
        final Duration after;

        Retry(String message, Duration after, Throwable cause) {
            super(message, cause);
            this.after = after;
        }
    }

    /** An earlier attempt may have sent: stop with an incident instead of risking a second send. */
    static final class Ambiguous extends RuntimeException {
        Ambiguous(String message) {
            super(message);
        }
    }

    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
