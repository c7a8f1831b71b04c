package org.workforcewatch.ingest;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * One writer of a dataset's rows at a time: every way in takes the dataset's transaction-scoped advisory lock before it
 * writes (imports exclusively, live events shared), so a file, an extract, a census return, child records and events
 * for the same rows wait for each other instead of interleaving.
 */
public final class ImportLocks {

    private ImportLocks() {
    }

    /** The lock's key for a dataset. */
    public static String key(String dataset) {
        return "workforce-import:" + dataset;
    }

    /** Takes the dataset's lock until the transaction ends. */
    public static Mono<Void> take(DatabaseClient db, String dataset) {
        return db.sql("SELECT pg_advisory_xact_lock(hashtext(:lock))").bind("lock", key(dataset)).then();
    }
}
