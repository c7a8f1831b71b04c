package org.workforcewatch.ingest.cscapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.DatabaseOwner;
import org.workforcewatch.IdentityProvider;
import org.workforcewatch.ingest.DataChanged;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The council's pipeline sending children's social care API records: answered as the Department answers, applied as
 * full, partial and purge records say, all or nothing, only by a sender with a token, and never keeping personal data
 * the indicators do not need.
 */
class CscApiTest extends ApiTest {

    static final String TOKEN = "test-csc-api-ingest-token-0123456789abcdef";
    private static final String PATH = "/api/csc/children_social_care_data/E10000003/children";
    private static final IdentityProvider PROVIDER = new IdentityProvider();

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) throws IOException {
        PROVIDER.trustedBy(registry);
        registry.add("workforce.csc-api.ingest-token", () -> TOKEN);
        registry.add("workforce.csc-api.intake-team", () -> CscAuthority.INTAKE);
    }

    /** A client-credentials token of the identity provider with these roles. */
    private static String token(List<String> roles) {
        return PROVIDER.token(new JWTClaimsSet.Builder().subject("csc-pipeline").claim("roles", roles),
                Instant.now().plusSeconds(3600));
    }

    @BeforeEach
    void teamsAndStaff() {
        upload("teams", """
                team_id,team_name,service,team_type,parent_team_id
                T1,Assessment North,Front Door,assessment,
                T2,Out of Hours,Front Door,out_of_hours,T1
                """).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date
                S1,T1,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01
                S2,T1,social_worker,agency,0.8,2023-03-01,,,Y,2022-07-01
                S3,T2,senior_practitioner,fixed_term,1,2020-05-01,2024-06-30,resigned,N,2010-07-01
                """).expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec send(String body) {
        return send(body, "partial", TOKEN);
    }

    private WebTestClient.ResponseSpec send(String body, String extract, String bearer) {
        WebTestClient.ResponseSpec answer = anonymous().post().uri(PATH + "?extract=" + extract)
                .headers(h -> {
                    if (bearer != null) {
                        h.setBearerAuth(bearer);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        awaitIndicatorsCurrent();
        return answer;
    }

    /** C1: referred 2025-09-01, S1 then S2, one assessment; C2: in care then a care leaver with S1 as PA. */
    static final String TWO_CHILDREN = """
            [{"la_child_id": "C1", "mis_child_id": "M1", "purge": false,
              "child_details": {"date_of_birth": "2010-05-02", "sex": "F", "first_name": "Zebedee", "surname": "Quixote",
                                "unique_pupil_number": "A123456789012", "postcode": "CB1 2AB"},
              "social_care_episodes": [
                {"social_care_episode_id": "E1", "referral_date": "2025-09-01",
                 "care_worker_details": [
                   {"worker_id": "S1", "start_date": "2025-09-03", "end_date": "2025-11-30"},
                   {"worker_id": "S2", "start_date": "2025-12-01", "end_date": null}],
                 "child_and_family_assessments": [
                   {"child_and_family_assessment_id": "A1", "start_date": "2025-09-03", "authorisation_date": "2025-10-10"}]}]},
             {"la_child_id": "C2", "mis_child_id": "M2",
              "child_details": {"date_of_birth": "2007-01-20", "former_unique_pupil_number": "B123456789012"},
              "social_care_episodes": [
                {"social_care_episode_id": "E7", "referral_date": "2019-03-11",
                 "care_worker_details": [{"worker_id": "S1", "start_date": "2024-01-20", "end_date": null}],
                 "child_looked_after_placements": [
                   {"child_looked_after_placement_id": "L3", "start_date": "2019-06-01", "end_date": "2020-01-31",
                    "postcode": "PE1 1XY"},
                   {"child_looked_after_placement_id": "L4", "start_date": "2020-02-01", "end_date": "2025-01-20"}],
                 "care_leavers": {"contact_date": "2025-11-14", "activity": "F2", "accommodation": "D"}}]}]
            """;

    private String allocations() {
        return one("SELECT string_agg(child_id || ' ' || staff_id || ' ' || case_type || ' ' || start_date || ' '"
                + " || coalesce(end_date::text, 'open') || ' ' || coalesce(change_reason, '-'), '; '"
                + " ORDER BY child_id, start_date) FROM allocations WHERE source = 'csc_api'");
    }

    /** Every row of the per-child state and of the native tables, as text: what a resend must leave unchanged. */
    private String everything() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("csc_children", "csc_episodes", "csc_care_workers", "csc_assessments", "csc_placements",
                "csc_care_leavers", "allocations", "referrals", "children_in_care", "care_leavers", "source_conflicts")) {
            all.append(table).append(": ").append(one("SELECT coalesce(string_agg(t::text, ' | ' ORDER BY t::text), '')"
                    + " FROM " + table + " t")).append('\n');
        }
        return all.toString();
    }

    @Test
    void theAnswerIsOneAcknowledgementPerRecordAndTheRecordsBecomeTheRowsIndicatorsRead() {
        List<String> answer = send(TWO_CHILDREN).expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<String>>() { }).returnResult().getResponseBody();
        assertThat(answer).hasSize(2).allSatisfy(ack -> assertThat(ack)
                .matches("\\d{4}-\\d{2}-\\d{2}_\\d{2}:\\d{2}:\\d{2}\\.\\d{6}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
        assertThat(answer.get(0)).isNotEqualTo(answer.get(1));

        // S1 took C1 as the assessment started, and C2 while in care
        assertThat(allocations()).isEqualTo("C1 S1 assessment 2025-09-03 2025-11-30 -; C1 S2 cin 2025-12-01 open OTHERS;"
                + " C2 S1 cla 2024-01-20 open -");
        assertThat(one("SELECT string_agg(child_id || ' ' || team_id || ' ' || referral_date || ' ' || allocated_date, '; '"
                + " ORDER BY child_id) FROM referrals WHERE source = 'csc_api'"))
                .as("the team of the first worker's HR spell on the referral date; allocated when that worker started")
                .isEqualTo("C1 T1 2025-09-01 2025-09-03; C2 T1 2019-03-11 2024-01-20");
        assertThat(one("SELECT string_agg(child_id || ' ' || period_start || ' ' || period_end || ' ' || date_of_birth || ' '"
                + " || coalesce(latest_assessment_date::text, 'none'), '; ') FROM children_in_care WHERE source = 'csc_api'"))
                .as("contiguous placements are one period in care; the birth month stands for the date of birth")
                .isEqualTo("C2 2019-06-01 2025-01-20 2007-01-01 none");
        assertThat(one("SELECT child_id || ' ' || eligibility || ' ' || pa_staff_id || ' ' || pa_allocated_date || ' '"
                + " || latest_contact_date FROM care_leavers WHERE source = 'csc_api'"))
                .isEqualTo("C2 former_relevant S1 2024-01-20 2025-11-14");
        assertThat(one("SELECT string_agg(source || ' ' || status || ' ' || rows, ',') FROM imports WHERE dataset = 'csc_api'"))
                .isEqualTo("csc_api succeeded 2");
    }

    @Test
    void aResentBatchChangesNoRow() {
        send(TWO_CHILDREN).expectStatus().isOk();
        String before = everything();
        send(TWO_CHILDREN).expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(2);
        send(TWO_CHILDREN, "full", TOKEN).expectStatus().isOk();
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aPartialRecordChangesOnlyThePartsItCarriesAndAFullOneReplacesTheChild() {
        send(TWO_CHILDREN).expectStatus().isOk();
        send("""
                [{"la_child_id": "C1", "mis_child_id": "M1", "child_details": {},
                  "social_care_episodes": [{"social_care_episode_id": "E1", "closure_date": "2026-01-31",
                     "care_worker_details": [{"worker_id": "S2", "start_date": "2025-12-01", "end_date": "2026-01-31"}]}]}]
                """).expectStatus().isOk();
        assertThat(allocations()).startsWith("C1 S1 assessment 2025-09-03 2025-11-30 -; C1 S2 cin 2025-12-01 2026-01-31 OTHERS;");
        assertThat(one("SELECT referral_date || ' ' || closure_date FROM csc_episodes WHERE episode_id = 'E1'"))
                .as("the referral date it did not carry is kept").isEqualTo("2025-09-01 2026-01-31");
        assertThat(one("SELECT count(*) FROM csc_assessments WHERE la_child_id = 'C1'")).isEqualTo("1");
        assertThat(one("SELECT birth_month FROM csc_children WHERE la_child_id = 'C1'")).isEqualTo("2010-05-01");

        send("""
                [{"la_child_id": "C1", "mis_child_id": "M1", "child_details": {"date_of_birth": "2010-05-02"},
                  "social_care_episodes": [{"social_care_episode_id": "E1", "referral_date": "2025-09-01",
                     "care_worker_details": [{"worker_id": "S2", "start_date": "2025-12-01"}]}]}]
                """, "full", TOKEN).expectStatus().isOk();
        assertThat(allocations()).startsWith("C1 S2 cin 2025-12-01 open -;");
        assertThat(one("SELECT count(*) FROM csc_assessments WHERE la_child_id = 'C1'")).isEqualTo("0");
        assertThat(one("SELECT coalesce(closure_date::text, 'open') FROM csc_episodes WHERE episode_id = 'E1'")).isEqualTo("open");
        assertThat(one("SELECT count(*) FROM allocations WHERE child_id = 'C2'")).as("another child is untouched").isEqualTo("1");
    }

    @Test
    void purgingAChildRemovesItAndEverythingDerivedFromIt() {
        send(TWO_CHILDREN).expectStatus().isOk();
        send("[{\"la_child_id\": \"C2\", \"mis_child_id\": \"M2\", \"purge\": true, \"child_details\": {}}]").expectStatus().isOk();
        for (String table : List.of("csc_children", "csc_episodes", "csc_care_workers", "csc_placements", "csc_care_leavers")) {
            assertThat(one("SELECT count(*) FROM " + table + " WHERE la_child_id = 'C2'")).as(table).isEqualTo("0");
        }
        for (String table : List.of("allocations", "referrals", "children_in_care", "care_leavers")) {
            assertThat(one("SELECT count(*) FROM " + table + " WHERE child_id = 'C2'")).as(table).isEqualTo("0");
        }
        assertThat(one("SELECT count(*) FROM allocations WHERE child_id = 'C1'")).isEqualTo("2");
    }

    @Test
    void purgingABlockRemovesThatBlockOnly() {
        send(TWO_CHILDREN).expectStatus().isOk();
        send("""
                [{"la_child_id": "C2", "mis_child_id": "M2", "child_details": {},
                  "health_and_wellbeing": {"purge": true},
                  "social_care_episodes": [{"social_care_episode_id": "E7",
                     "care_leavers": {"purge": true},
                     "child_protection_plans": [{"child_protection_plan_id": "P1", "purge": true}],
                     "child_in_need_plans": [{"child_in_need_plan_id": "N1", "purge": true}],
                     "child_looked_after_placements": [{"child_looked_after_placement_id": "L4", "purge": true}]}]}]
                """).expectStatus().isOk();
        assertThat(one("SELECT count(*) FROM care_leavers WHERE child_id = 'C2'")).isEqualTo("0");
        assertThat(one("SELECT period_start || ' ' || period_end FROM children_in_care WHERE child_id = 'C2'"))
                .isEqualTo("2019-06-01 2020-01-31");
        assertThat(allocations()).endsWith("C2 S1 cin 2024-01-20 open -");

        send("""
                [{"la_child_id": "C1", "mis_child_id": "M1", "child_details": {},
                  "social_care_episodes": [{"social_care_episode_id": "E1",
                     "child_and_family_assessments": [{"child_and_family_assessment_id": "A1", "purge": true}],
                     "care_worker_details": [{"worker_id": "S1", "start_date": "2025-09-03", "purge": true}]}]}]
                """).expectStatus().isOk();
        assertThat(one("SELECT count(*) FROM csc_assessments WHERE la_child_id = 'C1'")).isEqualTo("0");
        assertThat(allocations()).startsWith("C1 S2 cin 2025-12-01 open -;");

        send("""
                [{"la_child_id": "C1", "mis_child_id": "M1", "child_details": {},
                  "social_care_episodes": [{"social_care_episode_id": "E1", "purge": true}]}]
                """).expectStatus().isOk();
        assertThat(one("SELECT count(*) FROM allocations WHERE child_id = 'C1'")).isEqualTo("0");
        assertThat(one("SELECT count(*) FROM referrals WHERE child_id = 'C1'")).isEqualTo("0");
        assertThat(one("SELECT count(*) FROM csc_children WHERE la_child_id = 'C1'")).as("the child stays").isEqualTo("1");
    }

    @Test
    void aBatchWithOneBadRecordDeepDownAppliesNothingAndNamesWhere() {
        send(TWO_CHILDREN).expectStatus().isOk();
        String before = everything();
        String bad = TWO_CHILDREN.replace("\"2025-12-01\", \"end_date\": null", "\"2025-12-01\", \"end_date\": \"2025-11-01\"")
                .replace("\"C2\"", "\"C3\"");
        send(bad).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/invalid-child-records")
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].record").isEqualTo(0)
                .jsonPath("$.errors[0].pointer").isEqualTo("/0/social_care_episodes/0/care_worker_details/1/end_date")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("before the start_date"))
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("numbered from 0"));
        assertThat(everything()).as("nothing of the batch applied, not even the good record C3").isEqualTo(before);
        assertThat(one("SELECT status || ' ' || error_count FROM imports WHERE dataset = 'csc_api' ORDER BY id DESC LIMIT 1"))
                .isEqualTo("rejected 1");
        web.get().uri("/api/imports?dataset=csc_api&status=rejected").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[0].status").isEqualTo("rejected")
                .jsonPath("$[0].error_count").isEqualTo(1);
        web.get().uri("/api/imports?dataset=csc_api&status=succeeded").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[0].file_name").isEqualTo(CscApiController.PIPELINE);
    }

    @Test
    void aBodyThatIsNotJsonIsA400AndAnotherAuthoritysCodeA404() {
        send("[{\"la_child_id\": \"C1\",, }]").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("not valid JSON"));
        anonymous().post().uri("/api/csc/children_social_care_data/E09000001/children").headers(h -> h.setBearerAuth(TOKEN))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(TWO_CHILDREN).exchange()
                .expectStatus().isNotFound().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("E09000001").contains("E10000003"));
        assertThat(count("csc_children")).isZero();
    }

    @Test
    void onlyASenderWithTheIngestTokenOrAnHrTokenOfTheIdentityProviderMaySend() {
        send(TWO_CHILDREN, "partial", null).expectStatus().isUnauthorized();
        send(TWO_CHILDREN, "partial", "not-the-token").expectStatus().isUnauthorized();
        send(TWO_CHILDREN, "partial", TOKEN + "x").expectStatus().isUnauthorized();
        send(TWO_CHILDREN, "partial", token(List.of("viewer"))).expectStatus().isForbidden();
        as("hr").post().uri(PATH).contentType(MediaType.APPLICATION_JSON).bodyValue(TWO_CHILDREN).exchange()
                .expectStatus().isUnauthorized();
        assertThat(count("csc_children")).isZero();
        send(TWO_CHILDREN, "partial", token(List.of("hr"))).expectStatus().isOk();
        assertThat(count("csc_children")).isEqualTo(2);
        send(TWO_CHILDREN, "partial", TOKEN).expectStatus().isOk();
    }

    @Test
    void noNameUpnPostcodeOrExactDateOfBirthReachesAnyTable() {
        send(TWO_CHILDREN).expectStatus().isOk();
        as("hr").post().uri("/api/imports/csc-api?file_name=night.ndjson").contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(TWO_CHILDREN.replace("\n", " ").replaceFirst("^\\s*\\[", "").replaceFirst("]\\s*$", "")
                        .replace("]}]}, {\"la_child_id\": \"C2\"", "]}]}\n{\"la_child_id\": \"C2\"")
                        .replace("}]}]}, ", "}]}]}\n"))
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.records").isEqualTo(2);
        List<Map<String, Object>> columns = db.sql("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'jsonb', 'date')")
                .fetch().all().collectList().block();
        assertThat(columns).hasSizeGreaterThan(50);
        for (Map<String, Object> c : columns) {
            String found = one("SELECT count(*) FROM \"" + c.get("table_name") + "\" WHERE \"" + c.get("column_name")
                    + "\"::text ~ '(Zebedee|Quixote|A123456789012|B123456789012|CB1 2AB|PE1 1XY|2010-05-02|2007-01-20)'");
            assertThat(found).as(c.get("table_name") + "." + c.get("column_name")).isEqualTo("0");
        }
    }

    @Test
    void aFileOfRecordsIsAReceiptedImportOnlyHrAndAdminsMayMake() {
        as("viewer").post().uri("/api/imports/csc-api").contentType(MediaType.APPLICATION_JSON).bodyValue(TWO_CHILDREN)
                .exchange().expectStatus().isForbidden();
        as("hr").post().uri("/api/imports/csc-api?file_name=night.json").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(TWO_CHILDREN).exchange().expectStatus().isCreated().expectBody()
                .jsonPath("$.status").isEqualTo("succeeded")
                .jsonPath("$.extract").isEqualTo("full")
                .jsonPath("$.records").isEqualTo(2)
                .jsonPath("$.rows.inserted").isEqualTo(7);
        awaitIndicatorsCurrent();
        assertThat(count("allocations")).isEqualTo(3);
    }

    @Test
    void aRowANativeFileWroteIsKeptAndTheDifferenceListed() {
        upload("children_in_care", """
                child_id,date_of_birth,period_start,period_end,latest_assessment_date
                C2,2007-01-20,2019-06-01,,2024-05-01
                """).expectStatus().isCreated();
        send(TWO_CHILDREN).expectStatus().isOk();
        assertThat(one("SELECT coalesce(period_end::text, 'open') || ' ' || source FROM children_in_care WHERE child_id = 'C2'"))
                .isEqualTo("open file");
        assertThat(one("SELECT dataset || ' ' || stored_value || ' -> ' || incoming_value || ' ' || source FROM source_conflicts"))
                .isEqualTo("children_in_care open 2024-05-01 -> 2025-01-20 none csc_api");
        send(TWO_CHILDREN).expectStatus().isOk();
        assertThat(count("source_conflicts")).as("listed once").isEqualTo(1);
    }

    @Test
    void aRefusedDateOfBirthIsNeitherRepeatedInTheAnswerNorKeptInTheImportLog() {
        String bad = TWO_CHILDREN.replace("\"2010-05-02\"", "\"02/05/2010\"");
        send(bad).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].pointer").isEqualTo("/0/child_details/date_of_birth")
                .jsonPath("$.errors[0].reason").isEqualTo("must be a date as YYYY-MM-DD")
                .consumeWith(answer -> assertThat(new String(answer.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8))
                        .doesNotContain("02/05/2010"));
        assertThat(one("SELECT count(*) FROM imports WHERE dataset = 'csc_api' AND status = 'rejected'")).isEqualTo("1");
        assertThat(one("SELECT count(*) FROM imports WHERE errors::text LIKE '%02/05/2010%' OR detail LIKE '%02/05/2010%'"))
                .isEqualTo("0");
    }

    @Test
    void aWorkerStillOpenOnAClosedEpisodeHoldsTheCaseUntilTheEpisodeClosed() {
        send(TWO_CHILDREN.replace("{\"social_care_episode_id\": \"E1\", \"referral_date\": \"2025-09-01\",",
                "{\"social_care_episode_id\": \"E1\", \"referral_date\": \"2025-09-01\", \"closure_date\": \"2026-01-15\","))
                .expectStatus().isOk();
        assertThat(one("SELECT end_date FROM allocations WHERE source = 'csc_api' AND child_id = 'C1' AND staff_id = 'S2'"))
                .isEqualTo("2026-01-15");
        assertThat(one("SELECT end_date FROM allocations WHERE source = 'csc_api' AND child_id = 'C1' AND staff_id = 'S1'"))
                .as("an end the record gives is kept").isEqualTo("2025-11-30");
    }

    @Test
    void eachAllocationTakesTheCaseTypeOfWhatWasOpenOnTheDayItStarted() {
        send("""
                [{"la_child_id": "C5", "mis_child_id": "M5", "child_details": {"date_of_birth": "2015-03-03"},
                  "social_care_episodes": [
                    {"social_care_episode_id": "E1", "referral_date": "2024-12-01",
                     "care_worker_details": [
                       {"worker_id": "S1", "start_date": "2024-12-02", "end_date": "2025-01-31"},
                       {"worker_id": "S2", "start_date": "2025-02-01", "end_date": "2025-06-30"},
                       {"worker_id": "S1", "start_date": "2025-07-01", "end_date": "2025-09-30"},
                       {"worker_id": "S2", "start_date": "2025-10-01", "end_date": null}],
                     "child_and_family_assessments": [
                       {"child_and_family_assessment_id": "A1", "start_date": "2024-12-02", "authorisation_date": "2025-01-20"}],
                     "child_protection_plans": [
                       {"child_protection_plan_id": "P1", "start_date": "2025-01-25", "end_date": "2025-06-30"}],
                     "child_in_need_plans": [
                       {"child_in_need_plan_id": "N1", "start_date": "2025-07-01", "end_date": "2025-09-30"}],
                     "child_looked_after_placements": [
                       {"child_looked_after_placement_id": "L1", "start_date": "2025-10-01", "end_date": null}]}]}]
                """).expectStatus().isOk();
        assertThat(allocations()).isEqualTo("C5 S1 assessment 2024-12-02 2025-01-31 -; C5 S2 cp 2025-02-01 2025-06-30 OTHERS;"
                + " C5 S1 cin 2025-07-01 2025-09-30 OTHERS; C5 S2 cla 2025-10-01 open OTHERS");
        // a plan purged by its id: the allocation it dated is a child in need case again
        send("""
                [{"la_child_id": "C5", "mis_child_id": "M5", "child_details": {"date_of_birth": "2015-03-03"},
                  "social_care_episodes": [{"social_care_episode_id": "E1",
                     "child_protection_plans": [{"child_protection_plan_id": "P1", "purge": true}]}]}]
                """).expectStatus().isOk();
        assertThat(one("SELECT case_type FROM allocations WHERE child_id = 'C5' AND start_date = '2025-02-01'")).isEqualTo("cin");
    }

    @Test
    void aPeriodInCareANativeFileTookOverIsNotWrittenBackByTheNextRecords() {
        send(TWO_CHILDREN).expectStatus().isOk();
        upload("children_in_care", """
                child_id,date_of_birth,period_start,period_end,latest_assessment_date
                C2,2007-01-20,2019-06-01,,2024-05-01
                """).expectStatus().isCreated();
        String taken = "2007-01-20 open 2024-05-01 file";
        assertThat(one("SELECT date_of_birth || ' ' || coalesce(period_end::text, 'open') || ' ' || latest_assessment_date"
                + " || ' ' || source FROM children_in_care WHERE child_id = 'C2'")).isEqualTo(taken);
        send(TWO_CHILDREN).expectStatus().isOk();
        assertThat(one("SELECT date_of_birth || ' ' || coalesce(period_end::text, 'open') || ' ' || latest_assessment_date"
                + " || ' ' || source FROM children_in_care WHERE child_id = 'C2'")).isEqualTo(taken);
    }

    @Test
    void everyVersionOfACareLeaverTheRecordsWriteIsKeptInItsHistory() {
        send(TWO_CHILDREN).expectStatus().isOk();
        send(TWO_CHILDREN.replace("\"contact_date\": \"2025-11-14\"", "\"contact_date\": \"2025-12-01\"")).expectStatus().isOk();
        assertThat(one("SELECT string_agg(latest_contact_date::text, ' ' ORDER BY latest_contact_date) FROM care_leaver_history"
                + " WHERE child_id = 'C2'")).isEqualTo("2025-11-14 2025-12-01");
    }

    @Test
    void assessmentTimelinessIsCountedInWorkingDaysForTheTeamOfTheWorkerHoldingTheCase() {
        send(TWO_CHILDREN).expectStatus().isOk();
        // 2025-09-03 (Wed) to 2025-10-10 (Fri): 27 weekdays after the start, no bank holiday between
        as("viewer").get().uri("/api/csc-api/assessment-timeliness").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].team_id").isEqualTo("T1")
                .jsonPath("$[0].assessments").isEqualTo(1)
                .jsonPath("$[0].median_working_days").isEqualTo(27.0)
                .jsonPath("$[0].within_timescale").isEqualTo(1.0);
    }

    @Autowired
    private ApplicationEventPublisher publisher;

    @Autowired
    private io.micrometer.core.instrument.MeterRegistry registry;

    private double imports(String outcome) {
        var counter = registry.find("workforce.imports").tags("dataset", "csc_api", "outcome", outcome).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void batchesAreCountedInTheImportMetricsAsFilesAre() {
        double succeeded = imports("succeeded");
        double rejected = imports("rejected");
        assertThat(succeeded).as("the series exists from start-up").isGreaterThanOrEqualTo(0);
        double rows = registry.find("workforce.import.rows").tags("dataset", "csc_api").counter().count();
        send(TWO_CHILDREN).expectStatus().isOk();
        send(TWO_CHILDREN.replace("\"2010-05-02\"", "\"2010-13-02\"")).expectStatus().isEqualTo(422);
        assertThat(imports("succeeded")).isEqualTo(succeeded + 1);
        assertThat(imports("rejected")).isEqualTo(rejected + 1);
        assertThat(registry.find("workforce.import.rows").tags("dataset", "csc_api").counter().count()).isEqualTo(rows + 2);
    }

    /** An empty database (but for seeded reference data), the indicators current on it. */
    private void emptied() {
        DatabaseOwner.emptyAllBut(environment(), SEEDED);
        publisher.publishEvent(new DataChanged("all", 0));
        awaitIndicatorsCurrent();
    }

    /** Every indicator of every team, service and the authority today: id, level, scope, value and its parts. */
    private List<String> indicators() {
        byte[] body = web.get().uri("/api/indicators").exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody();
        List<String> values = new ArrayList<>();
        for (JsonNode v : JsonMapper.builder().build().readTree(body).get("indicators")) {
            values.add(v.get("indicator").asString() + " " + v.get("level").asString() + " " + v.get("scope").asString()
                    + " = " + v.get("value") + " (" + v.get("numerator") + " / " + v.get("denominator") + ", "
                    + v.get("detail") + ")");
        }
        values.sort(null);
        return values;
    }

    @ParameterizedTest
    @EnumSource(CscAuthority.Shape.class)
    void theRecordsGiveEveryTeamTheSameIndicatorsAsTheEquivalentNativeFiles(CscAuthority.Shape shape) {
        CscAuthority authority = new CscAuthority(shape, LocalDate.now(), 20261207L + shape.ordinal());
        emptied();
        authority.hr.forEach((dataset, csv) -> upload(dataset, csv).expectStatus().isCreated());
        authority.csv.forEach((dataset, csv) -> upload(dataset, csv).expectStatus().isCreated());
        List<String> fromFiles = indicators();

        emptied();
        authority.hr.forEach((dataset, csv) -> upload(dataset, csv).expectStatus().isCreated());
        // as the pipeline sends them: in batches
        List<JsonNode> records = new ArrayList<>();
        JsonMapper.builder().build().readTree(authority.records).forEach(records::add);
        for (int from = 0; from < records.size(); from += 100) {
            send(records.subList(from, Math.min(records.size(), from + 100)).toString()).expectStatus().isOk();
        }
        List<String> fromRecords = indicators();

        assertThat(fromRecords).isEqualTo(fromFiles);
        assertThat(count("allocations")).isEqualTo(authority.csv.get("allocations").lines().count() - 1);
        assertThat(fromRecords).as("the authority exercises the indicators the records feed")
                .anySatisfy(v -> assertThat(v).startsWith("caseload_per_fte team").doesNotContain("(0.0 /"))
                .anySatisfy(v -> assertThat(v).startsWith("pa_caseload_per_fte team").doesNotContain("(0.0 /"))
                .anySatisfy(v -> assertThat(v).startsWith("worker_changes authority").doesNotContain("/ 0.0"))
                .anySatisfy(v -> assertThat(v).startsWith("assessment_out_of_date authority").doesNotContain("/ 0.0"))
                .anySatisfy(v -> assertThat(v).startsWith("care_leaver_contact_overdue authority").doesNotContain("/ 0.0"));
    }
}
