package org.workforcewatch.ingest.ssd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;

/** Standard Safeguarding Dataset extracts: mapped onto the native tables with the same guarantees. */
class SsdImportTest extends ApiTest {

    private WebTestClient.ResponseSpec uploadSsd(String table, String csv) {
        return web.post().uri("/api/imports/ssd/" + table).contentType(MediaType.parseMediaType("text/csv")).bodyValue(csv).exchange();
    }

    private WebTestClient.ResponseSpec uploadZip(byte[] zip) {
        return web.post().uri("/api/imports/ssd").contentType(MediaType.parseMediaType("application/zip")).bodyValue(zip).exchange();
    }

    private void loadAllTablesOneByOne() {
        SsdFixtures.TABLES.forEach((table, csv) -> uploadSsd(table.substring(4), csv).expectStatus().isCreated());
    }

    @Test
    void anExtractSetLoadsOneByOneAndTheStoredRecordsAreWhatTheFilesSay() {
        loadAllTablesOneByOne();

        assertThat(one("SELECT string_agg(team_id || ':' || team_name || ':' || service || ':' || team_type || ':'"
                + " || coalesce(parent_team_id, '-'), ' ' ORDER BY team_id) FROM teams WHERE team_id LIKE 'D%'"))
                .isEqualTo("D0:Front Door:Unassigned:other:- D1:Assessment North:Front Door:other:D0 D2:Leaving Care:Care Leavers:other:-");
        // one provisional current spell per worker, placed by department name, employment as the flag says
        assertThat(one("SELECT string_agg(staff_id || ':' || team_id || ':' || role || ':' || employment || ':' || fte::float8"
                + " || ':' || case_holding || ':' || start_date, ' ' ORDER BY staff_id) FROM staff_spells"))
                .isEqualTo("P2:unassigned:senior_practitioner:agency:0.5:true:" + LocalDate.now()
                        + " S1:D1:social_worker:unknown:1:true:" + LocalDate.now()
                        + " S3:D2:personal_adviser:permanent:1:false:" + LocalDate.now());
        assertThat(one("SELECT string_agg(allocation_id || ':' || child_id || ':' || staff_id || ':' || case_type || ':' || start_date"
                + " || ':' || coalesce(end_date::text, 'open') || ':' || coalesce(change_reason, '-'), ' ' ORDER BY allocation_id)"
                + " FROM allocations"))
                .isEqualTo("I1:C1:S1:cin:2024-01-05:open:- I2:C1:P2:cp:2024-02-01:open:LEFTRL I4:C9:S3:care_leaver:2023-06-01:open:-");
        // R1 allocated at its first involvement, R2 closed without one, R3 still waiting
        assertThat(one("SELECT string_agg(referral_id || ':' || child_id || ':' || team_id || ':' || referral_date || ':'"
                + " || coalesce(allocated_date::text, 'waiting'), ' ' ORDER BY referral_id) FROM referrals"))
                .isEqualTo("R1:C1:D1:2024-01-02:2024-01-05 R2:C2:D1:2024-01-02:2024-01-10 R3:C3:D1:2024-11-20:waiting");
        assertThat(one("SELECT string_agg(child_id || ':' || eligibility || ':' || coalesce(in_touch, '-') || ':'"
                + " || coalesce(pa_staff_id, '-') || ':' || coalesce(latest_contact_date::text, '-') || ':'"
                + " || coalesce(pathway_plan_review_date::text, '-'), ' ' ORDER BY child_id) FROM care_leavers"))
                .isEqualTo("C10:none:yes:-:-:2024-05-01 C9:former_relevant:refused:S3:2024-10-01:-");
        assertThat(one("SELECT count(*) FROM ssd_professionals WHERE registration_no IS NOT NULL")).isEqualTo("2");
    }

