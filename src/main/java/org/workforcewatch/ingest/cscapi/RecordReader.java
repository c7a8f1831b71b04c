package org.workforcewatch.ingest.cscapi;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks one child record and writes what is kept of it as staging rows (lines of PostgreSQL COPY text): the
 * child, its episodes, and each episode's care workers, child-and-family assessments, looked-after placements and
 * care-leaver block. Everything else the record may carry (names, unique pupil numbers, postcodes, the exact date of
 * birth, health, plans, adoption) is read past and never written anywhere.
 * <p>
 * Staging columns, in order: record index, kind, child, episode, item, date 1, date 2, purge, present.
 */
final class RecordReader {

    static final int MAX_ID = 64;
    static final String EPISODES = "social_care_episodes";

    /** One problem of a record: its index in the batch (0-based), a JSON pointer into the batch, and why. */
    record Problem(int record, String pointer, String reason) {
    }

    /** Where problems go; {@code add} may stop keeping them past a limit. */
    interface Problems {
        void add(Problem problem);
    }

    /**
     * Lists of an episode that are checked, and the kind of staging row each keeps (its dates tell an allocation's case
     * type), or null when only checked: their id field.
     */
    private static final Map<String, String[]> CHECKED_LISTS = Map.of(
            "child_in_need_plans", new String[] {"child_in_need_plan_id", "cin_plan"},
            "child_protection_plans", new String[] {"child_protection_plan_id", "cp_plan"},
            "section_47_assessments", new String[] {"section_47_assessment_id", null});

    private final int index;
    private final Problems problems;
    private final StringBuilder out;
    private int problemCount;

    private RecordReader(int index, Problems problems, StringBuilder out) {
        this.index = index;
        this.problems = problems;
        this.out = out;
    }

    /**
     * Reads record {@code index} (0-based) of a batch: its staging rows go to {@code out} only when it has no problem.
     *
     * @return the record's la_child_id, or null when it has none
     */
    static String read(int index, JsonNode record, boolean full, Problems problems, StringBuilder out) {
        StringBuilder rows = new StringBuilder(512);
        RecordReader reader = new RecordReader(index, problems, rows);
        String child = reader.child(record, full);
        if (reader.problemCount == 0) {
            out.append(rows);
        }
        return child;
    }

    private String child(JsonNode record, boolean full) {
        String at = "/" + index;
        if (!record.isObject()) {
            problem(at, "a child record must be a JSON object");
            return null;
        }
        String child = id(record, at, "la_child_id", true);
        String mis = id(record, at, "mis_child_id", true);
        boolean purge = flag(record, at);
        JsonNode details = record.get("child_details");
        LocalDate birth = null;
        boolean birthGiven = false;
        if (details == null || details.isNull()) {
            problem(at + "/child_details", "required: every record, full or partial, carries child_details");
        } else if (!details.isObject()) {
            problem(at + "/child_details", "must be an object");
        } else {
            LocalDate dob = date(details, at + "/child_details", "date_of_birth");
            LocalDate expected = date(details, at + "/child_details", "expected_date_of_birth");
            birthGiven = details.has("date_of_birth") || details.has("expected_date_of_birth");
            birth = dob != null ? dob : expected;
            flag(details, at + "/child_details");
        }
        JsonNode health = record.get("health_and_wellbeing");
        if (health != null && !health.isNull()) {
            object(health, at + "/health_and_wellbeing");
        }
        // the birth month's first day: ages are right to the month, the exact date of birth is never kept
        LocalDate month = birth == null ? null : birth.withDayOfMonth(1);
        row("child", child, null, mis, month, null, purge, (full ? "full" : "partial") + (birthGiven ? ",birth" : ""));
        JsonNode episodes = record.get(EPISODES);
        if (episodes != null && !episodes.isNull()) {
            if (!episodes.isArray()) {
                problem(at + "/" + EPISODES, "must be a list of episodes");
            } else {
                for (int i = 0; i < episodes.size(); i++) {
                    episode(episodes.get(i), at + "/" + EPISODES + "/" + i, child);
                }
            }
        }
        return child;
    }

