package org.workforcewatch.ingest.census;

import io.r2dbc.postgresql.codec.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.ImportLog;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.ImportRejected;
import org.workforcewatch.ingest.Progress;
import org.workforcewatch.ingest.UploadLimits;
import org.workforcewatch.ingest.UploadTooLarge;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Upload;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports one census return (CSWW XML), all or nothing: the file is read and checked against the
 * schema off the event loop, then stored in one transaction with its entry in the import log. A file
 * with any error changes nothing and is answered with every problem located. Its workers enter the live
 * figures only where {@link CensusSettings} places them in a stored team.
 */
@Component
public class CensusImport {

    public static final String DATASET = "census";

    private static final Log log = LogFactory.getLog(CensusImport.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ImportLog importLog;
    private final CensusStore store;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final UploadLimits limits;
    private final CensusSettings settings;
    private final CensusReader reader = new CensusReader(CensusSchema.get());

    CensusImport(DatabaseClient db, TransactionalOperator tx, ImportLog importLog, CensusStore store, JsonMapper json,
                 ApplicationEventPublisher events, UploadLimits limits, CensusSettings settings) {
        this.db = db;
        this.tx = tx;
        this.importLog = importLog;
        this.store = store;
        this.json = json;
        this.events = events;
        this.limits = limits;
        this.settings = settings;
        importLog.expect(java.util.List.of(DATASET));
    }

    private record Received(long bytes, String sha256, CensusFile file) {
    }

    Mono<ImportReceipt> importReturn(Flux<DataBuffer> body, String fileName) {
        return importReturn(body, fileName, Progress.untracked());
    }

    /** As {@link #importReturn(Flux, String)}, reporting its progress: received, then checked, then stored. */
    Mono<ImportReceipt> importReturn(Flux<DataBuffer> body, String fileName, Progress progress) {
        return importLog.start(DATASET, "full", fileName).flatMap(id -> {
            long started = System.nanoTime();
            return DataBufferUtils.join(limits.census().counted(body))
                    .map(Upload::drain)
                    .defaultIfEmpty(new byte[0])
                    .doOnNext(bytes -> progress.checking())
                    .publishOn(Schedulers.boundedElastic())
                    .map(bytes -> new Received(bytes.length, sha256(bytes), reader.read(bytes)))
                    .flatMap(received -> {
                        CensusFile file = received.file();
                        if (file.errorCount() == 0) {
                            return Mono.just(received);
                        }
                        return reject(id, received, file.errors(), file.errorCount(), file.workersRead(), started);
                    })
                    .doOnNext(received -> progress.merging())
                    .flatMap(received -> tx.transactional(importLog.hold(id)
                            .then(store.store(id, received.file(), settings.teamMapping()))
                            .flatMap(outcome -> {
                                CensusFile file = received.file();
                                List<String> warnings = new ArrayList<>(file.warnings());
                                warnings.addAll(outcome.notes());
                                ImportReceipt receipt = new ImportReceipt(id, DATASET, ImportReceipt.FORMAT_VERSION, "succeeded",
                                        "full", fileName, file.workersRead(), outcome.inserted(), outcome.updated(),
                                        outcome.unchanged(), warnings, List.of(), 0, file.encoding(), received.sha256(),
                                        received.bytes(), elapsed(started), null, null, 0, List.of(), null);
                                return importLog.succeeded(receipt);
                            })))
                    .onErrorResume(e -> e instanceof ImportRejected ? Mono.error(e) : failed(id, e).then(Mono.error(e)))
                    .doOnCancel(() -> importLog.failed(id, "cancelled: the upload stopped before it was complete; nothing of"
                            + " it was applied").subscribe())
                    .doFinally(signal -> importLog.finished(id))
                    .doOnNext(receipt -> {
                        importLog.committed(receipt);
                        events.publishEvent(new DataChanged(DATASET, receipt.id()));
                    });
        });
    }

    private <T> Mono<T> reject(long id, Received received, List<ImportError> errors, long errorCount, long rows,
                               long started) {
        List<ImportError> listed = errors.size() > CensusReader.MAX_PROBLEMS ? errors.subList(0, CensusReader.MAX_PROBLEMS)
                : errors;
        ImportRejected rejected = new ImportRejected(id, DATASET, rows, errorCount, listed);
        return db.sql("UPDATE imports SET status = 'rejected', finished_at = now(),"
                        + " rows = :rows, error_count = :count, errors = :errors, encoding = :encoding, sha256 = :sha256,"
                        + " bytes = :bytes, duration_ms = :duration, detail = :detail WHERE id = :id")
                .bind("rows", rows).bind("count", errorCount).bind("errors", Json.of(json.writeValueAsString(listed)))
                .bind("encoding", received.file().encoding()).bind("sha256", received.sha256())
                .bind("bytes", received.bytes())
                .bind("duration", elapsed(started)).bind("detail", rejected.getMessage()).bind("id", id)
                .then().then(Mono.error(rejected));
    }

    private Mono<Void> failed(long id, Throwable error) {
        String detail;
        if (error instanceof UploadTooLarge tooLarge) {
            detail = "refused: " + tooLarge.getBody().getDetail();
        } else {
            log.warn("Census import " + id + " failed: " + error);
            detail = "failed: " + error.getClass().getSimpleName() + "; nothing of it was applied";
        }
        return importLog.failed(id, detail).onErrorResume(e -> Mono.empty());
    }


    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
