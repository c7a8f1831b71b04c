package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/**
 * GET /api/forecast says how many FTE the team's cases need at its target caseload, and the gap to the projected workforce:
 * a team of five case-holding social workers holding 80 children all year (no trend, no noise), so every run has 80 cases.
 */
class WorkforceNeededApiTest extends ApiTest {

    private static final int CHILDREN = 80;

    @Autowired
    private Clock clock;

    private LocalDate today;

    @BeforeEach
    void team() {
        today = LocalDate.now(clock);
        LocalDate longAgo = today.minusYears(6);
        db.sql("INSERT INTO teams (team_id, team_name, service, team_type) VALUES ('T1', 'North', 'Safeguarding', 'safeguarding')")
                .then().block();
        for (int i = 0; i < 5; i++) {
            db.sql("INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, case_holding)"
                    + " VALUES (:staff, 'T1', :start, 'social_worker', 'permanent', 1, true)")
                    .bind("staff", "S" + i).bind("start", longAgo).then().block();
        }
        for (int c = 0; c < CHILDREN; c++) {
            db.sql("INSERT INTO allocations (allocation_id, child_id, staff_id, case_type, start_date)"
                    + " VALUES (:id, :child, :staff, 'cin', :start)")
                    .bind("id", "A" + c).bind("child", "C" + c).bind("staff", "S" + (c % 5)).bind("start", longAgo).then().block();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Map<String, Double>>> months(String uri) {
        Map<String, Object> body = web.get().uri(uri).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        return (List<Map<String, Map<String, Double>>>) body.get("months");
    }

    private static void assertNeeds(List<Map<String, Map<String, Double>>> months, double fte) {
        assertThat(months).hasSize(12);
        for (Map<String, Map<String, Double>> m : months) {
            assertThat(m.get("fte_needed")).as(m.get("month") + " needs every run's 80 children ÷ the target")
                    .containsEntry("p10", fte).containsEntry("p50", fte).containsEntry("p90", fte);
            // the need is the same in every run, so the gap's percentiles are the need less the projected FTE's, reversed
            Map<String, Double> held = m.get("case_holding_fte");
            Map<String, Double> gap = m.get("fte_gap");
            assertThat(gap.get("p50")).isEqualTo(fte - held.get("p50"), within(0.011));
            assertThat(gap.get("p10")).isEqualTo(fte - held.get("p90"), within(0.011));
            assertThat(gap.get("p90")).isEqualTo(fte - held.get("p10"), within(0.011));
            assertThat(m.get("pa_fte_needed")).as("no care leavers need no personal adviser").containsEntry("p50", 0.0);
        }
        // five workers at the start: the first month's projected case-holding FTE is at most five
        assertThat(months.get(0).get("case_holding_fte").get("p90")).isLessThanOrEqualTo(5.0);
    }

    @Test
    void theFteNeededFollowsTheTeamsTargetCaseloadAndTheGapIsTheNeedLessTheProjectedFte() {
        // the general target of caseload per FTE: 16 children
        assertNeeds(months("/api/forecast?level=team&scope=T1"), CHILDREN / 16.0);

        as("head").put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("scope_kind", "team", "scope", "T1", "amber", 21, "red", 25, "target", 20,
                        "reason", "long-term cases")).exchange().expectStatus().isOk();
        assertNeeds(months("/api/forecast?level=team&scope=T1"), CHILDREN / 20.0);
        // the authority is the sum of its one team
        assertNeeds(months("/api/forecast"), CHILDREN / 20.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aScenarioWithMoreDemandNeedsMoreFteThanTheBaseline() {
        web.post().uri("/api/scenarios").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"name": "More children", "changes": [{"type": "demand", "percent": 25, "from": "%s"}]}
                        """.formatted(YearMonth.from(today)))
                .exchange().expectStatus().isCreated();
        Map<String, Object> body = web.get().uri("/api/scenarios/More children/forecast?level=team&scope=T1").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Map<String, Double>>> baseline =
                (List<Map<String, Map<String, Double>>>) ((Map<String, Object>) body.get("baseline")).get("months");
        List<Map<String, Map<String, Double>>> scenario =
                (List<Map<String, Map<String, Double>>>) ((Map<String, Object>) body.get("scenario")).get("months");
        assertNeeds(baseline, CHILDREN / 16.0);
        assertNeeds(scenario, CHILDREN * 1.25 / 16.0);
    }
}
