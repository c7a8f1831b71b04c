package org.workforcewatch.ingest.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workforcewatch.ingest.csv.Dataset.Reference;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Datasets;

/**
 * The events of one request, checked against what is stored and against each other in line order, and
 * the writes they come to. What is stored is looked up once for the whole request ({@link #needs()},
 * then {@link #found}); the lines are then played in order over that picture, so an event may refer to
 * what an earlier line of the same request started. The writes of one record are folded into one row:
 * a started allocation ended later in the request is inserted once, already ended.
 */
final class EventBatch {

    /** A column whose values other rows refer to, e.g. teams.team_id. */
    record Target(String table, String column) {
    }

    /** A staff spell as far as this request knows it. */
    static final class Spell {
        final String team;
        final String start;
        String end;

        Spell(String team, String start, String end) {
            this.team = team;
            this.start = start;
            this.end = end;
        }
    }

    /** What one record comes to: a whole row, or changes to a stored row. */
    static final class Write {
        final String[] row;
        final EventType change;
        final String[] changes;

        private Write(String[] row, EventType change, String[] changes) {
            this.row = row;
            this.change = change;
            this.changes = changes;
        }
    }

    /** The records one dataset is written, each by its key. */
    record Records(Dataset dataset, List<Map.Entry<List<String>, Write>> byKey) {
    }

    private final List<EventLine> lines;

    // what to look up
    final Set<String> eventIds = new LinkedHashSet<>();
    final Map<Target, Set<String>> references = new LinkedHashMap<>();
    final Set<String> spellsOf = new LinkedHashSet<>();
    final Set<String> allocations = new LinkedHashSet<>();
    final Set<String> referrals = new LinkedHashSet<>();
    private final List<Target> targets;

    // what is known: looked up, then updated line by line
    private final Set<String> storedEventIds = new HashSet<>();
    private final Map<Target, Set<String>> known = new HashMap<>();
    private final Map<String, List<Spell>> spells = new HashMap<>();
    private final Map<String, String> allocationStarts = new HashMap<>();
    private final Map<String, String> referralDates = new HashMap<>();

    // the outcome
    private final List<EventReceipt.Outcome> outcomes = new ArrayList<>();
    private final List<EventLine> accepted = new ArrayList<>();
    /** By dataset name (a Dataset's own hash would walk all its columns). */
    private final Map<String, Map<List<String>, Write>> writes = new HashMap<>();

    EventBatch(List<EventLine> lines) {
        this.lines = lines;
        for (EventLine l : lines) {
            if (l.eventId() != null) {
                eventIds.add(l.eventId());
            }
            if (!l.valid()) {
                continue;
            }
            EventType type = l.type();
            if (type.wholeRow()) {
                for (Reference ref : type.references()) {
                    String v = l.value(ref.columns().get(0));
                    if (v != null) {
                        references.computeIfAbsent(target(ref), t -> new LinkedHashSet<>()).add(v);
                    }
                }
            }
            switch (type) {
                case STAFF_LEFT -> spellsOf.add(l.value("staff_id"));
                case ALLOCATION_ENDED -> allocations.add(l.value("allocation_id"));
                case REFERRAL_ALLOCATED -> referrals.add(l.value("referral_id"));
                default -> { }
            }
        }
        references.keySet().forEach(t -> known.put(t, new HashSet<>()));
        targets = List.copyOf(references.keySet());
    }

    int size() {
        return lines.size();
    }

    /** Whether anything must be looked up: otherwise every line was refused on its own. */
    boolean needsDatabase() {
        return !eventIds.isEmpty() || lines.stream().anyMatch(EventLine::valid);
    }

    /** The datasets that valid lines write, in load order (the order file imports lock them in). */
    List<String> datasets() {
        Set<String> names = new HashSet<>();
        for (EventLine l : lines) {
            if (l.valid()) {
                names.add(l.type().dataset().name());
            }
        }
        return Datasets.loadOrder().stream().filter(names::contains).toList();
    }

    /** One stored fact, as the lookup answers it ({@link EventStatements#lookup}). */
    void found(String kind, String a, String b, String c, String d) {
        switch (kind) {
            case "event" -> storedEventIds.add(a);
            case "spell" -> spells.computeIfAbsent(a, k -> new ArrayList<>()).add(new Spell(b, c, d));
            case "allocation" -> allocationStarts.put(a, b);
            case "referral" -> referralDates.put(a, b);
            default -> known.get(targets.get(Integer.parseInt(kind.substring(1)))).add(a); // "r0", "r1", ...
        }
    }

