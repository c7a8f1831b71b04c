package org.workforcewatch.ingest.ssd;

import java.security.Principal;
import java.util.List;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.ingest.BodyLimit;
import org.workforcewatch.ingest.ImportLog;
import org.workforcewatch.ingest.ImportProgress;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.Progress;
import org.workforcewatch.ingest.UploadLimits;
import org.workforcewatch.ingest.csv.FileUploads;
import org.workforcewatch.ingest.csv.Importer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/imports/ssd}: Standard Safeguarding Dataset extracts, one table at a time or all of them at
 * once (a zip or a form), mapped onto the native tables by {@link SsdExtract}.
 */
@RestController
class SsdImportController {

    private final FileUploads uploads;
    private final Importer importer;
    private final UploadLimits limits;
    private final ImportProgress progress;

    SsdImportController(FileUploads uploads, Importer importer, UploadLimits limits, ImportProgress progress, ImportLog importLog) {
        this.uploads = uploads;
        this.importer = importer;
        this.limits = limits;
        this.progress = progress;
        importLog.expect(SsdExtract.tables().stream().map(org.workforcewatch.ingest.csv.Dataset::name).toList());
    }

    /** One SSD table, e.g. {@code /api/imports/ssd/ssd_professionals} (the {@code ssd_} may be left out). */
    @PostMapping(path = "/api/imports/ssd/{table}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> uploadSsd(@PathVariable String table, @RequestBody Flux<PartEvent> parts,
                                                  @RequestParam(defaultValue = "full") String extract,
                                                  ServerHttpRequest request, Principal who) {
        return uploads.form(SsdExtract.table(SsdUpload.ssdTable(table)), parts, extract, request, who);
    }

    @PostMapping(path = "/api/imports/ssd/{table}")
    Mono<ResponseEntity<ImportReceipt>> uploadSsd(@PathVariable String table,
                                                  @RequestBody(required = false) Flux<DataBuffer> body,
                                                  @RequestParam(defaultValue = "full") String extract,
                                                  @RequestParam(name = "file_name", required = false) String fileName,
                                                  ServerHttpRequest request, Principal who) {
        return uploads.body(SsdExtract.table(SsdUpload.ssdTable(table)), body, extract, fileName, request, who);
    }

    /** A zip of SSD table files, loaded in dependency order, all or nothing. */
    @PostMapping(path = "/api/imports/ssd", consumes = {"application/zip", "application/x-zip-compressed",
        MediaType.APPLICATION_OCTET_STREAM_VALUE})
    Mono<ResponseEntity<List<ImportReceipt>>> uploadSsdZip(@RequestBody Flux<DataBuffer> body,
                                                            @RequestParam(defaultValue = "full") String extract,
                                                            ServerHttpRequest request, Principal who) {
        BodyLimit limit = limits.declared(request);
        Progress followed = progress.forUpload(request, who);
        return importSsd(FileUploads.extract(extract), limit, followed, upload -> upload.receiveZip(followed.counted(limit.counted(body))));
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
        BodyLimit limit = limits.declared(request);
        Progress followed = progress.forUpload(request, who);
        return importSsd(FileUploads.extract(extract), limit, followed, upload -> upload.receiveForm(limit.countedForm(form
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
}
