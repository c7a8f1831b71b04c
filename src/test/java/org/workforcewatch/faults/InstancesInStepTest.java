package org.workforcewatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.MediaType;
import org.workforcewatch.cluster.ChangedElsewhere;

/**
 * What one instance changes, the other shows without waiting: a threshold changed on the first changes the
 * severities the second answers, and its chart cache; and after the database restarts, the second hears the
 * first again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstancesInStepTest {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv");

    private KillablePostgres database;
    private Instance first;
    private Instance second;

    @BeforeAll
    void start() {
        database = KillablePostgres.create("in-step");
        first = Instance.start(database);
        second = Instance.start(database);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {second, first, database}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Object severity(Instance instance) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = instance.web.get().uri("/api/indicators?level=team").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> indicators = (List<Map<String, Object>>) body.get("indicators");
        return indicators.stream().filter(i -> i.get("indicator").equals("caseload_per_fte") && i.get("scope").equals("T1"))
                .map(i -> i.get("severity") + "/" + i.get("red")).findFirst().orElse(null);
    }

    private String chartTag(Instance instance) {
        return instance.web.get().uri("/api/charts/indicators/caseload_per_fte/teams.svg").exchange().expectStatus().isOk()
                .returnResult(byte[].class).getResponseHeaders().getETag();
    }

    @Test
    void aThresholdChangedOnOneInstanceIsInForceOnTheOtherAtOnceAndAfterADatabaseRestart() {
        first.web.post().uri("/api/imports/teams").contentType(CSV)
                .bodyValue("team_id,team_name,service,team_type\nT1,North,Front Door,assessment\n").exchange().expectStatus().isCreated();
        first.web.post().uri("/api/imports/staff").contentType(CSV)
                .bodyValue("staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date\n"
                        + "S1,T1,social_worker,permanent,1,2020-01-01,Y,2010-07-01\n").exchange().expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        for (int i = 0; i < 20; i++) {
            allocations.append("A").append(i).append(",C").append(i).append(",S1,cin,2020-01-01\n");
        }
        first.web.post().uri("/api/imports/allocations").contentType(CSV).bodyValue(allocations.toString()).exchange()
                .expectStatus().isCreated();
        // 20 per FTE: amber against the defaults (18/22) on both
        await().atMost(Duration.ofSeconds(20)).until(() -> "amber/22.0".equals(severity(first)) && "amber/22.0".equals(severity(second)));
        String before = chartTag(second);

        List<ChangedElsewhere> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        second.listen(ChangedElsewhere.class, heard::add);
        first.web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("scope_kind", "team", "scope", "T1", "amber", 15, "red", 19, "reason", "tighter")).exchange().expectStatus().isOk();
        assertThat(severity(first)).isEqualTo("red/19.0");
        await("the second instance follows").atMost(Duration.ofSeconds(10)).until(() -> "red/19.0".equals(severity(second)));
        assertThat(heard).extracting(ChangedElsewhere::kind).contains("thresholds");
        await("the second instance's chart cache follows").atMost(Duration.ofSeconds(10)).until(() -> !before.equals(chartTag(second)));

        // the database restarts: the second reconnects by itself and hears the first again
        database.kill();
        database.start();
        await("reconnected").atMost(Duration.ofSeconds(60)).until(() -> heard.stream().anyMatch(c -> c.kind().equals("reconnected")));
        await("the first answers again").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> first.web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("scope_kind", "team", "scope", "T1", "amber", 21, "red", 25, "reason", "looser")).exchange()
                        .returnResult(String.class).getStatus().is2xxSuccessful());
        await("the second follows after the restart").atMost(Duration.ofSeconds(10)).until(() -> "ok/25.0".equals(severity(second)));
    }

    @Test
    void aRiskFoundFromDataSentToOneInstanceReachesTheLiveStreamOfTheOther() {
        List<org.workforcewatch.indicators.Risk.Event> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.Disposable listening = second.bean(org.workforcewatch.indicators.Risks.class).events().subscribe(heard::add);
        try {
            first.web.post().uri("/api/imports/teams").contentType(CSV)
                    .bodyValue("team_id,team_name,service,team_type\nT9,South,Front Door,assessment\n").exchange().expectStatus().isCreated();
            first.web.post().uri("/api/imports/staff?extract=partial").contentType(CSV)
                    .bodyValue("staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date\n"
                            + "S9,T9,social_worker,agency,1,2020-01-01,Y,2010-07-01\n").exchange().expectStatus().isCreated();
            // an agency worker alone: T9's agency rate is 100%, red; whichever instance takes the change in, both streams tell it
            await("the second instance's stream tells the risk").atMost(Duration.ofSeconds(10)).until(() -> heard.stream()
                    .anyMatch(e -> e.kind().equals("raised") && e.risk().indicator().equals("agency_rate") && e.risk().scope().equals("T9")
                            && "red".equals(e.risk().severity()) && "Front Door".equals(e.risk().service())));
        } finally {
            listening.dispose();
        }
    }
}
