package org.workforcewatch.ingest.cscapi;

import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Children's social care API records: the council's pipeline posts batches to the address it would use for the
 * Department ({@code {base}/children_social_care_data/{la_code}/children}) and is answered as the Department answers,
 * one acknowledgement per record; a person may upload a night's records as one file ({@code POST
 * /api/imports/csc-api}, a JSON array or NDJSON) and is answered with a receipt. Assessment timeliness per team is
 * read at {@code GET /api/csc-api/assessment-timeliness}.
 */
@RestController
class CscApiController {

    /** {@code YYYY-MM-DD_HH:MM:SS.ffffff}, in UTC, as the pipeline parses it. */
    static final DateTimeFormatter ACCEPTED = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The import log's file name of a batch the pipeline sent. */
    static final String PIPELINE = "pipeline batch";

    private final CscApiIntake intake;
    private final CscApiSettings settings;
    private final AssessmentTimeliness timeliness;
    private final Clock clock;

    CscApiController(CscApiIntake intake, CscApiSettings settings, AssessmentTimeliness timeliness, Clock clock) {
        this.intake = intake;
        this.settings = settings;
        this.timeliness = timeliness;
        this.clock = clock;
    }

    @PostMapping(path = "${workforce.csc-api.base-path:/api/csc}/children_social_care_data/{laCode}/children",
            consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Mono<List<String>> children(@PathVariable String laCode, @RequestParam(defaultValue = "partial") String extract,
                                ServerHttpRequest request) {
        if (!settings.laCode().equalsIgnoreCase(laCode)) {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "This service takes the records of"
                    + " authority " + settings.laCode() + " only, not of '" + (laCode.length() > 20 ? laCode.substring(0, 20)
                    + "..." : laCode) + "': check the la_code in the pipeline's address (workforce.csc-api.la-code here).");
            p.setType(URI.create("https://workforcewatch.org/problems/unknown-authority"));
            p.setTitle("Unknown authority");
            return Mono.error(new ErrorResponseException(HttpStatus.NOT_FOUND, p, null));
        }
        return intake.apply(request.getBody(), request.getHeaders().getContentLength(), full(extract), PIPELINE)
                .map(applied -> acknowledgements(applied.records()));
    }

    @PostMapping(path = "/api/imports/csc-api", consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Mono<ResponseEntity<Map<String, Object>>> upload(@RequestParam(defaultValue = "full") String extract,
                                                     @RequestParam(name = "file_name", required = false) String fileName,
                                                     ServerHttpRequest request) {
        return intake.apply(request.getBody(), request.getHeaders().getContentLength(), full(extract),
                        fileName == null ? "upload" : fileName)
                .map(applied -> {
                    Map<String, Object> receipt = new java.util.LinkedHashMap<>();
                    receipt.put("id", applied.importId());
                    receipt.put("dataset", CscApiIntake.DATASET);
                    receipt.put("status", "succeeded");
                    receipt.put("extract", extract.toLowerCase(Locale.ROOT));
                    receipt.put("file_name", fileName);
                    receipt.put("records", applied.records());
                    receipt.put("children_state", applied.state());
                    receipt.put("rows", applied.rows());
                    receipt.put("warnings", applied.warnings());
                    return ResponseEntity.status(HttpStatus.CREATED).body(receipt);
                });
    }

    @GetMapping("/api/csc-api/assessment-timeliness")
    Mono<List<AssessmentTimeliness.Team>> assessmentTimeliness() {
        return timeliness.perTeam();
    }

    /** One acknowledgement per record, in order: the time of acceptance and an id of its own. */
    private List<String> acknowledgements(int records) {
        String accepted = ACCEPTED.format(clock.instant());
        List<String> answer = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            answer.add(accepted + "_" + UUID.randomUUID());
        }
        return answer;
    }

    private static boolean full(String extract) {
        return switch (extract.toLowerCase(Locale.ROOT)) {
            case "full" -> true;
            case "partial" -> false;
            default -> {
                ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the parameter 'extract' must be"
                        + " full (each record replaces what is held for its child) or partial (only the parts it carries"
                        + " change), not '" + (extract.length() > 20 ? extract.substring(0, 20) + "..." : extract) + "'");
                throw new ErrorResponseException(HttpStatus.BAD_REQUEST, p, null);
            }
        };
    }
}
