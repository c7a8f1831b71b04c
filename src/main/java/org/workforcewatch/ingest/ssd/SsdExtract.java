package org.workforcewatch.ingest.ssd;

import static org.workforcewatch.ingest.csv.Column.coded;
import static org.workforcewatch.ingest.csv.Column.decimal;
import static org.workforcewatch.ingest.csv.Column.id;
import static org.workforcewatch.ingest.csv.Column.integer;
import static org.workforcewatch.ingest.csv.Column.oneOf;
import static org.workforcewatch.ingest.csv.Column.ssdDate;
import static org.workforcewatch.ingest.csv.Column.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workforcewatch.ingest.csv.Dataset.Reference;
import org.workforcewatch.ingest.csv.Dataset;
import org.workforcewatch.ingest.csv.Datasets;
import org.workforcewatch.ingest.csv.UnknownDataset;
import org.workforcewatch.staffing.StaffRole;

/**
 * The Standard Safeguarding Dataset tables Workforce Watch reads (docs/DATA-FORMATS.md, "Standard
 * Safeguarding Dataset (SSD) extracts"), in load order, each mapped onto the native tables:
 * ssd_department → teams, ssd_professionals → provisional staff spells, ssd_cin_episodes → referrals,
 * ssd_involvements → allocations, ssd_care_leavers → care leavers.
 *
 * <p>Rules that make sources mix: rows an extract writes are marked {@code source = 'ssd'}; an extract
 * never overwrites a row that a native file wrote (the difference is listed in source_conflicts for a
 * person to look at); a worker the HR staff file does not have yet gets a provisional open spell,
 * employment {@code unknown} unless the extract's agency flag says, which the HR file replaces when it
 * names that worker.
 */
public final class SsdExtract {

    /**
     * Words in a job title (case-insensitive regular expressions) → the role, tried in this order: a senior social
     * worker is a senior practitioner, not a social worker. A title with none of them is {@link StaffRole#OTHER}.
     */
    private static final Map<String, StaffRole> TITLE_WORDS = new LinkedHashMap<>();

    static {
        TITLE_WORDS.put("personal advis", StaffRole.PERSONAL_ADVISER);
        TITLE_WORDS.put("asye|newly qualified", StaffRole.ASYE);
        TITLE_WORDS.put("advanced practitioner", StaffRole.ADVANCED_PRACTITIONER);
        TITLE_WORDS.put("senior practitioner|senior social worker", StaffRole.SENIOR_PRACTITIONER);
        TITLE_WORDS.put("service manager|head of service|director", StaffRole.SERVICE_MANAGER);
        TITLE_WORDS.put("team manager|practice manager|team leader", StaffRole.TEAM_MANAGER);
        TITLE_WORDS.put("family support", StaffRole.FAMILY_SUPPORT);
        TITLE_WORDS.put("social worker", StaffRole.SOCIAL_WORKER);
    }

    /** A provisional spell of a practitioner in these roles holds cases even when the extract gives no caseload. */
    private static final String CASE_HOLDING_ROLES = StaffRole.sqlList(StaffRole::caseHoldingRole);

    /** Involvement type codes (SystemC's {@code invo_professional_role_id}) → our case types; others are "other". */
    static final Map<String, String> CASE_TYPES = new LinkedHashMap<>();

    static {
        CASE_TYPES.put("16PLUS", "care_leaver");
        CASE_TYPES.put("PA", "care_leaver");
        CASE_TYPES.put("LC", "care_leaver");
        CASE_TYPES.put("CLA", "cla");
        CASE_TYPES.put("LAC", "cla");
        CASE_TYPES.put("CP", "cp");
        CASE_TYPES.put("CIN", "cin");
        CASE_TYPES.put("CW", "cin");
        CASE_TYPES.put("ASSESS", "assessment");
        CASE_TYPES.put("EH", "early_help");
    }

    static final Map<String, String> ELIGIBILITY = codes(
            "Eligible", "eligible", "Relevant", "relevant", "Former Relevant", "former_relevant",
            "Qualifying", "qualifying", "No Current Eligibility", "none",
            "former_relevant", "former_relevant", "none", "none");

    static final Map<String, String> IN_TOUCH = codes(
            "YES", "yes", "NO", "no", "DIED", "died", "REFU", "refused", "NREQ", "not_required", "RHOM", "returned_home",
            "refused", "refused", "not_required", "not_required", "returned_home", "returned_home");

