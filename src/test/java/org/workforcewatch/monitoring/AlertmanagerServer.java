package org.workforcewatch.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Alertmanager (the Debian package's /usr/bin/prometheus-alertmanager), alone (no cluster), for tests. */
final class AlertmanagerServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LocalServer server;

    private AlertmanagerServer(LocalServer server) {
        this.server = server;
    }

    static AlertmanagerServer start(String configYaml) {
        return new AlertmanagerServer(LocalServer.start(BINARY, "prometheus-alertmanager", (dir, port) -> {
            Path config = Files.writeString(dir.resolve("alertmanager.yml"), configYaml);
            return List.of("--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=");
        }));
    }

    String address() {
        return server.address();
    }

    /** The alerts Alertmanager holds, with their status (active, suppressed) and what inhibits them. */
    JsonNode alerts() {
        return JSON.readTree(server.get("/api/v2/alerts").body());
    }

    @Override
    public void close() {
        server.close();
    }
}
