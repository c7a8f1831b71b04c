package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/**
 * History only where the data reaches: each dataset vouches from its own date, an indicator has a value only
 * from the latest of its inputs', dates outside the window are refused, series and risks start at coverage.
 */
class DataCoverageTest extends ApiTest {

    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";

    /** Staff since 2019 but the first leaver in March 2023; 25 children allocated to one worker from May 2024. */
    private void authority() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", STAFF
                + "S1,T1,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n"
                + "S2,T1,social_worker,permanent,1,2019-01-01,2023-03-15,resigned,Y,2012-07-01,,\n").expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        for (int c = 1; c <= 25; c++) {
            allocations.append("A").append(c).append(",C").append(c).append(",S1,cin,2024-05-10,,\n");
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static Map<String, Object> entry(List<Map<String, Object>> entries, String key, String value) {
        return entries.stream().filter(e -> value.equals(e.get(key))).findFirst().orElseThrow(() -> new AssertionError(value));
    }

    @Test
    void eachDatasetVouchesFromItsOwnRecordAndEachIndicatorFromTheLatestOfItsInputs() {
        authority();
        Map<String, Object> coverage = json("/api/data-coverage");

        Map<String, Object> staff = entry(list(coverage.get("datasets")), "dataset", "staff");
        assertThat(staff).containsEntry("from", "2023-03-15").containsEntry("basis", "the first recorded leaver")
                .containsEntry("configured", false);
        assertThat(entry(list(coverage.get("datasets")), "dataset", "allocations")).containsEntry("from", "2024-05-10");
        // nothing recorded: only today
        assertThat(entry(list(coverage.get("datasets")), "dataset", "referrals")).containsEntry("from", null);

        List<Map<String, Object>> indicators = list(coverage.get("indicators"));
        assertThat(entry(indicators, "indicator", "agency_rate")).containsEntry("from", "2023-03-15");
        assertThat(entry(indicators, "indicator", "caseload_per_fte")).containsEntry("from", "2024-05-10")
                .containsEntry("inputs", List.of("staff", "allocations"));
        // twelve months of leavers are needed for a turnover rate
        assertThat(entry(indicators, "indicator", "turnover_rate")).containsEntry("from", "2024-03-14").containsEntry("rolling_year", true);
        assertThat(entry(indicators, "indicator", "allocation_wait")).containsEntry("from", LocalDate.now(java.time.ZoneId.of("Europe/London")).toString());
        assertThat(coverage).containsEntry("earliest", "2023-03-15").containsEntry("history_from", "2023-03-31");
    }

    @Test
    void anIndicatorHasNoValueWithTheReasonWhereItsDataDoesNotReach() {
        authority();
        Map<String, Object> body = json("/api/indicators?as_of=2023-12-31&level=authority");
        List<Map<String, Object>> values = list(body.get("indicators"));

        assertThat(entry(values, "indicator", "agency_rate")).containsEntry("value", 0.0).doesNotContainKey("reason");
        Map<String, Object> caseload = entry(values, "indicator", "caseload_per_fte");
        assertThat(caseload).containsEntry("value", null).containsEntry("severity", null);
        assertThat((String) caseload.get("reason")).contains("allocations recorded from 10 May 2024 (the earliest allocation)");
        assertThat((String) entry(values, "indicator", "turnover_rate").get("reason"))
                .contains("counts twelve months, so it starts 14 Mar 2024");

        // from the day its inputs are covered, the value is there
        Map<String, Object> later = entry(list(json("/api/indicators?as_of=2024-05-10&level=authority").get("indicators")),
                "indicator", "caseload_per_fte");
        assertThat(later).containsEntry("value", 25.0).doesNotContainKey("reason");
    }

    @Test
    void aDateOutsideTheCoveredWindowIsAProblemNamingTheWindow() {
        authority();
        for (String asOf : List.of("2023-03-14", LocalDate.now(java.time.ZoneId.of("Europe/London")).plusDays(1).toString())) {
            web.get().uri("/api/indicators?as_of=" + asOf).exchange().expectStatus().isEqualTo(422)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/date-not-covered")
                    .jsonPath("$.earliest").isEqualTo("2023-03-15")
                    .jsonPath("$.detail").value(d -> assertThat((String) d).contains("from 2023-03-15 to"));
        }
        web.get().uri("/api/indicators?as_of=2023-03-15").exchange().expectStatus().isOk();
        // every answer for a date keeps to the window, before computing anything
        for (String uri : List.of("/api/benchmarks?as_of=9701-01-01", "/api/charts/indicators/agency_rate/teams.svg?as_of=9701-01-01",
                "/api/teams/T1/workers?as_of=1901-01-01", "/api/charts/indicators/agency_rate/trend.png?as_of=9701-01-01",
                "/api/charts/composition.svg?as_of=1901-01-01", "/api/charts/pa-caseloads.png?as_of=9701-01-01")) {
            web.get().uri(uri).exchange().expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/date-not-covered");
        }
    }

    @Test
    void seriesStartAtTheirIndicatorsCoverageAndARiskIsNeverOlderThanTheDataShowingIt() {
        authority();
        List<Map<String, Object>> caseload = list(json("/api/indicators/caseload_per_fte/series").get("points"));
        assertThat(caseload.get(0)).containsEntry("as_of", "2024-05-31").containsEntry("value", 25.0);
        assertThat(caseload).allMatch(p -> p.get("value") != null);
        List<Map<String, Object>> agency = list(json("/api/indicators/agency_rate/series").get("points"));
        assertThat(agency.get(0)).containsEntry("as_of", "2023-03-31");

        // 25 children for one worker since May 2024: red, and has been since the first month the data shows
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> risk = list(json("/api/risks").get("risks")).stream()
                    .filter(r -> r.get("indicator").equals("caseload_per_fte") && r.get("level").equals("authority"))
                    .findFirst().orElseThrow();
            assertThat(risk).containsEntry("since", "2024-05-31");
        });
    }
}
