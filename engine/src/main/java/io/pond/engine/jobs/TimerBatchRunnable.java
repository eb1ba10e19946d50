package io.pond.engine.jobs;

import java.util.List;

import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.ExecuteJobsCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.ProcessDataContext;
import org.camunda.bpm.engine.impl.jobexecutor.ExecuteJobsRunnable;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutorContext;
import org.camunda.bpm.engine.impl.jobexecutor.JobFailureCollector;
import org.camunda.bpm.engine.impl.util.ClassLoaderUtil;
import org.camunda.bpm.engine.management.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a {@link TimerBatchAcquisition.TimerBatch} in one transaction, each timer through Camunda's own
 * {@link ExecuteJobsCmd}. When any of them fails, nothing of the batch is kept and Camunda's runnable runs every timer
 * again on its own transaction, which gives the failing one its retries and incident as always.
 */
class TimerBatchRunnable extends ExecuteJobsRunnable {

    private static final Logger LOG = LoggerFactory.getLogger(TimerBatchRunnable.class);

    TimerBatchRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
        super(jobIds, processEngine);
    }

    @Override
    public void run() {
        if (jobExecutor.isActive() && runTogether()) {
            jobExecutor.jobWasAdded();
        } else {
            // unlocks them instead when the job executor is stopping
            new ExecuteJobsRunnable(jobIds, processEngine).run();
        }
    }

    private boolean runTogether() {
        ProcessEngineConfigurationImpl configuration = processEngine.getProcessEngineConfiguration();
        Context.setJobExecutorContext(new SharedJobExecutorContext());
        ClassLoader classLoaderBefore = switchClassLoader();
        try {
            configuration.getCommandExecutorTxRequired().execute(commandContext -> {
                for (String jobId : jobIds) {
                    new ExecuteJobsCmd(jobId, new JobFailureCollector(jobId)).execute(commandContext);
                }
                return null;
            });
            if (configuration.isMetricsEnabled()) {
                configuration.getMetricsRegistry().markOccurrence(Metrics.JOB_SUCCESSFUL, jobIds.size());
            }
            ((BatchingJobExecutor) jobExecutor).completedTogether(jobIds.size());
            return true;
        } catch (RuntimeException | Error e) {
            LOG.debug("{} timers did not complete together; each runs on its own transaction", jobIds.size(), e);
            ((BatchingJobExecutor) jobExecutor).ranAlone(jobIds.size());
            return false;
        } finally {
            new ProcessDataContext(configuration).clearMdc();
            Context.removeJobExecutorContext();
            ClassLoaderUtil.setContextClassloader(classLoaderBefore);
        }
    }

    /**
     * Camunda runs a job's follow-up job (a customer's next step after the timer) on the same thread, locked at once.
     * Here that would queue the next steps of a whole batch on one thread, and steps that call WeCom or a CRM would
     * wait for each other: they are left to the acquisition instead, which spreads them over the threads.
     */
    private static final class SharedJobExecutorContext extends JobExecutorContext {
        @Override
        public boolean isExecutingExclusiveJob() {
            return false;
        }
    }
}
