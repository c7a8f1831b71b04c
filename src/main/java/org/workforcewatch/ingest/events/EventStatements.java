package org.workforcewatch.ingest.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.workforcewatch.ingest.ImportLocks;
import org.workforcewatch.ingest.csv.Column;
import org.workforcewatch.ingest.csv.Dataset;

/**
 * The SQL of one events request: a lock, one lookup and one write, whatever the number of events.
 * Each statement binds one array per column and reads it with {@code unnest}, never a round trip per
 * event, and there are few enough distinct statements for the driver to keep them prepared.
 */
final class EventStatements {

    /** A statement and its named parameters. */
    record Statement(String sql, Map<String, Object> binds) {
    }

    /**
     * Numbers the batch, and waits for any file import of the same datasets: events share the lock
     * that an import of a dataset takes alone (the same key as the importer's), so they never
     * interleave with an import's merge, yet run side by side with each other.
     */
    static final String NUMBER_AND_LOCK = "SELECT nextval('event_batches') AS batch, (SELECT count(*) FROM"
            + " (SELECT pg_advisory_xact_lock_shared(hashtext(k)) FROM unnest(CAST(:locks AS text[])) AS k) l) AS locks";


    /** The write statement of each shape (which datasets, whole rows or changes) met so far. */
    private static final Map<String, String> WRITES = new ConcurrentHashMap<>();

    private EventStatements() {
    }

    static String[] locks(List<String> datasets) {
        return datasets.stream().map(ImportLocks::key).toArray(String[]::new);
    }

    /**
     * Everything the request's lines need to know, in one query answering rows of
     * {@code (kind, a, b, c, d)} for {@link EventBatch#found}; null when there is nothing to ask.
     */
    static Statement lookup(EventBatch batch) {
        List<String> parts = new ArrayList<>();
        Map<String, Object> binds = new LinkedHashMap<>();
        if (!batch.eventIds.isEmpty()) {
            parts.add(part("'event'", "event_id", "NULL", "NULL", "NULL", "events WHERE event_id = ANY(CAST(:events AS text[]))"));
            binds.put("events", batch.eventIds.toArray(String[]::new));
        }
        int i = 0;
        for (Map.Entry<EventBatch.Target, Set<String>> ref : batch.references.entrySet()) {
            String c = ref.getKey().column();
            parts.add("SELECT DISTINCT " + part("'r" + i + "'", c, "NULL", "NULL", "NULL", ref.getKey().table()
                    + " WHERE " + c + " = ANY(CAST(:r" + i + " AS text[]))").substring("SELECT ".length()));
            binds.put("r" + i, ref.getValue().toArray(String[]::new));
            i++;
        }
        if (!batch.spellsOf.isEmpty()) {
            parts.add(part("'spell'", "staff_id", "team_id", "start_date", "end_date",
                    "staff_spells WHERE staff_id = ANY(CAST(:spells AS text[]))"));
            binds.put("spells", batch.spellsOf.toArray(String[]::new));
        }
        if (!batch.allocations.isEmpty()) {
            parts.add(part("'allocation'", "allocation_id", "start_date", "NULL", "NULL",
                    "allocations WHERE allocation_id = ANY(CAST(:allocations AS text[]))"));
            binds.put("allocations", batch.allocations.toArray(String[]::new));
        }
        if (!batch.referrals.isEmpty()) {
            parts.add(part("'referral'", "referral_id", "referral_date", "NULL", "NULL",
                    "referrals WHERE referral_id = ANY(CAST(:referrals AS text[]))"));
            binds.put("referrals", batch.referrals.toArray(String[]::new));
        }
        return parts.isEmpty() ? null : new Statement(String.join(" UNION ALL ", parts), binds);
    }

    private static String part(String kind, String a, String b, String c, String d, String from) {
        return "SELECT " + kind + " AS kind, " + a + "::text AS a, " + b + "::text AS b, " + c + "::text AS c, " + d
                + "::text AS d FROM " + from;
    }

    /** One part of the write: whole rows of a dataset, or one event type's changes to stored rows. */
    private record Part(Dataset dataset, EventType change) {
        String shape() {
            return change == null ? "rows:" + dataset.name() : "changes:" + change.wire();
        }
    }

