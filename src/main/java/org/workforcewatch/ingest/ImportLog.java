package org.workforcewatch.ingest;

import io.r2dbc.postgresql.codec.Json;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.config.DatabaseOutage;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The record of every import, in the {@code imports} table: started, then succeeded (in the same
 * transaction as the data), rejected or failed. Rows read so far by imports still running here are
 * kept in memory so that progress can be shown without writing to the database on every row.
 * <p>
 * A running import holds an advisory lock for the life of its transaction ({@link #hold}), so any
 * instance can tell one still at work, here or elsewhere, from one whose process or database connection
 * died, and only the latter is marked failed ({@link #abandon}).
 */
@Component
public class ImportLog {

    private static final Log log = LogFactory.getLog(ImportLog.class);
    /** The advisory lock space of running imports, keyed by import id within it. */
    private static final String RUNNING = "hashtext('workforce-import-running')";
    /**
     * How young a running import may be without its lock: longer than an import waits for its connection
     * (the pool's max-acquire-time) between being logged and beginning its transaction.
     */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Map<Long, AtomicLong> running = new ConcurrentHashMap<>();

    private final IngestMetrics metrics;

    /** Failures recorded while the database was unreachable, written in turn once it answers again. */
    private final Sinks.Many<Mono<Void>> unwritten = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable writer;

    /** Datasets some way in imports into: their import series exist from now on, at 0 until one is imported. */
    public void expect(java.util.Collection<String> datasets) {
        metrics.expectImports(datasets);
    }

    public ImportLog(DatabaseClient db, JsonMapper json, IngestMetrics metrics) {
        this.db = db;
        this.json = json;
        this.metrics = metrics;
        this.writer = unwritten.asFlux()
                .concatMap(update -> update.retryWhen(DatabaseOutage.retryUntilBack(Duration.ofSeconds(5)))
                        .onErrorResume(e -> {
                            log.warn("An import's failure could not be recorded: " + e.getMessage());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    public Mono<Long> start(String dataset, String extract, String fileName) {
        return start(dataset, extract, fileName, false);
    }

    /**
     * Logs an import as running; {@code demo} marks the demo authority's own files, which the file name cannot
     * (a sender chooses it): the demo users exist only while every import is the demo's.
     */
    public Mono<Long> start(String dataset, String extract, String fileName, boolean demo) {
        // no name (a body posted without file_name) is null in the log as in the answer, never an empty name
        GenericExecuteSpec insert = db.sql("INSERT INTO imports (dataset, format_version, status, extract, file_name, source)"
                        + " VALUES (:dataset, :version, 'running', :extract, :fileName, :source) RETURNING id");
        insert = fileName == null || fileName.isBlank() ? insert.bindNull("fileName", String.class) : insert.bind("fileName", fileName);
        return insert
                .bind("dataset", dataset).bind("version", ImportReceipt.FORMAT_VERSION).bind("extract", extract)
                .bind("source", demo ? "demo" : "upload")
                .map(row -> row.get("id", Long.class)).one()
                .doOnNext(id -> running.put(id, new AtomicLong()));
    }

    public AtomicLong progress(long id) {
        return running.computeIfAbsent(id, k -> new AtomicLong());
    }

    public void finished(long id) {
        running.remove(id);
    }

    /**
     * Records a success; called inside the import's transaction so the log and the data agree. Answers the receipt
     * with the times and file name the log holds, so the answer to the upload says what the log says.
     */
    public Mono<ImportReceipt> succeeded(ImportReceipt r) {
        return db.sql("UPDATE imports SET status = 'succeeded', finished_at = now(), rows = :rows, inserted = :inserted,"
                        + " updated = :updated, unchanged = :unchanged, encoding = :encoding, sha256 = :sha256, bytes = :bytes,"
                        + " duration_ms = :duration, warnings = :warnings, missing_from_extract = :missing WHERE id = :id"
                        + " RETURNING file_name, started_at, finished_at")
                .bind("rows", r.rows()).bind("inserted", r.inserted()).bind("updated", r.updated())
                .bind("unchanged", r.unchanged()).bind("encoding", r.encoding()).bind("sha256", r.sha256())
                .bind("bytes", r.bytes()).bind("duration", r.durationMs())
                .bind("warnings", Json.of(json.writeValueAsString(r.warnings())))
                .bind("missing", Json.of(json.writeValueAsString(Map.of("total", r.missingFromExtractTotal(),
                        "records", r.missingFromExtract()))))
                .bind("id", r.id())
                .map(row -> r.logged(row.get("file_name", String.class), instant(row.get("started_at", OffsetDateTime.class)),
                        instant(row.get("finished_at", OffsetDateTime.class))))
                .one();
    }

    /** The import's transaction committed: count it (never before, so a failed commit is not counted twice). */
    public void committed(ImportReceipt receipt) {
        metrics.succeeded(receipt);
    }

    /** What was received of a file: how it was read, its digest and size, and how long it took. */
    public record Received(String encoding, String sha256, long bytes, long elapsedMs) {
    }

    public Mono<Void> rejected(ImportRejected e, Received upload) {
        return db.sql("UPDATE imports SET status = 'rejected', finished_at = now(), rows = :rows, error_count = :count,"
                        + " errors = :errors, encoding = :encoding, sha256 = :sha256, bytes = :bytes,"
                        + " duration_ms = :duration, detail = :detail WHERE id = :id" + ENDED)
                .bind("rows", e.rows()).bind("count", e.errorCount())
                .bind("errors", Json.of(json.writeValueAsString(e.errors())))
                .bind("encoding", upload.encoding()).bind("sha256", upload.sha256()).bind("bytes", upload.bytes())
                .bind("duration", upload.elapsedMs()).bind("detail", e.getMessage()).bind("id", e.importId())
                .map(row -> ended(row, IngestMetrics.REJECTED)).all().then();
    }

    /**
     * Records that an import failed. When the failure is the database itself, the record cannot be written
     * yet: it is written as soon as the database answers again, and the caller is not kept waiting.
     */
    public Mono<Void> failed(long id, String detail) {
        Mono<Void> update = db.sql("UPDATE imports SET status = 'failed', finished_at = now(), detail = :detail WHERE id = :id"
                        + " AND status = 'running'" + ENDED)
                .bind("detail", detail).bind("id", id)
                .map(row -> ended(row, IngestMetrics.FAILED)).all().then();
        return update.onErrorResume(DatabaseOutage::causedBy, e -> {
            unwritten.emitNext(update, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
            return Mono.empty();
        });
    }

    /** What a refused or failed import's counters need; no row when it had already ended. */
    private static final String ENDED = " RETURNING dataset, EXTRACT(EPOCH FROM clock_timestamp() - started_at) AS seconds";

    private boolean ended(io.r2dbc.spi.Readable row, String outcome) {
        metrics.ended(row.get("dataset", String.class), outcome,
                java.time.Duration.ofNanos(Math.round(row.get("seconds", java.math.BigDecimal.class).doubleValue() * 1e9)));
        return true;
    }

    /**
     * Takes the lock that says this import is alive, as the first statement of its transaction. PostgreSQL
     * releases it when the transaction ends, however it ends: committed, rolled back, or its connection or
     * process gone.
     */
    public Mono<Void> hold(long id) {
        return db.sql("SELECT pg_advisory_xact_lock(" + RUNNING + ", CAST(:id % 2147483648 AS integer))").bind("id", id).then();
    }

    /**
     * Marks failed the imports that are "running" but can never finish: their lock (see {@link #hold}) is
     * free, so no transaction of any instance is working on them; their process or connection died. An
     * import younger than {@link #GRACE} is left alone, since it may not have begun its transaction yet.
     * Safe to run from every instance at any time.
     */
    public Mono<Long> abandon() {
        // the candidates first, so that a lock is tried (and at once released, with the statement) only on them
        return db.sql("WITH candidates AS MATERIALIZED (SELECT id FROM imports WHERE status = 'running'"
                        + " AND started_at < now() - CAST(:grace AS interval))"
                        + " UPDATE imports SET status = 'failed', finished_at = now(), detail = 'interrupted: the service or"
                        + " its database stopped before the import finished; nothing of it was applied'"
                        + " WHERE status = 'running' AND id IN (SELECT id FROM candidates"
                        + " WHERE pg_try_advisory_xact_lock(" + RUNNING + ", CAST(id % 2147483648 AS integer)))" + ENDED)
                .bind("grace", GRACE.toSeconds() + " seconds")
                .map(row -> ended(row, IngestMetrics.FAILED)).all().count();
    }

    @PreDestroy
    public void stop() {
        writer.dispose();
    }

    public Mono<ImportReceipt> find(long id) {
        return db.sql("SELECT * FROM imports WHERE id = :id").bind("id", id).map(row -> receipt(row, true)).one();
    }

    /** The statuses an import may have, as the log names them. */
    public static final List<String> STATUSES = List.of("running", "succeeded", "rejected", "failed");

    /**
     * Which imports to list; a null part does not narrow the list.
     *
     * @param from the first day they started on (UTC)
     * @param to   the last day they started on (UTC)
     */
    public record Filter(String dataset, String status, LocalDate from, LocalDate to) {
    }

    public Flux<ImportReceipt> list(String dataset, int limit) {
        return list(new Filter(dataset, null, null, null), limit);
    }

    public Flux<ImportReceipt> list(Filter filter, int limit) {
        GenericExecuteSpec select = db.sql("SELECT * FROM imports WHERE (CAST(:dataset AS text) IS NULL OR dataset = :dataset)"
                + " AND (CAST(:status AS text) IS NULL OR status = :status)"
                + " AND (CAST(:from AS date) IS NULL OR started_at >= CAST(CAST(:from AS date) AS timestamp) AT TIME ZONE 'UTC')"
                + " AND (CAST(:to AS date) IS NULL OR started_at < CAST(CAST(:to AS date) + 1 AS timestamp) AT TIME ZONE 'UTC')"
                + " ORDER BY id DESC LIMIT :limit");
        select = filter.dataset() == null ? select.bindNull("dataset", String.class) : select.bind("dataset", filter.dataset());
        select = filter.status() == null ? select.bindNull("status", String.class) : select.bind("status", filter.status());
        select = filter.from() == null ? select.bindNull("from", LocalDate.class) : select.bind("from", filter.from());
        select = filter.to() == null ? select.bindNull("to", LocalDate.class) : select.bind("to", filter.to());
        return select.bind("limit", limit).map(row -> receipt(row, false)).all();
    }

    private ImportReceipt receipt(io.r2dbc.spi.Readable row, boolean withErrors) {
        long id = row.get("id", Long.class);
        String status = row.get("status", String.class);
        AtomicLong live = running.get(id);
        long rows = "running".equals(status) && live != null ? live.get() : row.get("rows", Long.class);
        Map<String, Object> missing = read(row.get("missing_from_extract", Json.class), new TypeReference<>() { });
        List<Map<String, Object>> records = missing == null || !missing.containsKey("records") ? List.of()
                : json.convertValue(missing.get("records"), new TypeReference<List<Map<String, Object>>>() { });
        long missingTotal = missing == null || !missing.containsKey("total") ? 0 : ((Number) missing.get("total")).longValue();
        List<ImportError> errors = withErrors ? read(row.get("errors", Json.class), new TypeReference<List<ImportError>>() { })
                : List.of();
        return new ImportReceipt(id, row.get("dataset", String.class), row.get("format_version", String.class), status,
                row.get("extract", String.class), row.get("file_name", String.class), rows,
                row.get("inserted", Long.class), row.get("updated", Long.class), row.get("unchanged", Long.class),
                read(row.get("warnings", Json.class), new TypeReference<List<String>>() { }), records, missingTotal,
                row.get("encoding", String.class), row.get("sha256", String.class),
                row.get("bytes", Long.class) == null ? 0 : row.get("bytes", Long.class), row.get("duration_ms", Long.class),
                instant(row.get("started_at", OffsetDateTime.class)), instant(row.get("finished_at", OffsetDateTime.class)),
                row.get("error_count", Integer.class), errors, row.get("detail", String.class));
    }

    private <T> T read(Json value, TypeReference<T> type) {
        return value == null ? null : json.readValue(value.asString(), type);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
