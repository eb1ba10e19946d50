package io.pond.connectors.spi;

/** How an input is entered, checked and bound. */
public enum InputType {
    /** From the Java type: String → STRING, numbers → NUMBER, boolean → BOOLEAN, an enum → ENUM. */
    AUTO,
    STRING,
    /** Several lines of plain text. */
    TEXT,
    NUMBER,
    BOOLEAN,
    ENUM,
    /** Text with placeholders such as {@code ${customer.name}} or {@code ${customer.name|friend}}, filled per customer. */
    TEMPLATE,
    /** A JSON document. */
    JSON,
    /** A credential: stored encrypted, never logged, never shown back. Settings only, never in a diagram. */
    SECRET
}
