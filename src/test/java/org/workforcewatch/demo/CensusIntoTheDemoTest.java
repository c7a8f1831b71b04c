package org.workforcewatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/**
 * A census return is a dated snapshot: loaded into a running authority whose teams its workers are not mapped to,
 * it changes none of the live figures and adds no team or service; its workers wait in data quality.
 */
class CensusIntoTheDemoTest extends ApiTest {

    /** Every stored indicator figure of every team, by date: what every live view is summed from. */
    private static final String STORED_FIGURES = """
            SELECT as_of::text, string_agg(concat_ws(' ', indicator, team_id, numerator, denominator, detail), ','
                                           ORDER BY indicator, team_id NULLS FIRST, numerator, denominator) AS figures
            FROM indicator_results GROUP BY as_of
            """;

    @Autowired
    private org.springframework.context.ApplicationContext context;

    @Test
    void theCensusSampleLeavesTheDemoAuthoritysLiveIndicatorsTeamsAndServicesAsTheyWere() throws IOException {
        DemoData.load(context);
        List<?> before = liveIndicators();
        Map<String, String> storedBefore = storedFigures();
        String teamsBefore = one("SELECT string_agg(team_id || '|' || service, ',' ORDER BY team_id) FROM teams");
        long spellsBefore = count("staff_spells");
        long absenceBefore = count("absence");
        assertThat(before).isNotEmpty();

        byte[] sample;
        try (InputStream in = getClass().getResourceAsStream("/reference/csww-census/sample_2022.xml")) {
            sample = in.readAllBytes();
        }
        web.post().uri("/api/imports/census").contentType(MediaType.APPLICATION_XML).bodyValue(sample).exchange()
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(0)
                .jsonPath("$.warnings[*]").value(w -> assertThat(w.toString()).contains("0 of 30 workers placed in teams"));
        awaitIndicatorsCurrent();

        assertThat(liveIndicators()).isEqualTo(before);
        // the month ends stored before (more may be filled in behind them meanwhile) hold the same figures
        assertThat(storedFigures()).containsAllEntriesOf(storedBefore);
        assertThat(one("SELECT string_agg(team_id || '|' || service, ',' ORDER BY team_id) FROM teams")).isEqualTo(teamsBefore);
        assertThat(count("teams WHERE service ILIKE '%unassigned%' OR team_id ILIKE '%unassigned%'")).isZero();
        assertThat(count("staff_spells")).isEqualTo(spellsBefore);
        assertThat(count("absence")).isEqualTo(absenceBefore);
        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.census_workers_not_placed_total").isEqualTo(30);
        web.get().uri("/api/census/2022").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.workers").isEqualTo(30)
                .jsonPath("$.placed_in_teams").isEqualTo(0);
    }

    private Map<String, String> storedFigures() {
        return db.sql(STORED_FIGURES).map(r -> Map.entry(r.get("as_of", String.class), r.get("figures", String.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
    }

    /** The figures of the authority, every service and every team today, as the dashboard reads them. */
    private List<?> liveIndicators() {
        Map<?, ?> body = web.get().uri("/api/indicators").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(body.get("pending")).isEqualTo(false);
        return (List<?>) body.get("indicators");
    }
}
