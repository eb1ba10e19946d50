package io.pond.engine.jobs;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.pond.engine.config.SettingException;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;

/**
 * Camunda's Spring job executor, except that due timers of different customers are completed several to a transaction.
 * <p>
 * A due timer is database work only: Pond's connector steps and scripted conditions are jobs of their own. On its own
 * transaction about a third of a timer's cost is the commit, the round trips and the engine's work per command, and
 * {@code timersPerTransaction} timers together share them (see {@code pond.jobs} in pond-defaults.yml for the figures).
 * Every other job runs one to a transaction as in Camunda; so does every timer of a group in which one failed, which
 * gives that one its retries and incident as always. A step that calls out without being a connector step (a
 * developer's Java delegate after a timer) can then run twice, as on any retry in Camunda; connector steps, the ones
 * that reach customers, send exactly once.
 */
public class BatchingJobExecutor extends SpringJobExecutor {

    private final int timersPerTransaction;
    private final AtomicLong completedTogether = new AtomicLong();
    private final AtomicLong ranAlone = new AtomicLong();

    /** @param timersPerTransaction 1 runs every job on its own transaction, as Camunda does */
    public BatchingJobExecutor(int timersPerTransaction) {
        if (timersPerTransaction < 1) {
            throw new SettingException("POND_JOBS_TIMERS_PER_TRANSACTION (pond.jobs.timers-per-transaction) must be 1 or"
                    + " more, not " + timersPerTransaction + ": 1 completes every due timer on its own transaction.");
        }
        this.timersPerTransaction = timersPerTransaction;
    }

    public int timersPerTransaction() {
        return timersPerTransaction;
    }

    /** Timers completed in a shared transaction since this node started. */
    public long timersCompletedTogether() {
        return completedTogether.get();
    }

    /** Timers whose shared transaction failed (one of them did), so that each ran on its own. */
    public long timersRunAlone() {
        return ranAlone.get();
    }

    void completedTogether(int timers) {
        completedTogether.addAndGet(timers);
    }

    void ranAlone(int timers) {
        ranAlone.addAndGet(timers);
    }

    @Override
    protected void ensureInitialization() {
        if (acquireJobsCmdFactory == null && timersPerTransaction > 1) {
            acquireJobsCmdFactory = count -> new TimerBatchAcquisition(this, count, timersPerTransaction);
        }
        super.ensureInitialization();
    }

    @Override
    public Runnable getExecuteJobsRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
        return jobIds instanceof TimerBatchAcquisition.TimerBatch
                ? new TimerBatchRunnable(jobIds, processEngine)
                : super.getExecuteJobsRunnable(jobIds, processEngine);
    }
}
