package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;

/**
 * The backtest of the demo authority: every measure scored at every horizon, the referee's rule holds, and the authority's
 * forecast carries the refereed measures by the methods the backtest chose.
 */
class BacktestTest extends ApiTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    Backtest backtest;

    @Test
    @SuppressWarnings("unchecked")
    void theRefereesRulesHoldOnTheDemoAndItsForecastUsesTheChosenMethods() {
        DemoData.load(context);
        // the first forecast does not wait for a backtest: it has the refereed measures of the day's latest backtest, or
        // says that one is being computed (and has none)
        Map<String, Object> early = web.get().uri("/api/forecast?level=authority&months=12").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(early.get("referee_note") == null).as("a note or refereed measures: %s", early.get("referee_note"))
                .isEqualTo(!((List<?>) early.get("refereed")).isEmpty());
        long started = System.nanoTime();
        Map<String, Object> body = web.get().uri("/api/forecast/backtest").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        System.out.printf("backtest took %.1f s over %s origins%n", (System.nanoTime() - started) / 1e9, body.get("origins"));
        Map<String, Object> rule = (Map<String, Object>) body.get("rule");
        List<Map<String, Object>> scores = (List<Map<String, Object>>) body.get("scores");
        assertThat(scores).hasSize(36);
        Backtests.print("demo", scores);
        Backtests.write(backtest, "demo");
        Backtests.assertRules(rule, scores, true);

        Map<String, Object> forecast = web.get().uri("/api/forecast?level=authority&months=12").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(forecast.get("referee_note")).isNull();
        List<Map<String, Object>> refereed = (List<Map<String, Object>>) forecast.get("refereed");
        assertThat(refereed).extracting(r -> r.get("measure")).containsExactly("fte", "leavers", "caseload_per_fte");
        for (Map<String, Object> measure : refereed) {
            List<Map<String, Object>> months = (List<Map<String, Object>>) measure.get("months");
            assertThat(months).as("%s", measure.get("measure")).hasSize(12);
            for (Map<String, Object> m : months) {
                double p10 = ((Number) m.get("p10")).doubleValue();
                double p50 = ((Number) m.get("p50")).doubleValue();
                double p90 = ((Number) m.get("p90")).doubleValue();
                assertThat(p10).as("%s %s", measure.get("measure"), m).isLessThanOrEqualTo(p50);
                assertThat(p50).as("%s %s", measure.get("measure"), m).isLessThanOrEqualTo(p90);
            }
            // month 6 of the forecast is some months after the history's last month end (the end of last month): its
            // method is the one the backtest chose at exactly that horizon
            Map<String, Object> sixth = months.get(5);
            java.time.YearMonth lastOfHistory = java.time.YearMonth.now(context.getBean(java.time.Clock.class)).minusMonths(1);
            long horizon = java.time.temporal.ChronoUnit.MONTHS.between(lastOfHistory, java.time.YearMonth.parse((String) sixth.get("month")));
            assertThat(scores).filteredOn(s -> s.get("measure").equals(measure.get("measure"))
                            && ((Number) s.get("horizon")).longValue() == Math.min(horizon, 12))
                    .singleElement().satisfies(s -> assertThat(s.get("method")).as("%s", measure.get("measure")).isEqualTo(sixth.get("method")));
        }
    }
}