    private void episode(JsonNode episode, String at, String child) {
        if (!object(episode, at)) {
            return;
        }
        String id = id(episode, at, "social_care_episode_id", true);
        boolean purge = flag(episode, at);
        LocalDate referral = date(episode, at, "referral_date");
        LocalDate closure = date(episode, at, "closure_date");
        notBefore(at + "/closure_date", closure, referral, "referral_date");
        String present = (episode.has("referral_date") ? "referral" : "") + "," + (episode.has("closure_date") ? "closure" : "");
        row("episode", child, id, null, referral, closure, purge, present);
        for (Item item : list(episode, at, "care_worker_details")) {
            String itemAt = at + "/care_worker_details/" + item.index();
            JsonNode w = item.value();
            if (!object(w, itemAt)) {
                continue;
            }
            String worker = id(w, itemAt, "worker_id", true);
            LocalDate start = date(w, itemAt, "start_date");
            if (start == null && isNull(w.get("start_date"))) {
                problem(itemAt + "/start_date", "required: a care worker entry is matched by (worker_id, start_date)");
            }
            LocalDate end = date(w, itemAt, "end_date");
            notBefore(itemAt + "/end_date", end, start, "start_date");
            row("worker", child, id, worker, start, end, flag(w, itemAt), "");
        }
        for (Item item : list(episode, at, "child_and_family_assessments")) {
            String itemAt = at + "/child_and_family_assessments/" + item.index();
            JsonNode a = item.value();
            if (!object(a, itemAt)) {
                continue;
            }
            String assessment = id(a, itemAt, "child_and_family_assessment_id", true);
            LocalDate start = date(a, itemAt, "start_date");
            LocalDate authorised = date(a, itemAt, "authorisation_date");
            notBefore(itemAt + "/authorisation_date", authorised, start, "start_date");
            row("assessment", child, id, assessment, start, authorised, flag(a, itemAt), "");
        }
        for (Item item : list(episode, at, "child_looked_after_placements")) {
            String itemAt = at + "/child_looked_after_placements/" + item.index();
            JsonNode p = item.value();
            if (!object(p, itemAt)) {
                continue;
            }
            String placement = id(p, itemAt, "child_looked_after_placement_id", true);
            boolean purged = flag(p, itemAt);
            LocalDate start = date(p, itemAt, "start_date");
            if (start == null && !purged) {
                problem(itemAt + "/start_date", "required: a placement's period in care starts on it");
            }
            LocalDate end = date(p, itemAt, "end_date");
            notBefore(itemAt + "/end_date", end, start, "start_date");
            row("placement", child, id, placement, start, end, purged, "");
        }
        for (Map.Entry<String, String[]> checked : CHECKED_LISTS.entrySet()) {
            for (Item item : list(episode, at, checked.getKey())) {
                String itemAt = at + "/" + checked.getKey() + "/" + item.index();
                JsonNode plan = item.value();
                if (object(plan, itemAt)) {
                    String planId = id(plan, itemAt, checked.getValue()[0], false);
                    LocalDate start = date(plan, itemAt, "start_date");
                    LocalDate end = date(plan, itemAt, "end_date");
                    notBefore(itemAt + "/end_date", end, start, "start_date");
                    boolean purged = flag(plan, itemAt);
                    // a plan is kept by its id, with its start; one without either cannot be matched or dated
                    if (checked.getValue()[1] != null && planId != null && (start != null || purged)) {
                        row(checked.getValue()[1], child, id, planId, start, end, purged, "");
                    }
                }
            }
        }
        JsonNode adoption = episode.get("adoption");
        if (adoption != null && !adoption.isNull() && object(adoption, at + "/adoption")) {
            for (String field : List.of("initial_decision_date", "matched_date", "placed_date")) {
                date(adoption, at + "/adoption", field);
            }
        }
        JsonNode leaver = episode.get("care_leavers");
        if (leaver != null && !leaver.isNull() && object(leaver, at + "/care_leavers")) {
            LocalDate contact = date(leaver, at + "/care_leavers", "contact_date");
            row("care_leaver", child, id, null, contact, null, flag(leaver, at + "/care_leavers"), "");
        }
    }

    /** An item of a list and its index in it. */
    private record Item(int index, JsonNode value) {
    }

    /** The items of a list field; none when it is absent or not a list (a problem). */
    private List<Item> list(JsonNode parent, String at, String field) {
        JsonNode list = parent.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            problem(at + "/" + field, "must be a list");
            return List.of();
        }
        List<Item> items = new java.util.ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            items.add(new Item(i, list.get(i)));
        }
        return items;
    }

    private boolean object(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            problem(at, "must be an object");
            return false;
        }
        return true;
    }

    private String id(JsonNode parent, String at, String field, boolean required) {
        JsonNode value = parent.get(field);
        String pointer = at + "/" + field;
        if (isNull(value) || value.isString() && value.asString().isBlank()) {
            if (required) {
                problem(pointer, "required");
            }
            return null;
        }
        if (!value.isString() && !value.isIntegralNumber()) {
            problem(pointer, "must be a text (or a whole number) identifier");
            return null;
        }
        String id = value.isString() ? value.asString().strip() : value.bigIntegerValue().toString();
        if (id.length() > MAX_ID) {
            problem(pointer, "identifiers are at most " + MAX_ID + " characters, this one has " + id.length());
            return null;
        }
        return id;
    }

    private LocalDate date(JsonNode parent, String at, String field) {
        JsonNode value = parent.get(field);
        if (isNull(value)) {
            return null;
        }
        String pointer = at + "/" + field;
        if (!value.isString() || !value.asString().matches("\\d{4}-\\d{2}-\\d{2}")) {
            // the value is never repeated: a date of birth is personal data, and the answer and the import log keep reasons
            problem(pointer, "must be a date as YYYY-MM-DD");
            return null;
        }
        try {
            return LocalDate.parse(value.asString());
        } catch (DateTimeParseException e) {
            problem(pointer, "is not a date of the calendar");
            return null;
        }
    }

    private boolean flag(JsonNode parent, String at) {
        JsonNode value = parent.get("purge");
        if (isNull(value)) {
            return false;
        }
        if (!value.isBoolean()) {
            problem(at + "/purge", "must be true or false, not " + shown(value));
            return false;
        }
        return value.booleanValue();
    }

    private void notBefore(String pointer, LocalDate end, LocalDate start, String startField) {
        if (end != null && start != null && end.isBefore(start)) {
            problem(pointer, end + " is before the " + startField + " " + start);
        }
    }

    private static boolean isNull(JsonNode value) {
        return value == null || value.isNull();
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private void problem(String pointer, String reason) {
        problemCount++;
        problems.add(new Problem(index, pointer, reason));
    }

    private void row(String kind, String child, String episode, String item, LocalDate d1, LocalDate d2, boolean purge,
                     String present) {
        out.append(index).append('\t').append(kind).append('\t');
        text(child);
        text(episode);
        text(item);
        text(d1 == null ? null : d1.toString());
        text(d2 == null ? null : d2.toString());
        out.append(purge ? 't' : 'f').append('\t');
        out.append(present).append('\n');
    }

    /** A value of COPY's text format, escaped, and its tab. */
    private void text(String value) {
        if (value == null) {
            out.append("\\N");
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
        }
        out.append('\t');
    }
}
