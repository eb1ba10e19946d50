package io.pond.connectors.spi;

/** Why a connector call did not succeed; see its two kinds. */
public abstract sealed class ConnectorException extends Exception
        permits RetryableConnectorException, BusinessConnectorException {

    protected ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
