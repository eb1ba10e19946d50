package io.pond.engine.event;

/**
 * Receives every accepted event once, in the order they were accepted, from the outbox (see
 * {@link OutboxRelay}). Runs in the relay's transaction: an exception leaves the event in the outbox
 * to be delivered again, so a listener must tolerate seeing an event again after its own failure.
 */
public interface CustomerEventListener {

    void onEvent(CustomerEvent event);

    /**
     * Thrown by a listener for an event that is expected but comes too early (a customer on their way to the wait for
     * it): the relay delivers it again a few seconds later, for up to {@link OutboxRelay#EARLY_EVENTS_WAIT}.
     */
    class NotYet extends RuntimeException {
        public NotYet(String message) {
            super(message, null, false, false);
        }
    }

    /** A batch of events, oldest first, in one transaction; a listener may apply them together. */
    default void onEvents(java.util.List<CustomerEvent> events) {
        events.forEach(this::onEvent);
    }
}
