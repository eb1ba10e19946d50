package io.pond.engine.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A wrong setting stops the start with one message under "APPLICATION FAILED TO START", where an operator looks,
 * rather than as the last "Caused by" of a hundred-line stack trace: a {@link SettingException}'s own message, or for a
 * value of the wrong kind ({@code POND_POLICY_FREQUENCY_CAP_PER_DAY=abc}) the setting, its value and what it must be.
 */
public class SettingFailureAnalyzer implements FailureAnalyzer {

    private static final String ACTION = "Correct the setting (an environment variable, a --name=value argument or"
            + " application.yml) and start Pond again.";
    /** The property of {@code @Value("${name:default}")}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SettingException setting) {
                return new FailureAnalysis(setting.getMessage(), ACTION, failure);
            }
            if (cause instanceof UnsatisfiedDependencyException unsatisfied
                    && unsatisfied.getCause() instanceof TypeMismatchException mismatch) {
                String property = valueProperty(unsatisfied.getInjectionPoint());
                if (property != null) {
                    return new FailureAnalysis(environmentVariable(property) + " (" + property + ") must be "
                            + expected(mismatch.getRequiredType()) + "; '" + mismatch.getValue() + "' is not.", ACTION, failure);
                }
            }
        }
        return null;
    }

    private static String valueProperty(InjectionPoint point) {
        Value value = point == null ? null : point.getAnnotation(Value.class);
        Matcher placeholder = value == null ? null : PLACEHOLDER.matcher(value.value());
        return placeholder != null && placeholder.find() ? placeholder.group(1).trim() : null;
    }

    /** The variable Spring reads the property from: pond.policy.frequency-cap-per-day → POND_POLICY_FREQUENCY_CAP_PER_DAY. */
    private static String environmentVariable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Duration.class) {
            return "a duration such as PT10S or 10s";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a " + (type == null ? "value of another kind" : type.getSimpleName());
    }
}
