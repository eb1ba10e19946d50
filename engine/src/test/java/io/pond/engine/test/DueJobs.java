package io.pond.engine.test;

import java.util.List;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.jobexecutor.historycleanup.HistoryCleanupJobHandler;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Runs the journeys' jobs that are due, as the job executor would (it is off in the tests, so time is the test's). The
 * engine's nightly history cleanup is not one of them: a test that moves the clock past 01:00 would otherwise run it.
 */
public final class DueJobs {

    private DueJobs() {
    }

    /** Runs every job due now until none is left; a failing one is left to its retries or incident. Returns how many ran. */
    public static int run(ManagementService managementService) {
        int ran = 0;
        for (int round = 0; round < 100; round++) {
            List<Job> due = managementService.createJobQuery().executable().active().list().stream()
                    .filter(job -> !(job instanceof JobEntity entity && HistoryCleanupJobHandler.TYPE.equals(entity.getJobHandlerType())))
                    .toList();
            if (due.isEmpty()) {
                break;
            }
            for (Job job : due) {
                try {
                    managementService.executeJob(job.getId());
                } catch (RuntimeException failed) {
                    // left to its retries or its incident, as on a real node
                }
                ran++;
            }
        }
        return ran;
    }
}
