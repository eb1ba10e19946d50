package io.pond.engine.customer;

import org.springframework.jdbc.core.RowMapper;

/** How a row of {@code pond_customer} becomes a {@link Customer}, for queries outside this package. */
public final class CustomerRows {

    public static final RowMapper<Customer> CUSTOMER = CustomerDirectory.CUSTOMER;

    private CustomerRows() {
    }
}
