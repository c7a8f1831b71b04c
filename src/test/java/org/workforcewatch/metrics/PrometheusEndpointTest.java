package org.workforcewatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/** /actuator/prometheus: every figure in base units with exactly the labels docs/METRICS.md promises. */
class PrometheusEndpointTest extends ApiTest {

    private static final Set<String> TEAM_LABELS = Set.of("team", "service", "team_type");
    private static final String TODAY = LocalDate.now().toString();

    private Scrape scrape() {
        return Scrape.parse(web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @BeforeEach
    void authority() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n"
                + "T2,Out of Hours,Front Door,out_of_hours\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date,agency_hourly_rate\n"
                + "S1,T1,social_worker,permanent,1,2020-01-01,Y,2010-07-01,\n"
                + "S2,T1,social_worker,permanent,0.5,2020-01-01,Y,2010-07-01,\n"
                + "S3,T1,social_worker,agency,0.5,2020-01-01,Y,2010-07-01,40\n"
                + "S4,T2,social_worker,permanent,1,2020-01-01,Y,2010-07-01,\n").expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        for (int c = 1; c <= 40; c++) {
            allocations.append("A").append(c).append(",C").append(c).append(",S1,cin,2024-01-01\n");
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
        upload("shift_requirements", "team_id,shift,required_staff\nT2,ooh_night,1\n").expectStatus().isCreated();
    }

    private Scrape awaitCaseload(double expected) {
        return await().atMost(Duration.ofSeconds(10)).until(this::scrape, s -> s.find("workforce_caseload_per_fte", "team", "T1")
                .map(v -> v.value() == expected).orElse(false));
    }

    @Test
    void indicatorsAreGaugesPerTeamInBaseUnitsWithNumeratorsDenominatorsAndThresholds() {
        Scrape s = awaitCaseload(20.0);
        // 40 children over 2 case-holding FTE
        assertThat(s.value("workforce_caseload_per_fte_numerator", "team", "T1")).isEqualTo(40.0);
        assertThat(s.value("workforce_caseload_per_fte_denominator", "team", "T1")).isEqualTo(2.0);
        assertThat(s.value("workforce_caseload_per_fte_threshold", "team", "T1", "severity", "amber")).isEqualTo(18.0);
        assertThat(s.value("workforce_caseload_per_fte_threshold", "team", "T1", "severity", "red")).isEqualTo(22.0);
        // 0.5 agency FTE of 2: the DfE rate of 25 % as a ratio, thresholds too
        assertThat(s.value("workforce_agency_ratio", "team", "T1")).isEqualTo(0.25);
        assertThat(s.value("workforce_agency_ratio_numerator", "team", "T1")).isEqualTo(0.5);
        assertThat(s.value("workforce_agency_ratio_denominator", "team", "T1")).isEqualTo(2.0);
        assertThat(s.value("workforce_agency_ratio_threshold", "team", "T1", "severity", "amber")).isEqualTo(0.15);
        assertThat(s.value("workforce_agency_ratio_threshold", "team", "T1", "severity", "red")).isEqualTo(0.25);
        // a count is its own numerator
        assertThat(s.value("workforce_workers_over_caseload", "team", "T1")).isEqualTo(1.0);
        assertThat(s.value("workforce_workers_over_caseload_denominator", "team", "T1")).isEqualTo(3.0);
        assertThat(s.named("workforce_workers_over_caseload_numerator")).isEmpty();
        // no shift is staffed: every required shift in the next 28 and 7 days is a gap
        assertThat(s.value("workforce_ooh_cover_gap_shifts", "team", "T2")).isEqualTo(28.0);
        assertThat(s.value("workforce_ooh_cover_gap_next_7_days_shifts", "team", "T2")).isEqualTo(7.0);

        assertThat(s.find("workforce_caseload_per_fte", "team", "T1").orElseThrow().labels())
                .isEqualTo(java.util.Map.of("team", "T1", "service", "Front Door", "team_type", "assessment"));
        // teams with no personal advisers or children in care have no care-leaver figures at all
        assertThat(s.named("workforce_pa_caseload_per_fte_denominator")).isEmpty();
        for (IndicatorGauge g : IndicatorGauge.values()) {
            for (String family : new String[] {g.gaugeName(), g.gaugeName() + "_numerator", g.gaugeName() + "_denominator"}) {
                assertThat(s.named(family)).allSatisfy(sample -> assertThat(sample.labels().keySet()).as(family).isEqualTo(TEAM_LABELS));
            }
            assertThat(s.named(g.gaugeName() + "_threshold")).allSatisfy(sample -> assertThat(sample.labels().keySet())
                    .isEqualTo(Set.of("team", "service", "team_type", "severity")));
        }
    }

    @Test
    void activeRisksAreLabelledByIndicatorSeverityAndWhere() {
        Scrape s = awaitCaseload(20.0);
        assertThat(s.find("workforce_risk_active", "indicator", "agency_rate", "level", "team").orElseThrow().labels())
                .isEqualTo(java.util.Map.of("indicator", "agency_rate", "level", "team", "severity", "red", "team", "T1",
                        "service", "Front Door", "team_type", "assessment"));
        assertThat(s.find("workforce_risk_active", "indicator", "caseload_per_fte", "level", "team").orElseThrow().labels())
                .containsEntry("severity", "amber");
        // the authority: 40 children over 3 FTE is 13.3, below amber; its agency rate is 0.5 of 3 FTE, amber
        assertThat(s.find("workforce_risk_active", "indicator", "caseload_per_fte", "level", "authority")).isEmpty();
        assertThat(s.find("workforce_risk_active", "indicator", "agency_rate", "level", "authority").orElseThrow().labels())
                .isEqualTo(java.util.Map.of("indicator", "agency_rate", "level", "authority", "severity", "amber"));
        assertThat(s.find("workforce_risk_active", "indicator", "agency_rate", "level", "service").orElseThrow().labels())
                .isEqualTo(java.util.Map.of("indicator", "agency_rate", "level", "service", "severity", "amber", "service", "Front Door"));
        assertThat(s.named("workforce_risk_active")).allSatisfy(r -> assertThat(r.value()).isEqualTo(1.0));
    }

    @Test
    void everyIndicatorWithAValueCarriesTheSeverityTheServiceComputedAsZeroOneOrTwo() {
        Scrape s = awaitCaseload(20.0);
        assertThat(s.find("workforce_indicator_severity", "indicator", "agency_rate", "level", "team", "team", "T1").orElseThrow().labels())
                .isEqualTo(java.util.Map.of("indicator", "agency_rate", "level", "team", "team", "T1", "service", "Front Door",
                        "team_type", "assessment"));
        assertThat(s.value("workforce_indicator_severity", "indicator", "agency_rate", "level", "team", "team", "T1")).isEqualTo(2.0);
        assertThat(s.value("workforce_indicator_severity", "indicator", "caseload_per_fte", "level", "team", "team", "T1")).isEqualTo(1.0);
        // green is registered at 0, not left out: the authority's caseload of 13.3
        assertThat(s.value("workforce_indicator_severity", "indicator", "caseload_per_fte", "level", "authority")).isZero();
        assertThat(s.find("workforce_indicator_severity", "indicator", "caseload_per_fte", "level", "authority").orElseThrow().labels())
                .isEqualTo(java.util.Map.of("indicator", "caseload_per_fte", "level", "authority"));
        assertThat(s.value("workforce_indicator_severity", "indicator", "agency_rate", "level", "service", "service", "Front Door"))
                .isEqualTo(1.0);
        // as many indicators at amber or red as there are active risks
        assertThat(s.named("workforce_indicator_severity").stream().filter(x -> x.value() > 0).count())
                .isEqualTo(s.named("workforce_risk_active").size());
    }

    @Test
    void aThresholdChangedAtRuntimeShowsInTheThresholdGaugeAndClearsTheRisk() {
        awaitCaseload(20.0);
        web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"scope_kind\":\"team\",\"scope\":\"T1\",\"amber\":25,\"red\":30,\"changed_by\":\"hos\",\"reason\":\"test\"}")
                .exchange().expectStatus().is2xxSuccessful();
        Scrape s = await().atMost(Duration.ofSeconds(10)).until(this::scrape,
                x -> x.value("workforce_caseload_per_fte_threshold", "team", "T1", "severity", "red") == 30.0);
        assertThat(s.value("workforce_caseload_per_fte_threshold", "team", "T1", "severity", "amber")).isEqualTo(25.0);
        assertThat(s.value("workforce_caseload_per_fte_threshold", "team", "T2", "severity", "red")).isEqualTo(22.0);
        assertThat(s.find("workforce_risk_active", "indicator", "caseload_per_fte", "level", "team", "team", "T1")).isEmpty();
    }

