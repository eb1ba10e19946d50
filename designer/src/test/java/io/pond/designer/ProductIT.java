package io.pond.designer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole product on the integration tests' PostgreSQL database, on a random port. All test classes
 * with this annotation share one application context (and one database); classes that register the
 * database through {@link ProductDatabase} get it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = PondApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pond.admin.password=" + ProductIT.ADMIN_PASSWORD, "camunda.bpm.job-execution.enabled=false"})
public @interface ProductIT {

    String ADMIN_PASSWORD = "Pond-Pass-2026";
}
