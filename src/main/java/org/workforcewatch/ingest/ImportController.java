package org.workforcewatch.ingest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Upload a dataset file (CSV body or multipart form), and read the import log. */
@RestController
class ImportController {

    private final Importer importer;
    private final ImportLog importLog;

    ImportController(Importer importer, ImportLog importLog) {
        this.importer = importer;
        this.importLog = importLog;
    }

    @PostMapping(path = "/api/imports/{dataset}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> upload(@PathVariable String dataset, @RequestBody Flux<PartEvent> parts,
                                               @RequestParam(defaultValue = "full") String extract) {
        Importer.Extract mode = extract(extract);
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (first.hasValue() && first.get() instanceof FilePartEvent file) {
                        return importer.importCsv(dataset, events.map(PartEvent::content), mode, file.filename());
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(Mono.<ImportReceipt>empty());
                }))
                .next()
                .switchIfEmpty(Mono.error(new ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
                        "the form has no file part: send the CSV file as a form field of type file")))
                .map(ImportController::created);
    }

    @PostMapping(path = "/api/imports/{dataset}")
    Mono<ResponseEntity<ImportReceipt>> upload(@PathVariable String dataset, @RequestBody(required = false) Flux<DataBuffer> body,
                                               @RequestParam(defaultValue = "full") String extract,
                                               @RequestParam(name = "file_name", required = false) String fileName) {
        return importer.importCsv(dataset, body == null ? Flux.empty() : body, extract(extract), fileName).map(ImportController::created);
    }

    /** One SSD table, e.g. {@code /api/imports/ssd/ssd_professionals} (the {@code ssd_} may be left out). */
    @PostMapping(path = "/api/imports/ssd/{table}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> uploadSsd(@PathVariable String table, @RequestBody Flux<PartEvent> parts,
                                                  @RequestParam(defaultValue = "full") String extract) {
        return upload(ssdTable(table), parts, extract);
    }

    @PostMapping(path = "/api/imports/ssd/{table}")
    Mono<ResponseEntity<ImportReceipt>> uploadSsd(@PathVariable String table,
                                                  @RequestBody(required = false) Flux<DataBuffer> body,
                                                  @RequestParam(defaultValue = "full") String extract,
                                                  @RequestParam(name = "file_name", required = false) String fileName) {
        return upload(ssdTable(table), body, extract, fileName);
    }

    /** A zip of SSD table files, loaded in dependency order, all or nothing. */
    @PostMapping(path = "/api/imports/ssd", consumes = {"application/zip", "application/x-zip-compressed",
        MediaType.APPLICATION_OCTET_STREAM_VALUE})
    Mono<ResponseEntity<List<ImportReceipt>>> uploadSsdZip(@RequestBody Flux<DataBuffer> body,
                                                            @RequestParam(defaultValue = "full") String extract) {
        Importer.Extract mode = extract(extract);
        return Mono.usingWhen(SsdUpload.receive(body),
                        zip -> importer.importAll(zip.parts(), mode),
                        zip -> Mono.fromRunnable(zip::close).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                .map(receipts -> ResponseEntity.status(org.springframework.http.HttpStatus.CREATED).body(receipts));
    }

    /** The SSD tables as a form: one zip, or one file per table (named after its table). */
    @PostMapping(path = "/api/imports/ssd", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<List<ImportReceipt>>> uploadSsdForm(
            @RequestBody Mono<org.springframework.util.MultiValueMap<String, org.springframework.http.codec.multipart.Part>> form,
            @RequestParam(defaultValue = "full") String extract) {
        Importer.Extract mode = extract(extract);
        return form.flatMap(parts -> {
            List<org.springframework.http.codec.multipart.FilePart> files = parts.values().stream().flatMap(List::stream)
                    .filter(p -> p instanceof org.springframework.http.codec.multipart.FilePart)
                    .map(p -> (org.springframework.http.codec.multipart.FilePart) p).toList();
            if (files.size() == 1 && files.get(0).filename().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                return uploadSsdZip(files.get(0).content(), extract);
            }
            if (files.isEmpty()) {
                return Mono.error(new ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
                        "the form has no file: send a zip of the SSD tables or one CSV file per table"));
            }
            List<Importer.Part> csvs = files.stream().map(f -> new Importer.Part(ssdTable(tableOf(f.filename())),
                    f.content(), f.filename())).toList();
            return importer.importAll(csvs, mode)
                    .map(receipts -> ResponseEntity.status(org.springframework.http.HttpStatus.CREATED).body(receipts));
        });
    }

    private static String tableOf(String fileName) {
        String name = java.nio.file.Path.of(fileName).getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }

    private static String ssdTable(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        return t.startsWith("ssd_") ? t : "ssd_" + t;
    }

    @GetMapping("/api/imports")
    Flux<ImportReceipt> list(@RequestParam(required = false) String dataset, @RequestParam(defaultValue = "100") int limit) {
        return importLog.list(dataset, Math.max(1, Math.min(limit, 1000)));
    }

    @GetMapping("/api/imports/{id}")
    Mono<ImportReceipt> one(@PathVariable long id) {
        return importLog.find(id).switchIfEmpty(Mono.error(new ResponseStatusException(
                org.springframework.http.HttpStatus.NOT_FOUND, "no import with id " + id)));
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
            default -> throw new ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    "extract must be full or partial, got: " + value);
        };
    }

    private static ResponseEntity<ImportReceipt> created(ImportReceipt receipt) {
        return ResponseEntity.created(URI.create("/api/imports/" + receipt.id())).body(receipt);
    }
}
