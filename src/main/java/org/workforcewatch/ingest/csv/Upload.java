package org.workforcewatch.ingest.csv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.workforcewatch.ingest.ImportLog;
import org.workforcewatch.ingest.UploadLimits;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The bytes of one upload on their way to PostgreSQL: hashed and parsed as they arrive, and copied to
 * a temporary file only so that a file found to be Windows-1252 late can be read once more.
 */
public final class Upload implements AutoCloseable {

    private static final int READ_BUFFER = 64 * 1024;

    private final Dataset dataset;
    private final AtomicLong rows;
    private final UploadLimits limits;
    private final MessageDigest sha256;
    private final long startNanos = System.nanoTime();
    private Path spool;
    private FileChannel spoolChannel;
    private long bytes;
    private String digest;
    private ParsedUpload parsed;

    public Upload(Dataset dataset, AtomicLong rows, UploadLimits limits) {
        this.dataset = dataset;
        this.rows = rows;
        this.limits = limits;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** COPY chunks of the upload as it arrives; parsing runs off the event loop. */
    public Flux<ByteBuf> firstPass(Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            parsed = new ParsedUpload(dataset, StandardCharsets.UTF_8, ByteBufAllocator.DEFAULT, rows, limits);
            openSpool();
            return body.publishOn(Schedulers.boundedElastic(), 8)
                    .concatMapIterable(this::arrived)
                    .concatWith(Flux.defer(() -> {
                        digest = HexFormat.of().formatHex(sha256.digest());
                        closeSpool();
                        return Flux.fromIterable(parsed.finish());
                    }))
                    .doOnDiscard(ByteBuf.class, ByteBuf::release);
        });
    }

    /** COPY chunks from a second reading of the whole file as Windows-1252. */
    public Flux<ByteBuf> secondPass() {
        return Flux.defer(() -> {
            rows.set(0);
            parsed = new ParsedUpload(dataset, TextDecoder.WINDOWS_1252, ByteBufAllocator.DEFAULT, rows, limits);
            return DataBufferUtils.read(spool, DefaultDataBufferFactory.sharedInstance, READ_BUFFER)
                    .publishOn(Schedulers.boundedElastic(), 8)
                    .concatMapIterable(buf -> {
                        try {
                            return parse(buf);
                        } finally {
                            DataBufferUtils.release(buf);
                        }
                    })
                    .concatWith(Flux.defer(() -> Flux.fromIterable(parsed.finish())))
                    .doOnDiscard(ByteBuf.class, ByteBuf::release);
        });
    }

    /** The bytes of a network buffer, copied, and the buffer released at once. */
    public static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private List<ByteBuf> arrived(DataBuffer buf) {
        try {
            List<ByteBuf> out = new ArrayList<>(1);
            try (DataBuffer.ByteBufferIterator it = buf.readableByteBuffers()) {
                while (it.hasNext()) {
                    ByteBuffer piece = it.next();
                    bytes += piece.remaining();
                    sha256.update(piece.duplicate());
                    spoolChannel.write(piece.duplicate());
                    out.addAll(parsed.accept(piece));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the upload while reading it: " + e.getMessage(), e);
        } finally {
            DataBufferUtils.release(buf);
        }
    }

    private List<ByteBuf> parse(DataBuffer buf) {
        List<ByteBuf> out = new ArrayList<>(1);
        try (DataBuffer.ByteBufferIterator it = buf.readableByteBuffers()) {
            while (it.hasNext()) {
                out.addAll(parsed.accept(it.next()));
            }
        }
        return out;
    }

    private void openSpool() {
        try {
            spool = Files.createTempFile("workforce-import-", ".csv");
            spoolChannel = FileChannel.open(spool, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a temporary file for the upload: " + e.getMessage(), e);
        }
    }

    private void closeSpool() {
        try {
            if (spoolChannel != null) {
                spoolChannel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ParsedUpload parsed() {
        return parsed;
    }

    public boolean rereadNeeded() {
        return parsed != null && parsed.rereadNeeded();
    }

    public long rows() {
        return rows.get();
    }

    public ImportLog.Received received() {
        return new ImportLog.Received(encoding(), sha256(), bytes(), elapsedMs());
    }

    public long bytes() {
        return bytes;
    }

    public String sha256() {
        return digest == null ? "" : digest;
    }

    public String encoding() {
        Charset cs = parsed == null ? StandardCharsets.UTF_8 : parsed.charset();
        return TextDecoder.describe(cs);
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        try {
            closeSpool();
            if (parsed != null) {
                parsed.release();
            }
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary file left behind is removed by the system; nothing of the import depends on it
        }
    }
}
