package org.workforcewatch.ingest.cscapi;

import java.util.List;

/**
 * The statements that apply a batch of staged child records: first to the per-child state (csc_* tables), as full,
 * partial or purge records say, then from that state to the native rows the indicators read, for the children the
 * batch touched only. Every statement compares before it writes, so a batch sent again changes no row.
 */
final class CscApiSql {

    private CscApiSql() {
    }

    static final String STAGE = "csc_stage";

    /** Rows changed by one batch from which the tables' planner statistics are refreshed at once. */
    static final long ANALYZE_AFTER = 10_000;

    static final String ANALYZE_STATE = "ANALYZE csc_children, csc_episodes, csc_care_workers, csc_assessments,"
            + " csc_placements, csc_cp_plans, csc_cin_plans, csc_care_leavers";
    static final String ANALYZE_DERIVED = "ANALYZE allocations, referrals, children_in_care, care_leavers";

    static final String STAGE_DDL = """
            CREATE TEMP TABLE csc_stage (idx integer NOT NULL, kind text NOT NULL, child text, episode text, item text,
                                         d1 date, d2 date, purge boolean NOT NULL, present text) ON COMMIT DROP
            """;

    static final String COPY = "COPY csc_stage FROM STDIN";

    static final String TOUCHED = """
            CREATE TEMP TABLE csc_touched ON COMMIT DROP AS
            SELECT child AS la_child_id, item AS mis_child_id, d1 AS birth_month, purge, present LIKE 'full%' AS full,
                   present LIKE '%,birth' AS birth_given
            FROM csc_stage WHERE kind = 'child'
            """;

    /** A staged item of a child and episode that are not purged in the same batch. */
    private static String live(String kind, String distinctOn) {
        return """
                SELECT DISTINCT ON (s.child, s.episode%2$s) s.*, c.full
                FROM csc_stage s JOIN csc_touched c ON c.la_child_id = s.child AND NOT c.purge
                WHERE s.kind = '%1$s' AND NOT s.purge
                  AND NOT EXISTS (SELECT 1 FROM csc_stage e WHERE e.kind = 'episode' AND e.purge AND e.child = s.child
                                  AND e.episode = s.episode)
                ORDER BY s.child, s.episode%2$s, s.idx DESC
                """.formatted(kind, distinctOn);
    }

