package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.util.unit.DataSize;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.UploadLimits;

/**
 * The reader of uploads is fed whatever pieces the network delivers: a quote, a line end, a CRLF or a
 * character's bytes may be split anywhere. Whatever the split, it reads the same as the whole.
 */
class CsvInPiecesTest {

    /** Small limits, so that lines over the length and field limits are common. */
    private static final UploadLimits LIMITS = new UploadLimits(DataSize.ofMegabytes(1), 1000, 6, 40, DataSize.ofMegabytes(1),
            10, DataSize.ofMegabytes(1), "");

    /** Everything the parser says, in order. */
    private static final class Heard implements CsvParser.Sink {
        final List<String> said = new ArrayList<>();

        @Override
        public void record(long line, List<String> fields) {
            said.add("record at " + line + ": " + fields);
        }

        @Override
        public void problem(long line, int field, String reason) {
            said.add("problem at " + line + ", field " + field + ": " + reason);
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("\"\",,\r\n\r\nab é😀").ofMaxLength(300);
    }

    @Property(tries = 500)
    void theParserHearsTheSameRecordsAndProblemsWhateverThePieces(@ForAll("text") String text, @ForAll long seed) {
        Heard whole = new Heard();
        CsvParser one = new CsvParser(whole, 40, 6);
        one.feed(CharBuffer.wrap(text));
        one.finish();

        Heard pieces = new Heard();
        CsvParser many = new CsvParser(pieces, 40, 6);
        Random r = new Random(seed);
        for (int at = 0; at < text.length(); ) {
            int end = Math.min(text.length(), at + r.nextInt(8));
            many.feed(CharBuffer.wrap(text, at, end));
            at = end;
        }
        many.finish();
        assertThat(pieces.said).isEqualTo(whole.said);
    }

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.of(bytes("T1,ab\"\r\n"))),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(bytes("assessment,"))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of((byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) 0xFF, (byte) 0x80, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF)));
        return b.list().ofMaxSize(400).map(body -> {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.writeBytes("team_id,team_name,service,team_type\n".getBytes(StandardCharsets.US_ASCII));
            body.forEach(file::write);
            return file.toByteArray();
        });
    }

    @Property(tries = 300)
    void anUploadEncodesTheSameRowsAndErrorsWhateverThePieces(@ForAll("files") byte[] file, @ForAll long seed) {
        Read whole = read(file, new long[] {file.length});
        Random r = new Random(seed);
        List<Long> cuts = new ArrayList<>();
        for (long at = 0; at < file.length; ) {
            long size = 1 + r.nextInt(6);
            cuts.add(Math.min(size, file.length - at));
            at += size;
        }
        Read pieces = read(file, cuts.stream().mapToLong(Long::longValue).toArray());
        assertThat(pieces).isEqualTo(whole);
    }

    /** What an upload made of the file: the COPY text, the errors, the rows read and the encoding it was read in. */
    record Read(String copy, List<ImportError> errors, long rows, String encoding) {
    }

    /** As an import reads it: once as UTF-8, and again from the start as Windows-1252 if the first pass says so. */
    private static Read read(byte[] file, long[] pieceSizes) {
        Read first = pass(file, pieceSizes, StandardCharsets.UTF_8);
        return first != null ? first : pass(file, pieceSizes, TextDecoder.WINDOWS_1252);
    }

    private static Read pass(byte[] file, long[] pieceSizes, Charset charset) {
        AtomicLong rows = new AtomicLong();
        ParsedUpload upload = new ParsedUpload(Datasets.byName("teams").orElseThrow(), charset,
                UnpooledByteBufAllocator.DEFAULT, rows, LIMITS);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        int at = 0;
        for (long size : pieceSizes) {
            drain(upload.accept(ByteBuffer.wrap(file, at, (int) size)), copy);
            at += (int) size;
        }
        drain(upload.finish(), copy);
        if (upload.rereadNeeded()) {
            return null;
        }
        return new Read(copy.toString(StandardCharsets.UTF_8), List.copyOf(upload.errors()), rows.get(),
                TextDecoder.describe(upload.charset()));
    }

    private static void drain(List<ByteBuf> chunks, ByteArrayOutputStream to) {
        for (ByteBuf chunk : chunks) {
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            to.writeBytes(bytes);
            chunk.release();
        }
    }

    private static Byte[] bytes(String ascii) {
        byte[] raw = ascii.getBytes(StandardCharsets.US_ASCII);
        Byte[] boxed = new Byte[raw.length];
        for (int i = 0; i < raw.length; i++) {
            boxed[i] = raw[i];
        }
        return boxed;
    }
}
