package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.workforcewatch.indicators.BenchmarkFigures.CAMBRIDGESHIRE;
import static org.workforcewatch.indicators.BenchmarkFigures.EAST_OF_ENGLAND;
import static org.workforcewatch.indicators.BenchmarkFigures.ENGLAND;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.workforcewatch.ApiTest;

/**
 * The authority's figures beside the published ones. Expected figures are worked out here from the
 * reference files themselves; the authority is a small fixture whose rates are known, as of 28 February 2026, the
 * day the latest published year (2025) counts as published.
 */
@org.workforcewatch.VouchedHistory
class BenchmarkComparisonTest extends ApiTest {

    private static final String AS_OF = "2026-02-28";
    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";
    private static final List<String> MEASURES = List.of("caseload_per_fte", "agency_rate", "vacancy_rate", "turnover_rate",
            "absence_rate", "fte");

    private void authority(String staff) {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", STAFF + staff).expectStatus().isCreated();
    }

    /** Employed 4.6 FTE and agency 0.4 FTE in post, all holding no cases: agency rate 0.4 / 5 = 8.0 %. */
    private void eightPercentAgency() {
        authority("""
                S1,T1,social_worker,permanent,1,2020-01-01,,,Y,2015-07-01,,
                S2,T1,social_worker,permanent,1,2020-01-01,,,Y,2015-07-01,,
                S3,T1,senior_practitioner,permanent,1,2020-01-01,,,Y,2010-07-01,,
                S4,T1,team_manager,fixed_term,1,2020-01-01,,,N,2005-07-01,,
                S5,T1,social_worker,permanent,0.6,2020-01-01,,,Y,2015-07-01,,
                S6,T1,social_worker,agency,0.4,2025-01-01,,,Y,2015-07-01,Hays,45
                P1,T1,personal_adviser,permanent,1,2020-01-01,,,Y,,,
                """);
    }

