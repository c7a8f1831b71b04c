package org.workforcewatch.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.workforcewatch.config.DatabaseLocation;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, checked without a container engine: every file the stack
 * mounts exists, ports do not clash, and the services find each other under the names and ports the
 * compose file gives them (the app its PostgreSQL, Prometheus the app and Alertmanager, Grafana
 * Prometheus).
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    /** The port each service listens on inside its container. */
    private static final Map<String, Integer> CONTAINER_PORTS =
            Map.of("app", 8080, "postgres", 5432, "prometheus", 9090, "alertmanager", 9093, "grafana", 3000);

    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() {
        compose = map(yaml(ROOT.resolve("docker-compose.yml")));
        services = map(compose.get("services"));
    }

    @Test
    void startsPostgresTheAppPrometheusAlertmanagerAndGrafana() {
        assertThat(services).containsKeys("postgres", "app", "prometheus", "alertmanager", "grafana");
        assertThat(compose).as("the compose specification has no version key").doesNotContainKey("version");
    }

    @Test
    void everyMountedPathExistsAndEveryNamedVolumeIsDeclared() {
        Map<String, Object> declared = compose.get("volumes") == null ? Map.of() : map(compose.get("volumes"));
        SoftAssertions soft = new SoftAssertions();
        services.keySet().forEach(service -> mounts(service).forEach(m -> {
            if (m.bind()) {
                soft.assertThat(ROOT.resolve(m.source()).normalize())
                        .as("%s mounts %s on %s", service, m.source(), m.target()).exists();
            } else if (m.source() != null) {
                soft.assertThat(declared).as("%s uses the named volume %s", service, m.source()).containsKey(m.source());
            }
        }));
        soft.assertAll();
    }

    @Test
    void hostPortsAreUniqueAndEachReachesItsServicesOwnPort() {
        Map<Integer, String> taken = new HashMap<>();
        for (String service : services.keySet()) {
            for (PortMapping p : ports(service)) {
                if (CONTAINER_PORTS.containsKey(service)) {
                    assertThat(p.container()).as("%s publishes its own port", service).isEqualTo(CONTAINER_PORTS.get(service));
                }
                if (p.host() != null) {
                    String other = taken.putIfAbsent(p.host(), service);
                    assertThat(other).as("host port %d is published by %s and %s", p.host(), other, service).isNull();
                }
            }
        }
        for (String service : List.of("app", "prometheus", "alertmanager", "grafana")) {
            assertThat(ports(service)).as("%s is reachable from the host", service).anyMatch(p -> p.host() != null);
        }
    }

    @Test
    void theAppUsesTheComposePostgresWithTheCredentialsItDeclares() {
        Map<String, String> app = environment("app");
        Map<String, String> postgres = environment("postgres");
        assertThat(app).containsKey("WORKFORCE_DATABASE_URL");
        DatabaseLocation db = DatabaseLocation.parse(app.get("WORKFORCE_DATABASE_URL"),
                app.get("WORKFORCE_DATABASE_USERNAME"), app.get("WORKFORCE_DATABASE_PASSWORD"));

        assertThat(db.host()).as("the database host is the compose service").isEqualTo("postgres");
        assertThat(services).containsKey(db.host());
        assertThat(db.port()).isEqualTo(CONTAINER_PORTS.get("postgres"));
        assertThat(postgres).containsKeys("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");
        assertThat(db.database()).isEqualTo(postgres.get("POSTGRES_DB"));
        assertThat(db.username()).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(db.password()).isEqualTo(postgres.get("POSTGRES_PASSWORD"));

        assertThat(dependsOn("app")).as("the app starts once PostgreSQL accepts connections")
                .containsEntry("postgres", "service_healthy");
    }

    @Test
    void dependenciesAreServicesAndThoseAwaitedAsHealthyHaveAHealthCheck() {
        for (String service : services.keySet()) {
            dependsOn(service).forEach((dependency, condition) -> {
                assertThat(services).as("%s depends on %s", service, dependency).containsKey(dependency);
                if (condition.equals("service_healthy")) {
                    assertThat(hasHealthCheck(dependency)).as("%s waits for %s to be healthy", service, dependency).isTrue();
                }
            });
        }
    }

    @Test
    void theAppIsBuiltFromTheDockerfileWhichExposesItsPortAndRunsAsAnOrdinaryUser() {
        Path dockerfile = dockerfile("app").orElseThrow(() -> new AssertionError("the app is built, not pulled"));
        assertThat(dockerfile).exists();
        List<String[]> finalStage = finalStage(dockerfile);
        int appPort = CONTAINER_PORTS.get("app");

        assertThat(instructions(finalStage, "EXPOSE").flatMap(args -> Arrays.stream(args.split("\\s+")))
                .map(port -> port.replaceFirst("/tcp$", ""))).contains(String.valueOf(appPort));
        List<String> users = instructions(finalStage, "USER").toList();
        assertThat(users).as("the final stage sets a USER").isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        assertThat(user).as("the service does not run as root").isNotIn("root", "0");

        // the compose file overrides no port, so the app listens where application.yml says
        assertThat(environment("app")).doesNotContainKey("SERVER_PORT");
        Object serverPort = map(map(yaml(ROOT.resolve("src/main/resources/application.yml"))).get("server")).get("port");
        assertThat(serverPort).isEqualTo(appPort);
    }

    @Test
    void prometheusScrapesTheAppAndSendsAlertsToAlertmanager() {
        String configFile = flag("prometheus", "config.file").orElse("/etc/prometheus/prometheus.yml");
        Map<String, Object> prometheus = map(yaml(hostPath("prometheus", configFile)));
        String app = "app:" + CONTAINER_PORTS.get("app");

        List<Map<String, Object>> scrapes = list(prometheus.get("scrape_configs")).stream().map(ComposeFileTest::map).toList();
        assertThat(scrapes).as("a scrape job reads %s/actuator/prometheus", app).anySatisfy(job -> {
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            assertThat(targets(job.get("static_configs"))).contains(app);
        });

        Map<String, Object> alerting = map(prometheus.get("alerting"));
        List<String> alertmanagers = list(alerting.get("alertmanagers")).stream()
                .flatMap(am -> targets(map(am).get("static_configs")).stream()).toList();
        assertThat(alertmanagers).contains("alertmanager:" + CONTAINER_PORTS.get("alertmanager"));

        // rule files are read inside the container, relative to the configuration file
        String configDir = configFile.substring(0, configFile.lastIndexOf('/'));
        assertThat(list(prometheus.get("rule_files"))).as("rule files").isNotEmpty().allSatisfy(pattern -> {
            String glob = pattern.toString().startsWith("/") ? pattern.toString() : configDir + "/" + pattern;
            int folderEnd = glob.lastIndexOf('/', firstWildcard(glob));
            List<Path> files = matches(hostPath("prometheus", glob.substring(0, folderEnd)), glob.substring(folderEnd + 1));
            assertThat(files).as("files matching %s", pattern).isNotEmpty();
        });

        // alerts link to the built-in dashboard: a browser on the host must reach it
        URI dashboard = URI.create(String.valueOf(map(map(prometheus.get("global")).get("external_labels")).get("dashboard_url")));
        assertThat(dashboard.getHost()).isEqualTo("localhost");
        assertThat(ports("app")).extracting(PortMapping::host).contains(dashboard.getPort());
    }

    @Test
    void alertmanagerFindsItsConfiguration() {
        String config = flag("alertmanager", "config.file").orElse("/etc/alertmanager/alertmanager.yml");
        assertThat(hostPath("alertmanager", config)).isRegularFile();
    }

    @Test
    void grafanaReadsTheComposePrometheusAndFindsItsDashboards() {
        Path provisioning = hostPath("grafana", "/etc/grafana/provisioning");

        List<Map<String, Object>> datasources = yamlFiles(provisioning.resolve("datasources")).stream()
                .flatMap(f -> list(map(yaml(f)).get("datasources")).stream()).map(ComposeFileTest::map)
                .filter(ds -> "prometheus".equals(ds.get("type"))).toList();
        assertThat(datasources).as("Prometheus datasources").isNotEmpty().allSatisfy(ds -> {
            URI url = URI.create(String.valueOf(ds.get("url")));
            assertThat(url.getHost()).isEqualTo("prometheus");
            assertThat(url.getPort()).isEqualTo(CONTAINER_PORTS.get("prometheus"));
        });

        List<Map<String, Object>> providers = yamlFiles(provisioning.resolve("dashboards")).stream()
                .flatMap(f -> list(map(yaml(f)).get("providers")).stream()).map(ComposeFileTest::map).toList();
        assertThat(providers).as("dashboard providers").isNotEmpty().allSatisfy(provider -> {
            Path folder = hostPath("grafana", String.valueOf(map(provider.get("options")).get("path")));
            assertThat(matches(folder, "**.json")).as("dashboards in %s", folder).isNotEmpty();
        });

        String home = environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).as("Grafana opens on a home dashboard").isNotNull();
        assertThat(hostPath("grafana", home)).isRegularFile();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the compose file

    private record Mount(String source, String target, boolean bind) {
    }

    private record PortMapping(Integer host, int container) {
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    /** Volumes in short ({@code ./x:/y:ro}, {@code name:/y}) or long syntax. */
    private static List<Mount> mounts(String service) {
        List<Mount> mounts = new ArrayList<>();
        for (Object v : list(service(service).get("volumes"))) {
            if (v instanceof String s) {
                String[] parts = s.split(":");
                String source = parts.length > 1 ? parts[0] : null;
                String target = parts.length > 1 ? parts[1] : parts[0];
                mounts.add(new Mount(source, target, source != null && isPath(source)));
            } else {
                Map<String, Object> m = map(v);
                String source = (String) m.get("source");
                mounts.add(new Mount(source, (String) m.get("target"),
                        "bind".equals(m.get("type")) || (m.get("type") == null && source != null && isPath(source))));
            }
        }
        return mounts;
    }

    private static boolean isPath(String source) {
        return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
    }

    /** Where a path inside the service's container comes from on the host, through its bind mounts. */
    private static Path hostPath(String service, String containerPath) {
        Mount mount = mounts(service).stream().filter(Mount::bind)
                .filter(m -> containerPath.equals(m.target()) || containerPath.startsWith(m.target() + "/"))
                .max((a, b) -> Integer.compare(a.target().length(), b.target().length()))
                .orElseThrow(() -> new AssertionError(service + " mounts nothing from the project at " + containerPath));
        String below = containerPath.substring(mount.target().length()).replaceFirst("^/", "");
        return ROOT.resolve(mount.source()).resolve(below).normalize();
    }

    /** Ports in short ({@code "8080:8080"}, {@code "127.0.0.1:8080:8080/tcp"}, {@code "8080"}) or long syntax. */
    private static List<PortMapping> ports(String service) {
        List<PortMapping> ports = new ArrayList<>();
        for (Object p : list(service(service).get("ports"))) {
            if (p instanceof Map<?, ?> m) {
                Object published = m.get("published");
                ports.add(new PortMapping(published == null ? null : Integer.valueOf(published.toString()),
                        Integer.parseInt(m.get("target").toString())));
            } else {
                String[] parts = p.toString().replaceFirst("/(tcp|udp)$", "").split(":");
                Integer host = parts.length > 1 ? Integer.valueOf(parts[parts.length - 2]) : null;
                ports.add(new PortMapping(host, Integer.parseInt(parts[parts.length - 1])));
            }
        }
        return ports;
    }

    /** The environment as a map (list or map syntax), with {@code ${VAR:-default}} read as its default. */
    private static Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> vars = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> vars.put(k.toString(), v == null ? null : v.toString()));
        } else {
            for (Object entry : list(env)) {
                String[] kv = entry.toString().split("=", 2);
                vars.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        vars.replaceAll((k, v) -> v == null ? null : v.replaceAll("\\$\\{[A-Za-z0-9_]+:?-([^}]*)}", "$1"));
        return vars;
    }

    /** Each dependency with its condition ({@code service_started} for the short syntax). */
    private static Map<String, String> dependsOn(String service) {
        Object deps = service(service).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (deps instanceof Map<?, ?> m) {
            m.forEach((name, spec) -> conditions.put(name.toString(),
                    String.valueOf(map(spec).getOrDefault("condition", "service_started"))));
        } else {
            list(deps).forEach(name -> conditions.put(name.toString(), "service_started"));
        }
        return conditions;
    }

    /** The value of a {@code --name=value} argument of the service's command. */
    private static Optional<String> flag(String service, String name) {
        Object command = service(service).get("command");
        List<String> args = command instanceof String s ? List.of(s.trim().split("\\s+"))
                : list(command).stream().map(Object::toString).toList();
        return args.stream().filter(a -> a.startsWith("--" + name + "=")).map(a -> a.substring(name.length() + 3)).findFirst();
    }

    private static boolean hasHealthCheck(String service) {
        if (service(service).get("healthcheck") != null) {
            return !Boolean.TRUE.equals(map(service(service).get("healthcheck")).get("disable"));
        }
        return dockerfile(service).filter(Files::exists)
                .map(f -> instructions(finalStage(f), "HEALTHCHECK").anyMatch(args -> !args.startsWith("NONE")))
                .orElse(false);
    }

    private static Optional<Path> dockerfile(String service) {
        Object build = service(service).get("build");
        if (build == null) {
            return Optional.empty();
        }
        if (build instanceof String context) {
            return Optional.of(ROOT.resolve(context).resolve("Dockerfile").normalize());
        }
        Map<String, Object> b = map(build);
        Path context = ROOT.resolve(String.valueOf(b.getOrDefault("context", ".")));
        return Optional.of(context.resolve(String.valueOf(b.getOrDefault("dockerfile", "Dockerfile"))).normalize());
    }

    private static List<String> targets(Object staticConfigs) {
        return list(staticConfigs).stream().flatMap(sc -> list(map(sc).get("targets")).stream()).map(Object::toString).toList();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the Dockerfile: instructions as {KEYWORD, arguments}, continuation lines joined

    private static List<String[]> finalStage(Path dockerfile) {
        String text = read(dockerfile).replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\s*\\n", " ");
        List<String[]> stage = new ArrayList<>();
        for (String line : text.split("\\n")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts[0].equalsIgnoreCase("FROM")) {
                stage.clear();
            }
            if (!parts[0].isEmpty()) {
                stage.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1].trim() : ""});
            }
        }
        assertThat(stage).as("%s has a FROM", dockerfile).isNotEmpty();
        return stage;
    }

    private static Stream<String> instructions(List<String[]> stage, String keyword) {
        return stage.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]);
    }

    // ---------------------------------------------------------------------------------------------
    // Files and YAML

    private static Object yaml(Path file) {
        assertThat(file).as("%s", ROOT.relativize(file)).isRegularFile();
        return new Yaml().load(read(file));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> yamlFiles(Path folder) {
        assertThat(folder).as("%s", ROOT.relativize(folder)).isDirectory();
        return Stream.concat(matches(folder, "*.yml").stream(), matches(folder, "*.yaml").stream()).toList();
    }

    private static int firstWildcard(String glob) {
        int i = 0;
        while (i < glob.length() && "*?[{".indexOf(glob.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    /** Files matching a glob relative to a folder, as Prometheus and Grafana read them. */
    private static List<Path> matches(Path folder, String glob) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> matcher.matches(folder.relativize(f))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }
}
