package org.workforcewatch.planning;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * A month-by-month projection for a team, service or the authority, starting at {@code start} (the date the data is known at).
 * Every measure of a {@link Month} is a {@link Range}: the 10th, 50th and 90th percentile over the simulation runs.
 * {@code refereed} holds, for the authority, the forecast of each measure the {@link Referee} scores (FTE in post, leavers,
 * caseload per FTE) by the method its backtest chose for each horizon, with calibrated ranges; empty for teams and services.
 */
public record Projection(String level, String scope, LocalDate start, List<Month> months, String method, List<Refereed> refereed) {

    public Projection {
        months = List.copyOf(months);
        refereed = List.copyOf(refereed);
    }

    public Projection(String level, String scope, LocalDate start, List<Month> months, String method) {
        this(level, scope, start, months, method, List.of());
    }

    Projection withRefereed(List<Refereed> measures) {
        return new Projection(level, scope, start, months, method, measures);
    }

    /** A refereed measure: its forecast month by month. */
    public record Refereed(String measure, List<RefereedMonth> months) {

        public Refereed {
            months = List.copyOf(months);
        }
    }

    /** One month of a refereed measure: the method used at its horizon and the calibrated p10, median and p90. */
    public record RefereedMonth(YearMonth month, String method, double p10, double p50, double p90) {
    }
}
