package org.workforcewatch.ingest.ssd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Importer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The SSD extract files of one request: a zip of them (ssd_department.csv, ssd_professionals.csv, ...), as the
 * extract tools write them, or a form with one file per table. A zip's table of contents is at its end, and a
 * form's files come in any order while they load in dependency order, so the files are kept on disk first, in
 * a folder of this request's own under {@code workforce.uploads.temp-dir}. The bytes are counted as they
 * arrive ({@link BodyLimit}), so the folder never holds more than the size limit, and {@link #delete()} removes
 * the folder with everything in it however the request ends (answered, refused, failed or cancelled).
 */
final class SsdUpload {

    private static final Log log = LogFactory.getLog(SsdUpload.class);
    private static final int READ_BUFFER = 64 * 1024;
    private static final String ZIP = "upload.zip";

    /** A file as received: the name the client gave it, and where it is kept. */
    private record Received(String name, Path path) {
    }

    private final Path folder;
    private final List<Received> files = new ArrayList<>();
    private ZipFile zip;
    /** Set once the request has ended: the folder is not made (again) after it was removed. */
    private boolean deleted;

    private SsdUpload(Path folder) {
        this.folder = folder;
    }

    /**
     * The files of one request, in a folder of its own under the temporary folder. Nothing is on disk yet: a
     * request cancelled before it begins leaves nothing to remove.
     */
    static SsdUpload in(Path temporaryFolder) {
        return new SsdUpload(temporaryFolder.resolve("workforce-ssd-" + UUID.randomUUID()));
    }

    /** Makes the folder, unless the request has ended already. */
    private synchronized void create() {
        if (deleted) {
            throw new IllegalStateException("the upload has ended");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Mono<Void> created() {
        return Mono.fromRunnable(this::create).subscribeOn(Schedulers.boundedElastic()).then();
    }

    /** Keeps a zip sent as the whole body. */
    Mono<Void> receiveZip(Flux<DataBuffer> body) {
        Path path = folder.resolve(ZIP);
        files.add(new Received(ZIP, path));
        return created().then(DataBufferUtils.write(body, path))
                .then(Mono.fromRunnable(this::openZip).subscribeOn(Schedulers.boundedElastic())).then();
    }

    /**
     * Keeps each file of a form (fields that are not files are read and dropped); a form of more files than there
     * are SSD tables is not an SSD extract, and is refused before more are kept.
     */
    Mono<Void> receiveForm(Flux<PartEvent> form) {
        int most = SsdExtract.tables().size();
        return created().thenMany(form.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (first.hasValue() && first.get() instanceof FilePartEvent file) {
                        if (files.size() == most) {
                            return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(Mono.<Void>error(
                                    new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, "the form holds more than "
                                            + most + " files, one per SSD table at most: send a zip of the SSD tables or one"
                                            + " CSV file per table")));
                        }
                        Path path = folder.resolve(files.size() + ".part");
                        files.add(new Received(file.filename(), path));
                        return DataBufferUtils.write(events.map(PartEvent::content), path);
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then();
                })))
                .then(Mono.defer(() -> isZip() ? Mono.fromRunnable(this::openZip).subscribeOn(Schedulers.boundedElastic()).then()
                        : Mono.empty()));
    }

    private boolean isZip() {
        return files.size() == 1 && files.get(0).name().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    private synchronized void openZip() {
        try {
            zip = new ZipFile(files.get(0).path().toFile());
        } catch (IOException e) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "the upload is not a readable zip file: " + e.getMessage());
        }
    }

    /**
     * One import part per SSD table: from the zip, each entry named after an SSD table (in any folder of the zip;
     * other entries are left out); from a form, each file, named after its table. A table may come only once.
     */
    List<Importer.Part> parts() {
        if (files.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "the form has no file: send a zip of the SSD tables or one CSV file per table");
        }
        List<Importer.Part> parts = new ArrayList<>(zip != null ? zipParts() : files.stream().map(f -> new Importer.Part(
                SsdExtract.table(ssdTable(f.name())), DataBufferUtils.read(f.path(), DefaultDataBufferFactory.sharedInstance,
                READ_BUFFER), f.name())).toList());
        onePerTable(parts);
        // in dependency order: departments before the professionals in them, ...
        List<String> order = SsdExtract.tables().stream().map(Dataset::name).toList();
        parts.sort(java.util.Comparator.comparingInt(p -> order.indexOf(p.dataset().name())));
        return parts;
    }

    private List<Importer.Part> zipParts() {
        List<Dataset> datasets = SsdExtract.tables();
        List<String> tables = datasets.stream().map(Dataset::name).toList();
        List<Importer.Part> parts = new ArrayList<>();
        for (ZipEntry entry : Collections.list(zip.entries())) {
            if (entry.isDirectory()) {
                continue;
            }
            String table = tableOf(entry.getName());
            if (tables.contains(table)) {
                parts.add(new Importer.Part(datasets.get(tables.indexOf(table)), DataBufferUtils.readInputStream(() -> zip.getInputStream(entry),
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

    /**
     * Refuses an upload that holds a table twice (say {@code a/ssd_professionals.csv} and
     * {@code b/ssd_professionals.csv}): which one is the extract is not ours to guess, and loading both would let
     * the second silently undo the first.
     */
    static void onePerTable(List<Importer.Part> parts) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        parts.forEach(p -> byTable.computeIfAbsent(p.dataset().name(), t -> new ArrayList<>()).add(p.fileName()));
        Map<String, List<String>> twice = new LinkedHashMap<>();
        byTable.forEach((table, names) -> {
            if (names.size() > 1) {
                twice.put(table, names);
            }
        });
        if (twice.isEmpty()) {
            return;
        }
        List<String> said = twice.entrySet().stream().map(e -> e.getKey() + " is in " + String.join(" and ", e.getValue())).toList();
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, "The upload holds a table more than"
                + " once: " + String.join("; ", said) + ". Send each table once; nothing of the upload was imported.");
        p.setType(URI.create("https://workforcewatch.org/problems/table-twice"));
        p.setTitle("A table is in the upload more than once");
        p.setProperty("entries", twice);
        throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, p, null);
    }

    /** The SSD table a file is named after: {@code extract/SSD_Professionals.csv} → {@code ssd_professionals}. */
    static String tableOf(String fileName) {
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
                .toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }

    /** A table's dataset name, with the {@code ssd_} the name of a file or path may leave out. */
    static String ssdTable(String table) {
        String t = tableOf(table);
        return t.startsWith("ssd_") ? t : "ssd_" + t;
    }

    /** Removes the folder and every file in it; never fails the request it ends. */
    Mono<Void> delete() {
        return Mono.fromRunnable(this::deleteNow).subscribeOn(Schedulers.boundedElastic()).then();
    }

    private synchronized void deleteNow() {
        deleted = true;
        try {
            if (zip != null) {
                zip.close();
            }
        } catch (IOException e) {
            log.warn("Could not close " + files.get(0).path() + ": " + e);
        }
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not remove the upload folder " + folder + ": " + e);
        }
    }
}
