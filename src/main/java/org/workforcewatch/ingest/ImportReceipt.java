package org.workforcewatch.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What an import did: the answer to an upload, and its entry in the import log. */
public record ImportReceipt(long id, String dataset, String formatVersion, String status, String extract, String fileName,
                            long rows, long inserted, long updated, long unchanged, List<String> warnings,
                            List<Map<String, Object>> missingFromExtract, long missingFromExtractTotal, String encoding,
                            String sha256, long bytes, Long durationMs, Instant startedAt, Instant finishedAt,
                            long errorCount, List<ImportError> errors, String detail) {

    /** The version of the formats of docs/DATA-FORMATS.md this service reads; a breaking change raises it. */
    public static final String FORMAT_VERSION = "1.0";

    /** The same receipt with the file name and times the import log recorded, so the answer and the log agree. */
    ImportReceipt logged(String fileName, Instant started, Instant finished) {
        return new ImportReceipt(id, dataset, formatVersion, status, extract, fileName, rows, inserted, updated, unchanged,
                warnings, missingFromExtract, missingFromExtractTotal, encoding, sha256, bytes, durationMs, started, finished,
                errorCount, errors, detail);
    }
}
