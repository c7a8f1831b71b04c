package org.workforcewatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.workforcewatch.ApiTest;

/** The demo's history starts where its data does: no trend climbing from nothing, no risk older than its data. */
class DemoHistoryTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @Test
    void theCaseloadTrendStartsAtItsFirstCoveredMonthWithARealisticValueAndNoRiskPredatesItsData() {
        DemoData.load(context);
        Map<String, LocalDate> covered = new java.util.HashMap<>();
        for (Map<String, Object> i : list(json("/api/data-coverage").get("indicators"))) {
            covered.put((String) i.get("indicator"), LocalDate.parse((String) i.get("from")));
        }

        List<Map<String, Object>> points = list(json("/api/indicators/caseload_per_fte/series").get("points"));
        LocalDate firstMonth = YearMonth.from(covered.get("caseload_per_fte")).atEndOfMonth();
        assertThat(points.get(0).get("as_of")).isEqualTo(firstMonth.toString());
        // the first month is like the rest, not a climb from nothing: within a quarter of the series' median
        List<Double> values = points.stream().map(p -> ((Number) p.get("value")).doubleValue()).sorted().toList();
        double median = values.get(values.size() / 2);
        assertThat(((Number) points.get(0).get("value")).doubleValue()).isBetween(median * 0.75, median * 1.25);

        List<Map<String, Object>> risks = list(json("/api/risks").get("risks"));
        assertThat(risks).isNotEmpty();
        for (Map<String, Object> r : risks) {
            assertThat(LocalDate.parse((String) r.get("since"))).as(r.get("indicator") + " " + r.get("scope"))
                    .isAfterOrEqualTo(covered.get((String) r.get("indicator")));
        }
    }
}
