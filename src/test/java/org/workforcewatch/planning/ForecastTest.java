package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.workforcewatch.ApiTest;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Hand-worked projections on small fixtures. */
class ForecastTest extends ApiTest {

    @Autowired
    Forecast forecast;

    @Autowired
    Clock clock;

    private void team(String id) {
        db.sql("INSERT INTO teams (team_id, team_name, service, team_type) VALUES (:id, :id, 'Service A', 'safeguarding')")
                .bind("id", id).then().block();
    }

    private void spell(String staff, String team, LocalDate start, LocalDate end, String reason) {
        var spec = db.sql("INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, end_date, leaving_reason,"
                        + " case_holding) VALUES (:staff, :team, :start, 'social_worker', 'permanent', 1, :end, :reason, true)")
                .bind("staff", staff).bind("team", team).bind("start", start);
        spec = end == null ? spec.bindNull("end", LocalDate.class) : spec.bind("end", end);
        spec = reason == null ? spec.bindNull("reason", String.class) : spec.bind("reason", reason);
        spec.then().block();
    }

    /** P(X <= k) for X ~ Binomial(n, q). */
    private static double cdf(int n, double q, int k) {
        double sum = 0;
        for (int i = 0; i <= k; i++) {
            double c = 1;
            for (int j = 0; j < i; j++) {
                c = c * (n - j) / (j + 1);
            }
            sum += c * Math.pow(q, i) * Math.pow(1 - q, n - i);
        }
        return sum;
    }

    /** Smallest k with P(X <= k) >= level. */
    private static int quantile(int n, double q, double level) {
        for (int k = 0; k <= n; k++) {
            if (cdf(n, q, k) >= level) {
                return k;
            }
        }
        return n;
    }

    @Test
    void aTeamWithAKnownLeavingRateAndNoRecruitmentShrinksGeometrically() {
        LocalDate today = LocalDate.now(clock);
        LocalDate longAgo = today.minusYears(10);
        team("T1");
        for (int i = 0; i < 10; i++) {
            spell("S" + i, "T1", longAgo, null, null);
        }
        // Four leavers, each ending exactly at the end of history window K (window k runs from today-k to today-(k-1) months).
        int[] windows = {3, 9, 15, 21};
        for (int j = 0; j < windows.length; j++) {
            spell("L" + j, "T1", longAgo, today.minusMonths(windows[j] - 1L), "resigned");
        }
        // Hand-worked rate: the history of leaving starts at the first recorded spell end (L3's, at the end of window 21), so
        // windows 1..21 count. Person-months at risk = 10 stayers x 21 windows + sum over leavers of (21 - K + 1)
        // = 210 + (19 + 13 + 7 + 1) = 250; leavers 4; all in one cell (CFSW, employed, 5 years or more); prior: 12
        // person-months at the overall rate (4+1)/(250+100).
        double overall = (4 + 1) / (250.0 + 100);
        double p = (4 + 12 * overall) / (250 + 12);
        assertThat(Forecast.hazard(new double[][][] {{{0, 0, 0, 4}, {0, 0, 0, 0}}, {{0, 0, 0, 0}, {0, 0, 0, 0}}},
                new double[][][] {{{0, 0, 0, 250}, {0, 0, 0, 0}}, {{0, 0, 0, 0}, {0, 0, 0, 0}}})[0][0][3]).isCloseTo(p,
                org.assertj.core.data.Offset.offset(1e-12));

        Projection projection = forecast.project("team", "T1", 12, null).block();
        assertThat(projection.months()).hasSize(12);
        for (int k : new int[] {1, 6, 12}) {
            Month month = projection.months().get(k - 1);
            double survive = Math.pow(1 - p, k);
            // Survivors after k months are Binomial(10, (1-p)^k): every person leaves independently with probability p a month.
            // The median of 500 runs lies between the binomial's 40% and 60% quantiles (the run median's standard error is
            // about 2.2 points of probability), and a binomial median is within 1 of its mean 10 (1-p)^k.
            assertThat(month.employedFte().p50()).isBetween((double) quantile(10, survive, 0.4), (double) quantile(10, survive, 0.6));
            assertThat(Math.abs(month.employedFte().p50() - 10 * survive)).isLessThanOrEqualTo(1.0);
            assertThat(month.employedFte().p10()).isBetween((double) quantile(10, survive, 0.05), (double) quantile(10, survive, 0.15));
            assertThat(month.starters().p90()).isZero();
            assertThat(month.agencyFte().p90()).isZero();
        }
        // Over the year the expected leavers are 10 (1 - (1-p)^12): p50 of month-12 employed shows it.
        assertThat(projection.months().get(11).employedFte().p50()).isLessThan(10.0);
    }

