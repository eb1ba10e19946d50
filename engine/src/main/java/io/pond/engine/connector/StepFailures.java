package io.pond.engine.connector;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import io.pond.engine.config.SettingException;
import org.camunda.bpm.engine.impl.calendar.DurationHelper;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * What happens to a failed job, Pond's way: a deferred step (quiet hours) moves to its time without using
 * a retry; a rate-limited step waits at least as long as the remote side asked; an ambiguous step is asked about
 * again on the retry cycle when its remote side can say what happened, and otherwise becomes an incident at once,
 * as does a script the sandbox refused, stopped or saw fail; everything else follows Camunda's retry cycle ({@code pond.connectors.retry-cycle}).
 */
public class StepFailures extends AbstractProcessEnginePlugin {

    private final String retryCycle;

    public StepFailures(String retryCycle) {
        this.retryCycle = checked(retryCycle);
    }

    /**
     * Camunda reads the cycle only once a step has failed, and then quietly does something else with a wrong one:
     * three immediate retries, or a failure it cannot record.
     */
    private static String checked(String retryCycle) {
        String cycle = retryCycle == null ? "" : retryCycle.replace(" ", "");
        // each wait on its own, as Camunda will read them (its own parser logs a stack trace for a wrong one);
        // an expression ("${…}") is no duration, and means nothing outside a diagram anyway
        List<String> waits = cycle.isEmpty() ? List.of() : List.of(cycle.split(",", -1));
        if (waits.isEmpty() || waits.stream().anyMatch(wait -> !isDuration(wait))) {
            throw new SettingException("POND_CONNECTORS_RETRY_CYCLE (pond.connectors.retry-cycle) must list the waits"
                    + " between a failed step's retries as ISO-8601 durations, e.g. PT10S,PT1M,PT5M,PT15M; '" + retryCycle
                    + "' is not such a list.");
        }
        return cycle;
    }

    private static boolean isDuration(String wait) {
        try {
            new DurationHelper(wait, new Date(0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setFailedJobRetryTimeCycle(retryCycle);
        configuration.setFailedJobCommandFactory(new Factory());
    }

    private static final class Factory implements FailedJobCommandFactory {
        @Override
        public Command<Object> getCommand(String jobId, Throwable exception) {
            StepExceptions.Deferred deferred = StepExceptions.find(exception, StepExceptions.Deferred.class);
            if (deferred != null) {
                return context -> {
                    JobEntity job = context.getJobManager().findJobById(jobId);
                    if (job != null) {
                        job.unlock();
                        job.setDuedate(Date.from(deferred.until));
                        job.setExceptionMessage(deferred.getMessage());
                    }
                    return null;
                };
            }
            Command<Object> standard = new DefaultJobRetryCmd(jobId, exception);
            StepExceptions.Retry retry = StepExceptions.find(exception, StepExceptions.Retry.class);
            StepExceptions.Ambiguous unanswered = StepExceptions.find(exception, StepExceptions.Ambiguous.class);
            // an ambiguous send that nobody can ask about must not be repeated blindly; a script that is refused or
            // stopped fails the same way again
            boolean stopNow = unanswered != null && unanswered.askAgainAt == null
                    || StepExceptions.find(exception, io.pond.engine.script.ScriptProblem.class) != null;
            Instant earliestRetry = unanswered != null ? unanswered.askAgainAt
                    : retry != null && retry.after != null ? ClockUtil.getCurrentTime().toInstant().plus(retry.after) : null;
            return context -> {
                standard.execute(context);
                JobEntity job = context.getJobManager().findJobById(jobId);
                if (job == null) {
                    return null;
                }
                if (stopNow && job.getRetries() > 0) {
                    job.setRetries(0);
                } else if (earliestRetry != null && job.getRetries() > 0) {
                    Date earliest = Date.from(earliestRetry);
                    if (job.getDuedate() == null || job.getDuedate().before(earliest)) {
                        job.setDuedate(earliest);
                    }
                }
                return null;
            };
        }
    }

}
