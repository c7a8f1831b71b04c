package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The one rule of "since", shared by the live risks and a month's board pack. */
class RiskStartOfRunTest {

    private static final List<LocalDate> MONTH_ENDS = List.of(LocalDate.of(2026, 1, 31), LocalDate.of(2026, 2, 28),
            LocalDate.of(2026, 3, 31), LocalDate.of(2026, 4, 30), LocalDate.of(2026, 5, 31));

    private static final Predicate<IndicatorValue> OVER_AMBER = v -> v.value() >= v.amber();

    private static IndicatorValue caseload(Double value) {
        return new IndicatorValue("caseload_per_fte", "team", "T1", "Front Door", "assessment", value,
                value == null ? null : value >= 22 ? "red" : value >= 18 ? "amber" : "ok", 18, 22, 16, "Head of service",
                0, 0, null, null, null);
    }

    /** Values by month end, in order; null for a month with no value. */
    private static Map<LocalDate, IndicatorValue> values(Double... byMonth) {
        Map<LocalDate, IndicatorValue> values = new HashMap<>();
        for (int i = 0; i < byMonth.length; i++) {
            values.put(MONTH_ENDS.get(i), caseload(byMonth[i]));
        }
        return values;
    }

    @Test
    void everyMonthBreachingStartsTheRunWhereTheDataStartsOnTheFirstDayOfTheFirstMonth() {
        assertThat(Risk.startOfRun(MONTH_ENDS, values(19.0, 23.0, 20.0, 18.0, 25.0), OVER_AMBER))
                .isEqualTo(MONTH_ENDS.get(0).withDayOfMonth(1));
    }

    @Test
    void aFineMonthBreaksTheRunSoItStartsAfterIt() {
        assertThat(Risk.startOfRun(MONTH_ENDS, values(19.0, 23.0, 12.0, 18.0, 25.0), OVER_AMBER)).isEqualTo(MONTH_ENDS.get(3));
    }

    @Test
    void aMonthWithoutAValueBreaksTheRunAsAFineOneDoes() {
        assertThat(Risk.startOfRun(MONTH_ENDS, values(19.0, 23.0, 20.0, null, 25.0), OVER_AMBER)).isEqualTo(MONTH_ENDS.get(4));
        Map<LocalDate, IndicatorValue> missing = values(19.0, 23.0, 20.0, 18.0, 25.0);
        missing.remove(MONTH_ENDS.get(1));
        assertThat(Risk.startOfRun(MONTH_ENDS, missing, OVER_AMBER)).isEqualTo(MONTH_ENDS.get(2));
    }

    @Test
    void aLastMonthThatDoesNotBreachHasNoRun() {
        assertThat(Risk.startOfRun(MONTH_ENDS, values(19.0, 23.0, 20.0, 18.0, 12.0), OVER_AMBER)).isNull();
        assertThat(Risk.startOfRun(MONTH_ENDS, values(19.0, 23.0, 20.0, 18.0, null), OVER_AMBER)).isNull();
    }

    @Test
    void noMonthsHaveNoRun() {
        assertThat(Risk.startOfRun(List.of(), values(19.0), OVER_AMBER)).isNull();
    }

    @Test
    void theBreachIsWhatThePredicateSays() {
        // the pack rates each month by severity under one set of thresholds: red only, here
        assertThat(Risk.startOfRun(MONTH_ENDS, values(19.0, 23.0, 20.0, 22.0, 25.0), v -> "red".equals(v.severity())))
                .isEqualTo(MONTH_ENDS.get(3));
    }
}
