package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.workforcewatch.ApiTest;
import org.workforcewatch.planning.SyntheticAuthority.Shape;

/**
 * The backtest refereed on authorities of every shape, not only the demo: where enough origins are scored, the method the
 * referee uses is no worse than "no change", the choice made at each origin from what was known then is not significantly
 * worse than it, and the 10th–90th percentile range holds the rule's share of what happened (docs/FORECAST.md, "The
 * referee"). The rule is recomputed from the numbers the answer gives, not read from any verdict in it.
 */
class ManyAuthoritiesBacktestTest extends ApiTest {

    @Autowired
    Clock clock;

    /** Loads the authority through the import API, in the order its references need. */
    SyntheticAuthority load(Shape shape) {
        SyntheticAuthority authority = SyntheticAuthority.generate(shape, LocalDate.now(clock), 11);
        long started = System.nanoTime();
        authority.files().forEach((dataset, csv) -> upload(dataset, csv).expectStatus().isCreated());
        System.out.printf("%s; loaded in %.1f s%n", authority.describe(), (System.nanoTime() - started) / 1e9);
        return authority;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> backtest(Shape shape) {
        long started = System.nanoTime();
        Map<String, Object> body = web.get().uri("/api/forecast/backtest").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        System.out.printf("%s: backtest in %.1f s, %s origins from %s to %s%n", shape, (System.nanoTime() - started) / 1e9,
                body.get("origins"), body.get("first_origin"), body.get("last_origin"));
        return body;
    }

    static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    @SuppressWarnings("unchecked")
    void theChosenMethodBeatsNoChangeAndItsRangeCoversWhereEnoughOriginsAreScored(Shape shape) {
        load(shape);
        Map<String, Object> body = backtest(shape);
        assertThat(body).as("the backtest's answer").containsKeys("origins", "rule", "scores");
        Map<String, Object> rule = (Map<String, Object>) body.get("rule");
        double maseLimit = number(rule, "mase_limit");
        double dmLimit = number(rule, "held_out_dm_limit");
        double low = number(rule, "coverage_low");
        double high = number(rule, "coverage_high");
        int minOrigins = (int) number(rule, "min_origins");
        List<Map<String, Object>> scores = (List<Map<String, Object>>) body.get("scores");
        assertThat(scores).isNotEmpty();
        int judged = 0;
        for (Map<String, Object> s : scores) {
            assertThat((int) number(s, "horizon")).as("%s", s).isBetween(1, 12);
            assertThat(s.get("measure")).as("%s", s).isIn("fte", "leavers", "caseload_per_fte");
            assertThat(s.get("method")).as("%s", s).isIn("simulation", "ets", "naive", "combination");
            int compared = (int) number(s, "months_compared");
            System.out.printf("%s h%-2s %-16s %-11s n=%-3d mase=%s held_out_mase=%s held_out_dm=%s coverage=%s held_out_coverage=%s%n",
                    shape, s.get("horizon"), s.get("measure"), s.get("method"), compared, s.get("mase"), s.get("held_out_mase"),
                    s.get("held_out_dm"), s.get("coverage"), s.get("held_out_coverage"));
            if (compared < minOrigins) {
                continue;
            }
            judged++;
            String what = shape + " " + s.get("measure") + " at " + s.get("horizon") + " months";
            assertThat(s).as("a judged score's numbers, %s", what).containsKeys("mase", "held_out_dm", "coverage")
                    .extractingByKeys("mase", "held_out_dm", "coverage").doesNotContainNull();
            assertThat(number(s, "mase")).as("MASE, %s", what).isLessThanOrEqualTo(Math.min(1, maseLimit) + 1e-9);
            assertThat(number(s, "held_out_dm")).as("held-out Diebold-Mariano statistic against no change, %s", what)
                    .isLessThanOrEqualTo(dmLimit);
            assertThat(number(s, "coverage")).as("p10–p90 coverage, %s", what).isBetween(low, high);
        }
        Backtests.assertHeldOut(shape.name(), scores, minOrigins);
        if (shape == Shape.SHORT_HISTORY) {
            assertThat(judged).as("no score of a short history reaches %d origins", minOrigins).isZero();
            assertThat(scores).as("with too little history the forecast is no change")
                    .allSatisfy(s -> assertThat(s.get("method")).isEqualTo("naive"));
        } else {
            assertThat(judged).as("%s: measures and horizons scored on at least %d origins", shape, minOrigins).isPositive();
        }
    }
}
