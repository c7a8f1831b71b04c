package org.workforcewatch.spc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.workforcewatch.spc.Xmr.Assurance;
import org.workforcewatch.spc.Xmr.Point;
import org.workforcewatch.spc.Xmr.Signal;
import org.workforcewatch.spc.Xmr.Variation;

/** XmR limits, signal rules and verdicts on small series worked by hand (the arithmetic is in the comments). */
class XmrTest {

    private static final double EPS = 1e-9;

    // 10 14 12 10 11 13 12 10 12 11 13 10: sum 138, mean 138 / 12 = 11.5.
    // Moving ranges 4 2 2 1 2 1 2 2 1 2 3: sum 22, average 22 / 11 = 2.
    // Limits 11.5 ± 2.66 × 2 = 11.5 ± 5.32 → upper 16.82, lower 6.18. No point is outside, no run
    // (the longest stretch on one side is 2), no trend (the longest rise is 2 steps).
    private static final double[] STEADY = {10, 14, 12, 10, 11, 13, 12, 10, 12, 11, 13, 10};

    @Test
    void limitsAreTheMeanPlusOrMinus266AverageMovingRanges() {
        Xmr xmr = xmr(STEADY, null);
        assertThat(xmr.mean()).isCloseTo(11.5, within(EPS));
        assertThat(xmr.averageMovingRange()).isCloseTo(2.0, within(EPS));
        assertThat(xmr.upperLimit()).isCloseTo(16.82, within(EPS));
        assertThat(xmr.lowerLimit()).isCloseTo(6.18, within(EPS));
        assertThat(xmr.points()).hasSize(12);
        assertThat(xmr.points().get(0).movingRange()).isNull();
        assertThat(xmr.points().stream().skip(1).map(Point::movingRange).toList())
                .containsExactly(4.0, 2.0, 2.0, 1.0, 2.0, 1.0, 2.0, 2.0, 1.0, 2.0, 3.0);
        assertThat(xmr.points()).allSatisfy(p -> assertThat(p.signals()).isEmpty());
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
        assertThat(xmr.points().get(0).month()).isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(xmr.points().get(11).month()).isEqualTo(LocalDate.of(2024, 12, 31));
    }

    @Test
    void aLowerLimitBelowZeroIsKept() {
        // 10 12 30 12 10 12 10 12 10 12 10 12: sum 152, mean 12.667; moving ranges 2 18 18 2 2 2 2 2 2 2 2 = 54,
        // average 54 / 11 = 4.909; lower limit 12.667 − 13.058 = −0.392.
        Xmr xmr = xmr(new double[] {10, 12, 30, 12, 10, 12, 10, 12, 10, 12, 10, 12}, null);
        assertThat(xmr.lowerLimit()).isCloseTo(152.0 / 12 - 2.66 * 54 / 11, within(EPS)).isNegative();
    }

    @Test
    void monthsWithNoValueAreGapsNotZeros() {
        List<LocalDate> months = new ArrayList<>(months(13));
        List<Double> values = new ArrayList<>(Arrays.stream(STEADY).boxed().toList());
        values.add(6, null);
        Xmr xmr = Xmr.of(months, values, null);
        // The same twelve values as STEADY, so the same limits; the gap month is not a point.
        assertThat(xmr.points()).hasSize(12);
        assertThat(xmr.points()).extracting(Point::month).doesNotContain(months.get(6));
        assertThat(xmr.mean()).isCloseTo(11.5, within(EPS));
        assertThat(xmr.upperLimit()).isCloseTo(16.82, within(EPS));
    }

