package io.pond.engine.customer;

/** Who put a tag on a customer. */
public enum TagSource {
    MANUAL, RULE, JOURNEY, CHANNEL_QR, IMPORT
}
