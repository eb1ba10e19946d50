package io.pond.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.pond.connectors.http.JsonHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** A connector call that can outlive its job's lock could be made again by another node: Pond refuses to start so. */
class ConnectorTimeoutsTest {

    private final ConnectorConfiguration configuration = new ConnectorConfiguration();
    private final DefaultListableBeanFactory noConnectors = new DefaultListableBeanFactory();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private org.springframework.beans.factory.ObjectProvider<io.pond.connectors.spi.Connector<?>> none() {
        return (org.springframework.beans.factory.ObjectProvider) noConnectors.getBeanProvider(io.pond.connectors.spi.Connector.class);
    }

    @AfterEach
    void defaultTimeout() {
        JsonHttp.requestTimeout(Duration.ofSeconds(10));
    }

    @Test
    void aLockShorterThanThreeRequestTimeoutsStopsTheStartAndSaysWhatToChange() {
        assertThatThrownBy(() -> configuration.connectorRegistry(none(), Duration.ofSeconds(10), 8_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lock-time-in-millis = 8000 ms")
                .hasMessageContaining("pond.connectors.request-timeout = PT10S")
                .hasMessageContaining("send twice");
    }

    @Test
    void theDefaultsLeaveRoomAndTheTimeoutIsApplied() {
        assertThatNoException().isThrownBy(() -> configuration.connectorRegistry(none(), Duration.ofSeconds(2), 300_000));
        assertThat(JsonHttp.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    }
}
