package org.workforcewatch.indicators;

/**
 * One indicator for one scope on one date: the value (null where a rate has no denominator), the
 * thresholds that apply there and the severity they give, and the numerator and denominator it comes
 * from. {@code detail} is the second figure of indicators that have one (the oldest wait, in working days).
 * {@code benchmark}: at authority level, the latest published comparators of the same measure, where the
 * Department publishes one.
 */
public record IndicatorValue(String indicator, String level, String scope, String service, String teamType, Double value,
                             String severity, double amber, double red, double target, String leadOfficer, double numerator,
                             double denominator, Double detail,
                             @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                             Object benchmark) {

    IndicatorValue withBenchmark(Object comparators) {
        return new IndicatorValue(indicator, level, scope, service, teamType, value, severity, amber, red, target, leadOfficer,
                numerator, denominator, detail, comparators);
    }
}
