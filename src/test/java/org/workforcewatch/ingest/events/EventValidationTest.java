package org.workforcewatch.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ingest.Fixtures;

/** Each event is checked like a file line; a bad one is reported by line and reason, the good ones still apply. */
class EventValidationTest extends EventTest {

    private static final String SUPERVISION = """
            {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "%s", "supervision_date": "%s"}
            """;



    @Test
    void aBadLineIsReportedWithItsLineNumberAndReasonWhileTheGoodLinesAreApplied() {
        ndjson(SUPERVISION.formatted("S1", "2026-11-01")
                + "\n"
                + SUPERVISION.formatted("S1", "2026-02-30")
                + "{not json\n"
                + SUPERVISION.formatted("S2", "2026-11-02"))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.rejected").isEqualTo(2)
                .jsonPath("$.results.length()").isEqualTo(4)
                .jsonPath("$.results[1].line").isEqualTo(3)
                .jsonPath("$.results[1].status").isEqualTo("rejected")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("supervision_date")
                .jsonPath("$.results[1].errors[0].value").isEqualTo("2026-02-30")
                .jsonPath("$.results[1].errors[0].reason").isEqualTo("not a date: use YYYY-MM-DD or DD/MM/YYYY")
                .jsonPath("$.results[2].line").isEqualTo(4)
                .jsonPath("$.results[2].errors[0].reason").value(r -> assertThat((String) r).startsWith("not valid JSON"))
                .jsonPath("$.results[3].line").isEqualTo(5)
                .jsonPath("$.results[3].status").isEqualTo("applied");
        assertThat(one("SELECT string_agg(staff_id || '@' || supervision_date, ',' ORDER BY staff_id) FROM supervision"))
                .isEqualTo("S1@2026-11-01,S2@2026-11-02");
        assertThat(count("events")).isEqualTo(2);
    }

    @Test
    void aBatchWhoseEveryLineIsBadIsA422ProblemWithTheSameLineErrorsAndChangesNothing() {
        ndjson(SUPERVISION.formatted("S404", "2026-11-01") + SUPERVISION.formatted("S1", "yesterday"))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("No event could be applied")
                .jsonPath("$.accepted").isEqualTo(0)
                .jsonPath("$.rejected").isEqualTo(2)
                .jsonPath("$.errors[0].line").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("staff_id")
                .jsonPath("$.errors[1].line").isEqualTo(2)
                .jsonPath("$.errors[1].field").isEqualTo("supervision_date")
                .jsonPath("$.results[0].status").isEqualTo("rejected");
        assertThat(count("supervision")).isZero();
        assertThat(count("events")).isZero();
    }

    @Test
    void anUnknownTypeIsRejectedNamingTheAllowedTypes() {
        ndjson("{\"type\": \"staff_promoted\", \"occurred_at\": \"2026-11-23T10:15:00Z\", \"staff_id\": \"S1\"}")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.results[0].errors[0].field").isEqualTo("type")
                .jsonPath("$.results[0].errors[0].value").isEqualTo("staff_promoted")
                .jsonPath("$.results[0].errors[0].reason").isEqualTo("not one of the event types: staff_started, staff_left,"
                        + " allocation_started, allocation_ended, referral_received, referral_allocated, supervision_recorded,"
                        + " care_leaver_updated");
    }

