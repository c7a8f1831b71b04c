package org.workforcewatch.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.csv.Csv;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit for admins: {@code GET /api/audit} (JSON, newest first, paged with {@code before_id}) and
 * {@code GET /api/audit.csv} (the same search as a spreadsheet-safe CSV). Both take {@code from} and {@code to}
 * (ISO date-times, from inclusive), {@code actor}, {@code action} and {@code limit}. Reading and exporting are
 * themselves audited.
 */
@RestController
class AuditController {

    static final int MAX_LIMIT = 100_000;

    private final Audit audit;
    private final JsonMapper json;

    AuditController(Audit audit, JsonMapper json) {
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/api/audit")
    Mono<List<Audit.Entry>> search(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
                                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
                                   @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                                   @RequestParam(name = "before_id", required = false) Long beforeId,
                                   @RequestParam(defaultValue = "500") int limit) {
        return audit.search(new Audit.Filter(from, to, actor, action, beforeId, bounded(limit))).collectList();
    }

    @GetMapping("/api/audit.csv")
    Mono<ResponseEntity<byte[]>> export(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
                                        @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
                                        @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                                        @RequestParam(defaultValue = "100000") int limit) {
        return audit.search(new Audit.Filter(from, to, actor, action, null, bounded(limit))).collectList().map(entries -> {
            Csv csv = new Csv("id", "at", "actor", "roles", "action", "method", "path", "query", "status", "remote_address", "detail");
            for (Audit.Entry e : entries) {
                csv.row(e.id(), e.at().toString(), e.actor(), e.roles(), e.action(), e.method(), e.path(), e.query(), e.status(),
                        e.remoteAddress(), e.detail().isEmpty() ? null : json.writeValueAsString(e.detail()));
            }
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header("Content-Disposition", ContentDisposition.attachment().filename("workforce-watch-audit.csv").build().toString())
                    .body(csv.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private static int bounded(int limit) {
        return Math.max(1, Math.min(limit, MAX_LIMIT));
    }
}
