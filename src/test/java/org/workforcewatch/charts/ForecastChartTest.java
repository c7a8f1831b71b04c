package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.w3c.dom.Element;
import org.workforcewatch.ApiTest;
import org.workforcewatch.indicators.IndicatorEngine;

/**
 * The forecast fan chart on a small authority: two teams of social workers with five years of history
 * (starters every year, a leaver most years, one agency worker) and their children's allocations, so the
 * projection has rates to draw on and caseload per FTE has a past to show.
 */
class ForecastChartTest extends ApiTest {

    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";

    @Autowired
    private Clock clock;

    @Autowired
    private IndicatorEngine engine;

    @Autowired
    private ChartCache cache;

    private LocalDate today;

    @BeforeEach
    void authority() {
        today = LocalDate.now(clock);
        load("teams", """
                team_id,team_name,service,team_type
                T1,Safeguarding North,Safeguarding,safeguarding
                T2,Safeguarding South,Safeguarding,safeguarding
                """);
        StringBuilder staff = new StringBuilder(STAFF);
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        int child = 0;
        for (String team : List.of("T1", "T2")) {
            for (int i = 1; i <= 6; i++) {
                String id = team + "S" + i;
                LocalDate start = today.minusYears(5).plusMonths(7L * i);
                // every third worker left a year ago, resigned; the rest are in post
                boolean left = i % 3 == 0;
                LocalDate end = left ? today.minusYears(1) : null;
                staff.append(id).append(',').append(team).append(",social_worker,permanent,1,").append(start).append(',')
                        .append(end == null ? "" : end).append(',').append(left ? "resigned" : "").append(",Y,2015-07-01,,\n");
                for (int c = 0; c < 14; c++) {
                    child++;
                    allocations.append('A').append(child).append(",C").append(child).append(',').append(id).append(",cin,")
                            .append(start.plusDays(c)).append(',').append(end == null ? "" : end).append(",\n");
                }
            }
            staff.append(team).append("X1,").append(team).append(",social_worker,agency,1,").append(today.minusMonths(8))
                    .append(",,,Y,2015-07-01,Hays,45\n");
        }
        load("staff", staff.toString());
        load("allocations", allocations.toString());
        load("establishment", """
                team_id,role,funded_fte,effective_from
                T1,social_worker,7,2020-01-01
                T2,social_worker,7,2020-01-01
                """);
        engine.invalidate().block();
    }

    private void load(String dataset, String csv) {
        upload(dataset, csv).expectStatus().isCreated();
    }

    private EntityExchangeResult<byte[]> get(String uri, int status) {
        EntityExchangeResult<byte[]> r = web.get().uri(uri).exchange().expectBody(byte[].class).returnResult();
        assertThat(r.getStatus().value()).as("GET " + uri + " answered "
                + (r.getResponseBody() == null || r.getStatus().value() == 200 ? "" : new String(r.getResponseBody(), StandardCharsets.UTF_8)))
                .isEqualTo(status);
        return r;
    }

