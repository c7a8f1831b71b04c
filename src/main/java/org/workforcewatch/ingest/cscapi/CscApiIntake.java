package org.workforcewatch.ingest.cscapi;

import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.ErrorResponseException;
import org.workforcewatch.ingest.BodyLimit;
import org.workforcewatch.ingest.BulkCopy;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.ImportLocks;
import org.workforcewatch.ingest.IngestMetrics;
import org.workforcewatch.ingest.csv.Datasets;
import org.workforcewatch.ingest.csv.Upload;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes in a batch of children's social care API records, all or nothing: the body is parsed as it arrives (off the
 * event loop), every record checked and its kept parts copied into a staging table, then, if no record had a
 * problem, applied in set-based statements to the per-child state and from it to the native tables, in one
 * transaction. Indicators are told after the commit.
 */
@Component
public class CscApiIntake {

    public static final String DATASET = "csc_api";

    /** The datasets of the import contract whose records the child records write. */
    public static final java.util.Set<String> FEEDS = java.util.Set.of("allocations", "referrals", "children_in_care",
            "care_leavers");

    /** The datasets whose locks a batch takes, in the load order imports take them. */
    private static final List<String> LOCKED = java.util.stream.Stream.concat(
            Datasets.loadOrder().stream().filter(FEEDS::contains), java.util.stream.Stream.of(DATASET)).toList();
    static final String FORMAT = "csc-api-0.8";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final CscApiSettings settings;
    private final JsonMapper json;
    private final IngestMetrics metrics;

    CscApiIntake(DatabaseClient db, TransactionalOperator tx, ApplicationEventPublisher events, Clock clock,
                 CscApiSettings settings, JsonMapper json, IngestMetrics metrics) {
        this.db = db;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.json = json;
        this.metrics = metrics;
        metrics.expectImports(List.of(DATASET));
    }

    /** What one batch did: per-child state and native rows inserted, updated and deleted, and what to know. */
    record Applied(long importId, int records, Counts state, Counts rows, List<String> warnings) {
    }

    record Counts(long inserted, long updated, long deleted) {
        Counts plus(Counts other) {
            return new Counts(inserted + other.inserted, updated + other.updated, deleted + other.deleted);
        }
    }

