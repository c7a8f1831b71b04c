package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/** The referee's rules, checked on a backtest's answer from its numbers (not from any verdict it gives). */
final class Backtests {

    private Backtests() {
    }

    static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** Prints one line per measure and horizon: the method used, the MASEs and the coverages, and each candidate's MAE. */
    @SuppressWarnings("unchecked")
    static void print(String authority, List<Map<String, Object>> scores) {
        for (Map<String, Object> s : scores) {
            StringBuilder line = new StringBuilder(String.format("%-18s h=%-2s %-17s %-11s n=%-3s mase=%-6s held=%-6s dm=%-6s cov=%-6s held=%-6s",
                    authority, s.get("horizon"), s.get("measure"), s.get("method"), s.get("months_compared"), s.get("mase"),
                    s.get("held_out_mase"), s.get("held_out_dm"), s.get("coverage"), s.get("held_out_coverage")));
            for (Map<String, Object> c : (List<Map<String, Object>>) s.get("candidates")) {
                line.append(' ').append(c.get("method")).append('=').append(c.get("mae"));
            }
            System.out.println(line);
        }
    }

    /**
     * Rule 1: where at least min_origins origins are scored, the method used is no worse than no change (MASE ≤ 1) and the
     * held-out choice is within the limit; rule 2: 70–90 % of actuals inside p10–p90. With fewer origins: no change.
     */
    static void assertRules(Map<String, Object> rule, List<Map<String, Object>> scores, boolean someScored) {
        int min = ((Number) rule.get("min_origins")).intValue();
        int judged = 0;
        for (Map<String, Object> s : scores) {
            String what = s.get("measure") + " at " + s.get("horizon") + " months: " + s;
            if (((Number) s.get("months_compared")).intValue() < min) {
                assertThat(s.get("method")).as(what).isEqualTo("naive");
                continue;
            }
            judged++;
            assertThat(num(s, "mase")).as(what).isLessThanOrEqualTo(1.0);
            assertThat(num(s, "mase")).as(what).isLessThanOrEqualTo(num(rule, "mase_limit"));
            assertThat(num(s, "held_out_dm")).as(what).isLessThanOrEqualTo(num(rule, "held_out_dm_limit"));
            assertThat(num(s, "coverage")).as(what).isBetween(num(rule, "coverage_low"), num(rule, "coverage_high"));
        }
        if (someScored) {
            assertThat(judged).as("measures and horizons scored on enough origins to judge").isPositive();
        }
        assertHeldOut("the authority", scores, min);
    }

    /**
     * The held-out record on the whole, where the in-sample rules hold by construction: over the scores judged (at least
     * {@code min} origins), the mean held-out MASE is at most 1 (choosing on past errors beats no change on average) and
     * the median held-out coverage of p10–p90 is at least 0.6 (ranges calibrated only on the errors known at each origin).
     */
    static void assertHeldOut(String authority, List<Map<String, Object>> scores, int min) {
        List<Map<String, Object>> judged = scores.stream().filter(s -> ((Number) s.get("months_compared")).intValue() >= min).toList();
        if (judged.isEmpty()) {
            return;
        }
        double meanMase = judged.stream().mapToDouble(s -> num(s, "held_out_mase")).average().orElseThrow();
        double[] coverage = judged.stream().filter(s -> s.get("held_out_coverage") != null).mapToDouble(s -> num(s, "held_out_coverage"))
                .sorted().toArray();
        System.out.printf("%s: mean held-out MASE %.3f, median held-out coverage %.3f over %d scores%n", authority, meanMase,
                coverage.length == 0 ? Double.NaN : coverage[coverage.length / 2], judged.size());
        assertThat(meanMase).as("%s: mean held-out MASE", authority).isLessThanOrEqualTo(1.0);
        assertThat(coverage).as("%s: held-out coverages", authority).isNotEmpty();
        assertThat(coverage[coverage.length / 2]).as("%s: median held-out coverage", authority).isGreaterThanOrEqualTo(0.6);
    }

    /**
     * Writes the series a backtest refereed to target/backtest-series/{name}.tsv (measure, month end, actual, the
     * simulation's medians 1..12 months ahead): the evidence behind the printed scores, for reading after the run.
     */
    static void write(Backtest backtest, String name) {
        Backtest.Report report = backtest.latest().block(java.time.Duration.ofMinutes(2));
        StringBuilder out = new StringBuilder("measure\tmonth_end\tactual\tsimulation_1_to_12\n");
        report.series().forEach((measure, s) -> {
            for (int i = 0; i < s.actual().length; i++) {
                out.append(measure).append('\t').append(report.dates().get(i)).append('\t').append(s.actual()[i]).append('\t');
                double[] sim = s.simulation()[i];
                out.append(sim == null ? "" : java.util.Arrays.stream(sim).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3f", v))
                        .collect(java.util.stream.Collectors.joining(","))).append('\n');
            }
        });
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "backtest-series");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(name + ".tsv"), out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
