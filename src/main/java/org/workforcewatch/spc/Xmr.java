package org.workforcewatch.spc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.workforcewatch.indicators.Indicator.Polarity;

/**
 * An XmR (individuals and moving range) chart of one monthly series, as NHS England's "Making Data Count"
 * defines it and its reference implementation (NHSRplotthedots) computes it: per baseline the mean, the
 * process limits (mean ± 2.66 × the mean moving range, after screening out moving ranges of 3.267 times
 * the mean or more), the two-sigma lines, a special-cause rule on each point, and the verdicts the board
 * reads. One product rule goes further than the reference: when the latest point is special cause the old
 * limits give no assurance ({@link Assurance#PROCESS_CHANGED}). docs/SPC.md explains the rules in plain English.
 *
 * @param processChangedSince the month of the first point of the unbroken special cause that ends with the
 *                            latest point (null when the latest point is common cause)
 * @param rebaseSuggestedAt   the date to rebase at for that change: the first day of that month (null when none)
 */
public record Xmr(Polarity polarity, Double target, int minPoints, List<Point> points, List<Baseline> baselines,
                  Variation variation, Assurance assurance, Rule latestRule, LocalDate processChangedSince,
                  LocalDate rebaseSuggestedAt) {

    /** 3 ÷ d2, where d2 = 1.128 is the expected range of two points from a normal distribution. */
    public static final double LIMIT_FACTOR = 2.66;
    /** Two sigma: two thirds of the way from the mean to a process limit. */
    public static final double TWO_SIGMA_FACTOR = 2 * LIMIT_FACTOR / 3;
    /** A moving range this many times the mean moving range or more is left out of it (then recomputed once). */
    public static final double SCREENING_FACTOR = 3.267;
    /** A trend: this many consecutive points, each strictly higher (or lower) than the one before. */
    public static final int TREND_LENGTH = 7;
    /** A shift: this many consecutive points on one side of the mean; a point on the mean breaks it. */
    public static final int SHIFT_LENGTH = 7;
    /** Two of three: of this many consecutive points on one side of the mean ... */
    public static final int TWO_OF_THREE_WINDOW = 3;
    /** ... at least this many beyond two sigma (and within the limits). */
    public static final int TWO_OF_THREE_BEYOND = 2;

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.UK);

    /** The special-cause rules, in the order that names a point flagged by more than one. */
    public enum Rule {
        OUTSIDE_LIMITS("outside the process limits"),
        TREND("a trend of " + TREND_LENGTH + " rising or falling"),
        TWO_OF_THREE("two of three beyond two sigma"),
        SHIFT("a shift of " + SHIFT_LENGTH + " on one side of the mean");

        private final String words;

        Rule(String words) {
            this.words = words;
        }

        /** The rule as a board member reads it: "a shift of 7 on one side of the mean". */
        public String words() {
            return words;
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a point (or the latest point, for the chart) says, knowing which way is worse. */
    public enum Variation {
        COMMON_CAUSE("Common cause"), IMPROVING("Special cause: improving"), CONCERNING("Special cause: concerning"),
        NOT_ENOUGH_DATA("Not enough data");

        private final String words;

        Variation(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the process, as its limits describe it, will meet the target. */
    public enum Assurance {
        CONSISTENTLY_PASSES("consistently passes the target"), CONSISTENTLY_FAILS("consistently fails the target"),
        HIT_AND_MISS("hit and miss against the target"), PROCESS_CHANGED("process changed: no assurance from the old limits"),
        NO_TARGET("no target"), NOT_ENOUGH_DATA("not enough data");

        private final String words;

        Assurance(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One month: its value; the moving range from the month before in the same baseline (null for a baseline's
     * first point) and whether screening left it out of the mean moving range; the first month of its
     * baseline; the rule that flags it (null: common cause), what it says, and the first month of the trend,
     * shift, two of three or outlying point that flags it ({@code specialCauseFrom}, null for common cause).
     */
    public record Point(LocalDate month, double value, Double movingRange, boolean movingRangeScreened, LocalDate baseline,
                        Rule rule, Variation variation, LocalDate specialCauseFrom) {
    }

    /**
     * A stretch of points judged against one set of limits. {@code rebasedAt} is the recorded date that began it
     * (null for the first). {@code limitsFrom} points set the mean and limits: all of them, or the first n when
     * limits are {@code fixed}. Fewer than the minimum points: limits drawn, nothing flagged ({@code judged} false).
     */
    public record Baseline(LocalDate from, LocalDate to, LocalDate rebasedAt, int points, int limitsFrom, boolean fixed,
                           double mean, double averageMovingRange, int screenedMovingRanges, double upperLimit,
                           double lowerLimit, double upperTwoSigma, double lowerTwoSigma, boolean judged) {
    }

    public Xmr {
        points = List.copyOf(points);
        baselines = List.copyOf(baselines);
    }

    /** The latest point, if any. */
    @JsonIgnore
    public Point latest() {
        return points.isEmpty() ? null : points.get(points.size() - 1);
    }

    /** The baseline of the latest point, whose limits give the verdicts (null with no points). */
    @JsonIgnore
    public Baseline current() {
        return baselines.isEmpty() ? null : baselines.get(baselines.size() - 1);
    }

    /**
     * The verdicts in one plain sentence, as the chart, the dashboard and the board pack say them:
     * "Special cause: concerning; process changed since Jun 2026: rebase suggested".
     */
    @JsonProperty("verdict")
    public String verdict() {
        Baseline now = current();
        if (now != null && !now.judged() && now.rebasedAt() != null) {
            return "Not enough data since the rebase in " + now.from().format(MONTH) + " (" + now.points() + " of " + minPoints
                    + " months)";
        }
        StringBuilder s = new StringBuilder(variation.words());
        if (processChangedSince != null) {
            s.append("; process changed since ").append(processChangedSince.format(MONTH)).append(": rebase suggested");
        } else if (assurance != Assurance.NOT_ENOUGH_DATA && assurance != Assurance.NO_TARGET) {
            s.append("; ").append(assurance.words());
        }
        return s.toString();
    }

    /** The chart of a series with the default settings and no recorded baselines. */
    public static Xmr of(List<LocalDate> months, List<Double> values, Double target, Polarity polarity) {
        return of(months, values, target, polarity, List.of(), SpcSettings.DEFAULTS);
    }

    /**
     * The chart of a series. Months whose value is null (a rate with nothing to divide by) are left out: they are
     * gaps, not zeros. {@code target} is the target in force (null: none). Each date in {@code rebaseDates} starts
     * a new baseline with the first point on or after it; every rule works within one baseline.
     */
    public static Xmr of(List<LocalDate> months, List<Double> values, Double target, Polarity polarity,
                         List<LocalDate> rebaseDates, SpcSettings settings) {
        if (months.size() != values.size()) {
            throw new IllegalArgumentException("months and values differ in length: " + months.size() + " and " + values.size());
        }
        List<LocalDate> m = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            if (values.get(i) != null && Double.isFinite(values.get(i))) {
                m.add(months.get(i));
                y.add(values.get(i));
            }
        }
        List<LocalDate> rebases = rebaseDates.stream().sorted().toList();
        List<Point> points = new ArrayList<>();
        List<Baseline> baselines = new ArrayList<>();
        int start = 0;
        while (start < m.size()) {
            LocalDate first = m.get(start);
            // the rebase that began this baseline (for the first, one before the chart's first month, if any) ...
            LocalDate began = rebases.stream().filter(d -> !d.isAfter(first)).reduce((earlier, later) -> later).orElse(null);
            // ... and the next, whose first point on or after it begins the next baseline
            LocalDate next = rebases.stream().filter(d -> d.isAfter(first)).findFirst().orElse(null);
            int end = start;
            while (end < m.size() && (next == null || m.get(end).isBefore(next))) {
                end++;
            }
            baselines.add(judge(m.subList(start, end), y.subList(start, end), began, polarity, settings, points));
            start = end;
        }

        Baseline now = baselines.isEmpty() ? null : baselines.get(baselines.size() - 1);
        Point latest = points.isEmpty() ? null : points.get(points.size() - 1);
        if (now == null || !now.judged()) {
            return new Xmr(polarity, target, settings.minPoints(), points, baselines, Variation.NOT_ENOUGH_DATA,
                    Assurance.NOT_ENOUGH_DATA, null, null, null);
        }
        LocalDate changedSince = null;
        if (latest.rule() != null) {
            // the unbroken special cause of the same kind (improving or concerning) that ends with the latest point:
            // from the start of the signal that flags it, back through any signal of that kind just before
            changedSince = latest.specialCauseFrom();
            for (int i = points.size() - 1; i > 0; i--) {
                Point p = points.get(i);
                Point before = points.get(i - 1);
                if (p.month().isAfter(changedSince)) {
                    continue;
                }
                if (!before.baseline().equals(latest.baseline()) || before.rule() == null || before.variation() != latest.variation()) {
                    break;
                }
                if (before.specialCauseFrom().isBefore(changedSince)) {
                    changedSince = before.specialCauseFrom();
                }
            }
        }
        Assurance assurance = target == null ? Assurance.NO_TARGET
                : changedSince != null ? Assurance.PROCESS_CHANGED
                : assurance(target, now, polarity);
        return new Xmr(polarity, target, settings.minPoints(), points, baselines, latest.variation(), assurance, latest.rule(),
                changedSince, changedSince == null ? null : changedSince.withDayOfMonth(1));
    }

    /**
     * Where the target sits against the limits, never the latest value: for higher-is-worse, a target above the
     * upper limit is passed by every ordinary month and one below the lower limit by none. On a limit: hit and miss.
     */
    static Assurance assurance(double target, Baseline limits, Polarity polarity) {
        boolean aboveUpper = target > limits.upperLimit();
        boolean belowLower = target < limits.lowerLimit();
        return switch (polarity) {
            case HIGHER_IS_WORSE -> aboveUpper ? Assurance.CONSISTENTLY_PASSES
                    : belowLower ? Assurance.CONSISTENTLY_FAILS : Assurance.HIT_AND_MISS;
            case HIGHER_IS_BETTER -> belowLower ? Assurance.CONSISTENTLY_PASSES
                    : aboveUpper ? Assurance.CONSISTENTLY_FAILS : Assurance.HIT_AND_MISS;
        };
    }

    /** Limits for one baseline's points, and its points (added to {@code out}) with their rules. */
    private static Baseline judge(List<LocalDate> m, List<Double> y, LocalDate rebasedAt, Polarity polarity,
                                  SpcSettings settings, List<Point> out) {
        int n = y.size();
        int limitsFrom = settings.fixed() ? Math.min(settings.fixAfterPoints(), n) : n;
        double mean = 0;
        for (int i = 0; i < limitsFrom; i++) {
            mean += y.get(i);
        }
        mean /= limitsFrom;
        Double[] ranges = new Double[n];
        for (int i = 1; i < n; i++) {
            ranges[i] = Math.abs(y.get(i) - y.get(i - 1));
        }
        double meanRange = meanOf(ranges, limitsFrom, null);
        boolean[] screened = new boolean[n];
        int screenedCount = 0;
        if (meanRange > 0) {
            for (int i = 1; i < limitsFrom; i++) {
                if (ranges[i] >= SCREENING_FACTOR * meanRange) {
                    screened[i] = true;
                    screenedCount++;
                }
            }
            meanRange = meanOf(ranges, limitsFrom, screened);
        }
        double upper = mean + LIMIT_FACTOR * meanRange;
        double lower = mean - LIMIT_FACTOR * meanRange;
        double upperTwoSigma = mean + TWO_SIGMA_FACTOR * meanRange;
        double lowerTwoSigma = mean - TWO_SIGMA_FACTOR * meanRange;
        boolean judged = n >= settings.minPoints();

        Rule[] rules = new Rule[n];
        boolean[] high = new boolean[n];
        int[] from = new int[n];
        if (judged) {
            int[] side = new int[n];
            boolean[] outside = new boolean[n];
            boolean[] beyondTwoSigma = new boolean[n];
            for (int i = 0; i < n; i++) {
                double v = y.get(i);
                side[i] = Double.compare(v, mean) > 0 ? 1 : Double.compare(v, mean) < 0 ? -1 : 0;
                outside[i] = v > upper || v < lower;
                beyondTwoSigma[i] = !outside[i] && (v > upperTwoSigma || v < lowerTwoSigma);
            }
            // Rules in reverse precedence, each overwriting the name a later one gave: the first rule that applies names it.
            for (int[] run : runs(n, i -> side[i], SHIFT_LENGTH)) {
                flag(rules, high, from, run[0], run[1], Rule.SHIFT, run[2] > 0);
            }
            for (int w = 0; w + TWO_OF_THREE_WINDOW <= n; w++) {
                int s = side[w];
                int beyond = 0;
                boolean oneSide = s != 0;
                for (int k = w; k < w + TWO_OF_THREE_WINDOW; k++) {
                    oneSide &= side[k] == s;
                    beyond += beyondTwoSigma[k] ? 1 : 0;
                }
                if (oneSide && beyond >= TWO_OF_THREE_BEYOND) {
                    int first = -1;
                    for (int k = w; k < w + TWO_OF_THREE_WINDOW; k++) {
                        if (beyondTwoSigma[k]) {
                            // a point in two overlapping windows keeps the earlier one's start
                            first = first >= 0 ? first : rules[k] == Rule.TWO_OF_THREE ? from[k] : k;
                            flag(rules, high, from, k, k, Rule.TWO_OF_THREE, s > 0);
                            from[k] = first;
                        }
                    }
                }
            }
            // a trend's direction is the sign of the step into each point; a stretch of k equal steps covers k + 1 points
            for (int[] run : runs(n, i -> i == 0 ? 0 : Integer.signum(Double.compare(y.get(i), y.get(i - 1))), TREND_LENGTH - 1)) {
                flag(rules, high, from, run[0] - 1, run[1], Rule.TREND, run[2] > 0);
            }
            for (int i = 0; i < n; i++) {
                if (outside[i]) {
                    flag(rules, high, from, i, i, Rule.OUTSIDE_LIMITS, side[i] > 0);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            Variation v = !judged ? Variation.NOT_ENOUGH_DATA : rules[i] == null ? Variation.COMMON_CAUSE : variation(high[i], polarity);
            out.add(new Point(m.get(i), y.get(i), ranges[i], screened[i], m.get(0), rules[i], v,
                    rules[i] == null ? null : m.get(from[i])));
        }
        return new Baseline(m.get(0), m.get(n - 1), rebasedAt, n, limitsFrom, limitsFrom < n, mean, meanRange, screenedCount,
                upper, lower, upperTwoSigma, lowerTwoSigma, judged);
    }

    /** A high special cause (above the mean, or rising) is concern where higher is worse, improvement where it is better. */
    static Variation variation(boolean high, Polarity polarity) {
        return switch (polarity) {
            case HIGHER_IS_WORSE -> high ? Variation.CONCERNING : Variation.IMPROVING;
            case HIGHER_IS_BETTER -> high ? Variation.IMPROVING : Variation.CONCERNING;
        };
    }

    /** The mean of the moving ranges of the first {@code upTo} points, leaving out those screened. */
    private static double meanOf(Double[] ranges, int upTo, boolean[] screened) {
        double sum = 0;
        int count = 0;
        for (int i = 1; i < upTo; i++) {
            if (screened == null || !screened[i]) {
                sum += ranges[i];
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** Names points {@code first} to {@code last} by a rule, as one signal beginning at {@code first}. */
    private static void flag(Rule[] rules, boolean[] high, int[] from, int first, int last, Rule rule, boolean isHigh) {
        for (int k = first; k <= last; k++) {
            rules[k] = rule;
            high[k] = isHigh;
            from[k] = first;
        }
    }

    /** Maximal stretches of one non-zero direction at least {@code length} long, as {first, last, direction}. */
    private static List<int[]> runs(int n, java.util.function.IntUnaryOperator direction, int length) {
        List<int[]> runs = new ArrayList<>();
        int i = 0;
        while (i < n) {
            int d = direction.applyAsInt(i);
            int j = i;
            while (j + 1 < n && d != 0 && direction.applyAsInt(j + 1) == d) {
                j++;
            }
            if (d != 0 && j - i + 1 >= length) {
                runs.add(new int[] {i, j, d});
            }
            i = j + 1;
        }
        return runs;
    }
}