    /**
     * Everything the accepted events write, as one statement of data-modifying CTEs: the events
     * themselves, then per dataset its whole rows and its changes. It answers how many events were
     * kept: a repeated event_id is skipped, so fewer than sent means a concurrent request stored one of
     * them first (and the caller rolls back).
     */
    static Statement write(long batch, List<EventLine> accepted, List<EventBatch.Records> writes) {
        Map<String, Object> binds = new LinkedHashMap<>();
        List<EventLine> sorted = new ArrayList<>(accepted);
        sorted.sort(Comparator.comparing(EventLine::eventId, Comparator.nullsFirst(Comparator.naturalOrder())));
        binds.put("batch", batch);
        binds.put("lines", sorted.stream().map(EventLine::line).toArray(Integer[]::new));
        binds.put("ids", column(sorted, EventLine::eventId));
        binds.put("types", column(sorted, l -> l.type().wire()));
        binds.put("times", column(sorted, EventLine::occurredAt));
        binds.put("payloads", column(sorted, EventLine::payload));
        List<Part> parts = new ArrayList<>();
        for (EventBatch.Records records : writes) {
            Dataset d = records.dataset();
            List<String[]> rows = new ArrayList<>();
            List<List<String>> keys = new ArrayList<>();
            List<String[]> changes = new ArrayList<>();
            EventType change = null;
            for (Map.Entry<List<String>, EventBatch.Write> r : records.byKey()) {
                if (r.getValue().row != null) {
                    rows.add(r.getValue().row);
                } else {
                    keys.add(r.getKey());
                    changes.add(r.getValue().changes);
                    change = r.getValue().change;
                }
            }
            if (!rows.isEmpty()) {
                String p = "p" + parts.size() + "_";
                parts.add(new Part(d, null));
                for (int i = 0; i < d.columns().size(); i++) {
                    int c = i;
                    binds.put(p + "c" + i, rows.stream().map(r -> r[c]).toArray(String[]::new));
                }
            }
            if (!keys.isEmpty()) {
                String p = "p" + parts.size() + "_";
                parts.add(new Part(d, change));
                for (int i = 0; i < d.key().size(); i++) {
                    int c = i;
                    binds.put(p + "k" + i, keys.stream().map(k -> k.get(c)).toArray(String[]::new));
                }
                for (int i = 0; i < change.changes().size(); i++) {
                    int c = i;
                    binds.put(p + "v" + i, changes.stream().map(v -> v[c]).toArray(String[]::new));
                }
            }
        }
        String shape = String.join(",", parts.stream().map(Part::shape).toList());
        return new Statement(WRITES.computeIfAbsent(shape, k -> writeSql(parts)), binds);
    }

