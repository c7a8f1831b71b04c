package org.workforcewatch.ingest.ssd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoAuthority;

/**
 * A whole SSD extract set generated from the demo authority, as a case-management system would write
 * it (datetime values, description text, 1900-01-01 for no date), loads as one zip, and what is stored
 * equals what the files say.
 */
class SsdRoundTripTest extends ApiTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 24);
    private static final Map<String, String> TITLES = Map.of("social_worker", "Social Worker", "senior_practitioner",
            "Senior Practitioner", "advanced_practitioner", "Advanced Practitioner", "team_manager", "Team Manager",
            "service_manager", "Service Manager", "personal_adviser", "Personal Adviser", "asye", "ASYE Social Worker",
            "family_support", "Family Support Worker", "other", "Business Support Officer");
    private static final Map<String, String> ROLE_CODES = Map.of("cin", "CIN", "cp", "CP", "cla", "CLA", "care_leaver", "16PLUS",
            "assessment", "ASSESS", "early_help", "EH", "other", "OTHER");
    private static final Map<String, String> ELIGIBILITY = Map.of("eligible", "Eligible", "relevant", "Relevant",
            "former_relevant", "Former Relevant", "qualifying", "Qualifying", "none", "No Current Eligibility");
    private static final Map<String, String> IN_TOUCH = Map.of("yes", "YES", "no", "NO", "died", "DIED", "refused", "REFU",
            "not_required", "NREQ", "returned_home", "RHOM");

    private static List<Map<String, String>> rows(String csv) {
        List<String> lines = csv.lines().toList();
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static String datetime(String date) {
        return date.isEmpty() ? "1900-01-01 00:00:00.000" : date + " 00:00:00.000";
    }

    @Test
    void aGeneratedExtractSetLoadsAndStoresWhatItsFilesSay() {
        Map<String, String> demo = DemoAuthority.generate(AS_OF, 7).files();
        List<Map<String, String>> teams = rows(demo.get("teams"));
        List<Map<String, String>> staff = rows(demo.get("staff"));
        List<Map<String, String>> allocations = rows(demo.get("allocations"));
        List<Map<String, String>> careLeavers = rows(demo.get("care_leavers"));
        List<Map<String, String>> referrals = rows(demo.get("referrals"));
        Map<String, String> teamName = new HashMap<>();
        teams.forEach(t -> teamName.put(t.get("team_id"), t.get("team_name")));

        // each worker's latest spell describes them in ssd_professionals
        Map<String, Map<String, String>> latest = new LinkedHashMap<>();
        staff.forEach(s -> latest.merge(s.get("staff_id"), s, (a, b) -> a.get("start_date").compareTo(b.get("start_date")) >= 0 ? a : b));

        StringBuilder department = new StringBuilder("dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name\n");
        teams.forEach(t -> department.append(t.get("team_id")).append(',').append(t.get("team_name")).append(",,")
                .append(t.get("service")).append('\n'));
        StringBuilder professionals = new StringBuilder("prof_professional_id,prof_staff_id,prof_professional_job_title,"
                + "prof_professional_department,prof_full_time_equivalency,prof_agency_worker_flag\n");
        latest.values().forEach(s -> professionals.append("P-").append(s.get("staff_id")).append(',').append(s.get("staff_id"))
                .append(',').append(TITLES.get(s.get("role"))).append(',').append(teamName.get(s.get("team_id"))).append(',')
                .append(s.get("fte")).append(',').append(s.get("employment").equals("agency") ? "Y" : "N").append('\n'));
        StringBuilder involvements = new StringBuilder("invo_involvements_id,invo_professional_id,invo_professional_role_id,"
                + "invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id\n");
        allocations.forEach(a -> involvements.append(a.get("allocation_id")).append(",P-").append(a.get("staff_id")).append(',')
                .append(ROLE_CODES.get(a.get("case_type"))).append(',').append(datetime(a.get("start_date"))).append(',')
                .append(datetime(a.get("end_date"))).append(',').append(a.get("change_reason")).append(',')
                .append(a.get("child_id")).append('\n'));
        StringBuilder leavers = new StringBuilder("clea_table_id,clea_person_id,clea_care_leaver_eligibility,"
                + "clea_care_leaver_in_touch,clea_care_leaver_latest_contact,clea_care_leaver_personal_advisor\n");
        careLeavers.forEach(c -> leavers.append(java.util.UUID.randomUUID()).append(',').append(c.get("child_id")).append(',')
                .append(ELIGIBILITY.get(c.get("eligibility"))).append(',').append(IN_TOUCH.getOrDefault(c.get("in_touch"), ""))
                .append(',').append(datetime(c.get("latest_contact_date"))).append(',')
                .append(c.get("pa_staff_id").isEmpty() ? "" : "P-" + c.get("pa_staff_id")).append('\n'));
        StringBuilder episodes = new StringBuilder("cine_referral_id,cine_person_id,cine_referral_date,cine_referral_team\n");
        referrals.forEach(r -> {
            LocalDate d = LocalDate.parse(r.get("referral_date"));
            episodes.append(r.get("referral_id")).append(',').append(r.get("child_id")).append(',')
                    .append(String.format("%02d/%02d/%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear())).append(',')
                    .append(r.get("team_id")).append('\n');
        });
        Map<String, String> extract = new LinkedHashMap<>();
        extract.put("ssd_care_leavers", leavers.toString());
        extract.put("ssd_involvements", involvements.toString());
        extract.put("ssd_cin_episodes", episodes.toString());
        extract.put("ssd_professionals", professionals.toString());
        extract.put("ssd_department", department.toString());

        web.post().uri("/api/imports/ssd").contentType(MediaType.parseMediaType("application/zip"))
                .bodyValue(SsdFixtures.zip(extract)).exchange().expectStatus().isCreated();

        TreeSet<String> expectedTeams = new TreeSet<>();
        teams.forEach(t -> expectedTeams.add(t.get("team_id") + "|" + t.get("team_name") + "|" + t.get("service")));
        assertThat(lines("SELECT team_id || '|' || team_name || '|' || service FROM teams")).isEqualTo(expectedTeams);

        TreeSet<String> expectedSpells = new TreeSet<>();
        latest.values().forEach(s -> expectedSpells.add(s.get("staff_id") + "|" + s.get("team_id") + "|" + s.get("role") + "|"
                + (s.get("employment").equals("agency") ? "agency" : "permanent") + "|" + new java.math.BigDecimal(s.get("fte")).stripTrailingZeros().toPlainString()));
        assertThat(lines("SELECT staff_id || '|' || team_id || '|' || role || '|' || employment || '|' || fte::float8"
                + " FROM staff_spells WHERE end_date IS NULL")).isEqualTo(expectedSpells);

        TreeSet<String> expectedAllocations = new TreeSet<>();
        allocations.forEach(a -> expectedAllocations.add(String.join("|", a.get("allocation_id"), a.get("child_id"),
                a.get("staff_id"), a.get("case_type"), a.get("start_date"), a.get("end_date"), a.get("change_reason"))));
        assertThat(lines("SELECT concat_ws('|', allocation_id, child_id, staff_id, case_type, start_date, coalesce(end_date::text, ''),"
                + " coalesce(change_reason, '')) FROM allocations")).isEqualTo(expectedAllocations);

        TreeSet<String> expectedLeavers = new TreeSet<>();
        careLeavers.forEach(c -> expectedLeavers.add(String.join("|", c.get("child_id"), c.get("eligibility"),
                c.get("in_touch"), c.get("latest_contact_date"), c.get("pa_staff_id"))));
        assertThat(lines("SELECT concat_ws('|', child_id, eligibility, coalesce(in_touch, ''), coalesce(latest_contact_date::text, ''),"
                + " coalesce(pa_staff_id, '')) FROM care_leavers")).isEqualTo(expectedLeavers);

        TreeSet<String> expectedReferrals = new TreeSet<>();
        referrals.forEach(r -> expectedReferrals.add(String.join("|", r.get("referral_id"), r.get("child_id"), r.get("team_id"),
                r.get("referral_date"))));
        assertThat(lines("SELECT concat_ws('|', referral_id, child_id, team_id, referral_date) FROM referrals"))
                .isEqualTo(expectedReferrals);
    }

    private TreeSet<String> lines(String sql) {
        return new TreeSet<>(db.sql(sql).map(r -> r.get(0, String.class)).all().collectList().block());
    }
}
