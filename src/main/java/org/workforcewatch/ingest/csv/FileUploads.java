package org.workforcewatch.ingest.csv;

import java.net.URI;
import java.security.Principal;
import java.util.Locale;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.ingest.BodyLimit;
import org.workforcewatch.ingest.ImportProgress;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.Progress;
import org.workforcewatch.ingest.UploadLimits;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One file of a dataset, as a CSV body or a multipart form, imported and answered 201 with its receipt. Every
 * upload is held to the file size of {@link UploadLimits}: refused at once from its Content-Length, or cut off as
 * it arrives; it may be followed as it runs ({@link ImportProgress}).
 */
@Component
public class FileUploads {

    private final Importer importer;
    private final UploadLimits limits;
    private final ImportProgress progress;

    FileUploads(Importer importer, UploadLimits limits, ImportProgress progress) {
        this.importer = importer;
        this.limits = limits;
        this.progress = progress;
    }

    /** The file part of a form. */
    public Mono<ResponseEntity<ImportReceipt>> form(Dataset dataset, Flux<PartEvent> parts, String extract,
                                                    ServerHttpRequest request, Principal who) {
        Importer.Extract mode = extract(extract);
        BodyLimit limit = limits.declared(request);
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
                .map(FileUploads::created);
    }

    /** The request's body as the file. */
    public Mono<ResponseEntity<ImportReceipt>> body(Dataset dataset, Flux<DataBuffer> body, String extract, String fileName,
                                                    ServerHttpRequest request, Principal who) {
        Importer.Extract mode = extract(extract);
        BodyLimit limit = limits.declared(request);
        Progress followed = progress.forUpload(request, who);
        return followed.reporting(() -> importer.importCsv(dataset, followed.counted(limit.counted(body == null ? Flux.empty() : body)),
                        mode, fileName, followed)
                .onErrorMap(limit::explain), ImportReceipt::rows)
                .map(FileUploads::created);
    }

    /** The {@code extract} parameter: {@code full} or {@code partial} (also {@code delta}). */
    public static Importer.Extract extract(String value) {
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
