package org.workforcewatch.ingest.events;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.ingest.IngestMetrics;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/events}: live events, one JSON object, a JSON array of them, or NDJSON. Each line is
 * applied, acknowledged as a duplicate or rejected on its own (see {@link EventReceipt}); the answer is
 * 200 unless every line was rejected (422), or the body is not JSON at all (400).
 */
@RestController
class EventController {

    private static final int MAX_LISTED_ERRORS = 1000;

    private final EventReader reader;
    private final EventIntake intake;

    private final IngestMetrics metrics;

    EventController(EventReader reader, EventIntake intake, IngestMetrics metrics) {
        this.reader = reader;
        this.intake = intake;
        this.metrics = metrics;
    }

    @PostMapping(path = "/api/events", consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Mono<ResponseEntity<Object>> post(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        long length = request.getHeaders().getContentLength();
        Mono<List<EventLine>> lines = type != null && MediaType.APPLICATION_NDJSON.isCompatibleWith(type)
                ? reader.ndjson(request.getBody(), length)
                : reader.json(request.getBody(), length);
        long started = System.nanoTime();
        return lines.flatMap(intake::apply).map(EventController::answer)
                .doOnSuccess(answer -> metrics.eventRequest(java.time.Duration.ofNanos(System.nanoTime() - started)));
    }

    private static ResponseEntity<Object> answer(EventReceipt receipt) {
        if (!receipt.everyLineRejected()) {
            return ResponseEntity.ok(receipt);
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (EventReceipt.Outcome o : receipt.results()) {
            for (EventError e : o.errors()) {
                if (errors.size() < MAX_LISTED_ERRORS) {
                    Map<String, Object> error = new java.util.LinkedHashMap<>();
                    error.put("line", o.line());
                    error.put("field", e.field());
                    error.put("value", e.value());
                    error.put("reason", e.reason());
                    errors.add(error);
                }
            }
        }
        long total = receipt.results().stream().mapToLong(o -> o.errors().size()).sum();
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, receipt.rejected()
                + (receipt.rejected() == 1 ? " event was" : " events were") + " rejected: nothing was applied");
        p.setType(URI.create("https://workforcewatch.org/problems/invalid-events"));
        p.setTitle("No event could be applied");
        p.setProperty("accepted", 0);
        p.setProperty("duplicates", 0);
        p.setProperty("rejected", receipt.rejected());
        p.setProperty("error_count", total);
        p.setProperty("errors", errors);
        p.setProperty("all_lines_listed", receipt.allLinesListed());
        p.setProperty("results", receipt.results());
        return ResponseEntity.unprocessableContent().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
