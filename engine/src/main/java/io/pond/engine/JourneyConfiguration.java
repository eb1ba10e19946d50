package io.pond.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.audit.AuditLog;
import io.pond.engine.customer.Consents;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.JourneyController;
import io.pond.engine.journey.JourneyEvents;
import io.pond.engine.journey.JourneyModel;
import io.pond.engine.journey.JourneyRules;
import io.pond.engine.journey.JourneyRuntime;
import io.pond.engine.journey.JourneySplit;
import io.pond.engine.journey.JourneyStats;
import io.pond.engine.journey.JourneyTime;
import io.pond.engine.journey.JourneyValidation;
import io.pond.engine.connector.ConnectorRegistry;
import io.pond.engine.connector.ConnectorStepChecks;
import io.pond.engine.journey.Journeys;
import io.pond.engine.journey.SegmentEnrollments;
import io.pond.engine.journey.StaffTasks;
import io.pond.engine.sandbox.SandboxEvents;
import io.pond.engine.script.SandboxedScripting;
import io.pond.engine.script.ScriptSandbox;
import io.pond.engine.segment.Segments;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/** The journey runtime: journeys and their versions, enrolments, events reaching journeys, waits, rules, splits, scripts. */
@Configuration(proxyBeanMethods = false)
@Import(JourneyController.class)
class JourneyConfiguration {

    @Bean
    Journeys journeys(JdbcTemplate jdbc, RepositoryService repositoryService, RuntimeService runtimeService,
            TransactionTemplate transaction, ObjectMapper json, AuditLog auditLog, Clock clock, JourneyValidation validation,
            org.camunda.bpm.engine.IdentityService identityService) {
        return new Journeys(jdbc, repositoryService, runtimeService, transaction, json, auditLog, clock, validation,
                actor -> mayWriteScripts(identityService, actor));
    }

    /** Developers and admins, by their groups in Camunda's identity service (the user store of Pond and Cockpit). */
    private static boolean mayWriteScripts(org.camunda.bpm.engine.IdentityService identityService, String actor) {
        return actor != null && identityService.createGroupQuery().groupMember(actor).list().stream()
                .map(group -> io.pond.engine.identity.PondRole.ofGroup(group.getId()))
                .flatMap(java.util.Optional::stream)
                .anyMatch(role -> io.pond.engine.identity.Permission.WRITE_SCRIPTS.grantedTo(java.util.Set.of(role)));
    }

    /** The checks of a journey's diagram: Pond's own, connector inputs, rules that compile, scripts the sandbox accepts. */
    @Bean
    JourneyValidation journeyValidation(JourneyRules rules, ScriptSandbox sandbox, ObjectProvider<ConnectorRegistry> registry) {
        JourneyValidation validation = new JourneyValidation();
        validation.add(rules::check);
        validation.add((model, problems) -> checkScripts(model, sandbox, problems));
        validation.add((model, problems) -> ConnectorStepChecks.check(model, registry.getObject(), problems));
        return validation;
    }

