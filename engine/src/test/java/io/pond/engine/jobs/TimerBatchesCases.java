package io.pond.engine.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.pond.engine.EngineTestApplication;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Due timers of different customers complete several to a transaction on the running job executor, each exactly once;
 * a timer that fails takes none of the others with it and fails as it would on its own. A database of its own (on
 * PostgreSQL and on the embedded H2): the job executor here runs whatever falls due, and the other engine tests run
 * their jobs by hand.
 */
@SpringBootTest(classes = EngineTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pond.admin.password=Pond-Pass-2026", "pond.outbox.poll-interval=3600000",
                "pond.jobs.timers-per-transaction=16", "pond.connectors.retry-cycle=PT10M",
                "camunda.bpm.job-execution.wait-time-in-millis=200", "camunda.bpm.job-execution.max-wait=500"})
@DirtiesContext
abstract class TimerBatchesCases {

    @Autowired RepositoryService repositoryService;
    @Autowired RuntimeService runtimeService;
    @Autowired ManagementService managementService;
    @Autowired HistoryService historyService;
    @Autowired JobExecutor jobExecutor;

    private Instant now;

    @BeforeEach
    void stillTime() {
        now = Instant.now();
        ClockUtil.setCurrentTime(Date.from(now));
    }

    @AfterEach
    void realTimeAgain() {
        ClockUtil.reset();
    }

    @Test
    void dueTimersOfDifferentCustomersCompleteTogetherEachExactlyOnce() throws InterruptedException {
        BatchingJobExecutor executor = (BatchingJobExecutor) jobExecutor;
        String definition = deploy("timers-together", "");
        for (int customer = 1; customer <= 20; customer++) {
            runtimeService.startProcessInstanceByKey("timers-together", Integer.toString(customer));
        }
        long togetherBefore = executor.timersCompletedTogether();

        ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofHours(2))));
        await(() -> runtimeService.createProcessInstanceQuery().processDefinitionKey("timers-together").count() == 0,
                "the 20 customers to leave");

        assertThat(historyService.createHistoricActivityInstanceQuery().processDefinitionId(definition).activityId("done")
                .count())
                .as("each customer passed the end once").isEqualTo(20);
        assertThat(historyService.createHistoricProcessInstanceQuery().processDefinitionKey("timers-together").finished()
                .count()).isEqualTo(20);
        // all fell due at once: one acquisition of 20, completed as two transactions of ten
        assertThat(executor.timersCompletedTogether() - togetherBefore).isEqualTo(20);
    }

    @Test
    void aTimerThatFailsLeavesTheOthersDoneAndFailsAsItWouldAlone() throws InterruptedException {
        BatchingJobExecutor executor = (BatchingJobExecutor) jobExecutor;
        String definition = deploy("timers-one-fails", """
                <bpmn:serviceTask id="step" camunda:expression="${boom ? noSuchBean.call() : true}"/>
                """);
        for (int customer = 1; customer <= 9; customer++) {
            runtimeService.startProcessInstanceByKey("timers-one-fails", Integer.toString(customer), Map.of("boom", false));
        }
        String failing = runtimeService.startProcessInstanceByKey("timers-one-fails", "10", Map.of("boom", true)).getId();
        long aloneBefore = executor.timersRunAlone();

        ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofHours(2))));
        await(() -> historyService.createHistoricProcessInstanceQuery().processDefinitionKey("timers-one-fails").finished()
                .count() == 9 && failedOnce(failing), "nine customers to leave and the tenth's timer to fail");

        Job timer = managementService.createJobQuery().processInstanceId(failing).singleResult();
        assertThat(timer.getExceptionMessage()).contains("noSuchBean");
        // Pond's retry cycle: the next try in ten minutes, not at once
        assertThat(timer.getDuedate()).isAfter(Date.from(now.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(9))));
        assertThat(historyService.createHistoricActivityInstanceQuery().processDefinitionId(definition).activityId("done")
                .count())
                .as("each of the nine passed the end once").isEqualTo(9);
        assertThat(executor.timersRunAlone() - aloneBefore).as("the shared transaction was rolled back, each ran alone")
                .isEqualTo(10);
    }

    private boolean failedOnce(String processInstanceId) {
        Job timer = managementService.createJobQuery().processInstanceId(processInstanceId).singleResult();
        return timer != null && timer.getExceptionMessage() != null;
    }

    /** start, an hour's wait, {@code step} if given, and the end {@code done}; returns the process definition's id. */
    private String deploy(String key, String step) {
        String afterWait = step.isEmpty() ? "done" : "step";
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://pond.io/test">
                  <bpmn:process id="%s" isExecutable="true" camunda:historyTimeToLive="P1D">
                    <bpmn:startEvent id="start"/>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
                    <bpmn:intermediateCatchEvent id="wait">
                      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
                    </bpmn:intermediateCatchEvent>
                    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="%s"/>
                    %s%s
                    <bpmn:endEvent id="done"/>
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(key, afterWait, step,
                step.isEmpty() ? "" : "<bpmn:sequenceFlow id=\"f3\" sourceRef=\"step\" targetRef=\"done\"/>");
        return repositoryService.createDeployment().addString(key + ".bpmn", xml).deployWithResult()
                .getDeployedProcessDefinitions().get(0).getId();
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        Instant limit = Instant.now().plus(Duration.ofSeconds(60));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waited a minute for " + what).isBefore(limit);
            Thread.sleep(100);
        }
    }
}
