package io.pond.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/** What an operator reads when a setting stops the start: the setting, its value and what it must be. */
class SettingFailureAnalyzerTest {

    private final SettingFailureAnalyzer analyzer = new SettingFailureAnalyzer();

    @Configuration(proxyBeanMethods = false)
    static class Settings {
        @Bean
        String limits(@Value("${pond.sample.cap-per-day:1}") int cap, @Value("${pond.sample.wait:PT1S}") Duration wait) {
            return cap + " " + wait;
        }
    }

    @Test
    void aValueOfTheWrongKindIsNamedWithItsVariable() {
        assertThat(startWith(Map.of("pond.sample.cap-per-day", "abc")).getDescription())
                .isEqualTo("POND_SAMPLE_CAP_PER_DAY (pond.sample.cap-per-day) must be a whole number; 'abc' is not.");
        assertThat(startWith(Map.of("pond.sample.wait", "soon")).getDescription())
                .isEqualTo("POND_SAMPLE_WAIT (pond.sample.wait) must be a duration such as PT10S or 10s; 'soon' is not.");
    }

    @Test
    void aSettingExceptionAnywhereInTheFailureIsShownByItsOwnMessage() {
        FailureAnalysis analysis = analyzer.analyze(new IllegalStateException("bean creation failed",
                new SettingException("POND_X (pond.x) must be 1 or 2; '3' is not.")));
        assertThat(analysis.getDescription()).isEqualTo("POND_X (pond.x) must be 1 or 2; '3' is not.");
        assertThat(analysis.getAction()).contains("start Pond again");
    }

    @Test
    void otherFailuresAreLeftToSpringBoot() {
        assertThat(analyzer.analyze(new IllegalStateException("the port is in use"))).isNull();
    }

    private FailureAnalysis startWith(Map<String, Object> properties) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
        context.register(Settings.class);
        Throwable failure = catchThrowable(context::refresh);
        assertThat(failure).as("the start fails").isNotNull();
        FailureAnalysis analysis = analyzer.analyze(failure);
        assertThat(analysis).as("analysed: " + failure).isNotNull();
        return analysis;
    }
}
