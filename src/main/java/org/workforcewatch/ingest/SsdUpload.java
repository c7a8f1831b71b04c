package org.workforcewatch.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A zip of SSD extract files (ssd_department.csv, ssd_professionals.csv, ...), as the extract tools
 * write them. A zip's table of contents is at its end, so the upload is kept in a temporary file and
 * its entries are then read one by one, in load order, each streamed like an uploaded CSV file.
 */
final class SsdUpload implements AutoCloseable {

    private static final int READ_BUFFER = 64 * 1024;

    private final Path file;
    private ZipFile zip;

    private SsdUpload(Path file) {
        this.file = file;
    }

    /** Keeps the upload, then answers one import part per SSD table in it. */
    static Mono<SsdUpload> receive(Flux<DataBuffer> body) {
        return Mono.fromCallable(() -> new SsdUpload(Files.createTempFile("workforce-ssd-", ".zip")))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(upload -> DataBufferUtils.write(body, upload.file).then(Mono.fromCallable(() -> {
                    upload.open();
                    return upload;
                }).subscribeOn(Schedulers.boundedElastic())).doOnError(e -> upload.close()));
    }

    private void open() {
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "the upload is not a readable zip file: " + e.getMessage());
        }
    }

    /** A part per entry named after an SSD table (in any folder of the zip); other entries are left out. */
    List<Importer.Part> parts() {
        List<String> tables = SsdExtract.tables().stream().map(Dataset::name).toList();
        List<Importer.Part> parts = new ArrayList<>();
        for (ZipEntry entry : Collections.list(zip.entries())) {
            if (entry.isDirectory()) {
                continue;
            }
            String name = Path.of(entry.getName()).getFileName().toString().toLowerCase(Locale.ROOT);
            String table = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
            if (tables.contains(table)) {
                parts.add(new Importer.Part(table, DataBufferUtils.readInputStream(() -> zip.getInputStream(entry),
                        DefaultDataBufferFactory.sharedInstance, READ_BUFFER).subscribeOn(Schedulers.boundedElastic()),
                        entry.getName()));
            }
        }
        if (parts.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "the zip holds no SSD table file; expected files named " + String.join(".csv, ", tables) + ".csv");
        }
        return parts;
    }

    @Override
    public void close() {
        try {
            if (zip != null) {
                zip.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
