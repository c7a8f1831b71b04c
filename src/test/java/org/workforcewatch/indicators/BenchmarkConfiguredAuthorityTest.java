package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.workforcewatch.ApiTest;

/** Another authority, region and neighbours from configuration: every comparison follows them. */
@TestPropertySource(properties = {org.workforcewatch.VouchedHistory.FROM, "workforce.authority.area-code=E10000025", "workforce.authority.region-code=E12000008",
    "workforce.authority.statistical-neighbours=e10000015, E06000060,E10000013"})
class BenchmarkConfiguredAuthorityTest extends ApiTest {

    private static final String OXFORDSHIRE = "E10000025";
    private static final List<String> NEIGHBOURS = List.of("E10000015", "E06000060", "E10000013");

    @Test
    @SuppressWarnings("unchecked")
    void theConfiguredAuthorityRegionAndNeighboursAreTheOnesCompared() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS1,T1,social_worker,permanent,1,2020-01-01,Y\n"
                + "S2,T1,social_worker,agency,1,2020-01-01,Y\n").expectStatus().isCreated();
        upload("benchmarks", BenchmarkFigures.bytes(BenchmarkFigures.PUBLISHED)).expectStatus().isCreated();
        BenchmarkFigures file = BenchmarkFigures.published();

        Map<String, Object> body = web.get().uri("/api/benchmarks?as_of=2025-09-30").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(body.get("area_code")).isEqualTo(OXFORDSHIRE);
        // a real authority's published figures are its own
        assertThat(body.get("synthetic")).isEqualTo(false);
        assertThat(((Map<String, Object>) body.get("compared_with")).get("area_code")).isEqualTo(OXFORDSHIRE);
        assertThat(body.get("statistical_neighbours")).isEqualTo(NEIGHBOURS);
        Map<String, Object> agency = ((List<Map<String, Object>>) body.get("benchmarks")).stream()
                .filter(e -> e.get("indicator").equals("agency_rate")).findFirst().orElseThrow();
        assertThat(((Number) agency.get("value")).doubleValue()).isEqualTo(50.0);
        assertThat(((Number) agency.get("region")).doubleValue()).isEqualTo(file.value("agency_rate", "E12000008").doubleValue());
        assertThat(((Number) agency.get("published_own")).doubleValue()).isEqualTo(file.value("agency_rate", OXFORDSHIRE).doubleValue());
        assertThat(((Number) agency.get("statistical_neighbours_median")).doubleValue())
                .isCloseTo(BenchmarkFigures.median(file.values("agency_rate", NEIGHBOURS)).doubleValue(), within(1e-9));
        assertThat(agency.get("statistical_neighbours_with_value")).isEqualTo(3);
        List<BigDecimal> others = file.otherAuthorities("agency_rate", OXFORDSHIRE);
        assertThat(agency.get("of")).isEqualTo(others.size() + 1);
        assertThat(agency.get("rank")).isEqualTo((int) others.stream().filter(v -> v.compareTo(new BigDecimal("50")) < 0).count() + 1);
    }
}
