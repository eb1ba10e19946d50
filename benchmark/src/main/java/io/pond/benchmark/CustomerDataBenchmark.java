package io.pond.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.pond.engine.apikey.ApiKeys;
import io.pond.engine.customer.AttributeDefinition;
import io.pond.engine.customer.AttributeType;
import io.pond.engine.customer.CustomerAttributes;
import io.pond.engine.customer.CustomerTags;
import io.pond.engine.importing.CustomerImport;
import io.pond.engine.importing.ImportJob;
import io.pond.engine.importing.ImportMode;
import io.pond.engine.segment.SegmentCondition;
import io.pond.engine.segment.Segments;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Loads customers and events into a fresh PostgreSQL database through Pond's own code paths (CSV
 * import; the signed HTTP events API) and times a three-condition segment count. Prints the figures
 * and writes them to a file.
 *
 * <pre>
 * java -jar benchmark/target/pond-benchmark.jar [--customers=1000000] [--events=10000000] [--clients=4]
 *      [--out=benchmark/results/customer-data.txt]
 * </pre>
 * The database server is the tests' one ({@code POND_TEST_DB_URL}, default localhost, role pond/pond).
 */
public class CustomerDataBenchmark {

    private static final String[] CITIES = {"Shanghai", "Beijing", "Hangzhou", "Shenzhen", "Chengdu", "Wuhan", "Nanjing"};
    private static final String[] STAGES = {"PROSPECT", "FIRST_PURCHASE", "REPEAT", "DORMANT", "CHURNED"};
    private static final String[] EVENT_TYPES = {"page_viewed", "page_viewed", "page_viewed", "item_added_to_cart",
            "item_added_to_cart", "order_paid", "message_read", "coupon_used"};
    private static final int BATCH = 1000;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(args);
        long customers = Long.parseLong(options.getOrDefault("customers", "1000000"));
        long events = Long.parseLong(options.getOrDefault("events", "10000000"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "4"));
        Path out = BenchmarkSupport.out(options, "customer-data");

        BenchmarkSupport support = new BenchmarkSupport();
        String database = "pond_bench_" + System.currentTimeMillis();
        String url = support.createDatabase(database);
        String user = support.user;
        String password = support.password;
        List<String> report = new ArrayList<>();
        report.add("Pond customer-data benchmark, " + Instant.now());
        report.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, JVM max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, " + System.getProperty("java.version"));
        report.add("database: " + url.replaceFirst("\\?.*", "") + " (" + support.serverVersion(url) + ")");

