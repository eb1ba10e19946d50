package io.pond.engine.connector;

import java.util.Date;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * What happens to a failed job, Pond's way: a deferred step (quiet hours) moves to its time without using
 * a retry; a rate-limited step waits at least as long as the remote side asked; an ambiguous step becomes an
 * incident at once, and so does a script the sandbox refused, stopped or saw fail; everything else follows Camunda's retry cycle ({@code pond.connectors.retry-cycle}).
 */
public class StepFailures extends AbstractProcessEnginePlugin {

    private final String retryCycle;

    public StepFailures(String retryCycle) {
        this.retryCycle = retryCycle;
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
            // an ambiguous send must not be repeated blindly; a script that is refused or stopped fails the same way again
            boolean ambiguous = StepExceptions.find(exception, StepExceptions.Ambiguous.class) != null
                    || StepExceptions.find(exception, io.pond.engine.script.ScriptProblem.class) != null;
            return context -> {
                standard.execute(context);
                JobEntity job = context.getJobManager().findJobById(jobId);
                if (job == null) {
                    return null;
                }
                if (ambiguous && job.getRetries() > 0) {
                    job.setRetries(0);
                } else if (retry != null && retry.after != null && job.getRetries() > 0) {
                    Date earliest = Date.from(ClockUtil.getCurrentTime().toInstant().plus(retry.after));
                    if (job.getDuedate() == null || job.getDuedate().before(earliest)) {
                        job.setDuedate(earliest);
                    }
                }
                return null;
            };
        }
    }

}
