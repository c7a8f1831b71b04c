package org.workforcewatch.ingest;

import java.net.URI;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.format.annotation.DateTimeFormat;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Upload a dataset file (CSV body or multipart form), and read the import log. Every upload is held to
 * the file size of {@link UploadLimits}: refused at once from its Content-Length, or cut off as it arrives.
 */
@RestController
class ImportController {

    private final Importer importer;
    private final ImportLog importLog;
    private final UploadLimits limits;
    private final ImportProgress progress;

    ImportController(Importer importer, ImportLog importLog, UploadLimits limits, ImportProgress progress) {
        this.importer = importer;
        this.importLog = importLog;
        this.limits = limits;
        this.progress = progress;
    }

    @PostMapping(path = "/api/imports/{dataset}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> upload(@PathVariable String dataset, @RequestBody Flux<PartEvent> parts,
                                               @RequestParam(defaultValue = "full") String extract,
                                               ServerHttpRequest request, Principal who) {
        Importer.Extract mode = extract(extract);
        BodyLimit limit = declared(request);
        Progress followed = progress.forUpload(request, who);
        return followed.reporting(() -> parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (first.hasValue() && first.get() instanceof FilePartEvent file) {
                        return importer.importCsv(dataset, followed.counted(limit.counted(events.map(PartEvent::content))),
                                mode, file.filename(), followed);
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(Mono.<ImportReceipt>empty());
                }))
                .next()
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "the form has no file part: send the CSV file as a form field of type file")))
                .onErrorMap(limit::explain), ImportReceipt::rows)
                .map(ImportController::created);
    }

    @PostMapping(path = "/api/imports/{dataset}")
    Mono<ResponseEntity<ImportReceipt>> upload(@PathVariable String dataset, @RequestBody(required = false) Flux<DataBuffer> body,
                                               @RequestParam(defaultValue = "full") String extract,
                                               @RequestParam(name = "file_name", required = false) String fileName,
                                               ServerHttpRequest request, Principal who) {
        Importer.Extract mode = extract(extract);
        BodyLimit limit = declared(request);
        Progress followed = progress.forUpload(request, who);
        return followed.reporting(() -> importer.importCsv(dataset, followed.counted(limit.counted(body == null ? Flux.empty() : body)),
                        mode, fileName, followed)
                .onErrorMap(limit::explain), ImportReceipt::rows)
                .map(ImportController::created);
    }

    /** One SSD table, e.g. {@code /api/imports/ssd/ssd_professionals} (the {@code ssd_} may be left out). */
    @PostMapping(path = "/api/imports/ssd/{table}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> uploadSsd(@PathVariable String table, @RequestBody Flux<PartEvent> parts,
                                                  @RequestParam(defaultValue = "full") String extract,
                                                  ServerHttpRequest request, Principal who) {
        return upload(ssdTable(table), parts, extract, request, who);
    }

    @PostMapping(path = "/api/imports/ssd/{table}")
    Mono<ResponseEntity<ImportReceipt>> uploadSsd(@PathVariable String table,
                                                  @RequestBody(required = false) Flux<DataBuffer> body,
                                                  @RequestParam(defaultValue = "full") String extract,
                                                  @RequestParam(name = "file_name", required = false) String fileName,
                                                  ServerHttpRequest request, Principal who) {
        return upload(ssdTable(table), body, extract, fileName, request, who);
    }

    /** A zip of SSD table files, loaded in dependency order, all or nothing. */
    @PostMapping(path = "/api/imports/ssd", consumes = {"application/zip", "application/x-zip-compressed",
        MediaType.APPLICATION_OCTET_STREAM_VALUE})
    Mono<ResponseEntity<List<ImportReceipt>>> uploadSsdZip(@RequestBody Flux<DataBuffer> body,
                                                            @RequestParam(defaultValue = "full") String extract,
                                                            ServerHttpRequest request, Principal who) {
        BodyLimit limit = declared(request);
        Progress followed = progress.forUpload(request, who);
        return importSsd(extract(extract), limit, followed, upload -> upload.receiveZip(followed.counted(limit.counted(body))));
    }

    /**
     * The SSD tables as a form: one zip, or one file per table (named after its table). The form is read as it
     * streams, counted against the size limit, and its files kept in this request's own folder, not by Spring's
     * multipart reader (which would keep a whole form, whatever its size, and its files afterwards).
     */
    @PostMapping(path = "/api/imports/ssd", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<List<ImportReceipt>>> uploadSsdForm(@RequestBody Flux<PartEvent> form,
                                                            @RequestParam(defaultValue = "full") String extract,
                                                            ServerHttpRequest request, Principal who) {
        BodyLimit limit = declared(request);
        Progress followed = progress.forUpload(request, who);
        return importSsd(extract(extract), limit, followed, upload -> upload.receiveForm(limit.countedForm(form
                .doOnNext(event -> followed.received(event.content().readableByteCount())))));
    }

    /**
     * Keeps the upload, then imports its tables in dependency order, all or nothing. The upload is held to the file
     * size, and so is each table in it: a small zip may expand to a huge file. Its folder is removed however the
     * request ends.
     */
    private Mono<ResponseEntity<List<ImportReceipt>>> importSsd(Importer.Extract mode, BodyLimit limit, Progress followed,
                                                                Function<SsdUpload, Mono<Void>> receive) {
        return followed.reporting(() -> Mono.usingWhen(Mono.fromSupplier(() -> SsdUpload.in(limits.temporaryFolder())),
                        upload -> receive.apply(upload).then(Mono.fromRunnable(followed::checking))
                                .then(Mono.defer(() -> importer.importAll(upload.parts().stream()
                                .map(p -> new Importer.Part(p.dataset(), limit.counted(p.body()), p.fileName())).toList(), mode,
                                        followed))),
                        SsdUpload::delete, (upload, error) -> upload.delete(), SsdUpload::delete)
                .onErrorMap(limit::explain), receipts -> receipts.stream().mapToLong(ImportReceipt::rows).sum())
                .map(receipts -> ResponseEntity.status(HttpStatus.CREATED).body(receipts));
    }

    /** The file size limit for this request, which its declared length must already be within. */
    private BodyLimit declared(ServerHttpRequest request) {
        BodyLimit limit = limits.file();
        limit.checkDeclared(request.getHeaders().getContentLength());
        return limit;
    }

    private static String ssdTable(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        return t.startsWith("ssd_") ? t : "ssd_" + t;
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
                    + String.join(", ", ImportLog.STATUSES) + ", got: " + ParsedUpload.shown(status));
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

    /** The contract as data: each dataset's columns, key and load order. */
    @GetMapping("/api/datasets")
    List<Map<String, Object>> datasets() {
        return Datasets.all().stream().map(d -> Map.<String, Object>of(
                "dataset", d.name(),
                "key", d.key(),
                "columns", d.columns().stream().map(c -> Map.of("name", c.name(), "required", c.required(),
                        "kind", c.kind().name().toLowerCase(Locale.ROOT), "allowed", c.allowed())).toList(),
                "format_version", Dataset.FORMAT_VERSION)).toList();
    }

    private static Importer.Extract extract(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "full" -> Importer.Extract.FULL;
            case "partial", "delta" -> Importer.Extract.PARTIAL;
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "extract must be full or partial, got: " + value);
        };
    }

    private static ResponseEntity<ImportReceipt> created(ImportReceipt receipt) {
        return ResponseEntity.created(URI.create("/api/imports/" + receipt.id())).body(receipt);
    }
}
