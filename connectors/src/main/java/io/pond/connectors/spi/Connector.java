package io.pond.connectors.spi;

import java.util.Map;

/**
 * A connector: one class, annotated with {@link ConnectorType}, whose input is a record whose components
 * carry {@link Input}. Pond validates and binds the inputs, fills templates for the customer, checks
 * consent and caps for customer-facing channels, and makes sure one step sends once; the connector only
 * makes the call.
 *
 * @param <I> the input record
 */
public interface Connector<I extends Record> {

    /**
     * Performs the call.
     *
     * @return the outputs declared in {@link ConnectorType#outputs()}, by name
     * @throws RetryableConnectorException for rate limits, 5xx, timeouts, expired tokens: the step is retried
     * @throws BusinessConnectorException  for outcomes the journey should route (invalid recipient, stock empty...)
     */
    Map<String, Object> execute(I input, ConnectorContext context) throws ConnectorException;
}
