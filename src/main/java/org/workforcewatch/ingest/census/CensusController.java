package org.workforcewatch.ingest.census;

import java.net.URI;
import java.security.Principal;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.ingest.ImportProgress;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.Progress;
import org.workforcewatch.ingest.UploadLimits;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Upload the annual workforce census return (CSWW XML) and read the Department's measures from the
 * stored returns. Any content type is taken as the file, so that a file that is not XML is answered
 * with a clear problem rather than a media-type error. A request declaring more than the census size
 * limit of {@link UploadLimits} is refused before it is read.
 */
@RestController
class CensusController {

    private final CensusImport census;
    private final CensusMeasures measures;
    private final UploadLimits limits;
    private final ImportProgress progress;

    CensusController(CensusImport census, CensusMeasures measures, UploadLimits limits, ImportProgress progress) {
        this.census = census;
        this.measures = measures;
        this.limits = limits;
        this.progress = progress;
    }

    @PostMapping(path = "/api/imports/census", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> upload(@RequestBody Flux<PartEvent> parts,
                                               @RequestParam(name = "team_id", required = false) String teamId,
                                               ServerHttpRequest request, Principal who) {
        refuseTeam(teamId);
        limits.census().checkDeclared(request.getHeaders().getContentLength());
        Progress followed = progress.forUpload(request, who);
        return followed.reporting(() -> parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (first.hasValue() && first.get() instanceof FilePartEvent file) {
                        return census.importReturn(followed.counted(events.map(PartEvent::content)), file.filename(), followed);
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(Mono.<ImportReceipt>empty());
                }))
                .next()
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "the form has no file part: send the census XML as a form field of type file"))), ImportReceipt::rows)
                .map(CensusController::created);
    }

    @PostMapping(path = "/api/imports/census")
    Mono<ResponseEntity<ImportReceipt>> upload(@RequestBody(required = false) Flux<DataBuffer> body,
                                               @RequestParam(name = "team_id", required = false) String teamId,
                                               @RequestParam(name = "file_name", required = false) String fileName,
                                               ServerHttpRequest request, Principal who) {
        refuseTeam(teamId);
        limits.census().checkDeclared(request.getHeaders().getContentLength());
        Progress followed = progress.forUpload(request, who);
        return followed.reporting(() -> census.importReturn(followed.counted(body == null ? Flux.empty() : body), fileName, followed),
                        ImportReceipt::rows)
                .map(CensusController::created);
    }

    /**
     * One team for a whole return would put the authority's every worker in it: workers are placed one by one, by
     * their cost centre.
     */
    private static void refuseTeam(String teamId) {
        if (teamId != null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "team_id is not taken: a census return's workers"
                    + " are placed in teams one by one, by their CostCentre and workforce.census.team-mapping; workers"
                    + " it does not place are listed at /api/data-quality");
        }
    }

    /** The stored census returns, latest year first. */
    @GetMapping("/api/census")
    Flux<CensusMeasures.CensusReturn> returns() {
        return measures.returns();
    }

    /** The Department's measures for one year's return. */
    @GetMapping("/api/census/{year}")
    Mono<Map<String, Object>> year(@PathVariable int year) {
        return measures.forYear(year).switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no census return for " + year + " is stored: load it with POST /api/imports/census")));
    }

    private static ResponseEntity<ImportReceipt> created(ImportReceipt receipt) {
        return ResponseEntity.created(URI.create("/api/imports/" + receipt.id())).body(receipt);
    }
}
