package io.pond.engine.jobs;

import io.pond.engine.test.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TimerBatchesCases} on PostgreSQL. */
class TimerBatchesIT extends TimerBatchesCases {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }
}
