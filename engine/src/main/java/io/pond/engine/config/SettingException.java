package io.pond.engine.config;

/**
 * A setting Pond cannot start with. Its message names the setting (the environment variable and the property), the
 * value and what to do; {@link SettingFailureAnalyzer} shows that message alone instead of a stack trace.
 */
public class SettingException extends IllegalStateException {

    public SettingException(String message) {
        super(message);
    }

    public SettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
