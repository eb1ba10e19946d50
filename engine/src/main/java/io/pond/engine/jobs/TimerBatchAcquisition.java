package io.pond.engine.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cmd.AcquireJobsCmd;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.jobexecutor.AcquiredJobs;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;

/**
 * Camunda's acquisition, with the timers it acquired (each a batch of its own, one customer's) regrouped into
 * {@link TimerBatch}es of at most {@code perTransaction}, spread evenly. Other jobs keep Camunda's batches.
 */
class TimerBatchAcquisition extends AcquireJobsCmd {

    /** The jobs of one transaction: timers of different customers. A marker the job executor recognises. */
    static final class TimerBatch extends ArrayList<String> {
        TimerBatch(Collection<String> jobIds) {
            super(jobIds);
        }
    }

    private final int perTransaction;

    TimerBatchAcquisition(JobExecutor jobExecutor, int numJobsToAcquire, int perTransaction) {
        super(jobExecutor, numJobsToAcquire);
        this.perTransaction = perTransaction;
    }

    @Override
    public AcquiredJobs execute(CommandContext commandContext) {
        AcquiredJobs acquired = super.execute(commandContext);
        // Camunda removes a job it fails to lock (another node took it) from these very lists when the locks are
        // flushed, after this method: the batches are changed in place, never copied
        List<List<String>> batches = acquired.getJobIdBatches();
        List<String> alone = batches.stream().filter(batch -> batch.size() == 1).map(batch -> batch.get(0)).toList();
        if (alone.size() < 2) {
            return acquired;
        }
        Set<String> timers = timersAmong(commandContext, alone);
        if (timers.size() < 2) {
            return acquired;
        }
        batches.removeIf(batch -> batch.size() == 1 && timers.contains(batch.get(0)));
        List<String> ids = alone.stream().filter(timers::contains).toList();
        int groups = (ids.size() + perTransaction - 1) / perTransaction;
        for (int group = 0; group < groups; group++) {
            batches.add(new TimerBatch(ids.subList(group * ids.size() / groups, (group + 1) * ids.size() / groups)));
        }
        return acquired;
    }

    /** One query for the acquisition: Camunda's acquired jobs carry no type. */
    private static Set<String> timersAmong(CommandContext commandContext, List<String> jobIds) {
        String table = commandContext.getProcessEngineConfiguration().getDatabaseTablePrefix() + "ACT_RU_JOB";
        String sql = "select ID_ from " + table + " where TYPE_ = 'timer' and ID_ in ("
                + jobIds.stream().map(id -> "?").collect(Collectors.joining(",")) + ")";
        Connection connection = commandContext.getDbSqlSession().getSqlSession().getConnection();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < jobIds.size(); i++) {
                statement.setString(i + 1, jobIds.get(i));
            }
            Set<String> timers = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    timers.add(rows.getString(1));
                }
            }
            return timers;
        } catch (SQLException e) {
            throw new ProcessEngineException("Could not read the types of the acquired jobs", e);
        }
    }
}
