package io.pond.engine.customer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.pond.engine.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What each customer agreed to per channel, with where that came from and when (PIPL). Without a
 * record a channel counts as not agreed: every customer-facing send checks {@link #allows}.
 */
public class Consents {

    private final JdbcTemplate jdbc;
    private final AuditLog auditLog;
    private final Clock clock;
    private final List<BiConsumer<Long, ConsentChannel>> optOutListeners = new CopyOnWriteArrayList<>();

    public Consents(JdbcTemplate jdbc, AuditLog auditLog, Clock clock) {
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Told of every opt-out, in its transaction (the journey runtime ends the customer's marketing journeys). */
    public void onOptOut(BiConsumer<Long, ConsentChannel> listener) {
        optOutListeners.add(listener);
    }

    public record Consent(ConsentChannel channel, boolean granted, String source, Instant changedAt) {
    }

    public void grant(long customerId, ConsentChannel channel, String source, String actor) {
        record(customerId, channel, true, source, actor);
    }

    /** Opt-out: from now on nothing is sent to this customer on this channel. */
    public void revoke(long customerId, ConsentChannel channel, String source, String actor) {
        record(customerId, channel, false, source, actor);
    }

    public boolean allows(long customerId, ConsentChannel channel) {
        return current(customerId, channel).map(Consent::granted).orElse(false);
    }

    public Optional<Consent> current(long customerId, ConsentChannel channel) {
        return jdbc.query("select channel, granted, source, changed_at from pond_consent where customer_id = ? and channel = ?",
                (rs, i) -> map(rs), customerId, channel.name()).stream().findFirst();
    }

    public List<Consent> of(long customerId) {
        return jdbc.query("select channel, granted, source, changed_at from pond_consent where customer_id = ? order by channel",
                (rs, i) -> map(rs), customerId);
    }

    private void record(long customerId, ConsentChannel channel, boolean granted, String source, String actor) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("A consent needs its source, e.g. 'mini-program privacy dialog'");
        }
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("update pond_consent set granted = ?, source = ?, changed_at = ? where customer_id = ? and channel = ?",
                granted, source.trim(), now, customerId, channel.name());
        if (updated == 0) {
            jdbc.update("insert into pond_consent (customer_id, channel, granted, source, changed_at) values (?, ?, ?, ?, ?)",
                    customerId, channel.name(), granted, source.trim(), now);
        }
        auditLog.record(actor, granted ? "CONSENT_GRANTED" : "CONSENT_REVOKED",
                "customer " + customerId + ", " + channel + ", source: " + source.trim());
        if (!granted) {
            optOutListeners.forEach(listener -> listener.accept(customerId, channel));
        }
    }

    private static Consent map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Consent(ConsentChannel.valueOf(rs.getString(1)), rs.getBoolean(2), rs.getString(3),
                rs.getTimestamp(4).toInstant());
    }
}