    /** Statements on the per-child state; each answers inserted, updated and deleted counts. */
    static List<String> state() {
        return List.of(
                """
                WITH gone AS (DELETE FROM csc_children t USING csc_touched c WHERE c.purge AND t.la_child_id = c.la_child_id
                              RETURNING 1)
                SELECT 0::bigint AS inserted, 0::bigint AS updated, (SELECT count(*) FROM gone) AS deleted
                """,
                """
                WITH changed AS (UPDATE csc_children t SET mis_child_id = c.mis_child_id,
                                        birth_month = CASE WHEN c.full OR c.birth_given THEN c.birth_month ELSE t.birth_month END,
                                        import_id = :importId
                                 FROM csc_touched c WHERE NOT c.purge AND t.la_child_id = c.la_child_id
                                   AND (t.mis_child_id, t.birth_month) IS DISTINCT FROM
                                       (c.mis_child_id, CASE WHEN c.full OR c.birth_given THEN c.birth_month ELSE t.birth_month END)
                                 RETURNING 1),
                added AS (INSERT INTO csc_children (la_child_id, mis_child_id, birth_month, import_id)
                          SELECT c.la_child_id, c.mis_child_id, c.birth_month, :importId FROM csc_touched c
                          WHERE NOT c.purge AND NOT EXISTS (SELECT 1 FROM csc_children t WHERE t.la_child_id = c.la_child_id)
                          RETURNING 1)
                SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated, 0::bigint AS deleted
                """,
                removed("csc_episodes", "episode", "true"),
                """
                WITH src AS (%s),
                want AS (SELECT s.*, t.la_child_id IS NOT NULL AS stored,
                                CASE WHEN s.full OR s.present LIKE 'referral%%' OR t.la_child_id IS NULL THEN s.d1
                                     ELSE t.referral_date END AS referral_date,
                                CASE WHEN s.full OR s.present LIKE '%%closure' OR t.la_child_id IS NULL THEN s.d2
                                     ELSE t.closure_date END AS closure_date
                         FROM src s LEFT JOIN csc_episodes t ON t.la_child_id = s.child AND t.episode_id = s.episode),
                changed AS (UPDATE csc_episodes t SET referral_date = w.referral_date, closure_date = w.closure_date,
                                   import_id = :importId
                            FROM want w WHERE w.stored AND t.la_child_id = w.child AND t.episode_id = w.episode
                              AND (t.referral_date, t.closure_date) IS DISTINCT FROM (w.referral_date, w.closure_date)
                            RETURNING 1),
                added AS (INSERT INTO csc_episodes (la_child_id, episode_id, referral_date, closure_date, import_id)
                          SELECT w.child, w.episode, w.referral_date, w.closure_date, :importId FROM want w WHERE NOT w.stored
                          RETURNING 1)
                SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated, 0::bigint AS deleted
                """.formatted(live("episode", "")),
                removed("csc_care_workers", "worker", "t.worker_id = s.item AND t.start_date = s.d1"),
                upserted("csc_care_workers", "worker", List.of("worker_id", "start_date"), List.of("s.item", "s.d1"),
                        List.of("end_date"), List.of("s.d2")),
                removed("csc_assessments", "assessment", "t.assessment_id = s.item"),
                upserted("csc_assessments", "assessment", List.of("assessment_id"), List.of("s.item"),
                        List.of("start_date", "authorisation_date"), List.of("s.d1", "s.d2")),
                removed("csc_placements", "placement", "t.placement_id = s.item"),
                upserted("csc_placements", "placement", List.of("placement_id"), List.of("s.item"),
                        List.of("start_date", "end_date"), List.of("s.d1", "s.d2")),
                removed("csc_cp_plans", "cp_plan", "t.plan_id = s.item"),
                upserted("csc_cp_plans", "cp_plan", List.of("plan_id"), List.of("s.item"),
                        List.of("start_date", "end_date"), List.of("s.d1", "s.d2")),
                removed("csc_cin_plans", "cin_plan", "t.plan_id = s.item"),
                upserted("csc_cin_plans", "cin_plan", List.of("plan_id"), List.of("s.item"),
                        List.of("start_date", "end_date"), List.of("s.d1", "s.d2")),
                removed("csc_care_leavers", "care_leaver", "true"),
                upserted("csc_care_leavers", "care_leaver", List.of(), List.of(), List.of("contact_date"), List.of("s.d1")));
    }

    /** Items a record purges, and for a full record every item of its child that it does not carry. */
    private static String removed(String table, String kind, String sameItem) {
        return """
                WITH purged AS (DELETE FROM %1$s t USING csc_stage s
                                WHERE s.kind = '%2$s' AND s.purge AND t.la_child_id = s.child AND t.episode_id = s.episode
                                  AND %3$s RETURNING 1),
                dropped AS (DELETE FROM %1$s t USING csc_touched c
                            WHERE c.full AND NOT c.purge AND t.la_child_id = c.la_child_id
                              AND NOT EXISTS (SELECT 1 FROM csc_stage s WHERE s.kind = '%2$s' AND NOT s.purge
                                              AND s.child = t.la_child_id AND s.episode = t.episode_id AND %3$s)
                            RETURNING 1)
                SELECT 0::bigint AS inserted, 0::bigint AS updated,
                       (SELECT count(*) FROM purged) + (SELECT count(*) FROM dropped) AS deleted
                """.formatted(table, kind, sameItem);
    }

