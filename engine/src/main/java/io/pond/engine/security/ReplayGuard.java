package io.pond.engine.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signed callbacks carry a timestamp and a nonce; a signature alone does not stop someone who recorded a request
 * from sending it again. A request is taken only when its timestamp is within five minutes of now and its nonce
 * was not seen before from that sender. The nonces live in the database, so every node of a cluster knows them;
 * they are forgotten once their timestamp could no longer pass.
 */
public class ReplayGuard {

    public static final Duration WINDOW = Duration.ofMinutes(5);

    public enum Verdict { FRESH, STALE, REPLAYED }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    /** When this node last forgot expired nonces: once a minute is enough, not on every call. */
    private volatile Instant forgotten = Instant.MIN;

    public ReplayGuard(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** @param epochSeconds the request's timestamp, as the sender wrote it (seconds since 1970) */
    public Verdict check(String sender, String epochSeconds, String nonce) {
        Instant now = clock.instant();
        Instant sent;
        try {
            sent = Instant.ofEpochSecond(Long.parseLong(epochSeconds.trim()));
        } catch (RuntimeException unreadable) {
            return Verdict.STALE;
        }
        if (nonce == null || nonce.isBlank() || nonce.length() > 128
                || Duration.between(sent, now).abs().compareTo(WINDOW) > 0) {
            return nonce == null || nonce.isBlank() || nonce.length() > 128 ? Verdict.REPLAYED : Verdict.STALE;
        }
        if (forgotten.plus(Duration.ofMinutes(1)).isBefore(now) || forgotten.isAfter(now)) {
            forgotten = now;
            jdbc.update("delete from pond_seen_nonce where seen_at < ?", Timestamp.from(now.minus(WINDOW.multipliedBy(2))));
        }
        try {
            jdbc.update("insert into pond_seen_nonce (sender, nonce, seen_at) values (?, ?, ?)", sender, nonce, Timestamp.from(now));
            return Verdict.FRESH;
        } catch (DuplicateKeyException seen) {
            return Verdict.REPLAYED;
        }
    }
}
