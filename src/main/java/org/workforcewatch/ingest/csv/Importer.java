package org.workforcewatch.ingest.csv;

import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.workforcewatch.ingest.ImportLocks;
import org.workforcewatch.config.DatabaseOutage;
import org.workforcewatch.ingest.BulkCopy;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.ImportLog;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.ImportRejected;
import org.workforcewatch.ingest.Progress;
import org.workforcewatch.ingest.UploadBrokenOff;
import org.workforcewatch.ingest.UploadLimits;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports one CSV file into its dataset, all or nothing: the rows stream through validation into a
 * staging table by COPY, then keys and references are checked and the rows merged into the real
 * table, in one transaction. A file with any problem changes nothing and is answered with every
 * problem located by line and column.
 * <p>
 * Imports of one dataset take turns under a lock in PostgreSQL, whichever instance runs them, so two
 * uploads of the same file at once end as one import and an unchanged second. If the database or the
 * client goes away mid-file, the transaction rolls back: nothing of the file is stored, the import is
 * logged failed, and the same upload can simply be sent again.
 */
@Component
public class Importer {

    private static final Log log = LogFactory.getLog(Importer.class);
    /** Rows written by one import from which the table's planner statistics are refreshed at once. */
    private static final long ANALYZE_AFTER = 10_000;

    /** How an upload relates to what is already stored. */
    public enum Extract {
        /** The whole current picture: current records it lacks are flagged as missing. */
        FULL,
        /** Only some records (new or changed): nothing is flagged as missing. */
        PARTIAL
    }

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ImportLog importLog;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final UploadLimits limits;

    public Importer(DatabaseClient db, TransactionalOperator tx, ImportLog importLog, JsonMapper json, ApplicationEventPublisher events,
             Clock clock, UploadLimits limits) {
        this.db = db;
        this.tx = tx;
        this.importLog = importLog;
        this.json = json;
        this.events = events;
        this.clock = clock;
        this.limits = limits;
        importLog.expect(Datasets.loadOrder());
    }

    public Mono<ImportReceipt> importCsv(String datasetName, Flux<DataBuffer> body, Extract extract, String fileName) {
        return importCsv(Datasets.named(datasetName), body, extract, fileName, false, Progress.untracked());
    }

    /** A file of any dataset this engine loads (the native ones, an SSD table, ...), reporting its progress as it goes. */
    public Mono<ImportReceipt> importCsv(Dataset dataset, Flux<DataBuffer> body, Extract extract, String fileName, Progress progress) {
        return importCsv(dataset, body, extract, fileName, false, progress);
    }

    /**
     * Imports one file of the service's own demo authority, as any other file but logged as the demo's: the demo
     * users exist only while every import is (see {@code demo.DemoInUse}).
     */
    public Mono<ImportReceipt> importDemoCsv(String datasetName, Flux<DataBuffer> body, String fileName) {
        return importCsv(Datasets.named(datasetName), body, Extract.FULL, fileName, true, Progress.untracked());
    }

    private Mono<ImportReceipt> importCsv(Dataset dataset, Flux<DataBuffer> body, Extract extract, String fileName, boolean demo,
                                          Progress progress) {
        return importLog.start(dataset.name(), extract.name().toLowerCase(), fileName, demo).flatMap(id -> {
            AtomicLong rows = importLog.progress(id);
            AtomicReference<Throwable> bodyFailed = new AtomicReference<>();
            Flux<DataBuffer> watched = body.doOnError(bodyFailed::set);
            return Mono.usingWhen(Mono.fromSupplier(() -> new Upload(dataset, rows, limits)),
                    upload -> tx.transactional(importLog.hold(id).then(load(dataset, id, upload, watched, extract, fileName,
                                    progress)))
                            // the COPY then fails too, but the body's own failure is what happened
                            .onErrorMap(e -> bodyFailed.get() != null, e -> UploadBrokenOff.orItself(bodyFailed.get())),
                    upload -> Mono.fromRunnable(upload::close),
                    (upload, error) -> recordFailure(id, upload, error),
                    upload -> Mono.fromRunnable(upload::close).then(importLog.failed(id, "cancelled: the upload stopped before it"
                            + " was complete; nothing of it was applied")))
                    .doFinally(signal -> importLog.finished(id))
                    .doOnNext(receipt -> {
                        importLog.committed(receipt);
                        events.publishEvent(new DataChanged(receipt.dataset(), receipt.id()));
                    });
        });
    }

