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

/** An accepted live event shows in the indicators and the risks within five seconds. */
class LiveEventsTest extends ApiTest {

    /** T1's caseload per FTE as today's team-level indicators answer it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> caseloadOfT1(org.springframework.test.web.reactive.server.WebTestClient web) {
        Map<String, Object> body = web.get().uri("/api/indicators?level=team").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("indicators")).stream()
                .filter(i -> i.get("indicator").equals("caseload_per_fte") && i.get("scope").equals("T1")).findFirst().orElseThrow();
    }

    @Test
    void eventsPushingATeamOverItsCaseloadThresholdShowWithinFiveSeconds() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date\n"
                + "S1,T1,social_worker,permanent,1,2020-01-01,Y,2010-07-01\n").expectStatus().isCreated();
        // the team has no caseload figure until the refresh after the staff upload has run
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> ((Number) caseloadOfT1(web).get("numerator")).intValue() == 0);

        web.post().uri("/api/events").contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue(allocationsStartedToday(23, "e", "C")).exchange().expectStatus().isOk();
        showsWithinFiveSeconds(web);
    }

    /** n allocations started today for S1 of T1, as NDJSON events: event ids and children numbered after the prefixes. */
    static String allocationsStartedToday(int n, String eventPrefix, String childPrefix) {
        StringBuilder events = new StringBuilder();
        String today = LocalDate.now(java.time.ZoneId.of("Europe/London")).toString();
        for (int c = 1; c <= n; c++) {
            events.append("{\"type\":\"allocation_started\",\"occurred_at\":\"").append(today).append("T09:00:00Z\",\"event_id\":\"")
                    .append(eventPrefix).append(c).append("\",\"allocation_id\":\"A").append(c).append("\",\"child_id\":\"")
                    .append(childPrefix).append(c)
                    .append("\",\"staff_id\":\"S1\",\"case_type\":\"cin\",\"start_date\":\"").append(today).append("\"}\n");
        }
        return events.toString();
    }

    /** T1's caseload of 23 (one worker) and its red risk show in the indicators and the risks within 5 seconds. */
    static void showsWithinFiveSeconds(org.springframework.test.web.reactive.server.WebTestClient web) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(caseloadOfT1(web)).containsEntry("value", 23.0).containsEntry("severity", "red");
            assertThat(web.get().uri("/api/risks").exchange().expectBody(String.class).returnResult().getResponseBody())
                    .contains("\"indicator\":\"caseload_per_fte\",\"level\":\"team\",\"scope\":\"T1\"");
        });
    }
}
