package io.pond.engine.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.engine.db.SqlDialect;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** {@link TimerBatchesCases} on the embedded default, H2: the acquisition reads the jobs' types with its own query. */
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:timer-batches;DB_CLOSE_DELAY=-1",
        "camunda.bpm.process-engine-name=h2-timer-batches"})
class TimerBatchesH2IT extends TimerBatchesCases {

    @Autowired SqlDialect dialect;

    @BeforeEach
    void onH2() {
        assertThat(dialect).isEqualTo(SqlDialect.H2);
    }
}
