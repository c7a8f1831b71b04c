package org.workforcewatch.ingest.census;

import io.r2dbc.postgresql.codec.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.ingest.ImportLocks;
import org.workforcewatch.ingest.census.CensusFile.Worker;
import org.workforcewatch.staffing.StaffRole;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores a checked census return inside the import's transaction: the year's snapshot (replaced only
 * when the file differs from what is stored), then the staff spells and sickness absences the snapshot
 * implies, in the same tables the native HR files fill.
 *
 * <p>Only workers whose cost centre {@code workforce.census.team-mapping} maps to a stored team get spells and
 * absences; the others stay in the snapshot alone and are listed for a person to confirm. Census spells are
 * marked {@code source = 'census'}. A spell is derived from the latest stored return
 * that holds its key (SWENo, team, RoleStartDate), so loading an older year after a newer one does not
 * turn back a spell the newer one ended. A row another source wrote (the HR staff or absence file, an
 * SSD extract) is never overwritten: each differing field is recorded in {@code source_conflicts}.
 */
@Component
class CensusStore {

    static final String SOURCE = "census";

    /** What the import did to the shared datasets, and what the receipt should say about it. */
    record Outcome(long inserted, long updated, long unchanged, List<String> notes) {
    }

    private static final String FILE_COLUMNS = "worker_index, swe_no, agency, fte, fte30, org_role, cfkss_status,"
            + " role_start_date, role_end_date, reason_leave, cases30, working_days_lost, contract_weeks, absent_at_30_sept,"
            + " reason_absence, cost_centre";
    /** The file's columns and the placement: the team the cost centre is mapped to, and the team it was placed in. */
    private static final String WORKER_COLUMNS = FILE_COLUMNS + ", mapped_team, team_id";

    // The mapping from a census worker to a staff spell (README "Loading the workforce census return").
    private static final String SPELL_FTE = "round(CASE WHEN w.fte > 0 THEN w.fte ELSE w.fte30 END, 4)";
    private static final String ROLE = """
            CASE WHEN w.org_role IN (1, 2) THEN %s
                 WHEN w.org_role = 3 THEN %s
                 WHEN w.org_role = 4 THEN %s
                 WHEN w.cfkss_status = 1 THEN %s
                 ELSE %s END""".formatted(StaffRole.SERVICE_MANAGER.sql(), StaffRole.TEAM_MANAGER.sql(),
            StaffRole.SENIOR_PRACTITIONER.sql(), StaffRole.ASYE.sql(), StaffRole.SOCIAL_WORKER.sql());
    private static final String LEAVING_REASON = """
            CASE WHEN w.role_end_date IS NULL OR w.reason_leave IS NULL THEN NULL
                 WHEN w.reason_leave = 7 THEN 'internal_move'
                 WHEN w.reason_leave = 1 THEN 'resigned'
                 WHEN w.reason_leave = 4 THEN 'dismissed'
                 WHEN w.reason_leave = 5 THEN 'retired'
                 ELSE 'other' END""";
    private static final String YEAR_START = "(r.reference_date - interval '1 year' + interval '1 day')::date";

    private static final String SPELL_SOURCE = """
            CREATE TEMP TABLE census_spell_source ON COMMIT DROP AS
            SELECT DISTINCT ON (w.swe_no, w.team_id, w.role_start_date)
                   w.swe_no::varchar(64) AS staff_id, w.team_id, w.role_start_date AS start_date,
                   %s AS role,
                   CASE WHEN w.agency THEN 'agency' ELSE 'permanent' END AS employment,
                   %s AS fte, w.role_end_date AS end_date,
                   %s AS leaving_reason,
                   (w.org_role IS NOT DISTINCT FROM 5 OR coalesce(w.cases30, 0) > 0) AS case_holding
            FROM census_workers w JOIN census_returns r ON r.id = w.return_id
            WHERE w.role_start_date IS NOT NULL AND w.team_id IS NOT NULL AND %2$s > 0
              AND EXISTS (SELECT 1 FROM census_spell_keys k
                          WHERE k.staff_id = w.swe_no AND k.team_id = w.team_id AND k.start_date = w.role_start_date)
            ORDER BY w.swe_no, w.team_id, w.role_start_date, r.reference_date DESC
            """.formatted(ROLE, SPELL_FTE, LEAVING_REASON);

