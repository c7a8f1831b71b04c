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
 * from the errors known then (those whose target month had passed) gives the held-out record, which is what the rule is
 * stated on. A range is the point forecast plus the 10th and 90th percentiles of the choice's past errors at that horizon,
 * each error divided by the series' mean level over the 12 months before its origin.
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
    /** Rule 1: the held-out MASE (mean absolute error ÷ that of "no change" over the same origins) may not exceed this. */
    static final double MASE_LIMIT = 1.05;
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
     * @param coverage        share of actuals inside the method's calibrated p10–p90
     * @param heldOutCoverage the same with each range calibrated on the errors known at its origin (origins with enough of them)
     * @param forecastMape    MAPE of the method used now (percent)
     * @param naiveMape       MAPE of "no change" (percent)
     */
    record Score(int horizon, String measure, String method, int monthsCompared, Double mase, Double heldOutMase, Double coverage,
                 Double heldOutCoverage, Double forecastMape, Double naiveMape, List<Candidate> candidates) {

        /** Whether the two rules hold (where enough origins were scored to judge). */
        boolean holds() {
            if (monthsCompared < MIN_ORIGINS) {
                return "naive".equals(method);
            }
            return mase != null && mase <= 1 + 1e-9 && heldOutMase != null && heldOutMase <= MASE_LIMIT
                    && coverage != null && coverage >= COVERAGE_LOW && coverage <= COVERAGE_HIGH;
        }
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
            fc[Method.NAIVE.ordinal()][i] = naive(y, i);
            fc[Method.ETS.ordinal()][i] = ets(y, i);
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
            for (int i : origins) {
                int at = i;
                List<Integer> known = origins.stream().filter(j -> j + h <= at).toList();
                Judged then = judge(s, fc, known, h);
                double f = forecast(fc, then.model, i, h);
                double actual = y[i + h];
                heldAbs += Math.abs(actual - f);
                naiveAbs += Math.abs(actual - y[i]);
                if (then.model.calibrated()) {
                    double e = (actual - f) / scale(s, i);
                    banded++;
                    inside += e >= then.model.low() - 1e-12 && e <= then.model.high() + 1e-12 ? 1 : 0;
                }
            }
            Double heldOut = origins.isEmpty() ? null : naiveAbs > 0 ? round(heldAbs / naiveAbs, 3) : heldAbs > 0 ? null : 1.0;
            scores.add(new Score(h, s.measure(), now.model.method().id(), origins.size(), now.mase, heldOut, now.coverage,
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
        double[] sorted = errors.clone();
        Arrays.sort(sorted);
        double low = Simulation.percentile(sorted, sorted.length, 0.1);
        double high = Simulation.percentile(sorted, sorted.length, 0.9);
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
        if (model.method() != Method.COMBINATION) {
            return fc[model.method().ordinal()][i][h - 1];
        }
        double sum = 0;
        for (Method m : BASE) {
            sum += model.weights().get(m) * fc[m.ordinal()][i][h - 1];
        }
        return sum;
    }

    // ---------------------------------------------------------------- the candidates and the scale

    /** "No change": the value at the origin, at every horizon. */
    static double[] naive(double[] y, int i) {
        double[] out = new double[HORIZONS];
        Arrays.fill(out, y[i]);
        return out;
    }

    /** Exponential smoothing over the values up to the origin (the run of defined values ending there). */
    static double[] ets(double[] y, int i) {
        if (!Double.isFinite(y[i])) {
            double[] none = new double[HORIZONS];
            Arrays.fill(none, Double.NaN);
            return none;
        }
        int from = i;
        while (from > 0 && Double.isFinite(y[from - 1])) {
            from--;
        }
        return Ets.forecast(Arrays.copyOfRange(y, from, i + 1), HORIZONS);
    }

    /** The series' mean level over the 12 months up to the origin (at least 1 for a count): errors are divided by it. */
    static double scale(Series s, int i) {
        double sum = 0;
        int n = 0;
        for (int j = Math.max(0, i - 11); j <= i; j++) {
            if (Double.isFinite(s.actual()[j])) {
                sum += Math.abs(s.actual()[j]);
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        return s.count() ? Math.max(mean, 1) : Math.max(mean, 1e-6);
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
        double[] naive = new double[longest];
        Arrays.fill(naive, y[last]);
        double[] ets = new double[longest];
        Arrays.fill(ets, Double.NaN);
        if (Double.isFinite(y[last])) {
            int from = last;
            while (from > 0 && Double.isFinite(y[from - 1])) {
                from--;
            }
            ets = Ets.forecast(Arrays.copyOfRange(y, from, last + 1), longest);
        }
        List<Range> out = new ArrayList<>();
        for (int k = 0; k < horizons.length; k++) {
            int h = horizons[k];
            Range sim = simulated[k];
            Model model = models.get(Math.min(h, HORIZONS) - 1);
            double[] values = new double[Method.values().length];
            values[Method.NAIVE.ordinal()] = naive[h - 1];
            values[Method.ETS.ordinal()] = ets[h - 1];
            values[Method.SIMULATION.ordinal()] = sim == null ? Double.NaN : sim.p50();
            double point;
            if (model.method() == Method.COMBINATION) {
                point = 0;
                for (Method m : BASE) {
                    point += model.weights().get(m) * values[m.ordinal()];
                }
            } else {
                point = values[model.method().ordinal()];
            }
            if (!Double.isFinite(point)) {
                point = naive[h - 1];
            }
            if (!Double.isFinite(point)) {
                out.add(sim);
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
