package org.workforcewatch.ingest;

import io.netty.buffer.ByteBuf;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Rows loaded with PostgreSQL's COPY through the driver's reactive copy, in the pieces they arrive in. */
public final class BulkCopy {

    private BulkCopy() {
    }

    /** Runs {@code COPY ... FROM STDIN} with these pieces on the transaction's connection; the rows copied. */
    public static Mono<Long> copyIn(DatabaseClient db, String copySql, Publisher<ByteBuf> pieces) {
        return db.inConnection(connection -> postgres(connection).copyIn(copySql, pieces));
    }

    private static PostgresqlConnection postgres(Connection connection) {
        Object c = connection;
        while (!(c instanceof PostgresqlConnection) && c instanceof Wrapped<?> wrapped) {
            c = wrapped.unwrap();
        }
        if (c instanceof PostgresqlConnection pg) {
            return pg;
        }
        throw new IllegalStateException("bulk loading needs the r2dbc-postgresql driver, found " + connection.getClass());
    }
}
