package io.pond.engine.event;

import java.time.Instant;

/** A stored behaviour event of a customer, as the journey runtime receives it from the outbox. */
public record CustomerEvent(String eventId, long customerId, String type, Instant occurredAt, String propertiesJson) {
}
