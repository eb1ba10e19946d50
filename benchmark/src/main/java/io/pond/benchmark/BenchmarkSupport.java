package io.pond.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** What the benchmarks share: options, a scratch PostgreSQL database each, progress lines and the report file. */
final class BenchmarkSupport {

    final String serverUrl = setting("POND_TEST_DB_URL", "jdbc:postgresql://localhost:5432/postgres");
    final String user = setting("POND_TEST_DB_USER", "pond");
    final String password = setting("POND_TEST_DB_PASSWORD", "pond");

    static Map<String, String> options(String[] args) {
        return Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
    }

    static Path out(Map<String, String> options, String name) {
        return Path.of(options.getOrDefault("out", "benchmark/results/" + name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")) + ".txt"));
    }

    /** Creates a fresh database on the server and returns its JDBC URL. */
    String createDatabase(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(serverUrl, user, password); Statement sql = admin.createStatement()) {
            sql.execute("create database " + name);
        }
        return serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    /** Drops a benchmark's database; autovacuum may hold it for a moment after a bulk load. */
    void drop(String database) {
        for (int attempt = 1; attempt <= 10; attempt++) {
            try (Connection admin = DriverManager.getConnection(serverUrl, user, password); Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + database);
                return;
            } catch (SQLException e) {
                if (attempt == 10) {
                    progress("could not drop " + database + " (drop it by hand): " + e.getMessage());
                    return;
                }
                sleep(Duration.ofSeconds(3));
            }
        }
    }

    String serverVersion(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return connection.getMetaData().getDatabaseProductName() + " " + connection.getMetaData().getDatabaseProductVersion();
        }
    }

    static void write(Path out, List<String> report) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        System.out.println();
        report.forEach(System.out::println);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** Polls until the condition holds; fails after the limit (a benchmark that never finishes says so). */
    static void await(String what, Duration limit, BooleanSupplier done) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not finish within " + limit);
            }
            sleep(Duration.ofMillis(250));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double seconds(Duration duration) {
        return Math.max(duration.toNanos(), 1) / 1e9;
    }

    static void progress(String message) {
        System.out.println("[" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message);
    }

    static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
