package org.workforcewatch.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
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
 * problem; a bad line among good ones is only that line's rejection.
 */
@Component
class EventReader {

    static final int MAX_EVENTS = 50_000;
    static final int MAX_BYTES = 64 * 1024 * 1024;
    /**
     * A body up to this size is parsed where it arrives, as WebFlux parses any JSON request body (tens of
     * microseconds); a larger or unannounced one on a worker thread, off the event loop.
     */
    static final long PARSE_IN_PLACE = 64 * 1024;

    private final JsonMapper json;
    /** Reads one value at a time from a parser that may hold more (an array's elements, a line's tail). */
    private final ObjectReader trees;

    EventReader(JsonMapper json) {
        this.json = json;
        this.trees = json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** One JSON object per line; blank lines are skipped but counted. {@code length} is -1 when unknown. */
    Mono<List<EventLine>> ndjson(Flux<DataBuffer> body, long length) {
        return Flux.defer(() -> {
                    Lines lines = new Lines();
                    return offLoopIfLarge(copied(body), length)
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
        return offLoopIfLarge(copied(body), length).reduce(new ByteArrayOutputStream(), (all, bytes) -> {
                    if (all.size() + bytes.length > MAX_BYTES) {
                        throw tooLarge();
                    }
                    all.write(bytes, 0, bytes.length);
                    return all;
                })
                .map(all -> readJson(all.toByteArray()));
    }

    private static Flux<byte[]> offLoopIfLarge(Flux<byte[]> bytes, long length) {
        return length >= 0 && length <= PARSE_IN_PLACE ? bytes : bytes.publishOn(Schedulers.boundedElastic());
    }

    /** The body's bytes copied off the network buffers, which are released at once. */
    private static Flux<byte[]> copied(Flux<DataBuffer> body) {
        return body.map(Upload::drain);
    }

    private List<EventLine> readJson(byte[] body) {
        List<EventLine> lines = new ArrayList<>();
        try (JsonParser p = trees.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                JsonNode node = trees.readTree(p);
                lines.add(EventLine.read(1, node, payload(node, new String(body, StandardCharsets.UTF_8))));
            } else if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (lines.size() == MAX_EVENTS) {
                        throw tooLarge();
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
        try (JsonParser p = trees.createParser(raw.bytes())) {
            JsonNode node = trees.readTree(p);
            if (p.nextToken() != null) {
                return EventLine.notJson(raw.number(), "more than one JSON value on the line: one event per line");
            }
            return EventLine.read(raw.number(), node, payload(node, new String(raw.bytes(), StandardCharsets.UTF_8).strip()));
        } catch (JacksonException e) {
            return EventLine.notJson(raw.number(), "not valid JSON: " + e.getOriginalMessage());
        }
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

    private static ResponseStatusException tooLarge() {
        return new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "a request holds at most " + MAX_EVENTS
                + " events and " + (MAX_BYTES / 1024 / 1024) + " MiB: send the rest in further requests");
    }

    record RawLine(int number, byte[] bytes) {
    }

    /** Splits bytes into lines as they arrive, keeping the unfinished end for the next chunk. */
    private static final class Lines {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private int number;
        private int events;
        private long bytes;

        List<RawLine> feed(byte[] chunk) {
            bytes += chunk.length;
            if (bytes > MAX_BYTES) {
                throw tooLarge();
            }
            List<RawLine> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    partial.write(chunk, start, i - start);
                    emit(out);
                    start = i + 1;
                }
            }
            partial.write(chunk, start, chunk.length - start);
            return out;
        }

        List<RawLine> finish() {
            List<RawLine> out = new ArrayList<>();
            if (partial.size() > 0) {
                emit(out);
            }
            return out;
        }

        private void emit(List<RawLine> out) {
            number++;
            byte[] line = partial.toByteArray();
            partial.reset();
            if (!blank(line)) {
                if (++events > MAX_EVENTS) {
                    throw tooLarge();
                }
                out.add(new RawLine(number, line));
            }
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