    @Test
    void aMissingRequiredFieldABadEnumAndABadInstantAreEachNamed() {
        ndjson("""
                {"type": "allocation_started", "occurred_at": "2026-11-23T10:15:00Z", "allocation_id": "A1", "staff_id": "S1", "case_type": "cin", "start_date": "2026-11-01"}
                {"type": "allocation_started", "occurred_at": "2026-11-23T10:15:00Z", "allocation_id": "A2", "child_id": "C1", "staff_id": "S1", "case_type": "child_protection", "start_date": "2026-11-01"}
                {"type": "allocation_started", "occurred_at": "2026-11-23 10:15", "allocation_id": "A3", "child_id": "C1", "staff_id": "S1", "case_type": "cin", "start_date": "2026-11-01"}
                {"type": "allocation_started", "allocation_id": "A4", "child_id": "C1", "staff_id": "S1", "case_type": "cin", "start_date": "2026-11-01"}
                """)
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.results[0].errors[0].field").isEqualTo("child_id")
                .jsonPath("$.results[0].errors[0].reason").isEqualTo("required field is missing")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("case_type")
                .jsonPath("$.results[1].errors[0].reason").value(r -> assertThat((String) r)
                        .isEqualTo("not one of the allowed values: assessment, cin, cp, cla, care_leaver, early_help, other"))
                .jsonPath("$.results[2].errors[0].field").isEqualTo("occurred_at")
                .jsonPath("$.results[2].errors[0].value").isEqualTo("2026-11-23 10:15")
                .jsonPath("$.results[2].errors[0].reason").value(r -> assertThat((String) r).contains("ISO-8601"))
                .jsonPath("$.results[3].errors[0].field").isEqualTo("occurred_at")
                .jsonPath("$.results[3].errors[0].reason").value(r -> assertThat((String) r).startsWith("required field is missing"));
    }

    @Test
    void referencesMustResolveInStoredDataOrEarlierInTheRequest() {
        ndjson("""
                {"type": "allocation_started", "occurred_at": "2026-11-23T10:15:00Z", "allocation_id": "A1", "child_id": "C1", "staff_id": "S404", "case_type": "cin", "start_date": "2026-11-01"}
                {"type": "staff_started", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S404", "team_id": "T404", "role": "social_worker", "employment": "permanent", "fte": 1, "start_date": "2026-11-01", "case_holding": "Y"}
                {"type": "staff_started", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S404", "team_id": "T1", "role": "social_worker", "employment": "permanent", "fte": 1, "start_date": "2026-11-01", "case_holding": "Y"}
                {"type": "allocation_started", "occurred_at": "2026-11-23T10:15:00Z", "allocation_id": "A2", "child_id": "C1", "staff_id": "S404", "case_type": "cin", "start_date": "2026-11-01"}
                {"type": "allocation_ended", "occurred_at": "2026-11-23T10:15:00Z", "allocation_id": "A404", "end_date": "2026-11-02"}
                {"type": "referral_allocated", "occurred_at": "2026-11-23T10:15:00Z", "referral_id": "R404", "allocated_date": "2026-11-02"}
                {"type": "staff_left", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S405", "end_date": "2026-11-02"}
                """)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.results[0].errors[0].field").isEqualTo("staff_id")
                .jsonPath("$.results[0].errors[0].value").isEqualTo("S404")
                .jsonPath("$.results[0].errors[0].reason").isEqualTo(
                        "no staff member with this staff_id in the stored staff_spells or earlier in this request")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("team_id")
                .jsonPath("$.results[1].errors[0].reason").isEqualTo("no team with this team_id in the stored teams or earlier in this request")
                .jsonPath("$.results[2].status").isEqualTo("applied")
                .jsonPath("$.results[3].status").isEqualTo("applied")
                .jsonPath("$.results[4].errors[0].reason").isEqualTo(
                        "no allocation with this allocation_id in the stored allocations or earlier in this request")
                .jsonPath("$.results[5].errors[0].field").isEqualTo("referral_id")
                .jsonPath("$.results[6].errors[0].field").isEqualTo("staff_id");
        assertThat(one("SELECT string_agg(allocation_id, ',') FROM allocations")).isEqualTo("A2");
    }

    @Test
    void theRowRulesOfTheFilesHoldForEvents() {
        ndjson("""
                {"type": "staff_started", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S7", "team_id": "T1", "role": "social_worker", "employment": "permanent", "fte": 1.5, "start_date": "2026-11-01", "case_holding": "Y"}
                {"type": "staff_started", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S8", "team_id": "T1", "role": "social_worker", "employment": "permanent", "fte": 1, "start_date": "2026-11-01", "case_holding": "Y", "agency_name": "Hays"}
                {"type": "staff_left", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S1", "end_date": "2021-01-01"}
                {"type": "referral_allocated", "occurred_at": "2026-11-23T10:15:00Z", "referral_id": "R1", "allocated_date": "2026-11-02"}
                """)
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.results[0].errors[0].field").isEqualTo("fte")
                .jsonPath("$.results[0].errors[0].reason").isEqualTo("must be greater than 0 and at most 1")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("agency_name")
                .jsonPath("$.results[2].errors[0].field").isEqualTo("end_date")
                .jsonPath("$.results[2].errors[0].reason").isEqualTo("end_date is before the spell's start_date (2022-01-10)");
        assertThat(one("SELECT count(*) FROM staff_spells WHERE end_date IS NULL")).isEqualTo("2");
    }