    /** One file of a batch. */
    public record Part(Dataset dataset, Flux<DataBuffer> body, String fileName) {
    }

    /**
     * Imports several files as one, in the order given (their dependency order: the caller knows its format's), in
     * one transaction, so that a problem in any of them applies none. Each file still has its own entry in the
     * import log.
     */
    public Mono<List<ImportReceipt>> importAll(List<Part> ordered, Extract extract, Progress progress) {
        return Flux.fromIterable(ordered)
                .concatMap(p -> importLog.start(p.dataset().name(), extract.name().toLowerCase(), p.fileName()))
                .collectList()
                .flatMap(ids -> {
                    List<Upload> uploads = new ArrayList<>();
                    for (int i = 0; i < ordered.size(); i++) {
                        uploads.add(new Upload(ordered.get(i).dataset(),
                                importLog.progress(ids.get(i)), limits));
                    }
                    Flux<ImportReceipt> loads = Flux.range(0, ordered.size()).concatMap(i -> {
                        Part p = ordered.get(i);
                        return load(p.dataset(), ids.get(i), uploads.get(i), p.body(), extract,
                                p.fileName(), progress);
                    });
                    return tx.transactional(Flux.fromIterable(ids).concatMap(importLog::hold).then(loads.collectList()))
                            .onErrorResume(error -> Flux.range(0, ordered.size())
                                    .concatMap(i -> error instanceof ImportRejected r && r.importId() == ids.get(i)
                                            ? recordFailure(ids.get(i), uploads.get(i), error)
                                            : importLog.failed(ids.get(i), "not applied: " + (error instanceof ImportRejected r
                                                    ? r.dataset() + " in the same upload was refused" : "the upload failed")))
                                    .then(Mono.error(error)))
                            .doFinally(signal -> {
                                uploads.forEach(Upload::close);
                                ids.forEach(importLog::finished);
                            })
                            .doOnNext(receipts -> receipts.forEach(r -> {
                                importLog.committed(r);
                                events.publishEvent(new DataChanged(r.dataset(), r.id()));
                            }));
                });
    }

    private Mono<Void> recordFailure(long id, Upload upload, Throwable error) {
        upload.close();
        if (error instanceof ImportRejected rejected) {
            return importLog.rejected(rejected, upload.received());
        }
        log.warn("Import " + id + " failed: " + error);
        return importLog.failed(id, "failed: " + reason(error) + "; nothing of it was applied")
                .onErrorResume(e -> Mono.empty());
    }

    /** Why an import failed, for the import log. */
    private static String reason(Throwable error) {
        if (error instanceof UploadBrokenOff) {
            return "the upload broke off before the end of the file";
        }
        return DatabaseOutage.causedBy(error) ? "the database could not be reached" : error.getClass().getSimpleName();
    }

