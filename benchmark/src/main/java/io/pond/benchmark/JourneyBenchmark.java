package io.pond.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pond.benchmark.app.PondApplication;
import io.pond.engine.event.EventIngestion;
import io.pond.engine.event.OutboxRelay;
import io.pond.engine.journey.Enrollments;
import io.pond.engine.journey.JourneySettings;
import io.pond.engine.journey.Journeys;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journey runtime's rates on PostgreSQL, each next to a plain Camunda 7 engine with its defaults measured in the
 * same run (standalone configuration on a Hikari pool of 10 and UUIDs for ids, as Camunda's Spring Boot starter runs
 * it, history FULL, default job executor, {@code startProcessInstanceByKey} and {@code correlate} in a loop): enrolment into a 6-step journey with a wait, timers falling due at once, events
 * reaching waiting customers, and customers passing a connector step against the sandbox.
 *
 * <pre>
 * java -jar benchmark/target/pond-benchmark.jar journeys [--enrol=50000] [--timers=100000] [--events=20000]
 *      [--e2e=5000] [--baseline-share=5] [--only=timers,...] [--out=benchmark/results/journeys.txt]
 * </pre>
 * The baseline runs a fifth of each size (--baseline-share): it is slower, and a rate does not depend on the size.
 */
public final class JourneyBenchmark {

    private static int CHUNK = 500;
    private static int ENROLLING_THREADS = 4;

    private final BenchmarkSupport support = new BenchmarkSupport();
    private final List<String> report = new ArrayList<>();
    private ConfigurableApplicationContext pond;
    private JdbcTemplate pondJdbc;
    private ProcessEngine baseline;
    private JdbcTemplate baselineJdbc;
    private java.io.Closeable baselinePool;

