package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.workforcewatch.ApiTest;

/** Whose post each starter of the history took: the nearest leaver of the team and role group, agency or employed. */
class ReplacementHistoryTest extends ApiTest {

    @Autowired
    Forecast forecast;

    @Autowired
    Clock clock;

    private void spell(String staff, String team, String role, String employment, LocalDate start, LocalDate end) {
        var spec = db.sql("INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, end_date, leaving_reason,"
                        + " case_holding) VALUES (:staff, :team, :start, :role, :employment, 1, :end, :reason, true)")
                .bind("staff", staff).bind("team", team).bind("start", start).bind("role", role).bind("employment", employment);
        spec = end == null ? spec.bindNull("end", LocalDate.class).bindNull("reason", String.class)
                : spec.bind("end", end).bind("reason", "resigned");
        spec.then().block();
    }

    @Test
    void startersAreCountedByTheirEmploymentAndThatOfTheLeaverWhosePostTheyTook() {
        LocalDate today = LocalDate.now(clock);
        LocalDate longAgo = today.minusYears(8);
        for (String team : new String[] {"T1", "T2"}) {
            db.sql("INSERT INTO teams (team_id, team_name, service, team_type) VALUES (:id, :id, 'S', 'safeguarding')")
                    .bind("id", team).then().block();
        }
        spell("STAY", "T1", "social_worker", "permanent", longAgo, null);
        // an employed leaver covered by agency two weeks later
        spell("E1", "T1", "social_worker", "permanent", longAgo, today.minusMonths(10));
        spell("A1", "T1", "social_worker", "agency", today.minusMonths(10).plusDays(14), null);
        // an agency leaver replaced by agency, another by a permanent recruit
        spell("A2", "T2", "social_worker", "agency", longAgo, today.minusMonths(6));
        spell("A3", "T2", "social_worker", "agency", today.minusMonths(6).plusDays(3), null);
        spell("A4", "T2", "senior_social_worker", "agency", longAgo, today.minusMonths(4));
        spell("P1", "T2", "senior_social_worker", "permanent", today.minusMonths(4).plusDays(20), null);
        // an employed leaver replaced by a permanent recruit
        spell("E2", "T2", "social_worker", "permanent", longAgo, today.minusMonths(2));
        spell("P2", "T2", "social_worker", "permanent", today.minusMonths(2).plusDays(25), null);
        // a starter with no leaver nearby is growth: none of the four
        spell("P3", "T1", "social_worker", "permanent", today.minusMonths(1), null);
        // a personal adviser does not take a social worker's post
        spell("PA1", "T1", "personal_adviser", "agency", today.minusMonths(10).plusDays(10), null);

        Forecast.Data data = forecast.load(new Forecast.Calendar(today, 12), "authority", "authority", true).block();

        Forecast.Replacements social = data.replacements[Simulation.CFSW];
        assertThat(social).isEqualTo(new Forecast.Replacements(1, 1, 1, 1));
        assertThat(social.agencyAfterAgencyShare()).isEqualTo(0.5);
        assertThat(data.replacements[Simulation.PA]).isEqualTo(Forecast.Replacements.NONE);
        // the agency starters are shared between the kinds of leaver as the paired ones were: one agency leaver, two employed
        Simulation.Rates rates = forecast.rates(data);
        assertThat(rates.replacement()[Simulation.CFSW][1]).isEqualTo(2 * 0.5 / 2);
        assertThat(rates.agencyCover()[Simulation.CFSW]).isEqualTo(2 * 0.5 / 2);
    }
}
