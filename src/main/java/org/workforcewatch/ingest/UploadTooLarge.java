package org.workforcewatch.ingest;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request over a size limit (413): nothing of it was applied; the detail says the limit and how to split. */
public final class UploadTooLarge extends ErrorResponseException {

    public UploadTooLarge(String detail) {
        super(HttpStatus.CONTENT_TOO_LARGE, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail);
        p.setType(URI.create("https://workforcewatch.org/problems/too-large"));
        p.setTitle("Upload too large");
        return p;
    }
}