    private void publishedFile() {
        upload("benchmarks", BenchmarkFigures.bytes(BenchmarkFigures.PUBLISHED)).expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> benchmarks(String query) {
        Map<String, Object> body = web.get().uri("/api/benchmarks" + query).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Map<String, Object>> byIndicator = new java.util.LinkedHashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) body.get("benchmarks")) {
            byIndicator.put((String) e.get("indicator"), e);
        }
        return byIndicator;
    }

    private static double number(Map<String, Object> entry, String field) {
        Object v = entry.get(field);
        assertThat(v).as(field + " in " + entry).isNotNull();
        return ((Number) v).doubleValue();
    }

    private static long better(List<BigDecimal> others, BigDecimal own, boolean higherIsBetter) {
        return others.stream().filter(v -> higherIsBetter ? v.compareTo(own) > 0 : v.compareTo(own) < 0).count();
    }

    @Test
    void eachPublishedMeasureStandsBesideEnglandRegionAndTheNeighboursMedianOfTheLatestYear() {
        eightPercentAgency();
        publishedFile();
        BenchmarkFigures file = BenchmarkFigures.published();
        List<String> neighbours = BenchmarkFigures.neighbours();
        assertThat(neighbours).hasSize(10);

        Map<String, Map<String, Object>> result = benchmarks("?as_of=" + AS_OF);

        assertThat(result.keySet()).containsExactlyElementsOf(MEASURES);
        for (String measure : MEASURES) {
            Map<String, Object> e = result.get(measure);
            assertThat(e.get("year")).as(measure).isEqualTo(file.latestYear(measure));
            assertThat(number(e, "england")).as(measure).isEqualTo(file.value(measure, ENGLAND).doubleValue());
            assertThat(number(e, "region")).as(measure).isEqualTo(file.value(measure, EAST_OF_ENGLAND).doubleValue());
            List<BigDecimal> withValue = file.values(measure, neighbours);
            assertThat(number(e, "statistical_neighbours_median")).as(measure)
                    .isCloseTo(BenchmarkFigures.median(withValue).doubleValue(), within(1e-9));
            assertThat(number(e, "statistical_neighbours_with_value")).as(measure).isEqualTo(withValue.size());
            assertThat(number(e, "published_own")).as(measure).isEqualTo(file.value(measure, CAMBRIDGESHIRE).doubleValue());
            assertThat(number(e, "of")).as(measure).isEqualTo(file.otherAuthorities(measure, CAMBRIDGESHIRE).size() + 1);
            assertThat(e.get("higher_is_better")).as(measure).isEqualTo(measure.equals("fte"));
            assertThat(e.get("note")).as(measure).isNull();
        }
        // both middle values count when the neighbours with a value are an even number
        assertThat(file.values("agency_rate", neighbours)).hasSize(10);
    }

    @Test
    void aDayBeforeTheLatestYearIsPublishedStandsBesideTheYearBefore() {
        eightPercentAgency();
        publishedFile();
        BenchmarkFigures file = BenchmarkFigures.published();
        List<String> neighbours = BenchmarkFigures.neighbours();
        int latest = file.latestYear("agency_rate");
        // the year's snapshot (30 September) has passed, but its figures are not out until the end of February after
        for (String day : List.of(latest + "-10-31", (latest + 1) + "-02-27")) {
            Map<String, Object> agency = benchmarks("?as_of=" + day).get("agency_rate");
            assertThat(agency.get("year")).as(day).isEqualTo(latest - 1);
            assertThat(number(agency, "england")).as(day).isEqualTo(file.value("agency_rate", ENGLAND, latest - 1).doubleValue());
            assertThat(number(agency, "region")).as(day)
                    .isEqualTo(file.value("agency_rate", EAST_OF_ENGLAND, latest - 1).doubleValue());
            assertThat(number(agency, "statistical_neighbours_median")).as(day).isCloseTo(
                    BenchmarkFigures.median(file.values("agency_rate", neighbours, latest - 1)).doubleValue(), within(1e-9));
        }
        assertThat(file.value("agency_rate", ENGLAND, latest - 1)).isNotEqualTo(file.value("agency_rate", ENGLAND));
        Map<String, Object> published = benchmarks("?as_of=" + (latest + 1) + "-02-28").get("agency_rate");
        assertThat(published.get("year")).isEqualTo(latest);
        assertThat(number(published, "england")).isEqualTo(file.value("agency_rate", ENGLAND).doubleValue());
    }

    @Test
    void theAuthoritysCurrentValueIsRankedAmongAllAuthoritiesAndTiesShareTheBetterRank() {
        eightPercentAgency();
        publishedFile();
        BenchmarkFigures file = BenchmarkFigures.published();
        List<BigDecimal> others = file.otherAuthorities("agency_rate", CAMBRIDGESHIRE);
        BigDecimal eight = new BigDecimal("8.0");
        assertThat(others.stream().filter(v -> v.compareTo(eight) == 0).count()).as("authorities at 8.0 %").isGreaterThan(1);

        Map<String, Object> agency = benchmarks("?as_of=" + AS_OF).get("agency_rate");

        assertThat(number(agency, "value")).isEqualTo(8.0);
        long rank = better(others, eight, false) + 1;
        assertThat(number(agency, "rank")).isEqualTo(rank);      // ahead of none of those at 8.0, behind none of them
        int of = others.size() + 1;
        assertThat(agency.get("band")).isEqualTo(String.valueOf("ABCD".charAt((int) Math.min(3, (rank - 1) * 4 / of))));
        assertThat(agency.get("higher_is_better")).isEqualTo(false);
    }

    @Test
    void aSmallWorkforceIsInTheWorstQuarterBecauseMoreFteIsBetter() {
        eightPercentAgency();
        publishedFile();
        List<BigDecimal> others = BenchmarkFigures.published().otherAuthorities("fte", CAMBRIDGESHIRE);

        Map<String, Object> fte = benchmarks("?as_of=" + AS_OF).get("fte");

        // employed social workers only: not the agency worker, not the personal adviser
        assertThat(number(fte, "value")).isEqualTo(4.6);
        assertThat(number(fte, "rank")).isEqualTo(better(others, new BigDecimal("4.6"), true) + 1);
        assertThat(number(fte, "rank")).isGreaterThan(others.size() * 3 / 4.0 + 1);
        assertThat(fte.get("band")).isEqualTo("D");
        assertThat(fte.get("higher_is_better")).isEqualTo(true);
    }

    @Test
    void aLowerCaseloadThanEveryAuthorityRanksFirstAndNoAgencyTiesFirstWithTheAuthoritiesAtNought() {
        // 2 employed FTE holding 2 children: caseload 1 per FTE, below every published caseload
        authority("""
                S1,T1,social_worker,permanent,1,2020-01-01,,,Y,2015-07-01,,
                S2,T1,social_worker,permanent,1,2020-01-01,,,Y,2015-07-01,,
                """);
        upload("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason
                A1,C1,S1,cin,2025-01-01,,
                A2,C2,S2,cp,2025-01-01,,
                """).expectStatus().isCreated();
        publishedFile();
        BenchmarkFigures file = BenchmarkFigures.published();
        assertThat(file.otherAuthorities("caseload_per_fte", CAMBRIDGESHIRE)).allMatch(v -> v.compareTo(BigDecimal.ONE) > 0);
        assertThat(file.otherAuthorities("agency_rate", CAMBRIDGESHIRE).stream().filter(v -> v.signum() == 0).count())
                .as("authorities with no agency workers").isGreaterThan(1);

        Map<String, Map<String, Object>> result = benchmarks("?as_of=" + AS_OF);

        assertThat(number(result.get("caseload_per_fte"), "value")).isEqualTo(1.0);
        assertThat(number(result.get("caseload_per_fte"), "rank")).isEqualTo(1);
        assertThat(result.get("caseload_per_fte").get("band")).isEqualTo("A");
        assertThat(number(result.get("agency_rate"), "value")).isEqualTo(0.0);
        assertThat(number(result.get("agency_rate"), "rank")).isEqualTo(1);
        assertThat(result.get("agency_rate").get("band")).isEqualTo("A");
    }

    @Test
    void aTurnoverHigherThanEveryAuthorityRanksLastInBandD() {
        // in post 2 FTE; 1 FTE left in the 12 months to the snapshot: turnover 50 %
        authority("""
                S1,T1,social_worker,permanent,1,2020-01-01,,,Y,2015-07-01,,
                S2,T1,social_worker,permanent,1,2020-01-01,,,Y,2015-07-01,,
                S3,T1,social_worker,permanent,1,2020-01-01,2025-03-31,resigned,Y,2015-07-01,,
                """);
        publishedFile();
        List<BigDecimal> others = BenchmarkFigures.published().otherAuthorities("turnover_rate", CAMBRIDGESHIRE);
        assertThat(others).allMatch(v -> v.compareTo(new BigDecimal("50")) < 0);

        Map<String, Object> turnover = benchmarks("?as_of=" + AS_OF).get("turnover_rate");

        assertThat(number(turnover, "value")).isEqualTo(50.0);
        assertThat(number(turnover, "rank")).isEqualTo(others.size() + 1);
        assertThat(number(turnover, "of")).isEqualTo(others.size() + 1);
        assertThat(turnover.get("band")).isEqualTo("D");
    }

    @Test
    void theLargestWorkforceRanksFirstForFte() {
        BigDecimal largest = BenchmarkFigures.published().otherAuthorities("fte", CAMBRIDGESHIRE).stream()
                .max(BigDecimal::compareTo).orElseThrow();
        int people = largest.intValue() + 10;
        StringBuilder staff = new StringBuilder();
        for (int i = 1; i <= people; i++) {
            staff.append("S").append(i).append(",T1,social_worker,permanent,1,2020-01-01,,,N,2015-07-01,,\n");
        }
        authority(staff.toString());
        publishedFile();

        Map<String, Object> fte = benchmarks("?as_of=" + AS_OF).get("fte");

        assertThat(number(fte, "value")).isEqualTo(people);
        assertThat(number(fte, "rank")).isEqualTo(1);
        assertThat(fte.get("band")).isEqualTo("A");
    }

    @Test
    void withOnlyTheTidyFileThereAreBenchmarksButNoRanks() {
        eightPercentAgency();
        upload("benchmarks", BenchmarkFigures.bytes(BenchmarkFigures.TIDY)).expectStatus().isCreated();
        BenchmarkFigures tidy = BenchmarkFigures.tidy();
        List<String> neighbours = BenchmarkFigures.neighbours();

        Map<String, Map<String, Object>> result = benchmarks("?as_of=" + AS_OF);

        for (String measure : MEASURES) {
            Map<String, Object> e = result.get(measure);
            assertThat(e.get("year")).as(measure).isEqualTo(tidy.latestYear(measure));
            assertThat(number(e, "england")).as(measure).isEqualTo(tidy.value(measure, ENGLAND).doubleValue());
            assertThat(number(e, "region")).as(measure).isEqualTo(tidy.value(measure, EAST_OF_ENGLAND).doubleValue());
            assertThat(number(e, "statistical_neighbours_median")).as(measure)
                    .isCloseTo(BenchmarkFigures.median(tidy.values(measure, neighbours)).doubleValue(), within(1e-9));
            assertThat(e.get("rank")).as(measure).isNull();
            assertThat(e.get("of")).as(measure).isNull();
            assertThat(e.get("band")).as(measure).isNull();
            assertThat((String) e.get("note")).as(measure).contains("published file");
        }
        assertThat(number(result.get("agency_rate"), "value")).isEqualTo(8.0);
    }

    @Test
    void withNoBenchmarksLoadedTheAuthoritysValuesStandAloneWithANote() {
        eightPercentAgency();

        Map<String, Map<String, Object>> result = benchmarks("?as_of=" + AS_OF);

        assertThat(result.keySet()).containsExactlyElementsOf(MEASURES);
        Map<String, Object> agency = result.get("agency_rate");
        assertThat(number(agency, "value")).isEqualTo(8.0);
        assertThat(agency.get("year")).isNull();
        assertThat(agency.get("england")).isNull();
        assertThat(number(agency, "statistical_neighbours_with_value")).isZero();
        assertThat((String) agency.get("note")).contains("load the benchmarks dataset");
    }

    @Test
    void quartileBandsSplitTheRankingIntoFourEqualParts() {
        assertThat(List.of(1, 38, 39, 76, 77, 114, 115, 152).stream().map(r -> BenchmarkComparison.band(r, 152)).toList())
                .containsExactly("A", "A", "B", "B", "C", "C", "D", "D");
        assertThat(BenchmarkComparison.band(1, 1)).isEqualTo("A");
    }

    @Test
    void aBadDateIsRefusedWithAProblem() {
        web.get().uri("/api/benchmarks?as_of=31-09-2025").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("as_of must be a date as YYYY-MM-DD")
                        .contains("31-09-2025"));
    }
}
