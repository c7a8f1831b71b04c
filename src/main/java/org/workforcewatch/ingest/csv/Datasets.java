package org.workforcewatch.ingest.csv;

import static org.workforcewatch.ingest.csv.Column.bool;
import static org.workforcewatch.ingest.csv.Column.date;
import static org.workforcewatch.ingest.csv.Column.decimal;
import static org.workforcewatch.ingest.csv.Column.id;
import static org.workforcewatch.ingest.csv.Column.integer;
import static org.workforcewatch.ingest.csv.Column.oneOf;
import static org.workforcewatch.ingest.csv.Column.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.workforcewatch.ingest.csv.Dataset.Reference;
import org.workforcewatch.ingest.csv.Dataset.Row;
import org.workforcewatch.ingest.csv.Dataset.RowProblems;
import org.workforcewatch.staffing.StaffRole;

/**
 * Every dataset of docs/DATA-FORMATS.md, in dependency order (what a dataset refers to comes first):
 * the native files, then the Standard Safeguarding Dataset tables.
 */
public final class Datasets {

    public static final String[] ROLES = StaffRole.ids().toArray(String[]::new);
    public static final String[] TEAM_TYPES = {"assessment", "safeguarding", "children_in_care", "care_leavers",
        "disabled_children", "out_of_hours", "fostering", "adoption", "other"};
    public static final String[] EMPLOYMENT = {"permanent", "fixed_term", "agency"};
    public static final String[] LEAVING_REASONS = {"resigned", "retired", "dismissed", "end_of_contract", "internal_move", "other"};
    public static final String[] CASE_TYPES = {"assessment", "cin", "cp", "cla", "care_leaver", "early_help", "other"};
    public static final String[] CHANGE_REASONS = {"MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN",
        "SWDIED", "OTHERS"};
    public static final String[] ELIGIBILITY = {"eligible", "relevant", "former_relevant", "qualifying", "none"};
    public static final String[] IN_TOUCH = {"yes", "no", "died", "refused", "not_required", "returned_home"};
    public static final String[] MEASURES = {"turnover_rate", "agency_rate", "vacancy_rate", "caseload_per_fte", "absence_rate", "fte"};

    private static final Reference TEAM = Reference.to("team_id", "teams", "team_id", "team");
    private static final Reference STAFF = Reference.to("staff_id", "staff_spells", "staff_id", "staff member");

    /** The HR file is the record of employment: it replaces the provisional spells an SSD extract opened. */
    private static final String RETIRE_PROVISIONAL_SPELLS = """
            WITH gone AS (DELETE FROM staff_spells t WHERE t.source = 'ssd'
                          AND EXISTS (SELECT 1 FROM import_stage s WHERE s.staff_id = t.staff_id) RETURNING 1)
            SELECT 0::bigint AS inserted, 0::bigint AS updated,
                   CASE WHEN count(*) > 0 THEN count(*) || ' provisional spell(s) from an SSD extract replaced by the HR'
                        || ' records of the same workers' END AS warning FROM gone
            """;

    private static final Map<String, Dataset> ALL = new LinkedHashMap<>();