    @Test
    void monthsAndValuesMustPairUp() {
        assertThatThrownBy(() -> Xmr.of(months(3), List.of(1.0, 2.0), null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- a point outside the limits ----

    // 1039 1043 (five times) then 1233 1557: sum 5 × 2082 + 1233 + 1557 = 13200, mean 1100.
    // Moving ranges: nine of 4 (36), 1233 − 1043 = 190, 1557 − 1233 = 324: sum 550, average 50.
    // Limits 1100 ± 2.66 × 50 = 1100 ± 133 → upper exactly 1233, lower 967.
    private static final double[] ON_UPPER = {1039, 1043, 1039, 1043, 1039, 1043, 1039, 1043, 1039, 1043, 1233, 1557};

    @Test
    void aPointExactlyOnTheUpperLimitIsNotOutsideButOneAboveIs() {
        Xmr xmr = xmr(ON_UPPER, null);
        assertThat(xmr.mean()).isEqualTo(1100.0);
        assertThat(xmr.averageMovingRange()).isEqualTo(50.0);
        assertThat(xmr.upperLimit()).isEqualTo(1233.0);
        assertThat(xmr.points().get(10).value()).isEqualTo(xmr.upperLimit());
        assertThat(xmr.points().get(10).signals()).doesNotContain(Signal.OUTSIDE_LIMITS);
        assertThat(xmr.points().get(11).signals()).contains(Signal.OUTSIDE_LIMITS);
        assertThat(xmr.points().subList(0, 10)).allSatisfy(p -> assertThat(p.signals()).doesNotContain(Signal.OUTSIDE_LIMITS));
        // The latest point is above the upper limit: higher is worse.
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
    }

    @Test
    void aPointExactlyOnTheLowerLimitIsNotOutsideButOneBelowIs() {
        // The mirror image 3000 − x of ON_UPPER: mean 1900, same moving ranges (average 50), lower limit 1900 − 133 = 1767.
        double[] mirrored = Arrays.stream(ON_UPPER).map(v -> 3000 - v).toArray();
        Xmr xmr = xmr(mirrored, null);
        assertThat(xmr.lowerLimit()).isEqualTo(1767.0);
        assertThat(xmr.points().get(10).value()).isEqualTo(1767.0);
        assertThat(xmr.points().get(10).signals()).doesNotContain(Signal.OUTSIDE_LIMITS);
        assertThat(xmr.points().get(11).signals()).contains(Signal.OUTSIDE_LIMITS);
        // The latest point is below the lower limit: lower is better.
        assertThat(xmr.variation()).isEqualTo(Variation.IMPROVING);
    }

    // ---- runs ----

    // 8 12 8 | 11 12 11 12 11 12 11 | 8 12 8 4: sum 140, mean 10. Points 4 to 10 are 7 in a row above the
    // mean. Moving ranges sum 32, average 32 / 13 = 2.46, limits 10 ± 6.55: nothing outside.
    private static final double[] RUN_OF_7 = {8, 12, 8, 11, 12, 11, 12, 11, 12, 11, 8, 12, 8, 4};

    @Test
    void sevenPointsInARowAboveTheMeanAreARun() {
        Xmr xmr = xmr(RUN_OF_7, null);
        assertThat(xmr.mean()).isEqualTo(10.0);
        assertThat(indexesWith(xmr, Signal.RUN)).containsExactly(3, 4, 5, 6, 7, 8, 9);
        assertThat(indexesWith(xmr, Signal.OUTSIDE_LIMITS)).isEmpty();
        assertThat(indexesWith(xmr, Signal.TREND)).isEmpty();
        // The run is over: the latest point is not in it.
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
    }

    @Test
    void sixPointsInARowAboveTheMeanAreNotARun() {
        // RUN_OF_7 with its 7th point above (11) lowered to 9 and the last raised from 4 to 6: sum still 140,
        // mean 10; points 4 to 9 are only 6 above the mean.
        Xmr xmr = xmr(new double[] {8, 12, 8, 11, 12, 11, 12, 11, 12, 9, 8, 12, 8, 6}, null);
        assertThat(xmr.mean()).isEqualTo(10.0);
        assertThat(indexesWith(xmr, Signal.RUN)).isEmpty();
    }

    @Test
    void aPointOnTheMeanBreaksARun() {
        // RUN_OF_7 with its 4th point above (12) put on the mean, 10, and the last raised from 4 to 6: sum 140,
        // mean 10. Three above, one on the mean, three above: no run.
        Xmr xmr = xmr(new double[] {8, 12, 8, 11, 12, 11, 10, 11, 12, 11, 8, 12, 8, 6}, null);
        assertThat(xmr.mean()).isEqualTo(10.0);
        assertThat(indexesWith(xmr, Signal.RUN)).isEmpty();
    }

    @Test
    void aRunAboveTheMeanThatIncludesTheLatestPointIsConcerning() {
        // 8 12 8 12 8 12 8 | 11 12 11 12 11 12 11: sum 148, mean 10.571; the last 7 are above it.
        // Moving ranges sum 33, average 2.538, upper limit 10.571 + 6.752 = 17.32: nothing outside.
        Xmr xmr = xmr(new double[] {8, 12, 8, 12, 8, 12, 8, 11, 12, 11, 12, 11, 12, 11}, null);
        assertThat(indexesWith(xmr, Signal.RUN)).containsExactly(7, 8, 9, 10, 11, 12, 13);
        assertThat(indexesWith(xmr, Signal.OUTSIDE_LIMITS)).isEmpty();
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
    }

    @Test
    void aRunBelowTheMeanThatIncludesTheLatestPointIsImproving() {
        // 12 8 12 8 12 8 12 | 9 8 9 8 9 8 9: sum 132, mean 9.429; the last 7 are below it.
        // Moving ranges sum 33, average 2.538, lower limit 9.429 − 6.752 = 2.68: nothing outside.
        Xmr xmr = xmr(new double[] {12, 8, 12, 8, 12, 8, 12, 9, 8, 9, 8, 9, 8, 9}, null);
        assertThat(indexesWith(xmr, Signal.RUN)).containsExactly(7, 8, 9, 10, 11, 12, 13);
        assertThat(indexesWith(xmr, Signal.OUTSIDE_LIMITS)).isEmpty();
        assertThat(xmr.variation()).isEqualTo(Variation.IMPROVING);
    }

    // ---- trends ----

    @Test
    void sixPointsEachHigherThanTheLastAreATrend() {
        // 11 9 11 9 11 9 11 9 | 8 9 10 11 12 13: the last six points rise five times in a row.
        // Sum 143, mean 10.214; moving ranges 2 × 7 + 1 + 1 × 5 = 20, average 1.538; upper limit 10.214 + 4.092 = 14.31.
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 8, 9, 10, 11, 12, 13}, null);
        assertThat(indexesWith(xmr, Signal.TREND)).containsExactly(8, 9, 10, 11, 12, 13);
        assertThat(indexesWith(xmr, Signal.OUTSIDE_LIMITS)).isEmpty();
        assertThat(indexesWith(xmr, Signal.RUN)).isEmpty();
        // Rising, and higher is worse.
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
    }

    @Test
    void fivePointsEachHigherThanTheLastAreNotATrend() {
        // 11 9 ... 11 | 9 10 11 12 13: only five points (four rises) after the last fall.
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 10, 11, 12, 13}, null);
        assertThat(indexesWith(xmr, Signal.TREND)).isEmpty();
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
    }

    @Test
    void anUnchangedValueBreaksATrend() {
        // 8 9 10 10 11 12 13: a rise of three points, a repeat, then a rise of four points: neither is six.
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 8, 9, 10, 10, 11, 12, 13}, null);
        assertThat(indexesWith(xmr, Signal.TREND)).isEmpty();
    }

    @Test
    void aFallingTrendThatEndsAtTheLatestPointIsImproving() {
        // 9 11 9 11 9 11 9 11 | 12 11 10 9 8 7: six points falling five times. Mean 137 / 14 = 9.786,
        // average moving range 20 / 13 = 1.538, lower limit 9.786 − 4.092 = 5.69: 7 is inside.
        Xmr xmr = xmr(new double[] {9, 11, 9, 11, 9, 11, 9, 11, 12, 11, 10, 9, 8, 7}, null);
        assertThat(indexesWith(xmr, Signal.TREND)).containsExactly(8, 9, 10, 11, 12, 13);
        assertThat(indexesWith(xmr, Signal.OUTSIDE_LIMITS)).isEmpty();
        assertThat(xmr.variation()).isEqualTo(Variation.IMPROVING);
    }

    @Test
    void signalsThatEndedBeforeTheLatestPointLeaveCommonCause() {
        // The rising trend of sixPointsEachHigherThanTheLastAreATrend followed by 9 and 11: the trend is flagged
        // but the latest point is in no signal.
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 8, 9, 10, 11, 12, 13, 9, 11}, null);
        assertThat(indexesWith(xmr, Signal.TREND)).containsExactly(8, 9, 10, 11, 12, 13);
        assertThat(xmr.latest().signals()).isEmpty();
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
    }

    @Test
    void whereARunAboveAndAFallingTrendMeetTheSideOfTheMeanDecides() {
        // 5 7 5 7 5 7 5 | 16 20 19 18 17 16 15: sum 162, mean 11.571. The last 7 are above the mean (a run) and
        // the last 6 fall (a trend). Still above the mean, so concerning, though falling.
        Xmr xmr = xmr(new double[] {5, 7, 5, 7, 5, 7, 5, 16, 20, 19, 18, 17, 16, 15}, null);
        assertThat(xmr.latest().signals()).containsExactlyInAnyOrder(Signal.RUN, Signal.TREND);
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
    }

    // ---- assurance ----

    @Test
    void aTargetAboveTheUpperLimitIsPassing() {
        // STEADY's upper limit is 16.82: every month is below 17, and lower is better.
        assertThat(xmr(STEADY, 17.0).assurance()).isEqualTo(Assurance.PASSING);
    }

    @Test
    void aTargetBelowTheLowerLimitIsFailing() {
        // STEADY's lower limit is 6.18: no month can be expected to reach 6.
        assertThat(xmr(STEADY, 6.0).assurance()).isEqualTo(Assurance.FAILING);
    }

    @Test
    void aTargetBetweenTheLimitsIsHitAndMiss() {
        assertThat(xmr(STEADY, 12.0).assurance()).isEqualTo(Assurance.HIT_AND_MISS);
        assertThat(xmr(STEADY, 12.0).target()).isEqualTo(12.0);
    }

    @Test
    void aTargetExactlyOnALimitIsHitAndMiss() {
        // ON_UPPER's limits are exactly 1233 and 967.
        assertThat(xmr(ON_UPPER, 1233.0).assurance()).isEqualTo(Assurance.HIT_AND_MISS);
        assertThat(xmr(ON_UPPER, 1233.5).assurance()).isEqualTo(Assurance.PASSING);
        assertThat(xmr(ON_UPPER, 967.0).assurance()).isEqualTo(Assurance.HIT_AND_MISS);
        assertThat(xmr(ON_UPPER, 966.5).assurance()).isEqualTo(Assurance.FAILING);
    }

    @Test
    void noTargetGivesNoAssurance() {
        assertThat(xmr(STEADY, null).assurance()).isEqualTo(Assurance.NO_TARGET);
    }

    // ---- not enough data ----

    @Test
    void elevenPointsAreNotEnoughToJudge() {
        // 10 12 × 5 then 30: with twelve points 30 would be far outside (see aPointExactlyOn...); with eleven
        // the limits are still worked out but nothing is flagged or judged.
        Xmr xmr = xmr(new double[] {10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30}, 5.0);
        assertThat(Xmr.MIN_POINTS).isEqualTo(12);
        assertThat(xmr.points()).allSatisfy(p -> assertThat(p.signals()).isEmpty());
        assertThat(xmr.variation()).isEqualTo(Variation.NOT_ENOUGH_DATA);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NOT_ENOUGH_DATA);
        // mean 140 / 11 = 12.727; moving ranges 2 × 9 + 18 = 36, average 3.6.
        assertThat(xmr.mean()).isCloseTo(140.0 / 11, within(EPS));
        assertThat(xmr.averageMovingRange()).isCloseTo(3.6, within(EPS));
    }

    @Test
    void twelvePointsAreEnoughToJudge() {
        // The same with one more 12 in front: 12 10 12 ... 30. Sum 152, mean 12.667; moving ranges 2 × 10 + 18 = 38,
        // average 3.455; upper limit 12.667 + 9.189 = 21.86, so 30 is outside and concerning.
        Xmr xmr = xmr(new double[] {12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30}, 5.0);
        assertThat(xmr.upperLimit()).isCloseTo(152.0 / 12 + 2.66 * 38 / 11, within(EPS));
        assertThat(xmr.latest().signals()).contains(Signal.OUTSIDE_LIMITS);
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        // lower limit 12.667 − 9.189 = 3.48: the target 5 is between the limits.
        assertThat(xmr.assurance()).isEqualTo(Assurance.HIT_AND_MISS);
    }

    @Test
    void anEmptySeriesHasNothingToJudge() {
        Xmr xmr = Xmr.of(List.of(), List.of(), 5.0);
        assertThat(xmr.points()).isEmpty();
        assertThat(xmr.latest()).isNull();
        assertThat(xmr.variation()).isEqualTo(Variation.NOT_ENOUGH_DATA);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NOT_ENOUGH_DATA);
    }

    @Test
    void signalsAreImmutable() {
        Set<Signal> signals = xmr(RUN_OF_7, null).points().get(3).signals();
        assertThatThrownBy(() -> signals.add(Signal.TREND)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Xmr xmr(double[] values, Double target) {
        return Xmr.of(months(values.length), Arrays.stream(values).boxed().toList(), target);
    }

    /** Month ends from January 2024. */
    private static List<LocalDate> months(int n) {
        List<LocalDate> months = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LocalDate first = LocalDate.of(2024, 1, 1).plusMonths(i);
            months.add(first.withDayOfMonth(first.lengthOfMonth()));
        }
        return months;
    }

    private static List<Integer> indexesWith(Xmr xmr, Signal signal) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < xmr.points().size(); i++) {
            if (xmr.points().get(i).signals().contains(signal)) {
                indexes.add(i);
            }
        }
        return indexes;
    }
}
