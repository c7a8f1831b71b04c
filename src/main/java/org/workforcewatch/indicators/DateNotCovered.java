package org.workforcewatch.indicators;

import java.net.URI;
import java.time.LocalDate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A date asked for lies outside the window the data covers, [earliest coverage, today]: answered 422 with the
 * window, before any figure is read or computed (an arbitrary date would otherwise cost a computation).
 */
public final class DateNotCovered extends ErrorResponseException {

    DateNotCovered(LocalDate date, DataCoverage.Coverage coverage) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(date, coverage), null);
    }

    private static ProblemDetail problem(LocalDate date, DataCoverage.Coverage coverage) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, "as_of " + date
                + " is outside the dates the data covers: ask for a date from " + coverage.earliest() + " to " + coverage.today()
                + " (GET /api/data-coverage says what each dataset covers and why)");
        p.setType(URI.create("https://workforcewatch.org/problems/date-not-covered"));
        p.setTitle("The data does not cover that date");
        p.setProperty("as_of", date.toString());
        p.setProperty("earliest", coverage.earliest().toString());
        p.setProperty("latest", coverage.today().toString());
        return p;
    }
}
