package org.workforcewatch.ingest.census;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.workforcewatch.ingest.ImportError;

/**
 * A census return as read from its XML: the return's header, its authority-level vacancies and its
 * workers, with every problem found. Only a file without errors is stored; warnings go into the receipt.
 */
record CensusFile(Integer year, LocalDate referenceDate, String laCode, BigDecimal vacanciesFte, BigDecimal agencyFte,
                  Integer agencyHeadcount, List<Worker> workers, int workersRead, List<ImportError> errors,
                  long errorCount, List<String> warnings, String encoding) {

    /** First day of the collection year: the day after the previous year's reference date. */
    LocalDate yearStart() {
        return referenceDate.minusYears(1).plusDays(1);
    }

    /**
     * One CSWWWorker: the fields Workforce Watch keeps (no personal details, no qualification route), and the
     * local {@code CostCentre} that places the worker in a team, when the file gives one.
     */
    record Worker(int index, String sweNo, boolean agency, BigDecimal fte, BigDecimal fte30, Integer orgRole,
                  Integer cfkssStatus, LocalDate roleStartDate, LocalDate roleEndDate, Integer reasonLeave, Integer cases30,
                  BigDecimal workingDaysLost, BigDecimal contractWeeks, Boolean absentAt30Sept, String reasonAbsence,
                  String costCentre) {
    }
}
