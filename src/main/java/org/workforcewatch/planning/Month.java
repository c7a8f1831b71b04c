package org.workforcewatch.planning;

import java.time.YearMonth;

/**
 * One projected month of a {@link Projection}: FTE, vacancies and caseloads at the month end, leavers and starters (people) during
 * the month, agency rate in percent, agency and employed cost of the month in GBP; and the workforce the month's demand needs:
 * {@code fteNeeded} is the case-holding social work FTE that would hold the projected cases at each team's target caseload per
 * FTE, {@code fteGap} is that need less the projected case-holding FTE ({@code caseHoldingFte}, as the caseload indicator counts
 * it), positive when short; {@code paFteNeeded} and {@code paFteGap} the same for personal advisers against {@code paFte}. A gap's
 * percentiles are those of each run's own gap, not differences of the percentiles of need and FTE.
 */
public record Month(YearMonth month, Range employedFte, Range agencyFte, Range vacancyFte, Range leavers, Range starters,
                    Range caseloadPerFte, Range paCaseloadPerFte, Range agencyRate, Range agencyCost, Range employedCost,
                    Range fteNeeded, Range fteGap, Range paFteNeeded, Range paFteGap, Range caseHoldingFte, Range paFte) {
}
