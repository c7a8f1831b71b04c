package org.workforcewatch.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.workforcewatch.indicators.Indicator;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provisioned Grafana dashboards are code: every panel reads the provisioned Prometheus through the
 * datasource variable, states its unit, colours indicators by the severity the service computed and rates over
 * {@code $__rate_interval}.
 */
class GrafanaDashboardsTest {

    static final Path DASHBOARDS = Path.of("grafana/dashboards");
    static final String DATASOURCE_UID = "workforce-prometheus";
    private static final String DATASOURCE_REF = "${datasource}";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A dashboard file and its JSON. */
    record Dashboard(String file, JsonNode json) {

        static List<Dashboard> all() {
            try (Stream<Path> files = Files.list(DASHBOARDS)) {
                return files.filter(f -> f.toString().endsWith(".json")).sorted()
                        .map(f -> new Dashboard(f.getFileName().toString(), JSON.readTree(read(f)))).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every panel, those inside collapsed rows included. */
        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            for (JsonNode panel : json.path("panels")) {
                panels.add(panel);
                panel.path("panels").forEach(panels::add);
            }
            return panels;
        }

        List<Query> queries() {
            return panels().stream().flatMap(p -> p.path("targets").valueStream()
                    .map(t -> new Query(file, p.path("title").asString(), t.path("refId").asString(), t.path("expr").asString())))
                    .toList();
        }

        JsonNode variable(String name) {
            return json.path("templating").path("list").valueStream().filter(v -> name.equals(v.path("name").asString()))
                    .findFirst().orElse(null);
        }
    }

    /** One panel query. */
    record Query(String dashboard, String panel, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId + ": " + expr;
        }
    }

    private final List<Dashboard> dashboards = Dashboard.all();

    @Test
    void theFiveDashboardsKeepTheirUidsAndLinkToEachOther() {
        assertThat(dashboards).extracting(d -> d.json().path("uid").asString()).containsExactlyInAnyOrder(
                "workforce-head-of-service", "workforce-hr-agency", "workforce-care-leavers", "workforce-practice",
                "workforce-data-freshness");
        for (Dashboard d : dashboards) {
            assertThat(d.json().path("title").asString()).as(d.file()).isNotBlank();
            assertThat(d.json().path("id").isMissingNode() || d.json().path("id").isNull()).as(d.file() + ": no database id").isTrue();
            assertThat(d.json().path("schemaVersion").asInt()).as(d.file()).isEqualTo(39);
            assertThat(d.json().path("tags").valueStream().map(JsonNode::asString)).as(d.file()).contains("workforce-watch");
            assertThat(d.json().path("links").valueStream()
                    .filter(l -> "dashboards".equals(l.path("type").asString()))
                    .flatMap(l -> l.path("tags").valueStream()).map(JsonNode::asString))
                    .as(d.file() + ": links to the other dashboards by their tag").contains("workforce-watch");
        }
    }

    @Test
    void everyPanelAndQueryReadsTheDatasourceVariableWhichDefaultsToTheProvisionedPrometheus() {
        SoftAssertions soft = new SoftAssertions();
        for (Dashboard d : dashboards) {
            JsonNode variable = d.variable("datasource");
            soft.assertThat(variable).as(d.file() + ": datasource variable").isNotNull();
            if (variable != null) {
                soft.assertThat(variable.path("type").asString()).as(d.file()).isEqualTo("datasource");
                soft.assertThat(variable.path("query").asString()).as(d.file()).isEqualTo("prometheus");
                soft.assertThat(variable.path("current").path("value").asString()).as(d.file()).isEqualTo(DATASOURCE_UID);
            }
            for (JsonNode v : d.json().path("templating").path("list")) {
                if ("query".equals(v.path("type").asString())) {
                    assertReadsTheVariable(soft, d.file() + " variable " + v.path("name").asString(), v.path("datasource"));
                }
            }
            for (JsonNode panel : d.panels()) {
                if (!"row".equals(panel.path("type").asString())) {
                    String where = d.file() + " / " + panel.path("title").asString();
                    assertReadsTheVariable(soft, where, panel.path("datasource"));
                    soft.assertThat(panel.path("targets").size()).as(where + ": queries").isPositive();
                    panel.path("targets").forEach(t -> assertReadsTheVariable(soft, where + " / " + t.path("refId").asString(),
                            t.path("datasource")));
                }
            }
        }
        soft.assertAll();
    }

