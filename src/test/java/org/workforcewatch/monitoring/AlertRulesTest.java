package org.workforcewatch.monitoring;

import static java.util.stream.Collectors.toCollection;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerting configuration is code: Prometheus' and Alertmanager's own tools check it, promtool runs the rule
 * unit tests in prometheus/tests/, and amtool shows who receives which alert. The tools come from the Debian
 * packages prometheus and prometheus-alertmanager.
 */
class AlertRulesTest {

    private static final Path PROMETHEUS_CONFIG = Path.of("prometheus", "prometheus.yml");
    private static final Path RULES = Path.of("prometheus", "rules", "workforce-alerts.yml");
    private static final Path RULE_TESTS = Path.of("prometheus", "tests");
    private static final Path ALERTMANAGER_CONFIG = Path.of("alertmanager", "alertmanager.yml");

    /** A number standing on its own, not part of a name like workforce_ooh_cover_gap_next_7_days_shifts. */
    private static final Pattern BARE_NUMBER = Pattern.compile("(?<![\\w.])\\d+(\\.\\d+)?(?![\\w.])");

    // --- Prometheus ---------------------------------------------------------------------------------------

    @Test
    void prometheusConfigIsValidAndLoadsTheRuleFile() {
        Run check = run("promtool", "check", "config", PROMETHEUS_CONFIG.toString());

        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.stdout()).as(check.describe())
                .contains("SUCCESS: 1 rule files found")
                .contains("SUCCESS: " + alertingRules().size() + " rules found");
    }

    @Test
    void rulesPassPromtoolsCheckIncludingItsLint() {
        Run check = run("promtool", "check", "rules", RULES.toString());

        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.stdout()).as(check.describe()).contains("SUCCESS: " + alertingRules().size() + " rules found");
    }

    @Test
    void ruleUnitTestsPass() {
        List<Path> files = ruleTestFiles();
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        files.forEach(f -> command.add(f.toString()));

        Run tests = run(command.toArray(String[]::new));

        assertThat(tests.exitCode()).as(tests.describe()).isZero();
        assertThat(tests.stdout().split("SUCCESS", -1)).as(tests.describe()).hasSize(files.size() + 1);
        assertThat(tests.stdout()).as(tests.describe()).doesNotContain("FAILED");
    }

    @Test
    void everyRuleIsSeenFiringInAUnitTestAtItsOwnSeverityAndSeenQuietToo() {
        Set<String> rules = alertingRules().stream()
                .map(r -> r.get("alert") + " " + labels(r).get("severity"))
                .collect(toCollection(TreeSet::new));
        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Map<String, Object> check : alertChecks()) {
            List<Map<String, Object>> expected = list(check.get("exp_alerts"));
            if (expected.isEmpty()) {
                quiet.add((String) check.get("alertname"));
            }
            expected.forEach(a -> fired.add(check.get("alertname") + " " + map(a.get("exp_labels")).get("severity")));
        }

        assertThat(fired).as("alert and severity of each rule expected to fire in prometheus/tests/").containsAll(rules);
        assertThat(quiet).as("alerts with an evaluation that expects nothing (before the for: window, or a case that"
                + " must not fire)").containsAll(alertingRules().stream().map(r -> (String) r.get("alert")).toList());
    }

    @Test
    void indicatorRulesCompareEachTeamWithItsOwnThresholdGaugeNeverAWrittenNumber() {
        List<Map<String, Object>> indicatorRules = alertingRules().stream()
                .filter(r -> labels(r).containsKey("indicator")).toList();
        assertThat(indicatorRules).hasSizeGreaterThanOrEqualTo(16);

        for (Map<String, Object> rule : indicatorRules) {
            String expr = ((String) rule.get("expr")).strip();
            String severity = labels(rule).get("severity");
            String withoutStrings = expr.replaceAll("\"[^\"]*\"", "\"\"");

            assertThat(BARE_NUMBER.matcher(withoutStrings).results().map(MatchResult::group).toList())
                    .as("numbers in the expression of %s %s: %s", rule.get("alert"), severity, expr).isEmpty();
            assertThat(expr).as("%s %s", rule.get("alert"), severity)
                    .contains(" >= ignoring(severity) ")
                    .endsWith("_threshold{severity=\"" + severity + "\"}");
            assertThat(rule.get("for")).as("for: of %s %s", rule.get("alert"), severity).isNotNull();
        }
    }

    @Test
    void everyAlertSaysWhatIsWrongInWordsAndIsAmberOrRed() {
        for (Map<String, Object> rule : alertingRules()) {
            Map<String, String> annotations = strings(rule.get("annotations"));

            assertThat(labels(rule).get("severity")).as("severity of %s", rule.get("alert")).isIn("amber", "red");
            assertThat(annotations.get("summary")).as("summary of %s", rule.get("alert")).isNotBlank();
            assertThat(annotations.get("description")).as("description of %s", rule.get("alert"))
                    .contains("What to look at");
        }
    }

    /** The rule tests render the links with the base URL Prometheus really has, so they show what people will get. */
    @Test
    void teamAlertsLinkToTheTeamsPageOnTheConfiguredDashboard() {
        Map<String, Object> global = map(yaml(PROMETHEUS_CONFIG).get("global"));
        String dashboardUrl = strings(global.get("external_labels")).get("dashboard_url");
        assertThat(dashboardUrl).startsWith("http");

        alertingRules().stream().filter(r -> labels(r).containsKey("indicator")).forEach(rule ->
                assertThat(strings(rule.get("annotations")).get("dashboard")).as("dashboard link of %s", rule.get("alert"))
                        .isEqualTo("{{ $externalLabels.dashboard_url }}/teams/{{ $labels.team }}"));
        List<Map<String, Object>> groupsWithLinks = ruleTestFiles().stream()
                .flatMap(f -> list(yaml(f).get("tests")).stream())
                .filter(t -> list(t.get("alert_rule_test")).stream()
                        .flatMap(c -> list(c.get("exp_alerts")).stream())
                        .anyMatch(a -> map(a.get("exp_annotations")).containsKey("dashboard")))
                .toList();
        assertThat(groupsWithLinks).isNotEmpty().allSatisfy(t ->
                assertThat(strings(t.get("external_labels")).get("dashboard_url")).as("dashboard_url of test %s", t.get("name"))
                        .isEqualTo(dashboardUrl));
    }

    // --- Alertmanager -------------------------------------------------------------------------------------

    @Test
    void alertmanagerConfigIsValid() {
        Run check = run("amtool", "check-config", ALERTMANAGER_CONFIG.toString());

        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.stdout()).as(check.describe()).contains("SUCCESS");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            alertname=TeamCaseloadPerFteHigh; severity=red; indicator=caseload_per_fte; service=Safeguarding; team=T05 | on-call, head-of-service-safeguarding
            alertname=TeamCaseloadPerFteHigh; severity=amber; indicator=caseload_per_fte; service=Safeguarding; team=T05 | performance-team, head-of-service-safeguarding
            alertname=TeamAgencyRateHigh; severity=amber; indicator=agency_rate; service=Front Door; team=T01 | performance-team, head-of-service-front-door
            alertname=TeamOutOfHoursCoverGap; severity=red; indicator=ooh_cover_gap; service=Front Door; team=T04 | on-call, head-of-service-front-door
            alertname=TeamVacancyRateHigh; severity=amber; indicator=vacancy_rate; service=Children in Care; team=T11 | performance-team, head-of-service-children-in-care
            alertname=TeamPaCaseloadPerFteHigh; severity=red; indicator=pa_caseload_per_fte; service=Care Leavers; team=T16 | on-call, head-of-service-care-leavers
            alertname=TeamSupervisionOverdue; severity=amber; indicator=supervision_overdue; service=Disabled Children; team=T18 | performance-team, head-of-service-disabled-children
            alertname=TeamReferralsWaitingForAllocation; severity=red; indicator=allocation_wait; service=Youth Justice; team=T30 | on-call
            alertname=WorkforceDataStale; severity=amber; dataset=staff; job=workforce-watch | operations
            alertname=WorkforceDataNeverLoaded; severity=amber; dataset=training; job=workforce-watch | operations
            alertname=WorkforceWatchDown; severity=red; job=workforce-watch; instance=app:8080 | operations
            alertname=WorkforceWatchTargetMissing; severity=red; job=workforce-watch | operations
            """)
    void alertsReachTheReceiversOfTheirSeverityAndService(String labels, String receivers) {
        List<String> command = new ArrayList<>(List.of("amtool", "config", "routes", "test",
                "--config.file=" + ALERTMANAGER_CONFIG));
        Arrays.stream(labels.split(";")).map(String::strip).forEach(command::add);

        Run routes = run(command.toArray(String[]::new));

        assertThat(routes.exitCode()).as(routes.describe()).isZero();
        assertThat(routes.stdout().strip().split(",")).as(routes.describe())
                .containsExactly(receivers.split(",\\s*"));
    }

    @Test
    void everyReceiverIsAPlaceholderWebhookThatAlsoReportsResolvedAlerts() {
        List<Map<String, Object>> receivers = list(yaml(ALERTMANAGER_CONFIG).get("receivers"));
        assertThat(receivers).isNotEmpty();

        for (Map<String, Object> receiver : receivers) {
            List<Map<String, Object>> webhooks = list(receiver.get("webhook_configs"));
            assertThat(webhooks).as("webhooks of %s", receiver.get("name")).isNotEmpty();
            webhooks.forEach(w -> {
                assertThat((String) w.get("url")).as("url of %s", receiver.get("name")).startsWith("http://alert-webhook:9099/");
                assertThat(w.get("send_resolved")).as("send_resolved of %s", receiver.get("name")).isEqualTo(true);
            });
        }
    }

    /** A renamed alert would otherwise silently slip out of its route or inhibit rule. */
    @Test
    void alertNamesThatAlertmanagerMatchesExistInTheRules() throws IOException {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("alertname\\s*!?=~?\\s*\\\\?\"([^\"\\\\]+)").matcher(Files.readString(ALERTMANAGER_CONFIG));
        while (m.find()) {
            named.addAll(Arrays.asList(m.group(1).split("\\|")));
        }
        assertThat(named).isNotEmpty();

        assertThat(alertingRules().stream().map(r -> (String) r.get("alert")).collect(toSet())).containsAll(named);
    }

    // --- Reading the files --------------------------------------------------------------------------------

    private static List<Map<String, Object>> alertingRules() {
        return list(yaml(RULES).get("groups")).stream()
                .flatMap(g -> list(g.get("rules")).stream())
                .filter(r -> r.containsKey("alert"))
                .toList();
    }

    /** Every alert_rule_test entry (alertname, eval_time, exp_alerts) of every rule test file. */
    private static List<Map<String, Object>> alertChecks() {
        return ruleTestFiles().stream()
                .flatMap(f -> list(yaml(f).get("tests")).stream())
                .flatMap(t -> list(t.get("alert_rule_test")).stream())
                .toList();
    }

    private static List<Path> ruleTestFiles() {
        try (Stream<Path> files = Files.list(RULE_TESTS)) {
            List<Path> yml = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
            assertThat(yml).as("promtool test files in " + RULE_TESTS.toAbsolutePath()).isNotEmpty();
            return yml;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> labels(Map<String, Object> rule) {
        return strings(rule.get("labels"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return yaml == null ? Map.of() : (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object yaml) {
        return yaml == null ? Map.of() : (Map<String, String>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object yaml) {
        return yaml == null ? List.of() : (List<Map<String, Object>>) yaml;
    }

    // --- Running the tools --------------------------------------------------------------------------------

    private static final Map<String, String> DEBIAN_PACKAGE = Map.of(
            "promtool", "prometheus",
            "amtool", "prometheus-alertmanager");

    record Run(String command, int exitCode, String stdout, String stderr) {
        String describe() {
            return command + " exited " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs a tool from the project root with a time limit; its output goes to files so a full pipe cannot stall it. */
    private static Run run(String... command) {
        String tool = command[0];
        boolean installed = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!installed) {
            fail(tool + " is not on the PATH: install the Debian package " + DEBIAN_PACKAGE.get(tool)
                    + " (apt-get install " + DEBIAN_PACKAGE.get(tool) + ")");
        }
        String line = String.join(" ", command);
        try {
            Path out = Files.createTempFile("alert-tool", ".out");
            Path err = Files.createTempFile("alert-tool", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(line + " did not finish within 60 s\n" + Files.readString(out) + Files.readString(err));
                }
                return new Run(line, process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + line, e);
        }
    }
}