    /**
     * Applies a body of records ({@code length} -1 when not declared); {@code full}: each record replaces all that is
     * held for its child, else only the parts it carries change.
     */
    Mono<Applied> apply(Flux<DataBuffer> body, long length, boolean full, String fileName) {
        return Mono.defer(() -> {
            BodyLimit limit = new BodyLimit(settings.maxSize().toBytes(), "one batch of child records",
                    "send the records in several batches");
            limit.checkDeclared(length);
            Batch batch = new Batch(full, settings.maxRecords());
            AtomicReference<Throwable> bodyFailed = new AtomicReference<>();
            Flux<ByteBuf> pieces = limit.counted(body).map(Upload::drain)
                    .publishOn(Schedulers.boundedElastic())
                    .concatMapIterable(batch::feed)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(batch.finish())))
                    .onErrorMap(RecordStream.NotRecords.class, CscApiIntake::unreadable)
                    .doOnError(bodyFailed::set);
            // the locks of every dataset it writes, in the load order imports take them, so that a file or an event
            // batch for the same records waits for this one (and never the other way round half-way)
            Mono<Void> locked = Flux.fromIterable(LOCKED).concatMap(d -> ImportLocks.take(db, d)).then();
            Mono<Applied> work = locked
                    .then(db.sql("INSERT INTO imports (dataset, format_version, status, extract, file_name, source)"
                                    + " VALUES (:dataset, :format, 'running', :extract, :file, :dataset) RETURNING id")
                            .bind("dataset", DATASET).bind("format", FORMAT).bind("extract", full ? "full" : "partial")
                            .bind("file", fileName).map(row -> row.get("id", Long.class)).one())
                    .flatMap(id -> db.sql(CscApiSql.STAGE_DDL).then()
                            .then(BulkCopy.copyIn(db, CscApiSql.COPY, pieces))
                            .then(Mono.defer(() -> batch.problemCount() > 0 ? Mono.error(rejected(batch)) : merge(id, batch)))
                            .flatMap(applied -> db.sql("UPDATE imports SET status = 'succeeded', finished_at = now(), rows = :rows,"
                                            + " inserted = :inserted, updated = :updated, warnings = CAST(:warnings AS jsonb)"
                                            + " WHERE id = :id")
                                    .bind("rows", (long) applied.records()).bind("inserted", applied.rows().inserted())
                                    .bind("updated", applied.rows().updated() + applied.rows().deleted())
                                    .bind("warnings", json.writeValueAsString(applied.warnings())).bind("id", id)
                                    .then().thenReturn(applied)));
            long started = System.nanoTime();
            return tx.transactional(work)
                    .onErrorMap(e -> bodyFailed.get() != null, e -> limit.explain(bodyFailed.get()))
                    .onErrorMap(limit::explain)
                    .onErrorResume(e -> recordRefusal(e, full, fileName, batch).then(Mono.error(e)))
                    .doOnError(e -> metrics.ended(DATASET, e instanceof ErrorResponseException ? IngestMetrics.REJECTED
                            : IngestMetrics.FAILED, Duration.ofNanos(System.nanoTime() - started)))
                    .doOnNext(applied -> {
                        metrics.succeeded(DATASET, applied.records(), Duration.ofNanos(System.nanoTime() - started));
                        events.publishEvent(new DataChanged(DATASET, applied.importId()));
                    });
        });
    }

    private Mono<Void> recordRefusal(Throwable error, boolean full, String fileName, Batch batch) {
        if (!(error instanceof ErrorResponseException refused)) {
            return Mono.empty();
        }
        return db.sql("INSERT INTO imports (dataset, format_version, status, extract, file_name, source, finished_at, rows,"
                        + " error_count, errors, detail) VALUES (:dataset, :format, 'rejected', :extract, :file, :dataset, now(),"
                        + " :rows, :count, CAST(:errors AS jsonb), :detail)")
                .bind("dataset", DATASET).bind("format", FORMAT).bind("extract", full ? "full" : "partial")
                .bind("file", fileName == null ? "" : fileName).bind("rows", (long) batch.records()).bind("count", (int) batch.problemCount())
                .bind("errors", json.writeValueAsString(batch.problems().stream()
                        // as the import log shows a file's problems: "line" is the record's number, from 0
                        .map(p -> new ImportError((long) p.record(), p.pointer(), null, p.reason())).toList()))
                .bind("detail", String.valueOf(refused.getBody().getDetail()))
                .then().onErrorResume(e -> Mono.empty());
    }

    /** The 422 problem of a batch with problems: each with its record's index (0-based), JSON pointer and reason. */
    static ErrorResponseException rejected(Batch batch) {
        long count = batch.problemCount();
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, count + (count == 1 ? " problem" : " problems")
                + " in " + batch.problems().stream().map(RecordReader.Problem::record).distinct().count() + " of "
                + batch.records() + " records; nothing of the batch was applied. Records are numbered from 0; each pointer"
                + " (RFC 6901) starts with the record's number.");
        p.setType(URI.create("https://workforcewatch.org/problems/invalid-child-records"));
        p.setTitle("Child records with problems");
        p.setProperty("records", batch.records());
        p.setProperty("error_count", count);
        p.setProperty("errors", batch.problems().stream().map(e -> Map.of("record", e.record(), "pointer", e.pointer(),
                "reason", e.reason())).toList());
        p.setProperty("all_errors_listed", count == batch.problems().size());
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, p, null);
    }

    /** A body that is not child records at all: 400. */
    static ErrorResponseException unreadable(RecordStream.NotRecords e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage() + "; nothing of it was applied");
        p.setType(URI.create("https://workforcewatch.org/problems/unreadable-child-records"));
        p.setTitle("Not child records");
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, p, null);
    }

    private Mono<Applied> merge(long id, Batch batch) {
        Map<String, Object> values = Map.of("importId", id, "today", LocalDate.now(clock), "intakeTeam", settings.intakeTeam());
        List<String> warnings = new ArrayList<>();
        return db.sql("ANALYZE " + CscApiSql.STAGE).then()
                .then(db.sql(CscApiSql.TOUCHED).then())
                .then(db.sql("ANALYZE csc_touched").then())
                .then(counts(CscApiSql.state(), values))
                // after a bulk change the statistics describe the tables as they were: refresh them before more joins
                .flatMap(state -> analyzedAfter(state, CscApiSql.ANALYZE_STATE))
                .flatMap(state -> Flux.fromIterable(CscApiSql.wanted()).concatMap(sql -> run(sql, values).then())
                        .then(db.sql("ANALYZE csc_want_allocations, csc_want_referrals, csc_want_care, csc_want_leavers").then())
                        .then(number(CscApiSql.REFERRALS_WITHOUT_TEAM, values).doOnNext(n -> warn(warnings, n,
                                " referral(s) left out: no worker of the episode has an HR staff spell on the referral or"
                                        + " allocation date, and no intake team (workforce.csc-api.intake-team) is stored")))
                        .then(number(CscApiSql.CARE_WITHOUT_BIRTH, values).doOnNext(n -> warn(warnings, n,
                                " period(s) in care left out: the child's record gives no date of birth")))
                        .thenMany(Flux.fromIterable(CscApiSql.keptOtherSources()).concatMap(sql -> number(sql, values)))
                        .reduce(0L, Long::sum)
                        .doOnNext(n -> warn(warnings, n, " record(s) were written by another source (a native file, an SSD"
                                + " extract or an event) and are kept as it says; the differences are listed at /api/data-quality"))
                        .then(counts(CscApiSql.derived(), values))
                        .flatMap(rows -> analyzedAfter(rows, CscApiSql.ANALYZE_DERIVED))
                        .map(rows -> new Applied(id, batch.records(), state, rows, List.copyOf(warnings))));
    }

    private Mono<Counts> analyzedAfter(Counts counts, String analyze) {
        return counts.inserted() + counts.updated() + counts.deleted() >= CscApiSql.ANALYZE_AFTER
                ? db.sql(analyze).then().thenReturn(counts) : Mono.just(counts);
    }

    private static void warn(List<String> warnings, long n, String what) {
        if (n > 0) {
            warnings.add(n + what);
        }
    }

    private Mono<Counts> counts(List<String> statements, Map<String, Object> values) {
        return Flux.fromIterable(statements)
                .concatMap(sql -> run(sql, values).map(row -> new Counts(row.get("inserted", Long.class),
                        row.get("updated", Long.class), row.get("deleted", Long.class))).one())
                .reduce(new Counts(0, 0, 0), Counts::plus);
    }

    private Mono<Long> number(String sql, Map<String, Object> values) {
        return run(sql, values).map(row -> row.get("n", Long.class)).one();
    }

    /** Binds only the parameters a statement names (binding an unused one is an error). */
    private DatabaseClient.GenericExecuteSpec run(String sql, Map<String, Object> values) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
        for (Map.Entry<String, Object> v : values.entrySet()) {
            if (sql.contains(":" + v.getKey())) {
                spec = spec.bind(v.getKey(), v.getValue());
            }
        }
        return spec;
    }


}
