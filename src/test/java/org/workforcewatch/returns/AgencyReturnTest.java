package org.workforcewatch.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.workforcewatch.returns.AgencyReturnFixtures.HEADER;
import static org.workforcewatch.returns.AgencyReturnFixtures.REGISTER;
import static org.workforcewatch.returns.AgencyReturnFixtures.STAFF;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/**
 * The quarterly agency return of 2025-Q1 on a register with breaches, an approval, a project team, a re-engagement,
 * missing data and assignments outside the quarter, checked row by row against expectations worked by hand.
 * The test's caps (src/test/resources/config/application.yml, made up): social worker 40.00 from 31 October 2024 and
 * 42.00 from 1 February 2025, senior social worker 45.00, advanced practitioner 50.00, team manager 55.00, IRO/CP chair
 * 52.00. Each assignment is judged on its last day in the quarter (31 March 2025 unless it ended earlier), except the
 * price cap, which is broken if the rate exceeded the cap in force on any of its days in the quarter. An assignment
 * started before the rules (31 October 2024) is judged only from 1 October 2025: in 2025-Q1 every check of it is
 * not applicable.
 */
class AgencyReturnTest extends ApiTest {

    @BeforeEach
    void register() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", STAFF).expectStatus().isCreated();
        upload("agency_assignments", REGISTER).expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String quarter) {
        return web.get().uri("/api/returns/agency?quarter=" + quarter).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    private static String row(Map<String, Object> r) {
        return r.get("register_key") + " " + r.get("role_category") + " " + r.get("hourly_rate") + " cap " + r.get("price_cap")
                + " judged " + r.get("judged_on") + ": " + r.get("experience") + " " + r.get("price_cap_check") + " "
                + r.get("reengagement") + " " + r.get("notice") + " " + r.get("breach_approved") + " noncompliant "
                + r.get("noncompliant");
    }

    @Test
    void theReturnHasOneRowPerAssignmentActiveInTheQuarterJudgedAsWorkedByHand() {
        Map<String, Object> body = json("2025-Q1");
        assertThat(body.get("from")).isEqualTo("2025-01-01");
        assertThat(body.get("to")).isEqualTo("2025-03-31");
        assertThat(body.get("region")).isEqualTo("east_of_england");
        // A7 ended 31 December 2024 and A8 starts 1 April 2025: outside the quarter. Ordered by staff_id, start.
        assertThat(list(body, "assignments")).extracting(AgencyReturnTest::row).containsExactly(
                // qualified 2015-06-01, 9 years at the start; 39.50 <= 42.00 (the cap from 1 February); no end, no notice
                "A1/2024-11-01 social_worker 39.5 cap 42.0 judged 2025-03-31: pass pass pass not_applicable not_applicable noncompliant false",
                // ended 31 January: judged then, when the cap was 40.00 < 41.00; a breach without an approval; 4 weeks' notice
                "A10/2024-12-01 social_worker 41.0 cap 40.0 judged 2025-01-31: pass fail pass pass fail noncompliant true",
                // 41.00 is within the 42.00 in force on 31 March but was above the 40.00 of 6 to 31 January: a breach in the
                // quarter, not approved; qualified 2023-01-10: 3 years only on 2026-01-10
                "A2/2025-01-06 social_worker 41.0 cap 40.0 judged 2025-03-31: fail fail pass not_applicable fail noncompliant true",
                // 47.00 > 45.00 approved (who, when, why); notice 31 January to end 28 February = 28 days, exactly 4 weeks
                "A3/2025-01-13 senior_social_worker 47.0 cap 45.0 judged 2025-02-28: pass fail pass pass pass noncompliant false",
                // a project team's manager at 60.00 > 55.00, not approved, but started before the rules: judged only from
                // 1 October 2025, so nothing applies in 2025-Q1
                "A4/2024-06-01 team_manager 60.0 cap 55.0 judged 2025-03-31: not_applicable not_applicable not_applicable"
                        + " not_applicable not_applicable noncompliant false",
                // left a permanent post 20 December 2024, back as agency 3 February 2025: within 3 months (from 3 November)
                "A5/2025-02-03 social_worker 40.0 cap 42.0 judged 2025-03-31: pass pass fail not_applicable not_applicable noncompliant true",
                // no qualified date and ended without a notice recorded: not known, never a pass; 49.00 <= 50.00
                "A6/2024-11-04 advanced_practitioner 49.0 cap 50.0 judged 2025-01-10: not_known pass pass not_known not_applicable noncompliant false",
                // 2 weeks' notice < 4; 50.00 <= 52.00
                "A9/2025-03-10 iro_cp_chair 50.0 cap 52.0 judged 2025-03-31: pass pass pass fail not_applicable noncompliant true");
        Map<String, Object> a4 = list(body, "assignments").get(4);
        assertThat(a4.get("project_team")).isEqualTo(true);
        assertThat(a4.get("project_team_name")).isEqualTo("PT-North");
        assertThat(a4.get("swe_number")).isNull();
        assertThat(list(body, "assignments").get(0).get("swe_number")).isEqualTo("SW0000000001");
        assertThat(list(body, "assignments").get(0).get("start_date")).isEqualTo("2024-11-01");
        assertThat(list(body, "assignments").get(1).get("end_date")).isEqualTo("2025-01-31");
    }

    @Test
    void theComplianceSummaryCountsEachRuleOverTheQuartersAssignments() {
        Map<String, Object> body = json("2025-Q1");
        // from the 8 rows above: passes, fails, not known, not applicable per rule
        assertThat(list(body, "compliance")).extracting(c -> c.get("rule") + " " + c.get("compliant") + " " + c.get("not_compliant")
                + " " + c.get("not_known") + " " + c.get("not_applicable")).containsExactly(
                "experience 5 1 1 1",        // fail A2; not known A6; A4 not judged yet
                "price_cap 4 3 0 1",         // breaches A10, A2 (in January), A3
                "reengagement 6 1 0 1",      // A5
                "notice 2 1 1 4",            // pass A10, A3; fail A9; not known A6; no end yet A1, A2, A5, and A4
                "breach_approved 1 2 0 5");  // approved A3; not A10, A2; no breach for A1, A5, A6, A9, and A4
        assertThat(list(body, "breaches")).extracting(b -> b.get("register_key") + " " + b.get("hourly_rate") + ">" + b.get("price_cap")
                + " " + b.get("approved_by") + " " + b.get("reason")).containsExactly(
                "A10/2024-12-01 41.0>40.0 null null",
                "A2/2025-01-06 41.0>40.0 null null",
                "A3/2025-01-13 47.0>45.0 Director CS Court deadline cover");
        assertThat((String) list(body, "breaches").get(2).get("approved_at")).startsWith("2025-01-");
        // the file's approval approved the row's own rate
        assertThat(list(body, "breaches").get(2).get("approved_rate")).isEqualTo(47.0);
        assertThat(list(body, "breaches").get(2).get("approval_outlived")).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> spend = (Map<String, Object>) body.get("monthly_spend");
        assertThat(spend.get("available")).isEqualTo(false);
        assertThat((String) spend.get("gap")).contains("hours");
    }

    @Test
    void theCsvReturnNeutralisesFormulasAndNamesEachRegisterRow() {
        for (var request : List.of(web.get().uri("/api/returns/agency?quarter=2025-Q1&format=csv"),
                web.get().uri("/api/returns/agency?quarter=2025-q1").accept(MediaType.parseMediaType("text/csv")))) {
            byte[] bytes = request.exchange().expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                    .expectBody().returnResult().getResponseBody();
            String csv = new String(bytes, StandardCharsets.UTF_8);
            String assignments = csv.substring(0, csv.indexOf("\r\n\r\n") + 2);
            List<Map<String, String>> rows = org.workforcewatch.CsvTable.rows(assignments);
            assertThat(rows).extracting(r -> r.get("register_key")).containsExactly("A1/2024-11-01", "A10/2024-12-01",
                    "A2/2025-01-06", "A3/2025-01-13", "A4/2024-06-01", "A5/2025-02-03", "A6/2024-11-04", "A9/2025-03-10");
            // the agency named "=1+2 Staffing" would run as a formula in a spreadsheet: written with a leading apostrophe
            assertThat(rows.get(7).get("agency_name")).isEqualTo("'=1+2 Staffing");
            assertThat(rows.get(7).get("notice")).isEqualTo("fail");
            assertThat(rows.get(1).get("price_cap")).isEqualTo("40.00");
            assertThat(csv).contains("\r\nrule,compliant,not_compliant,not_known,not_applicable\r\nexperience,5,1,1,1\r\n");
            assertThat(csv).contains("A3/2025-01-13,47.00,45.00,Director CS,");
            assertThat(csv).contains("\r\nA2/2025-01-06,41.00,40.00,,,,,\r\n");
        }
    }

    @Test
    void aDownloadIsAuditedWithItsQuarter() {
        as("hr").get().uri("/api/returns/agency?quarter=2025-Q1&format=csv").exchange().expectStatus().isOk();
        assertThat(one("SELECT actor || ' ' || action || ' ' || query || ' ' || (detail->>'quarter') || ' ' || status"
                + " FROM audit_log WHERE path = '/api/returns/agency' ORDER BY id DESC LIMIT 1"))
                .isEqualTo("hr agency_return quarter=2025-Q1&format=csv 2025-Q1 200");
    }

    @Test
    void aBadQuarterIsA400NamingTheParameter() {
        for (String bad : List.of("2025-Q5", "2025Q1", "Q1-2025", "")) {
            web.get().uri("/api/returns/agency?quarter=" + bad).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.parameter").isEqualTo("quarter")
                    .jsonPath("$.detail").value(d -> assertThat((String) d).contains("2025-Q1"));
        }
        web.get().uri("/api/returns/agency").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.parameter").isEqualTo("quarter");
    }

    @Test
    void onlyHrAndAdminMayReadTheReturnAndTheRegister() {
        for (String user : List.of("viewer", "manager", "head")) {
            as(user).get().uri("/api/returns/agency?quarter=2025-Q1").exchange().expectStatus().isForbidden();
            as(user).get().uri("/api/agency/assignments").exchange().expectStatus().isForbidden();
        }
        as("hr").get().uri("/api/agency/assignments").exchange().expectStatus().isOk();
    }

    @Test
    void anApprovalMadeInTheAppIsRecordedWithWhoAndWhenAndSurvivesTheNextImport() {
        as("hr").post().uri("/api/agency/assignments/A4/2024-06-01/approval").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "Project team for the inspection backlog")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.approval.by").isEqualTo("hr")
                .jsonPath("$.checks.breach_approved").isEqualTo("pass");
        assertThat(one("SELECT actor || ' ' || action || ' ' || (detail->>'reason') FROM audit_log"
                + " WHERE path = '/api/agency/assignments/A4/2024-06-01/approval'"))
                .isEqualTo("hr agency_approval Project team for the inspection backlog");
        // the same file again, without the approval columns filled for A4: the approval stays (A4 started before the
        // rules, so it is judged from 1 October 2025: in 2025-Q4)
        upload("agency_assignments", REGISTER).expectStatus().isCreated();
        Map<String, Object> a4 = byKey(json("2025-Q4"), "A4/2024-06-01");
        assertThat(a4.get("price_cap_check")).isEqualTo("fail");
        assertThat(a4.get("breach_approved")).isEqualTo("pass");
        assertThat(a4.get("noncompliant")).isEqualTo(false);
        assertThat(one("SELECT approved_by || ' ' || approval_reason || ' ' || approved_rate || ' '"
                + " || (approved_at > now() - interval '1 hour') FROM agency_assignments WHERE staff_id = 'A4'"))
                .isEqualTo("hr Project team for the inspection backlog 60.00 true");
    }

    private static Map<String, Object> byKey(Map<String, Object> body, String key) {
        return list(body, "assignments").stream().filter(r -> key.equals(r.get("register_key"))).findFirst().orElseThrow();
    }

    @Test
    void anApprovalDoesNotOutliveTheRateItApproved() {
        as("hr").post().uri("/api/agency/assignments/A4/2024-06-01/approval").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "Project team for the inspection backlog")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.approval.rate").isEqualTo(60.0);
        // the agency puts the rate up to 62.00 and the file has no approval for it: the 60.00 approved does not cover it
        upload("agency_assignments", REGISTER.replace("A4,2024-06-01,team_manager,Hays,60.00,", "A4,2024-06-01,team_manager,Hays,62.00,"))
                .expectStatus().isCreated();
        as("hr").get().uri("/api/agency/assignments?failing=breach_approved").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.assignments[?(@.key == 'A4/2024-06-01')].approval.outlived")
                .isEqualTo(List.of("approved at £60.00, now £62.00"))
                .jsonPath("$.assignments[?(@.key == 'A4/2024-06-01')].noncompliant").isEqualTo(List.of(true));
        Map<String, Object> q4 = json("2025-Q4");
        assertThat(byKey(q4, "A4/2024-06-01").get("breach_approved")).isEqualTo("fail");
        assertThat(list(q4, "breaches")).filteredOn(b -> "A4/2024-06-01".equals(b.get("register_key")))
                .extracting(b -> b.get("approval_outlived")).containsExactly("approved at £60.00, now £62.00");
        // a rate back down to the one approved is covered again
        upload("agency_assignments", REGISTER).expectStatus().isCreated();
        assertThat(byKey(json("2025-Q4"), "A4/2024-06-01").get("breach_approved")).isEqualTo("pass");
    }

    @Test
    void onlyABreachOfThePriceCapCanBeApprovedInTheApp() {
        // A1's 39.50 is within the social workers' 42.00 today: nothing to approve
        as("hr").post().uri("/api/agency/assignments/A1/2024-11-01/approval").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "cover")).exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.price_cap").isEqualTo("pass")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("not in breach").contains("42.00"));
        assertThat(one("SELECT count(*) FROM agency_assignments WHERE staff_id = 'A1' AND approved_by IS NOT NULL")).isEqualTo("0");
    }

    @SuppressWarnings("unchecked")
    private double nonCompliantToday(String team) {
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString();
        Map<String, Object> body = web.get().uri("/api/indicators?as_of=" + today + "&level=team").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("indicators")).stream()
                .filter(i -> "agency_noncompliant".equals(i.get("indicator")) && team.equals(i.get("scope")))
                .map(i -> ((Number) i.get("numerator")).doubleValue()).findFirst().orElseThrow();
    }

    @Test
    void theIndicatorFollowsAnApprovalMadeInTheApp() {
        // in T1 today, with a register row each: A2 (experience), A4 (unapproved breach), A5 (re-engaged) and A9 (2 weeks'
        // notice) break a rule; A1 and A8 do not; A3, A6, A7 and A10 have left
        assertThat(nonCompliantToday("T1")).isEqualTo(4);
        as("hr").post().uri("/api/agency/assignments/A4/2024-06-01/approval").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "Project team for the inspection backlog")).exchange().expectStatus().isOk();
        awaitIndicatorsCurrent();
        assertThat(nonCompliantToday("T1")).isEqualTo(3);
    }

    @Test
    void theRegisterFiltersByAgencyAndFailingCheckSummarisesEachAgencyAndIsAuditedAsAPersonView() {
        as("hr").get().uri("/api/agency/assignments?failing=experience").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.assignments[*].key").isEqualTo(List.of("A2/2025-01-06"))
                .jsonPath("$.assignments[0].checks.experience").isEqualTo("fail");
        as("hr").get().uri("/api/agency/assignments?agency=reed").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.assignments[*].key").isEqualTo(List.of("A10/2024-12-01", "A2/2025-01-06", "A5/2025-02-03"));
        as("hr").get().uri("/api/agency/assignments?failing=rate").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.parameter").isEqualTo("failing");
        as("hr").get().uri("/api/agency/assignments?on=31-03-2025").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.parameter").isEqualTo("on");
        // Hays: A1 and A8 comply; A7 started before the rules and ended before they applied to it (from 1 October
        // 2025): nothing applies; A4's 60.00 is above the team managers' 55.00 without an approval
        as("hr").get().uri("/api/agency/agencies").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.agencies[?(@.agency_name == 'Hays')].assignments").isEqualTo(List.of(4))
                .jsonPath("$.agencies[?(@.agency_name == 'Hays')].open_today").isEqualTo(List.of(3))
                .jsonPath("$.agencies[?(@.agency_name == 'Hays')].breaches").isEqualTo(List.of(1))
                .jsonPath("$.agencies[?(@.agency_name == 'Hays')].breaches_approved").isEqualTo(List.of(0))
                .jsonPath("$.agencies[?(@.agency_name == 'Hays')].noncompliant").isEqualTo(List.of(1))
                .jsonPath("$.agencies[?(@.agency_name == 'Hays')].compliant").isEqualTo(List.of(3))
                // Sanctuary: A3's breach approved; A6 not known (no qualified date, no notice recorded)
                .jsonPath("$.agencies[?(@.agency_name == 'Sanctuary')].breaches_approved").isEqualTo(List.of(1))
                .jsonPath("$.agencies[?(@.agency_name == 'Sanctuary')].not_known").isEqualTo(List.of(1))
                .jsonPath("$.agencies[?(@.agency_name == 'Sanctuary')].compliant").isEqualTo(List.of(1));
        assertThat(one("SELECT string_agg(actor || ' ' || action || ' ' || path, ', ' ORDER BY id) FROM audit_log"
                + " WHERE path LIKE '/api/agency/%' AND status = 200"))
                .isEqualTo("hr person_view /api/agency/assignments, hr person_view /api/agency/assignments,"
                        + " hr person_view /api/agency/agencies");
    }

    @Test
    void anApprovalNeedsAReasonAndAnAssignmentOfTheRegister() {
        as("hr").post().uri("/api/agency/assignments/A4/2024-06-01/approval").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "  ")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.parameter").isEqualTo("reason");
        as("hr").post().uri("/api/agency/assignments/NOBODY/2024-06-01/approval").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "cover")).exchange().expectStatus().isNotFound();
        assertThat(one("SELECT count(*) FROM agency_assignments WHERE approved_by IS NOT NULL")).isEqualTo("1");
    }

    @Test
    void aRegisterRowThatBreaksTheFormatIsRefusedNamingItsColumnAndNothingIsApplied() {
        String before = one("SELECT string_agg(staff_id || hourly_rate, ',' ORDER BY staff_id) FROM agency_assignments");
        upload("agency_assignments", HEADER
                + "A1,2024-11-01,social_worker,Hays,30.00,,,,,N,,SW0000000001,,,\n"
                + "A2,2025-01-06,social_worker,Reed,41.00,,,,,N,,SW12345,,,\n"
                + "A3,2025-01-13,senior_social_worker,Sanctuary,47.00,,,,,N,,SW0000000003,Director CS,,\n"
                + "A4,2024-06-01,team_manager,Hays,60.00,,,,,Y,,,,,\n"
                + "ZZ,2024-06-01,chief,Hays,60.00,,,,,N,,,,,\n")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[?(@.column == 'swe_number')].reason").value(r -> assertThat(r.toString()).contains("two letters"))
                .jsonPath("$.errors[?(@.column == 'approved_at')].reason").value(r -> assertThat(r.toString()).contains("who, when and why"))
                .jsonPath("$.errors[?(@.column == 'project_team_name')].reason").value(r -> assertThat(r.toString()).contains("project team"))
                .jsonPath("$.errors[?(@.column == 'role_category')].reason").value(r -> assertThat(r.toString()).contains("iro_cp_chair"));
        assertThat(one("SELECT string_agg(staff_id || hourly_rate, ',' ORDER BY staff_id) FROM agency_assignments")).isEqualTo(before);
    }
}
