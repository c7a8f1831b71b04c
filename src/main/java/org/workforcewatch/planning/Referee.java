package org.workforcewatch.planning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The forecast's own referee: rolling-origin evaluation of the candidate methods on the authority's history, the choice of
 * method (or skill-weighted combination) per measure and horizon, and ranges calibrated on the errors of the choice.
 * Pure arithmetic over the monthly series; {@link Backtest} supplies the series and the simulation's medians.
 * <p>
 * At every origin (a month end of the history) each candidate forecasts 1 to 12 months ahead with only the values up to the
 * origin: "no change" (the value at the origin), damped-trend exponential smoothing ({@link Ets}), the structural
 * {@link Simulation} (its median), and their combination weighted by past skill (inverse mean squared error). The method used
 * now is the one with the least mean absolute error over all origins, and anything but "no change" only when it beats "no
 * change" by at least {@link #MARGIN}, with at least {@link #MIN_ORIGINS} origins scored. The same choice made at each origin
 * from the errors known then (those whose target month had passed) gives the held-out record: it may not be significantly
 * worse than "no change" (Diebold–Mariano with Harvey, Leybourne and Newbold's small-sample correction). A range is the point
 * forecast plus or minus the conformal 80 % quantile of the choice's past absolute errors at that horizon, each error divided
 * by the series' volatility at its origin ({@link #scale}) and multiplied back by today's.
 */
final class Referee {

    /** The candidates, by their names in the API. */
    enum Method {
        NAIVE, ETS, SIMULATION, COMBINATION;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Horizons refereed: 1 to 12 months. */
    static final int HORIZONS = 12;
    /** Origins scored before a method other than "no change" may be chosen, and before a range is calibrated. */
    static final int MIN_ORIGINS = 12;
    /** Share of "no change"'s mean absolute error a method must save to be chosen instead. */
    static final double MARGIN = 0.02;
    /**
     * Rule 1, held out: the choice made at each origin from what was known then may not be significantly worse than "no
     * change": its Diebold–Mariano statistic (small-sample corrected) stays at or below the one-sided 5 % point.
     */
    static final double DM_LIMIT = 1.645;
    /** Rule 2: the share of actuals inside p10–p90 lies between these. */
    static final double COVERAGE_LOW = 0.70;
    static final double COVERAGE_HIGH = 0.90;

    private static final List<Method> BASE = List.of(Method.NAIVE, Method.ETS, Method.SIMULATION);

    private Referee() {
    }

    /**
     * A measure's history at consecutive month ends and the simulation's medians from each origin.
     *
     * @param actual     the measure at each month end (NaN where it is not defined)
     * @param simulation [origin index][horizon - 1] the simulation's median, null where no projection was made from there
     * @param firstOrigin the first index projected from
     * @param count      whether the measure is a count (leavers): its scale is at least 1
     */
    record Series(String measure, double[] actual, double[][] simulation, int firstOrigin, boolean count) {
    }

    /** A candidate's record at one horizon: mean absolute error, MAPE (percent, months with a non-zero actual), combination weight. */
    record Candidate(String method, Double mae, Double mape, Double weight) {
    }

    /**
     * The referee's finding for a measure and horizon.
     *
     * @param method          the method used now
     * @param monthsCompared  origins scored at this horizon
     * @param mase            MAE of the method used now ÷ MAE of "no change", over the same origins
     * @param heldOutMase     the same with each origin forecast by the choice made from the errors known at that origin
     * @param heldOutDm       the Diebold–Mariano statistic of those held-out absolute errors against "no change"'s (positive:
     *                        worse), corrected for small samples
     * @param coverage        share of actuals inside the method's calibrated p10–p90
     * @param heldOutCoverage the same with each range calibrated on the errors known at its origin (origins with enough of them)
     * @param forecastMape    MAPE of the method used now (percent)
     * @param naiveMape       MAPE of "no change" (percent)
     */
    record Score(int horizon, String measure, String method, int monthsCompared, Double mase, Double heldOutMase, Double heldOutDm,
                 Double coverage, Double heldOutCoverage, Double forecastMape, Double naiveMape, List<Candidate> candidates) {
    }

    /** How to forecast a measure at a horizon now: the method, the combination's weights, and the calibrated error band. */
    record Model(Method method, Map<Method, Double> weights, double low, double high, boolean calibrated) {

        static final Model NAIVE = new Model(Method.NAIVE, Map.of(), Double.NaN, Double.NaN, false);
    }

    /** The findings for one measure: a score and a model per horizon 1..12. */
    record Finding(String measure, List<Score> scores, List<Model> models) {
    }

    // ---------------------------------------------------------------- refereeing

    static Finding referee(Series s) {
        double[] y = s.actual();
        int n = y.length;
        double[][][] fc = new double[Method.values().length][n][];
        for (int i = s.firstOrigin(); i < n; i++) {
            fc[Method.NAIVE.ordinal()][i] = naive(y, i, HORIZONS);
            fc[Method.ETS.ordinal()][i] = ets(y, i, HORIZONS);
            fc[Method.SIMULATION.ordinal()][i] = s.simulation()[i];
        }
        List<Score> scores = new ArrayList<>();
        List<Model> models = new ArrayList<>();
        for (int horizon = 1; horizon <= HORIZONS; horizon++) {
            int h = horizon;
            List<Integer> origins = new ArrayList<>();
            for (int i = s.firstOrigin(); i + h < n; i++) {
                if (Double.isFinite(y[i + h]) && scored(fc, i, h)) {
                    origins.add(i);
                }
            }
            Judged now = judge(s, fc, origins, h);
            // Held out: at each origin, the choice and the band from the errors whose target month had passed.
            double heldAbs = 0;
            double naiveAbs = 0;
            int inside = 0;
            int banded = 0;
            double[] differences = new double[origins.size()];
            int d = 0;
            for (int i : origins) {
                int at = i;
                List<Integer> known = origins.stream().filter(j -> j + h <= at).toList();
                Judged then = judge(s, fc, known, h);
                double f = forecast(fc, then.model, i, h);
                double actual = y[i + h];
                heldAbs += Math.abs(actual - f);
                naiveAbs += Math.abs(actual - y[i]);
                differences[d++] = Math.abs(actual - f) - Math.abs(actual - y[i]);
                if (then.model.calibrated()) {
                    double e = (actual - f) / scale(s, i);
                    banded++;
                    inside += e >= then.model.low() - 1e-12 && e <= then.model.high() + 1e-12 ? 1 : 0;
                }
            }
            Double heldOut = origins.isEmpty() ? null : naiveAbs > 0 ? round(heldAbs / naiveAbs, 3) : heldAbs > 0 ? null : 1.0;
            scores.add(new Score(h, s.measure(), now.model.method().id(), origins.size(), now.mase, heldOut,
                    origins.isEmpty() ? null : round(dieboldMariano(differences, h), 3), now.coverage,
                    banded == 0 ? null : round((double) inside / banded, 3), now.mape(now.model.method()),
                    now.mape(Method.NAIVE), now.candidates()));
            models.add(now.model);
        }
        return new Finding(s.measure(), scores, models);
    }

    /** The choice over a set of origins, with each candidate's record there. */
    private record Judged(Model model, Double mase, Double coverage, Map<Method, double[]> records) {

        Double mape(Method m) {
            double[] r = records.get(m);
            return r == null || Double.isNaN(r[1]) ? null : round(r[1], 1);
        }

        List<Candidate> candidates() {
            List<Candidate> out = new ArrayList<>();
            for (Method m : Method.values()) {
                double[] r = records.get(m);
                Double weight = model.weights().get(m);
                out.add(new Candidate(m.id(), r == null ? null : round(r[0], 3), mape(m), weight == null ? null : round(weight, 3)));
            }
            return out;
        }
    }

    private static Judged judge(Series s, double[][][] fc, List<Integer> origins, int h) {
        if (origins.isEmpty()) {
            return new Judged(Model.NAIVE, null, null, Map.of());
        }
        double[] y = s.actual();
        Map<Method, Double> weights = weights(s, fc, origins, h);
        Map<Method, double[]> records = new EnumMap<>(Method.class);
        for (Method m : Method.values()) {
            Model as = new Model(m, weights, 0, 0, false);
            double abs = 0;
            double pct = 0;
            int pctN = 0;
            for (int i : origins) {
                double e = Math.abs(y[i + h] - forecast(fc, as, i, h));
                abs += e;
                if (Math.abs(y[i + h]) > 1e-9) {
                    pct += e / Math.abs(y[i + h]);
                    pctN++;
                }
            }
            records.put(m, new double[] {abs / origins.size(), pctN == 0 ? Double.NaN : pct / pctN * 100});
        }
        double naive = records.get(Method.NAIVE)[0];
        Method chosen = Method.NAIVE;
        if (origins.size() >= MIN_ORIGINS) {
            for (Method m : Method.values()) {
                if (records.get(m)[0] < records.get(chosen)[0] && records.get(m)[0] < (1 - MARGIN) * naive) {
                    chosen = m;
                }
            }
        }
        Double mase = naive > 0 ? round(records.get(chosen)[0] / naive, 3) : records.get(chosen)[0] > 0 ? null : 1.0;
        if (origins.size() < MIN_ORIGINS) {
            return new Judged(new Model(chosen, weights, Double.NaN, Double.NaN, false), mase, null, records);
        }
        double[] errors = new double[origins.size()];
        Model point = new Model(chosen, weights, 0, 0, false);
        for (int k = 0; k < errors.length; k++) {
            int i = origins.get(k);
            errors[k] = (y[i + h] - forecast(fc, point, i, h)) / scale(s, i);
        }
        // symmetric band: the conformal quantile of the absolute errors, so that a new error falls inside it with
        // probability 0.8 where errors are exchangeable (the (1 + 1/n) corrects for estimating it from n errors)
        double[] absolute = Arrays.stream(errors).map(Math::abs).sorted().toArray();
        double q = Simulation.percentile(absolute, absolute.length, Math.min(1, 0.8 * (1 + 1.0 / absolute.length)));
        double low = -q;
        double high = q;
        int inside = 0;
        for (double e : errors) {
            inside += e >= low - 1e-12 && e <= high + 1e-12 ? 1 : 0;
        }
        return new Judged(new Model(chosen, weights, low, high, true), mase, round((double) inside / errors.length, 3), records);
    }

    /** Weights of the combination: inverse mean squared (scaled) error of each base method over the origins; equal if none. */
    private static Map<Method, Double> weights(Series s, double[][][] fc, List<Integer> origins, int h) {
        Map<Method, Double> w = new EnumMap<>(Method.class);
        if (origins.isEmpty()) {
            BASE.forEach(m -> w.put(m, 1.0 / BASE.size()));
            return w;
        }
        double total = 0;
        for (Method m : BASE) {
            double sq = 0;
            for (int i : origins) {
                double e = (s.actual()[i + h] - fc[m.ordinal()][i][h - 1]) / scale(s, i);
                sq += e * e;
            }
            double inverse = 1 / Math.max(sq / origins.size(), 1e-12);
            w.put(m, inverse);
            total += inverse;
        }
        for (Method m : BASE) {
            w.put(m, w.get(m) / total);
        }
        return w;
    }

    /**
     * The Diebold–Mariano statistic of a series of loss differences (a forecast's absolute error less that of "no change" at
     * the same origins): their mean over its standard error, with the autocovariances of overlapping h-month forecasts up to
     * lag h − 1 (Bartlett weights, so the variance is never negative), times Harvey, Leybourne and Newbold's small-sample
     * correction. Positive: the forecast did worse. No difference at all: 0.
     */
    static double dieboldMariano(double[] d, int h) {
        int n = d.length;
        if (n < 2) {
            return 0;
        }
        double mean = Arrays.stream(d).average().orElse(0);
        double variance = 0;
        for (int lag = 0; lag < Math.min(h, n); lag++) {
            double c = 0;
            for (int t = lag; t < n; t++) {
                c += (d[t] - mean) * (d[t - lag] - mean);
            }
            c /= n;
            variance += lag == 0 ? c : 2 * (1 - (double) lag / h) * c;
        }
        if (variance <= 0) {
            return mean > 0 ? Double.POSITIVE_INFINITY : 0;
        }
        double correction = Math.sqrt(Math.max(0, (n + 1 - 2.0 * h + h * (h - 1.0) / n) / n));
        return correction * mean / Math.sqrt(variance / n);
    }

    /** Whether every base method forecast origin i at horizon h. */
    private static boolean scored(double[][][] fc, int i, int h) {
        for (Method m : BASE) {
            double[] row = fc[m.ordinal()][i];
            if (row == null || row.length < h || !Double.isFinite(row[h - 1])) {
                return false;
            }
        }
        return true;
    }

    private static double forecast(double[][][] fc, Model model, int i, int h) {
        return point(model, m -> fc[m.ordinal()][i][h - 1]);
    }

    /** The model's point forecast from each base method's: the chosen one's, or the combination's weighted sum. */
    private static double point(Model model, java.util.function.ToDoubleFunction<Method> forecastBy) {
        if (model.method() != Method.COMBINATION) {
            return forecastBy.applyAsDouble(model.method());
        }
        double sum = 0;
        for (Method m : BASE) {
            sum += model.weights().get(m) * forecastBy.applyAsDouble(m);
        }
        return sum;
    }

    // ---------------------------------------------------------------- the candidates and the scale

    /** "No change": the value at the origin, 1..months ahead. */
    static double[] naive(double[] y, int i, int months) {
        double[] out = new double[months];
        Arrays.fill(out, y[i]);
        return out;
    }

    /** Exponential smoothing over the values up to the origin (the run of defined values ending there), 1..months ahead. */
    static double[] ets(double[] y, int i, int months) {
        if (!Double.isFinite(y[i])) {
            double[] none = new double[months];
            Arrays.fill(none, Double.NaN);
            return none;
        }
        int from = i;
        while (from > 0 && Double.isFinite(y[from - 1])) {
            from--;
        }
        return Ets.forecast(Arrays.copyOfRange(y, from, i + 1), months);
    }

    /**
     * The series' volatility at an origin: the mean absolute change from month to month over the 12 months up to it (at
     * least 1 for a count, and at least 0.5 % of the level otherwise). Errors are divided by it, so that a range learnt in
     * calm months widens when the series moves more, as the mean absolute scaled error of Hyndman and Koehler scales them.
     */
    static double scale(Series s, int i) {
        double change = 0;
        int changes = 0;
        double level = 0;
        int levels = 0;
        for (int j = Math.max(0, i - 11); j <= i; j++) {
            double v = s.actual()[j];
            if (!Double.isFinite(v)) {
                continue;
            }
            level += Math.abs(v);
            levels++;
            if (j > 0 && Double.isFinite(s.actual()[j - 1])) {
                change += Math.abs(v - s.actual()[j - 1]);
                changes++;
            }
        }
        double volatility = changes == 0 ? 0 : change / changes;
        double floor = s.count() ? 1 : Math.max(1e-6, 0.005 * (levels == 0 ? 0 : level / levels));
        return Math.max(volatility, floor);
    }

    // ---------------------------------------------------------------- now

    /**
     * The refereed forecast now: for each month ahead (its horizon from the last value of the history, 1 or more), the point
     * forecast of the method used at that horizon (beyond 12 months, the 12-month choice) and the range from its calibrated
     * band; without a calibrated band (too little history), the simulation's own spread is put around the point.
     *
     * @param horizons  months from the last value of the history, one per month forecast
     * @param simulated the simulation's range for each of those months (null where it has none)
     */
    static List<Range> now(Series s, List<Model> models, int[] horizons, Range[] simulated) {
        double[] y = s.actual();
        int last = y.length - 1;
        int longest = Arrays.stream(horizons).max().orElse(1);
        double[] naive = naive(y, last, longest);
        double[] ets = ets(y, last, longest);
        List<Range> out = new ArrayList<>();
        for (int k = 0; k < horizons.length; k++) {
            int h = horizons[k];
            Range sim = simulated[k];
            Model model = models.get(Math.min(h, HORIZONS) - 1);
            double[] values = new double[Method.values().length];
            values[Method.NAIVE.ordinal()] = naive[h - 1];
            values[Method.ETS.ordinal()] = ets[h - 1];
            values[Method.SIMULATION.ordinal()] = sim == null ? Double.NaN : sim.p50();
            double point = point(model, m -> values[m.ordinal()]);
            if (!Double.isFinite(point)) {
                point = naive[h - 1];
            }
            if (!Double.isFinite(point)) {
                out.add(null);
                continue;
            }
            double low;
            double high;
            if (model.calibrated()) {
                double scale = scale(s, last);
                low = point + model.low() * scale;
                high = point + model.high() * scale;
            } else if (sim != null) {
                low = point - (sim.p50() - sim.p10());
                high = point + (sim.p90() - sim.p50());
            } else {
                low = point;
                high = point;
            }
            out.add(new Range(round(Math.max(0, low), 2), round(Math.max(0, point), 2), round(Math.max(0, high), 2)));
        }
        return out;
    }

    static Double round(double v, int places) {
        if (!Double.isFinite(v)) {
            return null;
        }
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
