package org.workforcewatch.ingest;

/** One problem in an uploaded file, located so a person can find and fix it. */
public record ImportError(Long line, String column, String value, String reason) {
}
