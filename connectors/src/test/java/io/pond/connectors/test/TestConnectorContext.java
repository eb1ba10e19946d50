package io.pond.connectors.test;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.pond.connectors.spi.ConnectorContext;

/** A context for testing a connector by itself: a customer, settings and a clock of the test's choosing. */
public final class TestConnectorContext implements ConnectorContext {

    private final String idempotencyKey;
    private final CustomerView customer;
    private final Map<Class<?>, Record> settings = new HashMap<>();
    private Clock clock = Clock.systemUTC();

    public TestConnectorContext(String idempotencyKey, CustomerView customer) {
        this.idempotencyKey = idempotencyKey;
        this.customer = customer;
    }

    /** A customer with a name and the given identities (type, value, type, value...). */
    public static CustomerView customer(long id, String name, String... identities) {
        Map<String, String> byType = new HashMap<>();
        for (int i = 0; i + 1 < identities.length; i += 2) {
            byType.put(identities[i], identities[i + 1]);
        }
        return new CustomerView(id, name, null, 0, "Asia/Shanghai", null, byType, Map.of());
    }

    public TestConnectorContext with(Record settings) {
        this.settings.put(settings.getClass(), settings);
        return this;
    }

    public TestConnectorContext at(Clock clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public String idempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public Optional<CustomerView> customer() {
        return Optional.ofNullable(customer);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends Record> S settings(Class<S> type) {
        S value = (S) settings.get(type);
        if (value == null) {
            throw new IllegalStateException("No settings " + type.getSimpleName() + " given to the test context");
        }
        return value;
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