    private static String writeSql(List<Part> parts) {
        StringBuilder sql = new StringBuilder("WITH kept AS (INSERT INTO events (batch, line, event_id, type, occurred_at, payload)"
                + " SELECT :batch, u.line, u.event_id, u.type, CAST(u.occurred_at AS timestamptz), CAST(u.payload AS jsonb)"
                + " FROM unnest(CAST(:lines AS integer[]), CAST(:ids AS text[]), CAST(:types AS text[]), CAST(:times AS text[]),"
                + " CAST(:payloads AS text[])) AS u(line, event_id, type, occurred_at, payload)"
                + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id)");
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            String p = "p" + i + "_";
            sql.append(", ").append(part.change() == null ? rowsCte(part.dataset(), p) : changesCte(part.change(), p));
        }
        return sql.append(" SELECT count(event_id) AS n FROM kept").toString();
    }

    /**
     * Upserts whole rows by the dataset's key, as a file would: a row whose values are already stored
     * is left alone; a changed one is rewritten (and its version kept, for a dataset with history).
     */
    private static String rowsCte(Dataset d, String p) {
        String names = String.join(", ", d.columnNames());
        List<String> rest = d.nonKeyColumns();
        StringBuilder sql = new StringBuilder(p).append("up AS (INSERT INTO ").append(d.table()).append(" AS t (").append(names)
                .append(", import_id").append(d.owned() ? ", source" : "").append(") SELECT ").append(names).append(", NULL")
                .append(d.owned() ? ", 'event'" : "").append(" FROM ").append(unnest(d.columns(), p + "c"))
                .append(" ON CONFLICT (").append(String.join(", ", d.key())).append(") DO UPDATE SET ");
        for (String c : rest) {
            sql.append(c).append(" = excluded.").append(c).append(", ");
        }
        sql.append("import_id = NULL").append(d.owned() ? ", source = 'event'" : "")
                .append(" WHERE (").append(String.join(", ", rest.stream().map(c -> "t." + c).toList()))
                .append(") IS DISTINCT FROM (").append(String.join(", ", rest.stream().map(c -> "excluded." + c).toList()))
                .append(")").append(d.owned() ? " OR t.source NOT IN ('file', 'event')" : "").append(" RETURNING t.*)");
        if (d.history() != null) {
            sql.append(", ").append(p).append("history AS (INSERT INTO ").append(d.history()).append(" (event_batch, ")
                    .append(names).append(") SELECT :batch, ").append(names).append(" FROM ").append(p).append("up)");
        }
        return sql.toString();
    }

    /**
     * Applies changes (an end date, an allocation date) to stored records by key. An optional field left
     * out keeps its stored value. The records are no longer current, so a "missing from the latest
     * extract" flag on one of them is answered.
     */
    private static String changesCte(EventType type, String p) {
        Dataset d = type.dataset();
        List<String> key = d.key();
        List<String> changed = type.changes();
        List<Column> columns = new ArrayList<>();
        List<String> params = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            columns.add(d.columns().get(d.indexOf(key.get(i))));
            params.add(":" + p + "k" + i);
        }
        for (int i = 0; i < changed.size(); i++) {
            columns.add(d.columns().get(d.indexOf(changed.get(i))));
            params.add(":" + p + "v" + i);
        }
        String s = p + "s";
        List<String> newValues = changed.stream().map(c -> "coalesce(" + s + "." + c + ", t." + c + ")").toList();
        StringBuilder sql = new StringBuilder(s).append(" AS (SELECT * FROM ").append(unnestNamed(columns, params)).append("), ")
                .append(p).append("up AS (UPDATE ").append(d.table()).append(" t SET ");
        for (int i = 0; i < changed.size(); i++) {
            sql.append(changed.get(i)).append(" = ").append(newValues.get(i)).append(", ");
        }
        sql.append("import_id = NULL").append(d.owned() ? ", source = 'event'" : "").append(" FROM ").append(s).append(" WHERE ")
                .append(String.join(" AND ", key.stream().map(k -> "t." + k + " = " + s + "." + k).toList()))
                .append(" AND ((").append(String.join(", ", changed.stream().map(c -> "t." + c).toList()))
                .append(") IS DISTINCT FROM (").append(String.join(", ", newValues)).append(")")
                .append(d.owned() ? " OR t.source NOT IN ('file', 'event')" : "").append(")), ")
                .append(p).append("answered AS (UPDATE missing_records m SET resolved_at = now(), resolution = 'ended_by_event',")
                .append(" resolved_by = 'event' FROM ").append(s).append(" WHERE m.dataset = '").append(d.name())
                .append("' AND m.resolved_at IS NULL AND m.record_key = jsonb_build_object(")
                .append(String.join(", ", key.stream().map(k -> "'" + k + "', " + s + "." + k).toList())).append("))");
        return sql.toString();
    }

    private static String unnest(List<Column> columns, String prefix) {
        List<String> params = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            params.add(":" + prefix + i);
        }
        return unnestNamed(columns, params);
    }

    /** {@code unnest(CAST(:c0 AS text[]), ...) AS s(name, ...)}: the arrays arrive as text, typed here. */
    private static String unnestNamed(List<Column> columns, List<String> params) {
        List<String> arrays = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            arrays.add("CAST(" + params.get(i) + " AS " + columns.get(i).sqlType() + "[])");
        }
        return "unnest(" + String.join(", ", arrays) + ") AS s(" + String.join(", ",
                columns.stream().map(Column::name).toList()) + ")";
    }

    private static String[] column(List<EventLine> lines, Function<EventLine, String> value) {
        return lines.stream().map(value).toArray(String[]::new);
    }
}
