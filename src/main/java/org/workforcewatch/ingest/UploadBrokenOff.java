package org.workforcewatch.ingest;

import org.springframework.web.ErrorResponse;

/**
 * The client's upload stopped before the end of its file (the connection closed or failed): nothing of it
 * was applied. The client's doing, not the database's, though the bulk COPY it was feeding fails too.
 */
public final class UploadBrokenOff extends RuntimeException {

    private UploadBrokenOff(Throwable cause) {
        super("the upload broke off before the end of the file; nothing of it was applied: send the whole file again",
                cause, false, false);
    }

    /** What to report for this failure of a request body: a refusal already worded for the client stays as it is. */
    public static Throwable orItself(Throwable bodyFailure) {
        return bodyFailure instanceof ErrorResponse ? bodyFailure : new UploadBrokenOff(bodyFailure);
    }
}