    @Test
    void aScenarioThatFillsTheVacanciesExactly() {
        LocalDate today = LocalDate.now(clock);
        team("T2");
        db.sql("INSERT INTO establishment (team_id, role, effective_from, funded_fte) VALUES ('T2', 'social_worker', :from, 10)")
                .bind("from", today.minusYears(3)).then().block();
        for (int i = 0; i < 8; i++) {
            spell("S" + i, "T2", today.minusYears(5), null, null);
        }
        Projection baseline = forecast.project("team", "T2", 12, null).block();
        YearMonth from = baseline.months().get(3).month();
        Scenario scenario = new Scenario("fill", "two social workers", List.of(
                new Scenario.Recruit("T2", "social_worker", 2, 1.0, from, "permanent")));
        assertThat(scenario.problems()).isEmpty();
        Projection filled = forecast.project("team", "T2", 12, scenario).block();
        for (Month m : filled.months()) {
            if (m.month().isBefore(from)) {
                assertThat(m.vacancyFte().p50()).isEqualTo(2.0);
                assertThat(m.employedFte().p50()).isEqualTo(8.0);
            } else {
                assertThat(m.vacancyFte().p50()).as("vacancies in %s", m.month()).isZero();
                assertThat(m.employedFte().p50()).as("employed in %s", m.month()).isEqualTo(10.0);
            }
            if (m.month().equals(from)) {
                assertThat(m.starters().p50()).isEqualTo(2.0);
            }
        }
        // The baseline has no history of filling vacancies, so they stay open.
        assertThat(baseline.months().get(11).vacancyFte().p50()).isEqualTo(2.0);
        // Cost of the month: employed FTE x the configured annual cost / 12.
        assertThat(filled.months().get(11).employedCost().p50()).isEqualTo(10 * 52000 / 12.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void theApiAnswersAProjectionAndRefusesBadRequests() {
        team("T3");
        spell("S1", "T3", LocalDate.now(clock).minusYears(2), null, null);
        web.get().uri("/api/forecast?level=team&scope=T3&months=3").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.level").isEqualTo("team").jsonPath("$.months.length()").isEqualTo(3)
                .jsonPath("$.months[0].employed_fte.p50").isEqualTo(1.0)
                .jsonPath("$.months[0].caseload_per_fte.p50").isEqualTo(0.0);
        web.get().uri("/api/forecast?level=team&scope=NOPE").exchange().expectStatus().isNotFound();
        web.get().uri("/api/forecast?level=team").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/forecast?months=25").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/forecast?level=galaxy").exchange().expectStatus().isBadRequest();
    }

    @Test
    void scenariosReadAndWriteSnakeCaseJsonWithATypeAndDefaults() throws Exception {
        JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).findAndAddModules().build();
        Scenario s = json.readValue("""
                {"name": "plan A", "changes": [
                  {"type": "recruit", "team": "T1", "role": "social_worker", "count": 2, "from": "2030-01"},
                  {"type": "convert_agency", "team": "T1", "count": 1, "from": "2030-02"},
                  {"type": "establishment", "team": "T1", "role": "social_worker", "funded_fte": 12.5, "from": "2030-03"},
                  {"type": "demand", "percent": 10, "from": "2030-04", "service": "Service A"},
                  {"type": "asye_cohort", "team": "T1", "count": 3, "from": "2030-05", "protected_share": 0.8}]}
                """, Scenario.class);
        assertThat(s.changes()).containsExactly(new Scenario.Recruit("T1", "social_worker", 2, 1.0, YearMonth.of(2030, 1), "permanent"),
                new Scenario.ConvertAgency("T1", 1, YearMonth.of(2030, 2)),
                new Scenario.Establishment("T1", "social_worker", 12.5, YearMonth.of(2030, 3)),
                new Scenario.Demand(10, YearMonth.of(2030, 4), null, "Service A"),
                new Scenario.AsyeCohort("T1", 3, YearMonth.of(2030, 5), 0.8));
        assertThat(s.problems()).isEmpty();
        Map<?, ?> back = json.readValue(json.writeValueAsString(s), Map.class);
        assertThat(((List<?>) back.get("changes")).get(2)).isEqualTo(Map.of("type", "establishment", "team", "T1",
                "role", "social_worker", "funded_fte", 12.5, "from", "2030-03"));
        assertThat(new Scenario("", null, List.of(new Scenario.Recruit(null, "pilot", 0, 2, null, "agency"))).problems())
                .hasSize(6);
    }
}
