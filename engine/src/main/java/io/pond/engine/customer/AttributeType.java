package io.pond.engine.customer;

/** The type of a custom attribute, declared in Settings. */
public enum AttributeType {
    STRING, NUMBER, BOOLEAN, DATE, ENUM
}
