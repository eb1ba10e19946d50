package io.pond.engine.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.pond.engine.EngineTestApplication;
import io.pond.engine.test.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across a crash: Pond (the engine with its sandbox, in a JVM of its own) sends a WeCom message
 * per customer and is killed with SIGKILL ({@code kill -9}) while the engine's transaction after the send is
 * still open. After a restart on the same database every journey finishes, and every customer got the message
 * exactly once: the delivery table and the WeCom stub's log agree.
 */
class CrashIT {

    private static final int CUSTOMERS = 8;
    private static final Path LOGS = Path.of("target/crash-it");

    @Test
    void aKilledPondSendsNothingTwiceAfterItsRestart() throws Exception {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        Files.createDirectories(LOGS);

        Process first = start(database, true, "first.log");
        try {
            await(Duration.ofMinutes(3), () -> count(database, "select count(*) from pond_delivery where status = 'SENT'") >= 3,
                    first, "three messages sent while their journeys hold the engine's transaction open");
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback, no commit
            first.waitFor(30, TimeUnit.SECONDS);
        }
        int sentBeforeCrash = count(database, "select count(*) from pond_delivery where status = 'SENT'");
        assertThat(count(database, "select count(*) from act_hi_procinst where end_time_ is not null")).as("no journey moved on")
                .isZero();
        assertThat(count(database, "select count(*) from act_ru_job where process_instance_id_ is not null"))
                .as("every send step is still to do").isEqualTo(CUSTOMERS);

        Process second = start(database, false, "second.log");
        try {
            await(Duration.ofMinutes(3), () -> count(database, "select count(*) from act_hi_procinst where end_time_ is not null")
                    == CUSTOMERS, second, "every journey finished after the restart");
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        Map<String, Integer> received = counts(database, "select recipient, count(*) from pond_sandbox_message"
                + " where operation = 'add_msg_template' group by recipient");
        Map<String, Integer> delivered = counts(database, "select i.identity_value, count(*) from pond_delivery d"
                + " join pond_customer_identity i on i.customer_id = d.customer_id and i.identity_type = 'wecom_external_userid'"
                + " where d.status = 'SENT' group by i.identity_value");
        Map<String, Integer> once = new TreeMap<>();
        for (int i = 1; i <= CUSTOMERS; i++) {
            once.put("wmCRASH" + i, 1);
        }
        assertThat(received).as("what WeCom received").isEqualTo(once);
        assertThat(delivered).as("what the delivery table says went out").isEqualTo(once);
        assertThat(count(database, "select count(*) from pond_delivery where attempts <> 1"))
                .as("the %d steps sent before the crash were not called again", sentBeforeCrash).isZero();
    }

    private static Process start(PostgresTestDatabase database, boolean hold, String log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), EngineTestApplication.class.getName()));
        command.addAll(List.of(database.arguments()));
        command.addAll(List.of("--server.port=0", "--pond.admin.password=Pond-Pass-2026",
                "--pond.data-dir=" + LOGS.resolve("data").toAbsolutePath(), "--pond.test.crash.customers=" + CUSTOMERS,
                "--pond.test.crash.hold=" + hold, "--pond.policy.quiet-hours.start=00:00", "--pond.policy.quiet-hours.end=00:00",
                // a dead node's jobs are taken over once their lock runs out
                "--camunda.bpm.job-execution.lock-time-in-millis=8000", "--pond.connectors.request-timeout=PT2S",
                "--camunda.bpm.job-execution.wait-time-in-millis=500", "--camunda.bpm.job-execution.max-wait=1000"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOGS.resolve(log).toFile()).start();
    }

    private static void await(Duration limit, BooleanSupplier done, Process pond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(pond.isAlive()).as("Pond is running (see " + LOGS + ")").isTrue();
            assertThat(System.nanoTime()).as("waiting for: " + what + " (see " + LOGS + ")").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static int count(PostgresTestDatabase database, String sql) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException notYet) {
            return -1; // the schema is not there before the first start has run Liquibase
        }
    }

    private static Map<String, Integer> counts(PostgresTestDatabase database, String sql) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }
}
