package org.workforcewatch.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much one upload may hold ({@code workforce.uploads}), so that a stray or hostile request is refused
 * with a clear problem (413 for size, 422 for shape) instead of filling memory, disk or the database.
 * The defaults leave ample room for the largest real files:
 *
 * @param maxFileSize    one CSV file, the body of an import request, or one table in an SSD zip: 1 GiB. The
 *                       ingest benchmark's largest file (9,999,999 allocations) is about 485 MiB, and the national
 *                       history of 5,000,000 allocations about 240 MiB; one authority's files are a few MiB.
 *                       Checked against Content-Length before anything is read, and again while the bytes arrive.
 * @param maxRows        data lines of one CSV file: 20,000,000, twice the largest benchmark file
 * @param maxColumns     fields of one CSV line: 200. The widest dataset has a few dozen columns; extra columns
 *                       are only ever ignored, so more than this is a broken file, not a richer one.
 * @param maxLineLength  characters of one CSV record (quoted line breaks included), bytes of one NDJSON line:
 *                       65,536. A stored text is at most 1,000 characters, so a real line is a few hundred; the
 *                       limit bounds what one record can hold in memory when a stray quote never closes.
 * @param maxCensusSize  one census return (CSWW XML), read whole to be checked against the schema: 64 MiB. A
 *                       return of a few thousand workers is a few MB.
 * @param maxEvents      events in one request to {@code POST /api/events}: 50,000, applied in one transaction
 * @param maxEventsSize  the body of one request to {@code POST /api/events}: 64 MiB, far above 50,000 events
 * @param tempDir        where an SSD upload (a zip, or a form's files) is kept while it is imported, in a folder of
 *                       its own that is removed when the request ends: empty means the system's temporary folder
 *                       ({@code java.io.tmpdir}). It holds at most {@code maxFileSize} per upload in progress.
 */
@ConfigurationProperties("workforce.uploads")
public record UploadLimits(@DefaultValue("1GB") DataSize maxFileSize,
                    @DefaultValue("20000000") long maxRows,
                    @DefaultValue("200") int maxColumns,
                    @DefaultValue("65536") int maxLineLength,
                    @DefaultValue("64MB") DataSize maxCensusSize,
                    @DefaultValue("50000") int maxEvents,
                    @DefaultValue("64MB") DataSize maxEventsSize,
                    @DefaultValue("") String tempDir) {

    public UploadLimits {
        positive("max-file-size", maxFileSize.toBytes());
        positive("max-rows", maxRows);
        positive("max-columns", maxColumns);
        positive("max-line-length", maxLineLength);
        positive("max-census-size", maxCensusSize.toBytes());
        positive("max-events", maxEvents);
        positive("max-events-size", maxEventsSize.toBytes());
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("workforce.uploads." + name + " must be above 0, got " + value);
        }
    }

    /** Where uploads are kept while they are imported. */
    public java.nio.file.Path temporaryFolder() {
        return java.nio.file.Path.of(tempDir.isBlank() ? System.getProperty("java.io.tmpdir") : tempDir.strip());
    }

    /** The file size limit for this request, which its declared length must already be within. */
    public BodyLimit declared(org.springframework.http.server.reactive.ServerHttpRequest request) {
        BodyLimit limit = file();
        limit.checkDeclared(request.getHeaders().getContentLength());
        return limit;
    }

    /** The limit on one CSV file, or on a zip of them. */
    public BodyLimit file() {
        return new BodyLimit(maxFileSize.toBytes(), "one file", "split it into smaller files, each with the header"
                + " line, and import them one after another with extract=partial");
    }

    /** The limit on one census return. */
    public BodyLimit census() {
        return new BodyLimit(maxCensusSize.toBytes(), "a census return", "a census return of a few thousand workers"
                + " is a few MB: check that this is the census XML");
    }

    /** The limit on the body of one events request. */
    public BodyLimit events() {
        return new BodyLimit(maxEventsSize.toBytes(), "one request of events", tooManyEventsAdvice());
    }

    public String tooManyEventsAdvice() {
        return "a request holds at most " + maxEvents + " events and " + BodyLimit.describe(maxEventsSize.toBytes())
                + ": send the rest in further requests";
    }
}
