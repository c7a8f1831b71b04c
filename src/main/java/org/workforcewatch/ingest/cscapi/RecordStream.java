package org.workforcewatch.ingest.cscapi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Child records out of a body as its bytes arrive, one record's tree at a time, never the whole body: a JSON array of
 * records, or records one after another (NDJSON, or objects separated by any white space). A body that is not that
 * ends in {@link NotRecords}, saying where.
 */
final class RecordStream {

    /**
     * The most one record may take of the body. A night's record is a few kilobytes (a child with dozens of episodes a
     * few hundred); one record's tree is held whole while it is read, so a record of hundreds of megabytes would
     * exhaust the heap of a service the rest of the batch fits in.
     */
    static final long MAX_RECORD_BYTES = 1024 * 1024;

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty());
    private final ByteArrayFeeder feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
    private final Deque<JsonNode> open = new ArrayDeque<>();
    private String property;
    /** True inside the top-level array of a JSON array body; false for records one after another. */
    private Boolean array;
    private boolean arrayClosed;
    private boolean bom = true;
    private long recordStart;
    private long recordsDone;

    /** The bytes' complete records, in order. */
    List<JsonNode> feed(byte[] bytes) {
        int from = 0;
        if (bom && bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            from = 3;
        }
        bom = false;
        try {
            feeder.feedInput(bytes, from, bytes.length);
            return records();
        } catch (JacksonException e) {
            throw notJson(e);
        }
    }

    /** The last records, once the body has ended; a body cut short or holding no record at all is refused. */
    List<JsonNode> finish(long recordsSoFar) {
        try {
            feeder.endOfInput();
            List<JsonNode> last = records();
            if (!open.isEmpty() || (Boolean.TRUE.equals(array) && !arrayClosed)) {
                throw new NotRecords("the body ends in the middle of a record: send the whole JSON array");
            }
            if (array == null || recordsSoFar + last.size() == 0 && !Boolean.TRUE.equals(array)) {
                throw new NotRecords("the body is empty: send a JSON array of child records");
            }
            return last;
        } catch (JacksonException e) {
            throw String.valueOf(e.getOriginalMessage()).contains("end-of-input")
                    ? new NotRecords("the body ends in the middle of a record: send the whole JSON array") : notJson(e);
        }
    }

    private List<JsonNode> records() {
        List<JsonNode> done = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            if (array == null) {
                if (token == JsonToken.START_ARRAY) {
                    array = true;
                    continue;
                }
                if (token != JsonToken.START_OBJECT) {
                    throw new NotRecords("the body must be a JSON array of child records (or one record object per line),"
                            + " not " + describe(token) + at());
                }
                array = false;
            } else if (arrayClosed) {
                throw new NotRecords("the body holds more after its array of records" + at());
            } else if (open.isEmpty() && Boolean.TRUE.equals(array) && token == JsonToken.END_ARRAY) {
                arrayClosed = true;
                continue;
            } else if (open.isEmpty() && Boolean.FALSE.equals(array) && token != JsonToken.START_OBJECT) {
                throw new NotRecords("records one after another must each be a JSON object, not " + describe(token) + at());
            }
            if (!open.isEmpty() && parser.currentLocation().getByteOffset() - recordStart > MAX_RECORD_BYTES) {
                throw new NotRecords("record " + recordsDone + " (from 0) is larger than " + MAX_RECORD_BYTES / 1024
                        + " KiB: a child's record is a few kilobytes; send it on its own if it is real");
            }
            JsonNode value = switch (token) {
                case START_OBJECT -> NODES.objectNode();
                case START_ARRAY -> NODES.arrayNode();
                case END_OBJECT, END_ARRAY -> null;
                case PROPERTY_NAME -> {
                    property = parser.currentName();
                    yield null;
                }
                case VALUE_STRING -> NODES.stringNode(parser.getString());
                case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                default -> NODES.nullNode();
            };
            if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                JsonNode closed = open.pop();
                if (open.isEmpty()) {
                    done.add(closed);
                    recordsDone++;
                }
                continue;
            }
            if (value == null) {
                continue;
            }
            if (open.isEmpty()) {
                if (!value.isContainer()) {
                    done.add(value); // a record that is not an object: the reader says so with its index
                    recordsDone++;
                    continue;
                }
                recordStart = parser.currentLocation().getByteOffset();
            } else if (open.peek() instanceof ObjectNode object) {
                object.set(property, value);
            } else {
                ((ArrayNode) open.peek()).add(value);
            }
            if (value.isContainer()) {
                open.push(value);
            }
        }
        return done;
    }

    private String at() {
        var location = parser.currentLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private NotRecords notJson(JacksonException e) {
        var location = e.getLocation();
        String message = String.valueOf(e.getOriginalMessage());
        int source = message.indexOf(" (start marker");
        message = source > 0 ? message.substring(0, source) : message;
        return new NotRecords("the body is not valid JSON" + (location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr()) + ": "
                + (message.length() > 200 ? message.substring(0, 200) + "..." : message));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase();
        };
    }

    /** A body that cannot be read as child records at all: a 400 problem. */
    static final class NotRecords extends RuntimeException {
        NotRecords(String message) {
            super(message, null, false, false);
        }
    }
}
