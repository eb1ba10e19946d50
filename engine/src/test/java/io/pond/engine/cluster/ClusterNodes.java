package io.pond.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.pond.engine.EngineTestApplication;
import io.pond.engine.test.PostgresTestDatabase;

/** Pond nodes of a cluster test: JVMs of their own on one PostgreSQL database, their logs under target/. */
final class ClusterNodes {

    private ClusterNodes() {
    }

    static Process start(PostgresTestDatabase database, Path logs, String name, String... settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), EngineTestApplication.class.getName()));
        command.addAll(List.of(database.arguments()));
        command.addAll(List.of("--pond.admin.password=Pond-Pass-2026", "--pond.test.cluster.node=" + name,
                "--pond.data-dir=" + logs.resolve("data-" + name).toAbsolutePath(), "--spring.datasource.hikari.maximum-pool-size=20"));
        command.addAll(List.of(settings));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve("node-" + name + ".log").toFile())
                .start();
    }

    static void await(Duration limit, BooleanSupplier done, List<Process> nodes, Path logs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            for (Process node : nodes) {
                assertThat(node.isAlive()).as("the node is running (see " + logs + ")").isTrue();
            }
            assertThat(System.nanoTime()).as("waiting for: " + what + " (see " + logs + ")").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    static long count(PostgresTestDatabase database, String sql) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
