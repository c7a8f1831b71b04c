package org.workforcewatch.config;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.URI;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.workforcewatch.ingest.ImportRejected;
import org.workforcewatch.ingest.UploadBrokenOff;
import org.workforcewatch.ingest.csv.UnknownDataset;
import reactor.core.publisher.Mono;

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

    /** Every way an outage of PostgreSQL shows itself (see {@link DatabaseOutage}); anything wrapping one is caught below. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
        QueryTimeoutException.class, CannotCreateTransactionException.class, R2dbcNonTransientResourceException.class,
        R2dbcTransientResourceException.class, R2dbcTimeoutException.class})
    ResponseEntity<ProblemDetail> databaseDown(Exception e) {
        log.warn("Database unavailable: " + e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS)).body(DatabaseOutage.problem());
    }

    /** The client stopped sending its file: rarely read by anyone, since the client has usually gone. */
    @ExceptionHandler(UploadBrokenOff.class)
    ResponseEntity<ProblemDetail> brokenOff(UploadBrokenOff e) {
        log.info("Upload broke off: " + e.getCause());
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setType(URI.create(TYPES + "upload-incomplete"));
        p.setTitle("The upload was incomplete");
        return ResponseEntity.badRequest().body(p);
    }

    /** Spring's words for a request it cannot read are "Type mismatch." or "Failed to read HTTP message": say what and where. */
    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException e, HttpHeaders headers,
                                                                         HttpStatusCode status, ServerWebExchange exchange) {
        e.getBody().setDetail(BadInput.describe(e));
        return super.handleServerWebInputException(e, headers, status, exchange);
    }

    /** Spring leaves the detail out of some of its own problems (a body of a media type not read): every problem has one. */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                                ServerWebExchange exchange) {
        if (body instanceof ProblemDetail p && p.getDetail() == null) {
            MediaType type = exchange.getRequest().getHeaders().getContentType();
            p.setDetail(status.value() == HttpStatus.UNSUPPORTED_MEDIA_TYPE.value() && type != null
                    ? "Content-Type '" + type + "' is not read here: send the media type the API documents for this request."
                    : "The request was refused (" + status.value() + "): check its method, path, parameters and body.");
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }

    /** PostgreSQL refusing text that holds NUL (22021), or a JSON escape of it (22P05): the client's input, not our fault. */
    private static boolean unstorableText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException r && ("22021".equals(r.getSqlState()) || "22P05".equals(r.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        if (DatabaseOutage.causedBy(e)) {
            return databaseDown(e);
        }
        if (unstorableText(e)) {
            log.info("Request with a NUL character refused by the database: " + e.getMessage());
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request holds a NUL character"
                    + " (\\u0000), which cannot be stored; nothing was changed: remove it and send the request again.");
            p.setType(URI.create(TYPES + "unstorable-text"));
            p.setTitle("Text that cannot be stored");
            return ResponseEntity.badRequest().body(p);
        }
        String ref = UUID.randomUUID().toString();
        log.error("Unexpected error " + ref, e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; nothing was changed. Quote reference " + ref + " to the administrator.");
        p.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(p);
    }
}
