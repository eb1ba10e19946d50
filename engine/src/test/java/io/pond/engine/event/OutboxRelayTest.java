package io.pond.engine.event;

import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Clock;
import java.util.List;

import io.pond.engine.db.SqlDialect;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    @Test
    void aRoundTheSchedulerStartsWhilePondShutsDownDeliversNothingAndFailsNothing() {
        // no database: a round that tried to deliver would fail on it
        OutboxRelay relay = new OutboxRelay(null, SqlDialect.POSTGRESQL, List.of(), null, Clock.systemUTC(), 2);
        relay.stop();
        assertThatNoException().isThrownBy(relay::poll);
    }
}
