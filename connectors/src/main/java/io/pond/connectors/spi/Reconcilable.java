package io.pond.connectors.spi;

import java.time.Instant;
import java.util.Map;

/**
 * A connector whose remote side cannot deduplicate a call, but can be asked afterwards whether one took effect
 * (WeCom's mass send: no idempotency key, but a task list and send results). When an attempt ended without an
 * answer, Pond asks this instead of calling again, and only calls again when the answer is a clear "no".
 *
 * @param <I> the connector's input record
 */
public interface Reconcilable<I extends Record> {

    /**
     * Finds out whether the call for this input and customer took effect.
     *
     * @param from no earlier than the call went out
     * @param to   no earlier than now: the call went out between {@code from} and {@code to}
     * @throws ConnectorException when the remote side cannot be asked now; Pond treats it as {@link Outcome#unknown}
     */
    Outcome reconcile(I input, ConnectorContext context, Instant from, Instant to) throws ConnectorException;

    /** What the remote side said about the earlier call. */
    record Outcome(Verdict verdict, Map<String, Object> outputs, String detail) {

        public enum Verdict {
            /** It took effect: the step continues with these outputs and never calls again. */
            TOOK_EFFECT,
            /** It certainly did not: calling again cannot make a second effect. */
            NO_EFFECT,
            /** The remote side cannot tell (yet): ask again later, or an operator decides. */
            UNKNOWN
        }

        public static Outcome tookEffect(Map<String, Object> outputs, String detail) {
            return new Outcome(Verdict.TOOK_EFFECT, outputs, detail);
        }

        public static Outcome noEffect(String detail) {
            return new Outcome(Verdict.NO_EFFECT, Map.of(), detail);
        }

        public static Outcome unknown(String detail) {
            return new Outcome(Verdict.UNKNOWN, Map.of(), detail);
        }
    }
}
