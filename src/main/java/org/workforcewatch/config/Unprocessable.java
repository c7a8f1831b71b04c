package org.workforcewatch.config;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request whose body was read but holds problems: an RFC 9457 problem (422) listing each where and why. */
public final class Unprocessable {

    private Unprocessable() {
    }

    /**
     * The problem of type {@code https://workforcewatch.org/problems/{type}}: the one problem's words as its detail when
     * there is one, {@code many} when there are more, and every problem under {@code listName}.
     */
    public static ErrorResponseException of(String type, String title, String one, String many, String listName, List<?> problems) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, problems.size() == 1 ? one : many);
        p.setType(URI.create("https://workforcewatch.org/problems/" + type));
        p.setTitle(title);
        p.setProperty(listName, problems);
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, p, null);
    }
}
