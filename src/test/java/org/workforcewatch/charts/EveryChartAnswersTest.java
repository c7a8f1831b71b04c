package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.workforcewatch.ApiTest;
import org.workforcewatch.dashboard.Organisation;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.Indicator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every chart the API draws, for every team, every service and the authority of the demo, for every indicator or
 * measure it takes, today and (where it takes one) as of a past month end: each answers a picture, or a 404 problem
 * that says in words why there is none; never a server error. As PNG, and one of each kind as SVG and as its figures
 * in CSV too: a format draws the same figures, so it cannot turn data that answers into a server error. Small pictures:
 * the figures behind them are what can fail, not the size.
 */
// Fewer simulation runs than in production: the forecast's figures are not under test here, only that it answers.
@TestPropertySource(properties = "workforce.planning.runs=50")
class EveryChartAnswersTest extends ApiTest {

    private static final String SIZE = "width=200&height=150";

    @Autowired
    private ApplicationContext context;

    @Autowired
    private Organisation organisation;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void everyChartOfEveryScopeIsAPictureOrAProblemSayingWhyNeverAServerError() {
        DemoData.load(context);
        Organisation.Authority authority = organisation.authority().block();
        List<String> scopes = new ArrayList<>(List.of("level=authority"));
        List<String> teams = new ArrayList<>();
        for (Organisation.Service service : authority.services()) {
            scopes.add("level=service&scope=" + service.service());
            for (Organisation.Team team : service.teams()) {
                scopes.add("level=team&scope=" + team.teamId());
                teams.add(team.teamId());
            }
        }
        assertThat(teams).as("the demo's teams").hasSizeGreaterThan(10);
        LocalDate monthEnd = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1).atEndOfMonth();

