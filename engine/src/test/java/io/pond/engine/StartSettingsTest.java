package io.pond.engine;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.pond.engine.config.SettingException;
import io.pond.engine.connector.StepFailures;
import io.pond.engine.db.SqlDialect;
import io.pond.engine.event.OutboxRelay;
import io.pond.engine.secret.SecretBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Settings Pond cannot run with stop the start and name themselves, before a customer is affected: a pool that can
 * starve connector steps, quiet hours that are no time, a retry cycle Camunda would only read when a step fails, a
 * secret key that is not one, a number of outbox workers outside 1 to 8.
 */
class StartSettingsTest {

    private final ConnectorConfiguration configuration = new ConnectorConfiguration();
    private final HikariDataSource pool = new HikariDataSource();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aPoolWithNoMoreConnectionsThanJobThreadsStopsTheStart() {
        pool.setMaximumPoolSize(16);
        assertThatThrownBy(() -> deliveriesWith(true, 16))
                .isInstanceOf(SettingException.class)
                .hasMessageContaining("spring.datasource.hikari.maximum-pool-size = 16")
                .hasMessageContaining("camunda.bpm.job-execution.max-pool-size = 16")
                .hasMessageContaining("two connections at once");
    }

    @Test
    void aPoolLargerThanTheThreadsOrANodeWithoutJobsStarts() {
        pool.setMaximumPoolSize(40);
        assertThatNoException().isThrownBy(() -> deliveriesWith(true, 16));
        pool.setMaximumPoolSize(10);
        assertThatNoException().as("a node that runs no jobs holds no second connection")
                .isThrownBy(() -> deliveriesWith(false, 16));
        // a pool Pond does not know the size of is left to whoever made it
        assertThatNoException().isThrownBy(() -> configuration.deliveries(null, null, Clock.systemUTC(),
                new DriverManagerDataSource(), true, 16));
    }

    private void deliveriesWith(boolean jobsRunHere, int jobThreads) {
        configuration.deliveries(new JdbcTemplate(pool), new DataSourceTransactionManager(pool), Clock.systemUTC(), pool,
                jobsRunHere, jobThreads);
    }

    @Test
    void quietHoursThatAreNoTimeOfDayStopTheStart() {
        assertThatThrownBy(() -> configuration.sendPolicy(null, null, Clock.systemUTC(), 1, "9pm", "09:00"))
                .isInstanceOf(SettingException.class)
                .hasMessageContaining("POND_POLICY_QUIET_HOURS_START (pond.policy.quiet-hours.start)")
                .hasMessageContaining("'9pm'");
        assertThatThrownBy(() -> configuration.sendPolicy(null, null, Clock.systemUTC(), 1, "21:00", "25:00"))
                .hasMessageContaining("POND_POLICY_QUIET_HOURS_END");
        assertThatNoException().isThrownBy(() -> configuration.sendPolicy(null, null, Clock.systemUTC(), 1, "21:30", " 08:00"));
    }

    @Test
    void aRetryCycleThatIsNoListOfDurationsStopsTheStart() {
        for (String wrong : new String[] {"PT10S,1 minute", "", "soon", "${cycle}", "PT10S,,PT1M"}) {
            assertThatThrownBy(() -> new StepFailures(wrong)).as(wrong)
                    .isInstanceOf(SettingException.class)
                    .hasMessageContaining("POND_CONNECTORS_RETRY_CYCLE (pond.connectors.retry-cycle)")
                    .hasMessageContaining("'" + wrong + "'");
        }
        for (String right : new String[] {"PT10S,PT1M,PT5M,PT15M", "R5/PT5M", "PT10S, PT1M", "P1D"}) {
            assertThatNoException().as(right).isThrownBy(() -> new StepFailures(right));
        }
    }

    @Test
    void outboxWorkersOutsideOneToEightStopTheStart() {
        for (int wrong : new int[] {0, -1, 9}) {
            assertThatThrownBy(() -> new OutboxRelay(null, SqlDialect.POSTGRESQL, List.of(), null, Clock.systemUTC(), wrong))
                    .isInstanceOf(SettingException.class)
                    .hasMessageContaining("POND_OUTBOX_WORKERS (pond.outbox.workers)").hasMessageContaining("'" + wrong + "'");
        }
        assertThatNoException().isThrownBy(() -> new OutboxRelay(null, SqlDialect.POSTGRESQL, List.of(), null, Clock.systemUTC(), 8).stop());
    }

    @Test
    void aSecretKeyThatIsNotOneStopsTheStartWithoutShowingIt(@TempDir Path data) {
        assertThatThrownBy(() -> SecretBox.from("not-base64-secret!", data))
                .isInstanceOf(SettingException.class)
                .hasMessageContaining("POND_SECRET_KEY (pond.secret-key)").hasMessageContaining("not base64")
                .hasMessageNotContaining("not-base64-secret");
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretBox.from(sixteenBytes, data))
                .isInstanceOf(SettingException.class).hasMessageContaining("it holds 16 bytes")
                .hasMessageNotContaining(sixteenBytes);
    }
}
