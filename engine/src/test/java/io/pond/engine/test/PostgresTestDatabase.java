package io.pond.engine.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database for integration tests, created on the server named by
 * {@code POND_TEST_DB_URL} (default {@code jdbc:postgresql://localhost:5432/postgres}) as
 * {@code POND_TEST_DB_USER} / {@code POND_TEST_DB_PASSWORD} (default {@code pond} / {@code pond}, a role
 * that may create databases; {@code scripts/test} sets it up). Databases are dropped by a later run once
 * they are two hours old: dropping them as the JVM ends would pull them from under Spring contexts that
 * are still shutting down.
 */
public final class PostgresTestDatabase {

    private static final String PREFIX = "pond_it_";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static PostgresTestDatabase shared;

    private final String name;
    private final String url;

    private PostgresTestDatabase(String name, String url) {
        this.name = name;
        this.url = url;
    }

    /** One database for the whole test JVM, so Spring can reuse one application context across test classes. */
    public static synchronized PostgresTestDatabase shared() {
        if (shared == null) {
            shared = create();
        }
        return shared;
    }

    /** A database of its own, for tests that need a first start on an empty schema. */
    public static PostgresTestDatabase create() {
        String name = PREFIX + LocalDateTime.now().format(STAMP) + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        try (Connection admin = adminConnection(); Statement sql = admin.createStatement()) {
            dropLeftovers(sql);
            sql.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test database on " + adminUrl() + " as " + user()
                    + ": " + e.getMessage() + ". Integration tests need a running PostgreSQL: run scripts/test,"
                    + " or set POND_TEST_DB_URL, POND_TEST_DB_USER and POND_TEST_DB_PASSWORD to a server and a role"
                    + " that may create databases.", e);
        }
        return new PostgresTestDatabase(name, withDatabase(adminUrl(), name));
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public static String user() {
        return setting("POND_TEST_DB_USER", "pond");
    }

    public static String password() {
        return setting("POND_TEST_DB_PASSWORD", "pond");
    }

    /** Points Spring's data source at this database. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::url);
        registry.add("spring.datasource.username", PostgresTestDatabase::user);
        registry.add("spring.datasource.password", PostgresTestDatabase::password);
    }

    /** The same as {@link #register} as command-line arguments, for applications a test starts itself. */
    public String[] arguments() {
        return new String[] {"--spring.datasource.url=" + url, "--spring.datasource.username=" + user(),
                "--spring.datasource.password=" + password()};
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, credentials());
    }

    private static void dropLeftovers(Statement sql) throws SQLException {
        String oldest = PREFIX + LocalDateTime.now().minusHours(2).format(STAMP);
        List<String> leftovers = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("select datname from pg_database where datname like '" + PREFIX + "%'")) {
            while (rs.next()) {
                if (rs.getString(1).compareTo(oldest) < 0) {
                    leftovers.add(rs.getString(1));
                }
            }
        }
        for (String leftover : leftovers) {
            try {
                sql.execute("drop database if exists " + leftover);
            } catch (SQLException busy) {
                // still in use (autovacuum, or a run that is still going): a later run drops it
            }
        }
    }

    private static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl(), credentials());
    }

    private static Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        return properties;
    }

    private static String adminUrl() {
        return setting("POND_TEST_DB_URL", "jdbc:postgresql://localhost:5432/postgres");
    }

    static String withDatabase(String serverUrl, String database) {
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String params = query < 0 ? "" : serverUrl.substring(query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + params;
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
