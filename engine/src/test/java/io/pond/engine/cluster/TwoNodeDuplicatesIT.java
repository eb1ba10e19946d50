package io.pond.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pond.engine.EngineTestApplication;
import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.customer.CustomerDirectory;
import io.pond.engine.customer.Identity;
import io.pond.engine.customer.IdentityType;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import io.pond.engine.test.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Duplicates racing across two Pond nodes (JVMs of their own on one PostgreSQL): every one of 1,000 customers is
 * enrolled through both nodes' APIs at the same moment, then every one's event is sent to both nodes at the same
 * moment. Exactly one enrolment per customer wins (the other call answers ALREADY_IN, not an error), and the step
 * that follows the event runs once per customer.
 */
class TwoNodeDuplicatesIT {

    private static final int CUSTOMERS = 1_000;
    private static final String JOURNEY = "clusterDuplicates";
    private static final Path LOGS = Path.of("target", "cluster-duplicates-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every node of a cluster holds the same key for stored secrets (the API key's among them). */
    private static final String SECRET_KEY = "--pond.secret-key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void duplicateEnrolmentsAndEventsOnTwoNodesEnterOnceAndMoveOnOnce() throws Exception {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        Files.createDirectories(LOGS);
        ApiKeys.NewKey key = seed(database);

        int portA = freePort();
        int portB = freePort();
        Process a = node(database, "a", portA);
        Process b = node(database, "b", portB);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            ClusterNodes.await(Duration.ofMinutes(3), () -> healthy(portA) && healthy(portB), List.of(a, b), LOGS,
                    "both nodes up");

            // the same customer through both nodes at once, 1,000 times
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            List<Future<?>> calls = new ArrayList<>();
            for (int customer = 1; customer <= CUSTOMERS; customer++) {
                String body = "{\"customers\": [{\"id\": " + customer + "}]}";
                for (int port : List.of(portA, portB)) {
                    calls.add(callers.submit(() -> {
                        HttpResponse<String> answer = post(port, "/api/v1/journeys/" + JOURNEY + "/enrollments", body, key);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        String outcome = JSON.readTree(answer.body()).path("results").path(0).path("outcome").asText();
                        outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                        return null;
                    }));
                }
            }
            for (Future<?> call : calls) {
                call.get(2, TimeUnit.MINUTES);
            }
            assertThat(outcomes.get("ENROLLED")).as("one of each pair enrolled: " + outcomes).hasValue(CUSTOMERS);
            assertThat(outcomes.get("ALREADY_IN")).as("the other refused cleanly: " + outcomes).hasValue(CUSTOMERS);
            assertThat(ClusterNodes.count(database, "select count(*) from pond_enrollment where journey_key = '" + JOURNEY + "'"))
                    .isEqualTo(CUSTOMERS);
            assertThat(ClusterNodes.count(database, "select count(distinct customer_id) from pond_enrollment")).isEqualTo(CUSTOMERS);
            assertThat(ClusterNodes.count(database, "select count(*) from act_ru_execution where parent_id_ is null"))
                    .as("one instance per customer").isEqualTo(CUSTOMERS);

            // the same event through both nodes at once, for every customer
            calls.clear();
            Instant now = Instant.now();
            for (int customer = 1; customer <= CUSTOMERS; customer++) {
                String body = "{\"eventId\": \"click-" + customer + "\", \"type\": \"link_clicked\", \"occurredAt\": \"" + now
                        + "\", \"customer\": {\"member_id\": \"C" + customer + "\"}, \"properties\": {}}";
                for (int port : List.of(portA, portB)) {
                    calls.add(callers.submit(() -> {
                        HttpResponse<String> answer = post(port, "/api/v1/events", body, key);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        return null;
                    }));
                }
            }
            for (Future<?> call : calls) {
                call.get(2, TimeUnit.MINUTES);
            }
            assertThat(ClusterNodes.count(database, "select count(*) from pond_event where event_type = 'link_clicked'"))
                    .as("each event taken once").isEqualTo(CUSTOMERS);
            ClusterNodes.await(Duration.ofMinutes(5), () -> ClusterNodes.count(database,
                    "select count(*) from pond_enrollment where ended_at is null") == 0, List.of(a, b), LOGS,
                    "every customer through the step after the event");
        } finally {
            callers.shutdownNow();
            a.destroy();
            b.destroy();
            a.waitFor(30, TimeUnit.SECONDS);
            b.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ClusterNodes.count(database, "select count(*) from cluster_probe")).as("the step ran").isEqualTo(CUSTOMERS);
        assertThat(ClusterNodes.count(database, "select count(distinct process_instance_id) from cluster_probe"))
                .as("once per customer").isEqualTo(CUSTOMERS);
        assertThat(ClusterNodes.count(database, "select count(*) from pond_enrollment where end_reason = 'COMPLETED'"))
                .isEqualTo(CUSTOMERS);
        assertThat(ClusterNodes.count(database, "select count(*) from pond_outbox where parked_at is not null")).isZero();
    }

    /** 1,000 customers with a member id, the journey (wait for a click, then a step), an API key. */
    private static ApiKeys.NewKey seed(PostgresTestDatabase database) {
        List<String> arguments = new ArrayList<>(List.of(database.arguments()));
        arguments.addAll(List.of("--server.port=0", "--pond.admin.password=Pond-Pass-2026", SECRET_KEY,
                "--camunda.bpm.job-execution.enabled=false", "--pond.outbox.poll-interval=3600000"));
        try (ConfigurableApplicationContext seeder = SpringApplication.run(EngineTestApplication.class,
                arguments.toArray(String[]::new))) {
            var jdbc = seeder.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
            jdbc.execute("create table cluster_probe (process_instance_id varchar(64) not null, node varchar(8) not null)");
            List<Set<Identity>> identities = new ArrayList<>();
            for (int customer = 1; customer <= CUSTOMERS; customer++) {
                identities.add(Set.of(new Identity(IdentityType.MEMBER_ID, "C" + customer)));
            }
            long[] ids = seeder.getBean(CustomerDirectory.class).resolve(identities, List.of("test"));
            assertThat(ids).hasSize(CUSTOMERS).contains(1L, (long) CUSTOMERS);
            Journeys journeys = seeder.getBean(Journeys.class);
            journeys.create(JOURNEY, "Cluster duplicates", null, new JourneySettings(JourneySettings.Entry.api(),
                    JourneySettings.Reentry.ANY, null, null, List.of(), false), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                        xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/test">
                      <bpmn:message id="clicked" name="link_clicked"/>
                      <bpmn:process id="p" isExecutable="true">
                        <bpmn:startEvent id="start"/>
                        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="click"/>
                        <bpmn:intermediateCatchEvent id="click"><bpmn:messageEventDefinition messageRef="clicked"/></bpmn:intermediateCatchEvent>
                        <bpmn:sequenceFlow id="f2" sourceRef="click" targetRef="probe"/>
                        <bpmn:serviceTask id="probe" camunda:delegateExpression="${clusterProbe}"/>
                        <bpmn:sequenceFlow id="f3" sourceRef="probe" targetRef="end"/>
                        <bpmn:endEvent id="end"/>
                      </bpmn:process>
                    </bpmn:definitions>
                    """, "admin");
            journeys.publish(JOURNEY, Journeys.InFlight.STAY, "admin"); // the probe is a Java delegate: code, by an admin
            return seeder.getBean(ApiKeys.class).create("cluster test", "admin");
        }
    }

    private static Process node(PostgresTestDatabase database, String name, int port) throws IOException {
        return ClusterNodes.start(database, LOGS, name, "--server.port=" + port, SECRET_KEY, "--pond.outbox.poll-interval=200",
                "--camunda.bpm.job-execution.core-pool-size=4", "--camunda.bpm.job-execution.max-pool-size=4");
    }

    private HttpResponse<String> post(int port, String path, String body, ApiKeys.NewKey key) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        ApiKeys.signedHeaders(key.keyId(), key.secret(), Instant.now(), bytes).forEach(request::header);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean healthy(int port) {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("UP");
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