        // chart kind → the queries (without format and size) it is asked with; each kind that takes as_of is asked
        // again, with every scope, as of the last month end
        Map<String, List<String>> charts = new LinkedHashMap<>();
        String asOf = "as_of=" + monthEnd;
        for (Indicator indicator : Indicator.values()) {
            for (String kind : List.of("trend", "spc")) {
                for (String scope : scopes) {
                    String query = "/api/charts/indicators/" + indicator.id() + "/" + kind + ".%s?" + scope;
                    charts.computeIfAbsent(kind, k -> new ArrayList<>()).add(query);
                    charts.computeIfAbsent(kind + " as of a month end", k -> new ArrayList<>()).add(query + "&" + asOf);
                }
            }
            String teamsChart = "/api/charts/indicators/" + indicator.id() + "/teams.%s?";
            charts.computeIfAbsent("teams", k -> new ArrayList<>()).add(teamsChart);
            charts.computeIfAbsent("teams as of a month end", k -> new ArrayList<>()).add(teamsChart + asOf);
            for (Organisation.Service service : authority.services()) {
                charts.get("teams").add(teamsChart + "service=" + service.service());
                charts.get("teams as of a month end").add(teamsChart + "service=" + service.service() + "&" + asOf);
            }
        }
        for (String kind : List.of("composition", "starters-leavers", "pa-caseloads", "allocation-waits")) {
            for (String scope : scopes) {
                charts.computeIfAbsent(kind, k -> new ArrayList<>()).add("/api/charts/" + kind + ".%s?" + scope);
                charts.computeIfAbsent(kind + " as of a month end", k -> new ArrayList<>())
                        .add("/api/charts/" + kind + ".%s?" + scope + "&" + asOf);
            }
        }
        for (String team : teams) {
            charts.computeIfAbsent("caseloads", k -> new ArrayList<>()).add("/api/charts/teams/" + team + "/caseloads.%s?");
            charts.computeIfAbsent("caseloads as of a month end", k -> new ArrayList<>())
                    .add("/api/charts/teams/" + team + "/caseloads.%s?" + asOf);
        }
        for (Charts.ForecastMeasure measure : Charts.ForecastMeasure.values()) {
            for (String scope : scopes) {
                charts.computeIfAbsent("forecast", k -> new ArrayList<>())
                        .add("/api/charts/forecast.%s?measure=" + measure.id() + "&" + scope);
            }
        }
        // A scenario beside the baseline: every ratio in every team (where a denominator may be nothing), and every
        // measure at the authority.
        web.post().uri("/api/scenarios").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"name": "Recruit two", "description": "Two more social workers in %s",
                         "changes": [{"type": "recruit", "team": "%s", "role": "social_worker", "count": 2, "fte": 1,
                                      "from": "%s", "employment": "permanent"}]}
                        """.formatted(teams.get(0), teams.get(0), YearMonth.from(monthEnd).plusMonths(3)))
                .exchange().expectStatus().isCreated();
        for (Charts.ForecastMeasure measure : Charts.ForecastMeasure.values()) {
            charts.computeIfAbsent("forecast with a scenario", k -> new ArrayList<>())
                    .add("/api/charts/forecast.%s?measure=" + measure.id() + "&scenario=Recruit two");
        }
        for (String team : teams) {
            for (String measure : List.of("caseload_per_fte", "pa_caseload_per_fte", "agency_rate")) {
                charts.get("forecast with a scenario").add("/api/charts/forecast.%s?measure=" + measure
                        + "&level=team&scope=" + team + "&scenario=Recruit two");
            }
        }

        List<String> failures = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Map<String, int[]> drawn = new LinkedHashMap<>();
        int svgs = 0;
        int tables = 0;
        for (Map.Entry<String, List<String>> kind : charts.entrySet()) {
            int[] answers = drawn.computeIfAbsent(kind.getKey(), k -> new int[2]);
            for (int i = 0; i < kind.getValue().size(); i++) {
                String query = kind.getValue().get(i);
                // one SVG and one table of figures of each kind: the first query's (the authority's, or the first team's)
                for (String format : i == 0 ? List.of("png", "svg", "csv") : List.of("png")) {
                    String uri = query.formatted(format) + (query.endsWith("?") ? "" : "&") + SIZE;
                    EntityExchangeResult<byte[]> r = web.get().uri(uri).exchange().expectBody(byte[].class).returnResult();
                    int status = r.getStatus().value();
                    String body = r.getResponseBody() == null ? "" : new String(r.getResponseBody(), StandardCharsets.UTF_8);
                    if (status == 200) {
                        MediaType type = r.getResponseHeaders().getContentType();
                        if (type == null || !type.isCompatibleWith(switch (format) {
                            case "png" -> MediaType.IMAGE_PNG;
                            case "svg" -> MediaType.parseMediaType("image/svg+xml");
                            default -> MediaType.parseMediaType("text/csv");
                        })) {
                            failures.add(uri + ": 200 as " + type);
                        }
                        answers[0]++;
                        if (format.equals("svg")) {
                            svgs++;
                        }
                        if (format.equals("csv")) {
                            tables++;
                            if (!body.startsWith("as_of,") || body.split("\r\n").length < 2) {
                                failures.add(uri + ": a table of figures without a header and rows: " + body);
                            }
                        }
                    } else if (status == 404) {
                        String why = detail(r, body);
                        if (why == null || why.isBlank()) {
                            failures.add(uri + ": 404 without a problem that says why: " + body);
                        }
                        reasons.add(uri + ": " + why);
                        answers[1]++;
                    } else {
                        failures.add(uri + ": " + status + " " + body);
                    }
                }
            }
        }
        assertThat(failures).as("charts that answered neither a picture nor a 404 problem saying why").isEmpty();
        // Teams of the demo without case-holding social workers have no caseload per FTE to project (it once failed with 500).
        assertThat(reasons).anyMatch(r -> r.startsWith("/api/charts/forecast.png?measure=caseload_per_fte&level=team")
                && r.contains("no case-holding social worker FTE"));
        assertThat(svgs).as("kinds drawn as SVG too (of " + charts.size() + ")").isGreaterThan(charts.size() / 2);
        assertThat(tables).as("kinds answering their figures as CSV too (of " + charts.size() + ")").isEqualTo(svgs);
        drawn.forEach((kind, answers) -> assertThat(answers[0]).as(kind + ": charts drawn (of " + (answers[0] + answers[1]) + ")")
                .isGreaterThan(0));
    }

    /** The problem's detail, or null where the answer is not an RFC 9457 problem. */
    private String detail(EntityExchangeResult<byte[]> r, String body) {
        MediaType type = r.getResponseHeaders().getContentType();
        if (type == null || !type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
            return null;
        }
        Object detail = json.readValue(body, Map.class).get("detail");
        return detail instanceof String s ? s : null;
    }
}
