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

    static final int SHOWN = 200;

    /**
     * Text of the file as a receipt repeats it: at most {@value #SHOWN} characters, so that a thousand errors
     * in huge fields stay a readable answer, and NUL, which PostgreSQL cannot keep in the import log, as U+FFFD.
     */
    public static String shown(String text) {
        if (text == null) {
            return null;
        }
        String cut = text;
        if (text.length() > SHOWN) {
            cut = text.substring(0, Character.isHighSurrogate(text.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN) + "…";
        }
        return cut.replace('\0', '\uFFFD');
    }
}
