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

    /**
     * An attempt may have sent: do not call again. With {@code askAgainAt}, the remote side is asked what became of it
     * on the retry cycle, not before then; without, it becomes an incident at once for an operator to check.
     */
    static final class Ambiguous extends RuntimeException {
        final Instant askAgainAt;

        Ambiguous(String message, Instant askAgainAt) {
            super(message);
            this.askAgainAt = askAgainAt;
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
