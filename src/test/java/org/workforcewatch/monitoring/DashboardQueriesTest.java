package org.workforcewatch.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.monitoring.GrafanaDashboardsTest.Dashboard;
import org.workforcewatch.monitoring.GrafanaDashboardsTest.Query;
import tools.jackson.databind.JsonNode;

/**
 * Every panel of every provisioned dashboard shows data: a real Prometheus scrapes the service while the
 * demo authority is loaded, and each panel query, with the variables filled in as Grafana would for
 * "All", is evaluated through the Prometheus HTTP API. An error or an empty answer fails.
 */
class DashboardQueriesTest extends ApiTest {

    /** What Grafana puts in place of its built-in variables, for a 1 s scrape interval. */
    private static final Map<String, String> BUILT_INS = Map.of(
            "$__rate_interval", "10s",
            "$__range", "1m",
            "$__interval", "2s");

    /**
     * Queries allowed to answer nothing with the demo authority, each with the reason the demo cannot
     * show it (key: dashboard file / panel title / refId).
     */
    private static final Map<String, String> EMPTY_WITH_THE_DEMO = Map.of();

    @Autowired
    private ApplicationContext context;

    @Value("${local.server.port}")
    private int port;

    @Test
    void everyPanelQueryOfEveryDashboardAnswersDataForTheDemoAuthority() {
        try (PrometheusServer prometheus = PrometheusServer.start(scrapeConfig())) {
            // Scraped once before the demo arrives, so its imports show as increases.
            prometheus.awaitSeries("workforce_imports_total", Duration.ofSeconds(30));
            List<ImportReceipt> receipts = DemoData.load(context);
            // The gauges describe the whole demo once indicators computed after its last import are scraped.
            Instant lastImport = receipts.stream().map(ImportReceipt::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
            prometheus.awaitSeries("workforce_indicators_computed_timestamp_seconds > "
                            + BigDecimal.valueOf(lastImport.toEpochMilli()).movePointLeft(3).toPlainString(),
                    Duration.ofMinutes(2));
            prometheus.awaitSeries("sum(increase(workforce_imports_total{outcome=\"succeeded\"}[5m])) > 0", Duration.ofSeconds(30));
            // Enough scrapes of the new figures for a rate over the window the panels use.
            prometheus.awaitSeries("count_over_time(workforce_caseload_per_fte_denominator[" + BUILT_INS.get("$__rate_interval")
                    + "]) >= 5", Duration.ofSeconds(30));

            List<String> failures = new ArrayList<>();
            List<String> stale = new ArrayList<>(EMPTY_WITH_THE_DEMO.keySet());
            int evaluated = 0;
            for (Dashboard d : Dashboard.all()) {
                Map<String, String> variables = allValues(d, prometheus, failures);
                for (Query q : d.queries()) {
                    String key = q.dashboard() + " / " + q.panel() + " / " + q.refId();
                    String promql = substitute(q.expr(), variables);
                    evaluated++;
                    try {
                        JsonNode result = prometheus.query(promql);
                        if (result.isEmpty() && !EMPTY_WITH_THE_DEMO.containsKey(key)) {
                            failures.add(key + ": no data for " + promql);
                        } else if (!result.isEmpty() && EMPTY_WITH_THE_DEMO.containsKey(key)) {
                            failures.add(key + ": answers data now; take it off EMPTY_WITH_THE_DEMO");
                        }
                        stale.remove(key);
                    } catch (IllegalStateException e) {
                        failures.add(key + ": " + e.getMessage());
                    }
                }
            }
            assertThat(evaluated).as("panel queries").isGreaterThan(50);
            assertThat(stale).as("EMPTY_WITH_THE_DEMO entries that name no query").isEmpty();
            assertThat(failures).as("panel queries that fail or show nothing (Prometheus log: " + prometheus.log() + ")").isEmpty();

            // The risk panels count what /api/risks lists, level by level: a problem counts once, not up to three times.
            Dashboard overview = Dashboard.all().stream().filter(d -> d.file().equals("head-of-service.json")).findFirst().orElseThrow();
            Map<String, String> variables = allValues(overview, prometheus, new ArrayList<>());
            Map<String, String> panels = Map.of("team", "Team risks", "service", "Service risks", "authority", "Authority risks");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, Integer> api = risksByLevel();
                assertThat(api.get("team")).as("the demo has team risks").isPositive();
                panels.forEach((level, title) -> assertThat(panelCount(overview, title, variables, prometheus))
                        .as(title + " against /api/risks").isEqualTo(api.get(level)));
                // every team risk in exactly one bar of the teams-at-risk-by-indicator panel
                Query byIndicator = overview.queries().stream().filter(q -> q.panel().equals("Teams at risk by indicator")).findFirst()
                        .orElseThrow();
                int bars = 0;
                for (JsonNode series : prometheus.query(substitute(byIndicator.expr(), variables))) {
                    bars += (int) Double.parseDouble(series.path("value").get(1).asString());
                }
                assertThat(bars).as("Teams at risk by indicator, summed").isEqualTo(api.get("team"));
            });
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Integer> risksByLevel() {
        List<Map<String, Object>> risks = (List<Map<String, Object>>) web.get().uri("/api/risks").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("risks");
        Map<String, Integer> counts = new HashMap<>(Map.of("team", 0, "service", 0, "authority", 0));
        risks.forEach(r -> counts.merge((String) r.get("level"), 1, Integer::sum));
        return counts;
    }

    /** The single number a stat panel's query gives now. */
    private static int panelCount(Dashboard d, String title, Map<String, String> variables, PrometheusServer prometheus) {
        Query q = d.queries().stream().filter(x -> x.panel().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError(d.file() + " has no panel " + title));
        JsonNode result = prometheus.query(substitute(q.expr(), variables));
        assertThat(result.size()).as(title + ": one number").isEqualTo(1);
        return (int) Double.parseDouble(result.get(0).path("value").get(1).asString());
    }

    /**
     * Each variable's value for "All": its allValue, once its own query has shown it offers choices
     * (label_values(selector, label) is what Grafana runs as group by (label) (selector)).
     */
    private static Map<String, String> allValues(Dashboard d, PrometheusServer prometheus, List<String> failures) {
        Map<String, String> values = new HashMap<>(BUILT_INS);
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
        for (JsonNode v : d.json().path("templating").path("list")) {
            if (!"query".equals(v.path("type").asString())) {
                continue;
            }
            String name = v.path("name").asString();
            Matcher m = labelValues.matcher(v.path("query").asString());
            assertThat(m.matches()).as(d.file() + " $" + name + " is label_values(…)").isTrue();
            String promql = substitute("group by (" + m.group(2) + ") (" + m.group(1) + ")", values);
            if (prometheus.query(promql).isEmpty()) {
                failures.add(d.file() + " $" + name + ": no choices from " + promql);
            }
            values.put("$" + name, v.path("allValue").asString());
        }
        return values;
    }

    /** Fills in $name and ${name}; longer names first, so $__range never eats into $__rate_interval. */
    private static String substitute(String expr, Map<String, String> values) {
        String result = expr;
        List<String> names = values.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) {
            result = result.replace("${" + name.substring(1) + "}", values.get(name)).replace(name, values.get(name));
        }
        return result;
    }

    private String scrapeConfig() {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: workforce-watch
                    metrics_path: /actuator/prometheus
                    authorization:
                      credentials_file: scrape-token
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port);
    }
}
