package org.workforcewatch.ingest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/**
 * The byte limit of one request body: refused before a byte is read when its Content-Length is over,
 * otherwise counted as the bytes arrive and cut off at the limit. A body cut off in the middle of a
 * bulk COPY reaches the caller as the database's "COPY failed" error; {@link #explain} puts back the
 * reason, so the client is told the limit and not of a failure of ours.
 */
final class BodyLimit {

    private final long maxBytes;
    private final String what;
    private final String advice;
    private volatile UploadTooLarge crossed;

    BodyLimit(long maxBytes, String what, String advice) {
        this.maxBytes = maxBytes;
        this.what = what;
        this.advice = advice;
    }

    /** Refuses a body whose declared length (-1: not declared) is over the limit. */
    void checkDeclared(long contentLength) {
        if (contentLength > maxBytes) {
            throw tooLarge();
        }
    }

    /** The body, ending in {@link UploadTooLarge} as soon as more than the limit has arrived. */
    Flux<DataBuffer> counted(Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            long[] seen = {0};
            return body.handle((buffer, sink) -> {
                seen[0] += buffer.readableByteCount();
                if (seen[0] > maxBytes) {
                    DataBufferUtils.release(buffer);
                    crossed = tooLarge();
                    sink.error(crossed);
                } else {
                    sink.next(buffer);
                }
            });
        });
    }

    private UploadTooLarge tooLarge() {
        return new UploadTooLarge("The upload is larger than " + describe(maxBytes) + ", the limit for " + what
                + "; nothing of it was applied: " + advice + ".");
    }

    /** The limit's own problem if the body was cut off, whatever error that caused downstream. */
    Throwable explain(Throwable error) {
        UploadTooLarge reason = crossed;
        return reason != null ? reason : error;
    }

    /** Bytes as a person reads them: 1 GiB, 64 MiB, 500 KiB, 100 bytes. */
    static String describe(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%,d %s", value, units[unit]);
    }
}
