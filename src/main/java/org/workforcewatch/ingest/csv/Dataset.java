package org.workforcewatch.ingest.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * A dataset of the import contract (docs/DATA-FORMATS.md): its columns, its key, the table it is
 * merged into, the references that must resolve, and which of its records are "current" (a current
 * record missing from a later full extract is flagged, never deleted).
 *
 * @param currentWhen SQL condition on the target table ({@code t}) for a current record; null when the
 *                    dataset has no notion of current (events such as supervision sessions)
 * @param rowRules    checks across the cells of one row, after each cell is valid on its own
 * @param history     table that keeps every version an import changed, or null
 * @param alternative another accepted file layout (e.g. the Department's published file), or null
 * @param targetKey   the target table's names for the key columns (the same names for native files)
 * @param merge       statements that merge the staged rows, each answering one row (inserted, updated,
 *                    warning), in place of the generic upsert into {@code table}; null for the generic one
 * @param owned       the target table has a {@code source} column and native files take over the rows
 *                    another source (an SSD extract) created
 * @param prelude     statements run before the merge, answering like it (e.g. retiring provisional rows)
 */
public record Dataset(String name, String table, List<Column> columns, List<String> key, List<Reference> references,
               String currentWhen, BiConsumer<Row, RowProblems> rowRules, String history, Layout alternative,
               List<String> targetKey, List<String> merge, boolean owned, List<String> prelude) {

    /** A native dataset merged by the generic upsert, its columns named as in its table. */
    public static Dataset of(String name, String table, List<Column> columns, List<String> key, List<Reference> references,
                      String currentWhen, BiConsumer<Row, RowProblems> rowRules) {
        return new Dataset(name, table, columns, key, references, currentWhen, rowRules, null, null, key, null, false, List.of());
    }

    public Dataset withHistory(String historyTable) {
        return new Dataset(name, table, columns, key, references, currentWhen, rowRules, historyTable, alternative,
                targetKey, merge, owned, prelude);
    }

    public Dataset withAlternative(Layout layout) {
        return new Dataset(name, table, columns, key, references, currentWhen, rowRules, history, layout, targetKey,
                merge, owned, prelude);
    }

    /** Rows this native file writes are marked as its own ({@code source = 'file'}). */
    public Dataset owningRows() {
        return new Dataset(name, table, columns, key, references, currentWhen, rowRules, history, alternative,
                targetKey, merge, true, prelude);
    }

    /** Runs these statements before the merge. */
    public Dataset withPrelude(List<String> statements) {
        return new Dataset(name, table, columns, key, references, currentWhen, rowRules, history, alternative, targetKey,
                merge, owned, statements);
    }

    /**
     * Every statement that merges the staged rows, in order; each answers one row of
     * {@code inserted, updated, warning}.
     */
    public List<String> mergeStatements() {
        List<String> all = new ArrayList<>(prelude);
        if (merge != null) {
            all.addAll(merge);
        } else {
            String update = updateChangedSql();
            if (update != null) {
                all.add(update);
            }
            all.add(insertNewSql());
        }
        return all;
    }

    /** Merged by these statements into {@code table}, whose key columns are {@code targetKey}. */
    public Dataset mergedBy(List<String> targetKeyColumns, List<String> statements) {
        return new Dataset(name, table, columns, key, references, currentWhen, rowRules, history, alternative,
                targetKeyColumns, statements, owned, prelude);
    }


    /** A value that must exist elsewhere: these columns must match a row of the target table. */
    public record Reference(List<String> columns, String targetTable, List<String> targetColumns, boolean orSameFile,
                     String what) {
        public static Reference to(String column, String targetTable, String targetColumn, String what) {
            return new Reference(List.of(column), targetTable, List.of(targetColumn), false, what);
        }
    }

    /** The canonical values of one valid row, by column name. */
    public record Row(Dataset dataset, String[] values) {
        public String get(String column) {
            return values[dataset.indexOf(column)];
        }
    }

    /** Where a row rule reports a problem with one of the row's cells. */
    public interface RowProblems {
        void add(String column, String reason);
    }

    /**
     * A file layout other than the dataset's own columns, recognised by its header, whose rows are
     * turned into rows of the dataset (possibly several per line).
     */
    public interface Layout {
        boolean recognises(List<String> header);

        List<Column> columns();

        /** Emits zero or more dataset rows (values in dataset column order) for one valid input row. */
        void expand(String[] values, java.util.function.Consumer<String[]> out);

        String description();
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " has no column " + column);
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            names.add(c.name());
        }
        return names;
    }

    public List<String> nonKeyColumns() {
        List<String> names = new ArrayList<>(columnNames());
        names.removeAll(key);
        return names;
    }

    // ---- SQL for one import, all on the temporary staging table "import_stage" ----

    public static final String STAGE = "import_stage";

    /** A staging table with the line number and every column, typed, dropped at the end of the transaction. */
    public String stageDdl() {
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE " + STAGE + " (line bigint NOT NULL");
        for (Column c : columns) {
            sql.append(", ").append(c.name()).append(' ').append(c.sqlType());
        }
        return sql.append(") ON COMMIT DROP").toString();
    }

    public String copySql() {
        return "COPY " + STAGE + " (line, " + String.join(", ", columnNames()) + ") FROM STDIN";
    }

    /** Lines whose key already appeared on an earlier line of the same file, with that earlier line. */
    public String duplicateKeySql() {
        String k = String.join(", ", key);
        return "SELECT s.line, f.first_line, " + keyText("s") + " AS key_value FROM " + STAGE + " s JOIN ("
                + "SELECT " + k + ", min(line) AS first_line FROM " + STAGE + " GROUP BY " + k + " HAVING count(*) > 1"
                + ") f USING (" + k + ") WHERE s.line <> f.first_line ORDER BY s.line LIMIT :limit";
    }

    /** Lines whose reference does not resolve, with the value that was not found. */
    public String unresolvedSql(Reference ref) {
        StringBuilder match = new StringBuilder();
        StringBuilder notNull = new StringBuilder();
        StringBuilder sameFile = new StringBuilder();
        for (int i = 0; i < ref.columns().size(); i++) {
            String c = ref.columns().get(i);
            String tc = ref.targetColumns().get(i);
            match.append(i == 0 ? "" : " AND ").append("t.").append(tc).append(" = s.").append(c);
            notNull.append(" AND s.").append(c).append(" IS NOT NULL");
            // a reference into this same file names the target's column; the file may call it otherwise
            String inFile = targetKey.contains(tc) ? key.get(targetKey.indexOf(tc)) : tc;
            sameFile.append(i == 0 ? "" : " AND ").append("o.").append(inFile).append(" = s.").append(c);
        }
        String value = ref.columns().size() == 1 ? "s." + ref.columns().get(0)
                : "concat_ws(' / ', " + String.join(", ", ref.columns().stream().map(c -> "s." + c).toList()) + ")";
        return "SELECT s.line, " + value + " AS value FROM " + STAGE + " s WHERE true" + notNull
                + " AND NOT EXISTS (SELECT 1 FROM " + ref.targetTable() + " t WHERE " + match + ")"
                + (ref.orSameFile() ? " AND NOT EXISTS (SELECT 1 FROM " + STAGE + " o WHERE " + sameFile + ")" : "")
                + " ORDER BY s.line LIMIT :limit";
    }

    /**
     * Updates the stored rows whose key is staged and whose values differ. Changed
     * versions also go to the history table, if any. Null for a dataset whose columns are all key.
     */
    public String updateChangedSql() {
        List<String> rest = nonKeyColumns();
        if (rest.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("WITH changed AS (UPDATE " + table + " t SET ");
        for (String c : rest) {
            sql.append(c).append(" = s.").append(c).append(", ");
        }
        sql.append(owned ? "source = 'file', " : "");
        sql.append("import_id = :importId FROM ").append(STAGE).append(" s WHERE ").append(keyMatch("t", "s"))
                .append(" AND ((").append(String.join(", ", rest.stream().map(c -> "t." + c).toList()))
                .append(") IS DISTINCT FROM (").append(String.join(", ", rest.stream().map(c -> "s." + c).toList()))
                .append(")").append(owned ? " OR t.source <> 'file'" : "").append(") RETURNING t.*)");
        return withHistory(sql, "changed", "0::bigint AS inserted, count(*) AS updated");
    }

    /** Inserts the staged rows whose key is not stored yet. */
    public String insertNewSql() {
        String cols = String.join(", ", columnNames());
        String insert = "INSERT INTO " + table + " (" + cols + ", import_id) SELECT " + cols + ", :importId FROM " + STAGE
                + " s WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE " + keyMatch("t", "s") + ")";
        return withHistory(new StringBuilder("WITH added AS (" + insert + (history == null ? " RETURNING 1)" : " RETURNING *)")),
                "added", "count(*) AS inserted, 0::bigint AS updated");
    }

    private String withHistory(StringBuilder sql, String cte, String counts) {
        if (history != null) {
            String cols = String.join(", ", columnNames());
            sql.append(", kept AS (INSERT INTO ").append(history).append(" (import_id, ").append(cols)
                    .append(") SELECT :importId, ").append(cols).append(" FROM ").append(cte).append(")");
        }
        return sql.append(" SELECT ").append(counts).append(", NULL::text AS warning FROM ").append(cte).toString();
    }

    /**
     * Flags current records that this full extract no longer holds (never ends or deletes them) and
     * answers every record flagged by it, with the total.
     */
    public String flagMissingSql() {
        return "WITH missing AS (SELECT " + keyJson("t", targetKey) + " AS record_key FROM " + table + " t WHERE " + currentWhen
                + " AND NOT EXISTS (SELECT 1 FROM " + STAGE + " s WHERE " + stageMatchesTarget() + ")),"
                + " flagged AS (INSERT INTO missing_records (dataset, record_key, import_id)"
                + " SELECT :dataset, record_key, :importId FROM missing"
                + " ON CONFLICT (dataset, record_key) WHERE resolved_at IS NULL DO NOTHING)"
                + " SELECT record_key::text AS record_key, count(*) OVER () AS total FROM missing ORDER BY 1 LIMIT :limit";
    }

    /** Clears the flags of records that are back in this file. */
    public String clearReturnedSql() {
        return "UPDATE missing_records m SET resolved_at = now(), resolution = 'back_in_extract', resolved_by = 'import '"
                + " || :importId WHERE m.dataset = :dataset AND m.resolved_at IS NULL AND EXISTS (SELECT 1 FROM " + STAGE
                + " s WHERE " + keyJson("s", key) + " = m.record_key)";
    }

    /** The record's key as stored in a flag: named as in the target table, whatever the file calls it. */
    private String keyJson(String alias, List<String> columnsOfAlias) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < targetKey.size(); i++) {
            pairs.add("'" + targetKey.get(i) + "', " + alias + "." + columnsOfAlias.get(i));
        }
        return "jsonb_build_object(" + String.join(", ", pairs) + ")";
    }

    private String stageMatchesTarget() {
        List<String> eq = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            eq.add("s." + key.get(i) + " = t." + targetKey.get(i));
        }
        return String.join(" AND ", eq);
    }

    private String keyText(String alias) {
        return "concat_ws(', ', " + String.join(", ", key.stream().map(k -> alias + "." + k + "::text").toList()) + ")";
    }

    private String keyMatch(String a, String b) {
        return String.join(" AND ", key.stream().map(k -> a + "." + k + " = " + b + "." + k).toList());
    }

    public static String normaliseHeader(String h) {
        return h.strip().toLowerCase(Locale.ROOT);
    }
}
