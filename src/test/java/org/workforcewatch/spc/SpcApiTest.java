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
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.Indicator;

/** The XmR endpoints over the demo authority, checked against the indicators' own monthly series. */
class SpcApiTest extends ApiTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private ApplicationContext context;

    @Test
    void chartsAreTheSeriesMonthEndsWithLimitsFromTheirMovingRangesAndVerdictsForEveryIndicator() {
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
                assertThat(chart).containsOnlyKeys("points", "mean", "average_moving_range", "upper_limit", "lower_limit",
                        "variation", "assurance", "target");
                List<Map<String, Object>> points = list(chart.get("points"));
                assertThat(points).extracting(p -> (String) p.get("month")).as(indicator.id()).containsExactlyElementsOf(months);
                assertThat(months).hasSizeLessThanOrEqualTo(Spc.MONTHS);
                assertThat(points).extracting(p -> ((Number) p.get("value")).doubleValue()).containsExactlyElementsOf(values);
                Map<String, Object> verdict = byIndicator.get(indicator.id());
                if (values.size() < Xmr.MIN_POINTS) {
                    // Personal advisers' indicators in a service without personal advisers, for one.
                    assertThat(chart.get("variation")).isEqualTo("not_enough_data");
                    assertThat(chart.get("assurance")).isEqualTo("not_enough_data");
                    assertThat(verdict.get("variation")).isEqualTo("not_enough_data");
                    continue;
                }
                judged.add(level + " " + indicator.id());

                double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double ranges = 0;
                for (int i = 1; i < values.size(); i++) {
                    ranges += Math.abs(values.get(i) - values.get(i - 1));
                }
                double averageRange = ranges / (values.size() - 1);
                assertThat(number(chart, "mean")).isCloseTo(mean, within(1e-6));
                assertThat(number(chart, "average_moving_range")).isCloseTo(averageRange, within(1e-6));
                assertThat(number(chart, "upper_limit")).isCloseTo(mean + 2.66 * averageRange, within(1e-6));
                assertThat(number(chart, "lower_limit")).isCloseTo(mean - 2.66 * averageRange, within(1e-6));
                assertThat(points.get(0).get("moving_range")).isNull();

                // The target is the one in force at this level and scope, as /api/indicators reports it.
                double target = list(today0.get("indicators")).stream()
                        .filter(v -> v.get("indicator").equals(indicator.id()) && (scope == null || scope.equals(v.get("scope"))))
                        .map(v -> ((Number) v.get("target")).doubleValue()).findFirst().orElseThrow();
                assertThat(number(chart, "target")).isEqualTo(target);
                double upper = number(chart, "upper_limit");
                double lower = number(chart, "lower_limit");
                String assurance = target > upper ? "passing" : target < lower ? "failing" : "hit_and_miss";
                assertThat(chart.get("assurance")).as(indicator.id()).isEqualTo(assurance);

                Map<String, Object> latest = points.get(points.size() - 1);
                List<?> signals = (List<?>) latest.get("signals");
                assertThat(chart.get("variation")).isIn("common_cause", "concerning", "improving");
                if (signals.isEmpty()) {
                    assertThat(chart.get("variation")).isEqualTo("common_cause");
                } else if (signals.contains("outside_limits") || signals.contains("run")) {
                    assertThat(chart.get("variation")).isEqualTo(((Number) latest.get("value")).doubleValue() > mean
                            ? "concerning" : "improving");
                }
                // Every flag a point carries is one of the three rules, checked where it can be by the limits.
                for (Map<String, Object> p : points) {
                    double v = ((Number) p.get("value")).doubleValue();
                    assertThat(((List<?>) p.get("signals")).contains("outside_limits")).isEqualTo(v > upper || v < lower);
                    assertThat((List<?>) p.get("signals")).allMatch(s -> List.of("outside_limits", "run", "trend").contains(s));
                }

                assertThat(verdict.get("variation")).isEqualTo(chart.get("variation"));
                assertThat(verdict.get("assurance")).isEqualTo(chart.get("assurance"));
                assertThat(verdict.get("signals")).isEqualTo(latest.get("signals"));
            }
        }
        // Every indicator the demo's data covers for enough months is judged at the authority: those of staff, cases,
        // referrals and absence go back years. The care leavers' file is a snapshot and the rota starts recently: their
        // indicators have no history to judge before the data covers it (GET /api/data-coverage).
        LocalDate enough = YearMonth.from(today).minusMonths(Xmr.MIN_POINTS).atEndOfMonth();
        List<String> covered = list(get("/api/data-coverage").get("indicators")).stream()
                .filter(i -> !LocalDate.parse((String) i.get("from")).isAfter(enough))
                .map(i -> "authority " + i.get("indicator")).toList();
        assertThat(covered).hasSizeGreaterThanOrEqualTo(12);
        assertThat(judged).filteredOn(j -> j.startsWith("authority ")).containsExactlyInAnyOrderElementsOf(covered);
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