    private static final String SPELL_KEY = "jsonb_build_object('staff_id', staff_id, 'team_id', team_id, 'start_date', start_date)";
    private static final String ABSENCE_KEY = "jsonb_build_object('staff_id', staff_id, 'start_date', start_date)";

    private static final String SPELL_CONFLICTS = conflictsSql("staff", "staff_spells s", "census_spell_source c",
            "s.staff_id = c.staff_id AND s.team_id = c.team_id AND s.start_date = c.start_date", "s.source <> 'census'",
            "c.staff_id, c.team_id, c.start_date", """
            ('role', s.role, c.role), ('employment', s.employment, c.employment),
            ('fte', trim_scale(s.fte)::text, trim_scale(c.fte)::text), ('end_date', s.end_date::text, c.end_date::text),
            ('leaving_reason', s.leaving_reason, c.leaving_reason),
            ('case_holding', s.case_holding::text, c.case_holding::text)""", SPELL_KEY, "census_spell_keys");

    private static final String CENSUS_IMPORTS = "(SELECT id FROM imports WHERE dataset = 'census')";
    private static final String ABSENCE_OWNED = "a.import_id IN " + CENSUS_IMPORTS;

    private static final String ABSENCE_CONFLICTS = conflictsSql("absence", "absence a", "census_absence_source c",
            "a.staff_id = c.staff_id AND a.start_date = c.start_date",
            "(a.import_id IS NULL OR a.import_id NOT IN " + CENSUS_IMPORTS + ")", "c.staff_id, c.start_date", """
            ('end_date', a.end_date::text, c.end_date::text), ('reason', a.reason, c.reason),
            ('working_days_lost', trim_scale(a.working_days_lost)::text, trim_scale(c.working_days_lost)::text)""",
            ABSENCE_KEY, "census_absence_keys");

    private final DatabaseClient db;
    private final JsonMapper json;

