package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/** A data-quality flag is confirmed or dismissed by the signed-in person with a reason, and the answer is audited. */
class DataQualityAnswersTest extends ApiTest {

    private static final String TEAMS = "team_id,team_name,service,team_type\nT1,North,Front Door,assessment\n";
    private static final String HEADER = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding\n";
    private static final String S1 = "S1,T1,social_worker,permanent,1,2022-01-10,,,Y\n";
    private static final String S2 = "S2,T1,social_worker,permanent,1,2022-01-10,,,Y\n";
    private static final String S3 = "S3,T1,social_worker,permanent,1,2023-03-01,,,Y\n";

    /** Two staff spells missing from a later full extract: two open flags, their ids in staff order. */
    private List<Long> twoFlags() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("staff", HEADER + S1 + S2 + S3).expectStatus().isCreated();
        upload("staff", HEADER + S1).expectStatus().isCreated().expectBody().jsonPath("$.missing_from_extract_total").isEqualTo(2);
        return db.sql("SELECT id FROM missing_records WHERE resolved_at IS NULL ORDER BY record_key->>'staff_id'")
                .map(r -> r.get("id", Long.class)).all().collectList().block();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachFlagSaysWhatToConfirm() {
        twoFlags();
        as("head").get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.missing_from_latest_extract[*].record.staff_id")
                .value(ids -> assertThat((List<String>) ids).containsExactlyInAnyOrder("S2", "S3"))
                .jsonPath("$.missing_from_latest_extract[0].to_confirm")
                .value(t -> assertThat((String) t).contains("full staff extract").contains("confirm it has ended"));
    }

    @Test
    void anAnswerWithoutAReasonIsRefusedNamingTheReasonAndTheFlagStaysOpen() {
        long flag = twoFlags().get(0);
        as("hr").post().uri("/api/data-quality/missing/" + flag + "/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resolution", "left", "reason", " ")).exchange()
                .expectStatus().isEqualTo(422).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("reason");
        as("hr").post().uri("/api/data-quality/missing/" + flag + "/dismiss").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isEqualTo(422);
        assertThat(one("SELECT count(*) FROM missing_records WHERE resolved_at IS NULL")).isEqualTo("2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void confirmingAndDismissingRecordWhoAndWhyAndCloseTheFlag() {
        List<Long> flags = twoFlags();
        as("hr").post().uri("/api/data-quality/missing/" + flags.get(0) + "/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resolution", "left", "by", "not.me", "reason", "left on 30 November")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.resolved_by").isEqualTo("hr");
        as("admin").post().uri("/api/data-quality/missing/" + flags.get(1) + "/dismiss").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "still in post; the extract missed the team")).exchange().expectStatus().isOk();
        as("admin").post().uri("/api/data-quality/missing/" + flags.get(1) + "/dismiss").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "again")).exchange().expectStatus().isNotFound();

        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.missing_from_latest_extract_total").isEqualTo(0);
        assertThat(one("SELECT string_agg(resolution || ' by ' || resolved_by || ': ' || note, '; ' ORDER BY resolution DESC)"
                + " FROM missing_records")).isEqualTo("left by hr: left on 30 November; dismissed by admin: still in post;"
                + " the extract missed the team");

        List<Map<String, Object>> audited = web.get().uri("/api/audit?action=data_quality_change").exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        assertThat(audited).extracting(e -> ((Map<String, Object>) e.get("detail")).get("reason"))
                .containsExactly("again", "still in post; the extract missed the team", "left on 30 November");
        assertThat(audited).extracting(e -> e.get("status")).containsExactly(404, 200, 200);
    }

    @Test
    void aSourceConflictIsConfirmedWithAReason() {
        upload("teams", TEAMS).expectStatus().isCreated();
        asOwner("INSERT INTO source_conflicts (dataset, record_key, field, stored_value, incoming_value, source)"
                + " VALUES ('staff', '{\"staff_id\": \"S9\"}', 'fte', '1', '0.6', 'census')");
        long id = Long.parseLong(one("SELECT id FROM source_conflicts"));
        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.source_conflicts[0].to_confirm")
                .value(t -> assertThat((String) t).contains("census source gives fte as \"0.6\"").contains("\"1\""));
        as("hr").post().uri("/api/data-quality/conflicts/" + id + "/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "part-time since October")).exchange().expectStatus().isOk();
        assertThat(one("SELECT resolution || ' by ' || resolved_by || ': ' || note FROM source_conflicts"))
                .isEqualTo("confirmed by hr: part-time since October");
        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.source_conflicts_total").isEqualTo(0);
    }

    @Test
    void theHeadOfServiceReadsTheFlagsButMayNotAnswerThem() {
        long flag = twoFlags().get(0);
        as("head").get().uri("/api/data-quality/missing").exchange().expectStatus().isOk();
        as("head").post().uri("/api/data-quality/missing/" + flag + "/dismiss").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "mine")).exchange().expectStatus().isForbidden();
    }
}
