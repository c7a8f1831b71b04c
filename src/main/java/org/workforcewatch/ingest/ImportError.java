package org.workforcewatch.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One problem in an uploaded file, located so a person can find and fix it. In an XML file the column
 * is the element's name and {@code worker} the 1-based position of the worker record it belongs to
 * (absent for CSV files and for problems outside any worker).
 */
public record ImportError(Long line, String column, String value, String reason,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer worker) {

    public ImportError(Long line, String column, String value, String reason) {
        this(line, column, value, reason, null);
    }
}