    @Test
    void staffingFiguresForHrAreGaugesByTeamAndEmployment() {
        Scrape s = awaitCaseload(20.0);
        assertThat(s.value("workforce_social_worker_fte", "team", "T1", "employment", "permanent")).isEqualTo(1.5);
        assertThat(s.value("workforce_social_worker_fte", "team", "T1", "employment", "agency")).isEqualTo(0.5);
        assertThat(s.find("workforce_social_worker_fte", "team", "T1", "employment", "agency").orElseThrow().labels().keySet())
                .isEqualTo(Set.of("team", "service", "team_type", "employment"));
        // £40 an hour x 37 hours x 52 weeks / 12 months x 0.5 FTE
        assertThat(s.value("workforce_agency_monthly_cost_pounds", "team", "T1")).isCloseTo(40 * 37 * 52 / 12.0 * 0.5, within(0.01));
        assertThat(s.value("workforce_agency_monthly_cost_pounds", "team", "T2")).isZero();
        assertThat(s.value("workforce_agency_long_term_workers", "team", "T1")).isEqualTo(1.0);
    }

    @Test
    void importsAndEventsAreCountedByDatasetAndOutcome() {
        Scrape before = awaitCaseload(20.0);
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS9,T1,wizard,permanent,1,2020-01-01,Y\n")
                .expectStatus().isEqualTo(422);
        upload("referrals", "referral_id,child_id,team_id,referral_date\nR1,C90,T1," + TODAY + "\n").expectStatus().isCreated();
        web.post().uri("/api/events").contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue("{\"type\":\"allocation_started\",\"occurred_at\":\"" + TODAY + "T09:00:00Z\",\"event_id\":\"m1\","
                        + "\"allocation_id\":\"A99\",\"child_id\":\"C99\",\"staff_id\":\"S4\",\"case_type\":\"cin\",\"start_date\":\"" + TODAY + "\"}\n"
                        + "{\"type\":\"allocation_started\",\"occurred_at\":\"" + TODAY + "T09:00:00Z\",\"event_id\":\"m1\","
                        + "\"allocation_id\":\"A99\",\"child_id\":\"C99\",\"staff_id\":\"S4\",\"case_type\":\"cin\",\"start_date\":\"" + TODAY + "\"}\n"
                        + "{\"type\":\"wizard_hired\",\"occurred_at\":\"" + TODAY + "T09:00:00Z\"}\n")
                .exchange().expectStatus().isOk();
        Scrape after = scrape();
        assertThat(delta(before, after, "workforce_imports_total", "dataset", "staff", "outcome", "rejected")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_imports_total", "dataset", "staff", "outcome", "succeeded")).isZero();
        assertThat(delta(before, after, "workforce_imports_total", "dataset", "referrals", "outcome", "succeeded")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_import_rows_total", "dataset", "referrals")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_import_duration_seconds_count", "dataset", "staff", "outcome", "rejected")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_events_total", "dataset", "allocations", "outcome", "applied")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_events_total", "dataset", "allocations", "outcome", "duplicate")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_events_total", "dataset", "unknown", "outcome", "rejected")).isEqualTo(1);
        assertThat(delta(before, after, "workforce_event_request_duration_seconds_count")).isEqualTo(1);
        assertThat(after.find("workforce_imports_total", "dataset", "census", "outcome", "failed")).isPresent();
        assertThat(after.named("workforce_imports_total")).allSatisfy(c -> assertThat(c.labels().keySet())
                .isEqualTo(Set.of("dataset", "outcome")));
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    @Test
    void freshnessShowsWhenEachDatasetLastReceivedDataAndHowOldItMayGrow() {
        Instant started = Instant.now().minusSeconds(1);
        Scrape s = awaitCaseload(20.0);
        double staff = s.value("workforce_data_updated_timestamp_seconds", "dataset", "staff");
        assertThat(staff).isBetween(started.getEpochSecond() - 60.0, Instant.now().getEpochSecond() + 1.0);
        assertThat(s.value("workforce_last_import_timestamp_seconds", "dataset", "staff")).isEqualTo(staff);
        assertThat(s.find("workforce_data_updated_timestamp_seconds", "dataset", "referrals")).isEmpty();
        assertThat(s.value("workforce_data_max_age_seconds", "dataset", "staff")).isEqualTo(35 * 86400.0);
        assertThat(s.value("workforce_data_max_age_seconds", "dataset", "benchmarks")).isEqualTo(400 * 86400.0);
        assertThat(s.find("workforce_data_max_age_seconds", "dataset", "census")).isEmpty();
        // the 13 datasets of the import contract every authority sends (planned starters and the agency register only
        // when configured); a Standard Safeguarding Dataset table counts for the one it feeds
        assertThat(s.find("workforce_data_max_age_seconds", "dataset", "planned_starters")).isEmpty();
        assertThat(s.find("workforce_data_max_age_seconds", "dataset", "agency_assignments")).isEmpty();
        assertThat(s.named("workforce_data_max_age_seconds")).hasSize(13)
                .noneMatch(x -> x.labels().get("dataset").startsWith("ssd_"));
        assertThat(s.value("workforce_indicators_computed_timestamp_seconds")).isGreaterThan(started.getEpochSecond() - 60.0);
    }

    @Test
    void openMetricsScrapesEndOnceAfterBothTheMetersAndTheWorkforceGauges() {
        awaitCaseload(20.0);
        String text = web.get().uri("/actuator/prometheus")
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("application/openmetrics-text")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(text).endsWith("# EOF\n").containsOnlyOnce("# EOF");
        assertThat(text).contains("workforce_caseload_per_fte{service=\"Front Door\",team=\"T1\",team_type=\"assessment\"} 20.0")
                .contains("# TYPE workforce_imports counter").contains("jvm_memory_used_bytes");
    }

    @Test
    void aScrapeFilteredByNameAnswersOnlyThoseFamilies() {
        awaitCaseload(20.0);
        // a counter family is named without its _total suffix, as Prometheus' client library names it
        Scrape s = Scrape.parse(web.get().uri("/actuator/prometheus?includedNames=workforce_agency_ratio,workforce_imports")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(s.samples()).extracting(Scrape.Sample::name).containsOnly("workforce_agency_ratio", "workforce_imports_total");
        assertThat(s.value("workforce_agency_ratio", "team", "T1")).isEqualTo(0.25);
    }

    @Test
    void noLabelNamesAPersonOrAChild() {
        Scrape s = awaitCaseload(20.0);
        Set<String> values = s.samples().stream().filter(x -> x.name().startsWith("workforce_"))
                .flatMap(x -> x.labels().values().stream()).collect(Collectors.toSet());
        assertThat(values).isNotEmpty().noneMatch(v -> v.matches("[SCA]\\d+"));
        Set<String> names = s.samples().stream().filter(x -> x.name().startsWith("workforce_"))
                .flatMap(x -> x.labels().keySet().stream()).collect(Collectors.toSet());
        assertThat(Set.of("team", "service", "team_type", "indicator", "severity", "level", "employment", "dataset", "outcome", "le"))
                .containsAll(names);
    }
}
