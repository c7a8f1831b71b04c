package org.workforcewatch.indicators;

import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;

/** A team's workers: each one's caseload against the limit the rule reads, and agency detail only for HR and admins. */
class TeamWorkersApiTest extends ApiTest {

    @BeforeEach
    void team() {
        upload("teams", "team_id,team_name,service,team_type\nT01,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                A1,T01,social_worker,agency,1,2022-01-01,,,Y,2010-07-01,Locum Co,55.5
                S1,T01,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,
                Y1,T01,asye,permanent,1,2026-01-05,,,Y,2025-07-01,,
                """).expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        int n = 0;
        for (String[] held : new String[][] {{"S1", "21"}, {"Y1", "19"}, {"A1", "3"}}) {
            for (int i = 0; i < Integer.parseInt(held[1]); i++) {
                n++;
                allocations.append("AL").append(n).append(",C").append(n).append(',').append(held[0]).append(",cin,")
                        .append(LocalDate.now().minusMonths(2)).append(",,\n");
            }
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
    }

    private WebTestClient.BodyContentSpec workers(String user) {
        return as(user).get().uri("/api/teams/T01/workers").exchange().expectStatus().isOk().expectBody();
    }

    @Test
    void eachWorkerCarriesTheCaseloadLimitTheOverCaseloadRuleReads() {
        workers("admin")
                .jsonPath("$.workers[?(@.staff_id == 'S1')].caseload_limit").isEqualTo(20.0)
                .jsonPath("$.workers[?(@.staff_id == 'S1')].over_caseload").isEqualTo(true)
                // a newly qualified worker's limit is 90% of the full one
                .jsonPath("$.workers[?(@.staff_id == 'Y1')].caseload_limit").isEqualTo(18.0)
                .jsonPath("$.workers[?(@.staff_id == 'Y1')].over_caseload").isEqualTo(true)
                .jsonPath("$.workers[?(@.staff_id == 'A1')].caseload_limit").isEqualTo(20.0)
                .jsonPath("$.workers[?(@.staff_id == 'A1')].over_caseload").isEqualTo(false);
    }

    @Test
    void whichAgencySuppliesAWorkerAndAtWhatRateOnlyHrAndAdminsSee() {
        for (String user : new String[] {"admin", "hr"}) {
            workers(user)
                    .jsonPath("$.workers[?(@.staff_id == 'A1')].agency_name").isEqualTo("Locum Co")
                    .jsonPath("$.workers[?(@.staff_id == 'A1')].agency_hourly_rate").isEqualTo(55.5);
        }
        for (String user : new String[] {"head", "manager"}) {
            workers(user)
                    .jsonPath("$.workers[?(@.staff_id == 'A1')].employment").isEqualTo("agency")
                    .jsonPath("$.workers[?(@.staff_id == 'A1')].agency_name").isEqualTo(null)
                    .jsonPath("$.workers[?(@.staff_id == 'A1')].agency_hourly_rate").isEqualTo(null);
        }
        as("viewer").get().uri("/api/teams/T01/workers").exchange().expectStatus().isForbidden();
    }
}
