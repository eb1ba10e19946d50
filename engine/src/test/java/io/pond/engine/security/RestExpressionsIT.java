package io.pond.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.pond.engine.EngineTestApplication;
import io.pond.engine.identity.PondRole;
import io.pond.engine.test.PostgresTestDatabase;
import io.pond.engine.test.TestUsers;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * CVE-2026-109432: Camunda 7.24's task query evaluates expressions in {@code orQueries}, so a logged-in user could run
 * commands on the server through the REST API. Pond lets only admins use the engine's REST API, only its needed
 * resources, and no expression reaches it at all: each attempt here would create a file if it were evaluated.
 */
@SpringBootTest(classes = EngineTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pond.admin.password=Pond-Pass-2026", "camunda.bpm.job-execution.enabled=false"})
class RestExpressionsIT {

    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }

    @Autowired TestRestTemplate rest;
    @Autowired IdentityService identityService;

    private final Path evidence = Path.of(System.getProperty("java.io.tmpdir"), "pond-cve-" + UUID.randomUUID());

    /** What an attacker sends: the expression runs a command that leaves a file behind. */
    private String exploit() {
        return "${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('touch " + evidence + "')}";
    }

    @AfterEach
    void clean() throws Exception {
        Files.deleteIfExists(evidence);
    }

    private ResponseEntity<String> post(String user, String password, String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.withBasicAuth(user, password).postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }

    @Test
    void aNonAdminCannotReachTheTaskQueryAtAll() throws Exception {
        TestUsers.ensure(identityService, "mona", "Market-Pass-2026", PondRole.MARKETING_OPS);
        ResponseEntity<String> response = post("mona", "Market-Pass-2026", "/engine-rest/task",
                "{\"orQueries\": [{\"assigneeExpression\": \"" + exploit() + "\"}]}");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        Thread.sleep(300);
        assertThat(evidence).doesNotExist();
    }

    @Test
    void anExpressionInOrQueriesIsRefusedEvenForAnAdminAndNothingRuns() throws Exception {
        ResponseEntity<String> orQuery = post("admin", "Pond-Pass-2026", "/engine-rest/task",
                "{\"orQueries\": [{\"assigneeExpression\": \"" + exploit() + "\"}]}");
        assertThat(orQuery.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(orQuery.getBody()).contains("Expressions are not allowed").contains("orQueries[0].assigneeExpression");
        // the same, written with a JSON escape for '$'
        ResponseEntity<String> escaped = post("admin", "Pond-Pass-2026", "/engine-rest/task/count",
                "{\"orQueries\": [{\"candidateUserExpression\": \"" + exploit().replace("$", "\\u0024") + "\"}]}");
        assertThat(escaped.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        ResponseEntity<String> inParameter = rest.withBasicAuth("admin", "Pond-Pass-2026")
                .getForEntity("/engine-rest/task?assigneeExpression={e}", String.class, "#{true}");
        assertThat(inParameter.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        Thread.sleep(300);
        assertThat(evidence).doesNotExist();

        ResponseEntity<String> plain = post("admin", "Pond-Pass-2026", "/engine-rest/task",
                "{\"orQueries\": [{\"assignee\": \"admin\"}, {\"candidateGroup\": \"marketing-ops\"}]}");
        assertThat(plain.getStatusCode()).as(plain.getBody()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void onlyTheResourcesPondAndCockpitNeedAreOpen() {
        var admin = rest.withBasicAuth("admin", "Pond-Pass-2026");
        assertThat(admin.getForEntity("/engine-rest/process-definition", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(admin.getForEntity("/engine-rest/deployment", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        // stored queries (filters) can hold expressions; messages and signals bypass Pond's event intake;
        // deploying bypasses the journey checks
        assertThat(admin.getForEntity("/engine-rest/filter", String.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(post("admin", "Pond-Pass-2026", "/engine-rest/message", "{\"messageName\": \"order_paid\"}").getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(post("admin", "Pond-Pass-2026", "/engine-rest/signal", "{\"name\": \"x\"}").getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(post("admin", "Pond-Pass-2026", "/engine-rest/deployment/create", "{}").getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }
}
