package org.workforcewatch.planning;

import java.time.LocalDate;
import java.util.List;

/**
 * A month-by-month projection for a team, service or the authority, starting at {@code start} (the date the data is known at).
 * Every measure of a {@link Month} is a {@link Range}: the 10th, 50th and 90th percentile over the simulation runs.
 */
public record Projection(String level, String scope, LocalDate start, List<Month> months, String method) {

    public Projection {
        months = List.copyOf(months);
    }
}
