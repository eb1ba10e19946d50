package io.pond.designer;

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
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar a user runs, as they run it: {@code java -jar pond.jar} in an empty folder, no configuration
 * (only a free port, so the test cannot collide with another server). It must come up healthy on H2,
 * print the URL and a generated admin password, keep its data across a restart and print no password then.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target/pond.jar");
    private static final Path SMS_CONNECTOR = Path.of("../examples/sms-connector/target/pond-sms-connector.jar");
    private static final Pattern READY = Pattern.compile("Pond is ready\\. Open (http://localhost:\\d+/)");
    private static final Pattern PASSWORD = Pattern.compile("administrator 'admin' with this password:\\s+(\\S+)\\s");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void startsWithNoConfigurationOnH2AndKeepsItsDataAcrossARestart(@TempDir Path folder) throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        int port = freePort();
        String base = "http://localhost:" + port;

        // a connector written from docs/connectors.md, installed the way the guide says
        Files.createDirectories(folder.resolve("plugins"));
        Files.copy(SMS_CONNECTOR, folder.resolve("plugins").resolve(SMS_CONNECTOR.getFileName()));

        String password;
        try (RunningPond pond = RunningPond.start(folder, port, "first.log")) {
            String log = pond.awaitReady();
            Matcher ready = READY.matcher(log);
            assertThat(ready.find()).as("the URL to open is logged").isTrue();
            assertThat(ready.group(1)).isEqualTo(base + "/");
            assertThat(log).contains("database: jdbc:h2:file:./pond-data/pond");
            Matcher printed = PASSWORD.matcher(log);
            assertThat(printed.find()).as("a generated admin password is logged").isTrue();
            password = printed.group(1);

            HttpResponse<String> root = get(base + "/", null);
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
            assertThat(get(base + "/engine-rest/engine", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/engine-rest/engine", password).statusCode()).isEqualTo(200);
            assertThat(get(base + "/camunda/app/cockpit/default/", null).statusCode()).isEqualTo(302);
            assertThat(get(base + "/api/v1/connectors/element-templates", password).body())
                    .as("the plugin's connector is served with the built-in ones")
                    .contains("\"pond.sms.message.send\"").contains("\"pond.wecom.welcome-message.send\"");

            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/engine-rest/user/create"))
                    .header("Authorization", basic(password))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"profile": {"id": "keeper", "firstName": "Kept", "lastName": "Across restarts"},
                             "credentials": {"password": "Journey-Map-2026!"}}"""))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
        }
        assertThat(folder.resolve("pond-data/pond.mv.db")).exists();

        try (RunningPond again = RunningPond.start(folder, port, "second.log")) {
            String log = again.awaitReady();
            assertThat(log).doesNotContain("with this password").doesNotContain(password);
            assertThat(get(base + "/engine-rest/user/keeper/profile", password).body()).contains("Across restarts");
        }
    }

    private HttpResponse<String> get(String url, String adminPassword) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (adminPassword != null) {
            request.header("Authorization", basic(adminPassword));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code java -jar pond.jar} in a folder, its output in a log file there. */
    private record RunningPond(Process process, Path log, int port) implements AutoCloseable {

        static RunningPond start(Path folder, int port, String logName) throws IOException {
            Path log = folder.resolve(logName);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", JAR.toAbsolutePath().toString())
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("POND_") || name.startsWith("SPRING_")
                    || name.startsWith("SERVER_"));
            builder.environment().put("POND_PORT", Integer.toString(port));
            return new RunningPond(builder.start(), log, port);
        }

        /** Waits until the health endpoint answers UP; returns the log so far. */
        String awaitReady() throws IOException, InterruptedException {
            HttpClient client = HttpClient.newHttpClient();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (Instant.now().isBefore(deadline)) {
                assertThat(process.isAlive()).as("Pond is running; its log:\n" + Files.readString(log)).isTrue();
                try {
                    HttpResponse<String> health = client.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String text = Files.readString(log);
                    if (health.statusCode() == 200 && health.body().contains("UP") && READY.matcher(text).find()) {
                        return text;
                    }
                } catch (IOException notYetListening) {
                    // still starting
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            throw new AssertionError("Pond was not ready within 2 minutes; its log:\n" + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
