package org.workforcewatch.ingest.csv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the import contract (docs/DATA-FORMATS.md) says a teams file means, worked out from the whole
 * file at once, the plain way, independently of the streaming reader: the file is valid or not, and
 * when valid, the rows it stores. The oracle of the hostile-input properties.
 */
final class TeamsFileModel {

    static final int MAX_LINE_LENGTH = 65_536;
    static final int MAX_FIELDS = 200;
    private static final List<String> TYPES = List.of("assessment", "safeguarding", "children_in_care", "care_leavers",
            "disabled_children", "out_of_hours", "fostering", "adoption", "other");
    private static final List<String> REQUIRED = List.of("team_id", "team_name", "service", "team_type");

    /** A valid file's rows (team_id, team_name, service, team_type); {@code unknown} when this model cannot say. */
    record Outcome(boolean valid, boolean unknown, List<List<String>> rows) {
        static final Outcome INVALID = new Outcome(false, false, List.of());
        static final Outcome UNKNOWN = new Outcome(false, true, List.of());
    }

    private TeamsFileModel() {
    }

    static Outcome expect(byte[] file) {
        List<List<String>> records = records(decode(file));
        if (records == null || records.isEmpty()) {
            return Outcome.INVALID;
        }
        List<String> header = records.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        if (header.contains("parent_team_id")) {
            return Outcome.UNKNOWN; // a reference to other teams: not modelled
        }
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (position.putIfAbsent(header.get(i), i) != null && !header.get(i).isEmpty()) {
                return Outcome.INVALID;
            }
        }
        if (!position.keySet().containsAll(REQUIRED)) {
            return Outcome.INVALID;
        }
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (List<String> record : records.subList(1, records.size())) {
            if (record.size() != header.size()) {
                return Outcome.INVALID;
            }
            String id = cell(record.get(position.get("team_id")), 64);
            String name = cell(record.get(position.get("team_name")), 1000);
            String service = cell(record.get(position.get("service")), 1000);
            String type = TYPES.stream().filter(t -> t.equalsIgnoreCase(record.get(position.get("team_type")).strip()))
                    .findFirst().orElse(null);
            if (id == null || name == null || service == null || type == null || rows.containsKey(id)) {
                return Outcome.INVALID;
            }
            rows.put(id, List.of(id, name, service, type));
        }
        return new Outcome(true, false, List.copyOf(rows.values()));
    }

    /** A required cell's stored value, or null when the contract refuses it. */
    private static String cell(String raw, int maxLength) {
        String v = raw.strip();
        return v.isEmpty() || v.indexOf('\0') >= 0 || v.length() > maxLength ? null : v;
    }

    /** UTF-8 (without its byte-order mark) when every byte is valid UTF-8, otherwise Windows-1252. */
    static String decode(byte[] file) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException notUtf8) {
            boolean bom = file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF;
            return new String(bom ? Arrays.copyOfRange(file, 3, file.length) : file, Charset.forName("windows-1252"));
        }
    }

    /**
     * RFC 4180 records, blank lines left out (a line of one empty field), or null when the text breaks the
     * format: text after a closing quote, a quote never closed, a line too long or of too many fields.
     */
    static List<List<String>> records(String text) {
        List<List<String>> records = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int start = i;
            List<String> fields = new ArrayList<>();
            boolean recordEnded = false;
            while (!recordEnded) {
                StringBuilder field = new StringBuilder();
                if (i < n && text.charAt(i) == '"') {
                    i++;
                    while (true) {
                        if (i >= n) {
                            return null;
                        }
                        char c = text.charAt(i++);
                        if (c != '"') {
                            field.append(c);
                        } else if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                        return null;
                    }
                } else {
                    while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                        field.append(text.charAt(i++));
                    }
                }
                fields.add(field.toString());
                if (i < n && text.charAt(i) == ',') {
                    i++;
                } else {
                    recordEnded = true;
                }
            }
            if (i - start > MAX_LINE_LENGTH || fields.size() > MAX_FIELDS) {
                return null;
            }
            if (i < n) {
                i += text.startsWith("\r\n", i) ? 2 : 1;
            }
            if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                records.add(fields);
            }
        }
        return records;
    }
}
