package org.workforcewatch.indicators;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An indicator at amber or red somewhere: what it is, where, how bad, since when, the inspection
 * finding it monitors and who answers for it under the performance framework.
 */
public record Risk(String indicator, String level, String scope, String service, String severity, Double value,
                   double threshold, double amber, double red, LocalDate since, String finding, String leadOfficer,
                   double target) {

    public static Risk of(IndicatorValue v, LocalDate since) {
        Indicator indicator = Indicator.byId(v.indicator()).orElseThrow();
        return new Risk(v.indicator(), v.level(), v.scope(), v.service(), v.severity(), v.value(),
                "red".equals(v.severity()) ? v.red() : v.amber(), v.amber(), v.red(), since, indicator.finding(), v.leadOfficer(),
                v.target());
    }

    /**
     * Where a run of breaches starts, the one rule of "since" for the live risks and a month's board pack alike: the first
     * of {@code dates} (in order) in the unbroken run of breaching values that ends at the last of them. A date with no
     * value breaks the run, as one whose value does not breach does. A run that reaches back to the first date is as old
     * as the data: it starts on the first day of that month, where the covered history starts (the live risks read a
     * "since" before the data as that day too). Null where the last date does not breach, or there are no dates.
     */
    public static LocalDate startOfRun(List<LocalDate> dates, Map<LocalDate, IndicatorValue> values, Predicate<IndicatorValue> breaches) {
        LocalDate since = null;
        for (int i = dates.size() - 1; i >= 0; i--) {
            IndicatorValue v = values.get(dates.get(i));
            if (v == null || v.value() == null || !breaches.test(v)) {
                break;
            }
            since = i == 0 ? dates.get(0).withDayOfMonth(1) : dates.get(i);
        }
        return since;
    }

    /**
     * How far past the threshold it crossed the value is, relative to that threshold ((value − threshold) ÷ threshold),
     * so indicators of different units compare; the plain difference where the threshold is 0.
     */
    @JsonProperty("past")
    public double past() {
        double v = value == null ? threshold : value;
        return threshold == 0 ? v - threshold : (v - threshold) / Math.abs(threshold);
    }

    /** Raised, changed (severity or value) or cleared, as the live stream tells it. */
    public record Event(String kind, Risk risk) {
    }
}
