package org.workforcewatch.indicators;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;

/**
 * An indicator at amber or red somewhere: what it is, where, how bad, since when, the inspection
 * finding it monitors and who answers for it under the performance framework.
 */
public record Risk(String indicator, String level, String scope, String service, String severity, Double value,
                   double threshold, double amber, double red, LocalDate since, String finding, String leadOfficer,
                   double target) {

    static Risk of(IndicatorValue v, LocalDate since) {
        Indicator indicator = Indicator.byId(v.indicator()).orElseThrow();
        return new Risk(v.indicator(), v.level(), v.scope(), v.service(), v.severity(), v.value(),
                "red".equals(v.severity()) ? v.red() : v.amber(), v.amber(), v.red(), since, indicator.finding(), v.leadOfficer(),
                v.target());
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
