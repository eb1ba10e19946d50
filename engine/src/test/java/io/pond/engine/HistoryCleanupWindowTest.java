package io.pond.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.junit.jupiter.api.Test;

/** The history cleanup window is checked before Camunda, which would read a wrong time as another one, sees it. */
class HistoryCleanupWindowTest {

    @Test
    void aTimeThatIsNoTimeOfDayStopsTheStartAndNamesTheSetting() {
        assertThatThrownBy(() -> new HistoryCleanupWindow("25:99", "05:00"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POND_HISTORY_CLEANUP_FROM").hasMessageContaining("'25:99'")
                .hasMessageContaining("HH:mm");
        assertThatThrownBy(() -> new HistoryCleanupWindow("01:00", "5 am"))
                .hasMessageContaining("POND_HISTORY_CLEANUP_UNTIL").hasMessageContaining("'5 am'");
    }

    @Test
    void theWindowReachesTheEngineWithOrWithoutAnOffset() {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        new HistoryCleanupWindow(" 01:00+0800", "05:30").preInit(configuration);
        assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00+0800");
        assertThat(configuration.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:30");
    }
}
