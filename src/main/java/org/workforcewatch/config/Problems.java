package org.workforcewatch.config;

import java.net.URI;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.workforcewatch.ingest.ImportRejected;
import org.workforcewatch.ingest.UnknownDataset;

/**
 * Every error answers RFC 9457 problem details ({@code application/problem+json}): what went wrong in
 * words a user can act on, never a stack trace or SQL.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {
    // Spring's own errors (bad request, not found, unsupported media type, ...) are answered by the base class.

    private static final Log log = LogFactory.getLog(Problems.class);
    private static final String TYPES = "https://workforcewatch.org/problems/";

    @ExceptionHandler(ImportRejected.class)
    ResponseEntity<ProblemDetail> rejected(ImportRejected e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        p.setType(URI.create(TYPES + "invalid-file"));
        p.setTitle("The file does not follow the format");
        p.setProperty("dataset", e.dataset());
        p.setProperty("import_id", e.importId());
        p.setProperty("rows", e.rows());
        p.setProperty("error_count", e.errorCount());
        p.setProperty("errors", e.errors());
        return ResponseEntity.unprocessableContent().body(p);
    }

    @ExceptionHandler(UnknownDataset.class)
    ResponseEntity<ProblemDetail> unknownDataset(UnknownDataset e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setType(URI.create(TYPES + "unknown-dataset"));
        p.setTitle("No such dataset");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(p);
    }

    @ExceptionHandler(DataAccessResourceFailureException.class)
    ResponseEntity<ProblemDetail> databaseDown(DataAccessResourceFailureException e) {
        log.warn("Database unavailable: " + e.getMessage());
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The database is not reachable just now; nothing was changed. Try again shortly.");
        p.setType(URI.create(TYPES + "database-unavailable"));
        p.setTitle("Temporarily unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "10").body(p);
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        String ref = UUID.randomUUID().toString();
        log.error("Unexpected error " + ref, e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; nothing was changed. Quote reference " + ref + " to the administrator.");
        p.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(p);
    }
}