    @Test
    void workersWithoutAFlagOrFteAndInvolvementsWithoutAWorkerAreSaidInTheReceipt() {
        uploadSsd("department", SsdFixtures.TABLES.get("ssd_department")).expectStatus().isCreated();
        uploadSsd("professionals", SsdFixtures.TABLES.get("ssd_professionals")).expectStatus().isCreated().expectBody()
                .jsonPath("$.warnings").value(w -> assertThat(w.toString())
                        .contains("3 provisional staff spell(s)").contains("1 worker(s) without an agency flag")
                        .contains("1 worker(s) without an FTE"));
        uploadSsd("cin_episodes", SsdFixtures.TABLES.get("ssd_cin_episodes")).expectStatus().isCreated();
        uploadSsd("involvements", SsdFixtures.TABLES.get("ssd_involvements")).expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(3)
                .jsonPath("$.warnings[0]").value(w -> assertThat((String) w).startsWith("1 involvement(s) with no worker"));
    }

    @Test
    void aZipHoldingATableTwiceIsA422NamingBothEntriesAndNothingIsApplied() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (String entry : List.of("extract/ssd_department.csv", "a/ssd_professionals.csv", "b/ssd_professionals.csv")) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entry));
                String table = entry.substring(entry.indexOf('/') + 1, entry.length() - 4);
                zip.write(SsdFixtures.TABLES.get(table).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        uploadZip(bytes.toByteArray()).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/table-twice")
                .jsonPath("$.detail").value(d -> assertThat((String) d)
                        .contains("ssd_professionals is in a/ssd_professionals.csv and b/ssd_professionals.csv")
                        .contains("nothing of the upload was imported"))
                .jsonPath("$.entries.ssd_professionals").isEqualTo(List.of("a/ssd_professionals.csv", "b/ssd_professionals.csv"));
        assertThat(count("ssd_professionals")).isZero();
        assertThat(count("teams")).as("not even the department table").isZero();
        assertThat(count("imports")).isZero();
    }

    @Test
    void aZipInAnyOrderLoadsInDependencyOrderAndLoadingItAgainChangesNothing() {
        List<Map.Entry<String, String>> shuffled = new ArrayList<>(SsdFixtures.TABLES.entrySet());
        Collections.reverse(shuffled);
        Map<String, String> reversed = new LinkedHashMap<>();
        shuffled.forEach(e -> reversed.put(e.getKey(), e.getValue()));
        byte[] zip = SsdFixtures.zip(reversed);

        uploadZip(zip).expectStatus().isCreated().expectBody()
                .jsonPath("$.length()").isEqualTo(5)
                .jsonPath("$[0].dataset").isEqualTo("ssd_department")
                .jsonPath("$[4].dataset").isEqualTo("ssd_care_leavers")
                .jsonPath("$[3].file_name").isEqualTo("extract/ssd_involvements.csv");
        String before = one("SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT t::text AS x FROM allocations t"
                + " UNION ALL SELECT t::text FROM staff_spells t UNION ALL SELECT t::text FROM referrals t"
                + " UNION ALL SELECT t::text FROM care_leavers t UNION ALL SELECT t::text FROM teams t) all_rows");

        uploadZip(zip).expectStatus().isCreated().expectBody()
                .jsonPath("$[*].inserted").value(v -> assertThat(v.toString()).isEqualTo("[0,0,0,0,0]"))
                .jsonPath("$[*].updated").value(v -> assertThat(v.toString()).isEqualTo("[0,0,0,0,0]"));
        assertThat(one("SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT t::text AS x FROM allocations t"
                + " UNION ALL SELECT t::text FROM staff_spells t UNION ALL SELECT t::text FROM referrals t"
                + " UNION ALL SELECT t::text FROM care_leavers t UNION ALL SELECT t::text FROM teams t) all_rows")).isEqualTo(before);
    }

    @Test
    void aZipWithOneBadFileAppliesNoneOfItsFilesAndNamesTheBadOne() {
        Map<String, String> tables = new LinkedHashMap<>(SsdFixtures.TABLES);
        tables.put("ssd_involvements", tables.get("ssd_involvements").replace("LEFTRL", "LEFT"));
        uploadZip(SsdFixtures.zip(tables)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.dataset").isEqualTo("ssd_involvements")
                .jsonPath("$.errors[0].line").isEqualTo(3)
                .jsonPath("$.errors[0].column").isEqualTo("invo_worker_change_reason");
        assertThat(count("teams") + count("staff_spells") + count("referrals") + count("ssd_professionals")).isZero();
        web.get().uri("/api/imports").exchange().expectBody()
                .jsonPath("$[?(@.dataset == 'ssd_department')].status").isEqualTo(List.of("failed"))
                .jsonPath("$[?(@.dataset == 'ssd_involvements')].status").isEqualTo(List.of("rejected"));
    }

    static Stream<Arguments> badSsdValues() {
        return Stream.of(
                Arguments.of("ssd_involvements", "LEFTRL", "OOPS", "invo_worker_change_reason", "MANAGE, FCONTA, LEFTRL"),
                Arguments.of("ssd_involvements", "2024-02-01,1900-01-01", "2024/02/01,", "invo_involvement_start_date",
                        "YYYY-MM-DD HH:MM:SS"),
                Arguments.of("ssd_involvements", "I2,P2,CP,D1,2024-02-01", "I2,P2,CP,D1,1900-01-01", "invo_involvement_start_date",
                        "needs its start date"),
                Arguments.of("ssd_involvements", "I2,P2,CP,D1,2024-02-01,1900-01-01", "I2,P2,CP,D1,2024-02-01,2024-01-01",
                        "invo_involvement_end_date", "before invo_involvement_start_date"),
                Arguments.of("ssd_involvements", "LEFTRL,C1", "LEFTRL,", "invo_person_id", "needs the child"),
                Arguments.of("ssd_involvements", "I2,P2,", "I2,P9,", "invo_professional_id", "no worker in the loaded ssd_professionals"),
                Arguments.of("ssd_care_leavers", "Former Relevant", "Formerly Relevant", "clea_care_leaver_eligibility",
                        "Eligible, Relevant, Former Relevant, Qualifying, No Current Eligibility"),
                Arguments.of("ssd_care_leavers", "REFU", "REFUSE", "clea_care_leaver_in_touch", "YES, NO, DIED, REFU, NREQ, RHOM"),
                Arguments.of("ssd_care_leavers", ",P3,D2", ",P7,D2", "clea_care_leaver_personal_advisor", "no worker"),
                Arguments.of("ssd_care_leavers", "2024-10-01 00:00:00.000", "2024-10-01 25:00", "clea_care_leaver_latest_contact",
                        "not a date"),
                Arguments.of("ssd_cin_episodes", "2024-01-02 00:00:00.000,N1", "1900-01-01 00:00:00.000,N1", "cine_referral_date",
                        "no date"),
                Arguments.of("ssd_cin_episodes", "N1,D1,,", "N1,D9,,", "cine_referral_team", "no team"),
                Arguments.of("ssd_cin_episodes", "2024-01-10 00:00:00", "2023-12-01", "cine_close_date", "before cine_referral_date"),
                Arguments.of("ssd_professionals", "Somewhere Else,0.5,Y", "Somewhere Else,1.5,Y", "prof_full_time_equivalency",
                        "at most 1"),
                Arguments.of("ssd_professionals", "0.5,Y", "0.5,X", "prof_agency_worker_flag", "Y, N"),
                Arguments.of("ssd_department", "D2,Leaving Care,,", "D2,Leaving Care,D7,", "dept_team_parent_id", "no team"));
    }

    @ParameterizedTest(name = "{0}: {3} refused")
    @MethodSource("badSsdValues")
    void everySsdCodeAndDateRuleRefusesABadValue(String table, String good, String bad, String column, String reasonWords) {
        for (Map.Entry<String, String> e : SsdFixtures.TABLES.entrySet()) {
            if (e.getKey().equals(table)) {
                break;
            }
            uploadSsd(e.getKey(), e.getValue()).expectStatus().isCreated();
        }
        String file = SsdFixtures.TABLES.get(table);
        assertThat(file).contains(good);
        uploadSsd(table, file.replaceFirst(java.util.regex.Pattern.quote(good), java.util.regex.Matcher.quoteReplacement(bad)))
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].column").isEqualTo(column)
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains(reasonWords));
    }

    @Test
    void theSameWorkerFromTheHrFileAndTheExtractIsOnePersonAndDifferencesAreReportedNotOverwritten() {
        upload("teams", "team_id,team_name,service,team_type\nD1,Assessment North,Front Door,assessment\nT9,Safeguarding 1,Safeguarding,safeguarding\n")
                .expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS1,T9,social_worker,permanent,0.8,2020-01-06,Y\n")
                .expectStatus().isCreated();
        uploadSsd("department", SsdFixtures.TABLES.get("ssd_department")).expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(2);
        uploadSsd("professionals", SsdFixtures.TABLES.get("ssd_professionals")).expectStatus().isCreated().expectBody()
                .jsonPath("$.warnings").value(w -> assertThat(w.toString()).contains("2 difference(s) from the HR staff file"));

        // the HR spell stands as HR said; no second (provisional) spell for S1
        assertThat(one("SELECT string_agg(team_id || ':' || fte::float8 || ':' || employment, ' ') FROM staff_spells WHERE staff_id = 'S1'"))
                .isEqualTo("T9:0.8:permanent");
        assertThat(one("SELECT team_type FROM teams WHERE team_id = 'D1'")).isEqualTo("assessment");
        assertThat(one("SELECT string_agg(field || ':' || stored_value || '->' || incoming_value, ' ' ORDER BY field)"
                + " FROM source_conflicts WHERE record_key->>'staff_id' = 'S1'"))
                .isEqualTo("fte:0.8->1 team:Safeguarding 1->Assessment North");
        // the same extract again adds no second report of the same difference
        uploadSsd("professionals", SsdFixtures.TABLES.get("ssd_professionals")).expectStatus().isCreated();
        assertThat(count("source_conflicts")).isEqualTo(2);
        // a difference dismissed (the stored value is right) is not reported again by the same extract; one
        // confirmed (to be corrected at its source) is, while the extract still disagrees
        String fte = one("SELECT id FROM source_conflicts WHERE field = 'fte'");
        String team = one("SELECT id FROM source_conflicts WHERE field = 'team'");
        as("hr").post().uri("/api/data-quality/conflicts/" + fte + "/dismiss").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "HR's FTE is right")).exchange().expectStatus().isOk();
        as("hr").post().uri("/api/data-quality/conflicts/" + team + "/confirm").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "the extract is right, HR to correct")).exchange().expectStatus().isOk();
        uploadSsd("professionals", SsdFixtures.TABLES.get("ssd_professionals")).expectStatus().isCreated();
        assertThat(one("SELECT string_agg(field, ' ' ORDER BY field) FROM source_conflicts WHERE resolved_at IS NULL")).isEqualTo("team");

        // later the HR file names the agency worker P2: its provisional spell gives way to HR's record
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding,agency_name\n"
                + "S1,T9,social_worker,permanent,0.8,2020-01-06,Y,\nP2,T9,senior_practitioner,agency,0.5,2024-03-01,Y,Hays\n")
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.warnings[0]").value(w -> assertThat((String) w).startsWith("1 provisional spell(s) from an SSD extract"));
        assertThat(one("SELECT string_agg(team_id || ':' || source || ':' || start_date, ' ') FROM staff_spells WHERE staff_id = 'P2'"))
                .isEqualTo("T9:file:2024-03-01");
    }

    @Test
    void anOpenInvolvementMissingFromALaterExtractIsFlaggedNotEnded() {
        loadAllTablesOneByOne();
        String later = SsdFixtures.TABLES.get("ssd_involvements").lines().filter(l -> !l.startsWith("I1,"))
                .reduce("", (a, b) -> a + b + "\n");
        uploadSsd("involvements", later).expectStatus().isCreated().expectBody()
                .jsonPath("$.missing_from_extract_total").isEqualTo(1)
                .jsonPath("$.missing_from_extract[0].allocation_id").isEqualTo("I1");
        assertThat(one("SELECT coalesce(end_date::text, 'open') FROM allocations WHERE allocation_id = 'I1'")).isEqualTo("open");
    }
}