    private Mono<ImportReceipt> load(Dataset dataset, long id, Upload upload, Flux<DataBuffer> body, Extract extract,
                                     String fileName, Progress progress) {
        return ImportLocks.take(db, dataset.name())
                .then(db.sql(dataset.stageDdl()).then())
                .then(Mono.fromRunnable(() -> progress.reading(dataset.name(), importLog.progress(id))))
                .then(copy(dataset, upload.firstPass(body).doOnNext(piece -> progress.pieceRead())))
                .then(Mono.fromRunnable(progress::checking))
                .then(Mono.defer(() -> upload.rereadNeeded()
                        ? db.sql("TRUNCATE " + Dataset.STAGE).then().then(copy(dataset, upload.secondPass()))
                        : Mono.empty()))
                // a fresh temporary table has no statistics: without them the planner may join it row by row
                .then(db.sql("ANALYZE " + Dataset.STAGE).then())
                // keys and references are checked on the rows that are sound even when others are not: one answer
                .then(Mono.defer(() -> consistencyProblems(dataset, upload)))
                .flatMap(problems -> rejectIfInvalid(dataset, id, upload, FileProblems.of(upload.parsed(), problems)))
                .then(Mono.defer(() -> {
                    progress.merging();
                    return merge(dataset, id);
                }))
                // after a bulk merge the table's statistics describe it as it was: refresh them before more joins
                .flatMap(merged -> (merged.inserted() + merged.updated() >= ANALYZE_AFTER
                        ? db.sql("ANALYZE " + dataset.table()).then() : Mono.<Void>empty()).thenReturn(merged))
                .flatMap(merged -> missing(dataset, id, extract).map(missing -> {
                    long staged = upload.parsed().staged();
                    // rows, inserted, updated and unchanged count the same thing: the dataset's rows
                    long rows = upload.parsed().expanded() ? staged : upload.rows();
                    List<String> warnings = new ArrayList<>(upload.parsed().warnings());
                    if (upload.parsed().expanded()) {
                        warnings.add(upload.rows() + " lines of the file gave " + staged + " " + dataset.name() + " rows (one"
                                + " per figure with a value): rows, inserted, updated and unchanged count those");
                    }
                    warnings.addAll(merged.warnings());
                    return new ImportReceipt(id, dataset.name(), ImportReceipt.FORMAT_VERSION, "succeeded",
                            extract.name().toLowerCase(), fileName, rows, merged.inserted(), merged.updated(),
                            Math.max(0, staged - merged.inserted() - merged.updated()), warnings, missing.records(),
                            missing.total(), upload.encoding(), upload.sha256(), upload.bytes(), upload.elapsedMs(), null,
                            null, 0, List.of(), null);
                }))
                .flatMap(importLog::succeeded)
                .flatMap(receipt -> db.sql("DROP TABLE " + Dataset.STAGE).then().thenReturn(receipt));
    }

    private Mono<Long> copy(Dataset dataset, Flux<ByteBuf> chunks) {
        return BulkCopy.copyIn(db, dataset.copySql(), chunks);
    }


    private Mono<Void> rejectIfInvalid(Dataset dataset, long id, Upload upload, FileProblems problems) {
        return problems.count() == 0 ? Mono.empty()
                : Mono.error(new ImportRejected(id, dataset.name(), upload.rows(), problems.count(), problems.shown()));
    }

    /**
     * Every problem of a file: its cells' and rows' (found while it was read) and its keys' and references' (found
     * on the rows that were sound), listed together by line, at most {@value ParsedUpload#MAX_ERRORS} of them;
     * {@code count} is how many there are in all.
     */
    public record FileProblems(List<ImportError> shown, long count) {

        static FileProblems of(ParsedUpload parsed, List<ImportError> consistency) {
            return merge(parsed.errors(), parsed.errorCount(), consistency);
        }

        /** By line; on one line, the problems of its cells before those of its key and references. */
        static FileProblems merge(List<ImportError> cells, long cellCount, List<ImportError> consistency) {
            List<ImportError> all = new ArrayList<>(cells);
            all.addAll(consistency);
            all.sort(java.util.Comparator.comparing(ImportError::line, java.util.Comparator.nullsFirst(Long::compare)));
            return new FileProblems(List.copyOf(all.subList(0, Math.min(all.size(), ParsedUpload.MAX_ERRORS))),
                    cellCount + consistency.size());
        }
    }

    /** Keys repeated within the file and references that do not resolve, checked on the staged rows. */
    private Mono<List<ImportError>> consistencyProblems(Dataset dataset, Upload upload) {
        Flux<ImportError> duplicates = !upload.parsed().mayHaveDuplicateKeys() ? Flux.empty() : db.sql(dataset.duplicateKeySql()).bind("limit", ParsedUpload.MAX_ERRORS)
                .map(row -> new ImportError(row.get("line", Long.class), dataset.key().get(0), row.get("key_value", String.class),
                        "duplicate key (" + String.join(", ", dataset.key()) + "): the same record is on line "
                                + row.get("first_line", Long.class)))
                .all();
        Flux<ImportError> unresolved = Flux.fromIterable(dataset.references()).concatMap(ref ->
                db.sql(dataset.unresolvedSql(ref)).bind("limit", ParsedUpload.MAX_ERRORS)
                        .map(row -> new ImportError(row.get("line", Long.class), ref.columns().get(ref.columns().size() - 1),
                                row.get("value", String.class), "no " + ref.what() + " with this "
                                + String.join(" and ", ref.columns()) + (ref.orSameFile() ? " in this file or" : "")
                                + " in the stored " + ref.targetTable() + " (load " + datasetLoading(ref.targetTable()) + " first)"))
                        .all());
        return duplicates.concatWith(unresolved).take(ParsedUpload.MAX_ERRORS).collectList();
    }