    CensusStore(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Runs inside the caller's transaction. A worker is placed in the team its cost centre is mapped to, when that
     * team is stored; only placed workers get staff spells and absences.
     */
    Mono<Outcome> store(long importId, CensusFile file, Map<String, String> teamMapping) {
        List<String> notes = new ArrayList<>();
        return lock("census").then(lock("staff")).then(lock("absence"))
                .then(run("CREATE TEMP TABLE census_stage (worker_index integer, swe_no varchar(12), agency boolean,"
                        + " fte numeric, fte30 numeric, org_role smallint, cfkss_status smallint, role_start_date date,"
                        + " role_end_date date, reason_leave smallint, cases30 integer, working_days_lost numeric,"
                        + " contract_weeks numeric, absent_at_30_sept boolean, reason_absence text, cost_centre text,"
                        + " mapped_team varchar(64), team_id varchar(64)) ON COMMIT DROP"))
                .then(run("CREATE TEMP TABLE census_spell_keys (staff_id varchar(64), team_id varchar(64), start_date date)"
                        + " ON COMMIT DROP"))
                .then(run("CREATE TEMP TABLE census_absence_keys (staff_id varchar(64), start_date date) ON COMMIT DROP"))
                .then(db.sql("INSERT INTO census_stage (" + FILE_COLUMNS + ") SELECT * FROM jsonb_to_recordset(CAST(:workers AS jsonb))"
                                + " AS x(worker_index integer, swe_no varchar(12), agency boolean, fte numeric,"
                                + " fte30 numeric, org_role smallint, cfkss_status smallint, role_start_date date, role_end_date date, reason_leave smallint,"
                                + " cases30 integer, working_days_lost numeric, contract_weeks numeric,"
                                + " absent_at_30_sept boolean, reason_absence text, cost_centre text)")
                        .bind("workers", Json.of(json.writeValueAsString(rows(file.workers())))).then())
                .then(place(teamMapping, notes))
                .then(snapshot(importId, file, notes))
                .flatMap(returnId -> run("INSERT INTO census_spell_keys SELECT swe_no, team_id, role_start_date"
                                + " FROM census_stage WHERE role_start_date IS NOT NULL AND team_id IS NOT NULL")
                        .then(db.sql("INSERT INTO census_absence_keys SELECT DISTINCT swe_no, :start FROM census_stage")
                                .bind("start", file.yearStart()).then())
                        .then(spells(importId, notes))
                        .flatMap(s -> absences(importId, returnId, notes)
                                .map(a -> new long[] {s[0] + a[0], s[1] + a[1], s[2] + a[2]})))
                .map(counts -> new Outcome(counts[0], counts[1], counts[2], List.copyOf(notes)));
    }

    private Mono<Void> lock(String dataset) {
        // the same lock the CSV import of that dataset takes: one writer of a table's rows at a time
        return ImportLocks.take(db, dataset);
    }

    private Mono<Void> run(String sql) {
        return db.sql(sql).then();
    }

    /**
     * Places each staged worker: the team its cost centre is mapped to, when that team is stored. Says in the receipt
     * how many were placed and why the others were not.
     */
    private Mono<Void> place(Map<String, String> teamMapping, List<String> notes) {
        List<Map<String, String>> mapping = teamMapping.entrySet().stream()
                .map(e -> Map.of("cost_centre", e.getKey(), "team_id", e.getValue())).toList();
        return db.sql("UPDATE census_stage s SET mapped_team = m.team_id,"
                        + " team_id = (SELECT t.team_id FROM teams t WHERE t.team_id = m.team_id)"
                        + " FROM jsonb_to_recordset(CAST(:mapping AS jsonb)) AS m(cost_centre text, team_id varchar(64))"
                        + " WHERE lower(btrim(s.cost_centre)) = m.cost_centre")
                .bind("mapping", Json.of(json.writeValueAsString(mapping))).then()
                .then(db.sql("SELECT count(*) AS workers, count(team_id) AS placed,"
                                + " count(*) FILTER (WHERE cost_centre IS NULL) AS no_centre,"
                                + " count(*) FILTER (WHERE cost_centre IS NOT NULL AND mapped_team IS NULL) AS unmapped,"
                                + " count(*) FILTER (WHERE mapped_team IS NOT NULL AND team_id IS NULL) AS unknown_team"
                                + " FROM census_stage")
                        .map(row -> new Placement(row.get("workers", Long.class), row.get("placed", Long.class),
                                row.get("no_centre", Long.class), row.get("unmapped", Long.class),
                                row.get("unknown_team", Long.class)))
                        .one())
                .doOnNext(p -> p.note(notes)).then();
    }

    /** How many of a return's workers were placed in a team, and why the others were not. */
    record Placement(long workers, long placed, long noCostCentre, long unmapped, long unknownTeam) {

        void note(List<String> notes) {
            long notPlaced = workers - placed;
            if (notPlaced == 0) {
                notes.add("all " + workers + " workers placed in teams by workforce.census.team-mapping");
                return;
            }
            List<String> why = new ArrayList<>();
            if (noCostCentre > 0) {
                why.add(noCostCentre + " without a CostCentre");
            }
            if (unmapped > 0) {
                why.add(unmapped + " with a cost centre workforce.census.team-mapping does not name");
            }
            if (unknownTeam > 0) {
                why.add(unknownTeam + " mapped to a team that is not stored");
            }
            notes.add(placed + " of " + workers + " workers placed in teams by workforce.census.team-mapping; "
                    + notPlaced + " not placed (" + String.join(", ", why) + "): they count in the census figures"
                    + " (GET /api/census) but not in the live ones, and are listed at /api/data-quality to confirm");
        }
    }

    /** The year's return: kept as it is when the file says the same, else replaced whole. Gives its id. */
    private Mono<Long> snapshot(long importId, CensusFile file, List<String> notes) {
        String cols = WORKER_COLUMNS;
        GenericExecuteSpec existing = db.sql("SELECT r.id, r.import_id, r.la_code,"
                + " (r.reference_date, r.la_code, r.vacancies_fte, r.agency_fte, r.agency_headcount)"
                + " IS NOT DISTINCT FROM (:ref, :la, :vacancies, :agencyFte, :agencyHeadcount) AS same_header,"
                + " NOT EXISTS (SELECT " + cols + " FROM census_workers WHERE return_id = r.id"
                + " EXCEPT ALL SELECT " + cols + " FROM census_stage)"
                + " AND NOT EXISTS (SELECT " + cols + " FROM census_stage"
                + " EXCEPT ALL SELECT " + cols + " FROM census_workers WHERE return_id = r.id) AS same_workers"
                + " FROM census_returns r WHERE r.collection_year = :year");
        existing = header(existing, file).bind("year", file.year());
        return existing.map(row -> new Stored(row.get("id", Long.class), row.get("import_id", Long.class),
                        row.get("la_code", String.class), Boolean.TRUE.equals(row.get("same_header", Boolean.class))
                        && Boolean.TRUE.equals(row.get("same_workers", Boolean.class))))
                .one()
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(found -> {
                    if (found.isPresent() && found.get().same()) {
                        return Mono.just(found.get().id());
                    }
                    found.ifPresent(f -> notes.add("replaces the " + file.year() + " return stored by import " + f.importId()
                            + (f.laCode() != null && file.laCode() != null && !f.laCode().equals(file.laCode())
                            ? " (that return was for authority " + f.laCode() + ", this one is for " + file.laCode() + ")"
                            : "")));
                    return run("INSERT INTO census_spell_keys SELECT w.swe_no, w.team_id, w.role_start_date"
                            + " FROM census_workers w JOIN census_returns r ON r.id = w.return_id"
                            + " WHERE r.collection_year = " + file.year() + " AND w.role_start_date IS NOT NULL"
                            + " AND w.team_id IS NOT NULL")
                            .then(run("INSERT INTO census_absence_keys SELECT DISTINCT w.swe_no, " + YEAR_START
                                    + " FROM census_workers w JOIN census_returns r ON r.id = w.return_id"
                                    + " WHERE r.collection_year = " + file.year()))
                            .then(header(db.sql("INSERT INTO census_returns (collection_year, reference_date, la_code,"
                                    + " vacancies_fte, agency_fte, agency_headcount, import_id)"
                                    + " VALUES (:year, :ref, :la, :vacancies, :agencyFte, :agencyHeadcount, :importId)"
                                    + " ON CONFLICT (collection_year) DO UPDATE SET reference_date = EXCLUDED.reference_date,"
                                    + " la_code = EXCLUDED.la_code,"
                                    + " vacancies_fte = EXCLUDED.vacancies_fte, agency_fte = EXCLUDED.agency_fte,"
                                    + " agency_headcount = EXCLUDED.agency_headcount, import_id = EXCLUDED.import_id,"
                                    + " loaded_at = now() RETURNING id"), file)
                                    .bind("year", file.year()).bind("importId", importId)
                                    .map(row -> row.get("id", Long.class)).one())
                            .flatMap(id -> db.sql("DELETE FROM census_workers WHERE return_id = :id").bind("id", id).then()
                                    .then(db.sql("INSERT INTO census_workers (return_id, " + cols + ") SELECT :id, " + cols
                                            + " FROM census_stage").bind("id", id).then())
                                    .thenReturn(id));
                });
    }

    private record Stored(long id, Long importId, String laCode, boolean same) {
    }

    private static GenericExecuteSpec header(GenericExecuteSpec spec, CensusFile file) {
        spec = spec.bind("ref", file.referenceDate()).bind("vacancies", file.vacanciesFte())
                .bind("agencyFte", file.agencyFte()).bind("agencyHeadcount", file.agencyHeadcount());
        return file.laCode() == null ? spec.bindNull("la", String.class) : spec.bind("la", file.laCode());
    }

    /** Inserted, updated (removed included) and unchanged staff spells of the affected keys. */
    private Mono<long[]> spells(long importId, List<String> notes) {
        return run(SPELL_SOURCE)
                .then(conflicts(SPELL_CONFLICTS, importId, notes, "staff spell(s)", "the HR staff file or an SSD extract"))
                .then(count(db.sql("UPDATE staff_spells s SET role = c.role, employment = c.employment, fte = c.fte,"
                        + " end_date = c.end_date, leaving_reason = c.leaving_reason, case_holding = c.case_holding,"
                        + " import_id = :importId FROM census_spell_source c"
                        + " WHERE s.staff_id = c.staff_id AND s.team_id = c.team_id AND s.start_date = c.start_date"
                        + " AND s.source = 'census' AND (s.role, s.employment, s.fte, s.end_date, s.leaving_reason,"
                        + " s.case_holding) IS DISTINCT FROM (c.role, c.employment, c.fte, c.end_date, c.leaving_reason,"
                        + " c.case_holding)").bind("importId", importId)))
                .zipWhen(updated -> count(db.sql("INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment,"
                        + " fte, end_date, leaving_reason, case_holding, source, import_id)"
                        + " SELECT c.staff_id, c.team_id, c.start_date, c.role, c.employment, c.fte, c.end_date,"
                        + " c.leaving_reason, c.case_holding, 'census', :importId FROM census_spell_source c"
                        + " WHERE NOT EXISTS (SELECT 1 FROM staff_spells s WHERE s.staff_id = c.staff_id"
                        + " AND s.team_id = c.team_id AND s.start_date = c.start_date)").bind("importId", importId)))
                .flatMap(t -> count(db.sql("DELETE FROM staff_spells s USING (SELECT DISTINCT * FROM census_spell_keys) k"
                                + " WHERE s.staff_id = k.staff_id AND s.team_id = k.team_id AND s.start_date = k.start_date"
                                + " AND s.source = 'census' AND NOT EXISTS (SELECT 1 FROM census_spell_source c"
                                + " WHERE c.staff_id = s.staff_id AND c.team_id = s.team_id AND c.start_date = s.start_date)"))
                        .zipWhen(removed -> total("census_spell_source"), (removed, total) -> {
                            if (removed > 0) {
                                notes.add(removed + " staff spell(s) only the replaced return gave were removed");
                            }
                            return new long[] {t.getT2(), t.getT1() + removed, total - t.getT1() - t.getT2()};
                        }));
    }

    /** Sickness absence: one row per worker with working days lost, over the collection year. */
    private Mono<long[]> absences(long importId, long returnId, List<String> notes) {
        return run("CREATE TEMP TABLE census_absence_source (staff_id varchar(64), start_date date, end_date date,"
                        + " reason text, working_days_lost numeric(7,2)) ON COMMIT DROP")
                .then(db.sql("INSERT INTO census_absence_source SELECT w.swe_no, " + YEAR_START + ", r.reference_date,"
                        + " 'sickness', sum(w.working_days_lost) FROM census_workers w JOIN census_returns r ON r.id = w.return_id"
                        + " WHERE r.id = :id AND w.working_days_lost > 0 AND w.team_id IS NOT NULL"
                        + " GROUP BY w.swe_no, r.reference_date")
                        .bind("id", returnId).then())
                .then(conflicts(ABSENCE_CONFLICTS, importId, notes, "absence record(s)", "the HR absence file"))
                .then(count(db.sql("UPDATE absence a SET end_date = c.end_date, reason = c.reason,"
                        + " working_days_lost = c.working_days_lost, import_id = :importId FROM census_absence_source c"
                        + " WHERE a.staff_id = c.staff_id AND a.start_date = c.start_date AND " + ABSENCE_OWNED
                        + " AND (a.end_date, a.reason, a.working_days_lost) IS DISTINCT FROM"
                        + " (c.end_date, c.reason, c.working_days_lost)").bind("importId", importId)))
                .zipWhen(updated -> count(db.sql("INSERT INTO absence (staff_id, start_date, end_date, reason,"
                        + " working_days_lost, import_id) SELECT c.staff_id, c.start_date, c.end_date, c.reason,"
                        + " c.working_days_lost, :importId FROM census_absence_source c WHERE NOT EXISTS (SELECT 1"
                        + " FROM absence a WHERE a.staff_id = c.staff_id AND a.start_date = c.start_date)")
                        .bind("importId", importId)))
                .flatMap(t -> count(db.sql("DELETE FROM absence a USING (SELECT DISTINCT * FROM census_absence_keys) k"
                                + " WHERE a.staff_id = k.staff_id AND a.start_date = k.start_date AND " + ABSENCE_OWNED
                                + " AND NOT EXISTS (SELECT 1 FROM census_absence_source c WHERE c.staff_id = a.staff_id"
                                + " AND c.start_date = a.start_date)"))
                        .zipWhen(removed -> total("census_absence_source"), (removed, total) -> {
                            if (removed > 0) {
                                notes.add(removed + " absence record(s) only the replaced return gave were removed");
                            }
                            return new long[] {t.getT2(), t.getT1() + removed, total - t.getT1() - t.getT2()};
                        }));
    }

    /**
     * Records each field where the census differs from a row another source wrote (never overwritten), once
     * while it stays open; a recorded difference that no longer holds for a key this return touches is closed.
     */
    private static String conflictsSql(String dataset, String target, String source, String join, String notOurs,
                                       String keyColumns, String fields, String keyJson, String keysTable) {
        return """
                WITH kept AS (SELECT %6$s, v.field, v.stored, v.incoming
                              FROM %3$s JOIN %2$s ON %4$s CROSS JOIN LATERAL (VALUES %7$s) AS v(field, stored, incoming)
                              WHERE %5$s AND v.stored IS DISTINCT FROM v.incoming),
                keyed AS (SELECT %8$s AS record_key, field, stored, incoming FROM kept),
                closed AS (UPDATE source_conflicts x SET resolved_at = now()
                           WHERE x.resolved_at IS NULL AND x.source = 'census' AND x.dataset = '%1$s'
                             AND x.record_key IN (SELECT %8$s FROM %9$s)
                             AND NOT EXISTS (SELECT 1 FROM keyed k WHERE k.record_key = x.record_key AND k.field = x.field
                                             AND k.stored IS NOT DISTINCT FROM x.stored_value
                                             AND k.incoming IS NOT DISTINCT FROM x.incoming_value)
                           RETURNING 1),
                added AS (INSERT INTO source_conflicts (dataset, record_key, field, stored_value, incoming_value, source,
                                                       import_id)
                          SELECT '%1$s', k.record_key, k.field, k.stored, k.incoming, 'census', :importId FROM keyed k
                          WHERE NOT EXISTS (SELECT 1 FROM source_conflicts x WHERE (x.resolved_at IS NULL OR x.resolution = 'dismissed')
                                AND x.source = 'census' AND x.dataset = '%1$s' AND x.record_key = k.record_key
                                AND x.field = k.field AND x.stored_value IS NOT DISTINCT FROM k.stored
                                AND x.incoming_value IS NOT DISTINCT FROM k.incoming)
                          RETURNING 1)
                SELECT (SELECT count(DISTINCT record_key) FROM keyed) AS records, (SELECT count(*) FROM keyed) AS fields,
                       (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM closed) AS closed
                """.formatted(dataset, target, source, join, notOurs, keyColumns, fields, keyJson, keysTable);
    }

    private Mono<Void> conflicts(String sql, long importId, List<String> notes, String what, String owner) {
        return db.sql(sql).bind("importId", importId)
                .map(row -> new long[] {row.get("records", Long.class), row.get("fields", Long.class)}).one()
                .doOnNext(n -> {
                    if (n[0] > 0) {
                        notes.add(n[0] + " " + what + " written by another source (" + owner + ") differ from this return"
                                + " in " + n[1] + " field(s): their values are kept; each difference is listed at"
                                + " /api/data-quality");
                    }
                }).then();
    }

    private static Mono<Long> count(GenericExecuteSpec spec) {
        return spec.fetch().rowsUpdated();
    }

    private Mono<Long> total(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table).map(row -> row.get("n", Long.class)).one();
    }

    /** The workers as JSON rows for jsonb_to_recordset: numbers and dates as text, read by PostgreSQL's own types. */
    private static List<Map<String, Object>> rows(List<Worker> workers) {
        List<Map<String, Object>> rows = new ArrayList<>(workers.size());
        for (Worker w : workers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("worker_index", w.index());
            row.put("swe_no", w.sweNo());
            row.put("agency", w.agency());
            row.put("fte", plain(w.fte()));
            row.put("fte30", plain(w.fte30()));
            row.put("org_role", w.orgRole());
            row.put("cfkss_status", w.cfkssStatus());
            row.put("role_start_date", w.roleStartDate() == null ? null : w.roleStartDate().toString());
            row.put("role_end_date", w.roleEndDate() == null ? null : w.roleEndDate().toString());
            row.put("reason_leave", w.reasonLeave());
            row.put("cases30", w.cases30());
            row.put("working_days_lost", plain(w.workingDaysLost()));
            row.put("contract_weeks", plain(w.contractWeeks()));
            row.put("absent_at_30_sept", w.absentAt30Sept());
            row.put("reason_absence", w.reasonAbsence());
            row.put("cost_centre", w.costCentre());
            rows.add(row);
        }
        return rows;
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}
