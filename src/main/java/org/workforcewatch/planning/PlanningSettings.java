package org.workforcewatch.planning;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The assumptions of the forecast ({@code workforce.planning.*}); docs/FORECAST.md explains each.
 *
 * @param annualCost        annual cost of one employed FTE including on-costs (GBP), by role group
 * @param agencyHourlyRate  hourly rate (GBP) used when no agency worker's rate is known
 * @param runs              simulation runs per projection
 * @param offerTakeUp       chance that an offer (not yet accepted) turns into a starter
 * @param trendDamping      monthly damping of the case trend (1 = straight line, 0 = flat)
 * @param referee           whether the authority's forecast carries the refereed measures (a backtest a day and per data
 *                          change); off only to time the simulation alone (bench/forecast at national scale)
 */
@ConfigurationProperties("workforce.planning")
public record PlanningSettings(@DefaultValue AnnualCost annualCost, @DefaultValue("45") double agencyHourlyRate,
                               @DefaultValue("500") int runs, @DefaultValue("0.8") double offerTakeUp,
                               @DefaultValue("0.8") double trendDamping, @DefaultValue("true") boolean referee) {

    public PlanningSettings {
        if (annualCost.cfsw() <= 0 || annualCost.personalAdviser() <= 0) {
            throw new IllegalArgumentException("workforce.planning.annual-cost.* must be above 0");
        }
        if (agencyHourlyRate <= 0) {
            throw new IllegalArgumentException("workforce.planning.agency-hourly-rate must be above 0, got " + agencyHourlyRate);
        }
        if (runs < 50 || runs > 5000) {
            throw new IllegalArgumentException("workforce.planning.runs must be 50 to 5000, got " + runs);
        }
        if (offerTakeUp < 0 || offerTakeUp > 1) {
            throw new IllegalArgumentException("workforce.planning.offer-take-up must be 0 to 1, got " + offerTakeUp);
        }
        if (trendDamping < 0 || trendDamping > 1) {
            throw new IllegalArgumentException("workforce.planning.trend-damping must be 0 to 1, got " + trendDamping);
        }
    }

    /** Annual cost of an employed FTE (salary and on-costs), GBP. */
    public record AnnualCost(@DefaultValue("52000") double cfsw, @DefaultValue("38000") double personalAdviser) {
    }
}
