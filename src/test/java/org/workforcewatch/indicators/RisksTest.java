package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.CsvTable;
import org.workforcewatch.WorkforceWatchApplication;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/** Risks follow the indicators live; thresholds come from configuration and can be changed at runtime. */
@org.workforcewatch.VouchedHistory
class RisksTest extends ApiTest {

    @LocalServerPort
    int port;

    private static final String TODAY = LocalDate.now().toString();

    private void team(int children) {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date\n"
                + "S1,T1,social_worker,permanent,1,2020-01-01,Y,2010-07-01\n").expectStatus().isCreated();
        allocate(1, children);
    }

    private void allocate(int from, int to) {
        StringBuilder file = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        for (int c = from; c <= to; c++) {
            file.append("A").append(c).append(",C").append(c).append(",S1,cin,2020-01-01\n");
        }
        web.post().uri("/api/imports/allocations?extract=partial").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(file.toString()).exchange().expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> risks() {
        return (List<Map<String, Object>>) web.get().uri("/api/risks").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("risks");
    }

    private Map<String, Object> risk(String indicator, String level, String scope) {
        return risks().stream().filter(r -> r.get("indicator").equals(indicator) && r.get("level").equals(level)
                && r.get("scope").equals(scope)).findFirst().orElse(null);
    }

    @Test
    void aTeamOverItsCaseloadThresholdIsAnActiveRiskWithItsFindingLeadOfficerAndTarget() {
        team(23); // 23 children, 1 FTE: red (22)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(risk("caseload_per_fte", "team", "T1")).isNotNull());
        Map<String, Object> r = risk("caseload_per_fte", "team", "T1");
        assertThat(r.get("severity")).isEqualTo("red");
        assertThat(r.get("value")).isEqualTo(23.0);
        assertThat(r.get("threshold")).isEqualTo(22.0);
        assertThat((String) r.get("finding")).contains("caseloads");
        assertThat(r.get("lead_officer")).isEqualTo("Head of Service");
        assertThat(r.get("target")).isEqualTo(16.0);
        // the breach is in the monthly history as far back as the data goes: once the history is recomputed,
        // since moves back to the first month end of the run (the first month with the allocations, January 2020)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(risk("caseload_per_fte", "team", "T1"))
                .containsEntry("since", "2020-01-31"));
        assertThat(risk("caseload_per_fte", "service", "Front Door")).isNotNull();
        assertThat(risk("caseload_per_fte", "authority", "authority")).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> grouped(String query) {
        return web.get().uri("/api/risks?group=team" + query).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<String> teamIds(Map<String, Object> grouped) {
        return ((List<Map<String, Object>>) grouped.get("teams")).stream().map(t -> (String) t.get("team")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void risksByTeamNameTheTeamsWorstFirstJudgedByTheirOwnThresholdsAndFilterByServiceSeverityAndIndicator() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n"
                + "T2,Assessment South,Front Door,assessment\nT3,Care North,Children in Care,children_in_care\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date\n"
                + "S1,T1,social_worker,permanent,1,2020-01-01,Y,2010-07-01\nS2,T2,social_worker,permanent,1,2020-01-01,Y,2010-07-01\n"
                + "S3,T3,social_worker,permanent,1,2020-01-01,Y,2010-07-01\n").expectStatus().isCreated();
        StringBuilder file = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        int child = 0;
        for (String[] holder : new String[][] {{"S1", "23"}, {"S2", "19"}, {"S3", "10"}}) {
            for (int k = 0; k < Integer.parseInt(holder[1]); k++) {
                child++;
                file.append("A").append(child).append(",C").append(child).append(",").append(holder[0]).append(",cin,2020-01-01\n");
            }
        }
        upload("allocations", file.toString()).expectStatus().isCreated();
        // T3's own thresholds: 10 per FTE is red there (9), green anywhere else
        web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("scope_kind", "team", "scope", "T3", "amber", 8, "red", 9, "changed_by", "head", "reason", "test"))
                .exchange().expectStatus().isOk();

        // red teams first; of two with one red, the one further past its threshold: T3 11% past 9, T1 4.5% past 22
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(teamIds(grouped("&indicator=caseload_per_fte")))
                .containsExactly("T3", "T1", "T2"));
        Map<String, Object> caseloads = grouped("&indicator=caseload_per_fte");
        Map<String, Object> t3 = ((List<Map<String, Object>>) caseloads.get("teams")).get(0);
        assertThat(t3).containsEntry("team_name", "Care North").containsEntry("service", "Children in Care")
                .containsEntry("severity", "red").containsEntry("red", 1).containsEntry("amber", 0);
        Map<String, Object> entry = ((List<Map<String, Object>>) t3.get("risks")).get(0);
        assertThat(entry).containsEntry("indicator", "caseload_per_fte").containsEntry("value", 10.0).containsEntry("threshold", 9.0)
                .containsKey("since");
        assertThat((Double) entry.get("past")).isCloseTo(1 / 9.0, org.assertj.core.api.Assertions.within(1e-9));
        // the list of every risk tells the same excess
        assertThat((Double) risk("caseload_per_fte", "team", "T1").get("past"))
                .isCloseTo(1 / 22.0, org.assertj.core.api.Assertions.within(1e-9));
        // Front Door's own caseload (42 over 2 FTE, amber) says nothing its red team does not
        assertThat(risk("caseload_per_fte", "service", "Front Door")).containsEntry("severity", "amber");
        assertThat((List<?>) caseloads.get("wider")).isEmpty();

        assertThat(teamIds(grouped("&indicator=caseload_per_fte&severity=red"))).containsExactly("T3", "T1");
        assertThat(teamIds(grouped("&indicator=caseload_per_fte&service=Front Door"))).containsExactly("T1", "T2");
        assertThat(teamIds(grouped("&service=Nowhere"))).isEmpty();
        // every team at risk names its worst indicators first
        for (Map<String, Object> team : (List<Map<String, Object>>) grouped("").get("teams")) {
            List<Map<String, Object>> risks = (List<Map<String, Object>>) team.get("risks");
            assertThat(risks).isNotEmpty();
            assertThat(((Number) team.get("red")).intValue() + ((Number) team.get("amber")).intValue()).isEqualTo(risks.size());
        }

        // the list of every risk takes the same filters
        List<Map<String, Object>> frontDoor = (List<Map<String, Object>>) web.get().uri("/api/risks?service=Front Door").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("risks");
        assertThat(frontDoor).isNotEmpty().allSatisfy(r -> assertThat(r.get("service")).isEqualTo("Front Door"));
        List<Map<String, Object>> amber = (List<Map<String, Object>>) web.get().uri("/api/risks?severity=amber&indicator=caseload_per_fte")
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("risks");
        assertThat(amber).extracting(r -> r.get("level") + " " + r.get("scope")).containsExactlyInAnyOrder("team T2", "service Front Door");

        web.get().uri("/api/risks?group=team&severity=green").exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("severity must be red or amber"));
        web.get().uri("/api/risks?indicator=caseloads").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("indicator must be"));
        web.get().uri("/api/risks?group=service").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("group must be team"));
    }

    @Test
    void theRiskStreamTellsOfARiskRaisedAndClearedAsDataChanges() {
        team(10); // 10 per FTE: ok
        await().atMost(Duration.ofSeconds(5)).until(() -> risk("caseload_per_fte", "team", "T1") == null
                && risk("workers_over_caseload", "team", "T1") == null);
        Sinks.Many<ServerSentEvent<Map<String, Object>>> received = Sinks.many().replay().all();
        Disposable subscription = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeaders(h -> h.setBasicAuth("viewer", PASSWORD)).build().get().uri("/api/risks/stream")
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .subscribe(received::tryEmitNext);
        try {
            // the server's first comment says the stream is open: only then can a change be missed no more
            await().atMost(Duration.ofSeconds(5)).until(() -> events(received).stream()
                    .anyMatch(e -> "connected".equals(e.comment())));
            allocate(11, 19); // 19 per FTE: amber
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events(received))
                    .anySatisfy(e -> {
                        assertThat(e.event()).isEqualTo("raised");
                        assertThat(e.data()).containsEntry("indicator", "caseload_per_fte").containsEntry("scope", "T1")
                                .containsEntry("severity", "amber").containsEntry("since", TODAY);
                    }));
            web.post().uri("/api/imports/allocations?extract=partial").contentType(MediaType.parseMediaType("text/csv"))
                    .bodyValue("allocation_id,child_id,staff_id,case_type,start_date,end_date\n"
                            + "A19,C19,S1,cin,2020-01-01,2020-02-01\nA18,C18,S1,cin,2020-01-01,2020-02-01\n")
                    .exchange().expectStatus().isCreated(); // back to 17: ok
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events(received))
                    .anySatisfy(e -> {
                        assertThat(e.event()).isEqualTo("cleared");
                        assertThat(e.data()).containsEntry("indicator", "caseload_per_fte").containsEntry("scope", "T1");
                    }));
        } finally {
            subscription.dispose();
        }
    }

    private static List<ServerSentEvent<Map<String, Object>>> events(Sinks.Many<ServerSentEvent<Map<String, Object>>> sink) {
        List<ServerSentEvent<Map<String, Object>>> all = new java.util.ArrayList<>();
        sink.asFlux().take(Duration.ofMillis(50)).subscribe(all::add);
        return all.stream().filter(e -> e.event() != null || e.comment() != null).toList();
    }

    @Test
    void aHeadOfServicesThresholdChangeIsRecordedUnderTheirNameAndTakesEffectAtOnce() {
        team(17); // 17 per FTE: ok against 18/22
        await().atMost(Duration.ofSeconds(5)).until(() -> risk("caseload_per_fte", "team", "T1") == null);
        // the author is the signed-in person, whatever the body claims
        as("head").put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("scope_kind", "team", "scope", "T1", "amber", 15, "red", 17, "changed_by", "someone.else",
                        "reason", "new practice standard"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.amber").isEqualTo(15.0).jsonPath("$.changed_by").isEqualTo("head");
        web.get().uri("/api/indicators?level=team").exchange().expectBody()
                .jsonPath("$.indicators[?(@.indicator == 'caseload_per_fte' && @.scope == 'T1')].severity").isEqualTo(List.of("red"))
                .jsonPath("$.indicators[?(@.indicator == 'caseload_per_fte' && @.scope == 'T1')].red").isEqualTo(List.of(17.0));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(risk("caseload_per_fte", "team", "T1"))
                .isNotNull().containsEntry("severity", "red"));
        // other teams and the authority keep the general thresholds
        web.get().uri("/api/indicators?level=authority").exchange().expectBody()
                .jsonPath("$.indicators[?(@.indicator == 'caseload_per_fte')].red").isEqualTo(List.of(22.0));
        web.get().uri("/api/thresholds").exchange().expectBody()
                .jsonPath("$.changes[0].scope").isEqualTo("T1")
                .jsonPath("$.changes[0].reason").isEqualTo("new practice standard")
                .jsonPath("$.general.caseload_per_fte.red").isEqualTo(22.0);
    }

    @Test
    void theThresholdsAsOfAMomentAreThoseInForceThenBeforeAChangeTheOldAfterItTheNew() {
        Map<String, Object> first = change("caseload_per_fte", 10, 12);
        java.time.Instant firstAt = java.time.OffsetDateTime.parse((String) first.get("changed_at")).toInstant();
        // the second change is made at a later instant than the first, so that a moment between them exists
        await().atMost(Duration.ofSeconds(5)).until(() -> java.time.Instant.now().isAfter(firstAt.plusMillis(1)));
        Map<String, Object> second = change("caseload_per_fte", 14, 16);
        java.time.Instant secondAt = java.time.OffsetDateTime.parse((String) second.get("changed_at")).toInstant();
        assertThat(secondAt).isAfter(firstAt);

        assertThat(redAsOf(firstAt.minusNanos(1000).toString())).as("before the first change: configuration").isEqualTo(22.0);
        assertThat(redAsOf(firstAt.toString())).as("at the first change").isEqualTo(12.0);
        assertThat(redAsOf(secondAt.minusNanos(1000).toString())).as("between the changes").isEqualTo(12.0);
        assertThat(redAsOf(secondAt.toString())).as("at the second change").isEqualTo(16.0);
        // a day means the end of that day in the authority's time zone
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/London"));
        assertThat(redAsOf(today.minusDays(1).toString())).isEqualTo(22.0);
        assertThat(redAsOf(today.toString())).isEqualTo(16.0);
        web.get().uri("/api/thresholds?as_of={t}", firstAt.toString()).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changes.length()").isEqualTo(1)
                .jsonPath("$.changes[0].red").isEqualTo(12.0);
        // without as_of: those in force now
        web.get().uri("/api/thresholds").exchange().expectBody().jsonPath("$.general.caseload_per_fte.red").isEqualTo(16.0);
        web.get().uri("/api/thresholds?as_of=yesterday").exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("as_of must be a date as YYYY-MM-DD"));
    }

    @Test
    void aPastMonthIsRatedWithTheThresholdsInForceAtItsEndInTheApiThePackAndTheChartTodayWithTodays() {
        team(20); // 20 children per FTE since 2020: amber under the configured 18 and 22
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/London"));
        java.time.YearMonth month = java.time.YearMonth.from(today).minusMonths(1);
        LocalDate monthEnd = month.atEndOfMonth();
        awaitIndicatorsCurrent();
        assertThat(teamCaseload("as_of=" + monthEnd)).containsEntry("severity", "amber");

        // from now on 20 per FTE is red for this team
        web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("scope_kind", "team", "scope", "T1", "amber", 12, "red", 15, "reason", "new practice standard"))
                .exchange().expectStatus().isOk();

        // the month as at its end: the same value, still amber, with the thresholds of then
        Map<String, Object> past = teamCaseload("as_of=" + monthEnd);
        assertThat(past).containsEntry("value", 20.0).containsEntry("severity", "amber").containsEntry("amber", 18.0)
                .containsEntry("red", 22.0);
        assertThat(indicators("as_of=" + monthEnd + "&level=team")).as("the answer says which thresholds rate it")
                .containsEntry("thresholds_in_force_at", monthEnd.plusDays(1).atStartOfDay(java.time.ZoneId.of("Europe/London"))
                        .toInstant().minusNanos(1000).toString());
        // today: the new thresholds, whether asked for by date or not
        for (String query : List.of("", "as_of=" + today)) {
            assertThat(teamCaseload(query)).as(query).containsEntry("value", 20.0).containsEntry("severity", "red")
                    .containsEntry("amber", 12.0).containsEntry("red", 15.0);
        }
        assertThat(indicators("level=team")).doesNotContainKey("thresholds_in_force_at");

        // the month's board pack says the same
        String csv = web.get().uri("/api/reports/workforce-profile.csv?month=" + month + "&table=teams").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Map<String, String> row = CsvTable.rows(csv).stream()
                .filter(r -> r.get("team_id").equals("T1") && r.get("indicator").equals("caseload_per_fte")).findFirst().orElseThrow();
        assertThat(row).containsEntry("severity", "Amber");
        assertThat(Double.parseDouble(row.get("red"))).isEqualTo(22.0);
        assertThat(Double.parseDouble(row.get("value"))).isEqualTo(20.0);

        // so does the team's trend chart as of that day; today's chart rates today's point red
        assertThat(latest("/api/charts/indicators/caseload_per_fte/trend.svg?level=team&scope=T1&width=2400&as_of=" + monthEnd))
                .endsWith(", Amber");
        assertThat(latest("/api/charts/indicators/caseload_per_fte/trend.svg?level=team&scope=T1&width=2400")).endsWith(", Red");

        // and the series: each month end with the thresholds in force at its end, today with today's
        Map<String, Object> series = web.get().uri("/api/indicators/caseload_per_fte/series?level=team&scope=T1&from="
                        + month.minusMonths(2).atDay(1)).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) series.get("points");
        Map<String, Object> severities = new java.util.LinkedHashMap<>();
        points.forEach(p -> severities.put((String) p.get("as_of"), p.get("severity")));
        assertThat(severities).containsEntry(monthEnd.toString(), "amber")
                .containsEntry(month.minusMonths(1).atEndOfMonth().toString(), "amber")
                .containsEntry(today.toString(), "red");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> indicators(String query) {
        return web.get().uri("/api/indicators?" + query).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> teamCaseload(String query) {
        return ((List<Map<String, Object>>) indicators(query + (query.isEmpty() ? "" : "&") + "level=team").get("indicators"))
                .stream().filter(v -> v.get("indicator").equals("caseload_per_fte") && v.get("scope").equals("T1"))
                .findFirst().orElseThrow();
    }

    /** The "Latest: value, severity" of a trend chart's note. */
    private String latest(String uri) {
        String svg = web.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        java.util.regex.Matcher latest = java.util.regex.Pattern.compile("Latest: [0-9.,]+, \\w+").matcher(svg);
        assertThat(latest.find()).as("the chart's note names its latest value").isTrue();
        return latest.group();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> change(String indicator, double amber, double red) {
        return web.put().uri("/api/thresholds/" + indicator).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", amber, "red", red, "reason", "review")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private Double redAsOf(String asOf) {
        Map<String, Object> body = web.get().uri("/api/thresholds?as_of={t}", asOf).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Map<String, Object>> general = (Map<String, Map<String, Object>>) body.get("general");
        return ((Number) general.get("caseload_per_fte").get("red")).doubleValue();
    }

    @Test
    void aThresholdChangeWithAmberBeyondRedOrOfAnUnknownIndicatorIsRefused() {
        web.put().uri("/api/thresholds/agency_rate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 30, "red", 25, "changed_by", "hr")).exchange()
                .expectStatus().isEqualTo(422).expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("amber (30.0) is beyond red (25.0)"));
        web.put().uri("/api/thresholds/nonsense").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 10, "red", 20, "changed_by", "hr")).exchange().expectStatus().isEqualTo(422);
        assertThat(count("threshold_changes")).isZero();
    }

    @Test
    void aThresholdThatIsNotAFiniteNumberIsA422AndNothingIsStored() {
        for (String body : List.of("{\"amber\": 0.2, \"red\": \"NaN\"}", "{\"amber\": \"NaN\", \"red\": 0.3}",
                "{\"amber\": 0.2, \"red\": \"Infinity\"}", "{\"amber\": \"-Infinity\", \"red\": 0.3}",
                "{\"amber\": 0.2, \"red\": 0.3, \"target\": \"NaN\"}")) {
            web.put().uri("/api/thresholds/agency_rate").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isEqualTo(422).expectHeader().contentTypeCompatibleWith("application/problem+json")
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).as(body)
                            .contains("agency_rate").contains("must be a finite number"));
        }
        assertThat(count("threshold_changes")).isZero();
        web.get().uri("/api/thresholds").exchange().expectStatus().isOk();
    }

    @Test
    void invalidThresholdConfigurationStopsStartUpWithAClearMessage() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(WorkforceWatchApplication.class)
                .run("--server.port=0", "--workforce.thresholds.caseload_per_fte.amber=30"))
                .hasStackTraceContaining("workforce.thresholds.caseload_per_fte: amber (30.0) is beyond red (22.0)");
        assertThatThrownBy(() -> new SpringApplicationBuilder(WorkforceWatchApplication.class)
                .run("--server.port=0", "--workforce.team-type-thresholds.out_of_hours.caseloads.amber=1"))
                .hasStackTraceContaining("unknown indicator(s) [caseloads]");
    }

    @Test
    void configuredTeamTypeAndTeamThresholdsOverrideTheGeneralOnes() {
        // configuration cannot change in a running context: the precedence is checked on the settings themselves
        ThresholdSettings settings = new ThresholdSettings(
                Map.of("caseload_per_fte", new ThresholdSettings.Level(16.0, 20.0, null, null)),
                Map.of("out_of_hours", Map.of("caseload_per_fte", new ThresholdSettings.Level(8.0, 10.0, null, null))),
                Map.of("T9", Map.of("caseload-per-fte", new ThresholdSettings.Level(10.0, 12.0, 9.0, "Named Manager"))));
        assertThat(settings.forIndicator(Indicator.CASELOAD_PER_FTE).red()).isEqualTo(20.0);
        assertThat(settings.forTeam(Indicator.CASELOAD_PER_FTE, "T1", "out_of_hours").red()).isEqualTo(10.0);
        ThresholdSettings.Applied t9 = settings.forTeam(Indicator.CASELOAD_PER_FTE, "T9", "out_of_hours");
        assertThat(t9).isEqualTo(new ThresholdSettings.Applied(10.0, 12.0, 9.0, "Named Manager"));
        assertThat(settings.forTeam(Indicator.AGENCY_RATE, "T9", "out_of_hours").red()).isEqualTo(25.0);
    }

    @Test
    void aTeamsWorkersShowTheirCaseloadSupervisionAndInduction() {
        team(21);
        upload("supervision", "staff_id,supervision_date\nS1," + LocalDate.now().minusDays(40) + "\n").expectStatus().isCreated();
        upload("training", "staff_id,course,completed_date\nS1,induction,2020-02-01\n").expectStatus().isCreated();
        web.get().uri("/api/teams/T1/workers").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.workers.length()").isEqualTo(1)
                .jsonPath("$.workers[0].staff_id").isEqualTo("S1")
                .jsonPath("$.workers[0].children").isEqualTo(21)
                .jsonPath("$.workers[0].caseload_per_fte").isEqualTo(21.0)
                .jsonPath("$.workers[0].over_caseload").isEqualTo(true)
                .jsonPath("$.workers[0].supervision_interval_days").isEqualTo(31)
                .jsonPath("$.workers[0].supervision_overdue").isEqualTo(true)
                .jsonPath("$.workers[0].induction_incomplete").isEqualTo(true);
        web.get().uri("/api/teams/NOPE/workers").exchange().expectStatus().isNotFound();
    }
}
