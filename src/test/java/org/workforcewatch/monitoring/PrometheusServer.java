package org.workforcewatch.monitoring;

import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final LocalServer server;

    private PrometheusServer(LocalServer server) {
        this.server = server;
    }

    /**
     * Starts Prometheus with this configuration (YAML) and these rule files, and waits until it is ready.
     * Relative paths in the configuration (rule_files) resolve against the directory the rule files are
     * copied to.
     */
    /** The scrape token of the tests' app (src/test/resources/config/application.yml). */
    static final String SCRAPE_TOKEN = "test-scrape-token";

    static PrometheusServer start(String configYaml, List<Path> ruleFiles, String... extraArgs) {
        return new PrometheusServer(LocalServer.start(BINARY, "prometheus", (dir, port) -> {
            Path config = Files.writeString(dir.resolve("prometheus.yml"), configYaml);
            // the shipped configuration sends the token in the file next to it (the tests' app expects this one)
            Files.writeString(dir.resolve("scrape-token"), SCRAPE_TOKEN + "\n");
            for (Path rules : ruleFiles) {
                Files.copy(rules, dir.resolve(rules.getFileName()));
            }
            List<String> arguments = new ArrayList<>(List.of("--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
            arguments.addAll(List.of(extraArgs));
            return arguments;
        }));
    }

    static PrometheusServer start(String configYaml) {
        return start(configYaml, List.of());
    }

    String baseUrl() {
        return "http://" + server.address();
    }

    int port() {
        return server.port();
    }

    Path log() {
        return server.log();
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
        return await("Prometheus answers " + promql + " (log: " + server.log() + ")").atMost(timeout)
                .pollInterval(Duration.ofMillis(500)).ignoreException(UncheckedIOException.class)
                .until(() -> query(promql), result -> !result.isEmpty());
    }

    private JsonNode data(String pathAndQuery) {
        HttpResponse<String> response = server.get(pathAndQuery);
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asString())) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
                    + body.path("errorType").asString() + ": " + body.path("error").asString());
        }
        return body.path("data");
    }

    /** The last lines of the log, for a failure message. */
    String logTail() {
        return server.logTail();
    }

    @Override
    public void close() {
        server.close();
    }
}