    /** Plays every line in order over what is known: each is applied, a duplicate, or rejected. */
    void resolve() {
        Map<String, Integer> acceptedIds = new HashMap<>();
        for (EventLine l : lines) {
            if (l.eventId() != null) {
                if (storedEventIds.contains(l.eventId())) {
                    outcome(l, EventReceipt.DUPLICATE, List.of(), List.of("event_id already received in an earlier request"));
                    continue;
                }
                Integer first = acceptedIds.get(l.eventId());
                if (first != null) {
                    outcome(l, EventReceipt.DUPLICATE, List.of(), List.of("event_id already received on line " + first));
                    continue;
                }
            }
            List<EventError> errors = new ArrayList<>(l.errors());
            if (errors.isEmpty()) {
                apply(l, errors);
            }
            if (!errors.isEmpty()) {
                outcome(l, EventReceipt.REJECTED, errors, l.warnings());
                continue;
            }
            outcome(l, EventReceipt.APPLIED, List.of(), l.warnings());
            accepted.add(l);
            if (l.eventId() != null) {
                acceptedIds.put(l.eventId(), l.line());
            }
        }
    }

    /** Every line rejected on its own, without looking anything up. */
    void rejectAll() {
        for (EventLine l : lines) {
            outcome(l, EventReceipt.REJECTED, l.errors(), l.warnings());
        }
    }

    List<EventReceipt.Outcome> outcomes() {
        return outcomes;
    }

    List<EventLine> accepted() {
        return accepted;
    }

    /** Each dataset's records to write, sorted by key so that concurrent requests lock rows in one order. */
    List<Records> writes() {
        List<Records> sorted = new ArrayList<>();
        for (String name : Datasets.loadOrder()) {
            Map<List<String>, Write> records = writes.get(name);
            if (records != null) {
                List<Map.Entry<List<String>, Write>> entries = new ArrayList<>(records.entrySet());
                entries.sort(Map.Entry.comparingByKey(KEY_ORDER));
                sorted.add(new Records(Datasets.byName(name).orElseThrow(), entries));
            }
        }
        return sorted;
    }

    private static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private void outcome(EventLine l, String status, List<EventError> errors, List<String> warnings) {
        outcomes.add(new EventReceipt.Outcome(l.line(), l.eventId(), l.type() == null ? null : l.type().wire(), status,
                errors, warnings));
    }

    private void apply(EventLine l, List<EventError> errors) {
        switch (l.type()) {
            case STAFF_LEFT -> staffLeft(l, errors);
            case ALLOCATION_ENDED -> ended(l, errors, "allocation_id", allocationStarts, "end_date",
                    "no allocation with this allocation_id in the stored allocations or earlier in this request",
                    "end_date is before the allocation's start_date");
            case REFERRAL_ALLOCATED -> ended(l, errors, "referral_id", referralDates, "allocated_date",
                    "no referral with this referral_id in the stored referrals or earlier in this request",
                    "allocated_date is before the referral's referral_date");
            default -> row(l, errors);
        }
    }

    /** A whole row: its references must resolve; then it is what the request knows of that record. */
    private void row(EventLine l, List<EventError> errors) {
        EventType type = l.type();
        Dataset d = type.dataset();
        String[] values = l.values();
        for (Reference ref : type.references()) {
            String column = ref.columns().get(0);
            String v = l.value(column);
            if (v != null && !known.get(target(ref)).contains(v)) {
                errors.add(new EventError(column, v, "no " + ref.what() + " with this " + column + " in the stored "
                        + ref.targetTable() + " or earlier in this request"));
            }
        }
        if (!errors.isEmpty()) {
            return;
        }
        switch (l.type()) {
            case STAFF_STARTED -> {
                List<Spell> person = spells.computeIfAbsent(l.value("staff_id"), k -> new ArrayList<>());
                person.removeIf(s -> s.team.equals(l.value("team_id")) && s.start.equals(l.value("start_date")));
                person.add(new Spell(l.value("team_id"), l.value("start_date"), l.value("end_date")));
            }
            case ALLOCATION_STARTED -> allocationStarts.put(l.value("allocation_id"), l.value("start_date"));
            case REFERRAL_RECEIVED -> referralDates.put(l.value("referral_id"), l.value("referral_date"));
            default -> { }
        }
        known.forEach((t, ids) -> {
            String v = t.table().equals(d.table()) ? l.value(t.column()) : null;
            if (v != null) {
                ids.add(v);
            }
        });
        List<String> key = type.key(values);
        writes.computeIfAbsent(d.name(), k -> new LinkedHashMap<>()).put(key, new Write(values.clone(), null, null));
    }

