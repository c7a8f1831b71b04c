package org.workforcewatch.monitoring;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the Debian package's /usr/bin/prometheus) on a free loopback port, for tests: started
 * with a given configuration, with rule files copied beside it so the configuration can name them by file
 * name. Its output goes to target/prometheus-&lt;port&gt;.log.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path dir;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path dir, int port, Path log) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Prometheus with this configuration (YAML) and these rule files, and waits until it is ready.
     * Relative paths in the configuration (rule_files) resolve against the directory the rule files are
     * copied to.
     */
    static PrometheusServer start(String configYaml, List<Path> ruleFiles, String... extraArgs) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package `prometheus`"
                    + " (apt-get install prometheus) to run this test");
        }
        try {
            Path dir = Files.createTempDirectory("prometheus-test-");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, configYaml);
            for (Path rules : ruleFiles) {
                Files.copy(rules, dir.resolve(rules.getFileName()));
            }
            int port = freePort();
            Path log = Path.of("target", "prometheus-" + port + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port));
            command.addAll(List.of(extraArgs));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(process, dir, port, log);
            try {
                server.awaitReady();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PrometheusServer start(String configYaml) {
        return start(configYaml, List.of());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** The result array of an instant query; throws with Prometheus' own message if the query fails. */
    JsonNode query(String promql) {
        return data("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** The alerts the rules hold right now, pending or firing. */
    JsonNode alerts() {
        return data("/api/v1/alerts").path("alerts");
    }

    /** Polls until the instant query answers at least one series, and answers them. */
    JsonNode awaitSeries(String promql, Duration timeout) {
        return await("Prometheus answers " + promql + " (log: " + log + ")").atMost(timeout)
                .pollInterval(Duration.ofMillis(500)).ignoreException(UncheckedIOException.class)
                .until(() -> query(promql), result -> !result.isEmpty());
    }

    private JsonNode data(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asString())) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
                    + body.path("errorType").asString() + ": " + body.path("error").asString());
        }
        return body.path("data");
    }

    private HttpResponse<String> get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        await("Prometheus ready on port " + port + " (log: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreException(UncheckedIOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Prometheus exited with " + process.exitValue() + ":\n" + logTail());
                    }
                    return get("/-/ready").statusCode() == 200;
                });
    }

    /** The last lines of the log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
