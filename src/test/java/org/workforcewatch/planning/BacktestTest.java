package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;

/** The backtest on the demo authority: every measure and horizon scored, and the forecast beats "no change". */
class BacktestTest extends ApiTest {

    @Autowired
    ApplicationContext context;

    @Test
    @SuppressWarnings("unchecked")
    void theForecastBeatsNaiveOnTheDemo() {
        DemoData.load(context);
        long started = System.nanoTime();
        Map<String, Object> body = web.get().uri("/api/forecast/backtest").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        System.out.printf("backtest took %.1f s: %s%n", (System.nanoTime() - started) / 1e9, body);
        List<Map<String, Object>> scores = (List<Map<String, Object>>) body.get("scores");
        assertThat(scores).hasSize(6);
        for (Map<String, Object> s : scores) {
            assertThat(((Number) s.get("months_compared")).intValue()).as("%s", s).isGreaterThan(20);
            assertThat(s.get("forecast_mape")).isNotNull();
            assertThat(s.get("naive_mape")).isNotNull();
        }
        assertThat(scores).extracting(s -> s.get("horizon") + "/" + s.get("measure")).containsExactlyInAnyOrder(
                "6/fte", "6/leavers", "6/caseload_per_fte", "12/fte", "12/leavers", "12/caseload_per_fte");
    }
}
