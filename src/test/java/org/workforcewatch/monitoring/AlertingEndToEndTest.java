package org.workforcewatch.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The whole alerting path with real programs: the service with the demo authority, Prometheus scraping it
 * with the shipped configuration and alert rules, and Alertmanager with the shipped routing, notifying a
 * webhook receiver here. Live events push one team over its red caseload threshold; the caseload alert
 * must reach the on-call and head-of-service receivers with the team's labels and a link to its page,
 * and its amber twin must be inhibited. Only timings are shortened (scrape and evaluation every second,
 * `for:` windows of 3 s, group waits of 1 s); rules, routes and receivers are the shipped ones.
 */
class AlertingEndToEndTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @LocalServerPort
    private int port;

    private WebhookReceiver webhook;
    private AlertmanagerServer alertmanager;
    private PrometheusServer prometheus;

    @BeforeEach
    void fullStack() throws Exception {
        DemoData.load(context);
        webhook = new WebhookReceiver();
        String routing = Files.readString(Path.of("alertmanager/alertmanager.yml"))
                .replace("http://alert-webhook:9099", webhook.url())
                .replaceAll("group_wait: *\\S+", "group_wait: 1s")
                .replaceAll("group_interval: *\\S+", "group_interval: 1s");
        alertmanager = AlertmanagerServer.start(routing);

        Path rules = Files.createTempDirectory("rules-").resolve("workforce-alerts.yml");
        Files.writeString(rules, Files.readString(Path.of("prometheus/rules/workforce-alerts.yml"))
                .replaceAll("(?m)^(\\s+)for: *\\S+", "$1for: 3s"));
        prometheus = PrometheusServer.start(shippedPrometheusConfig(), List.of(rules));
        Files.delete(rules);
        Files.delete(rules.getParent());
    }

    /** prometheus/prometheus.yml pointed at this service and this Alertmanager, evaluating every second. */
    @SuppressWarnings("unchecked")
    private String shippedPrometheusConfig() throws Exception {
        Map<String, Object> config = new Yaml().load(Files.readString(Path.of("prometheus/prometheus.yml")));
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        config.put("rule_files", List.of("workforce-alerts.yml"));
        List<Map<String, Object>> scrapes = (List<Map<String, Object>>) config.get("scrape_configs");
        Map<String, Object> app = scrapes.stream().filter(s -> "workforce-watch".equals(s.get("job_name"))).findFirst().orElseThrow();
        ((List<Map<String, Object>>) app.get("static_configs")).get(0).put("targets", List.of("127.0.0.1:" + port));
        Map<String, Object> alerting = (Map<String, Object>) config.get("alerting");
        ((List<Map<String, Object>>) ((List<Map<String, Object>>) alerting.get("alertmanagers")).get(0).get("static_configs"))
                .get(0).put("targets", List.of(alertmanager.address()));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(config);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {prometheus, alertmanager, webhook}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Indicators(List<Map<String, Object>> indicators) {
    }

    @Test
    void eventsPushingATeamOverItsCaseloadThresholdReachOnCallAndTheHeadOfServiceWithTheTeamsLabels() {
        // a team at ok today, with a case-holding social worker in post
        Map<String, Object> team = web.get().uri("/api/indicators?level=team").exchange()
                .expectBody(Indicators.class).returnResult().getResponseBody().indicators().stream()
                .filter(i -> i.get("indicator").equals("caseload_per_fte") && "ok".equals(i.get("severity"))
                        && worker((String) i.get("scope")) != null)
                .findFirst().orElseThrow();
        String teamId = (String) team.get("scope");
        String service = (String) team.get("service");
        String worker = worker(teamId);

        // Prometheus has scraped the team and evaluated the rules: other teams' alerts are pending or firing
        prometheus.awaitSeries("workforce_caseload_per_fte{team=\"" + teamId + "\"}", Duration.ofSeconds(60));
        await("rules evaluated").atMost(Duration.ofSeconds(30)).until(() -> !prometheus.alerts().isEmpty());
        assertThat(caseloadAlerts(prometheus.alerts(), teamId)).isEmpty();

        double numerator = ((Number) team.get("numerator")).doubleValue();
        double fte = ((Number) team.get("denominator")).doubleValue();
        double red = ((Number) team.get("red")).doubleValue();
        int children = (int) Math.floor(red * fte - numerator) + 1;
        String today = LocalDate.now().toString();
        StringBuilder events = new StringBuilder();
        for (int c = 1; c <= children; c++) {
            events.append("{\"type\":\"allocation_started\",\"occurred_at\":\"").append(today)
                    .append("T09:00:00Z\",\"event_id\":\"e2e-").append(c).append("\",\"allocation_id\":\"E2E-A").append(c)
                    .append("\",\"child_id\":\"E2E-C").append(c).append("\",\"staff_id\":\"").append(worker)
                    .append("\",\"case_type\":\"cin\",\"start_date\":\"").append(today).append("\"}\n");
        }
        web.post().uri("/api/events").contentType(MediaType.parseMediaType("application/x-ndjson")).bodyValue(events.toString())
                .exchange().expectStatus().isOk();

        List<WebhookReceiver.Notification> delivered = await("the caseload alert for " + teamId + " at a webhook")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> webhook.received().stream().filter(n -> !caseloadAlerts(n.payload().path("alerts"), teamId).isEmpty()).toList(),
                        list -> list.stream().map(WebhookReceiver.Notification::path).distinct().count() >= 2);

        JsonNode alert = caseloadAlerts(delivered.get(0).payload().path("alerts"), teamId).get(0);
        assertThat(alert.path("status").asString()).isEqualTo("firing");
        assertThat(alert.path("labels").path("severity").asString()).isEqualTo("red");
        assertThat(alert.path("labels").path("indicator").asString()).isEqualTo("caseload_per_fte");
        assertThat(alert.path("labels").path("service").asString()).isEqualTo(service);
        assertThat(alert.path("labels").path("team_type").asString()).isNotEmpty();
        assertThat(alert.path("annotations").path("dashboard").asString()).endsWith("/teams/" + teamId);
        assertThat(alert.path("annotations").path("summary").asString()).contains(teamId).contains("red");
        assertThat(delivered).map(WebhookReceiver.Notification::path)
                .contains("/on-call", "/head-of-service-" + service.toLowerCase().replace(' ', '-'));
        // every notification of this team's caseload is the red one: amber is inhibited, never sent
        assertThat(webhook.received()).flatMap(n -> caseloadAlerts(n.payload().path("alerts"), teamId))
                .allSatisfy(a -> assertThat(a.path("labels").path("severity").asString()).isEqualTo("red"));
        JsonNode amber = await("the amber twin held by Alertmanager").atMost(Duration.ofSeconds(30))
                .until(() -> caseloadAlerts(alertmanager.alerts(), teamId).stream()
                        .filter(a -> a.path("labels").path("severity").asString().equals("amber")).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(amber.path("status").path("state").asString()).isEqualTo("suppressed");
        assertThat(amber.path("status").path("inhibitedBy")).isNotEmpty();
    }

    /** A case-holding social worker in post in the team, if there is one. */
    private String worker(String teamId) {
        return db.sql("SELECT staff_id FROM staff_spells WHERE team_id = :team AND case_holding"
                        + " AND role IN ('social_worker', 'senior_practitioner') AND start_date <= current_date"
                        + " AND (end_date IS NULL OR end_date >= current_date) ORDER BY staff_id LIMIT 1")
                .bind("team", teamId).map(r -> r.get("staff_id", String.class)).one().block();
    }

    private static List<JsonNode> caseloadAlerts(JsonNode alerts, String team) {
        return StreamSupport.stream(alerts.spliterator(), false)
                .filter(a -> a.path("labels").path("alertname").asString().equals("TeamCaseloadPerFteHigh")
                        && a.path("labels").path("team").asString().equals(team))
                .toList();
    }
}
