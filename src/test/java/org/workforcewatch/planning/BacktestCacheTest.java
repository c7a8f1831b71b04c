package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.workforcewatch.ApiTest;

/**
 * The backtest costs seconds: its result is kept while the data is unchanged, and computed again once it changes. A forecast
 * is kept as well, until the data or a threshold (the FTE needed follows the caseload target) changes.
 */
class BacktestCacheTest extends ApiTest {

    @Autowired
    private Backtest backtest;

    @Autowired
    private ForecastAnswers forecasts;

    @SuppressWarnings("unchecked")
    private Map<String, Object> backtestAs(String user) {
        return as(user).get().uri("/api/forecast/backtest").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    @Test
    void aSecondBacktestOfUnchangedDataIsTheKeptResultAndAnImportMakesItComputeAgain() {
        oneTeamOfTwo();
        long before = backtest.computed();

        Map<String, Object> first = backtestAs("viewer");
        assertThat(first.get("computed_at")).isNotNull();
        assertThat(backtest.computed()).isEqualTo(before + 1);

        // unchanged data, another person: the same result, not computed again
        Map<String, Object> second = backtestAs("head");
        assertThat(second).isEqualTo(first);
        assertThat(backtest.computed()).isEqualTo(before + 1);

        anAgencyWorkerJoins();
        Map<String, Object> after = backtestAs("viewer");
        assertThat(backtest.computed()).isEqualTo(before + 2);
        assertThat(after.get("computed_at")).isNotEqualTo(first.get("computed_at"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> forecastAs(String user, String query) {
        return as(user).get().uri("/api/forecast?" + query).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    @Test
    void aForecastIsKeptUntilTheDataOrAThresholdChanges() {
        oneTeamOfTwo();
        long before = forecasts.computed();

        Map<String, Object> first = forecastAs("viewer", "level=team&scope=T1&months=6");
        assertThat(forecasts.computed()).isEqualTo(before + 1);
        assertThat(forecastAs("head", "level=team&scope=T1&months=6")).isEqualTo(first);
        assertThat(forecasts.computed()).as("the same question of the same data").isEqualTo(before + 1);
        // another question is another answer
        forecastAs("viewer", "level=team&scope=T1&months=12");
        assertThat(forecasts.computed()).isEqualTo(before + 2);

        as("head").put().uri("/api/thresholds/caseload_per_fte").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 16, "red", 20, "target", 14, "reason", "A lower target after the review")).exchange()
                .expectStatus().is2xxSuccessful();
        forecastAs("viewer", "level=team&scope=T1&months=6");
        assertThat(forecasts.computed()).as("after a threshold change").isEqualTo(before + 3);

        anAgencyWorkerJoins();
        Map<String, Object> after = forecastAs("viewer", "level=team&scope=T1&months=6");
        assertThat(forecasts.computed()).as("after an import").isEqualTo(before + 4);
        assertThat(after).isNotEqualTo(first);
    }

    /** Team T1 with one social worker in post and one who left in 2021. */
    private void oneTeamOfTwo() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,"
                + "agency_name,agency_hourly_rate\nS1,T1,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n"
                + "S2,T1,social_worker,permanent,1,2019-01-01,2021-03-15,resigned,Y,2012-07-01,,\n").expectStatus().isCreated();
    }

    /** An agency social worker joins T1 (the staff file again, with the new spell). */
    private void anAgencyWorkerJoins() {
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,"
                + "agency_name,agency_hourly_rate\nS3,T1,social_worker,agency,1,2022-01-01,,,Y,2012-07-01,Agency Ltd,55\n"
                + "S1,T1,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n"
                + "S2,T1,social_worker,permanent,1,2019-01-01,2021-03-15,resigned,Y,2012-07-01,,\n").expectStatus().isCreated();
    }
}
