package io.pond.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class PondDefaultsEnvironmentPostProcessorTest {

    private final PondDefaultsEnvironmentPostProcessor processor = new PondDefaultsEnvironmentPostProcessor();

    @Test
    void withNothingSetPondUsesAnH2FileUnderPondData() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:h2:file:./pond-data/pond;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(environment.getProperty("camunda.bpm.database.schema-update")).isEqualTo("false");
        assertThat(environment.getProperty("server.port")).isEqualTo("8080");
    }

    @Test
    void pondDbSettingsSwitchToPostgresqlAndWinOverTheDefaults() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("user", Map.of(
                "pond.db.url", "jdbc:postgresql://db/pond", "pond.db.user", "pond", "pond.port", "9090")));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db/pond");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("pond");
        assertThat(environment.getProperty("server.port")).isEqualTo("9090");
    }
}