        ConfigurableApplicationContext pond = SpringApplication.run(io.pond.benchmark.app.PondApplication.class,
                "--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password, "--server.port=0", "--pond.admin.password=Bench-Mark-2026!",
                "--camunda.bpm.job-execution.enabled=false", "--logging.level.root=WARN",
                "--logging.level.io.pond.benchmark=INFO", "--spring.main.banner-mode=off");
        try {
            run(pond, customers, events, clients, report);
        } finally {
            pond.close();
            support.drop(database);
        }
        BenchmarkSupport.write(out, report);
    }

    private static void run(ConfigurableApplicationContext pond, long customers, long events, int clients,
            List<String> report) throws Exception {
        CustomerAttributes attributes = pond.getBean(CustomerAttributes.class);
        attributes.define(new AttributeDefinition("city", "City", "城市", AttributeType.STRING, null));
        attributes.define(new AttributeDefinition("age", "Age", "年龄", AttributeType.NUMBER, null));

        // 1. CSV import through CustomerImport
        Path csv = Files.createTempFile("pond-bench-customers-", ".csv");
        try {
            BenchmarkSupport.progress("writing " + customers + " customers to " + csv);
            writeCustomers(csv, customers);
            long size = Files.size(csv);
            BenchmarkSupport.progress("importing them");
            Instant start = Instant.now();
            ImportJob job = pond.getBean(CustomerImport.class).importNow(csv, "benchmark.csv", ImportMode.KEEP_VALID, "benchmark");
            Duration took = Duration.between(start, Instant.now());
            if (job.status() != ImportJob.Status.DONE || job.rowsImported() != customers) {
                throw new IllegalStateException("The import did not finish: " + job);
            }
            report.add(String.format(Locale.ROOT, "import: %,d customers (%,d MB CSV: 2 identities, 5 profile fields,"
                    + " 1-2 tags, 2 attributes each) in %.1f s = %,.0f rows/s (target >= 20,000)", customers,
                    size / (1024 * 1024), BenchmarkSupport.seconds(took), customers / BenchmarkSupport.seconds(took)));
            BenchmarkSupport.progress(report.get(report.size() - 1));
        } finally {
            Files.deleteIfExists(csv);
        }

        // 2. events through the HTTP API, signed, in batches of 1,000
        ApiKeys.NewKey key = pond.getBean(ApiKeys.class).create("benchmark", "benchmark");
        int port = ((WebServerApplicationContext) pond).getWebServer().getPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong sent = new AtomicLong();
        long batches = (events + BATCH - 1) / BATCH;
        AtomicLong nextBatch = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant start = Instant.now();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (long b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
                    int size = (int) Math.min(BATCH, events - b * BATCH);
                    byte[] body = eventBatch(b, size, customers);
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/events"))
                            .header("Content-Type", "application/json");
                    ApiKeys.signedHeaders(key.keyId(), key.secret(), java.time.Instant.now(), body).forEach(request::header);
                    HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("batch " + b + ": " + response.statusCode() + " " + response.body());
                    }
                    long done = sent.addAndGet(size);
                    if (done % 500_000 < size) {
                        BenchmarkSupport.progress(String.format(Locale.ROOT, "%,d events, %,.0f/s", done,
                                done / BenchmarkSupport.seconds(Duration.between(start, Instant.now()))));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        pool.shutdown();
        Duration took = Duration.between(start, Instant.now());
        report.add(String.format(Locale.ROOT, "ingest: %,d events through POST /api/v1/events (batches of %d, %d"
                + " client threads on the same machine, HMAC-signed) in %.1f s = %,.0f events/s (target >= 5,000)",
                events, BATCH, clients, BenchmarkSupport.seconds(took), events / BenchmarkSupport.seconds(took)));
        BenchmarkSupport.progress(report.get(report.size() - 1));

        // 3. a three-condition segment count
        JdbcTemplate jdbc = pond.getBean(JdbcTemplate.class);
        BenchmarkSupport.progress("analyze (what autovacuum does after a bulk load)");
        jdbc.execute("analyze");
        CustomerTags.Tag vip = pond.getBean(CustomerTags.class).findTag("Value", "VIP").orElseThrow();
        SegmentCondition segment = new SegmentCondition.All(List.of(
                new SegmentCondition.HasTag(vip.id()),
                new SegmentCondition.AttributeIs("city", SegmentCondition.Operator.EQUALS, List.of("Shanghai")),
                new SegmentCondition.DidEvent("order_paid", SegmentCondition.DidEvent.Count.AT_LEAST, 2, 30, null)));
        Segments segments = pond.getBean(Segments.class);
        List<Double> times = new ArrayList<>();
        long count = 0;
        for (int i = 0; i < 5; i++) {
            Instant t = Instant.now();
            count = segments.count(segment);
            times.add(BenchmarkSupport.seconds(Duration.between(t, Instant.now())));
        }
        List<Double> sorted = times.stream().sorted().toList();
        report.add(String.format(Locale.ROOT, "segment: tag VIP AND city = Shanghai AND order_paid >= 2 times in the"
                + " last 30 days -> %,d customers; count took %.3f s median, %.3f s first, %.3f s best of 5 (target <= 2 s)",
                count, sorted.get(2), times.get(0), sorted.get(0)));
        report.add(String.format(Locale.ROOT, "data: %,d customers, %,d identities, %,d tags on customers, %,d events",
                jdbc.queryForObject("select count(*) from pond_customer", Long.class),
                jdbc.queryForObject("select count(*) from pond_customer_identity", Long.class),
                jdbc.queryForObject("select count(*) from pond_customer_tag", Long.class),
                jdbc.queryForObject("select count(*) from pond_event", Long.class)));
    }

    private static void writeCustomers(Path csv, long customers) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("member_id,phone,display_name,lifecycle_stage,member_tier,points,tags,city,age\n");
            for (long i = 0; i < customers; i++) {
                out.write("M" + i + ",+861" + String.format("%010d", 3_000_000_000L + i) + ",Customer " + i + ","
                        + STAGES[random.nextInt(STAGES.length)] + "," + (random.nextInt(10) == 0 ? "GOLD" : "") + ","
                        + random.nextInt(5000) + "," + (random.nextInt(5) == 0 ? "Value:VIP; " : "") + "Source:Store "
                        + random.nextInt(50) + "," + CITIES[random.nextInt(CITIES.length)] + "," + (18 + random.nextInt(50))
                        + "\n");
            }
        }
    }

    private static byte[] eventBatch(long batch, int size, long customers) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long now = Instant.now().toEpochMilli();
        StringBuilder json = new StringBuilder(size * 200).append('[');
        for (int i = 0; i < size; i++) {
            String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
            Instant at = Instant.ofEpochMilli(now - random.nextLong(90L * 24 * 3600 * 1000));
            json.append(i == 0 ? "" : ",").append("{\"eventId\":\"b").append(batch).append('-').append(i)
                    .append("\",\"type\":\"").append(type).append("\",\"occurredAt\":\"").append(at)
                    .append("\",\"customer\":{\"member_id\":\"M").append(random.nextLong(customers))
                    .append("\"},\"properties\":{\"sku\":\"sku-").append(random.nextInt(500)).append("\",\"amount\":")
                    .append(random.nextInt(1000)).append("}}");
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
