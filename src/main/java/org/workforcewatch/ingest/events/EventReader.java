package org.workforcewatch.ingest.events;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.ingest.BodyLimit;
import org.workforcewatch.ingest.UploadLimits;
import org.workforcewatch.ingest.UploadTooLarge;
import org.workforcewatch.ingest.csv.Upload;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request body into checked {@link EventLine}s: NDJSON line by line as the bytes arrive, or one
 * JSON object or array. Parsing runs off the event loop. A body that is not JSON at all is a 400
 * problem; a bad line among good ones, a line over the length limit included, is only that line's
 * rejection. A body over the size or event count limits of {@link UploadLimits} is a 413 problem.
 */
@Component
class EventReader {

    /**
     * A body up to this size is parsed where it arrives, as WebFlux parses any JSON request body (tens of
     * microseconds); a larger or unannounced one on a worker thread, off the event loop.
     */
    static final long PARSE_IN_PLACE = 64 * 1024;
    /** A number of an event that would be longer than this written out is refused (see {@link #oversizedNumber}). */
    static final int MAX_NUMBER_DIGITS = 40;

    private final JsonMapper json;
    /** Reads one value at a time from a parser that may hold more (an array's elements, a line's tail). */
    private final ObjectReader trees;
    private final UploadLimits limits;

    EventReader(JsonMapper json, UploadLimits limits) {
        this.json = json;
        this.trees = json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.limits = limits;
    }

    /** One JSON object per line; blank lines are skipped but counted. {@code length} is -1 when unknown. */
    Mono<List<EventLine>> ndjson(Flux<DataBuffer> body, long length) {
        return Flux.defer(() -> {
                    Lines lines = new Lines();
                    return offLoopIfLarge(copied(body, length), length)
                            .concatMapIterable(lines::feed)
                            .concatWith(Flux.defer(() -> Flux.fromIterable(lines.finish())));
                })
                .map(this::readLine)
                .collectList()
                .flatMap(lines -> {
                    if (lines.isEmpty()) {
                        return Mono.error(badBody("the body holds no event: send one JSON object per line"));
                    }
                    if (lines.stream().noneMatch(EventLine::json)) {
                        return Mono.error(badBody("the body is not NDJSON: no line of it is JSON ("
                                + lines.get(0).errors().get(0).reason() + ")"));
                    }
                    return Mono.just(lines);
                });
    }

    /** One event object, or an array of them. */
    Mono<List<EventLine>> json(Flux<DataBuffer> body, long length) {
        return offLoopIfLarge(copied(body, length), length).reduce(new ByteArrayOutputStream(), (all, bytes) -> {
                    all.write(bytes, 0, bytes.length);
                    return all;
                })
                .map(all -> readJson(all.toByteArray()));
    }

    private static Flux<byte[]> offLoopIfLarge(Flux<byte[]> bytes, long length) {
        return length >= 0 && length <= PARSE_IN_PLACE ? bytes : bytes.publishOn(Schedulers.boundedElastic());
    }

    /** The body's bytes, held to the size limit and copied off the network buffers, which are released at once. */
    private Flux<byte[]> copied(Flux<DataBuffer> body, long length) {
        return Flux.defer(() -> {
            BodyLimit limit = limits.events();
            limit.checkDeclared(length);
            return limit.counted(body).map(Upload::drain);
        });
    }

