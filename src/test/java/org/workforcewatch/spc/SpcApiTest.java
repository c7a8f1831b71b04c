package org.workforcewatch.spc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.CsvTable;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.Indicator;

/** The XmR endpoints over the demo authority, checked against the indicators' own monthly series. */
class SpcApiTest extends ApiTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private ApplicationContext context;

    @Test
    void chartsAreTheSeriesMonthEndsWithLimitsFromTheirScreenedMovingRangesAndVerdictsForEveryIndicator() {
        DemoData.load(context);
        LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
        List<String> judged = new ArrayList<>();

        for (String[] where : List.of(new String[] {"authority", null}, new String[] {"service", "Front Door"},
                new String[] {"team", "T05"})) {
            String level = where[0];
            String scope = where[1];
            String scopeQuery = scope == null ? "" : "&scope=" + scope;
            Map<String, Object> verdicts = get("/api/spc?level=" + level + scopeQuery);
            assertThat(verdicts.get("level")).isEqualTo(level);
            assertThat(verdicts.get("scope")).isEqualTo(scope == null ? "authority" : scope);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> byIndicator = (Map<String, Map<String, Object>>) verdicts.get("indicators");
            assertThat(byIndicator.keySet()).containsExactlyInAnyOrder(
                    java.util.Arrays.stream(Indicator.values()).map(Indicator::id).toArray(String[]::new));

            Map<String, Object> today0 = get("/api/indicators?level=" + level);
            for (Indicator indicator : Indicator.values()) {
                // The latest 24 complete months: the series from the month end 24 months back up to yesterday (the demo's
                // history is longer).
                Map<String, Object> series = get("/api/indicators/" + indicator.id() + "/series?level=" + level + scopeQuery
                        + "&from=" + YearMonth.from(today).minusMonths(Spc.MONTHS).atEndOfMonth() + "&to=" + today.minusDays(1));
                List<String> months = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (Map<String, Object> p : list(series.get("points"))) {
                    if (p.get("value") != null) {
                        months.add((String) p.get("as_of"));
                        values.add(((Number) p.get("value")).doubleValue());
                    }
                }
                Map<String, Object> chart = get("/api/indicators/" + indicator.id() + "/spc?level=" + level + scopeQuery);
                assertThat(chart).containsOnlyKeys("polarity", "target", "min_points", "points", "baselines", "variation",
                        "assurance", "latest_rule", "process_changed_since", "rebase_suggested_at", "verdict");
                assertThat(chart.get("polarity")).isEqualTo("higher_is_worse");
                List<Map<String, Object>> points = list(chart.get("points"));
                assertThat(points).extracting(p -> (String) p.get("month")).as(indicator.id()).containsExactlyElementsOf(months);
                assertThat(months).hasSizeLessThanOrEqualTo(Spc.MONTHS);
                assertThat(points).extracting(p -> ((Number) p.get("value")).doubleValue()).containsExactlyElementsOf(values);
                Map<String, Object> verdict = byIndicator.get(indicator.id());
                assertThat(verdict.get("verdict")).isEqualTo(chart.get("verdict"));
                if (values.isEmpty()) {
                    assertThat(list(chart.get("baselines"))).isEmpty();
                    continue;
                }
                // no rebase recorded: one baseline over every point
                List<Map<String, Object>> baselines = list(chart.get("baselines"));
                assertThat(baselines).hasSize(1);
                Map<String, Object> baseline = baselines.get(0);
                assertThat(baseline.get("from")).isEqualTo(months.get(0));
                assertThat(baseline.get("rebased_at")).isNull();
                assertThat(baseline.get("fixed")).isEqualTo(false);
                if (values.size() < SpcSettings.DEFAULT_MIN_POINTS) {
                    // Personal advisers' indicators in a service without personal advisers, for one.
                    assertThat(chart.get("variation")).isEqualTo("not_enough_data");
                    assertThat(chart.get("assurance")).isEqualTo("not_enough_data");
                    assertThat(verdict.get("variation")).isEqualTo("not_enough_data");
                    continue;
                }
                judged.add(level + " " + indicator.id());

                // the limits worked out here from the series: moving ranges of 3.267 times their mean or more left out
                double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                List<Double> ranges = new ArrayList<>();
                for (int i = 1; i < values.size(); i++) {
                    ranges.add(Math.abs(values.get(i) - values.get(i - 1)));
                }
                double raw = ranges.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double averageRange = raw == 0 ? 0 : ranges.stream().filter(r -> r < 3.267 * raw).mapToDouble(Double::doubleValue)
                        .average().orElseThrow();
                assertThat(number(baseline, "mean")).isCloseTo(mean, within(1e-6));
                assertThat(number(baseline, "average_moving_range")).isCloseTo(averageRange, within(1e-6));
                assertThat(number(baseline, "upper_limit")).isCloseTo(mean + 2.66 * averageRange, within(1e-6));
                assertThat(number(baseline, "lower_limit")).isCloseTo(mean - 2.66 * averageRange, within(1e-6));
                assertThat(points.get(0).get("moving_range")).isNull();

                // The target is the one in force at this level and scope, as /api/indicators reports it.
                double target = list(today0.get("indicators")).stream()
                        .filter(v -> v.get("indicator").equals(indicator.id()) && (scope == null || scope.equals(v.get("scope"))))
                        .map(v -> ((Number) v.get("target")).doubleValue()).findFirst().orElseThrow();
                assertThat(number(chart, "target")).isEqualTo(target);
                double upper = number(baseline, "upper_limit");
                double lower = number(baseline, "lower_limit");
                Map<String, Object> latest = points.get(points.size() - 1);
                String assurance = latest.get("rule") != null ? "process_changed"
                        : target > upper ? "consistently_passes" : target < lower ? "consistently_fails" : "hit_and_miss";
                assertThat(chart.get("assurance")).as(indicator.id()).isEqualTo(assurance);

                // the verdict is the latest point's, as the chart draws it
                assertThat(chart.get("variation")).isEqualTo(latest.get("variation"));
                assertThat(chart.get("latest_rule")).isEqualTo(latest.get("rule"));
                for (Map<String, Object> p : points) {
                    double v = ((Number) p.get("value")).doubleValue();
                    assertThat("outside_limits".equals(p.get("rule"))).isEqualTo(v > upper || v < lower);
                    assertThat(p.get("rule")).isIn(null, "outside_limits", "trend", "two_of_three", "shift");
                    // higher is worse: a special cause above the mean (outside, two of three, shift) is concerning
                    if (p.get("rule") != null && !p.get("rule").equals("trend")) {
                        assertThat(p.get("variation")).isEqualTo(v > mean ? "concerning" : "improving");
                    } else if (p.get("rule") == null) {
                        assertThat(p.get("variation")).isEqualTo("common_cause");
                    }
                }

                assertThat(verdict.get("variation")).isEqualTo(chart.get("variation"));
                assertThat(verdict.get("assurance")).isEqualTo(chart.get("assurance"));
                assertThat(verdict.get("latest_rule")).isEqualTo(latest.get("rule"));
            }
        }
        // Every indicator the demo's data covers for enough months is judged at the authority: those of staff, cases,
        // referrals and absence go back years. The care leavers' file is a snapshot and the rota starts recently: their
        // indicators have no history to judge before the data covers it (GET /api/data-coverage).
        LocalDate enough = YearMonth.from(today).minusMonths(SpcSettings.DEFAULT_MIN_POINTS).atEndOfMonth();
        List<String> covered = list(get("/api/data-coverage").get("indicators")).stream()
                .filter(i -> !LocalDate.parse((String) i.get("from")).isAfter(enough))
                .map(i -> "authority " + i.get("indicator")).toList();
        assertThat(covered).hasSizeGreaterThanOrEqualTo(12);
        assertThat(judged).filteredOn(j -> j.startsWith("authority ")).containsExactlyInAnyOrderElementsOf(covered);
    }

    @Test
    void noIndicatorWhoseLatestPointIsSpecialCauseIsGivenAssuranceFromTheOldLimitsAnywhereInTheDemo() {
        DemoData.load(context);
        List<String> scopes = new ArrayList<>(List.of("level=authority"));
        for (Map<String, Object> service : list(get("/api/authority").get("services"))) {
            scopes.add("level=service&scope=" + service.get("service"));
            for (Map<String, Object> team : list(service.get("teams"))) {
                scopes.add("level=team&scope=" + team.get("team_id"));
            }
        }
        assertThat(scopes).hasSizeGreaterThan(10);
        List<String> changed = new ArrayList<>();
        List<String> assured = new ArrayList<>();
        for (String scope : scopes) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> byIndicator = (Map<String, Map<String, Object>>) get("/api/spc?" + scope).get("indicators");
            byIndicator.forEach((indicator, v) -> {
                String where = scope + " " + indicator;
                if (v.get("variation").equals("not_enough_data")) {
                    assertThat(v.get("assurance")).as(where).isEqualTo("not_enough_data");
                } else if (v.get("latest_rule") != null) {
                    // special cause now: no verdict from the old limits, but since when and where to rebase
                    assertThat(v.get("variation")).as(where).isIn("concerning", "improving");
                    assertThat(v.get("assurance")).as(where).isEqualTo("process_changed");
                    LocalDate since = LocalDate.parse((String) v.get("process_changed_since"));
                    assertThat(LocalDate.parse((String) v.get("rebase_suggested_at"))).as(where).isEqualTo(since.withDayOfMonth(1));
                    assertThat((String) v.get("verdict")).as(where).endsWith("process changed since "
                            + since.format(java.time.format.DateTimeFormatter.ofPattern("MMM yyyy", java.util.Locale.UK))
                            + ": rebase suggested");
                    changed.add(where);
                } else {
                    assertThat(v.get("variation")).as(where).isEqualTo("common_cause");
                    assertThat(v.get("assurance")).as(where).isIn("consistently_passes", "consistently_fails", "hit_and_miss");
                    assertThat(v.get("process_changed_since")).as(where).isNull();
                    assured.add(where);
                }
            });
        }
        // both kinds occur in the demo, so neither branch above went unchecked
        assertThat(changed).isNotEmpty();
        assertThat(assured).isNotEmpty();
    }

    @Test
    void aRecordedRebaseStartsANewBaselineForItsScopeAndIsAudited() {
        DemoData.load(context);
        Map<String, Object> before = get("/api/indicators/agency_rate/spc");
        List<Map<String, Object>> points = list(before.get("points"));
        assertThat(points).hasSizeGreaterThan(SpcSettings.DEFAULT_MIN_POINTS + 2);
        // rebase the authority's agency rate four months before its latest point: too few points for a verdict yet
        LocalDate monthEnd = LocalDate.parse((String) points.get(points.size() - 4).get("month"));
        LocalDate startsOn = monthEnd.withDayOfMonth(1);
        Map<String, Object> recorded = web.post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("indicator", "agency_rate", "level", "authority", "starts_on", startsOn.toString(),
                        "reason", "Restructure into locality teams"))
                .exchange().expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        assertThat(recorded).containsEntry("indicator", "agency_rate").containsEntry("level", "authority")
                .containsEntry("starts_on", startsOn.toString()).containsEntry("recorded_by", "admin");

        Map<String, Object> after = get("/api/indicators/agency_rate/spc");
        List<Map<String, Object>> baselines = list(after.get("baselines"));
        assertThat(baselines).hasSize(2);
        assertThat(baselines.get(1).get("from")).isEqualTo(monthEnd.toString());
        assertThat(baselines.get(1).get("rebased_at")).isEqualTo(startsOn.toString());
        assertThat(baselines.get(1).get("points")).isEqualTo(4);
        assertThat(after.get("variation")).isEqualTo("not_enough_data");
        assertThat(after.get("assurance")).isEqualTo("not_enough_data");
        assertThat((String) after.get("verdict")).startsWith("Not enough data since the rebase in");
        // other indicators and other scopes keep one baseline
        assertThat(list(get("/api/indicators/vacancy_rate/spc").get("baselines"))).hasSize(1);
        assertThat(list(get("/api/indicators/agency_rate/spc?level=service&scope=Front Door").get("baselines"))).hasSize(1);

        // a change to the whole authority: every indicator, every level
        web.post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "all", "starts_on", startsOn.toString(), "reason", "New case management system"))
                .exchange().expectStatus().isCreated();
        assertThat(list(get("/api/indicators/vacancy_rate/spc?level=team&scope=T05").get("baselines"))).hasSize(2);

        Map<String, Object> listed = get("/api/spc/baselines");
        assertThat(list(listed.get("rebases"))).extracting(r -> r.get("reason"))
                .containsExactlyInAnyOrder("Restructure into locality teams", "New case management system");
        assertThat(one("SELECT count(*) FROM audit_log WHERE action = 'spc_rebase' AND actor = 'admin' AND status = 201"
                + " AND detail->>'reason' = 'Restructure into locality teams'")).isEqualTo("1");
    }

    @Test
    void aRebaseThatCannotBeRightIsAProblemNamingTheField() {
        rebaseProblem(Map.of("indicator", "no_such", "level", "authority", "starts_on", "2025-01-01", "reason", "x"), "indicator");
        rebaseProblem(Map.of("level", "galaxy", "starts_on", "2025-01-01", "reason", "x"), "level must be one of");
        rebaseProblem(Map.of("level", "team", "starts_on", "2025-01-01", "reason", "x"), "scope");
        rebaseProblem(Map.of("level", "authority", "reason", "x"), "starts_on");
        rebaseProblem(Map.of("level", "authority", "starts_on", "2025-01-01"), "reason");
        rebaseProblem(Map.of("level", "authority", "starts_on", LocalDate.now().plusYears(1).toString(), "reason", "x"),
                "in the future");
        // a scope must be one of the authority's teams or services
        upload("teams", "team_id,team_name,service,team_type\nT1,Duty,Front Door,assessment\n").expectStatus().isCreated();
        rebaseProblem(Map.of("level", "team", "scope", "T9", "starts_on", "2025-01-01", "reason", "x"), "no team T9");
        rebaseProblem(Map.of("level", "service", "scope", "T1", "starts_on", "2025-01-01", "reason", "x"), "no service T1");
        rebaseProblem(Map.of("level", "team", "scope", "Front Door", "starts_on", "2025-01-01", "reason", "x"),
                "no team Front Door");
        assertThat(count("spc_rebases")).isZero();
        web.post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "team", "scope", "T1", "starts_on", "2025-01-01", "reason", "x")).exchange()
                .expectStatus().isCreated();
        web.post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "service", "scope", "Front Door", "starts_on", "2025-01-01", "reason", "x")).exchange()
                .expectStatus().isCreated();
        assertThat(count("spc_rebases")).isEqualTo(2);
        // only those who may change thresholds may rebase
        as("viewer").post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "all", "starts_on", "2025-01-01", "reason", "x")).exchange().expectStatus().isForbidden();
        as("head").post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "all", "starts_on", "2025-01-01", "reason", "x")).exchange().expectStatus().isCreated();
    }

    private void rebaseProblem(Map<String, Object> body, String detail) {
        Map<String, Object> answer = web.post().uri("/api/spc/baselines").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat((String) answer.get("detail")).contains(detail);
    }

    @Test
    void unknownIndicatorsScopesAndLevelsAreClearProblems() {
        problem("/api/indicators/no_such_thing/spc", 404, "no indicator no_such_thing");
        problem("/api/indicators/agency_rate/spc?level=galaxy", 400, "level must be one of");
        problem("/api/indicators/agency_rate/spc?level=team", 400, "scope");
        problem("/api/spc?level=service", 400, "scope");
        // An empty database has no complete month yet.
        problem("/api/indicators/agency_rate/spc", 404, "no complete month");
        problem("/api/spc", 404, "no complete month");
    }

    @Test
    void aTeamWithNoValuesIsNotFound() {
        DemoData.load(context);
        problem("/api/indicators/agency_rate/spc?level=team&scope=T99", 404, "no monthly values for team T99");
        problem("/api/spc?level=service&scope=Nowhere", 404, "no monthly values for service Nowhere");
    }

    @Test
    void verdictsAsOfAPastMonthEndAreThoseOfThatMonthsPack() {
        DemoData.load(context);
        YearMonth month = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(3);
        LocalDate asOf = month.atEndOfMonth();
        String csv = new String(web.get().uri("/api/reports/workforce-profile.csv?month=" + month + "&table=summary").exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
        List<Map<String, String>> rows = CsvTable.rows(csv);
        Map<String, Object> verdicts = get("/api/spc?as_of=" + asOf);
        assertThat(verdicts.get("as_of")).isEqualTo(asOf.toString());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byIndicator = (Map<String, Map<String, Object>>) verdicts.get("indicators");
        assertThat(rows).isNotEmpty();
        for (Map<String, String> row : rows) {
            String indicator = row.get("indicator");
            Map<String, Object> verdict = byIndicator.get(indicator);
            assertThat(verdict.get("variation")).as(indicator).isEqualTo(row.get("variation"));
            assertThat(verdict.get("assurance")).as(indicator).isEqualTo(row.get("assurance"));
            // the chart of one indicator as of that day runs to that month end, and says the same
            Map<String, Object> chart = get("/api/indicators/" + indicator + "/spc?as_of=" + asOf);
            List<Map<String, Object>> points = list(chart.get("points"));
            if (!points.isEmpty()) {
                assertThat(points.get(points.size() - 1).get("month")).as(indicator).isEqualTo(asOf.toString());
            }
            assertThat(chart.get("variation")).as(indicator).isEqualTo(verdict.get("variation"));
            assertThat(chart.get("assurance")).as(indicator).isEqualTo(verdict.get("assurance"));
        }

        problem("/api/spc?as_of=last-june", 400, "as_of must be a date");
        problem("/api/indicators/agency_rate/spc?as_of=2026-13-01", 400, "as_of must be a date");
        LocalDate tomorrow = LocalDate.now(ZoneId.of("Europe/London")).plusDays(1);
        problem("/api/spc?as_of=" + tomorrow, 422, "outside the dates the data covers");
        problem("/api/indicators/agency_rate/spc?as_of=1990-01-31", 422, "outside the dates the data covers");
    }


    private void problem(String uri, int status, String detail) {
        Map<String, Object> body = web.get().uri(uri).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat((String) body.get("detail")).contains(detail);
    }

    private Map<String, Object> get(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static double number(Map<String, Object> body, String key) {
        return ((Number) body.get(key)).doubleValue();
    }
}
