package io.pond.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Pond's clock is Camunda's: quiet hours, the frequency cap, token expiry and the sandbox's welcome codes
 * all move with the engine's timers when a test sets {@link ClockUtil}, and run on real time otherwise.
 */
public final class EngineClock extends Clock {

    private final ZoneId zone;

    public EngineClock(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new EngineClock(other);
    }

    @Override
    public Instant instant() {
        return ClockUtil.now().toInstant();
    }
}
