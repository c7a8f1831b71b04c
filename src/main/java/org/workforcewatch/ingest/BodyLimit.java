package org.workforcewatch.ingest;

import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;

/**
 * The byte limit of one request body: refused before a byte is read when its Content-Length is over,
 * otherwise counted as the bytes arrive and cut off at the limit. A body cut off in the middle of a
 * bulk COPY reaches the caller as the database's "COPY failed" error; {@link #explain} puts back the
 * reason, so the client is told the limit and not of a failure of ours.
 */
public final class BodyLimit {

    private final long maxBytes;
    private final String what;
    private final String advice;
    private volatile UploadTooLarge crossed;

    public BodyLimit(long maxBytes, String what, String advice) {
        this.maxBytes = maxBytes;
        this.what = what;
        this.advice = advice;
    }

    /** Refuses a body whose declared length (-1: not declared) is over the limit. */
    public void checkDeclared(long contentLength) {
        if (contentLength > maxBytes) {
            throw tooLarge();
        }
    }

    /** The body, ending in {@link UploadTooLarge} as soon as more than the limit has arrived. */
    public Flux<DataBuffer> counted(Flux<DataBuffer> body) {
        return counted(body, DataBuffer::readableByteCount, DataBufferUtils::release);
    }

    /**
     * A multipart form as it streams, ending in {@link UploadTooLarge} as soon as its parts (contents and headers)
     * together pass the limit: the whole form is held to it, as its Content-Length would be.
     */
    Flux<PartEvent> countedForm(Flux<PartEvent> form) {
        return counted(form, e -> e.content().readableByteCount() + e.headers().headerSet().stream()
                        .mapToLong(h -> h.getKey().length() + h.getValue().stream().mapToLong(v -> v.length() + 2L).sum()).sum(),
                e -> DataBufferUtils.release(e.content()));
    }

    private <T> Flux<T> counted(Flux<T> items, ToLongFunction<T> size, Consumer<T> release) {
        return Flux.defer(() -> {
            long[] seen = {0};
            return items.handle((item, sink) -> {
                seen[0] += size.applyAsLong(item);
                if (seen[0] > maxBytes) {
                    release.accept(item);
                    crossed = tooLarge();
                    sink.error(crossed);
                } else {
                    sink.next(item);
                }
            });
        });
    }

    private UploadTooLarge tooLarge() {
        return new UploadTooLarge("The upload is larger than " + describe(maxBytes) + ", the limit for " + what
                + "; nothing of it was applied: " + advice + ".");
    }

    /** The limit's own problem if the body was cut off, whatever error that caused downstream. */
    public Throwable explain(Throwable error) {
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
