package io.pond.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.pond.engine.identity.PasswordChange;
import io.pond.engine.identity.PondRole;
import io.pond.engine.test.TestUsers;
import io.pond.engine.test.PostgresTestDatabase;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The engine on a fresh PostgreSQL database whose whole schema Liquibase created. */
@SpringBootTest(classes = EngineTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pond.admin.password=Pond-Pass-2026", "camunda.bpm.job-execution.enabled=false",
                "pond.database.statistics-check=3600000"})
@org.junit.jupiter.api.extension.ExtendWith(OutputCaptureExtension.class)
class EnginePostgresIT {

    private static final String CAMUNDA_CHANGELOG = "org/camunda/bpm/engine/db/liquibase/camunda-changelog.xml";
    private static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
    }

    @Autowired JdbcTemplate jdbc;
    @Autowired ProcessEngineConfiguration engineConfiguration;
    @Autowired RepositoryService repositoryService;
    @Autowired RuntimeService runtimeService;
    @Autowired ManagementService managementService;
    @Autowired HistoryService historyService;
    @Autowired IdentityService identityService;
    @Autowired TestRestTemplate rest;
    @Autowired PasswordChange passwordChange;
    @Autowired io.pond.engine.db.TableStatistics tableStatistics;

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void liquibaseCreatedCamundasTablesAndPondsAndTheEngineDoesNotTouchTheSchema() throws IOException {
        assertThat(jdbc.queryForObject("select current_setting('server_version_num')::int", Integer.class))
                .as("running on PostgreSQL").isGreaterThan(100000);
        Map<String, Long> changesetsByFile = changesetsByFile(jdbc);
        assertThat(changesetsByFile.get(CAMUNDA_CHANGELOG)).as("every changeset of Camunda's changelog ran")
                .isEqualTo(changesetsIn(CAMUNDA_CHANGELOG)).isGreaterThan(10);
        assertThat(changesetsByFile).containsKeys(
                "db/changelog/engine/001-create-audit-event.yaml",
                "db/changelog/engine/002-create-user-preference.yaml");
        assertThat(jdbc.queryForObject("select version_ from act_ge_schema_log order by cast(id_ as integer) desc limit 1", String.class))
                .isEqualTo("7.24.0");
        assertThat(engineConfiguration.getDatabaseSchemaUpdate()).isEqualTo("false");
    }

    @Test
    void theEngineDeploysAndRunsAProcessWhoseTimerFiresOnCamundasClock() {
        repositoryService.createDeployment().name("engine-it")
                .addClasspathResource("bpmn/wait-then-tag.bpmn").deploy();
        Instant start = Instant.parse("2026-11-25T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(start));
        ProcessInstance instance = runtimeService.startProcessInstanceByKey("waitThenTag", "customer-42");

        Job timer = managementService.createJobQuery().processInstanceId(instance.getId()).timers().singleResult();
        assertThat(timer.getDuedate()).isEqualTo(Date.from(start.plus(Duration.ofDays(1))));
        assertThat(managementService.createJobQuery().processInstanceId(instance.getId()).executable().count())
                .as("not due before a day has passed").isZero();

        ClockUtil.setCurrentTime(Date.from(start.plus(Duration.ofDays(1)).plusSeconds(1)));
        assertThat(managementService.createJobQuery().processInstanceId(instance.getId()).executable().count()).isOne();
        managementService.executeJob(timer.getId());

        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
                .finished().count()).isOne();
        // history level "activity": the steps each instance passed are kept (the journey figures), variables are not
        assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(instance.getId()).activityId("tag")
                .finished().count()).isOne();
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(instance.getId()).count()).isZero();
    }

    @Test
    void historyOlderThanHalfAYearIsRemovedAtNightWithoutAnyoneAskingForIt() {
        // the engine scheduled its cleanup when it started: in the night's window, 01:00 to 05:00 server time
        List<Job> cleanup = historyService.findHistoryCleanupJobs();
        assertThat(cleanup).isNotEmpty();
        assertThat(cleanup.get(0).getDuedate().toInstant().atZone(ZoneId.systemDefault()).toLocalTime())
                .isBetween(LocalTime.of(1, 0), LocalTime.of(5, 0));

        repositoryService.createDeployment().name("history-it").addClasspathResource("bpmn/wait-then-tag.bpmn").deploy();
        // after the job's first due date, so it is due on each night below
        Instant start = cleanup.get(0).getDuedate().toInstant().plus(Duration.ofDays(1)).plus(Duration.ofHours(8));
        ClockUtil.setCurrentTime(Date.from(start));
        ProcessInstance instance = runtimeService.startProcessInstanceByKey("waitThenTag", "customer-43");
        ClockUtil.setCurrentTime(Date.from(start.plus(Duration.ofDays(1)).plusSeconds(1)));
        managementService.executeJob(managementService.createJobQuery().processInstanceId(instance.getId()).singleResult().getId());
        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId()).singleResult()
                .getRemovalTime()).isEqualTo(Date.from(start.plus(Duration.ofDays(180))));

        runTonightsCleanup(start.plus(Duration.ofDays(179)));
        assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(instance.getId()).count())
                .as("kept until half a year has passed").isEqualTo(4);

        runTonightsCleanup(start.plus(Duration.ofDays(181)));
        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId()).count()).isZero();
        assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(instance.getId()).count()).isZero();
    }

    /** Camunda's clock at 02:00 of that day (server time), and the cleanup job run as the job executor would. */
    private void runTonightsCleanup(Instant day) {
        ClockUtil.setCurrentTime(Date.from(day.atZone(ZoneId.systemDefault()).with(LocalTime.of(2, 0)).toInstant()));
        Job job = historyService.findHistoryCleanupJobs().stream().filter(j -> !j.getDuedate().after(ClockUtil.getCurrentTime()))
                .findFirst().orElseThrow(() -> new AssertionError("no history cleanup job is due at " + ClockUtil.getCurrentTime()));
        managementService.executeJob(job.getId());
    }

    @Test
    void theFirstStartCreatedTheRoleGroupsAndTheAdministrator() {
        for (PondRole role : PondRole.values()) {
            assertThat(identityService.createGroupQuery().groupId(role.groupId()).count()).as(role.groupId()).isOne();
        }
        assertThat(identityService.checkPassword("admin", "Pond-Pass-2026")).isTrue();
        assertThat(identityService.createGroupQuery().groupMember("admin").list())
                .extracting(g -> g.getId()).contains(PondRole.ADMIN.groupId(), Groups.CAMUNDA_ADMIN);
    }

    @Test
    void theEngineRestApiNeedsTheAdminRole() {
        TestUsers.ensure(identityService, "vera", "Viewer-Pass-2026", PondRole.VIEWER);
        TestUsers.ensure(identityService, "otto", "Viewer-Pass-2026", PondRole.VIEWER);
        assertThat(rest.getForEntity("/engine-rest/engine", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        // a wrong password is tried on another account: Camunda then blocks that user for a few seconds
        assertThat(rest.withBasicAuth("vera", "wrong-password").getForEntity("/engine-rest/engine", String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(rest.withBasicAuth("otto", "Viewer-Pass-2026").getForEntity("/engine-rest/engine", String.class)
                .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        var asAdmin = rest.withBasicAuth("admin", "Pond-Pass-2026").getForEntity("/engine-rest/engine", String.class);
        assertThat(asAdmin.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(asAdmin.getBody()).contains("\"default\"");
    }

    @Test
    void aClosedPartOfTheEngineRestApiIsRefusedWithWhyAndWithoutAStackTraceInTheLog(CapturedOutput log) {
        TestUsers.ensure(identityService, "vera", "Viewer-Pass-2026", PondRole.VIEWER);
        org.springframework.util.LinkedMultiValueMap<String, Object> upload = new org.springframework.util.LinkedMultiValueMap<>();
        upload.add("deployment-name", "sneaked-in");
        upload.add("data", new org.springframework.core.io.ByteArrayResource("<definitions/>".getBytes()) {
            @Override
            public String getFilename() {
                return "sneaked-in.bpmn";
            }
        });
        HttpHeaders multipart = new HttpHeaders();
        multipart.setContentType(MediaType.MULTIPART_FORM_DATA);

        var asAdmin = rest.withBasicAuth("admin", "Pond-Pass-2026").postForEntity("/engine-rest/deployment/create",
                new HttpEntity<>(upload, multipart), String.class);
        assertThat(asAdmin.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(asAdmin.getBody()).as("Camunda's error shape, saying where deploying happens instead")
                .contains("\"type\":\"AuthorizationException\"", "publishing them in Pond");
        var asViewer = rest.withBasicAuth("vera", "Viewer-Pass-2026").postForEntity("/engine-rest/deployment/create",
                new HttpEntity<>(upload, multipart), String.class);
        assertThat(asViewer.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(asViewer.getBody()).contains("Camunda's REST API is for Pond administrators.");
        var anonymous = rest.postForEntity("/engine-rest/deployment/create", new HttpEntity<>(upload, multipart), String.class);
        assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"Pond\"");

        assertThat(repositoryService.createDeploymentQuery().deploymentName("sneaked-in").count()).isZero();
        assertThat(log.getOut()).as("a refused request is not the operator's error").doesNotContain("multi-part configuration")
                .doesNotContain("Servlet.service() for servlet");
    }

    @Test
    void pondsApiSaysWhatItTakesWhenCalledWithoutAKeyOrWithAPersonsLogin() {
        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        HttpEntity<String> event = new HttpEntity<>("{\"type\": \"order_paid\"}", json);

        var anonymous = rest.postForEntity("/api/v1/events", event, String.class);
        assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous.getBody()).contains("X-Pond-Key", "X-Pond-Signature");

        var withLogin = rest.withBasicAuth("admin", "Pond-Pass-2026").postForEntity("/api/v1/events", event, String.class);
        assertThat(withLogin.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(withLogin.getBody()).contains("needs an API key", "Settings > API keys");

        assertThat(rest.withBasicAuth("admin", "Pond-Pass-2026").getForEntity("/api/v1/connectors/element-templates",
                String.class).getStatusCode()).as("a login still fetches the element templates").isEqualTo(HttpStatus.OK);
    }

    @Test
    void healthIsPublicButShowsOnlyTheStatus() {
        var health = rest.getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void aRestartAppliesNoChangesetAndKeepsTheData() {
        Map<String, Long> before = changesetsByFile(jdbc);
        long logRowsBefore = jdbc.queryForObject("select count(*) from databasechangelog", Long.class);
        jdbc.update("insert into pond_user_preference (user_id, locale, updated_at) values ('restart-check', 'zh-CN', now())");

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(EngineTestApplication.class)
                .run(Stream.concat(Stream.of(DATABASE.arguments()), Stream.of("--server.port=0",
                        "--camunda.bpm.job-execution.enabled=false", "--camunda.bpm.process-engine-name=restarted"))
                        .toArray(String[]::new))) {
            JdbcTemplate secondJdbc = second.getBean(JdbcTemplate.class);
            assertThat(secondJdbc.queryForObject("select count(*) from databasechangelog", Long.class))
                    .isEqualTo(logRowsBefore);
            assertThat(changesetsByFile(secondJdbc)).isEqualTo(before);
            assertThat(secondJdbc.queryForObject(
                    "select locale from pond_user_preference where user_id = 'restart-check'", String.class))
                    .isEqualTo("zh-CN");
        }
    }

    @Test
    void aUserChangesTheirPasswordOnlyWithTheCurrentOneAndOnlyToOneThatMeetsThePolicy() {
        TestUsers.ensure(identityService, "paula", "Journey-Map-2026!", PondRole.ANALYST);
        PasswordChange.Result weak = passwordChange.change("paula", "Journey-Map-2026!", "short");
        assertThat(weak.outcome()).isEqualTo(PasswordChange.Outcome.POLICY_VIOLATED);
        assertThat(weak.violatedRules()).extracting(rule -> rule.getPlaceholder()).contains("PASSWORD_POLICY_LENGTH");
        assertThat(identityService.checkPassword("paula", "Journey-Map-2026!")).as("unchanged so far").isTrue();

        assertThat(passwordChange.change("paula", "Journey-Map-2026!", "Better-Route-2027!").outcome())
                .isEqualTo(PasswordChange.Outcome.CHANGED);
        assertThat(identityService.checkPassword("paula", "Better-Route-2027!")).isTrue();
        // last: a wrong password makes Camunda hold the account back for a few seconds
        assertThat(passwordChange.change("paula", "Journey-Map-2026!", "Third-Route-2028!").outcome())
                .isEqualTo(PasswordChange.Outcome.WRONG_CURRENT_PASSWORD);
        assertThat(jdbc.queryForList("select action from pond_audit_event where actor = 'paula'", String.class))
                .contains("PASSWORD_CHANGE_REFUSED", "PASSWORD_CHANGED");
    }

    @Test
    void aTableThatGrewWithinSecondsIsAnalyzedSoLookupsUseItsIndexAgain() throws Exception {
        try (java.sql.Connection connection = DATABASE.connect(); java.sql.Statement sql = connection.createStatement()) {
            // autovacuum stays out of the way, so what the plans follow is what this test did
            sql.execute("alter table act_ru_job set (autovacuum_enabled = false)");
            sql.execute("analyze act_ru_job");
            // Camunda's lookup when it deletes an event subscription, made on a new install's nearly empty table
            sql.execute("prepare by_configuration(text) as select * from act_ru_job where handler_type_ = 'event'"
                    + " and tenant_id_ is null and handler_cfg_ = $1");
            for (int i = 0; i < 6; i++) {
                sql.execute("execute by_configuration('none')");
            }
            // a burst of events leaves moved-on customers' jobs behind
            sql.execute("insert into act_ru_job (id_, rev_, type_, retries_, handler_type_, handler_cfg_)"
                    + " select 'stats-' || g, 1, 'message', 0, 'async-continuation', 'transition-notify-listener-end$' || g"
                    + " from generate_series(1, 5000) g");
            // this connection's counts reach pg_stat_user_tables now instead of within the next seconds
            sql.execute("select pg_stat_force_next_flush()");
            try {
                assertThat(plan(sql, "explain execute by_configuration('none')")).as("the plan made on the empty table")
                        .contains("Seq Scan");

                assertThat(tableStatistics.analyzeChanged()).contains("act_ru_job");

                assertThat(plan(sql, "explain execute by_configuration('none')")).as("the same statement after the analysis")
                        .contains("Index").doesNotContain("Seq Scan");
                assertThat(tableStatistics.analyzeChanged()).as("nothing changed since").doesNotContain("act_ru_job");
            } finally {
                sql.execute("delete from act_ru_job where id_ like 'stats-%'");
                sql.execute("alter table act_ru_job reset (autovacuum_enabled)");
            }
        }
    }

    private static String plan(java.sql.Statement sql, String explain) throws java.sql.SQLException {
        StringBuilder plan = new StringBuilder();
        try (java.sql.ResultSet rows = sql.executeQuery(explain)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static long changesetsIn(String changelog) throws IOException {
        String xml = new ClassPathResource(changelog).getContentAsString(StandardCharsets.UTF_8);
        return Pattern.compile("<changeSet\\s").matcher(xml).results().count();
    }

    static Map<String, Long> changesetsByFile(JdbcTemplate jdbc) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select filename, count(*) as n from databasechangelog group by filename");
        return rows.stream().collect(java.util.stream.Collectors.toMap(
                row -> (String) row.get("filename"), row -> ((Number) row.get("n")).longValue()));
    }
}
