package io.pond.engine.user;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/** Settings that follow a user from browser to browser, kept in {@code pond_user_preference}. */
public class UserPreferences {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public UserPreferences(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The UI language the user chose last, if any. */
    public Optional<Locale> locale(String userId) {
        return jdbc.query("select locale from pond_user_preference where user_id = ?",
                        (rs, i) -> rs.getString(1), userId)
                .stream()
                .filter(tag -> tag != null && !tag.isBlank())
                .map(Locale::forLanguageTag)
                .findFirst();
    }

    public void saveLocale(String userId, Locale locale) {
        Timestamp now = Timestamp.from(clock.instant());
        String tag = locale.toLanguageTag();
        int updated = jdbc.update("update pond_user_preference set locale = ?, updated_at = ? where user_id = ?",
                tag, now, userId);
        if (updated == 0) {
            jdbc.update("insert into pond_user_preference (user_id, locale, updated_at) values (?, ?, ?)",
                    userId, tag, now);
        }
    }
}
