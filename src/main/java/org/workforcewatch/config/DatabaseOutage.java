package org.workforcewatch.config;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.URI;
import java.time.Duration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * What PostgreSQL being out of reach looks like from here, whichever layer reports it: a connection
 * refused or closed mid-statement, a pool that cannot hand out a connection in time, a transaction that
 * cannot begin, a server shutting down. Such a failure is nobody's mistake and passes: requests answer
 * 503 with Retry-After, and background work waits for the database and carries on.
 */
public final class DatabaseOutage {

    /** How long a client should wait before trying again, in seconds (the Retry-After header). */
    public static final int RETRY_AFTER_SECONDS = 10;

    private DatabaseOutage() {
    }

    /** Whether this failure, or any failure behind it, is the database being unreachable. */
    public static boolean causedBy(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof QueryTimeoutException || t instanceof CannotCreateTransactionException
                    || t instanceof R2dbcNonTransientResourceException || t instanceof R2dbcTransientResourceException
                    || t instanceof R2dbcTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The answer to a request that needed the database while it was out of reach (sent with Retry-After). */
    public static ProblemDetail problem() {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The database is not reachable just now, so the request was not completed. Try again shortly: sending the"
                        + " same file or events again is safe.");
        p.setType(URI.create("https://workforcewatch.org/problems/database-unavailable"));
        p.setTitle("Temporarily unavailable");
        return p;
    }

    /**
     * For background work that must happen once the database is back: tries again after one second,
     * then at most every {@code longest}, for as long as the failure is an outage.
     */
    public static RetryBackoffSpec retryUntilBack(Duration longest) {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(longest).filter(DatabaseOutage::causedBy);
    }
}
