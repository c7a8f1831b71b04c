package org.workforcewatch.spc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.Indicator.Polarity;
import org.workforcewatch.spc.Xmr.Assurance;
import org.workforcewatch.spc.Xmr.Point;
import org.workforcewatch.spc.Xmr.Rule;
import org.workforcewatch.spc.Xmr.Variation;

/**
 * XmR limits, special-cause rules and verdicts as Making Data Count defines them, on series worked by hand (the
 * arithmetic is in the comments) and on the worked examples of the SPC reference (docs/SPC.md). Point numbers in
 * comments are 1-based, indexes in code 0-based.
 */
class XmrTest {

    private static final double EPS = 1e-9;
    private static final Polarity WORSE = Polarity.HIGHER_IS_WORSE;
    private static final Polarity BETTER = Polarity.HIGHER_IS_BETTER;

    // ---- the worked examples of the reference (src/test/resources/spc/worked-examples.md) ----

    @Test
    void workedExample1CommonCauseWithTheTargetBetweenTheLimitsIsHitAndMiss() {
        Xmr xmr = xmr(new double[] {22, 23, 21, 24, 22, 23, 25, 24, 23, 24, 25, 26, 24, 25, 24}, 20.0, WORSE);
        assertLimits(xmr, 23.667, 19.867, 27.467);
        assertThat(flags(xmr)).isEqualTo("...............");
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
        assertThat(xmr.assurance()).isEqualTo(Assurance.HIT_AND_MISS);
        assertThat(xmr.processChangedSince()).isNull();
        assertThat(xmr.verdict()).isEqualTo("Common cause; hit and miss against the target");
    }