    private List<EventLine> readJson(byte[] sent) {
        List<EventLine> lines = new ArrayList<>();
        byte[] body = withoutBom(sent);
        try (JsonParser p = trees.createParser(body)) {
            String number = oversizedNumber(body);
            if (number != null) {
                throw badBody("in the body, " + oversized(number));
            }
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                JsonNode node = trees.readTree(p);
                lines.add(EventLine.read(1, node, payload(node, new String(body, StandardCharsets.UTF_8))));
            } else if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (lines.size() == limits.maxEvents()) {
                        throw tooManyEvents();
                    }
                    JsonNode node = trees.readTree(p);
                    lines.add(EventLine.read(lines.size() + 1, node, payload(node, null)));
                }
                if (lines.isEmpty()) {
                    throw badBody("the array holds no event");
                }
            } else {
                throw badBody(first == null ? "the body is empty: send one event object, an array of them, or NDJSON"
                        : "the body is not an event: send one JSON object, an array of them, or NDJSON");
            }
            if (p.nextToken() != null) {
                throw badBody("the body holds more than one JSON value: send an array of events, or NDJSON"
                        + " (Content-Type: application/x-ndjson) with one event per line");
            }
        } catch (JacksonException e) {
            throw badBody("the body is not JSON: " + e.getOriginalMessage() + location(e));
        }
        return lines;
    }

    private EventLine readLine(RawLine raw) {
        if (raw.bytes() == null) {
            return refused(raw.number(), "the line is longer than " + limits.maxLineLength() + " bytes, the limit for one"
                    + " event: one event per line, each of a few hundred bytes");
        }
        try (JsonParser p = trees.createParser(raw.bytes())) {
            JsonNode node = trees.readTree(p);
            if (p.nextToken() != null) {
                return EventLine.notJson(raw.number(), "more than one JSON value on the line: one event per line");
            }
            String number = oversizedNumber(raw.bytes());
            if (number != null) {
                return refused(raw.number(), oversized(number));
            }
            return EventLine.read(raw.number(), node, payload(node, new String(raw.bytes(), StandardCharsets.UTF_8).strip()));
        } catch (JacksonException e) {
            return EventLine.notJson(raw.number(), "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A line that is JSON, or may be, but is refused as a whole. */
    private static EventLine refused(int line, String reason) {
        return new EventLine(line, null, null, null, null, null, List.of(new EventError(null, null, reason)), List.of(), true);
    }

    /**
     * The first number in the JSON text that would be more than {@value #MAX_NUMBER_DIGITS} digits written out,
     * or null. PostgreSQL keeps every digit of a JSON number: {@code 1e999999} would be a million of them, and
     * {@code 1e999999999} more than it can hold at all.
     */
    private String oversizedNumber(byte[] text) {
        if (!mayHoldExponent(text)) {
            return null; // the usual event: no second reading of its text
        }
        try (JsonParser p = trees.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT && digits(p.getDecimalValue()) > MAX_NUMBER_DIGITS) {
                    String number = p.getString();
                    return number.length() > 40 ? number.substring(0, 40) + "…" : number;
                }
            }
        }
        return null;
    }

    private static String oversized(String number) {
        return "the number " + number + " would be more than " + MAX_NUMBER_DIGITS + " digits written out: send numbers"
                + " as ordinary decimals";
    }

    /** Whether a digit is followed by an e or E somewhere: only a number with an exponent can swell when written out. */
    private static boolean mayHoldExponent(byte[] text) {
        for (int i = 1; i < text.length; i++) {
            if ((text[i] == 'e' || text[i] == 'E') && text[i - 1] >= '0' && text[i - 1] <= '9') {
                return true;
            }
        }
        return false;
    }

    private static long digits(BigDecimal n) {
        return n.signum() == 0 ? 1 : Math.max((long) n.precision() - n.scale(), 1) + Math.max(n.scale(), 0);
    }

    /** Text as sent, without the byte-order mark some Windows tools put first (PostgreSQL's jsonb refuses it). */
    private static byte[] withoutBom(byte[] text) {
        boolean bom = text.length >= 3 && (text[0] & 0xFF) == 0xEF && (text[1] & 0xFF) == 0xBB && (text[2] & 0xFF) == 0xBF;
        return bom ? Arrays.copyOfRange(text, 3, text.length) : text;
    }

    /**
     * The JSON text kept for an event: the text as sent, unless it uses \\u escapes, which PostgreSQL's
     * jsonb refuses for NUL and lone surrogates; then a rewrite without them.
     */
    private String payload(JsonNode node, String sent) {
        if (node == null) {
            return null;
        }
        if (sent != null && !sent.contains("\\u")) {
            return sent;
        }
        return json.writeValueAsString(node).replace("\\u0000", "\\uFFFD");
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static ResponseStatusException badBody(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }

    private UploadTooLarge tooManyEvents() {
        return new UploadTooLarge("The request holds more than " + limits.maxEvents() + " events; nothing of it was"
                + " applied: " + limits.tooManyEventsAdvice() + ".");
    }

    /** One line of the body; {@code bytes} is null when the line was over the length limit and not kept. */
    record RawLine(int number, byte[] bytes) {
    }

    /**
     * Splits bytes into lines as they arrive, keeping the unfinished end for the next chunk. A line is kept
     * only up to the length limit; the rest of a longer one is skipped up to its end.
     */
    private final class Lines {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private boolean tooLong;
        private int number;
        private int events;

        List<RawLine> feed(byte[] chunk) {
            List<RawLine> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    keep(chunk, start, i - start);
                    emit(out);
                    start = i + 1;
                }
            }
            keep(chunk, start, chunk.length - start);
            return out;
        }

        private void keep(byte[] chunk, int from, int length) {
            if (!tooLong && partial.size() + length > limits.maxLineLength()) {
                tooLong = true;
                partial.reset();
            }
            if (!tooLong) {
                partial.write(chunk, from, length);
            }
        }

        List<RawLine> finish() {
            List<RawLine> out = new ArrayList<>();
            if (partial.size() > 0 || tooLong) {
                emit(out);
            }
            return out;
        }

        private void emit(List<RawLine> out) {
            number++;
            byte[] line = number == 1 ? withoutBom(partial.toByteArray()) : partial.toByteArray();
            partial.reset();
            if (tooLong || !blank(line)) {
                if (++events > limits.maxEvents()) {
                    throw tooManyEvents();
                }
                out.add(new RawLine(number, tooLong ? null : line));
            }
            tooLong = false;
        }

        private static boolean blank(byte[] line) {
            for (byte b : line) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }
}
