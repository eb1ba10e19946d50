package io.pond.designer;

import io.pond.engine.test.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Puts the product of a {@link ProductIT} test on the shared test database; extend it. */
public abstract class ProductDatabase {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.shared().register(registry);
    }
}