    @Test
    void workedExample2AShiftBelowThenAShiftAboveIsConcerningWhereHigherIsWorse() {
        Xmr xmr = xmr(new double[] {16, 15, 16, 14, 15, 16, 15, 14, 16, 15, 17, 18, 17, 18, 17, 18, 18}, null, WORSE);
        assertLimits(xmr, 16.176, 13.184, 19.169);
        assertThat(flags(xmr)).isEqualTo("SSSSSSSSSSSSSSSSS");
        assertThat(xmr.points().subList(0, 10)).allSatisfy(p -> assertThat(p.variation()).isEqualTo(Variation.IMPROVING));
        assertThat(xmr.points().subList(10, 17)).allSatisfy(p -> assertThat(p.variation()).isEqualTo(Variation.CONCERNING));
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NO_TARGET);
        // the shift above began with point 11 (November 2024); the shift below it is of the other kind
        assertThat(xmr.processChangedSince()).isEqualTo(LocalDate.of(2024, 11, 30));
        assertThat(xmr.rebaseSuggestedAt()).isEqualTo(LocalDate.of(2024, 11, 1));
        assertThat(xmr.verdict()).isEqualTo("Special cause: concerning; process changed since Nov 2024: rebase suggested");
    }

    @Test
    void workedExample3AnOutlierIsScreenedOutOfTheMovingRangeAndTheTargetAboveTheLimitsConsistentlyPasses() {
        // moving ranges 1 1 2 1 1 1 1 2 1 8 8 1: mean 28 / 12 = 2.333; 8 ≥ 3.267 × 2.333 = 7.62, so both 8s are left out:
        // 12 / 10 = 1.2
        Xmr xmr = xmr(new double[] {10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 19, 11, 10}, 18.0, WORSE);
        assertLimits(xmr, 11.385, 8.193, 14.577);
        assertThat(xmr.current().averageMovingRange()).isCloseTo(1.2, within(EPS));
        assertThat(xmr.current().screenedMovingRanges()).isEqualTo(2);
        assertThat(xmr.points()).extracting(Point::movingRangeScreened)
                .containsExactly(false, false, false, false, false, false, false, false, false, false, true, true, false);
        assertThat(flags(xmr)).isEqualTo("..........O..");
        assertThat(xmr.points().get(10).variation()).isEqualTo(Variation.CONCERNING);
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
        assertThat(xmr.assurance()).isEqualTo(Assurance.CONSISTENTLY_PASSES);
        assertThat(xmr.verdict()).isEqualTo("Common cause; consistently passes the target");
    }

    @Test
    void workedExample4WhereHigherIsBetterTwoOfThreeLowAreConcernAndARisingTrendAndAHighOutlierImprovement() {
        Xmr xmr = xmr(new double[] {5, 6, 5, 7, 8, 9, 10, 11, 12, 13, 9, 8}, null, BETTER);
        assertLimits(xmr, 8.583, 4.956, 12.211);
        // point 3 (5) is beyond two sigma too, but the trend names it
        assertThat(flags(xmr)).isEqualTo("22TTTTTTTO..");
        assertThat(xmr.points()).extracting(Point::variation).containsExactly(Variation.CONCERNING, Variation.CONCERNING,
                Variation.IMPROVING, Variation.IMPROVING, Variation.IMPROVING, Variation.IMPROVING, Variation.IMPROVING,
                Variation.IMPROVING, Variation.IMPROVING, Variation.IMPROVING, Variation.COMMON_CAUSE, Variation.COMMON_CAUSE);
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NO_TARGET);
        assertThat(xmr.latestRule()).isNull();
    }

    // ---- limits ----

    // 1038 1090 (four times) 1121 1100 1233 1234: sum 8512 + 4688 = 13200, mean 1100.
    // Moving ranges 52 × 7, 31, 21, 133, 1: sum 550, mean 50; none reaches 3.267 × 50 = 163.35, so none is screened.
    // Limits 1100 ± 2.66 × 50 = 1100 ± 133: upper exactly 1233, lower 967.
    private static final double[] ON_UPPER = {1038, 1090, 1038, 1090, 1038, 1090, 1038, 1090, 1121, 1100, 1233, 1234};

    @Test
    void aPointExactlyOnTheUpperLimitIsNotOutsideButOneAboveIs() {
        Xmr xmr = xmr(ON_UPPER, null, WORSE);
        assertThat(xmr.current().mean()).isEqualTo(1100.0);
        assertThat(xmr.current().averageMovingRange()).isEqualTo(50.0);
        assertThat(xmr.current().upperLimit()).isEqualTo(1233.0);
        assertThat(xmr.current().screenedMovingRanges()).isZero();
        // the first eight are a shift below the mean; 1233 is on the limit and alone beyond two sigma
        assertThat(flags(xmr)).isEqualTo("SSSSSSSS...O");
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        assertThat(xmr.latestRule()).isEqualTo(Rule.OUTSIDE_LIMITS);
    }

    @Test
    void aPointExactlyOnTheLowerLimitIsNotOutsideButOneBelowIs() {
        // The mirror image 2200 − x of ON_UPPER: mean 1100, the same moving ranges, lower limit 1100 − 133 = 967.
        Xmr xmr = xmr(Arrays.stream(ON_UPPER).map(v -> 2200 - v).toArray(), null, WORSE);
        assertThat(xmr.current().lowerLimit()).isEqualTo(967.0);
        assertThat(xmr.points().get(10).value()).isEqualTo(967.0);
        assertThat(flags(xmr)).isEqualTo("SSSSSSSS...O");
        // below the lower limit: lower is better here, worse where higher is better
        assertThat(xmr.variation()).isEqualTo(Variation.IMPROVING);
        assertThat(xmr(Arrays.stream(ON_UPPER).map(v -> 2200 - v).toArray(), null, BETTER).variation())
                .isEqualTo(Variation.CONCERNING);
    }

    @Test
    void aMovingRangeOfExactly3267TimesTheMeanIsScreenedOutAndTheMeanRecomputedOnce() {
        // Moving ranges: 773 nine times, 776, 3267: sum 11000, mean 1000; 3267 ≥ 3.267 × 1000, so it is left out:
        // 7733 / 10 = 773.3. Recomputed once only: 773.3 × 3.267 = 2526, below every range left, so nothing more is dropped.
        double[] y = {10000, 10773, 10000, 10773, 10000, 10773, 10000, 10773, 10000, 10773, 9997, 13264};
        Xmr xmr = xmr(y, null, WORSE);
        assertThat(xmr.current().averageMovingRange()).isCloseTo(773.3, within(EPS));
        assertThat(xmr.current().screenedMovingRanges()).isEqualTo(1);
        assertThat(xmr.points().get(11).movingRangeScreened()).isTrue();
        assertThat(xmr.points().get(11).movingRange()).isEqualTo(3267.0);
        assertThat(xmr.current().upperLimit()).isCloseTo(127126.0 / 12 + 2.66 * 773.3, within(EPS));
    }

    @Test
    void aMovingRangeJustUnder3267TimesTheMeanIsKept() {
        // The same with the last point one lower: ranges sum 10999, mean 999.909; 3266 < 3.267 × 999.909 = 3266.70.
        double[] y = {10000, 10773, 10000, 10773, 10000, 10773, 10000, 10773, 10000, 10773, 9997, 13263};
        Xmr xmr = xmr(y, null, WORSE);
        assertThat(xmr.current().screenedMovingRanges()).isZero();
        assertThat(xmr.current().averageMovingRange()).isCloseTo(10999.0 / 11, within(EPS));
    }

    @Test
    void twoSigmaLinesAreTwoThirdsOfTheWayToTheLimits() {
        Xmr xmr = xmr(ON_UPPER, null, WORSE);
        // 1100 ± 2 / 3 × 133 = 1100 ± 88.667
        assertThat(xmr.current().upperTwoSigma()).isCloseTo(1100 + 266.0 / 3, within(1e-6));
        assertThat(xmr.current().lowerTwoSigma()).isCloseTo(1100 - 266.0 / 3, within(1e-6));
    }

    @Test
    void bothMovingRangesAroundAnOutlierAreScreened() {
        // 10 12 30 12 10 12 10 12 10 12 10 12: mean 152 / 12 = 12.667; moving ranges 2 18 18 2 2 2 2 2 2 2 2 = 54, mean
        // 4.909; 18 ≥ 3.267 × 4.909 = 16.04, so both 18s go: 18 / 9 = 2; lower limit 12.667 − 5.32 = 7.35.
        Xmr xmr = xmr(new double[] {10, 12, 30, 12, 10, 12, 10, 12, 10, 12, 10, 12}, null, WORSE);
        assertThat(xmr.current().screenedMovingRanges()).isEqualTo(2);
        assertThat(xmr.current().lowerLimit()).isCloseTo(152.0 / 12 - 2.66 * 2, within(EPS));
        assertThat(flags(xmr).charAt(2)).isEqualTo('O');
    }

    @Test
    void aLowerLimitBelowZeroIsKept() {
        // 0 4 0 4 ...: mean 2, every moving range 4 (none screened), lower limit 2 − 10.64 = −8.64
        Xmr wide = xmr(new double[] {0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4}, null, WORSE);
        assertThat(wide.current().lowerLimit()).isCloseTo(2 - 2.66 * 4, within(EPS)).isNegative();
    }

    @Test
    void aSeriesThatNeverMovesHasLimitsOnItsMeanAndNothingFlagged() {
        // a team with no turnover for a year: every moving range 0, nothing to screen; limits 0 to 0, and a target of 12
        // lies above the upper limit
        Xmr xmr = xmr(new double[12], 12.0, WORSE);
        assertThat(xmr.current().upperLimit()).isZero();
        assertThat(flags(xmr)).isEqualTo("............");
        assertThat(xmr.assurance()).isEqualTo(Assurance.CONSISTENTLY_PASSES);
    }

    @Test
    void monthsWithNoValueAreGapsNotZeros() {
        List<LocalDate> months = new ArrayList<>(months(13));
        List<Double> values = new ArrayList<>(Arrays.stream(STEADY).boxed().toList());
        values.add(6, null);
        Xmr xmr = Xmr.of(months, values, null, WORSE);
        assertThat(xmr.points()).hasSize(12);
        assertThat(xmr.points()).extracting(Point::month).doesNotContain(months.get(6));
        assertThat(xmr.current().mean()).isCloseTo(11.5, within(EPS));
        assertThat(xmr.current().upperLimit()).isCloseTo(16.82, within(EPS));
    }

    @Test
    void monthsAndValuesMustPairUp() {
        assertThatThrownBy(() -> Xmr.of(months(3), List.of(1.0, 2.0), null, WORSE)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- trend ----

    @Test
    void sevenPointsEachHigherThanTheLastAreATrendAllSevenFlagged() {
        // 11 9 11 9 11 9 11 9 | 8 9 10 11 12 13 14: seven points rising six times. Mean 157 / 15 = 10.467; moving ranges
        // 2 × 7 + 1 + 1 × 6 = 21, mean 1.5; limits 10.467 ± 3.99 = 6.48 to 14.46: 14 is inside.
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 8, 9, 10, 11, 12, 13, 14}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("........TTTTTTT");
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        // the change began with the first point of the trend, September 2024
        assertThat(xmr.processChangedSince()).isEqualTo(LocalDate.of(2024, 9, 30));
        assertThat(xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 8, 9, 10, 11, 12, 13, 14}, null, BETTER).variation())
                .isEqualTo(Variation.IMPROVING);
    }

    @Test
    void sixPointsEachHigherThanTheLastAreNotATrend() {
        // 11 9 ... 11 9 | 10 11 12 13 14: after the last fall, 9 10 11 12 13 14 is six points
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 10, 11, 12, 13, 14}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("...............");
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
    }

    @Test
    void anUnchangedValueBreaksATrend() {
        // 8 9 10 10 11 12 13 14: a repeat in the middle. Mean 167 / 16 = 10.4375, moving range 1.4, two sigma up 12.92,
        // upper limit 14.16: 13 and 14 are two of three beyond two sigma, but no point is in a trend.
        Xmr xmr = xmr(new double[] {11, 9, 11, 9, 11, 9, 11, 9, 8, 9, 10, 10, 11, 12, 13, 14}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("..............22");
    }

    @Test
    void aFallingTrendIsImprovingWhereHigherIsWorseAndConcerningWhereHigherIsBetter() {
        // 9 11 9 11 9 11 9 11 | 12 11 10 9 8 7 6: mean 143 / 15 = 9.533, moving range 1.5, lower limit 5.54: 6 is inside
        double[] y = {9, 11, 9, 11, 9, 11, 9, 11, 12, 11, 10, 9, 8, 7, 6};
        assertThat(flags(xmr(y, null, WORSE))).isEqualTo("........TTTTTTT");
        assertThat(xmr(y, null, WORSE).variation()).isEqualTo(Variation.IMPROVING);
        assertThat(xmr(y, null, BETTER).variation()).isEqualTo(Variation.CONCERNING);
    }

    // ---- two of three beyond two sigma ----

    // 20 21 22 21 20 19 20 21 22 21 20 19 | 24 22 24: mean 316 / 15 = 21.067. Moving ranges eleven 1s, 5, 2, 2 = 20,
    // mean 1.429; 5 ≥ 3.267 × 1.429 = 4.67 is screened: 15 / 13 = 1.154. Limits 21.067 ± 3.069 = 18.00 to 24.14; two
    // sigma 21.067 ± 2.046 = 19.02 to 23.11. 24 and 24 are beyond two sigma, inside the limits, with 22: all above.
    private static final double[] TWO_HIGH = {20, 21, 22, 21, 20, 19, 20, 21, 22, 21, 20, 19, 24, 22, 24};

    @Test
    void twoOfThreeBeyondTwoSigmaOnOneSideFlagsTheTwo() {
        Xmr xmr = xmr(TWO_HIGH, null, WORSE);
        assertThat(xmr.current().screenedMovingRanges()).isEqualTo(1);
        assertThat(flags(xmr)).isEqualTo("............2.2");
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        // the change began with the first of the two, January 2025
        assertThat(xmr.processChangedSince()).isEqualTo(LocalDate.of(2025, 1, 31));
        assertThat(xmr(TWO_HIGH, null, BETTER).variation()).isEqualTo(Variation.IMPROVING);
    }

    @Test
    void twoOfThreeNeedAllThreeOnTheSameSideOfTheMean() {
        // 24 20 24: the middle one is below the mean (314 / 15 = 20.93): not a signal (the reference's issue #143).
        Xmr xmr = xmr(new double[] {20, 21, 22, 21, 20, 19, 20, 21, 22, 21, 20, 19, 24, 20, 24}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("...............");
    }

    @Test
    void twoOfThreeBelowTheMeanWhereHigherIsWorseAreImproving() {
        // 16 19 16 after the same twelve: mean 297 / 15 = 19.8, limits 16.0 to 23.6, two sigma down 17.27.
        Xmr xmr = xmr(new double[] {20, 21, 22, 21, 20, 19, 20, 21, 22, 21, 20, 19, 16, 19, 16}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("............2.2");
        assertThat(xmr.variation()).isEqualTo(Variation.IMPROVING);
    }

    @Test
    void aPointOutsideTheLimitsIsNotOneOfTwoBeyondTwoSigma() {
        // 24 22 23: mean 21, moving range 1.077, upper limit 23.86, two sigma 22.91. 24 is outside, 23 beyond two sigma:
        // only one point within the limits is beyond two sigma, so 23 is not flagged.
        Xmr xmr = xmr(new double[] {20, 21, 22, 21, 20, 19, 20, 21, 22, 21, 20, 19, 24, 22, 23}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("............O..");
    }

    // ---- shift ----

    // 8 12 8 | 11 12 11 12 11 12 11 | 8 12 8 4: sum 140, mean 10. Points 4 to 10 are 7 in a row above the mean.
    private static final double[] SHIFT_OF_7 = {8, 12, 8, 11, 12, 11, 12, 11, 12, 11, 8, 12, 8, 4};

    @Test
    void sevenPointsInARowAboveTheMeanAreAShift() {
        Xmr xmr = xmr(SHIFT_OF_7, null, WORSE);
        assertThat(xmr.current().mean()).isEqualTo(10.0);
        assertThat(flags(xmr)).isEqualTo("...SSSSSSS....");
        // the shift is over: the latest point is in no signal
        assertThat(xmr.variation()).isEqualTo(Variation.COMMON_CAUSE);
    }

    @Test
    void sixPointsInARowAboveTheMeanAreNotAShift() {
        // the 7th point above (11) lowered to 9 and the last raised from 4 to 6: sum still 140, mean 10
        Xmr xmr = xmr(new double[] {8, 12, 8, 11, 12, 11, 12, 11, 12, 9, 8, 12, 8, 6}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo("..............");
    }

    @Test
    void aPointOnTheMeanBreaksAShift() {
        // the 4th point above put on the mean, 10: three above, one on the mean, three above
        Xmr xmr = xmr(new double[] {8, 12, 8, 11, 12, 11, 10, 11, 12, 11, 8, 12, 8, 6}, null, WORSE);
        assertThat(xmr.current().mean()).isEqualTo(10.0);
        assertThat(flags(xmr)).isEqualTo("..............");
    }

    @Test
    void aShiftAboveThatIncludesTheLatestPointIsConcerningWhereHigherIsWorseAndImprovingWhereBetter() {
        // 8 12 8 12 8 12 8 | 11 12 11 12 11 12 11: mean 148 / 14 = 10.571; the last 7 above it, none outside 17.32
        double[] y = {8, 12, 8, 12, 8, 12, 8, 11, 12, 11, 12, 11, 12, 11};
        Xmr xmr = xmr(y, 15.0, WORSE);
        assertThat(flags(xmr)).isEqualTo(".......SSSSSSS");
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        // the target (15) is inside the limits, but the process has changed since the shift's first point, August 2024
        assertThat(xmr.assurance()).isEqualTo(Assurance.PROCESS_CHANGED);
        assertThat(xmr.processChangedSince()).isEqualTo(LocalDate.of(2024, 8, 31));
        assertThat(xmr.rebaseSuggestedAt()).isEqualTo(LocalDate.of(2024, 8, 1));
        assertThat(xmr(y, null, BETTER).variation()).isEqualTo(Variation.IMPROVING);
    }

    @Test
    void aShiftBelowThatIncludesTheLatestPointIsImprovingWhereHigherIsWorse() {
        // 12 8 12 8 12 8 12 | 9 8 9 8 9 8 9: mean 132 / 14 = 9.429; the last 7 below it
        Xmr xmr = xmr(new double[] {12, 8, 12, 8, 12, 8, 12, 9, 8, 9, 8, 9, 8, 9}, null, WORSE);
        assertThat(flags(xmr)).isEqualTo(".......SSSSSSS");
        assertThat(xmr.variation()).isEqualTo(Variation.IMPROVING);
    }

    // ---- precedence and where a change began ----

    @Test
    void theFirstRuleThatAppliesNamesAPointAndTheChangeRunsBackThroughSignalsOfTheSameKind() {
        // 10 12 11 × 4 then 14 15 16 17 18 19 20: mean 251 / 19 = 13.21, moving range 24 / 18 = 1.333 (the 3 from 11 to
        // 14 is kept: below 3.267 × 1.333), limits 9.66 to 16.76. The last eight rise from the 11 below the mean (a
        // trend); 17 to 20 are also outside, and outside comes first; the first eleven are a shift below, of the other kind.
        Xmr xmr = xmr(new double[] {10, 12, 11, 10, 12, 11, 10, 12, 11, 10, 12, 11, 14, 15, 16, 17, 18, 19, 20}, 18.0, WORSE);
        assertThat(flags(xmr)).isEqualTo("SSSSSSSSSSSTTTTOOOO");
        assertThat(xmr.latestRule()).isEqualTo(Rule.OUTSIDE_LIMITS);
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        // from the latest outlier back through the trend that led to it: December 2024, the trend's first point
        assertThat(xmr.processChangedSince()).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(xmr.assurance()).isEqualTo(Assurance.PROCESS_CHANGED);
    }

    // ---- assurance ----

    // 10 14 12 10 11 13 12 10 12 11 13 10: mean 138 / 12 = 11.5; moving ranges 4 2 2 1 2 1 2 2 1 2 3 = 22, mean 2 (4 is
    // below 6.53: nothing screened); limits 11.5 ± 5.32 = 6.18 to 16.82. No point is flagged.
    private static final double[] STEADY = {10, 14, 12, 10, 11, 13, 12, 10, 12, 11, 13, 10};

    @Test
    void whereHigherIsWorseATargetAboveTheUpperLimitConsistentlyPassesAndBelowTheLowerConsistentlyFails() {
        assertThat(flags(xmr(STEADY, null, WORSE))).isEqualTo("............");
        assertThat(xmr(STEADY, 17.0, WORSE).assurance()).isEqualTo(Assurance.CONSISTENTLY_PASSES);
        assertThat(xmr(STEADY, 6.0, WORSE).assurance()).isEqualTo(Assurance.CONSISTENTLY_FAILS);
        assertThat(xmr(STEADY, 12.0, WORSE).assurance()).isEqualTo(Assurance.HIT_AND_MISS);
    }

    @Test
    void whereHigherIsBetterTheSameTargetsAreMirrored() {
        assertThat(xmr(STEADY, 17.0, BETTER).assurance()).isEqualTo(Assurance.CONSISTENTLY_FAILS);
        assertThat(xmr(STEADY, 6.0, BETTER).assurance()).isEqualTo(Assurance.CONSISTENTLY_PASSES);
        assertThat(xmr(STEADY, 12.0, BETTER).assurance()).isEqualTo(Assurance.HIT_AND_MISS);
    }

    @Test
    void aTargetExactlyOnALimitIsHitAndMiss() {
        // ON_UPPER's limits, 1233 and 967, are exact; its latest point is outside them, so the comparison is checked on
        // its baseline directly
        Xmr.Baseline exact = new Xmr.Baseline(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 12, 31), null, 12, 12, false, 1100,
                50, 0, 1233, 967, 1188.667, 1011.333, true);
        assertThat(Xmr.assurance(1233.0, exact, WORSE)).isEqualTo(Assurance.HIT_AND_MISS);
        assertThat(Xmr.assurance(1233.5, exact, WORSE)).isEqualTo(Assurance.CONSISTENTLY_PASSES);
        assertThat(Xmr.assurance(967.0, exact, WORSE)).isEqualTo(Assurance.HIT_AND_MISS);
        assertThat(Xmr.assurance(966.5, exact, WORSE)).isEqualTo(Assurance.CONSISTENTLY_FAILS);
        assertThat(Xmr.assurance(966.5, exact, BETTER)).isEqualTo(Assurance.CONSISTENTLY_PASSES);
    }

    @Test
    void aCaseloadThatJumpsAboveLimitsLyingBelowTheTargetIsNotConsistentlyPassing() {
        // The reference's pitfall: 23 months between 18.5 and 18.9, then 24.4, against a target of 20. Mean 18.94,
        // moving range 0.25 (the jump of 5.7 screened), limits 18.28 to 19.59: the target lies above the upper limit, so
        // the old limits would say "consistently passes". The latest point is outside them: the process has changed.
        double[] y = {18.5, 18.9, 18.6, 18.8, 18.7, 18.5, 18.9, 18.6, 18.8, 18.7, 18.5, 18.9, 18.6, 18.8, 18.7, 18.5, 18.9, 18.6,
                18.8, 18.7, 18.5, 18.9, 18.7, 24.4};
        Xmr xmr = xmr(y, 20.0, WORSE);
        assertThat(xmr.current().upperLimit()).isLessThan(20.0);
        assertThat(xmr.latestRule()).isEqualTo(Rule.OUTSIDE_LIMITS);
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        assertThat(xmr.assurance()).isEqualTo(Assurance.PROCESS_CHANGED);
        assertThat(xmr.processChangedSince()).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(xmr.rebaseSuggestedAt()).isEqualTo(LocalDate.of(2025, 12, 1));
        assertThat(xmr.verdict()).isEqualTo("Special cause: concerning; process changed since Dec 2025: rebase suggested");
    }

    @Test
    void noTargetGivesNoAssurance() {
        assertThat(xmr(STEADY, null, WORSE).assurance()).isEqualTo(Assurance.NO_TARGET);
        assertThat(xmr(STEADY, null, WORSE).verdict()).isEqualTo("Common cause");
    }

    // ---- not enough data ----

    @Test
    void elevenPointsAreNotEnoughToJudge() {
        Xmr xmr = xmr(new double[] {10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30}, 5.0, WORSE);
        assertThat(SpcSettings.DEFAULTS.minPoints()).isEqualTo(12);
        assertThat(xmr.points()).allSatisfy(p -> assertThat(p.rule()).isNull());
        assertThat(xmr.variation()).isEqualTo(Variation.NOT_ENOUGH_DATA);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NOT_ENOUGH_DATA);
        assertThat(xmr.current().judged()).isFalse();
        // limits are still worked out: mean 140 / 11; ranges 2 × 9 + 18, mean 3.6; 18 ≥ 11.76 screened: 18 / 9 = 2
        assertThat(xmr.current().mean()).isCloseTo(140.0 / 11, within(EPS));
        assertThat(xmr.current().averageMovingRange()).isCloseTo(2.0, within(EPS));
    }

    @Test
    void twelvePointsAreEnoughToJudge() {
        // 12 10 ... 30: mean 152 / 12 = 12.667; ranges 2 × 10 + 18 = 38, mean 3.455; 18 ≥ 11.29 screened: 20 / 10 = 2;
        // upper limit 12.667 + 5.32 = 17.99, so 30 is outside and concerning.
        Xmr xmr = xmr(new double[] {12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30}, 5.0, WORSE);
        assertThat(xmr.current().upperLimit()).isCloseTo(152.0 / 12 + 2.66 * 2, within(EPS));
        assertThat(xmr.latestRule()).isEqualTo(Rule.OUTSIDE_LIMITS);
        assertThat(xmr.variation()).isEqualTo(Variation.CONCERNING);
        assertThat(xmr.assurance()).isEqualTo(Assurance.PROCESS_CHANGED);
    }

    @Test
    void anEmptySeriesHasNothingToJudge() {
        Xmr xmr = Xmr.of(List.of(), List.of(), 5.0, WORSE);
        assertThat(xmr.points()).isEmpty();
        assertThat(xmr.latest()).isNull();
        assertThat(xmr.current()).isNull();
        assertThat(xmr.variation()).isEqualTo(Variation.NOT_ENOUGH_DATA);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NOT_ENOUGH_DATA);
    }

    // ---- rebasing ----

    // STEADY, then the same twelve plus 10 from January 2025: one baseline sees a shift; two see steady processes.
    private static final double[] STEP = {10, 14, 12, 10, 11, 13, 12, 10, 12, 11, 13, 10, 20, 24, 22, 20, 21, 23, 22, 20, 22, 21,
            23, 20};

    @Test
    void aRebaseStartsANewBaselineWithItsOwnLimitsAndEveryRuleWorksWithinOne() {
        Xmr one = xmr(STEP, 16.0, WORSE);
        assertThat(one.baselines()).hasSize(1);
        assertThat(one.latestRule()).isNotNull();
        assertThat(one.assurance()).isEqualTo(Assurance.PROCESS_CHANGED);

        // recorded on 15 January 2025: the baseline starts with the first month end on or after it
        Xmr two = Xmr.of(months(24), boxed(STEP), 16.0, WORSE, List.of(LocalDate.of(2025, 1, 15)), SpcSettings.DEFAULTS);
        assertThat(two.baselines()).hasSize(2);
        Xmr.Baseline before = two.baselines().get(0);
        Xmr.Baseline after = two.current();
        assertThat(before.from()).isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(before.to()).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(before.rebasedAt()).isNull();
        assertThat(after.from()).isEqualTo(LocalDate.of(2025, 1, 31));
        assertThat(after.rebasedAt()).isEqualTo(LocalDate.of(2025, 1, 15));
        // each is STEADY's shape: moving range 2 within it (the step of 10 is no baseline's moving range)
        assertThat(before.mean()).isCloseTo(11.5, within(EPS));
        assertThat(after.mean()).isCloseTo(21.5, within(EPS));
        assertThat(after.averageMovingRange()).isCloseTo(2.0, within(EPS));
        assertThat(after.upperLimit()).isCloseTo(26.82, within(EPS));
        assertThat(two.points().get(12).movingRange()).isNull();
        assertThat(two.points().get(12).baseline()).isEqualTo(LocalDate.of(2025, 1, 31));
        assertThat(flags(two)).isEqualTo("........................");
        assertThat(two.variation()).isEqualTo(Variation.COMMON_CAUSE);
        // the target of 16 is below the new lower limit (16.18): consistently fails
        assertThat(two.assurance()).isEqualTo(Assurance.CONSISTENTLY_FAILS);
    }

    @Test
    void aRebaseBeforeTheFirstMonthIsNamedOnTheFirstBaseline() {
        Xmr xmr = Xmr.of(months(12), boxed(STEADY), null, WORSE, List.of(LocalDate.of(2023, 6, 1)), SpcSettings.DEFAULTS);
        assertThat(xmr.baselines()).hasSize(1);
        assertThat(xmr.current().rebasedAt()).isEqualTo(LocalDate.of(2023, 6, 1));
        assertThat(xmr.current().from()).isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(xmr.current().mean()).isCloseTo(11.5, within(EPS));
    }

    @Test
    void aTrendAcrossARebaseIsNoTrend() {
        // 11 12 13 at the end of the first baseline, 14 15 16 17 at the start of the second: seven rising points, but
        // no baseline holds more than four of them.
        double[] y = {10, 14, 12, 10, 11, 13, 12, 10, 12, 11, 12, 13, 14, 15, 16, 17, 15, 14, 16, 15, 17, 16, 14, 15};
        assertThat(flags(xmr(y, null, WORSE))).contains("TTTTTTT");
        Xmr rebased = Xmr.of(months(24), boxed(y), null, WORSE, List.of(LocalDate.of(2025, 1, 1)), SpcSettings.DEFAULTS);
        assertThat(flags(rebased)).isEqualTo("........................");
    }

    @Test
    void aNewBaselineWithTooFewPointsGivesNoVerdictUntilItHasEnough() {
        Xmr xmr = Xmr.of(months(15), boxed(Arrays.copyOf(STEP, 15)), 16.0, WORSE, List.of(LocalDate.of(2025, 1, 1)),
                SpcSettings.DEFAULTS);
        assertThat(xmr.current().points()).isEqualTo(3);
        assertThat(xmr.current().judged()).isFalse();
        assertThat(xmr.variation()).isEqualTo(Variation.NOT_ENOUGH_DATA);
        assertThat(xmr.assurance()).isEqualTo(Assurance.NOT_ENOUGH_DATA);
        assertThat(xmr.verdict()).isEqualTo("Not enough data since the rebase in Jan 2025 (3 of 12 months)");
        // the old baseline keeps its limits and flags
        assertThat(xmr.baselines().get(0).judged()).isTrue();
        // with a minimum of 3 points the new baseline decides at once
        Xmr early = Xmr.of(months(15), boxed(Arrays.copyOf(STEP, 15)), 16.0, WORSE, List.of(LocalDate.of(2025, 1, 1)),
                new SpcSettings(3, 0));
        assertThat(early.current().judged()).isTrue();
        assertThat(early.variation()).isNotEqualTo(Variation.NOT_ENOUGH_DATA);
    }

    // ---- fixed limits ----

    @Test
    void fixedLimitsComeFromTheFirstPointsOfABaselineAndHold() {
        // STEADY then 30 11 12: fixed after 12, the limits are STEADY's (11.5, 6.18 to 16.82) whatever follows.
        double[] y = {10, 14, 12, 10, 11, 13, 12, 10, 12, 11, 13, 10, 30, 11, 12};
        Xmr fixed = Xmr.of(months(15), boxed(y), null, WORSE, List.of(), new SpcSettings(12, 12));
        assertThat(fixed.current().fixed()).isTrue();
        assertThat(fixed.current().limitsFrom()).isEqualTo(12);
        assertThat(fixed.current().points()).isEqualTo(15);
        assertThat(fixed.current().mean()).isCloseTo(11.5, within(EPS));
        assertThat(fixed.current().upperLimit()).isCloseTo(16.82, within(EPS));
        assertThat(flags(fixed)).isEqualTo("............O..");
        // the moving range into 30 is shown but is not part of the limits
        assertThat(fixed.points().get(12).movingRange()).isEqualTo(20.0);

        Xmr free = xmr(y, null, WORSE);
        assertThat(free.current().fixed()).isFalse();
        assertThat(free.current().limitsFrom()).isEqualTo(15);
        assertThat(free.current().mean()).isCloseTo(191.0 / 15, within(EPS));
    }

    @Test
    void settingsThatCannotBeRightStopStartUpNamingTheKey() {
        assertThat(SpcSettings.DEFAULTS.fixed()).isFalse();
        assertThatThrownBy(() -> new SpcSettings(12, 6)).hasMessageContaining("workforce.spc.fix-after-points");
        assertThatThrownBy(() -> new SpcSettings(1, 0)).hasMessageContaining("workforce.spc.min-points");
        assertThatThrownBy(() -> new SpcSettings(25, 0)).hasMessageContaining("workforce.spc.min-points");
    }

    @Test
    void everyIndicatorStatesItsPolarity() {
        // every measure counts a shortfall (docs/DOMAIN.md, "Severity": higher is worse)
        assertThat(Indicator.values()).allSatisfy(i -> assertThat(i.polarity()).isEqualTo(Polarity.HIGHER_IS_WORSE));
    }

    // ---- helpers ----

    private static Xmr xmr(double[] values, Double target, Polarity polarity) {
        return Xmr.of(months(values.length), boxed(values), target, polarity);
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
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

    /** Each point's rule as one character: O outside, T trend, 2 two of three, S shift, . common cause. */
    private static String flags(Xmr xmr) {
        StringBuilder s = new StringBuilder();
        for (Point p : xmr.points()) {
            s.append(p.rule() == null ? '.' : switch (p.rule()) {
                case OUTSIDE_LIMITS -> 'O';
                case TREND -> 'T';
                case TWO_OF_THREE -> '2';
                case SHIFT -> 'S';
            });
        }
        return s.toString();
    }

    /** Mean and limits to 3 decimal places, as the reference's table gives them. */
    private static void assertLimits(Xmr xmr, double mean, double lower, double upper) {
        assertThat(xmr.current().mean()).isCloseTo(mean, within(0.0005));
        assertThat(xmr.current().lowerLimit()).isCloseTo(lower, within(0.0005));
        assertThat(xmr.current().upperLimit()).isCloseTo(upper, within(0.0005));
    }
}
