package org.workforcewatch.planning;

import java.time.YearMonth;

/**
 * One projected month of a {@link Projection}: FTE, vacancies and caseloads at the month end, leavers and starters (people) during
 * the month, agency rate in percent, agency and employed cost of the month in GBP.
 */
public record Month(YearMonth month, Range employedFte, Range agencyFte, Range vacancyFte, Range leavers, Range starters,
                    Range caseloadPerFte, Range paCaseloadPerFte, Range agencyRate, Range agencyCost, Range employedCost) {
}