    static final Map<String, String> YES_NO = codes("Y", "Y", "N", "N", "yes", "Y", "no", "N");

    private SsdExtract() {
    }

    /** The tables in load order. */
    public static List<Dataset> tables() {
        return List.of(department(), professionals(), cinEpisodes(), involvements(), careLeavers());
    }

    /** The table of this name ({@code ssd_professionals}), or the problem that lists the tables there are. */
    static Dataset table(String name) {
        List<Dataset> tables = tables();
        return tables.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownDataset(name, tables.stream().map(Dataset::name).toList()));
    }

    private static Dataset department() {
        return Dataset.of("ssd_department", "teams", List.of(
                        id("dept_team_id", true), text("dept_team_name", false), id("dept_team_parent_id", false),
                        text("dept_team_parent_name", false)),
                List.of("dept_team_id"),
                List.of(new Reference(List.of("dept_team_parent_id"), "teams", List.of("team_id"), true, "team")),
                "t.source = 'ssd'", (row, problems) -> { })
                .mergedBy(List.of("team_id"), List.of(
                        keptNative("teams", "teams", "team_id", "dept_team_id",
                                "s.dept_team_name IS NOT NULL", "team_name",
                                "t.team_name", "s.dept_team_name"),
                        """
                        WITH src AS (SELECT dept_team_id AS team_id, coalesce(dept_team_name, dept_team_id) AS team_name,
                                            coalesce(dept_team_parent_name, 'Unassigned') AS service,
                                            dept_team_parent_id AS parent_team_id FROM import_stage),
                        changed AS (UPDATE teams t SET team_name = s.team_name, service = s.service,
                                           parent_team_id = s.parent_team_id, import_id = :importId
                                    FROM src s WHERE t.team_id = s.team_id AND t.source = 'ssd'
                                      AND (t.team_name, t.service, t.parent_team_id)
                                          IS DISTINCT FROM (s.team_name, s.service, s.parent_team_id) RETURNING 1),
                        added AS (INSERT INTO teams (team_id, team_name, service, team_type, parent_team_id, source, import_id)
                                  SELECT s.team_id, s.team_name, s.service, 'other', s.parent_team_id, 'ssd', :importId
                                  FROM src s WHERE NOT EXISTS (SELECT 1 FROM teams t WHERE t.team_id = s.team_id)
                                  RETURNING 1)
                        SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated,
                               CASE WHEN (SELECT count(*) FROM added) > 0 THEN (SELECT count(*) FROM added)
                                    || ' team(s) added with team_type other: the SSD has no team type; a native teams file sets it'
                               END AS warning
                        """));
    }

    private static Dataset professionals() {
        String src = """
                src AS (SELECT DISTINCT ON (coalesce(prof_staff_id, prof_professional_id))
                               coalesce(prof_staff_id, prof_professional_id) AS staff_id,
                               prof_professional_department AS department, prof_professional_job_title AS title,
                               prof_professional_caseload AS caseload, prof_full_time_equivalency AS fte,
                               prof_agency_worker_flag AS flag
                        FROM import_stage ORDER BY coalesce(prof_staff_id, prof_professional_id), line)""";
        return Dataset.of("ssd_professionals", "ssd_professionals", List.of(
                        id("prof_professional_id", true), id("prof_staff_id", false), text("prof_professional_name", false),
                        id("prof_social_worker_registration_no", false), text("prof_professional_job_title", false),
                        integer("prof_professional_caseload", false, "0"), text("prof_professional_department", false),
                        decimal("prof_full_time_equivalency", false, "0", true, "1"),
                        coded("prof_agency_worker_flag", false, YES_NO)),
                List.of("prof_professional_id"), List.of(), "true", (row, problems) -> { })
                .mergedBy(List.of("professional_id"), List.of(
                        """
                        WITH src AS (SELECT prof_professional_id AS professional_id,
                                            coalesce(prof_staff_id, prof_professional_id) AS staff_id,
                                            prof_social_worker_registration_no AS registration_no,
                                            prof_professional_job_title AS job_title, prof_professional_caseload AS caseload,
                                            prof_professional_department AS department, prof_full_time_equivalency AS fte,
                                            prof_agency_worker_flag AS agency_flag FROM import_stage),
                        changed AS (UPDATE ssd_professionals p SET staff_id = s.staff_id, registration_no = s.registration_no,
                                           job_title = s.job_title, caseload = s.caseload, department = s.department,
                                           fte = s.fte, agency_flag = s.agency_flag, import_id = :importId
                                    FROM src s WHERE p.professional_id = s.professional_id
                                      AND (p.staff_id, p.registration_no, p.job_title, p.caseload, p.department, p.fte, p.agency_flag)
                                          IS DISTINCT FROM
                                          (s.staff_id, s.registration_no, s.job_title, s.caseload, s.department, s.fte, s.agency_flag)
                                    RETURNING 1),
                        added AS (INSERT INTO ssd_professionals (professional_id, staff_id, registration_no, job_title, caseload,
                                                                department, fte, agency_flag, import_id)
                                  SELECT s.*, :importId FROM src s
                                  WHERE NOT EXISTS (SELECT 1 FROM ssd_professionals p WHERE p.professional_id = s.professional_id)
                                  RETURNING 1)
                        SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated,
                               NULL::text AS warning
                        """,
                        // workers the HR file has: differences are conflicts, never overwrites
                        "WITH " + src + """
                        ,
                        hr AS (SELECT DISTINCT ON (sp.staff_id) sp.staff_id, sp.team_id, sp.start_date, sp.fte, sp.employment,
                                      tm.team_name
                               FROM staff_spells sp JOIN teams tm USING (team_id)
                               WHERE sp.source <> 'ssd' AND sp.end_date IS NULL ORDER BY sp.staff_id, sp.start_date DESC),
                        diff AS (SELECT h.staff_id, h.team_id, h.start_date, 'fte' AS field, h.fte::float8::text AS stored,
                                        s.fte::float8::text AS incoming
                                 FROM src s JOIN hr h USING (staff_id) WHERE s.fte IS NOT NULL AND s.fte <> h.fte
                                 UNION ALL
                                 SELECT h.staff_id, h.team_id, h.start_date, 'team', h.team_name, s.department
                                 FROM src s JOIN hr h USING (staff_id)
                                 WHERE s.department IS NOT NULL AND lower(s.department) NOT IN (lower(h.team_name), lower(h.team_id))
                                 UNION ALL
                                 SELECT h.staff_id, h.team_id, h.start_date, 'employment', h.employment,
                                        CASE s.flag WHEN 'Y' THEN 'agency' ELSE 'employed' END
                                 FROM src s JOIN hr h USING (staff_id)
                                 WHERE (s.flag = 'Y' AND h.employment <> 'agency') OR (s.flag = 'N' AND h.employment = 'agency')),
                        keyed AS (SELECT jsonb_build_object('staff_id', staff_id, 'team_id', team_id, 'start_date', start_date)
                                         AS record_key, field, stored, incoming FROM diff),
                        added AS (INSERT INTO source_conflicts (dataset, record_key, field, stored_value, incoming_value, source,
                                                               import_id)
                                  SELECT 'staff', k.record_key, k.field, k.stored, k.incoming, 'ssd', :importId FROM keyed k
                                  WHERE NOT EXISTS (SELECT 1 FROM source_conflicts c WHERE (c.resolved_at IS NULL OR c.resolution = 'dismissed')
                                        AND c.dataset = 'staff' AND c.record_key = k.record_key AND c.field = k.field
                                        AND c.incoming_value IS NOT DISTINCT FROM k.incoming)
                                  RETURNING 1)
                        SELECT 0::bigint AS inserted, 0::bigint AS updated,
                               CASE WHEN (SELECT count(*) FROM keyed) > 0 THEN (SELECT count(*) FROM keyed)
                                    || ' difference(s) from the HR staff file (team, FTE or employment): the HR values are kept;'
                                    || ' see /api/data-quality' END AS warning
                        """,
                        // workers the HR file does not have at all: a provisional open spell each
                        "WITH " + src + ",\n" + """
                        want AS (SELECT s.staff_id,
                                        coalesce((SELECT t.team_id FROM teams t WHERE lower(s.department) IN (lower(t.team_name),
                                                  lower(t.team_id)) ORDER BY t.team_id LIMIT 1), 'unassigned') AS team_id,
                                        """ + roleFromTitle("s.title") + """
                                         AS role,
                                        CASE s.flag WHEN 'Y' THEN 'agency' WHEN 'N' THEN 'permanent' ELSE 'unknown' END AS employment,
                                        coalesce(s.fte, 1) AS fte, s.fte IS NULL AS fte_missing, s.caseload
                                 FROM src s WHERE NOT EXISTS (SELECT 1 FROM staff_spells h WHERE h.staff_id = s.staff_id
                                                              AND h.source <> 'ssd')),
                        spell AS (SELECT w.*, (coalesce(w.caseload, 0) > 0 OR w.role IN\s""" + CASE_HOLDING_ROLES + """
                                          ) AS case_holding FROM want w),
                        unassigned AS (INSERT INTO teams (team_id, team_name, service, team_type, source, import_id)
                                       SELECT 'unassigned', 'Unassigned', 'Unassigned', 'other', 'ssd', :importId
                                       WHERE EXISTS (SELECT 1 FROM spell WHERE team_id = 'unassigned')
                                       ON CONFLICT (team_id) DO NOTHING RETURNING 1),
                        moved AS (UPDATE staff_spells sp SET end_date = greatest(sp.start_date, :today - 1),
                                         leaving_reason = 'internal_move', import_id = :importId
                                  FROM spell w WHERE sp.staff_id = w.staff_id AND sp.source = 'ssd' AND sp.end_date IS NULL
                                    AND sp.team_id <> w.team_id RETURNING 1),
                        changed AS (UPDATE staff_spells sp SET role = w.role, employment = w.employment, fte = w.fte,
                                           case_holding = w.case_holding, import_id = :importId
                                    FROM spell w WHERE sp.staff_id = w.staff_id AND sp.source = 'ssd' AND sp.end_date IS NULL
                                      AND sp.team_id = w.team_id
                                      AND (sp.role, sp.employment, sp.fte, sp.case_holding)
                                          IS DISTINCT FROM (w.role, w.employment, w.fte, w.case_holding) RETURNING 1),
                        opened AS (INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, case_holding,
                                                             source, import_id)
                                   SELECT w.staff_id, w.team_id, :today, w.role, w.employment, w.fte, w.case_holding, 'ssd',
                                          :importId
                                   FROM spell w WHERE NOT EXISTS (SELECT 1 FROM staff_spells sp WHERE sp.staff_id = w.staff_id
                                         AND sp.source = 'ssd' AND sp.end_date IS NULL AND sp.team_id = w.team_id)
                                   ON CONFLICT DO NOTHING RETURNING 1)
                        SELECT 0::bigint AS inserted, 0::bigint AS updated, nullif(concat_ws('; ',
                               CASE WHEN (SELECT count(*) FROM opened) > 0 THEN (SELECT count(*) FROM opened)
                                    || ' provisional staff spell(s) opened for workers the HR staff file does not have' END,
                               CASE WHEN (SELECT count(*) FROM spell WHERE employment = 'unknown') > 0
                                    THEN (SELECT count(*) FROM spell WHERE employment = 'unknown')
                                    || ' worker(s) without an agency flag: employment unknown until the HR staff file says' END,
                               CASE WHEN (SELECT count(*) FROM spell WHERE fte_missing) > 0
                                    THEN (SELECT count(*) FROM spell WHERE fte_missing)
                                    || ' worker(s) without an FTE: counted as 1 until the HR staff file says' END), '') AS warning
                        """));
    }

    private static Dataset cinEpisodes() {
        return Dataset.of("ssd_cin_episodes", "referrals", List.of(
                        id("cine_referral_id", true), id("cine_person_id", true), ssdDate("cine_referral_date", true),
                        id("cine_referral_team", true), ssdDate("cine_close_date", false),
                        text("cine_cin_primary_need_code", false), text("cine_referral_source_code", false),
                        text("cine_referral_source_desc", false), text("cine_referral_outcome_json", false),
                        text("cine_referral_nfa", false), text("cine_close_reason", false),
                        id("cine_referral_worker_id", false)),
                List.of("cine_referral_id"),
                List.of(Reference.to("cine_referral_team", "teams", "team_id", "team")),
                "t.source = 'ssd' AND t.allocated_date IS NULL",
                (row, problems) -> Datasets.notBefore(row, problems, "cine_close_date", "cine_referral_date"))
                .mergedBy(List.of("referral_id"), List.of(
                        keptNative("referrals", "referrals", "referral_id", "cine_referral_id", "true", "record",
                                "t.child_id || ' ' || t.referral_date", "s.cine_person_id || ' ' || s.cine_referral_date"),
                        """
                        WITH src AS (SELECT cine_referral_id AS referral_id, cine_person_id AS child_id,
                                            cine_referral_team AS team_id, cine_referral_date AS referral_date,
                                            cine_close_date AS closed_date FROM import_stage),
                        changed AS (UPDATE referrals t SET child_id = s.child_id, team_id = s.team_id,
                                           referral_date = s.referral_date, closed_date = s.closed_date, import_id = :importId
                                    FROM src s WHERE t.referral_id = s.referral_id AND t.source = 'ssd'
                                      AND (t.child_id, t.team_id, t.referral_date, t.closed_date)
                                          IS DISTINCT FROM (s.child_id, s.team_id, s.referral_date, s.closed_date) RETURNING 1),
                        added AS (INSERT INTO referrals (referral_id, child_id, team_id, referral_date, closed_date, source, import_id)
                                  SELECT s.referral_id, s.child_id, s.team_id, s.referral_date, s.closed_date, 'ssd', :importId
                                  FROM src s WHERE NOT EXISTS (SELECT 1 FROM referrals t WHERE t.referral_id = s.referral_id)
                                  RETURNING 1)
                        SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated,
                               NULL::text AS warning
                        """,
                        ALLOCATED_DATES));
    }

    private static Dataset involvements() {
        return Dataset.of("ssd_involvements", "allocations", List.of(
                        id("invo_involvements_id", true), id("invo_professional_id", false),
                        text("invo_professional_role_id", false), id("invo_professional_team", false),
                        ssdDate("invo_involvement_start_date", false), ssdDate("invo_involvement_end_date", false),
                        oneOf("invo_worker_change_reason", false, Datasets.CHANGE_REASONS), id("invo_person_id", false),
                        id("invo_referral_id", false)),
                List.of("invo_involvements_id"),
                List.of(Reference.to("invo_professional_id", "ssd_professionals", "professional_id",
                        "worker in the loaded ssd_professionals")),
                "t.source = 'ssd' AND t.end_date IS NULL",
                (row, problems) -> {
                    if (row.get("invo_professional_id") == null) {
                        return; // no worker attached: not an allocation (counted in the receipt's warnings)
                    }
                    if (row.get("invo_person_id") == null) {
                        problems.add("invo_person_id", "an involvement with a worker needs the child (invo_person_id)");
                    }
                    if (row.get("invo_involvement_start_date") == null) {
                        problems.add("invo_involvement_start_date", "an involvement with a worker needs its start date");
                    }
                    Datasets.notBefore(row, problems, "invo_involvement_end_date", "invo_involvement_start_date");
                })
                .mergedBy(List.of("allocation_id"), List.of(
                        keptNative("allocations", "allocations", "allocation_id", "invo_involvements_id",
                                "s.invo_professional_id IS NOT NULL", "record",
                                "t.child_id || ' ' || t.staff_id || ' ' || t.start_date",
                                "s.invo_person_id || ' ' || (SELECT p.staff_id FROM ssd_professionals p"
                                        + " WHERE p.professional_id = s.invo_professional_id) || ' ' || s.invo_involvement_start_date"),
                        """
                        WITH src AS (SELECT s.invo_involvements_id AS allocation_id, s.invo_person_id AS child_id, p.staff_id,
                                            """ + caseTypeFromRole("s.invo_professional_role_id") + """
                                             AS case_type,
                                            s.invo_involvement_start_date AS start_date, s.invo_involvement_end_date AS end_date,
                                            s.invo_worker_change_reason AS change_reason, s.invo_referral_id AS referral_id
                                     FROM import_stage s JOIN ssd_professionals p ON p.professional_id = s.invo_professional_id),
                        changed AS (UPDATE allocations t SET child_id = s.child_id, staff_id = s.staff_id, case_type = s.case_type,
                                           start_date = s.start_date, end_date = s.end_date, change_reason = s.change_reason,
                                           referral_id = s.referral_id, import_id = :importId
                                    FROM src s WHERE t.allocation_id = s.allocation_id AND t.source = 'ssd'
                                      AND (t.child_id, t.staff_id, t.case_type, t.start_date, t.end_date, t.change_reason,
                                           t.referral_id)
                                          IS DISTINCT FROM (s.child_id, s.staff_id, s.case_type, s.start_date, s.end_date,
                                           s.change_reason, s.referral_id) RETURNING 1),
                        added AS (INSERT INTO allocations (allocation_id, child_id, staff_id, case_type, start_date, end_date,
                                                           change_reason, referral_id, source, import_id)
                                  SELECT s.*, 'ssd', :importId FROM src s
                                  WHERE NOT EXISTS (SELECT 1 FROM allocations t WHERE t.allocation_id = s.allocation_id)
                                  RETURNING 1)
                        SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated,
                               CASE WHEN (SELECT count(*) FROM import_stage WHERE invo_professional_id IS NULL) > 0
                                    THEN (SELECT count(*) FROM import_stage WHERE invo_professional_id IS NULL)
                                    || ' involvement(s) with no worker attached are not allocations and were left out' END
                                    AS warning
                        """,
                        ALLOCATED_DATES));
    }

    private static Dataset careLeavers() {
        return Dataset.of("ssd_care_leavers", "care_leavers", List.of(
                        id("clea_table_id", false), id("clea_person_id", true),
                        coded("clea_care_leaver_eligibility", false, ELIGIBILITY).withDefault("none"),
                        coded("clea_care_leaver_in_touch", false, IN_TOUCH), ssdDate("clea_care_leaver_latest_contact", false),
                        text("clea_care_leaver_accommodation", false), text("clea_care_leaver_accom_suitable", false),
                        text("clea_care_leaver_activity", false), ssdDate("clea_pathway_plan_review_date", false),
                        id("clea_care_leaver_personal_advisor", false), id("clea_care_leaver_allocated_team", false),
                        id("clea_care_leaver_worker_id", false)),
                List.of("clea_person_id"),
                List.of(Reference.to("clea_care_leaver_personal_advisor", "ssd_professionals", "professional_id",
                        "worker in the loaded ssd_professionals")),
                "t.source = 'ssd'", (row, problems) -> { })
                .withHistory("care_leaver_history")
                .mergedBy(List.of("child_id"), List.of(
                        keptNative("care_leavers", "care_leavers", "child_id", "clea_person_id", "true", "record",
                                "t.eligibility || ' ' || coalesce(t.pa_staff_id, '')",
                                "s.clea_care_leaver_eligibility || ' ' || coalesce((SELECT p.staff_id FROM ssd_professionals p"
                                        + " WHERE p.professional_id = s.clea_care_leaver_personal_advisor), '')"),
                        """
                        WITH src AS (SELECT s.clea_person_id AS child_id, s.clea_care_leaver_eligibility AS eligibility,
                                            p.staff_id AS pa_staff_id, s.clea_care_leaver_in_touch AS in_touch,
                                            s.clea_care_leaver_latest_contact AS latest_contact_date,
                                            s.clea_pathway_plan_review_date AS pathway_plan_review_date
                                     FROM import_stage s
                                     LEFT JOIN ssd_professionals p ON p.professional_id = s.clea_care_leaver_personal_advisor),
                        changed AS (UPDATE care_leavers t SET eligibility = s.eligibility, pa_staff_id = s.pa_staff_id,
                                           in_touch = s.in_touch, latest_contact_date = s.latest_contact_date,
                                           pathway_plan_review_date = s.pathway_plan_review_date, import_id = :importId
                                    FROM src s WHERE t.child_id = s.child_id AND t.source = 'ssd'
                                      AND (t.eligibility, t.pa_staff_id, t.in_touch, t.latest_contact_date,
                                           t.pathway_plan_review_date)
                                          IS DISTINCT FROM (s.eligibility, s.pa_staff_id, s.in_touch, s.latest_contact_date,
                                           s.pathway_plan_review_date) RETURNING t.*),
                        added AS (INSERT INTO care_leavers (child_id, eligibility, pa_staff_id, in_touch, latest_contact_date,
                                                            pathway_plan_review_date, source, import_id)
                                  SELECT s.*, 'ssd', :importId FROM src s
                                  WHERE NOT EXISTS (SELECT 1 FROM care_leavers t WHERE t.child_id = s.child_id)
                                  RETURNING *),
                        kept AS (INSERT INTO care_leaver_history (import_id, child_id, date_of_birth, eligibility, pa_staff_id,
                                        pa_allocated_date, in_touch, latest_contact_date, pathway_plan_review_date)
                                 SELECT :importId, child_id, date_of_birth, eligibility, pa_staff_id, pa_allocated_date, in_touch,
                                        latest_contact_date, pathway_plan_review_date FROM changed
                                 UNION ALL
                                 SELECT :importId, child_id, date_of_birth, eligibility, pa_staff_id, pa_allocated_date, in_touch,
                                        latest_contact_date, pathway_plan_review_date FROM added)
                        SELECT (SELECT count(*) FROM added) AS inserted, (SELECT count(*) FROM changed) AS updated,
                               NULL::text AS warning
                        """));
    }

    /**
     * A referral from the SSD stops waiting at the start of its first involvement (the SSD has no
     * allocation date) or, if it closed without one, at its close date.
     */
    static final String ALLOCATED_DATES = """
            WITH firsts AS (SELECT a.referral_id, min(a.start_date) AS first_start
                            FROM allocations a JOIN referrals r USING (referral_id)
                            WHERE r.source = 'ssd' AND a.start_date >= r.referral_date GROUP BY a.referral_id),
            want AS (SELECT r.referral_id, least(f.first_start, r.closed_date) AS allocated_date
                     FROM referrals r LEFT JOIN firsts f USING (referral_id) WHERE r.source = 'ssd'),
            changed AS (UPDATE referrals r SET allocated_date = w.allocated_date FROM want w
                        WHERE r.referral_id = w.referral_id AND r.allocated_date IS DISTINCT FROM w.allocated_date RETURNING 1)
            SELECT 0::bigint AS inserted, 0::bigint AS updated, NULL::text AS warning FROM (SELECT count(*) FROM changed) c
            """;

    /**
     * Staged records whose key matches a row a native file wrote are not applied: each difference is
     * listed once in source_conflicts and counted in the receipt's warnings.
     */
    private static String keptNative(String conflictDataset, String table, String targetKey, String stageKey,
                                     String differs, String field, String storedExpr, String incomingExpr) {
        return """
                WITH clash AS (SELECT jsonb_build_object('%4$s', t.%4$s) AS record_key, (%6$s)::text AS stored,
                                      (%7$s)::text AS incoming
                               FROM import_stage s JOIN %2$s t ON t.%4$s = s.%3$s
                               WHERE t.source <> 'ssd' AND (%5$s) AND (%6$s)::text IS DISTINCT FROM (%7$s)::text),
                added AS (INSERT INTO source_conflicts (dataset, record_key, field, stored_value, incoming_value, source, import_id)
                          SELECT '%1$s', c.record_key, '%8$s', c.stored, c.incoming, 'ssd', :importId FROM clash c
                          WHERE NOT EXISTS (SELECT 1 FROM source_conflicts x WHERE (x.resolved_at IS NULL OR x.resolution = 'dismissed')
                                AND x.dataset = '%1$s' AND x.record_key = c.record_key AND x.field = '%8$s'
                                AND x.incoming_value IS NOT DISTINCT FROM c.incoming)
                          RETURNING 1)
                SELECT 0::bigint AS inserted, 0::bigint AS updated,
                       CASE WHEN (SELECT count(*) FROM clash) > 0 THEN (SELECT count(*) FROM clash)
                            || ' record(s) were written by a native %1$s file and are kept as it says; the extract''s values'
                            || ' are listed at /api/data-quality' END AS warning
                """.formatted(conflictDataset, table, stageKey, targetKey, differs, storedExpr, incomingExpr, field);
    }

    private static String caseTypeFromRole(String column) {
        StringBuilder sql = new StringBuilder("CASE upper(trim(" + column + "))");
        CASE_TYPES.forEach((code, type) -> sql.append(" WHEN '").append(code).append("' THEN '").append(type).append("'"));
        return sql.append(" ELSE 'other' END").toString();
    }

    /** Job titles are free text: the role is read from the usual words in them, the first that match. */
    private static String roleFromTitle(String column) {
        StringBuilder sql = new StringBuilder("CASE");
        TITLE_WORDS.forEach((words, role) -> sql.append(" WHEN ").append(column).append(" ~* '").append(words).append("' THEN ")
                .append(role.sql()));
        return sql.append(" ELSE ").append(StaffRole.OTHER.sql()).append(" END").toString();
    }

    private static Map<String, String> codes(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
