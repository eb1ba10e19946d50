package io.pond.engine.customer;

/** Where a customer is in their relationship with the brand (潜在, 首购, 复购, 沉睡, 流失). */
public enum LifecycleStage {
    PROSPECT, FIRST_PURCHASE, REPEAT, DORMANT, CHURNED
}