    static {
        add(Dataset.of("teams", "teams", List.of(
                id("team_id", true), text("team_name", true), text("service", true),
                oneOf("team_type", true, TEAM_TYPES), id("parent_team_id", false)),
                List.of("team_id"),
                List.of(new Reference(List.of("parent_team_id"), "teams", List.of("team_id"), true, "team")),
                "t.source NOT IN ('ssd', 'census', 'csc_api')", Datasets::noRowRules).owningRows());
        add(Dataset.of("staff", "staff_spells", List.of(
                id("staff_id", true), id("team_id", true), oneOf("role", true, ROLES),
                oneOf("employment", true, EMPLOYMENT), decimal("fte", true, "0", true, "1"),
                date("start_date", true), date("end_date", false), oneOf("leaving_reason", false, LEAVING_REASONS),
                bool("case_holding", true), date("qualified_date", false), text("agency_name", false),
                decimal("agency_hourly_rate", false, "0", false, null)),
                List.of("staff_id", "team_id", "start_date"), List.of(TEAM), "t.end_date IS NULL AND t.source NOT IN ('ssd', 'census', 'csc_api')",
                Datasets::staffRules).owningRows().withPrelude(List.of(RETIRE_PROVISIONAL_SPELLS)));
        add(Dataset.of("establishment", "establishment", List.of(
                id("team_id", true), oneOf("role", true, ROLES), decimal("funded_fte", true, "0", false, null),
                date("effective_from", true)),
                List.of("team_id", "role", "effective_from"), List.of(TEAM), null, Datasets::noRowRules));
        add(Dataset.of("planned_starters", "planned_starters", List.of(
                id("planned_id", true), id("team_id", true), oneOf("role", true, ROLES),
                oneOf("employment", true, EMPLOYMENT), decimal("fte", true, "0", true, "1"), date("start_date", true),
                oneOf("status", true, "offer", "accepted"), text("notes", false)),
                List.of("planned_id"), List.of(TEAM), "t.start_date >= current_date", Datasets::noRowRules));
        add(Dataset.of("allocations", "allocations", List.of(
                id("allocation_id", true), id("child_id", true), id("staff_id", true),
                oneOf("case_type", true, CASE_TYPES), date("start_date", true), date("end_date", false),
                oneOf("change_reason", false, CHANGE_REASONS)),
                List.of("allocation_id"), List.of(STAFF), "t.end_date IS NULL AND t.source NOT IN ('ssd', 'census', 'csc_api')",
                (row, problems) -> notBefore(row, problems, "end_date", "start_date")).owningRows());
        add(Dataset.of("referrals", "referrals", List.of(
                id("referral_id", true), id("child_id", true), id("team_id", true), date("referral_date", true),
                date("allocated_date", false)),
                List.of("referral_id"), List.of(TEAM), "t.allocated_date IS NULL AND t.source NOT IN ('ssd', 'census', 'csc_api')",
                (row, problems) -> notBefore(row, problems, "allocated_date", "referral_date")).owningRows());
        add(Dataset.of("children_in_care", "children_in_care", List.of(
                id("child_id", true), date("date_of_birth", true), date("period_start", true), date("period_end", false),
                date("latest_assessment_date", false)),
                List.of("child_id", "period_start"), List.of(), "t.period_end IS NULL AND t.source <> 'csc_api'",
                (row, problems) -> {
                    notBefore(row, problems, "period_end", "period_start");
                    notBefore(row, problems, "period_start", "date_of_birth");
                }).owningRows());
        add(Dataset.of("care_leavers", "care_leavers", List.of(
                id("child_id", true), date("date_of_birth", true), oneOf("eligibility", true, ELIGIBILITY),
                id("pa_staff_id", false), date("pa_allocated_date", false), oneOf("in_touch", false, IN_TOUCH),
                date("latest_contact_date", false), date("pathway_plan_review_date", false)),
                List.of("child_id"),
                List.of(Reference.to("pa_staff_id", "staff_spells", "staff_id", "staff member")),
                "t.source NOT IN ('ssd', 'census', 'csc_api')", Datasets::noRowRules).withHistory("care_leaver_history").owningRows());
        add(Dataset.of("supervision", "supervision", List.of(
                id("staff_id", true), date("supervision_date", true),
                Column.oneOf("kind", false, "formal", "reflective", "group").withDefault("formal")),
                List.of("staff_id", "supervision_date"), List.of(STAFF), null, Datasets::noRowRules));
        add(Dataset.of("training", "training", List.of(
                id("staff_id", true), text("course", true), date("due_date", false), date("completed_date", false)),
                List.of("staff_id", "course"), List.of(STAFF), null, Datasets::noRowRules));
        add(Dataset.of("absence", "absence", List.of(
                id("staff_id", true), date("start_date", true), date("end_date", true),
                oneOf("reason", true, "sickness", "other"), decimal("working_days_lost", false, "0", false, null)),
                List.of("staff_id", "start_date"), List.of(STAFF), null,
                (row, problems) -> notBefore(row, problems, "end_date", "start_date")));
        add(Dataset.of("shift_requirements", "shift_requirements", List.of(
                id("team_id", true), id("shift", true), integer("required_staff", true, "1")),
                List.of("team_id", "shift"), List.of(TEAM), "true", Datasets::noRowRules));
        add(Dataset.of("shifts", "shifts", List.of(
                date("shift_date", true), id("team_id", true), id("shift", true), id("staff_id", true)),
                List.of("shift_date", "team_id", "shift", "staff_id"),
                List.of(new Reference(List.of("team_id", "shift"), "shift_requirements", List.of("team_id", "shift"), false,
                        "shift requirement"), STAFF),
                null, Datasets::noRowRules));
        add(Dataset.of("benchmarks", "benchmarks", List.of(
                integer("year", true, "1990"), id("area_code", true), text("area_name", true),
                oneOf("geographic_level", true, "national", "regional", "local_authority"),
                oneOf("measure", true, MEASURES), decimal("value", true, null, false, null)),
                List.of("year", "area_code", "measure"), List.of(), null, Datasets::noRowRules)
                .withAlternative(new PublishedWorkforceFile()));
        add(AgencyAssignments.dataset(STAFF));
    }

    private Datasets() {
    }

    private static void add(Dataset d) {
        ALL.put(d.name(), d);
    }

    public static Optional<Dataset> byName(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** The dataset of this name, or the problem that lists the names there are. */
    public static Dataset named(String name) {
        return byName(name).orElseThrow(() -> new UnknownDataset(name, loadOrder()));
    }

    /** Dataset names in the order a full extract must be loaded. */
    public static List<String> loadOrder() {
        return List.copyOf(ALL.keySet());
    }

    public static List<Dataset> all() {
        return List.copyOf(ALL.values());
    }

    private static void noRowRules(Row row, RowProblems problems) {
    }

    private static void staffRules(Row row, RowProblems problems) {
        notBefore(row, problems, "end_date", "start_date");
        if (row.get("leaving_reason") != null && row.get("end_date") == null) {
            problems.add("leaving_reason", "a leaving reason needs an end_date");
        }
        if (!"agency".equals(row.get("employment"))) {
            if (row.get("agency_name") != null) {
                problems.add("agency_name", "agency_name is for agency spells only (employment is " + row.get("employment") + ")");
            }
            if (row.get("agency_hourly_rate") != null) {
                problems.add("agency_hourly_rate",
                        "agency_hourly_rate is for agency spells only (employment is " + row.get("employment") + ")");
            }
        }
    }

    /** ISO dates compare correctly as text. */
    public static void notBefore(Row row, RowProblems problems, String later, String earlier) {
        String l = row.get(later);
        String e = row.get(earlier);
        if (l != null && e != null && l.compareTo(e) < 0) {
            problems.add(later, later + " is before " + earlier + " (" + e + ")");
        }
    }
}
