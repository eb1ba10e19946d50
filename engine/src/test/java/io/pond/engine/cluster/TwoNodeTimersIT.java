package io.pond.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.pond.engine.EngineTestApplication;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import io.pond.engine.test.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Camunda's shared-database cluster, as Pond runs it: 100,000 customers wait for one moment; two Pond nodes (JVMs of
 * their own on one PostgreSQL) fire the timers together; one node is killed (SIGKILL) midway. Every timer's step is
 * completed exactly once, by one node or the other, and nothing is lost: the dead node's locked jobs are taken over
 * when their locks run out.
 */
class TwoNodeTimersIT {

    private static final int CUSTOMERS = 100_000;
    private static final String JOURNEY = "clusterTimers";
    private static final Path LOGS = Path.of("target", "cluster-it");

    @Test
    void hundredThousandTimersAreEachCompletedOnceByTwoNodesEvenWhenOneIsKilled() throws Exception {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        Files.createDirectories(LOGS);
        seed(database);

        Process a = node(database, "a");
        Process b = node(database, "b");
        try {
            await(Duration.ofMinutes(5), () -> count(database, "select count(*) from cluster_probe where node = 'b'") >= 5_000
                    && count(database, "select count(*) from cluster_probe where node = 'a'") >= 5_000, List.of(a, b),
                    "both nodes completing timers");
            b.destroyForcibly(); // SIGKILL: its open transactions roll back, its locked jobs stay locked until they expire
            b.waitFor(30, TimeUnit.SECONDS);
            long doneWhenKilled = count(database, "select count(*) from cluster_probe");
            assertThat(doneWhenKilled).as("killed midway").isLessThan(CUSTOMERS);

            // the journeys' jobs; the engine's nightly history cleanup job stays. Room to spare: on 7 December node a
            // alone took 9 of the 10 minutes allowed until then (about 185 timers/s on a machine at half its usual speed)
            await(Duration.ofMinutes(20), () -> count(database,
                    "select count(*) from act_ru_job where process_instance_id_ is not null") == 0, List.of(a),
                    "node a finishing every timer");
        } finally {
            a.destroy();
            b.destroyForcibly();
            a.waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(count(database, "select count(*) from cluster_probe")).as("steps completed").isEqualTo(CUSTOMERS);
        assertThat(count(database, "select count(distinct process_instance_id) from cluster_probe")).as("each once")
                .isEqualTo(CUSTOMERS);
        assertThat(count(database, "select count(*) from act_ru_execution")).as("nobody still waiting").isZero();
        assertThat(count(database, "select count(*) from pond_enrollment where end_reason = 'COMPLETED'"))
                .as("every enrolment closed").isEqualTo(CUSTOMERS);
        assertThat(count(database, "select count(distinct node) from cluster_probe")).as("both nodes worked").isEqualTo(2);
    }

    /** Customers, the journey and its 100,000 waiting instances, made by a Pond without a job executor. */
    private static void seed(PostgresTestDatabase database) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(database.arguments()));
        arguments.addAll(List.of("--server.port=0", "--pond.admin.password=Pond-Pass-2026",
                "--camunda.bpm.job-execution.enabled=false", "--pond.outbox.poll-interval=3600000",
                "--spring.datasource.hikari.maximum-pool-size=8"));
        try (ConfigurableApplicationContext seeder = SpringApplication.run(EngineTestApplication.class,
                arguments.toArray(String[]::new))) {
            var jdbc = seeder.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
            jdbc.execute("create table cluster_probe (process_instance_id varchar(64) not null, node varchar(8) not null)");
            jdbc.update("insert into pond_customer (id, display_name, lifecycle_stage, points, timezone, created_at, updated_at)"
                    + " select g, 'Customer ' || g, 'PROSPECT', 0, 'Asia/Shanghai', now(), now() from generate_series(1, ?) g",
                    CUSTOMERS);
            Journeys journeys = seeder.getBean(Journeys.class);
            journeys.create(JOURNEY, "Cluster timers", null, JourneySettings.defaults(), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                        xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/test">
                      <bpmn:process id="p" isExecutable="true">
                        <bpmn:startEvent id="start"/>
                        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="due"/>
                        <bpmn:intermediateCatchEvent id="due">
                          <bpmn:timerEventDefinition><bpmn:timeDate>${dueAt}</bpmn:timeDate></bpmn:timerEventDefinition>
                        </bpmn:intermediateCatchEvent>
                        <bpmn:sequenceFlow id="f2" sourceRef="due" targetRef="probe"/>
                        <bpmn:serviceTask id="probe" camunda:delegateExpression="${clusterProbe}"/>
                        <bpmn:sequenceFlow id="f3" sourceRef="probe" targetRef="end"/>
                        <bpmn:endEvent id="end"/>
                      </bpmn:process>
                    </bpmn:definitions>
                    """, "test");
            journeys.publish(JOURNEY, Journeys.InFlight.STAY, "admin"); // its probe step is a Java delegate: code, published by an admin
            Enrollments enrollments = seeder.getBean(Enrollments.class);
            // all due at the same moment: now
            Map<String, Object> dueNow = Map.of("dueAt", new Date());
            // pages of 500 on four threads, as a segment's enrolment and the benchmark run them: one thread waits on the
            // database while another works
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<?>> pages = new ArrayList<>();
                for (long first = 1; first <= CUSTOMERS; first += 500) {
                    List<Long> page = java.util.stream.LongStream.range(first, Math.min(first + 500, CUSTOMERS + 1)).boxed().toList();
                    pages.add(threads.submit(() -> enrollments.enroll(JOURNEY, page, Enrollments.Source.SEGMENT, dueNow)));
                }
                for (java.util.concurrent.Future<?> page : pages) {
                    page.get();
                }
            } finally {
                threads.shutdown();
            }
            jdbc.execute("analyze");
            assertThat(jdbc.queryForObject("select count(*) from act_ru_job where process_instance_id_ is not null", Long.class))
                    .isEqualTo(CUSTOMERS);
        }
    }

    private static Process node(PostgresTestDatabase database, String name) throws IOException {
        return ClusterNodes.start(database, LOGS, name, "--server.port=0", "--pond.outbox.poll-interval=3600000",
                // a dead node's jobs are taken over once their lock runs out
                "--camunda.bpm.job-execution.lock-time-in-millis=15000", "--pond.connectors.request-timeout=PT5S",
                "--camunda.bpm.job-execution.core-pool-size=8", "--camunda.bpm.job-execution.max-pool-size=8");
    }

    private static void await(Duration limit, BooleanSupplier done, List<Process> nodes, String what) throws InterruptedException {
        ClusterNodes.await(limit, done, nodes, LOGS, what);
    }

    private static long count(PostgresTestDatabase database, String sql) {
        return ClusterNodes.count(database, sql);
    }
}
