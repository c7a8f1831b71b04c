package org.workforcewatch.ingest;

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
 */
record Dataset(String name, String table, List<Column> columns, List<String> key, List<Reference> references,
               String currentWhen, BiConsumer<Row, RowProblems> rowRules, String history, Layout alternative) {

    static final String FORMAT_VERSION = "1.0";

    /** A value that must exist elsewhere: these columns must match a row of the target table. */
    record Reference(List<String> columns, String targetTable, List<String> targetColumns, boolean orSameFile,
                     String what) {
        static Reference to(String column, String targetTable, String targetColumn, String what) {
            return new Reference(List.of(column), targetTable, List.of(targetColumn), false, what);
        }
    }

    /** The canonical values of one valid row, by column name. */
    record Row(Dataset dataset, String[] values) {
        String get(String column) {
            return values[dataset.indexOf(column)];
        }
    }

    /** Where a row rule reports a problem with one of the row's cells. */
    interface RowProblems {
        void add(String column, String reason);
    }

    /**
     * A file layout other than the dataset's own columns, recognised by its header, whose rows are
     * turned into rows of the dataset (possibly several per line).
     */
    interface Layout {
        boolean recognises(List<String> header);

        List<Column> columns();

        /** Emits zero or more dataset rows (values in dataset column order) for one valid input row. */
        void expand(String[] values, java.util.function.Consumer<String[]> out);

        String description();
    }

    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " has no column " + column);
    }

    List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            names.add(c.name());
        }
        return names;
    }

    List<String> nonKeyColumns() {
        List<String> names = new ArrayList<>(columnNames());
        names.removeAll(key);
        return names;
    }

    // ---- SQL for one import, all on the temporary staging table "import_stage" ----

    static final String STAGE = "import_stage";

    /** A staging table with the line number and every column, typed, dropped at the end of the transaction. */
    String stageDdl() {
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE " + STAGE + " (line bigint NOT NULL");
        for (Column c : columns) {
            sql.append(", ").append(c.name()).append(' ').append(c.sqlType());
        }
        return sql.append(") ON COMMIT DROP").toString();
    }

    String copySql() {
        return "COPY " + STAGE + " (line, " + String.join(", ", columnNames()) + ") FROM STDIN";
    }

    /** Lines whose key already appeared on an earlier line of the same file, with that earlier line. */
    String duplicateKeySql() {
        String k = String.join(", ", key);
        return "SELECT s.line, f.first_line, " + keyText("s") + " AS key_value FROM " + STAGE + " s JOIN ("
                + "SELECT " + k + ", min(line) AS first_line FROM " + STAGE + " GROUP BY " + k + " HAVING count(*) > 1"
                + ") f USING (" + k + ") WHERE s.line <> f.first_line ORDER BY s.line LIMIT :limit";
    }

    /** Lines whose reference does not resolve, with the value that was not found. */
    String unresolvedSql(Reference ref) {
        StringBuilder match = new StringBuilder();
        StringBuilder notNull = new StringBuilder();
        StringBuilder sameFile = new StringBuilder();
        for (int i = 0; i < ref.columns().size(); i++) {
            String c = ref.columns().get(i);
            String tc = ref.targetColumns().get(i);
            match.append(i == 0 ? "" : " AND ").append("t.").append(tc).append(" = s.").append(c);
            notNull.append(" AND s.").append(c).append(" IS NOT NULL");
            sameFile.append(i == 0 ? "" : " AND ").append("o.").append(tc).append(" = s.").append(c);
        }
        String value = ref.columns().size() == 1 ? "s." + ref.columns().get(0)
                : "concat_ws(' / ', " + String.join(", ", ref.columns().stream().map(c -> "s." + c).toList()) + ")";
        return "SELECT s.line, " + value + " AS value FROM " + STAGE + " s WHERE true" + notNull
                + " AND NOT EXISTS (SELECT 1 FROM " + ref.targetTable() + " t WHERE " + match + ")"
                + (ref.orSameFile() ? " AND NOT EXISTS (SELECT 1 FROM " + STAGE + " o WHERE " + sameFile + ")" : "")
                + " ORDER BY s.line LIMIT :limit";
    }

    /**
     * Updates the stored rows whose key is staged and whose values differ, answering how many. Changed
     * versions also go to the history table, if any. Null for a dataset whose columns are all key.
     */
    String updateChangedSql() {
        List<String> rest = nonKeyColumns();
        if (rest.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("WITH changed AS (UPDATE " + table + " t SET ");
        for (String c : rest) {
            sql.append(c).append(" = s.").append(c).append(", ");
        }
        sql.append("import_id = :importId FROM ").append(STAGE).append(" s WHERE ").append(keyMatch("t", "s"))
                .append(" AND (").append(String.join(", ", rest.stream().map(c -> "t." + c).toList()))
                .append(") IS DISTINCT FROM (").append(String.join(", ", rest.stream().map(c -> "s." + c).toList()))
                .append(") RETURNING t.*)");
        return withHistory(sql, "changed");
    }

    /** Inserts the staged rows whose key is not stored yet, answering how many. */
    String insertNewSql() {
        String cols = String.join(", ", columnNames());
        String insert = "INSERT INTO " + table + " (" + cols + ", import_id) SELECT " + cols + ", :importId FROM " + STAGE
                + " s WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE " + keyMatch("t", "s") + ")";
        if (history == null) {
            return insert; // counted by the driver: no RETURNING, so a bulk load keeps nothing in memory
        }
        return withHistory(new StringBuilder("WITH added AS (" + insert + " RETURNING *)"), "added");
    }

    private String withHistory(StringBuilder sql, String cte) {
        if (history != null) {
            String cols = String.join(", ", columnNames());
            sql.append(", kept AS (INSERT INTO ").append(history).append(" (import_id, ").append(cols)
                    .append(") SELECT :importId, ").append(cols).append(" FROM ").append(cte).append(")");
        }
        return sql.append(" SELECT count(*) AS n FROM ").append(cte).toString();
    }

    /**
     * Flags current records that this full extract no longer holds (never ends or deletes them) and
     * answers every record flagged by it, with the total.
     */
    String flagMissingSql() {
        return "WITH missing AS (SELECT " + keyJson("t") + " AS record_key FROM " + table + " t WHERE " + currentWhen
                + " AND NOT EXISTS (SELECT 1 FROM " + STAGE + " s WHERE " + keyMatch("s", "t") + ")),"
                + " flagged AS (INSERT INTO missing_records (dataset, record_key, import_id)"
                + " SELECT :dataset, record_key, :importId FROM missing"
                + " ON CONFLICT (dataset, record_key) WHERE resolved_at IS NULL DO NOTHING)"
                + " SELECT record_key::text AS record_key, count(*) OVER () AS total FROM missing ORDER BY 1 LIMIT :limit";
    }

    /** Clears the flags of records that are back in this file. */
    String clearReturnedSql() {
        return "UPDATE missing_records m SET resolved_at = now(), resolution = 'back_in_extract', resolved_by = 'import '"
                + " || :importId WHERE m.dataset = :dataset AND m.resolved_at IS NULL AND EXISTS (SELECT 1 FROM " + STAGE
                + " s WHERE " + keyJson("s") + " = m.record_key)";
    }

    private String keyJson(String alias) {
        return "jsonb_build_object(" + String.join(", ", key.stream().map(k -> "'" + k + "', " + alias + "." + k).toList()) + ")";
    }

    private String keyText(String alias) {
        return "concat_ws(', ', " + String.join(", ", key.stream().map(k -> alias + "." + k + "::text").toList()) + ")";
    }

    private String keyMatch(String a, String b) {
        return String.join(" AND ", key.stream().map(k -> a + "." + k + " = " + b + "." + k).toList());
    }

    static String normaliseHeader(String h) {
        return h.strip().toLowerCase(Locale.ROOT);
    }
}
