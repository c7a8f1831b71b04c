package org.workforcewatch.indicators;

import java.time.LocalDate;

/** Today's indicators were recomputed after a change of data; published once they are stored. */
public record IndicatorsRefreshed(LocalDate asOf) {
}
