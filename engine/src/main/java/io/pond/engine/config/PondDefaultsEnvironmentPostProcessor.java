package io.pond.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code pond-defaults.yml} as the property source of lowest precedence, so the application, its
 * tests and every later module start from the same defaults while anything the user sets still wins.
 */
public class PondDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "pondDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE_NAME)) {
            return;
        }
        List<PropertySource<?>> loaded;
        try {
            loaded = new YamlPropertySourceLoader().load(SOURCE_NAME, new ClassPathResource("pond-defaults.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read pond-defaults.yml from the classpath", e);
        }
        loaded.forEach(environment.getPropertySources()::addLast);
        // Liquibase 4.33 otherwise tries to reach its analytics service at every start.
        if (System.getProperty("liquibase.analytics.enabled") == null) {
            System.setProperty("liquibase.analytics.enabled", "false");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
