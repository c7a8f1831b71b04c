package org.workforcewatch.ingest.csv;

import java.security.Principal;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.ingest.ImportReceipt;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code POST /api/imports/{dataset}}: a file of one of the datasets of docs/DATA-FORMATS.md, as CSV or a form. */
@RestController
class CsvImportController {

    private final FileUploads uploads;

    CsvImportController(FileUploads uploads) {
        this.uploads = uploads;
    }

    @PostMapping(path = "/api/imports/{dataset}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<ImportReceipt>> upload(@PathVariable String dataset, @RequestBody Flux<PartEvent> parts,
                                               @RequestParam(defaultValue = "full") String extract,
                                               ServerHttpRequest request, Principal who) {
        return uploads.form(Datasets.named(dataset), parts, extract, request, who);
    }

    @PostMapping(path = "/api/imports/{dataset}")
    Mono<ResponseEntity<ImportReceipt>> upload(@PathVariable String dataset, @RequestBody(required = false) Flux<DataBuffer> body,
                                               @RequestParam(defaultValue = "full") String extract,
                                               @RequestParam(name = "file_name", required = false) String fileName,
                                               ServerHttpRequest request, Principal who) {
        return uploads.body(Datasets.named(dataset), body, extract, fileName, request, who);
    }
}
