package io.pond.engine;

import java.util.regex.Pattern;

import io.pond.engine.config.SettingException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * The nightly window in which Camunda removes history older than its time to live ({@code pond.history.cleanup-from}
 * and {@code -until}). Without a window Camunda never cleans up; and it reads a time leniently ("25:99" becomes 02:39
 * without a word), so Pond checks each one before the engine sees it.
 */
public class HistoryCleanupWindow extends AbstractProcessEnginePlugin {

    /** What Camunda understands: HH:mm, optionally with a UTC offset ("01:00+0800"). */
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]([+-][0-9]{4})?");

    private final String from;
    private final String until;

    public HistoryCleanupWindow(String from, String until) {
        this.from = checked("POND_HISTORY_CLEANUP_FROM (pond.history.cleanup-from)", from);
        this.until = checked("POND_HISTORY_CLEANUP_UNTIL (pond.history.cleanup-until)", until);
    }

    private static String checked(String setting, String value) {
        String time = value == null ? "" : value.trim();
        if (!TIME.matcher(time).matches()) {
            throw new SettingException(setting + " must be a time of day as HH:mm, in the server's time zone or with"
                    + " an offset such as 01:00+0800; '" + value + "' is not one.");
        }
        return time;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setHistoryCleanupBatchWindowStartTime(from);
        configuration.setHistoryCleanupBatchWindowEndTime(until);
    }
}
