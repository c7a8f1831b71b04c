package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The referee on series whose best method is known by construction. */
class RefereeTest {

    /** A series of n months and a simulation whose median from origin i at horizon h is {@code sim(i, h)}. */
    private static Referee.Series series(double[] y, SimulationAt sim) {
        double[][] s = new double[y.length][];
        for (int i = 5; i < y.length - 1; i++) {
            int months = Math.min(Referee.HORIZONS, y.length - 1 - i);
            s[i] = new double[months];
            for (int h = 1; h <= months; h++) {
                s[i][h - 1] = sim.at(i, h);
            }
        }
        return new Referee.Series("fte", y, s, 5, false);
    }

    interface SimulationAt {
        double at(int origin, int horizon);
    }

    private static double[] walk(int n, long seed, IntToDoubleFunction drift) {
        Random random = new Random(seed);
        double[] y = new double[n];
        y[0] = 200;
        for (int t = 1; t < n; t++) {
            y[t] = y[t - 1] + drift.applyAsDouble(t) + 3 * random.nextGaussian();
        }
        return y;
    }

    private static Referee.Score at(Referee.Finding f, int h) {
        return f.scores().get(h - 1);
    }

    @Test
    void aSimulationThatKnowsTheFutureIsChosenAndBeatsNoChange() {
        double[] y = walk(72, 1, t -> 1.5);
        Referee.Finding f = Referee.referee(series(y, (i, h) -> y[i + h] + 0.2));
        for (int h : List.of(1, 6, 12)) {
            Referee.Score s = at(f, h);
            assertThat(s.method()).as("h=%d", h).isIn("simulation", "combination");
            assertThat(s.mase()).isLessThan(0.3);
            assertThat(s.heldOutMase()).isLessThan(1.0);
            assertThat(s.monthsCompared()).isEqualTo(72 - 5 - h);
        }
    }

    @Test
    void onARandomWalkABiasedSimulationIsNotChosenAndNothingDoesWorseThanNoChange() {
        double[] y = walk(72, 2, t -> 0);
        Referee.Finding f = Referee.referee(series(y, (i, h) -> y[i] + 4 * h));
        for (Referee.Score s : f.scores()) {
            assertThat(s.mase()).as("h=%d", s.horizon()).isLessThanOrEqualTo(1.0);
            assertThat(s.heldOutDm()).as("h=%d", s.horizon()).isLessThanOrEqualTo(Referee.DM_LIMIT);
            assertThat(s.candidates()).filteredOn(c -> c.method().equals("simulation")).singleElement()
                    .satisfies(c -> assertThat(c.mae()).isGreaterThan(at(f, s.horizon()).candidates().get(0).mae()));
        }
        assertThat(at(f, 12).method()).isNotEqualTo("simulation");
    }

    @Test
    void aTrendNoSimulationSeesIsFollowedBySmoothing() {
        double[] y = walk(84, 3, t -> 2.0);
        Referee.Finding f = Referee.referee(series(y, (i, h) -> y[i] - 2 * h));
        Referee.Score s = at(f, 6);
        assertThat(s.method()).isIn("ets", "combination");
        assertThat(s.mase()).isLessThan(0.8);
    }

    @Test
    void withFewerOriginsThanTheMinimumTheForecastIsNoChangeAndNothingIsCalibrated() {
        double[] y = walk(5 + Referee.MIN_ORIGINS, 4, t -> 2.0);
        Referee.Finding f = Referee.referee(series(y, (i, h) -> y[i + h]));
        for (Referee.Score s : f.scores()) {
            assertThat(s.monthsCompared()).isLessThan(Referee.MIN_ORIGINS);
            assertThat(s.method()).isEqualTo("naive");
            assertThat(s.coverage()).isNull();
        }
        assertThat(f.models()).allSatisfy(m -> assertThat(m.calibrated()).isFalse());
    }

    @Test
    void theRangeCoversFourFifthsOfThePastAndIsPutAroundTheForecastNow() {
        double[] y = walk(90, 5, t -> 0.5);
        Referee.Finding f = Referee.referee(series(y, (i, h) -> y[i] + 0.5 * h));
        for (Referee.Score s : f.scores()) {
            assertThat(s.coverage()).as("h=%d", s.horizon()).isBetween(Referee.COVERAGE_LOW, Referee.COVERAGE_HIGH);
            assertThat(s.heldOutCoverage()).as("h=%d", s.horizon()).isNotNull();
        }
        Referee.Series s = series(y, (i, h) -> y[i] + 0.5 * h);
        int[] horizons = {1, 6, 12};
        Range[] simulated = {new Range(190, y[89] + 0.5, 230), new Range(190, y[89] + 3, 230), new Range(190, y[89] + 6, 230)};
        List<Range> now = Referee.now(s, f.models(), horizons, simulated);
        for (int k = 0; k < horizons.length; k++) {
            Referee.Model model = f.models().get(horizons[k] - 1);
            Range r = now.get(k);
            assertThat(r.p10()).isLessThanOrEqualTo(r.p50());
            assertThat(r.p50()).isLessThanOrEqualTo(r.p90());
            double scale = Referee.scale(s, 89);
            assertThat(r.p90() - r.p10()).isCloseTo((model.high() - model.low()) * scale, within(0.02));
        }
    }

    @Test
    void aCountWithEmptyMonthsIsScaledByAtLeastOne() {
        Random random = new Random(6);
        double[] y = new double[60];
        for (int t = 0; t < y.length; t++) {
            y[t] = random.nextDouble() < 0.6 ? 0 : 1;
        }
        double[][] sim = new double[60][];
        for (int i = 5; i < 59; i++) {
            sim[i] = new double[Math.min(12, 59 - i)];
            java.util.Arrays.fill(sim[i], 0.4);
        }
        Referee.Series s = new Referee.Series("leavers", y, sim, 5, true);
        assertThat(Referee.scale(s, 10)).isGreaterThanOrEqualTo(1);
        Referee.Finding f = Referee.referee(s);
        for (Referee.Score sc : f.scores()) {
            assertThat(sc.mase()).isNotNull();
            assertThat(sc.coverage()).isNotNull();
        }
    }

    @Test
    void theDieboldMarianoStatisticIsZeroWithoutDifferenceAndLargeForAForecastWorseEveryMonth() {
        assertThat(Referee.dieboldMariano(new double[30], 6)).isZero();
        Random random = new Random(8);
        double[] worse = new double[40];
        double[] even = new double[40];
        for (int i = 0; i < 40; i++) {
            worse[i] = 1 + 0.3 * random.nextGaussian();
            even[i] = random.nextGaussian();
        }
        assertThat(Referee.dieboldMariano(worse, 1)).isGreaterThan(10);
        assertThat(Math.abs(Referee.dieboldMariano(even, 1))).isLessThan(Referee.DM_LIMIT);
        // overlapping 12-month forecasts carry less evidence than as many single months: the statistic is smaller
        assertThat(Referee.dieboldMariano(worse, 12)).isLessThan(Referee.dieboldMariano(worse, 1));
    }
}