    @Test
    void aLeaverWithSeveralOpenSpellsMustNameTheSpell() {
        upload("staff", Fixtures.VALID.get("staff") + "S1,T2,social_worker,permanent,0.5,2023-01-01,,,Y,2015-07-01,,\n")
                .expectStatus().isCreated();
        String left = """
                {"type": "staff_left", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S1", "end_date": "2026-11-20"%s}
                """;
        ndjson(left.formatted("")).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.results[0].errors[0].reason").isEqualTo("S1 has 2 open spells (team T1 from 2022-01-10, team T2 from"
                        + " 2023-01-01): give team_id and start_date to say which one ended");
        ndjson(left.formatted(", \"team_id\": \"T2\"")).expectStatus().isOk();
        assertThat(one("SELECT team_id || ' ' || end_date FROM staff_spells WHERE staff_id = 'S1' AND end_date IS NOT NULL"))
                .isEqualTo("T2 2026-11-20");
        ndjson(left.formatted("").replace("2026-11-20", "2026-11-25")).expectStatus().isOk();
        assertThat(one("SELECT string_agg(team_id || ' ' || end_date, ', ' ORDER BY team_id) FROM staff_spells WHERE staff_id = 'S1'"))
                .isEqualTo("T1 2026-11-25, T2 2026-11-20");
    }

    @Test
    void unknownFieldsAreIgnoredWithAWarningOnTheirLine() {
        ndjson("{\"type\": \"supervision_recorded\", \"occurred_at\": \"2026-11-23T10:15:00Z\", \"staff_id\": \"S1\","
                + " \"supervision_date\": \"2026-11-01\", \"minutes\": 90}")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.results[0].status").isEqualTo("applied")
                .jsonPath("$.results[0].warnings[0]").isEqualTo("unknown field ignored: minutes");
    }

    @Test
    void aBodyThatIsNotJsonAtAllIsA400Problem() {
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("staff_id,team_id\nS1,T1\n").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("the body is not JSON"));
        ndjson("staff_id,team_id\nS1,T1\n").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("the body is not NDJSON"));
        ndjson("\n\n").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("no event"));
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("42").exchange()
                .expectStatus().isBadRequest();
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange()
                .expectStatus().isBadRequest();
        assertThat(count("events")).isZero();
    }

    @Test
    void aRequestOfMoreEventsThanTheLimitIsRefusedAsTooLargeAndChangesNothing() {
        ndjson(SUPERVISION.formatted("S1", "2026-11-01") + "{}\n".repeat(50_000))
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("at most 50000 events"));
        assertThat(count("supervision")).isZero();
    }

    @Test
    void valuesThatJsonTypesCarryAreReadAsTheirText() {
        ndjson("""
                {"type": "staff_started", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": 1234, "team_id": "T1", "role": "social_worker", "employment": "agency", "fte": 0.5, "start_date": "2026-11-01", "case_holding": false, "agency_name": "Hays", "agency_hourly_rate": 47.25}
                {"type": "staff_started", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S5", "team_id": ["T1"], "role": "social_worker", "employment": "permanent", "fte": 1, "start_date": "2026-11-01", "case_holding": true}
                """)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.results[1].errors[0].field").isEqualTo("team_id")
                .jsonPath("$.results[1].errors[0].reason").isEqualTo("must be a single value, not a list");
        assertThat(one("SELECT fte || ' ' || case_holding || ' ' || agency_hourly_rate FROM staff_spells WHERE staff_id = '1234'"))
                .isEqualTo("0.5000 false 47.25");
    }
}
