package org.workforcewatch.ingest.csv;

import static org.workforcewatch.ingest.csv.Column.bool;
import static org.workforcewatch.ingest.csv.Column.date;
import static org.workforcewatch.ingest.csv.Column.decimal;
import static org.workforcewatch.ingest.csv.Column.id;
import static org.workforcewatch.ingest.csv.Column.oneOf;
import static org.workforcewatch.ingest.csv.Column.text;

import java.util.List;
import java.util.regex.Pattern;
import org.workforcewatch.ingest.csv.Dataset.Reference;
import org.workforcewatch.ingest.csv.Dataset.Row;
import org.workforcewatch.ingest.csv.Dataset.RowProblems;

/**
 * The agency register as an import (docs/DATA-FORMATS.md, "agency_assignments"): one row per agency assignment of a
 * worker of the HR file, keyed by worker and start. Its checks are in sql/V24__agency_register.sql.
 */
final class AgencyAssignments {

    /** The five role categories of the Department's agency return. */
    static final String[] ROLE_CATEGORIES = org.workforcewatch.staffing.AgencyRoleCategory.ids().toArray(String[]::new);

    /** Social Work England registration numbers, as the 2022 census schema checks them. */
    static final Pattern SWE_NUMBER = Pattern.compile("[A-Za-z]{2}\\d{10}");

    private static final List<String> APPROVAL = List.of("approved_by", "approved_at", "approval_reason");

    /**
     * Merged keeping an approval recorded in the app when the file's row has none: a later file without the approval
     * columns filled never loses who signed a breach off. An approval in the file approves the row's own rate.
     */
    private static final String MERGE = """
            WITH up AS (
                INSERT INTO agency_assignments AS t (staff_id, start_date, role_category, agency_name, hourly_rate,
                    planned_end_date, end_date, notice_given_date, notice_weeks, project_team, project_team_name, swe_number,
                    approved_by, approved_at, approval_reason, approved_rate, import_id)
                SELECT staff_id, start_date, role_category, agency_name, hourly_rate, planned_end_date, end_date,
                       notice_given_date, notice_weeks, project_team, project_team_name, swe_number, approved_by,
                       approved_at::timestamptz, approval_reason,
                       CASE WHEN approved_by IS NOT NULL THEN hourly_rate::numeric END, :importId
                FROM import_stage
                ON CONFLICT (staff_id, start_date) DO UPDATE SET role_category = excluded.role_category,
                    agency_name = excluded.agency_name, hourly_rate = excluded.hourly_rate,
                    planned_end_date = excluded.planned_end_date, end_date = excluded.end_date,
                    notice_given_date = excluded.notice_given_date, notice_weeks = excluded.notice_weeks,
                    project_team = excluded.project_team, project_team_name = excluded.project_team_name,
                    swe_number = excluded.swe_number,
                    approved_by = coalesce(excluded.approved_by, t.approved_by),
                    approved_at = CASE WHEN excluded.approved_by IS NULL THEN t.approved_at ELSE excluded.approved_at END,
                    approval_reason = CASE WHEN excluded.approved_by IS NULL THEN t.approval_reason
                                           ELSE excluded.approval_reason END,
                    approved_rate = CASE WHEN excluded.approved_by IS NULL THEN t.approved_rate ELSE excluded.approved_rate END,
                    import_id = excluded.import_id
                WHERE (t.role_category, t.agency_name, t.hourly_rate, t.planned_end_date, t.end_date, t.notice_given_date,
                       t.notice_weeks, t.project_team, t.project_team_name, t.swe_number)
                      IS DISTINCT FROM (excluded.role_category, excluded.agency_name, excluded.hourly_rate,
                       excluded.planned_end_date, excluded.end_date, excluded.notice_given_date, excluded.notice_weeks,
                       excluded.project_team, excluded.project_team_name, excluded.swe_number)
                   OR (excluded.approved_by IS NOT NULL AND (t.approved_by, t.approved_at, t.approval_reason)
                       IS DISTINCT FROM (excluded.approved_by, excluded.approved_at, excluded.approval_reason))
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
                   NULL::text AS warning FROM up
            """;

    private AgencyAssignments() {
    }

    static Dataset dataset(Reference staff) {
        return Dataset.of("agency_assignments", "agency_assignments", List.of(
                id("staff_id", true), date("start_date", true), oneOf("role_category", true, ROLE_CATEGORIES),
                text("agency_name", true), decimal("hourly_rate", true, "0", true, "10000"),
                date("planned_end_date", false), date("end_date", false), date("notice_given_date", false),
                decimal("notice_weeks", false, "0", false, "520"), bool("project_team", false).withDefault("f"),
                text("project_team_name", false), id("swe_number", false),
                text("approved_by", false), date("approved_at", false), text("approval_reason", false)),
                List.of("staff_id", "start_date"), List.of(staff), null, AgencyAssignments::rules)
                .mergedBy(List.of("staff_id", "start_date"), List.of(MERGE));
    }

    static void rules(Row row, RowProblems problems) {
        Datasets.notBefore(row, problems, "end_date", "start_date");
        Datasets.notBefore(row, problems, "planned_end_date", "start_date");
        String swe = row.get("swe_number");
        if (swe != null && !SWE_NUMBER.matcher(swe).matches()) {
            problems.add("swe_number", "not a Social Work England number: two letters then ten digits, as SW0000012345");
        }
        if (row.get("notice_given_date") != null && row.get("notice_weeks") != null) {
            problems.add("notice_weeks", "give the notice as a date (notice_given_date) or in weeks (notice_weeks), not both");
        }
        long approvalCells = APPROVAL.stream().filter(c -> row.get(c) != null).count();
        if (approvalCells > 0 && approvalCells < APPROVAL.size()) {
            String missing = String.join(", ", APPROVAL.stream().filter(c -> row.get(c) == null).toList());
            problems.add(missing.split(", ")[0], "an approval of a price-cap breach needs who, when and why: " + missing
                    + " missing");
        }
        boolean projectTeam = "t".equals(row.get("project_team"));
        if (projectTeam && row.get("project_team_name") == null) {
            problems.add("project_team_name", "a project team needs its name or reference");
        }
        if (!projectTeam && row.get("project_team_name") != null) {
            problems.add("project_team_name", "project_team_name is for project teams only (project_team is N)");
        }
    }
}
