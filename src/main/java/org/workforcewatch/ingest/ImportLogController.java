package org.workforcewatch.ingest;

import java.security.Principal;
import java.time.LocalDate;
import java.util.Locale;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The import log, and the progress of an upload as it runs, to the person who sent it. */
@RestController
class ImportLogController {

    private final ImportLog importLog;
    private final ImportProgress progress;

    ImportLogController(ImportLog importLog, ImportProgress progress) {
        this.importLog = importLog;
        this.progress = progress;
    }

    /**
     * The import log, newest first: of one dataset, with one status (running, succeeded, rejected, failed), started
     * from one day to another (both included, dates of UTC), as asked.
     */
    @GetMapping("/api/imports")
    Flux<ImportReceipt> list(@RequestParam(required = false) String dataset, @RequestParam(required = false) String status,
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                             @RequestParam(defaultValue = "100") int limit) {
        String s = status == null || status.isBlank() ? null : status.strip().toLowerCase(Locale.ROOT);
        if (s != null && !ImportLog.STATUSES.contains(s)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be one of "
                    + String.join(", ", ImportLog.STATUSES) + ", got: " + ImportError.shown(status));
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "to (" + to + ") is before from (" + from + ")");
        }
        return importLog.list(new ImportLog.Filter(dataset == null || dataset.isBlank() ? null : dataset.strip(), s, from, to),
                Math.max(1, Math.min(limit, 1000)));
    }

    /**
     * The progress of an upload sent with the {@value ImportProgress#HEADER} header, as server-sent events, to the
     * person who sent it (see {@link ImportProgress}).
     */
    @GetMapping("/api/imports/progress/{id}")
    ResponseEntity<?> progress(@PathVariable String id, Principal who) {
        try {
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(progress.follow(id, who));
        } catch (ResponseStatusException refused) {
            // said as a problem, not as an event: the browser's EventSource asks for events only
            return ResponseEntity.status(refused.getStatusCode()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(refused.getBody());
        }
    }

    @GetMapping("/api/imports/{id}")
    Mono<ImportReceipt> one(@PathVariable long id) {
        return importLog.find(id).switchIfEmpty(Mono.error(new ResponseStatusException(
                HttpStatus.NOT_FOUND, "no import with id " + id)));
    }
}
