package org.workforcewatch.spc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An XmR (individuals and moving range) chart of one monthly series, as in NHS England's "Making Data
 * Count": the mean, the natural process limits (mean ± 2.66 × the average moving range), the
 * special-cause signals on each point and the verdicts the board reads from them. Every indicator is
 * higher-is-worse. docs/SPC.md explains the rules in plain English; the constants below are those rules.
 */
public record Xmr(List<Point> points, double mean, double averageMovingRange, double upperLimit, double lowerLimit,
                  Variation variation, Assurance assurance, Double target) {

    /** Below this many points the limits are too unsettled to judge variation or assurance. */
    public static final int MIN_POINTS = 12;
    /** 3 ÷ d2, where d2 = 1.128 is the expected range of two points from a normal distribution. */
    public static final double LIMIT_FACTOR = 2.66;
    /** A run: this many consecutive points or more all above the mean or all below it. */
    public static final int RUN_LENGTH = 7;
    /** A trend: this many consecutive points or more (one fewer increases or decreases), each step strict. */
    public static final int TREND_LENGTH = 6;

    /** One month: its value, the moving range from the month before (null for the first) and its signals. */
    public record Point(LocalDate month, double value, Double movingRange, Set<Signal> signals) {
    }

    public enum Signal {
        OUTSIDE_LIMITS, RUN, TREND;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Variation {
        COMMON_CAUSE, CONCERNING, IMPROVING, NOT_ENOUGH_DATA;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Assurance {
        PASSING, FAILING, HIT_AND_MISS, NO_TARGET, NOT_ENOUGH_DATA;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Xmr {
        points = List.copyOf(points);
    }

    /** The latest point, if any (not part of the JSON: the last of {@code points}). */
    @JsonIgnore
    public Point latest() {
        return points.isEmpty() ? null : points.get(points.size() - 1);
    }

    /**
     * The chart of a series. Months whose value is null (a rate with nothing to divide by) are left out:
     * they are gaps, not zeros. {@code target} is the target in force (null when there is none). With no
     * points at all the mean and limits are 0; with fewer than {@link #MIN_POINTS} the limits are worked out
     * but no point is flagged and both verdicts are NOT_ENOUGH_DATA.
     */
    public static Xmr of(List<LocalDate> months, List<Double> values, Double target) {
        if (months.size() != values.size()) {
            throw new IllegalArgumentException("months and values differ in length: " + months.size() + " and " + values.size());
        }
        List<LocalDate> m = new ArrayList<>();
        List<Double> x = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            if (values.get(i) != null && Double.isFinite(values.get(i))) {
                m.add(months.get(i));
                x.add(values.get(i));
            }
        }
        int n = x.size();
        double mean = n == 0 ? 0 : x.stream().mapToDouble(Double::doubleValue).sum() / n;
        double rangeSum = 0;
        for (int i = 1; i < n; i++) {
            rangeSum += Math.abs(x.get(i) - x.get(i - 1));
        }
        double averageMovingRange = n < 2 ? 0 : rangeSum / (n - 1);
        double upper = mean + LIMIT_FACTOR * averageMovingRange;
        double lower = mean - LIMIT_FACTOR * averageMovingRange;

        List<EnumSet<Signal>> signals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            signals.add(EnumSet.noneOf(Signal.class));
        }
        boolean enough = n >= MIN_POINTS;
        if (enough) {
            for (int i = 0; i < n; i++) {
                if (x.get(i) > upper || x.get(i) < lower) {
                    signals.get(i).add(Signal.OUTSIDE_LIMITS);
                }
            }
            // Runs: maximal stretches on one side of the mean; a point on the mean belongs to neither side.
            markStretches(n, i -> Integer.signum(Double.compare(x.get(i), mean)), RUN_LENGTH, Signal.RUN, signals, false);
            // Trends: maximal stretches of strict steps in one direction; point i carries the step from i-1.
            markStretches(n, i -> i == 0 ? 0 : Integer.signum(Double.compare(x.get(i), x.get(i - 1))), TREND_LENGTH - 1,
                    Signal.TREND, signals, true);
        }

        List<Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new Point(m.get(i), x.get(i), i == 0 ? null : Math.abs(x.get(i) - x.get(i - 1)),
                    Collections.unmodifiableSet(signals.get(i))));
        }
        Variation variation = enough ? variation(points, mean) : Variation.NOT_ENOUGH_DATA;
        Assurance assurance = !enough ? Assurance.NOT_ENOUGH_DATA
                : target == null ? Assurance.NO_TARGET
                : target > upper ? Assurance.PASSING
                : target < lower ? Assurance.FAILING
                : Assurance.HIT_AND_MISS;
        return new Xmr(points, mean, averageMovingRange, upper, lower, variation, assurance, target);
    }

    /**
     * Flags every point of each maximal stretch of equal non-zero direction at least {@code length} long.
     * For trends the direction belongs to the step into a point, so a stretch of k steps covers k + 1
     * points: the point the first step leaves from is flagged too.
     */
    private static void markStretches(int n, java.util.function.IntUnaryOperator direction, int length, Signal signal,
                                      List<EnumSet<Signal>> signals, boolean includeStart) {
        int i = 0;
        while (i < n) {
            int d = direction.applyAsInt(i);
            int j = i;
            while (j + 1 < n && d != 0 && direction.applyAsInt(j + 1) == d) {
                j++;
            }
            if (d != 0 && j - i + 1 >= length) {
                for (int k = includeStart ? i - 1 : i; k <= j; k++) {
                    signals.get(k).add(signal);
                }
            }
            i = j + 1;
        }
    }

    /**
     * The latest point decides. A point beyond a limit or in a run reads by its side of the mean (above
     * is concerning, as higher is worse); a trend reads by its direction. Where a run or an outlying point
     * and a trend disagree, the side of the mean wins: it says where the process is now, the trend only
     * where it is heading.
     */
    private static Variation variation(List<Point> points, double mean) {
        Point last = points.get(points.size() - 1);
        Set<Signal> s = last.signals();
        if (s.contains(Signal.OUTSIDE_LIMITS) || s.contains(Signal.RUN)) {
            return last.value() > mean ? Variation.CONCERNING : Variation.IMPROVING;
        }
        if (s.contains(Signal.TREND)) {
            double previous = points.get(points.size() - 2).value();
            return last.value() > previous ? Variation.CONCERNING : Variation.IMPROVING;
        }
        return Variation.COMMON_CAUSE;
    }
}