    /** Groovy conditions the sandbox would refuse or cannot compile stop the publish, with the flow and the line. */
    private static void checkScripts(org.camunda.bpm.model.bpmn.BpmnModelInstance model, ScriptSandbox sandbox,
            java.util.List<JourneyValidation.Problem> problems) {
        for (org.camunda.bpm.model.bpmn.instance.SequenceFlow flow
                : model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.SequenceFlow.class)) {
            var condition = flow.getConditionExpression();
            if (condition != null && "groovy".equalsIgnoreCase(condition.getLanguage())) {
                try {
                    sandbox.check(condition.getTextContent());
                } catch (io.pond.engine.script.ScriptProblem problem) {
                    problems.add(new JourneyValidation.Problem(flow.getId(), "The condition on " + JourneyModel.nameOf(flow)
                            + ": " + problem.getMessage(), "连线 " + JourneyModel.nameOf(flow) + " 的脚本条件：" + problem.getMessage(),
                            true));
                }
            }
        }
    }

    @Bean
    Enrollments enrollments(JdbcTemplate jdbc, RuntimeService runtimeService, Journeys journeys,
            TransactionTemplate transaction, ProcessEngine engine, Clock clock) {
        return new Enrollments(jdbc, runtimeService, journeys, transaction,
                commands(engine), clock);
    }

    private static CommandExecutor commands(ProcessEngine engine) {
        return ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired();
    }

    /** Closes enrolments when their instances end; needs no engine service, so it can be an engine plugin. */
    @Bean
    JourneyRuntime journeyRuntime(ObjectProvider<Enrollments> enrollments) {
        // looked up once, on the first ending: resolving the bean on every ending took 2% of a due timer's time
        return new JourneyRuntime(org.springframework.util.function.SingletonSupplier.of(enrollments::getObject));
    }

    @Bean
    JourneyEvents journeyEvents(JdbcTemplate jdbc, Journeys journeys, Enrollments enrollments, RuntimeService runtimeService,
            RepositoryService repositoryService, ObjectMapper json, Consents consents, ProcessEngine engine) {
        JourneyEvents events = new JourneyEvents(jdbc, journeys, enrollments, runtimeService, repositoryService, json,
                commands(engine));
        consents.onOptOut(events::optedOut);
        return events;
    }

    @Bean
    SandboxEvents sandboxEvents(CustomerDirectory directory, EventIngestion ingestion,
            Journeys journeys, RepositoryService repositoryService, ObjectMapper json, Clock clock) {
        return new SandboxEvents(directory, ingestion, journeys, repositoryService, json, clock);
    }

    @Bean("pondTime")
    JourneyTime pondTime(CustomerDirectory directory, Clock clock) {
        return new JourneyTime(directory, clock);
    }

    @Bean("pondRule")
    JourneyRules pondRule(JdbcTemplate jdbc, Segments segments) {
        return new JourneyRules(jdbc, segments);
    }

    @Bean("pondSplit")
    JourneySplit pondSplit(JdbcTemplate jdbc, Journeys journeys, Clock clock) {
        return new JourneySplit(jdbc, journeys, clock);
    }

    @Bean("pondStaff")
    StaffTasks pondStaff(TaskService taskService, IdentityService identityService, RepositoryService repositoryService,
            CustomerDirectory directory, AuditLog auditLog) {
        return new StaffTasks(taskService, identityService, repositoryService, directory, auditLog);
    }

    @Bean
    JourneyStats journeyStats(JdbcTemplate jdbc, Journeys journeys) {
        return new JourneyStats(jdbc, journeys);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService segmentEnrollmentExecutor() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pond-segment-enrolment");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    SegmentEnrollments segmentEnrollments(JdbcTemplate jdbc, Segments segments, Journeys journeys, Enrollments enrollments,
            TransactionTemplate transaction, ExecutorService segmentEnrollmentExecutor, Clock clock,
            @Value("${pond.journeys.enrolment-page-size:1000}") int pageSize) {
        return new SegmentEnrollments(jdbc, segments, journeys, enrollments, transaction, segmentEnrollmentExecutor, clock,
                pageSize);
    }

    @Bean
    SegmentEnrollmentResumer segmentEnrollmentResumer(SegmentEnrollments jobs) {
        return new SegmentEnrollmentResumer(jobs);
    }

    @Bean
    ScriptSandbox scriptSandbox(@Value("${pond.scripts.cpu-limit:PT0.2S}") Duration cpuLimit,
            @Value("${pond.scripts.loop-steps:1000000}") long loopSteps) {
        return new ScriptSandbox(new ScriptSandbox.Limits(cpuLimit.toMillis(), loopSteps));
    }

    /** Every script the engine runs goes through the sandbox; the customer it sees is a read-only map. */
    @Bean
    SandboxedScripting sandboxedScripting(ScriptSandbox sandbox, ObjectProvider<CustomerDirectory> directory,
            ObjectProvider<CustomerTags> tags, ObjectProvider<CustomerAttributes> attributes) {
        return new SandboxedScripting(sandbox, id -> {
            Map<String, Object> view = new LinkedHashMap<>();
            directory.getObject().find(id).ifPresent(customer -> {
                view.put("id", customer.id());
                view.put("name", customer.displayName());
                view.put("stage", customer.lifecycleStage() == null ? null : customer.lifecycleStage().name());
                view.put("tier", customer.memberTier());
                view.put("points", customer.points());
                view.put("timezone", customer.timezone());
                view.put("owner", customer.ownerId());
                view.put("tags", tags.getObject().tagsOf(id).stream().map(t -> t.tag().label()).toList());
                view.put("attributes", Map.copyOf(attributes.getObject().of(id).entrySet().stream()
                        .filter(e -> e.getValue() != null)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
            });
            return java.util.Collections.unmodifiableMap(view);
        });
    }

    /** Segment enrolments whose node went away are taken over, at start and every half minute. */
    static class SegmentEnrollmentResumer {
        private final SegmentEnrollments jobs;

        SegmentEnrollmentResumer(SegmentEnrollments jobs) {
            this.jobs = jobs;
        }

        @EventListener(ApplicationReadyEvent.class)
        @Scheduled(fixedDelayString = "${pond.journeys.resume-check:30000}", initialDelay = 30000)
        public void resume() {
            jobs.resumeOrphaned();
        }
    }
}