    private static void assertReadsTheVariable(SoftAssertions soft, String where, JsonNode datasource) {
        soft.assertThat(datasource.path("type").asString()).as(where + ": datasource type").isEqualTo("prometheus");
        soft.assertThat(datasource.path("uid").asString()).as(where + ": datasource uid").isEqualTo(DATASOURCE_REF);
    }

    @Test
    void dashboardsFilteringByServiceOrTeamOfferThoseVariablesAsMultiSelectionsWithAll() {
        Map<String, String> sources = Map.of(
                "service", "label_values(workforce_caseload_per_fte_denominator, service)",
                "team", "label_values(workforce_caseload_per_fte_denominator{service=~\"$service\"}, team)");
        SoftAssertions soft = new SoftAssertions();
        for (Dashboard d : dashboards) {
            for (String name : sources.keySet()) {
                List<Query> using = d.queries().stream().filter(q -> q.expr().matches("(?s).*\\$\\{?" + name + "\\b.*")).toList();
                if (using.isEmpty()) {
                    continue;
                }
                JsonNode variable = d.variable(name);
                soft.assertThat(variable).as(d.file() + " uses $" + name + " and defines it").isNotNull();
                if (variable != null) {
                    soft.assertThat(variable.path("query").asString()).as(d.file() + " $" + name).isEqualTo(sources.get(name));
                    soft.assertThat(variable.path("multi").asBoolean()).as(d.file() + " $" + name + " multi").isTrue();
                    soft.assertThat(variable.path("includeAll").asBoolean()).as(d.file() + " $" + name + " all").isTrue();
                }
                // A multi-value variable becomes a regular expression (a|b): only a regex matcher can take it.
                for (Query q : using) {
                    soft.assertThat(q.expr().replace(name + "=~\"$" + name + "\"", ""))
                            .as(q + ": $" + name + " only in " + name + "=~\"$" + name + "\"").doesNotContain("$" + name, "${" + name);
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void everyPanelStatesTheUnitOfWhatItShows() {
        SoftAssertions soft = new SoftAssertions();
        for (Dashboard d : dashboards) {
            for (JsonNode panel : d.panels()) {
                if (!Set.of("row", "text").contains(panel.path("type").asString())) {
                    soft.assertThat(panel.path("fieldConfig").path("defaults").path("unit").asString(""))
                            .as(d.file() + " / " + panel.path("title").asString() + ": unit").isNotBlank();
                }
            }
        }
        soft.assertAll();
    }

    /**
     * Grafana never judges an indicator by thresholds of its own (they would ignore a team's own thresholds and
     * runtime changes): a panel or table column showing an indicator's value carries no amber or red steps, and the
     * colours come from workforce_indicator_severity, the severity the service computed, mapped 0/1/2 to Green, Amber
     * and Red in words and colours. Every stat of an indicator shows its worst team's severity beside the value, and
     * the overview's RAG by team covers every indicator.
     */
    @Test
    void indicatorPanelsTakeTheirColoursFromTheSeverityTheServiceComputed() {
        Map<String, Indicator> byGauge = indicatorGauges();
        SoftAssertions soft = new SoftAssertions();
        Set<Indicator> shown = new HashSet<>();
        for (Dashboard d : dashboards) {
            for (JsonNode panel : d.panels()) {
                String where = d.file() + " / " + panel.path("title").asString();
                List<JsonNode> targets = panel.path("targets").valueStream().toList();
                boolean table = "table".equals(panel.path("type").asString());
                for (JsonNode t : targets) {
                    Optional<Indicator> indicator = indicatorOf(t.path("expr").asString(), byGauge);
                    if (indicator.isEmpty()) {
                        continue;
                    }
                    shown.add(indicator.get());
                    JsonNode field = table ? override(panel, targets.size() == 1 ? "Value" : "Value #" + t.path("refId").asString())
                            : panel.path("fieldConfig").path("defaults");
                    if (table) {
                        soft.assertThat(field).as(where + ": column of " + indicator.get().id() + " is named and given a unit").isNotNull();
                    }
                    if (field != null) {
                        soft.assertThat(field.path("unit").asString()).as(where + ": unit of " + indicator.get().id())
                                .isEqualTo(indicator.get().unit() == Indicator.Unit.PERCENT ? "percentunit" : "short");
                        soft.assertThat(field.path("thresholds").path("steps").size()).as(where + ": " + indicator.get().id()
                                + " is coloured by no thresholds of Grafana's own").isLessThanOrEqualTo(1);
                    }
                    if ("stat".equals(panel.path("type").asString())) {
                        Optional<JsonNode> severity = targets.stream().filter(x -> x.path("expr").asString().equals(
                                "max(workforce_indicator_severity{level=\"team\", indicator=\"" + indicator.get().id()
                                        + "\", service=~\"$service\", team=~\"$team\"})")).findFirst();
                        soft.assertThat(severity).as(where + ": the worst team's severity beside the value").isPresent();
                        severity.ifPresent(x -> assertSeverityColours(soft, where, refIdOverride(panel, x.path("refId").asString())));
                    }
                }
                for (JsonNode t : targets) {
                    if (t.path("expr").asString().contains("workforce_indicator_severity") && table) {
                        assertSeverityColours(soft, where, panel.path("fieldConfig").path("defaults"));
                    }
                }
            }
        }
        soft.assertAll();
        assertThat(shown).as("indicators shown").containsExactlyInAnyOrder(Indicator.values());

        JsonNode rag = dashboards.stream().filter(d -> d.file().equals("head-of-service.json")).flatMap(d -> d.panels().stream())
                .filter(p -> "RAG by team".equals(p.path("title").asString())).findFirst().orElseThrow();
        assertThat(rag.path("targets").get(0).path("expr").asString())
                .isEqualTo("max by (team, indicator) (workforce_indicator_severity{level=\"team\", service=~\"$service\", team=~\"$team\"})");
        assertThat(rag.path("transformations").get(0).path("id").asString()).as("teams in rows, indicators in columns")
                .isEqualTo("groupingToMatrix");
        assertThat(rag.path("transformations").get(1).path("options").path("renameByName").propertyNames())
                .as("every indicator's column named").containsAll(Arrays.stream(Indicator.values()).map(Indicator::id).toList());
    }

    /**
     * A panel's description tells the reader where its colours come from: never from default thresholds, which
     * Grafana no longer holds, and a description that speaks of colour belongs to a panel reading the severity the
     * service computed.
     */
    @Test
    void panelDescriptionsNeverCreditColoursToThresholdsGrafanaDoesNotHold() {
        SoftAssertions soft = new SoftAssertions();
        int described = 0;
        for (Dashboard d : dashboards) {
            for (JsonNode panel : d.panels()) {
                String description = panel.path("description").asString("");
                if (description.isBlank()) {
                    continue;
                }
                described++;
                String where = d.file() + " / " + panel.path("title").asString();
                soft.assertThat(description).as(where).doesNotContainIgnoringCase("default threshold");
                if (description.toLowerCase().contains("colour")) {
                    soft.assertThat(panel.path("targets").valueStream().map(t -> t.path("expr").asString()))
                            .as(where + ": speaks of colour, so reads the service's severity")
                            .anyMatch(expr -> expr.contains("workforce_indicator_severity"));
                }
            }
        }
        soft.assertAll();
        assertThat(described).as("panels described").isGreaterThan(50);
    }

    private static void assertSeverityColours(SoftAssertions soft, String where, JsonNode field) {
        soft.assertThat(field).as(where + ": severity colours").isNotNull();
        if (field == null) {
            return;
        }
        JsonNode options = field.path("mappings").path(0).path("options");
        for (String[] s : new String[][] {{"0", "Green", "green"}, {"1", "Amber", "orange"}, {"2", "Red", "red"}}) {
            soft.assertThat(options.path(s[0]).path("text").asString()).as(where + ": severity " + s[0] + " in words").isEqualTo(s[1]);
            soft.assertThat(options.path(s[0]).path("color").asString()).as(where + ": severity " + s[0] + " in colour").isEqualTo(s[2]);
        }
    }

    /** The properties an override matching a query's frames sets, as a field config; null if none. */
    private static JsonNode refIdOverride(JsonNode panel, String refId) {
        for (JsonNode o : panel.path("fieldConfig").path("overrides")) {
            if ("byFrameRefID".equals(o.path("matcher").path("id").asString()) && refId.equals(o.path("matcher").path("options").asString())) {
                Map<String, Object> field = new HashMap<>();
                o.path("properties").forEach(p -> field.put(p.path("id").asString(), p.path("value")));
                return JSON.valueToTree(field);
            }
        }
        return null;
    }

    /**
     * A team matcher such as team=~".*" also matches the empty team label of service and authority risks: every
     * query of the active risks names the level it counts, or groups by it, so one problem never counts three times.
     */
    @Test
    void everyRiskQueryCountsOneLevelOrKeepsTheLevelsApart() {
        List<Query> risks = dashboards.stream().flatMap(d -> d.queries().stream())
                .filter(q -> q.expr().contains("workforce_risk_active")).toList();
        assertThat(risks).isNotEmpty().allSatisfy(q -> assertThat(q.expr()).as(q.toString())
                .containsAnyOf("level=\"team\"", "level=\"service\"", "level=\"authority\"", "by (level"));
    }

    /** The field config (defaults plus override properties) of a table column, or null if none names it. */
    private static JsonNode override(JsonNode panel, String column) {
        for (JsonNode o : panel.path("fieldConfig").path("overrides")) {
            if ("byName".equals(o.path("matcher").path("id").asString()) && column.equals(o.path("matcher").path("options").asString())) {
                Map<String, Object> field = new HashMap<>();
                o.path("properties").forEach(p -> field.put(p.path("id").asString(), p.path("value")));
                return JSON.valueToTree(field);
            }
        }
        return null;
    }

    /**
     * The indicator whose value an expression computes: it reads the value gauge, or both the numerator
     * and the denominator (a roll-up). A numerator alone (vacant FTE, care leavers) is a count, not the indicator.
     */
    static Optional<Indicator> indicatorOf(String expr, Map<String, Indicator> byGauge) {
        Set<String> metrics = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\bworkforce_[a-z0-9_]+").matcher(expr);
        while (m.find()) {
            metrics.add(m.group());
        }
        List<Indicator> found = byGauge.entrySet().stream().filter(e -> metrics.contains(e.getKey())
                        || metrics.containsAll(List.of(e.getKey() + "_numerator", e.getKey() + "_denominator")))
                .map(Map.Entry::getValue).toList();
        assertThat(found).as("one indicator in " + expr).hasSizeLessThanOrEqualTo(1);
        return found.stream().findFirst();
    }

    /** The value gauge of each indicator, from the table of docs/METRICS.md (the metrics contract). */
    static Map<String, Indicator> indicatorGauges() {
        Map<String, Indicator> byGauge = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| `(workforce_[a-z0-9_]+)` \\|").matcher(read(Path.of("docs/METRICS.md")));
        while (row.find()) {
            byGauge.put(row.group(2), Indicator.byId(row.group(1)).orElseThrow(() -> new AssertionError("unknown indicator in docs/METRICS.md")));
        }
        assertThat(byGauge.values()).as("docs/METRICS.md names a gauge for every indicator").containsExactlyInAnyOrder(Indicator.values());
        return byGauge;
    }

    @Test
    void ratesSpanTheRateIntervalAndIncreasesTheRateIntervalOrTheWholeRange() {
        Pattern call = Pattern.compile("\\b(rate|irate|increase)\\s*\\(");
        Pattern range = Pattern.compile("\\[([^\\]]*)\\]");
        SoftAssertions soft = new SoftAssertions();
        int rates = 0;
        for (Dashboard d : dashboards) {
            for (Query q : d.queries()) {
                Matcher m = call.matcher(q.expr());
                while (m.find()) {
                    String argument = argument(q.expr(), m.end());
                    Matcher r = range.matcher(argument);
                    String window = r.find() ? r.group(1) : "(none)";
                    Set<String> allowed = m.group(1).equals("increase") ? Set.of("$__rate_interval", "$__range") : Set.of("$__rate_interval");
                    soft.assertThat(window).as(q + ": range of " + m.group(1)).isIn(allowed);
                    rates++;
                }
                // No hard-coded window anywhere: it would ignore the time range and the scrape interval.
                Matcher r = range.matcher(q.expr());
                while (r.find()) {
                    soft.assertThat(r.group(1)).as(q + ": range").isIn("$__rate_interval", "$__range");
                }
            }
        }
        soft.assertAll();
        assertThat(rates).as("the import and event panels use rates").isPositive();
    }

    /** The text between the parenthesis opened just before {@code from} and its match. */
    private static String argument(String expr, int from) {
        int depth = 1;
        for (int i = from; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return expr.substring(from, i);
            }
        }
        throw new AssertionError("unbalanced parentheses in " + expr);
    }

    @Test
    void panelsHaveUniqueIdsAndFitTheGrid() {
        SoftAssertions soft = new SoftAssertions();
        for (Dashboard d : dashboards) {
            List<Integer> ids = d.panels().stream().map(p -> p.path("id").asInt()).toList();
            soft.assertThat(ids).as(d.file() + ": panel ids").doesNotHaveDuplicates().doesNotContain(0);
            for (JsonNode p : d.panels()) {
                JsonNode grid = p.path("gridPos");
                soft.assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(d.file() + " / " + p.path("title").asString())
                        .isBetween(1, 24);
                soft.assertThat(grid.path("h").asInt()).as(d.file() + " / " + p.path("title").asString()).isPositive();
            }
            soft.assertThat(d.queries()).as(d.file() + ": every query has an expression and a unique refId per panel")
                    .allSatisfy(q -> assertThat(q.expr()).isNotBlank());
            d.panels().forEach(p -> soft.assertThat(p.path("targets").valueStream().map(t -> t.path("refId").asString()).toList())
                    .as(d.file() + " / " + p.path("title").asString()).doesNotHaveDuplicates());
        }
        soft.assertAll();
    }

    @Test
    void provisioningPointsGrafanaAtThePrometheusAndLoadsTheseDashboards() {
        Map<String, Object> datasources = new Yaml().load(read(Path.of("grafana/provisioning/datasources/prometheus.yml")));
        List<?> list = (List<?>) datasources.get("datasources");
        assertThat(list).hasSize(1);
        Map<?, ?> prometheus = (Map<?, ?>) list.get(0);
        assertThat(prometheus.get("uid")).isEqualTo(DATASOURCE_UID);
        assertThat(prometheus.get("type")).isEqualTo("prometheus");
        assertThat(prometheus.get("url")).isEqualTo("http://prometheus:9090");

        Map<String, Object> dashboards = new Yaml().load(read(Path.of("grafana/provisioning/dashboards/workforce.yml")));
        List<?> providers = (List<?>) dashboards.get("providers");
        assertThat(providers).hasSize(1);
        Map<?, ?> provider = (Map<?, ?>) providers.get(0);
        assertThat(provider.get("type")).isEqualTo("file");
        assertThat(((Map<?, ?>) provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards");
        assertThat(Arrays.asList(DASHBOARDS.toFile().list())).as("dashboards to load").isNotEmpty();

        // $__rate_interval is computed from this: it must be Prometheus's scrape interval.
        Map<String, Object> scrape = new Yaml().load(read(Path.of("prometheus/prometheus.yml")));
        assertThat(((Map<?, ?>) prometheus.get("jsonData")).get("timeInterval")).as("the datasource's scrape interval")
                .isEqualTo(((Map<?, ?>) scrape.get("global")).get("scrape_interval"));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