    /** Ends the spell the event names, or else the person's one open spell. */
    private void staffLeft(EventLine l, List<EventError> errors) {
        String staff = l.value("staff_id");
        String end = l.value("end_date");
        String team = l.value("team_id");
        String start = l.value("start_date");
        List<Spell> all = spells.getOrDefault(staff, List.of());
        if (all.isEmpty()) {
            errors.add(new EventError("staff_id", staff,
                    "no staff member with this staff_id in the stored staff_spells or earlier in this request"));
            return;
        }
        List<Spell> named = all.stream()
                .filter(s -> (team == null || s.team.equals(team)) && (start == null || s.start.equals(start))).toList();
        String which = (team == null ? "" : " in team " + team) + (start == null ? "" : " starting " + start);
        Spell spell;
        if (team != null && start != null) {
            if (named.isEmpty()) {
                errors.add(new EventError("start_date", start, staff + " has no spell" + which));
                return;
            }
            spell = named.get(0);
        } else {
            List<Spell> open = named.stream().filter(s -> s.end == null).toList();
            // A leaver already recorded (say, by the HR file) and sent again is the same spell, not an error.
            List<Spell> endedThen = named.stream().filter(s -> end.equals(s.end)).toList();
            if (open.size() > 1) {
                errors.add(new EventError("staff_id", staff, staff + " has " + open.size() + " open spells" + which + " ("
                        + String.join(", ", open.stream().map(s -> "team " + s.team + " from " + s.start).toList())
                        + "): give team_id and start_date to say which one ended"));
                return;
            } else if (open.size() == 1) {
                spell = open.get(0);
            } else if (endedThen.size() == 1) {
                spell = endedThen.get(0);
            } else {
                errors.add(new EventError("staff_id", staff, staff + " has no open spell" + which
                        + " to end: give team_id and start_date to name the spell"));
                return;
            }
        }
        if (end.compareTo(spell.start) < 0) {
            errors.add(new EventError("end_date", end, "end_date is before the spell's start_date (" + spell.start + ")"));
            return;
        }
        spell.end = end;
        change(l, List.of(staff, spell.team, spell.start));
    }

    /** Ends (or allocates) a record stored or started earlier in the request; the date may not precede its start. */
    private void ended(EventLine l, List<EventError> errors, String idField, Map<String, String> starts, String dateField,
                       String unknown, String tooEarly) {
        String id = l.value(idField);
        String start = starts.get(id);
        String date = l.value(dateField);
        if (start == null) {
            errors.add(new EventError(idField, id, unknown));
        } else if (date.compareTo(start) < 0) {
            errors.add(new EventError(dateField, date, tooEarly + " (" + start + ")"));
        } else {
            change(l, List.of(id));
        }
    }

    /**
     * Records changes to one record. Onto a row written earlier in the request they are folded in;
     * an optional field left out keeps the value it had.
     */
    private void change(EventLine l, List<String> key) {
        EventType type = l.type();
        Dataset d = type.dataset();
        String[] changes = type.changes().stream().map(l::value).toArray(String[]::new);
        Map<List<String>, Write> records = writes.computeIfAbsent(d.name(), k -> new LinkedHashMap<>());
        Write earlier = records.get(key);
        if (earlier == null) {
            records.put(key, new Write(null, type, changes));
            return;
        }
        for (int i = 0; i < changes.length; i++) {
            if (changes[i] == null) {
                continue;
            }
            if (earlier.row != null) {
                earlier.row[d.indexOf(type.changes().get(i))] = changes[i];
            } else {
                earlier.changes[i] = changes[i];
            }
        }
    }

    private static Target target(Reference ref) {
        return new Target(ref.targetTable(), ref.targetColumns().get(0));
    }
}
