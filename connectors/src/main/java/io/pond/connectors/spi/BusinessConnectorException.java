package io.pond.connectors.spi;

/**
 * An outcome the journey should route, not retry: invalid recipient, coupon stock empty, the customer
 * blocked the staff member. It becomes a BPMN error with {@link #errorCode()}, which a boundary event catches.
 */
public final class BusinessConnectorException extends ConnectorException {

    private final String errorCode;

    /** @param errorCode upper-case, e.g. {@code COUPON_STOCK_EMPTY}; what a diagram's error event names */
    public BusinessConnectorException(String errorCode, String message) {
        super(message, null);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
