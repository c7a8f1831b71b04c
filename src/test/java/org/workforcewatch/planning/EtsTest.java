package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Damped-trend exponential smoothing on series whose future is known. */
class EtsTest {

    @Test
    void aConstantSeriesIsForecastAsItself() {
        double[] y = new double[30];
        java.util.Arrays.fill(y, 42.5);
        for (double f : Ets.forecast(y, 12)) {
            assertThat(f).isCloseTo(42.5, within(1e-9));
        }
    }

    @Test
    void aShortSeriesIsForecastAsItsLastValue() {
        assertThat(Ets.forecast(new double[] {3, 5, 9, 4, 7}, 3)).containsExactly(7, 7, 7);
    }

    @Test
    void aStraightLineIsFollowedAndItsTrendDampedFurtherAhead() {
        double[] y = new double[36];
        for (int t = 0; t < y.length; t++) {
            y[t] = 100 + 2 * t;
        }
        double[] f = Ets.forecast(y, 12);
        // next month: close to the line (170 + 2 = 172), with a little less than the full step
        assertThat(f[0]).isCloseTo(172, within(0.5)).isLessThanOrEqualTo(172);
        for (int h = 1; h < 12; h++) {
            assertThat(f[h]).isGreaterThan(f[h - 1]);
        }
        // damped: a year ahead falls short of the straight line's 194, but keeps most of the trend
        assertThat(f[11]).isLessThan(194).isGreaterThan(185);
        assertThat(Ets.fit(y).seasonal()).isFalse();
    }

    @Test
    void aSeasonalPatternIsFoundWithThreeYearsAndForecastAheadInStep() {
        Random random = new Random(7);
        double[] y = new double[48];
        for (int t = 0; t < y.length; t++) {
            y[t] = 100 + 20 * Math.sin(2 * Math.PI * t / 12) + random.nextGaussian();
        }
        Ets.Fit fit = Ets.fit(y);
        assertThat(fit.seasonal()).isTrue();
        double[] f = fit.forecast(12);
        for (int h = 1; h <= 12; h++) {
            double truth = 100 + 20 * Math.sin(2 * Math.PI * (47 + h) / 12);
            assertThat(f[h - 1]).as("h=%d", h).isCloseTo(truth, within(4.0));
        }
        // with two years only, no seasonal form is tried: the forecast misses the swing
        double[] two = java.util.Arrays.copyOf(y, 24);
        assertThat(Ets.fit(two).seasonal()).isFalse();
    }

    @Test
    void noiseAroundALevelIsNotMistakenForASeason() {
        Random random = new Random(11);
        double[] y = new double[60];
        for (int t = 0; t < y.length; t++) {
            y[t] = 50 + 3 * random.nextGaussian();
        }
        assertThat(Ets.fit(y).seasonal()).isFalse();
        for (double f : Ets.forecast(y, 12)) {
            assertThat(f).isCloseTo(50, within(3.0));
        }
    }
}