    private JourneyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(args);
        new JourneyBenchmark().run(options);
    }

    private void run(Map<String, String> options) throws Exception {
        int enrol = Integer.parseInt(options.getOrDefault("enrol", "50000"));
        int timers = Integer.parseInt(options.getOrDefault("timers", "100000"));
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int e2e = Integer.parseInt(options.getOrDefault("e2e", "5000"));
        int share = Integer.parseInt(options.getOrDefault("baseline-share", "5"));
        // while tuning one figure: --only=timers (or enrolment, correlation, end-to-end, comma-separated)
        java.util.Set<String> only = java.util.Set.of(options.getOrDefault("only", "").split(",")).stream()
                .filter(part -> !part.isBlank()).collect(java.util.stream.Collectors.toSet());
        ENROLLING_THREADS = Integer.parseInt(options.getOrDefault("threads", "4"));
        CHUNK = Integer.parseInt(options.getOrDefault("chunk", "500"));
        Path out = BenchmarkSupport.out(options, "journeys");

        String pondDatabase = "pond_bench_journeys_" + System.currentTimeMillis();
        String baselineDatabase = "camunda_baseline_" + System.currentTimeMillis();
        String pondUrl = support.createDatabase(pondDatabase);
        String baselineUrl = support.createDatabase(baselineDatabase);
        report.add("Pond journey benchmark, " + Instant.now());
        report.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, JVM max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, " + System.getProperty("java.version")
                + "; database " + support.serverVersion(pondUrl) + " on the same machine");
        try {
            startPond(pondUrl);
            startBaseline(baselineUrl);
            customers(Math.max(Math.max(enrol, timers), Math.max(events, e2e)));
            if (only.isEmpty() || only.contains("enrolment")) {
                enrolment(enrol, Math.max(1, enrol / share));
            }
            if (only.isEmpty() || only.contains("timers")) {
                timers(timers, Math.max(1, timers / share));
            }
            if (only.isEmpty() || only.contains("correlation")) {
                correlation(events, Math.max(1, events / share));
            }
            if (only.isEmpty() || only.contains("end-to-end")) {
                endToEnd(e2e, Math.max(1, e2e / share));
            }
            report.add("the baseline: a standalone Camunda engine with its defaults (history full, job executor of 3 to 10 threads"
                    + " taking 3 jobs at a time) on a Hikari pool of 10 connections with UUIDs for ids, as Camunda's Spring Boot starter"
                    + " runs it, started and correlated one by one");
            report.add("Pond's settings: history level " + ((ProcessEngineConfigurationImpl) pond.getBean(ProcessEngine.class)
                    .getProcessEngineConfiguration()).getHistoryLevel().getName() + " (the baseline: full), job executor "
                    + jobExecutorSettings()
                    + ", JDBC batch inserts rewritten to multi-row inserts, enrolments in batches of " + CHUNK + " on "
                    + ENROLLING_THREADS + " threads, connector steps and moved-on waits as jobs of their own, events handed"
                    + " over by " + pond.getEnvironment().getProperty("pond.outbox.workers") + " outbox workers");
        } finally {
            if (pond != null) {
                pond.close();
            }
            if (baseline != null) {
                baseline.close();
            }
            if (baselinePool != null) {
                baselinePool.close();
            }
            support.drop(pondDatabase);
            support.drop(baselineDatabase);
        }
        BenchmarkSupport.write(out, report);
    }

    private void startPond(String url) {
        BenchmarkSupport.progress("starting Pond on " + url);
        pond = SpringApplication.run(PondApplication.class, "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + support.user, "--spring.datasource.password=" + support.password,
                "--server.port=0", "--pond.admin.password=Bench-Mark-2026!", "--logging.level.root=WARN",
                "--logging.level.io.pond.benchmark=INFO", "--spring.main.banner-mode=off",
                // the benchmark drives the outbox itself, on one thread as the scheduled relay would
                "--pond.outbox.poll-interval=3600000", "--pond.policy.frequency-cap-per-day=-1");
        pondJdbc = pond.getBean(JdbcTemplate.class);
        jobExecutor(pond.getBean(ProcessEngine.class)).shutdown();
    }

    private void startBaseline(String url) {
        BenchmarkSupport.progress("starting a plain Camunda engine on " + url);
        // Hikari with its defaults (10 connections), as Camunda's Spring Boot starter runs it: the engine's own MyBatis
        // pool takes back a connection held for 20 s, and under a burst of due timers that broke transactions
        // mid-way ("Connection is invalid") and made the baseline swing from 171 to 5 timers/s between runs.
        // And the starter's id generator: the standalone default fetches blocks of ids in a second transaction, and
        // ten job threads that each hold a connection and wait for a second one starved the ten-connection pool
        // until it timed out (30 s, then the run died).
        com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(support.user);
        pool.setPassword(support.password);
        baselinePool = pool;
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration()
                .setDataSource(pool).setDatabaseSchemaUpdate("true")
                .setHistory(ProcessEngineConfiguration.HISTORY_FULL).setJobExecutorActivate(false)
                .setProcessEngineName("baseline");
        configuration.setIdGenerator(new StrongUuidGenerator());
        baseline = configuration.buildProcessEngine();
        baselineJdbc = new JdbcTemplate(pool);
    }

    /** Customers 1..n with a member id, straight into the tables (loading them is the customer-data benchmark). */
    private void customers(int n) {
        BenchmarkSupport.progress("creating " + n + " customers");
        pondJdbc.update("insert into pond_customer (id, display_name, lifecycle_stage, points, timezone, owner_id, created_at,"
                + " updated_at) select g, 'Customer ' || g, 'PROSPECT', 0, 'Asia/Shanghai', 'zhangsan', now(), now()"
                + " from generate_series(1, ?) g", n);
        pondJdbc.update("insert into pond_customer_identity (customer_id, identity_type, identity_value, created_at)"
                + " select g, 'member_id', 'B' || g, now() from generate_series(1, ?) g", n);
        pondJdbc.queryForObject("select setval('pond_customer_seq', ?)", Long.class, (long) n + 1);
        pondJdbc.execute("analyze");
    }

    // ---------------------------------------------------------------- enrolment

    private void enrolment(int n, int baselineN) throws Exception {
        String steps = """
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tag"/>
                <bpmn:serviceTask id="tag" camunda:delegateExpression="${pondConnector}">%s</bpmn:serviceTask>
                <bpmn:sequenceFlow id="f2" sourceRef="tag" targetRef="wait"/>
                <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="stage"/>
                <bpmn:serviceTask id="stage" camunda:delegateExpression="${pondConnector}">%s</bpmn:serviceTask>
                <bpmn:sequenceFlow id="f4" sourceRef="stage" targetRef="wait2"/>
                <bpmn:intermediateCatchEvent id="wait2"><bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f5" sourceRef="wait2" targetRef="crm"/>
                <bpmn:serviceTask id="crm" camunda:delegateExpression="${pondConnector}">%s</bpmn:serviceTask>
                <bpmn:sequenceFlow id="f6" sourceRef="crm" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """.formatted(properties("pond.customer.tag:1", "action", "ADD", "group", "Journey", "tag", "entered"),
                properties("pond.customer.stage.set:1", "stage", "REPEAT"),
                properties("crm.record.update:1", "path", "/contacts/${customer.id}", "fields", "{\"stage\": \"warm\"}"));
        // Pond: the customer's first step is a job, so entering runs to it and stops, as a real journey does
        publish("bench-enrol", steps);
        warmUp(steps);
        BenchmarkSupport.progress("enrolling " + n + " customers in Pond");
        Instant start = Instant.now();
        enrollAll("bench-enrol", n, Map.of());
        double pondRate = n / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        check(pondJdbc, "select count(*) from act_ru_execution where proc_def_key_ = 'bench-enrol' and parent_id_ is null", n);
        // their first steps are jobs: keep them out of the next measurements
        pond.getBean(Journeys.class).pause("bench-enrol", "benchmark");

        String baselineSteps = steps.replace("camunda:delegateExpression=\"${pondConnector}\"",
                "camunda:expression=\"${true}\" camunda:asyncBefore=\"true\"");
        deployBaseline("bench-enrol", baselineSteps);
        BenchmarkSupport.progress("starting " + baselineN + " instances on the plain engine");
        RuntimeService runtime = baseline.getRuntimeService();
        start = Instant.now();
        for (int i = 1; i <= baselineN; i++) {
            runtime.startProcessInstanceByKey("bench-enrol", Integer.toString(i));
        }
        double baselineRate = baselineN / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        baseline.getRepositoryService().updateProcessDefinitionSuspensionState().byProcessDefinitionKey("bench-enrol")
                .includeProcessInstances(true).suspend();
        line("enrolment", "customers entering a 6-step journey with waits (to their first step)", n, pondRate, baselineN,
                baselineRate, 1000, "and >= 3x the baseline");
    }

    /**
     * A first thousand customers through the same journey, then the statistics PostgreSQL's autovacuum would gather on
     * a running system: a fresh database plans its foreign-key checks for empty tables.
     */
    private void warmUp(String steps) throws Exception {
        publish("bench-warm-up", steps);
        enrollAll("bench-warm-up", 1000, Map.of());
        pond.getBean(Journeys.class).pause("bench-warm-up", "benchmark");
        deployBaseline("bench-warm-up", steps.replace("camunda:delegateExpression=\"${pondConnector}\"",
                "camunda:expression=\"${true}\" camunda:asyncBefore=\"true\""));
        for (int i = 1; i <= 1000; i++) {
            baseline.getRuntimeService().startProcessInstanceByKey("bench-warm-up", Integer.toString(i));
        }
        baseline.getRepositoryService().updateProcessDefinitionSuspensionState().byProcessDefinitionKey("bench-warm-up")
                .includeProcessInstances(true).suspend();
        pondJdbc.execute("analyze");
        baselineJdbc.execute("analyze");
    }

    private void enrollAll(String key, int n, Map<String, Object> variables) throws Exception {
        Enrollments enrollments = pond.getBean(Enrollments.class);
        AtomicLong next = new AtomicLong(1);
        ExecutorService threads = Executors.newFixedThreadPool(ENROLLING_THREADS);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < ENROLLING_THREADS; t++) {
            running.add(threads.submit(() -> {
                for (long first = next.getAndAdd(CHUNK); first <= n; first = next.getAndAdd(CHUNK)) {
                    List<Long> chunk = new ArrayList<>();
                    for (long id = first; id < first + CHUNK && id <= n; id++) {
                        chunk.add(id);
                    }
                    enrollments.enroll(key, chunk, Enrollments.Source.SEGMENT, variables);
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        threads.shutdown();
    }

    // ---------------------------------------------------------------- timers

    private void timers(int n, int baselineN) throws Exception {
        String process = """
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="due"/>
                <bpmn:intermediateCatchEvent id="due"><bpmn:timerEventDefinition><bpmn:timeDate>${dueAt}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="due" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """;
        Date tomorrow = Date.from(Instant.now().plus(Duration.ofDays(1)));
        publish("bench-timer", process);
        BenchmarkSupport.progress("enrolling " + n + " customers to wait for one moment");
        enrollAll("bench-timer", n, Map.of("dueAt", tomorrow));
        double pondRate = fireAll(pondJdbc, "bench-timer", n, jobExecutor(pond.getBean(ProcessEngine.class)));
        jobExecutor(pond.getBean(ProcessEngine.class)).shutdown();

        deployBaseline("bench-timer", process);
        BenchmarkSupport.progress("starting " + baselineN + " waiting instances on the plain engine");
        for (int i = 1; i <= baselineN; i++) {
            baseline.getRuntimeService().startProcessInstanceByKey("bench-timer", Integer.toString(i), Map.of("dueAt", tomorrow));
        }
        double baselineRate = fireAll(baselineJdbc, "bench-timer", baselineN, jobExecutor(baseline));
        jobExecutor(baseline).shutdown();
        line("timers", "due timers completed when all fall due at once", n, pondRate, baselineN, baselineRate, 1000, "");
    }

    /** Makes every timer of the process due now, starts the job executor and times until none is left. */
    private double fireAll(JdbcTemplate jdbc, String key, int n, org.camunda.bpm.engine.impl.jobexecutor.JobExecutor executor) {
        check(jdbc, "select count(*) from act_ru_job where process_def_key_ = '" + key + "'", n);
        jdbc.update("update act_ru_job set duedate_ = ? where process_def_key_ = ?", new Date(System.currentTimeMillis() - 1000),
                key);
        // timers made over hours have statistics by the time they fall due; these were made a moment ago
        jdbc.execute("analyze");
        BenchmarkSupport.progress(n + " timers are due");
        Instant start = Instant.now();
        executor.start();
        BenchmarkSupport.await("firing " + n + " timers", Duration.ofMinutes(30), () -> noneLeft(jdbc, JOBS_OF_PROCESS, key));
        double rate = n / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        check(jdbc, "select count(*) from act_ru_execution where proc_def_key_ = '" + key + "'", 0);
        return rate;
    }

    // ---------------------------------------------------------------- correlation

    private void correlation(int n, int baselineN) throws Exception {
        String process = """
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="clicked"/>
                <bpmn:intermediateCatchEvent id="clicked"><bpmn:messageEventDefinition messageRef="click"/></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="clicked" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """;
        publish("bench-wait", process);
        BenchmarkSupport.progress("enrolling " + n + " customers to wait for an event");
        enrollAll("bench-wait", n, Map.of());
        BenchmarkSupport.progress("accepting " + n + " events (not timed: that is the customer-data benchmark)");
        EventIngestion ingestion = pond.getBean(EventIngestion.class);
        ObjectMapper json = pond.getBean(ObjectMapper.class);
        for (int first = 1; first <= n; first += 1000) {
            ArrayNode batch = json.createArrayNode();
            for (int id = first; id < first + 1000 && id <= n; id++) {
                batch.addObject().put("eventId", "click-" + id).put("type", "bench_click")
                        .put("occurredAt", Instant.now().toString()).putObject("customer").put("member_id", "B" + id);
            }
            ingestion.ingest(batch);
        }
        OutboxRelay relay = pond.getBean(OutboxRelay.class);
        // events that arrive over a day meet tables with statistics; these arrived a moment ago
        pondJdbc.execute("analyze");
        BenchmarkSupport.progress("handing " + n + " events to the customers waiting for them");
        Instant start = Instant.now();
        relay.poll();
        double pondRate = n / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        check(pondJdbc, "select count(*) from act_ru_event_subscr where event_name_ = 'bench_click'", 0);

        deployBaseline("bench-wait", process);
        for (int i = 1; i <= baselineN; i++) {
            baseline.getRuntimeService().startProcessInstanceByKey("bench-wait", Integer.toString(i));
        }
        baselineJdbc.execute("analyze");
        BenchmarkSupport.progress("correlating " + baselineN + " messages on the plain engine");
        start = Instant.now();
        for (int i = 1; i <= baselineN; i++) {
            baseline.getRuntimeService().createMessageCorrelation("bench_click").processInstanceBusinessKey(Integer.toString(i))
                    .correlate();
        }
        double baselineRate = baselineN / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        line("correlation", "events reaching the customers waiting for them (outbox to the wait)", n, pondRate, baselineN,
                baselineRate, 1000, "");
    }

    // ---------------------------------------------------------------- end to end

    private void endToEnd(int n, int baselineN) throws Exception {
        String pondProcess = """
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="crm"/>
                <bpmn:serviceTask id="crm" camunda:delegateExpression="${pondConnector}">%s</bpmn:serviceTask>
                <bpmn:sequenceFlow id="f2" sourceRef="crm" targetRef="end"/>
                <bpmn:endEvent id="end"/>
                """.formatted(properties("crm.record.update:1", "path", "/contacts/${customer.id}", "fields", "{\"stage\": \"warm\"}"));
        publish("bench-e2e", pondProcess);
        ProcessEngine pondEngine = pond.getBean(ProcessEngine.class);
        jobExecutor(pondEngine).start();
        BenchmarkSupport.progress("enrolling " + n + " customers into a journey with a CRM step (sandbox)");
        Instant start = Instant.now();
        enrollAll("bench-e2e", n, Map.of());
        BenchmarkSupport.await("the CRM step for " + n + " customers", Duration.ofMinutes(30),
                () -> noneLeft(pondJdbc, INSTANCES_OF_PROCESS, "bench-e2e"));
        double pondRate = n / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        check(pondJdbc, "select count(*) from pond_delivery where connector = 'crm.record.update:1' and status = 'SENT'", n);
        jobExecutor(pondEngine).shutdown();

        CrmPatch.baseUrl = "http://localhost:" + ((WebServerApplicationContext) pond).getWebServer().getPort() + "/sandbox/crm";
        deployBaseline("bench-e2e", pondProcess.replaceAll("(?s)<bpmn:serviceTask id=\"crm\".*?</bpmn:serviceTask>",
                java.util.regex.Matcher.quoteReplacement("<bpmn:serviceTask id=\"crm\" camunda:asyncBefore=\"true\" camunda:class=\""
                        + CrmPatch.class.getName() + "\"/>")));
        jobExecutor(baseline).start();
        BenchmarkSupport.progress("starting " + baselineN + " instances with the same HTTP call on the plain engine");
        start = Instant.now();
        for (int i = 1; i <= baselineN; i++) {
            baseline.getRuntimeService().startProcessInstanceByKey("bench-e2e", Integer.toString(i));
        }
        BenchmarkSupport.await("the plain engine's HTTP step", Duration.ofMinutes(30),
                () -> noneLeft(baselineJdbc, INSTANCES_OF_PROCESS, "bench-e2e"));
        double baselineRate = baselineN / BenchmarkSupport.seconds(Duration.between(start, Instant.now()));
        jobExecutor(baseline).shutdown();
        line("end-to-end", "customers through a journey with a CRM update (HTTP to the sandbox, exactly-once record)", n,
                pondRate, baselineN, baselineRate, 0, "");
    }

    /** The baseline's step: the same PATCH the CRM connector sends, from a plain JavaDelegate. */
    public static class CrmPatch implements JavaDelegate {
        static volatile String baseUrl;
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        @Override
        public void execute(DelegateExecution execution) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/contacts/"
                            + execution.getBusinessKey())).header("Authorization", "Bearer sandbox")
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"stage\": \"warm\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("CRM answered " + response.statusCode());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void publish(String key, String process) {
        Journeys journeys = pond.getBean(Journeys.class);
        journeys.create(key, key, null, JourneySettings.defaults(), diagram(process), "benchmark");
        journeys.publish(key, Journeys.InFlight.STAY, "admin");
    }

    private void deployBaseline(String key, String process) {
        baseline.getRepositoryService().createDeployment().addString(key + ".bpmn", diagram(process).replace(
                "id=\"draft\"", "id=\"" + key + "\" camunda:historyTimeToLive=\"P180D\"")).deploy();
    }

    private static String diagram(String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://pond.io/benchmark">
                  <bpmn:message id="click" name="bench_click"/>
                  <bpmn:process id="draft" isExecutable="true">
                %s
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(body);
    }

    private static String properties(String connector, String... inputs) {
        StringBuilder xml = new StringBuilder("<bpmn:extensionElements><camunda:properties>")
                .append("<camunda:property name=\"pond.connector\" value=\"").append(connector).append("\"/>");
        for (int i = 0; i < inputs.length; i += 2) {
            xml.append("<camunda:property name=\"pond.input.").append(inputs[i]).append("\" value=\"")
                    .append(inputs[i + 1].replace("\"", "&quot;")).append("\"/>");
        }
        return xml.append("</camunda:properties></bpmn:extensionElements>").toString();
    }

    private static org.camunda.bpm.engine.impl.jobexecutor.JobExecutor jobExecutor(ProcessEngine engine) {
        return ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
    }

    private String jobExecutorSettings() {
        var executor = jobExecutor(pond.getBean(ProcessEngine.class));
        String threads = executor instanceof org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor spring
                && spring.getTaskExecutor() instanceof org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor pool
                ? pool.getMaxPoolSize() + " threads, " : "";
        String timers = executor instanceof io.pond.engine.jobs.BatchingJobExecutor batching
                ? ", due timers " + batching.timersPerTransaction() + " to a transaction" : "";
        return String.format(Locale.ROOT, "(%s%d jobs per acquisition, lock %d s, idle wait up to %d ms%s)", threads,
                executor.getMaxJobsPerAcquisition(), executor.getLockTimeInMillis() / 1000, executor.getMaxWait(), timers);
    }

    private static final String JOBS_OF_PROCESS =
            "select exists (select 1 from act_ru_job where job_def_id_ in (select id_ from act_ru_jobdef where proc_def_key_ = ?))";
    private static final String INSTANCES_OF_PROCESS =
            "select exists (select 1 from act_ru_execution where proc_def_id_ in (select id_ from act_re_procdef where key_ = ?))";

    /**
     * Whether none of the process's rows ({@link #JOBS_OF_PROCESS}, {@link #INSTANCES_OF_PROCESS}) is left. Asked four
     * times a second while the engine works, so it finds the first row through an index instead of counting them all: a
     * count over 100,000 jobs took PostgreSQL 12 ms each time, a tenth of the database's time in a timer run
     * (pg_stat_statements, 2026-12-07), taken from what is measured.
     */
    private static boolean noneLeft(JdbcTemplate jdbc, String anyLeft, String processKey) {
        return !Boolean.TRUE.equals(jdbc.queryForObject(anyLeft, Boolean.class, processKey));
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long count = jdbc.queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }

    private static void check(JdbcTemplate jdbc, String sql, long expected) {
        long actual = count(jdbc, sql);
        if (actual != expected) {
            throw new IllegalStateException("Expected " + expected + " but found " + actual + ": " + sql);
        }
    }

    private void line(String name, String what, int n, double pondRate, int baselineN, double baselineRate, int target,
            String more) {
        String text = String.format(Locale.ROOT, "%s: %s: Pond %,.0f/s (%,d), plain Camunda %,.0f/s (%,d) = %.1fx%s", name, what,
                pondRate, n, baselineRate, baselineN, pondRate / baselineRate,
                target > 0 ? " (target >= " + String.format(Locale.ROOT, "%,d", target) + "/s" + (more.isEmpty() ? "" : " " + more)
                        + ")" : "");
        report.add(text);
        BenchmarkSupport.progress(text);
    }
}
