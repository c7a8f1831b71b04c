package org.workforcewatch.planning;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * A month-by-month projection for a team, service or the authority, starting at {@code start} (the date the data is known at).
 * Every measure of a {@link Month} is a {@link Range}: the 10th, 50th and 90th percentile over the simulation runs.
 * {@code refereed} holds, for the authority, the forecast of each measure the {@link Referee} scores (FTE in post, leavers,
 * caseload per FTE) by the method its backtest chose for each horizon, with calibrated ranges; empty for teams and services,
 * and while the authority's first backtest of the day is being computed ({@code refereeNote} then says so).
 */
public record Projection(String level, String scope, LocalDate start, List<Month> months, String method, List<Refereed> refereed,
                         String refereeNote) {

    public Projection {
        months = List.copyOf(months);
        refereed = List.copyOf(refereed);
    }

    public Projection(String level, String scope, LocalDate start, List<Month> months, String method) {
        this(level, scope, start, months, method, List.of(), null);
    }

    Projection withRefereed(List<Refereed> measures) {
        return new Projection(level, scope, start, months, method, measures, null);
    }

    Projection withRefereeNote(String note) {
        return new Projection(level, scope, start, months, method, refereed, note);
    }

    /** Whether an authority's projection still waits for its referee (not to be kept as the answer). */
    boolean awaitingReferee() {
        return refereeNote != null;
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
