package org.workforcewatch.ingest.events;

import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.ingest.IngestMetrics;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Applies the events of one request: every valid event is applied, every duplicate acknowledged and
 * every bad one reported, and all the accepted ones are written in one transaction that commits
 * before the answer. If the database fails, nothing is acknowledged and nothing is half-applied.
 */
@Component
class EventIntake {

    private static final Log log = LogFactory.getLog(EventIntake.class);

    /** PostgreSQL's deadlock and serialization failures: the transaction was rolled back and may simply run again. */
    private static final Set<String> RETRY_STATES = Set.of("40P01", "40001");
    private static final int RESOLVE_IN_PLACE = 500;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ApplicationEventPublisher publisher;

    private final IngestMetrics metrics;

    EventIntake(DatabaseClient db, TransactionalOperator tx, ApplicationEventPublisher publisher, IngestMetrics metrics) {
        this.db = db;
        this.tx = tx;
        this.publisher = publisher;
        this.metrics = metrics;
        metrics.expectEvents(Arrays.stream(EventType.values()).map(t -> t.dataset().name()).distinct().toList());
    }

    /** Every line of a request, once its outcome is final, counted under the dataset its type feeds. */
    private void count(List<EventReceipt.Outcome> outcomes) {
        for (EventReceipt.Outcome o : outcomes) {
            EventType type = o.type() == null ? null : EventType.byWire(o.type());
            metrics.event(type == null ? IngestMetrics.UNKNOWN : type.dataset().name(), o.status());
        }
    }

    Mono<EventReceipt> apply(List<EventLine> lines) {
        EventBatch first = new EventBatch(lines);
        if (!first.needsDatabase()) {
            first.rejectAll();
            count(first.outcomes());
            return Mono.just(EventReceipt.of(first.outcomes()));
        }
        return Mono.defer(() -> {
                    EventBatch batch = new EventBatch(lines);
                    return tx.transactional(run(batch)).then(Mono.just(batch));
                })
                .retryWhen(Retry.backoff(3, Duration.ofMillis(20)).filter(EventIntake::worthRetrying)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .map(batch -> {
                    // After the commit: derived figures refresh from here (0: no import, these were live events).
                    for (String dataset : appliedDatasets(batch)) {
                        publisher.publishEvent(new DataChanged(dataset, 0));
                    }
                    count(batch.outcomes());
                    return EventReceipt.of(batch.outcomes());
                });
    }

    private Mono<Void> run(EventBatch batch) {
        return db.sql(EventStatements.NUMBER_AND_LOCK).bind("locks", EventStatements.locks(batch.datasets()))
                .map(row -> row.get("batch", Long.class)).one()
                .flatMap(id -> offLoopIfLarge(lookup(batch), batch)
                        .then(Mono.fromRunnable(batch::resolve))
                        .then(Mono.defer(() -> write(batch, id))));
    }

    /** Playing a few hundred lines takes well under a millisecond; a larger batch is played on a worker thread. */
    private static Mono<Void> offLoopIfLarge(Mono<Void> lookup, EventBatch batch) {
        return batch.size() <= RESOLVE_IN_PLACE ? lookup : lookup.publishOn(Schedulers.boundedElastic());
    }

    private Mono<Void> lookup(EventBatch batch) {
        EventStatements.Statement lookup = EventStatements.lookup(batch);
        if (lookup == null) {
            return Mono.empty();
        }
        return db.sql(lookup.sql()).bindValues(lookup.binds())
                .map(row -> {
                    batch.found(row.get("kind", String.class), row.get("a", String.class), row.get("b", String.class),
                            row.get("c", String.class), row.get("d", String.class));
                    return 1;
                })
                .all().then();
    }

    private Mono<Void> write(EventBatch batch, long id) {
        List<EventLine> accepted = batch.accepted();
        if (accepted.isEmpty()) {
            return Mono.empty();
        }
        long withId = accepted.stream().filter(l -> l.eventId() != null).count();
        return execute(EventStatements.write(id, accepted, batch.writes()))
                .flatMap(kept -> kept < withId ? Mono.error(new StoredMeanwhile()) : Mono.empty());
    }

    private Mono<Long> execute(EventStatements.Statement s) {
        return db.sql(s.sql()).bindValues(s.binds()).map(row -> row.get("n", Long.class)).one();
    }

    private static List<String> appliedDatasets(EventBatch batch) {
        return batch.accepted().stream().map(l -> l.type().dataset().name()).distinct().toList();
    }

    private static boolean worthRetrying(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StoredMeanwhile) {
                return true;
            }
            if (t instanceof R2dbcException e && e.getSqlState() != null && RETRY_STATES.contains(e.getSqlState())) {
                log.info("Events batch rolled back by PostgreSQL (" + e.getSqlState() + "), running it again");
                return true;
            }
        }
        return false;
    }

    /**
     * A concurrent request stored one of this request's event_ids after it was looked up: the transaction
     * is rolled back and run again, when that event is found and acknowledged as a duplicate.
     */
    private static final class StoredMeanwhile extends RuntimeException {
        StoredMeanwhile() {
            super("an event_id of this batch was stored by a concurrent request", null, false, false);
        }
    }
}
