package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/** A threshold change needs a reason, keeps what it replaced, and is listed with who, when, why, before and after. */
class ThresholdHistoryTest extends ApiTest {

    @Test
    void aChangeWithoutAReasonIsRefusedNamingTheFieldAndNothingIsStored() {
        as("head").put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 16, "red", 20, "reason", "  ")).exchange()
                .expectStatus().isEqualTo(422).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("reason")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("caseload_per_fte").contains("reason is needed"));
        assertThat(count("threshold_changes")).isZero();
    }

    @Test
    void amberBeyondRedIsRefusedNamingAmberAndAMissingReasonToo() {
        as("head").put().uri("/api/thresholds/agency_rate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 30, "red", 25)).exchange()
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("amber")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("amber (30.0) is beyond red (25.0)"))
                .jsonPath("$.errors[1].field").isEqualTo("reason");
        assertThat(count("threshold_changes")).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHistoryListsEachChangeWithWhoWhyAndTheValuesBeforeAndAfter() {
        as("head").put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 16, "red", 20, "target", 14, "reason", "board asked for 16", "changed_by", "someone"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changed_by").isEqualTo("head")
                .jsonPath("$.previous.amber").isEqualTo(18.0)
                .jsonPath("$.previous.red").isEqualTo(22.0);
        as("admin").put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("scope_kind", "team_type", "scope", "assessment", "amber", 19, "red", 23,
                        "reason", "assessment teams hold short cases")).exchange().expectStatus().isOk();
        as("head").put().uri("/api/thresholds/agency_rate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 12, "red", 20, "reason", "agency plan")).exchange().expectStatus().isOk();

        Map<String, Object> body = as("viewer").get().uri("/api/thresholds/history?indicator=caseload_per_fte").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> changes = (List<Map<String, Object>>) body.get("changes");
        assertThat(changes).extracting(c -> c.get("reason"))
                .containsExactly("assessment teams hold short cases", "board asked for 16");
        Map<String, Object> teamType = changes.get(0);
        assertThat(teamType).containsEntry("changed_by", "admin").containsEntry("scope_kind", "team_type")
                .containsEntry("scope", "assessment").containsEntry("amber", 19.0).containsEntry("red", 23.0);
        // before the team-type change the general change of a moment earlier was in force at that scope
        assertThat((Map<String, Object>) teamType.get("previous")).containsEntry("amber", 16.0).containsEntry("red", 20.0)
                .containsEntry("target", 14.0);
        assertThat(changes.get(1).get("changed_at")).isNotNull();

        web.get().uri("/api/thresholds/history").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changes.length()").isEqualTo(3)
                .jsonPath("$.changes[0].indicator").isEqualTo("agency_rate");
        web.get().uri("/api/thresholds/history?indicator=nonsense").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("nonsense"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aChangeIsAuditedWithItsReasonAndTheValuesItReplaced() {
        as("head").put().uri("/api/thresholds/turnover_rate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 14, "red", 18, "reason", "retention plan")).exchange().expectStatus().isOk();
        List<Map<String, Object>> entries = web.get().uri("/api/audit?action=threshold_change").exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.get("actor")).isEqualTo("head");
            Map<String, Object> detail = (Map<String, Object>) e.get("detail");
            assertThat(detail).containsEntry("reason", "retention plan").containsEntry("amber", 14.0);
            assertThat((Map<String, Object>) detail.get("previous")).containsEntry("amber", 15.0).containsEntry("red", 20.0);
        });
    }
}
