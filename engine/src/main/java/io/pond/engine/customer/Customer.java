package io.pond.engine.customer;

import java.time.Instant;

/** A customer's profile; {@code mergedInto} is set on a profile that was merged into another one. */
public record Customer(long id, String displayName, LifecycleStage lifecycleStage, String memberTier, long points,
        String timezone, String ownerId, Long mergedInto, Instant createdAt, Instant updatedAt) {

    /** The journeys' business key for this customer. */
    public String businessKey() {
        return Long.toString(id);
    }
}
