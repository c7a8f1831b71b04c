package org.workforcewatch.planning;

import java.util.Arrays;

/**
 * Exponential smoothing with a damped additive trend (Gardner and McKenzie's damped Holt method), and additive seasonality of
 * 12 months where the series has at least three years: one of the candidates the {@link Referee} weighs against "no change"
 * and the structural simulation. The smoothing parameters are the ones, from a small grid, with the least sum of squared
 * one-step errors over the series; the seasonal form is kept only where it earns its 12 extra parameters (Akaike's criterion).
 * Pure arithmetic over an array of monthly values, as in Hyndman and Athanasopoulos, "Forecasting: principles and practice",
 * sections 8.2 and 8.3.
 */
final class Ets {

    /** Months in a season. */
    static final int SEASON = 12;
    /** Shortest series a fit is made for; with fewer values the forecast is the last value. */
    static final int MIN_VALUES = 6;

    private static final double[] ALPHAS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
    private static final double[] BETAS = {0, 0.05, 0.1, 0.2};
    private static final double[] PHIS = {0.8, 0.9, 0.98};
    private static final double[] GAMMAS = {0.05, 0.15, 0.3};

    /** A fitted model: its parameters and its state after the last value. */
    record Fit(double alpha, double beta, double phi, double gamma, boolean seasonal, double level, double trend,
               double[] season, int next, double sse, double sseAfterFirstSeason) {

        /** The forecasts 1..months ahead of the last value. */
        double[] forecast(int months) {
            double[] out = new double[months];
            double damped = 0;
            double power = 1;
            for (int h = 1; h <= months; h++) {
                power *= phi;
                damped += power;
                out[h - 1] = level + damped * trend + (seasonal ? season[(next + h - 1) % SEASON] : 0);
            }
            return out;
        }
    }

    private Ets() {
    }

    /** The forecasts 1..months ahead of the last value of {@code y}: the fitted model's, or the last value for a short series. */
    static double[] forecast(double[] y, int months) {
        if (y.length < MIN_VALUES) {
            double[] flat = new double[months];
            Arrays.fill(flat, y.length == 0 ? Double.NaN : y[y.length - 1]);
            return flat;
        }
        return fit(y).forecast(months);
    }

    /** The best fit of the grid to {@code y} (at least {@link #MIN_VALUES} values). */
    static Fit fit(double[] y) {
        Fit best = null;
        for (double alpha : ALPHAS) {
            for (double beta : BETAS) {
                for (double phi : PHIS) {
                    Fit f = run(y, alpha, beta, phi, 0, false);
                    if (best == null || f.sse() < best.sse()) {
                        best = f;
                    }
                }
            }
        }
        if (y.length >= 3 * SEASON) {
            Fit seasonal = null;
            for (double alpha : ALPHAS) {
                for (double beta : BETAS) {
                    for (double phi : PHIS) {
                        for (double gamma : GAMMAS) {
                            Fit f = run(y, alpha, beta, phi, gamma, true);
                            if (seasonal == null || f.sse() < seasonal.sse()) {
                                seasonal = f;
                            }
                        }
                    }
                }
            }
            // Akaike: n ln(SSE/n) + 2k, k = smoothing parameters and initial states (level, trend; 11 free seasonal states),
            // both over the same months: the seasonal form has no one-step error in its first year, which sets it up
            int n = y.length - SEASON;
            if (aic(seasonal.sseAfterFirstSeason(), n, 4 + 2 + SEASON - 1) < aic(best.sseAfterFirstSeason(), n, 3 + 2)) {
                best = seasonal;
            }
        }
        return best;
    }

    private static double aic(double sse, int n, int k) {
        return n * Math.log(Math.max(sse, 1e-12) / n) + 2 * k;
    }

    /** Runs the recursions over {@code y} from initial states read off its start; the sum of squared one-step errors. */
    static Fit run(double[] y, double alpha, double beta, double phi, double gamma, boolean seasonal) {
        int n = y.length;
        double level;
        double trend;
        double[] season = new double[SEASON];
        int from;
        if (seasonal) {
            double first = mean(y, 0, SEASON);
            double second = mean(y, SEASON, 2 * SEASON);
            level = first;
            trend = (second - first) / SEASON;
            for (int j = 0; j < SEASON; j++) {
                season[j] = y[j] - (first + (j - (SEASON - 1) / 2.0) * trend);
            }
            // the level stands at the middle of the first year: move it to its end
            level = first + (SEASON - 1) / 2.0 * trend;
            from = SEASON;
        } else {
            int k = Math.min(n - 1, 3);
            level = y[0];
            trend = (y[k] - y[0]) / k;
            from = 1;
        }
        double sse = 0;
        double late = 0;
        for (int t = from; t < n; t++) {
            double s = seasonal ? season[t % SEASON] : 0;
            double predicted = level + phi * trend + s;
            double error = y[t] - predicted;
            sse += error * error;
            late += t >= SEASON ? error * error : 0;
            double previous = level;
            double previousTrend = trend;
            level = alpha * (y[t] - s) + (1 - alpha) * (previous + phi * previousTrend);
            trend = beta * (level - previous) + (1 - beta) * phi * previousTrend;
            if (seasonal) {
                season[t % SEASON] = gamma * (y[t] - previous - phi * previousTrend) + (1 - gamma) * s;
            }
        }
        return new Fit(alpha, beta, phi, gamma, seasonal, level, trend, season, n % SEASON, sse, late);
    }

    private static double mean(double[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += y[i];
        }
        return sum / (to - from);
    }
}
