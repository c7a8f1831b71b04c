package org.workforcewatch.indicators;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The {@code as_of} of a read, as every endpoint that takes one reads it. */
public final class AsOf {

    private AsOf() {
    }

    /** The day asked for; null when none was (the caller's own default applies); a 400 problem when it is no date. */
    public static LocalDate parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "as_of must be a date as YYYY-MM-DD, got '" + raw + "'");
        }
    }
}
