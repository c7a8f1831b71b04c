package org.workforcewatch.indicators;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One indicator for one scope on one date: the value (null where a rate has no denominator, or where the
 * data does not cover the date), the thresholds that apply there and the severity they give, and the
 * numerator and denominator it comes from. {@code detail} is the second figure of indicators that have one
 * (the oldest wait, in working days). {@code benchmark}: at authority level, the latest published comparators
 * of the same measure, where the Department publishes one. {@code reason}: why there is no value where the
 * data does not cover the date.
 */
public record IndicatorValue(String indicator, String level, String scope, String service, String teamType, Double value,
                             String severity, double amber, double red, double target, String leadOfficer, double numerator,
                             double denominator, Double detail,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Object benchmark,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {

    IndicatorValue withBenchmark(Object comparators) {
        return new IndicatorValue(indicator, level, scope, service, teamType, value, severity, amber, red, target, leadOfficer,
                numerator, denominator, detail, comparators, reason);
    }

    /** The same value against other thresholds: their amber, red, target and lead officer, and the severity they give. */
    IndicatorValue withThresholds(ThresholdSettings.Applied t) {
        return new IndicatorValue(indicator, level, scope, service, teamType, value, value == null ? null : t.severity(value),
                t.amber(), t.red(), t.target(), t.leadOfficer(), numerator, denominator, detail, benchmark, reason);
    }

    /** The same place and thresholds without a value: the data does not cover the date, for this reason. */
    IndicatorValue uncovered(String why) {
        return new IndicatorValue(indicator, level, scope, service, teamType, null, null, amber, red, target, leadOfficer,
                0, 0, null, benchmark, why);
    }
}