    private static String datasetLoading(String table) {
        return Datasets.all().stream().filter(d -> d.table().equals(table)).map(Dataset::name).findFirst().orElse(table);
    }

    /** What the merge did: rows inserted and updated, and anything a person should know. */
    public record Merged(long inserted, long updated, List<String> warnings) {
        Merged plus(long i, long u, String warning) {
            List<String> w = new ArrayList<>(warnings);
            if (warning != null) {
                w.add(warning);
            }
            return new Merged(inserted + i, updated + u, w);
        }
    }

    /**
     * Runs the dataset's merge statements. Each compares the staged rows with the table it writes into; a
     * nested loop over that table would scan, for every staged row, the rows the same statement has just
     * inserted (invisible to it, but in the heap): quadratic. PostgreSQL picks exactly that when the table's
     * statistics say it is empty, as after a first import or an analysis of an emptied table. Hash and merge
     * joins read the table once, so nested loops are off for the merge alone.
     */
    private Mono<Merged> merge(Dataset dataset, long id) {
        return db.sql("SET LOCAL enable_nestloop = off").then().then(mergeStatements(dataset, id))
                .flatMap(merged -> db.sql("SET LOCAL enable_nestloop = on").then().thenReturn(merged));
    }

    private Mono<Merged> mergeStatements(Dataset dataset, long id) {
        return Flux.fromIterable(dataset.mergeStatements())
                .concatMap(sql -> bindUsed(db.sql(sql), sql, Map.of("importId", id, "today", LocalDate.now(clock)))
                        .map(row -> new Merged(row.get("inserted", Long.class), row.get("updated", Long.class),
                                row.get("warning", String.class) == null ? List.of() : List.of(row.get("warning", String.class))))
                        .one())
                .reduce(new Merged(0, 0, List.of()), (a, b) -> a.plus(b.inserted(), b.updated(),
                        b.warnings().isEmpty() ? null : b.warnings().get(0)));
    }

    /** Binds only the parameters a statement names (binding an unused one is an error). */
    private static DatabaseClient.GenericExecuteSpec bindUsed(DatabaseClient.GenericExecuteSpec spec, String sql,
                                                              Map<String, Object> values) {
        for (Map.Entry<String, Object> v : values.entrySet()) {
            if (sql.matches("(?s).*:" + v.getKey() + "\\b.*")) {
                spec = spec.bind(v.getKey(), v.getValue());
            }
        }
        return spec;
    }

    public record Missing(long total, List<Map<String, Object>> records) {
        static final Missing NONE = new Missing(0, List.of());
    }

    private Mono<Missing> missing(Dataset dataset, long id, Extract extract) {
        Mono<Long> cleared = dataset.currentWhen() == null ? Mono.just(0L)
                : db.sql(dataset.clearReturnedSql()).bind("importId", id).bind("dataset", dataset.name()).fetch().rowsUpdated();
        if (extract != Extract.FULL || dataset.currentWhen() == null) {
            return cleared.thenReturn(Missing.NONE);
        }
        return cleared.then(db.sql(dataset.flagMissingSql()).bind("dataset", dataset.name()).bind("importId", id)
                .bind("limit", ParsedUpload.MAX_ERRORS)
                .map(row -> Map.entry(row.get("total", Long.class), row.get("record_key", String.class)))
                .all().collectList()
                .map(rows -> rows.isEmpty() ? Missing.NONE : new Missing(rows.get(0).getKey(), rows.stream()
                        .map(e -> json.readValue(e.getValue(), new TypeReference<Map<String, Object>>() { })).toList())));
    }
}