    private static Element svg(byte[] bytes) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes)).getDocumentElement();
    }

    private static String problem(EntityExchangeResult<byte[]> r) {
        assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return new String(r.getResponseBody(), StandardCharsets.UTF_8);
    }

    private void saveScenario(String name) {
        YearMonth from = YearMonth.from(today).plusMonths(2);
        web.post().uri("/api/scenarios").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"name": "%s", "description": "Two more social workers in T1",
                         "changes": [{"type": "recruit", "team": "T1", "role": "social_worker", "count": 2, "fte": 1,
                                      "from": "%s", "employment": "permanent"}]}
                        """.formatted(name, from))
                .exchange().expectStatus().isCreated();
    }

    @Test
    void pngIsDecodableAtTheRequestedSize() throws IOException {
        for (String measure : List.of("caseload_per_fte", "employed_fte", "agency_fte", "agency_cost")) {
            EntityExchangeResult<byte[]> r = get("/api/charts/forecast.png?measure=" + measure
                    + "&level=team&scope=T1&width=640&height=360", 200);
            assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.IMAGE_PNG);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.getResponseBody()));
            assertThat(image).as(measure + ": a decodable PNG").isNotNull();
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(360);
        }
        BufferedImage defaults = ImageIO.read(new ByteArrayInputStream(get("/api/charts/forecast.png", 200).getResponseBody()));
        assertThat(defaults.getWidth()).isEqualTo(900);
        assertThat(defaults.getHeight()).isEqualTo(450);
    }

    @Test
    void svgNamesTheFanTheMedianAndThePast() throws Exception {
        EntityExchangeResult<byte[]> r = get("/api/charts/forecast.svg?measure=caseload_per_fte&level=service&scope=Safeguarding"
                + "&months=6&width=1000&height=500", 200);
        assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("image/svg+xml"));
        Element root = svg(r.getResponseBody());
        assertThat(Double.parseDouble(root.getAttribute("width"))).isEqualTo(1000);
        String text = root.getTextContent();
        assertThat(text).contains("Caseload per FTE, next 6 months — Safeguarding", "Baseline p50", "Baseline p10–p90",
                "Children per FTE", "Actual: caseload_per_fte at the last", "Forecast from");
        String employed = svg(get("/api/charts/forecast.svg?measure=employed_fte&level=team&scope=T2", 200).getResponseBody())
                .getTextContent();
        assertThat(employed).contains("Employed FTE, next 12 months — Team T2 Safeguarding South (Safeguarding)", "Baseline p10–p90")
                .doesNotContain("Actual");
    }

    @Test
    void theFteNeededIsDrawnBesideTheProjectedCaseHoldingFteAndTheGapSaysShortOrCovered() throws Exception {
        // T1: 14 children for each of its 4 case-holding workers in post; the general target is 16 per FTE
        String needed = svg(get("/api/charts/forecast.svg?measure=fte_needed&level=team&scope=T1", 200).getResponseBody())
                .getTextContent();
        assertThat(needed).contains("Social work FTE needed against projected, next 12 months — Team T1",
                "Needed p50", "Needed p10–p90", "Projected p50", "Projected p10–p90", "Case-holding social work FTE",
                "target caseload per FTE");
        assertThat(needed).containsPattern("(short by [0-9.]+ FTE|covered, [0-9.]+ FTE to spare) \\(gap ");
        String csv = new String(get("/api/charts/forecast.csv?measure=fte_needed&level=team&scope=T1", 200).getResponseBody(),
                StandardCharsets.UTF_8);
        assertThat(csv).contains("Needed p50", "Projected p50", "Needed p10", "Projected p90");

        String gap = svg(get("/api/charts/forecast.svg?measure=fte_gap&level=team&scope=T1", 200).getResponseBody())
                .getTextContent();
        assertThat(gap).contains("Social work FTE gap (needed − projected), next 12 months", "FTE short (+) or to spare (−)",
                "Baseline p50");

        saveScenario("Recruit two");
        String both = svg(get("/api/charts/forecast.svg?measure=fte_needed&level=team&scope=T1&scenario=Recruit two", 200)
                .getResponseBody()).getTextContent();
        assertThat(both).contains("Needed p50", "Projected p50", "Recruit two needed p50", "Recruit two projected p10–p90");
    }

    @Test
    void aScenarioIsDrawnBesideTheBaseline() throws Exception {
        saveScenario("Recruit two");
        String text = svg(get("/api/charts/forecast.svg?measure=employed_fte&level=team&scope=T1&scenario=Recruit two", 200)
                .getResponseBody()).getTextContent();
        assertThat(text).contains("baseline and Recruit two", "Baseline p50", "Baseline p10–p90", "Recruit two p50",
                "Recruit two p10–p90", "Scenario “Recruit two”: Two more social workers in T1");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                get("/api/charts/forecast.png?measure=caseload_per_fte&scenario=Recruit two&width=400&height=300", 200)
                        .getResponseBody()));
        assertThat(image.getWidth()).isEqualTo(400);
    }

    @Test
    void aSecondRequestComesFromTheCacheAndAChangedScenarioIsDrawnAfresh() {
        saveScenario("Recruit two");
        String uri = "/api/charts/forecast.png?measure=leavers&level=team&scope=T1&scenario=Recruit two";
        // the refresh that follows the fixture's imports empties the cache whenever it finishes: look at two
        // requests that no emptying came between
        List<EntityExchangeResult<byte[]>> pair = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            long generation = cache.generation();
            pair.clear();
            pair.add(get(uri, 200));
            pair.add(get(uri, 200));
            return cache.generation() == generation;
        });
        assertThat(pair.get(1).getResponseHeaders().getFirst("Server-Timing")).isEqualTo("cache;desc=hit");
        assertThat(pair.get(1).getResponseBody()).isEqualTo(pair.get(0).getResponseBody());
        // the same name with other changes is another chart
        web.put().uri("/api/scenarios/Recruit two").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"name": "Recruit two", "description": "Now five",
                         "changes": [{"type": "recruit", "team": "T1", "role": "social_worker", "count": 5, "fte": 1,
                                      "from": "%s", "employment": "permanent"}]}
                        """.formatted(YearMonth.from(today).plusMonths(2)))
                .exchange().expectStatus().is2xxSuccessful();
        long generation = cache.generation();
        EntityExchangeResult<byte[]> changed = get(uri, 200);
        if (cache.generation() == generation) {
            assertThat(changed.getResponseHeaders().getFirst("Server-Timing")).startsWith("cache;desc=miss");
        }
    }

    @Test
    void unknownScenarioTeamOrFormatIs404AndABadMeasureMonthsOrLevelIs400() {
        assertThat(problem(get("/api/charts/forecast.png?scenario=Nothing saved", 404))).contains("no scenario named 'Nothing saved'");
        assertThat(problem(get("/api/charts/forecast.png?level=team&scope=T9", 404))).contains("no team T9");
        get("/api/charts/forecast.gif", 404);
        assertThat(problem(get("/api/charts/forecast.png?measure=happiness", 400))).contains("measure must be one of",
                "caseload_per_fte", "agency_cost");
        for (String months : List.of("0", "25", "twelve")) {
            assertThat(problem(get("/api/charts/forecast.svg?months=" + months, 400))).contains("months must be a whole number from 1 to 24");
        }
        get("/api/charts/forecast.svg?level=county", 400);
        get("/api/charts/forecast.svg?level=team", 400);
    }
}