    private static String upserted(String table, String kind, List<String> keys, List<String> keyValues, List<String> columns,
                                   List<String> values) {
        StringBuilder same = new StringBuilder("t.la_child_id = s.child AND t.episode_id = s.episode");
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            same.append(" AND t.").append(keys.get(i)).append(" = ").append(keyValues.get(i));
        }
        for (int i = 0; i < columns.size(); i++) {
            set.append(columns.get(i)).append(" = ").append(values.get(i)).append(", ");
        }
        String distinctOn = keyValues.isEmpty() ? "" : ", " + String.join(", ", keyValues);
        return """
                WITH src AS (%1$s),
                changed AS (UPDATE %2$s t SET %3$simport_id = :importId FROM src s
                            WHERE %4$s AND (%5$s) IS DISTINCT FROM (%6$s) RETURNING 1),
                added AS (INSERT INTO %2$s (la_child_id, episode_id, %7$s, import_id)
                          SELECT s.child, s.episode, %8$s, :importId FROM src s
                          WHERE NOT EXISTS (SELECT 1 FROM %2$s t WHERE %4$s) RETURNING 1)
                SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated, 0::bigint AS deleted
                """.formatted(live(kind, distinctOn), table, set, same,
                row("t.", columns), row("", values), String.join(", ", concat(keys, columns)),
                String.join(", ", concat(keyValues, values)));
    }

    private static String row(String prefix, List<String> columns) {
        return columns.size() == 1 ? "ROW(" + prefix + columns.get(0) + ")"
                : String.join(", ", columns.stream().map(c -> prefix + c).toList());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The worker a worker id stands for: the HR staff id the SSD professionals table gives it, else itself. */
    private static final String STAFF = "coalesce((SELECT p.staff_id FROM ssd_professionals p WHERE p.professional_id = w.worker_id),"
            + " w.worker_id)";

    /** The native rows the touched children should have, one temporary table per native table. */
    static List<String> wanted() {
        return List.of(
                """
                CREATE TEMP TABLE csc_want_allocations ON COMMIT DROP AS
                -- each allocation's case type from what the child's records say was open on the day it started: in care
                -- (a looked-after placement of the child), a child protection plan, a care leaver (the episode's care
                -- leavers block, no period in care after), a child in need plan, an assessment under way; else in need
                WITH kind AS (SELECT w.la_child_id, w.episode_id, w.worker_id, w.start_date,
                                     CASE WHEN EXISTS (SELECT 1 FROM csc_placements p WHERE p.la_child_id = w.la_child_id
                                                       AND open_on(p.start_date, p.end_date, w.start_date)) THEN 'cla'
                                          WHEN EXISTS (SELECT 1 FROM csc_cp_plans c WHERE c.la_child_id = w.la_child_id
                                                       AND c.episode_id = w.episode_id
                                                       AND open_on(c.start_date, c.end_date, w.start_date)) THEN 'cp'
                                          WHEN EXISTS (SELECT 1 FROM csc_care_leavers l WHERE l.la_child_id = w.la_child_id
                                                       AND l.episode_id = w.episode_id)
                                               AND NOT EXISTS (SELECT 1 FROM csc_placements p WHERE p.la_child_id = w.la_child_id
                                                               AND p.start_date > w.start_date) THEN 'care_leaver'
                                          WHEN EXISTS (SELECT 1 FROM csc_cin_plans c WHERE c.la_child_id = w.la_child_id
                                                       AND c.episode_id = w.episode_id
                                                       AND open_on(c.start_date, c.end_date, w.start_date)) THEN 'cin'
                                          WHEN EXISTS (SELECT 1 FROM csc_assessments a WHERE a.la_child_id = w.la_child_id
                                                       AND a.episode_id = w.episode_id
                                                       AND open_on(a.start_date, a.authorisation_date, w.start_date))
                                               THEN 'assessment'
                                          ELSE 'cin' END AS case_type
                              FROM csc_care_workers w JOIN csc_touched t USING (la_child_id))
                SELECT 'csc-' || md5(jsonb_build_array(w.la_child_id, w.episode_id, w.worker_id, w.start_date)::text)
                           AS allocation_id,
                       w.la_child_id AS child_id, %1$s AS staff_id, k.case_type, w.start_date,
                       -- a worker still open on a closed episode holds the case no longer: it ends with the episode
                       CASE WHEN w.end_date IS NULL AND e.closure_date >= w.start_date THEN e.closure_date
                            ELSE w.end_date END AS end_date,
                       CASE WHEN lag(w.worker_id) OVER episode <> w.worker_id THEN 'OTHERS' END AS change_reason,
                       'csc-' || md5(jsonb_build_array(w.la_child_id, w.episode_id)::text) AS referral_id
                FROM csc_touched t JOIN csc_care_workers w USING (la_child_id)
                JOIN kind k USING (la_child_id, episode_id, worker_id, start_date)
                JOIN csc_episodes e ON e.la_child_id = w.la_child_id AND e.episode_id = w.episode_id
                WINDOW episode AS (PARTITION BY w.la_child_id, w.episode_id ORDER BY w.start_date, w.worker_id)
                """.formatted(STAFF),
                """
                CREATE TEMP TABLE csc_want_referrals ON COMMIT DROP AS
                WITH first_worker AS (SELECT DISTINCT ON (w.la_child_id, w.episode_id) w.la_child_id, w.episode_id,
                                             %1$s AS staff_id, w.start_date
                                      FROM csc_care_workers w JOIN csc_touched t USING (la_child_id)
                                      ORDER BY w.la_child_id, w.episode_id, w.start_date, w.worker_id),
                -- allocated when the first worker started; closed before any (no further action): at its closure
                ep AS (SELECT e.la_child_id, e.episode_id, e.referral_date, e.closure_date, f.staff_id,
                              least(f.start_date, e.closure_date) AS allocated_date
                       FROM csc_episodes e JOIN csc_touched t USING (la_child_id)
                       LEFT JOIN first_worker f USING (la_child_id, episode_id) WHERE e.referral_date IS NOT NULL),
                team AS (SELECT DISTINCT ON (ep.la_child_id, ep.episode_id) ep.la_child_id, ep.episode_id, sp.team_id
                         FROM ep JOIN staff_spells sp ON sp.staff_id = ep.staff_id
                         WHERE open_on(sp.start_date, sp.end_date, ep.referral_date)
                            OR open_on(sp.start_date, sp.end_date, ep.allocated_date)
                         ORDER BY ep.la_child_id, ep.episode_id, open_on(sp.start_date, sp.end_date, ep.referral_date) DESC,
                                  sp.start_date DESC, sp.team_id)
                SELECT 'csc-' || md5(jsonb_build_array(ep.la_child_id, ep.episode_id)::text) AS referral_id,
                       ep.la_child_id AS child_id,
                       coalesce(tm.team_id, (SELECT t.team_id FROM teams t WHERE t.team_id = :intakeTeam)) AS team_id,
                       ep.referral_date, ep.allocated_date, ep.closure_date AS closed_date
                FROM ep LEFT JOIN team tm USING (la_child_id, episode_id)
                """.formatted(STAFF),
                """
                CREATE TEMP TABLE csc_want_care ON COMMIT DROP AS
                WITH p AS (SELECT p.la_child_id, p.start_date, p.end_date
                           FROM csc_placements p JOIN csc_touched t USING (la_child_id)),
                -- a placement continues the period when one before it is still open or ended at most the day before
                marked AS (SELECT p.*, CASE WHEN bool_or(p.end_date IS NULL) OVER before
                                              OR p.start_date - 1 <= max(p.end_date) OVER before
                                            THEN 0 ELSE 1 END AS starts
                           FROM p WINDOW before AS (PARTITION BY la_child_id ORDER BY start_date, end_date NULLS LAST
                                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
                grouped AS (SELECT m.*, sum(starts) OVER (PARTITION BY la_child_id ORDER BY start_date, end_date NULLS LAST
                                                          ROWS UNBOUNDED PRECEDING) AS period FROM marked m),
                periods AS (SELECT la_child_id, min(start_date) AS period_start,
                                   CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END AS period_end
                            FROM grouped GROUP BY la_child_id, period)
                SELECT pe.la_child_id AS child_id, pe.period_start, c.birth_month AS date_of_birth, pe.period_end,
                       (SELECT max(a.authorisation_date) FROM csc_assessments a WHERE a.la_child_id = pe.la_child_id
                          AND (pe.period_end IS NULL OR a.authorisation_date <= pe.period_end)) AS latest_assessment_date
                FROM periods pe JOIN csc_children c USING (la_child_id)
                """,
                """
                CREATE TEMP TABLE csc_want_leavers ON COMMIT DROP AS
                WITH block AS (SELECT DISTINCT ON (l.la_child_id) l.la_child_id, l.episode_id
                               FROM csc_care_leavers l JOIN csc_touched t USING (la_child_id)
                               ORDER BY l.la_child_id, l.contact_date DESC NULLS LAST, l.episode_id),
                contact AS (SELECT l.la_child_id, max(l.contact_date) AS latest
                            FROM csc_care_leavers l JOIN csc_touched t USING (la_child_id) GROUP BY l.la_child_id),
                pa AS (SELECT DISTINCT ON (w.la_child_id) w.la_child_id, %1$s AS staff_id, w.start_date
                       FROM block b JOIN csc_care_workers w USING (la_child_id, episode_id) WHERE w.end_date IS NULL
                       ORDER BY w.la_child_id, w.start_date DESC, w.worker_id)
                SELECT b.la_child_id AS child_id, c.birth_month AS date_of_birth,
                       CASE WHEN EXISTS (SELECT 1 FROM csc_placements pl WHERE pl.la_child_id = b.la_child_id
                                         AND pl.end_date IS NULL) THEN 'eligible'
                            WHEN c.birth_month > :today - interval '18 years' THEN 'relevant'
                            ELSE 'former_relevant' END AS eligibility,
                       pa.staff_id AS pa_staff_id, pa.start_date AS pa_allocated_date, ct.latest AS latest_contact_date
                FROM block b JOIN csc_children c USING (la_child_id) JOIN contact ct USING (la_child_id)
                LEFT JOIN pa USING (la_child_id)
                """.formatted(STAFF),
                // keyed, so that comparing them with the native tables can look rows up whatever the estimates
                "ALTER TABLE csc_want_allocations ADD PRIMARY KEY (allocation_id)",
                "ALTER TABLE csc_want_referrals ADD PRIMARY KEY (referral_id)",
                "ALTER TABLE csc_want_care ADD PRIMARY KEY (child_id, period_start)",
                "ALTER TABLE csc_want_leavers ADD PRIMARY KEY (child_id)");
    }

    /** Wanted rows that cannot be written, each answering how many it left out (the warnings say why). */
    static final String REFERRALS_WITHOUT_TEAM = """
            WITH gone AS (DELETE FROM csc_want_referrals WHERE team_id IS NULL RETURNING 1) SELECT count(*) AS n FROM gone
            """;
    static final String CARE_WITHOUT_BIRTH = """
            WITH gone AS (DELETE FROM csc_want_care WHERE date_of_birth IS NULL RETURNING 1) SELECT count(*) AS n FROM gone
            """;

    /**
     * Wanted rows about a record another source wrote (a native file, an SSD extract, an event) are not written: the
     * stored row is kept as it is, and a difference listed once in source_conflicts. Answers how many clashed.
     */
    static List<String> keptOtherSources() {
        return List.of(
                kept("allocations", "csc_want_allocations",
                        "x.child_id = w.child_id AND x.staff_id = w.staff_id AND x.start_date = w.start_date",
                        "jsonb_build_object('allocation_id', x.allocation_id)",
                        "coalesce(x.end_date::text, 'open') || ' ' || x.case_type",
                        "coalesce(w.end_date::text, 'open') || ' ' || w.case_type"),
                kept("referrals", "csc_want_referrals",
                        "x.child_id = w.child_id AND x.referral_date = w.referral_date",
                        "jsonb_build_object('referral_id', x.referral_id)",
                        "x.team_id || ' ' || coalesce(x.allocated_date::text, 'unallocated')",
                        "w.team_id || ' ' || coalesce(w.allocated_date::text, 'unallocated')"),
                kept("children_in_care", "csc_want_care",
                        "x.child_id = w.child_id AND x.period_start = w.period_start",
                        "jsonb_build_object('child_id', x.child_id, 'period_start', x.period_start)",
                        "coalesce(x.period_end::text, 'open') || ' ' || coalesce(x.latest_assessment_date::text, 'none')",
                        "coalesce(w.period_end::text, 'open') || ' ' || coalesce(w.latest_assessment_date::text, 'none')"),
                kept("care_leavers", "csc_want_leavers", "x.child_id = w.child_id",
                        "jsonb_build_object('child_id', x.child_id)",
                        "coalesce(x.pa_staff_id, 'no PA') || ' ' || coalesce(x.latest_contact_date::text, 'no contact')",
                        "coalesce(w.pa_staff_id, 'no PA') || ' ' || coalesce(w.latest_contact_date::text, 'no contact')"));
    }

    private static String kept(String table, String want, String same, String key, String stored, String incoming) {
        return """
                WITH clash AS (DELETE FROM %2$s w USING %1$s x WHERE %3$s AND x.source <> 'csc_api'
                               RETURNING %4$s AS record_key, (%5$s) AS stored, (%6$s) AS incoming),
                added AS (INSERT INTO source_conflicts (dataset, record_key, field, stored_value, incoming_value, source, import_id)
                          SELECT '%1$s', c.record_key, 'record', c.stored, c.incoming, 'csc_api', :importId FROM clash c
                          WHERE c.stored IS DISTINCT FROM c.incoming
                            AND NOT EXISTS (SELECT 1 FROM source_conflicts s WHERE (s.resolved_at IS NULL OR s.resolution = 'dismissed')
                                  AND s.dataset = '%1$s' AND s.record_key = c.record_key AND s.field = 'record'
                                  AND s.incoming_value IS NOT DISTINCT FROM c.incoming)
                          RETURNING 1)
                SELECT count(*) AS n FROM clash WHERE stored IS DISTINCT FROM incoming
                """.formatted(table, want, same, key, stored, incoming);
    }

    /** The native rows of the touched children brought to what they should be: deleted, updated, inserted. */
    static List<String> derived() {
        return List.of(
                derive("allocations", "csc_want_allocations", "child_id", List.of("allocation_id"),
                        List.of("child_id", "staff_id", "case_type", "start_date", "end_date", "change_reason", "referral_id"), null),
                derive("referrals", "csc_want_referrals", "child_id", List.of("referral_id"),
                        List.of("child_id", "team_id", "referral_date", "allocated_date", "closed_date"), null),
                derive("children_in_care", "csc_want_care", "child_id", List.of("child_id", "period_start"),
                        List.of("date_of_birth", "period_end", "latest_assessment_date"), null),
                derive("care_leavers", "csc_want_leavers", "child_id", List.of("child_id"),
                        List.of("date_of_birth", "eligibility", "pa_staff_id", "pa_allocated_date", "latest_contact_date"),
                        KEPT_LEAVERS));
    }

    /** A version of every care leaver row the batch changed or added, in care_leaver_history. */
    private static final String KEPT_LEAVERS = """
                kept AS (INSERT INTO care_leaver_history (import_id, child_id, date_of_birth, eligibility, pa_staff_id,
                            pa_allocated_date, in_touch, latest_contact_date, pathway_plan_review_date)
                     SELECT :importId, child_id, date_of_birth, eligibility, pa_staff_id, pa_allocated_date, in_touch,
                            latest_contact_date, pathway_plan_review_date FROM changed
                     UNION ALL
                     SELECT :importId, child_id, date_of_birth, eligibility, pa_staff_id, pa_allocated_date, in_touch,
                            latest_contact_date, pathway_plan_review_date FROM added)""";

    /** {@code kept}: a further statement over {@code changed} and {@code added} (whole rows then), or null. */
    private static String derive(String table, String want, String childColumn, List<String> key, List<String> columns,
                                 String kept) {
        String returning = kept == null ? "1" : "x.*";
        String same = String.join(" AND ", key.stream().map(k -> "x." + k + " = w." + k).toList());
        String set = String.join(", ", columns.stream().map(c -> c + " = w." + c).toList());
        List<String> all = new java.util.ArrayList<>(key);
        columns.stream().filter(c -> !key.contains(c)).forEach(all::add);
        return """
                WITH gone AS (DELETE FROM %1$s x USING csc_touched c WHERE x.%3$s = c.la_child_id AND x.source = 'csc_api'
                                AND NOT EXISTS (SELECT 1 FROM %2$s w WHERE %4$s) RETURNING 1),
                changed AS (UPDATE %1$s x SET %5$s, import_id = :importId FROM %2$s w
                            WHERE %4$s AND x.source = 'csc_api' AND (%6$s) IS DISTINCT FROM (%7$s) RETURNING %10$s),
                added AS (INSERT INTO %1$s AS x (%8$s, source, import_id) SELECT %9$s, 'csc_api', :importId FROM %2$s w
                          WHERE NOT EXISTS (SELECT 1 FROM %1$s x WHERE %4$s) RETURNING %10$s)%11$s
                SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated,
                       (SELECT count(*) FROM gone) AS deleted
                """.formatted(table, want, childColumn, same, set,
                String.join(", ", columns.stream().map(c -> "x." + c).toList()),
                String.join(", ", columns.stream().map(c -> "w." + c).toList()),
                String.join(", ", all), String.join(", ", all.stream().map(c -> "w." + c).toList()), returning,
                kept == null ? "" : ",\n" + kept);
    }
}
