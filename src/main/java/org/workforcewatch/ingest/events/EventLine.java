package org.workforcewatch.ingest.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.workforcewatch.ingest.csv.Column;
import org.workforcewatch.ingest.csv.Dataset;
import tools.jackson.databind.JsonNode;

/**
 * One event of a request as read and checked on its own, before anything stored is consulted.
 *
 * @param line       position in the request, from 1 (NDJSON: the line number; a JSON array: the element)
 * @param eventId    the sender's id, or null
 * @param type       null when the type is missing or unknown
 * @param occurredAt the instant, normalised to UTC ({@code 2026-11-23T10:15:00Z})
 * @param values     canonical values of {@code type.fields()}, in that order (null for blank)
 * @param payload    the event as JSON text, as it is kept
 * @param json       false when the line was not JSON at all
 */
record EventLine(int line, String eventId, EventType type, String occurredAt, String[] values, String payload,
                 List<EventError> errors, List<String> warnings, boolean json) {

    static final int MAX_EVENT_ID_LENGTH = 200;

    static EventLine notJson(int line, String reason) {
        return new EventLine(line, null, null, null, null, null, List.of(new EventError(null, null, reason)), List.of(), false);
    }

    boolean valid() {
        return errors.isEmpty();
    }

    String value(String field) {
        int i = type.field(field);
        return i < 0 ? null : values[i];
    }

    /** Reads and checks one event object; {@code payload} is its JSON text. */
    static EventLine read(int line, JsonNode node, String payload) {
        if (node == null || !node.isObject()) {
            return new EventLine(line, null, null, null, null, payload, List.of(new EventError(null, payload == null ? null
                    : abbreviate(payload), "an event is a JSON object: {\"type\": ..., \"occurred_at\": ..., ...fields}")),
                    List.of(), true);
        }
        List<EventError> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String eventId = eventId(node.get("event_id"), errors);
        EventType type = type(node.get("type"), errors);
        String occurredAt = occurredAt(node.get("occurred_at"), errors);
        String[] values = null;
        if (type != null) {
            values = fields(type, node, errors);
            for (String name : node.propertyNames()) {
                if (!EventType.ENVELOPE.contains(name) && type.field(name) < 0) {
                    warnings.add("unknown field ignored: " + name);
                }
            }
        }
        return new EventLine(line, eventId, type, occurredAt, values, payload, errors, warnings, true);
    }

    private static String eventId(JsonNode node, List<EventError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() && !node.isIntegralNumber()) {
            errors.add(new EventError("event_id", abbreviate(node.toString()), "an event_id is a string"));
            return null;
        }
        String id = node.asString().strip();
        if (id.isEmpty()) {
            errors.add(new EventError("event_id", id, "event_id is blank: leave it out or give a value"));
            return null;
        }
        if (id.indexOf('\0') >= 0) {
            errors.add(new EventError("event_id", null, "event_id contains a NUL character"));
            return null;
        }
        if (id.length() > MAX_EVENT_ID_LENGTH) {
            errors.add(new EventError("event_id", abbreviate(id), "event_id is longer than " + MAX_EVENT_ID_LENGTH + " characters"));
            return null;
        }
        return id;
    }

    private static EventType type(JsonNode node, List<EventError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new EventError("type", null, "required field is missing: one of " + EventType.allowed()));
            return null;
        }
        EventType type = node.isString() ? EventType.byWire(node.asString().strip()) : null;
        if (type == null) {
            errors.add(new EventError("type", abbreviate(node.isString() ? node.asString() : node.toString()),
                    "not one of the event types: " + EventType.allowed()));
        }
        return type;
    }

    private static String occurredAt(JsonNode node, List<EventError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new EventError("occurred_at", null, "required field is missing: when it happened, e.g. 2026-11-23T10:15:00Z"));
            return null;
        }
        String v = node.isString() ? node.asString().strip() : node.toString();
        Instant utc = plainUtc(v);
        if (utc != null) {
            return utc.toString();
        }
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toString();
        } catch (DateTimeParseException e) {
            errors.add(new EventError("occurred_at", abbreviate(v),
                    "not an ISO-8601 instant with a time zone, e.g. 2026-11-23T10:15:00Z or 2026-11-23T10:15:00+00:00"));
            return null;
        }
    }

    /**
     * The usual form, {@code 2026-11-23T10:15:00Z}, read without the general parser (which costs more
     * than the rest of the event); null for any other form.
     */
    private static Instant plainUtc(String v) {
        if (v.length() != 20 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T' || v.charAt(13) != ':'
                || v.charAt(16) != ':' || v.charAt(19) != 'Z') {
            return null;
        }
        try {
            return LocalDateTime.of(Column.Dates.digits(v, 0, 4), Column.Dates.digits(v, 5, 7), Column.Dates.digits(v, 8, 10),
                    Column.Dates.digits(v, 11, 13), Column.Dates.digits(v, 14, 16), Column.Dates.digits(v, 17, 19)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /** The event's fields, checked as the dataset's columns are in a file, then the row's own rules. */
    private static String[] fields(EventType type, JsonNode node, List<EventError> errors) {
        List<Column> fields = type.fields();
        String[] values = new String[fields.size()];
        int before = errors.size();
        for (int i = 0; i < fields.size(); i++) {
            Column c = fields.get(i);
            JsonNode v = node.get(c.name());
            if (v == null || v.isNull()) {
                Column.Cell cell = c.canonical(null);
                if (!cell.ok()) {
                    errors.add(new EventError(c.name(), null, "required field is missing"));
                }
                values[i] = cell.value();
                continue;
            }
            if (v.isContainer()) {
                errors.add(new EventError(c.name(), abbreviate(v.toString()),
                        "must be a single value, not " + (v.isArray() ? "a list" : "an object")));
                continue;
            }
            String raw = v.asString();
            Column.Cell cell = c.canonical(raw);
            if (cell.ok()) {
                values[i] = cell.value();
            } else {
                errors.add(new EventError(c.name(), abbreviate(raw), cell.problem()));
            }
        }
        if (errors.size() == before && type.wholeRow()) {
            Dataset d = type.dataset();
            d.rowRules().accept(new Dataset.Row(d, values),
                    (column, reason) -> errors.add(new EventError(column, values[d.indexOf(column)], reason)));
        }
        return values;
    }

    static String abbreviate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
