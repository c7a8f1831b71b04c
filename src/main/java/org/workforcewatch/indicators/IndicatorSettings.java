package org.workforcewatch.indicators;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local practice standards the indicators use ({@code workforce.indicators.*}); the defaults are
 * those of docs/DOMAIN.md.
 *
 * @param maxCaseload    children per FTE above which a worker is over the limit
 * @param asyeShare      the share of the limit that applies to a newly qualified (ASYE) worker
 * @param allocationDays working days a referral may wait for a worker
 * @param paFromAge      age (completed years) from which a child in care should have a personal adviser
 * @param agencyPriceCap hourly rate (GBP) above which an agency worker breaks the regional price cap
 * @param contactDays    days after which a care leaver's last contact is overdue
 * @param coverDays      days ahead in which out-of-hours cover gaps are counted
 * @param historyQuiet   while data has changed more recently than this, only today's figures are recomputed: the
 *                       month ends wait until changes pause (a stream of events or imports back to back would
 *                       otherwise keep the database recomputing history); 0 recomputes them at once
 * @param roundGap       the least time between the starts of two rounds of recompute: changes that arrive meanwhile
 *                       are taken together by the next round, so a stream of events costs a round a gap, not a round
 *                       a request; at most 4 s, which keeps a live change in the figures within 5 s
 */
@ConfigurationProperties("workforce.indicators")
public record IndicatorSettings(@DefaultValue("20") double maxCaseload, @DefaultValue("0.9") double asyeShare,
                                @DefaultValue("5") int allocationDays, @DefaultValue("17") int paFromAge,
                                @DefaultValue("50") double agencyPriceCap, @DefaultValue("56") int contactDays,
                                @DefaultValue("28") int coverDays, @DefaultValue("2s") java.time.Duration historyQuiet,
                                @DefaultValue("1s") java.time.Duration roundGap) {

    public IndicatorSettings {
        require(maxCaseload > 0, "workforce.indicators.max-caseload must be above 0, got " + maxCaseload);
        require(asyeShare > 0 && asyeShare <= 1, "workforce.indicators.asye-share must be in (0, 1], got " + asyeShare);
        require(allocationDays >= 0, "workforce.indicators.allocation-days must not be negative, got " + allocationDays);
        require(paFromAge >= 0 && paFromAge <= 25, "workforce.indicators.pa-from-age must be 0 to 25, got " + paFromAge);
        require(agencyPriceCap > 0, "workforce.indicators.agency-price-cap must be above 0, got " + agencyPriceCap);
        require(contactDays > 0, "workforce.indicators.contact-days must be above 0, got " + contactDays);
        require(coverDays > 0 && coverDays <= 366, "workforce.indicators.cover-days must be 1 to 366, got " + coverDays);
        require(!historyQuiet.isNegative() && historyQuiet.compareTo(java.time.Duration.ofMinutes(10)) <= 0,
                "workforce.indicators.history-quiet must be 0 to 10 minutes, got " + historyQuiet);
        require(!roundGap.isNegative() && roundGap.compareTo(java.time.Duration.ofSeconds(4)) <= 0,
                "workforce.indicators.round-gap must be 0 to 4 seconds, got " + roundGap);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
