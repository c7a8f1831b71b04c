package org.workforcewatch.ingest.csv;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of an upload into text as they arrive. The contract: UTF-8 (a byte-order mark is
 * dropped); bytes that are not valid UTF-8 mean the whole file is Windows-1252, as Excel writes it.
 * Text before the first bad byte that was plain ASCII reads the same either way, so the decoder simply
 * switches; if UTF-8 characters were already read, the file must be read again from the start
 * ({@link RereadNeeded}).
 */
final class TextDecoder {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    static final class RereadNeeded extends Exception {
        RereadNeeded() {
            super("not UTF-8 after UTF-8 text: read again as Windows-1252", null, false, false);
        }
    }

    private CharsetDecoder decoder;
    private Charset charset;
    private final ByteBuffer carry = ByteBuffer.allocate(16);
    private boolean start = true;
    private boolean sawNonAscii;

    TextDecoder(Charset initial) {
        use(initial);
    }

    Charset charset() {
        return charset;
    }

    private void use(Charset cs) {
        charset = cs;
        CodingErrorAction onError = cs.equals(StandardCharsets.UTF_8) ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        decoder = cs.newDecoder().onMalformedInput(onError).onUnmappableCharacter(onError);
    }

    /** Decodes as much of {@code bytes} as forms whole characters; the rest waits for the next piece. */
    CharBuffer decode(ByteBuffer bytes, boolean last) throws RereadNeeded {
        ByteBuffer in = bytes;
        if (carry.position() > 0) {
            ByteBuffer joined = ByteBuffer.allocate(carry.position() + bytes.remaining());
            carry.flip();
            joined.put(carry).put(bytes).flip();
            carry.clear();
            in = joined;
        }
        if (start && charset.equals(WINDOWS_1252)) {
            skipUtf8Bom(in);
        }
        CharBuffer out = CharBuffer.allocate((int) (in.remaining() * 1.1) + 16);
        while (true) {
            CoderResult result = decoder.decode(in, out, last);
            if (result.isOverflow()) {
                out = grow(out);
                continue;
            }
            if (result.isError()) {
                if (sawNonAscii || containsNonAscii(out)) {
                    throw new RereadNeeded();
                }
                use(WINDOWS_1252);
                continue;
            }
            break; // underflow: everything that forms whole characters is decoded
        }
        if (last) {
            decoder.flush(out);
        } else if (in.hasRemaining()) {
            carry.put(in);
        }
        if (!sawNonAscii && charset.equals(StandardCharsets.UTF_8)) {
            sawNonAscii = containsNonAscii(out);
        }
        out.flip();
        if (start && out.hasRemaining()) {
            start = false;
            if (out.get(out.position()) == '\uFEFF') {
                out.get();
            }
        }
        return out;
    }

    private static void skipUtf8Bom(ByteBuffer in) {
        if (in.remaining() >= 3 && (in.get(in.position()) & 0xFF) == 0xEF && (in.get(in.position() + 1) & 0xFF) == 0xBB
                && (in.get(in.position() + 2) & 0xFF) == 0xBF) {
            in.position(in.position() + 3);
        }
    }

    private static boolean containsNonAscii(CharBuffer written) {
        int end = written.position();
        for (int i = 0; i < end; i++) {
            if (written.get(i) > 0x7F) {
                return true;
            }
        }
        return false;
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        out.flip();
        return bigger.put(out);
    }

    static String describe(Charset cs) {
        return cs.equals(StandardCharsets.UTF_8) ? "UTF-8" : "Windows-1252";
    }
}
