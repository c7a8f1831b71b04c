package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.TableXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.workforcewatch.ApiTest;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.spc.Spc;
import org.workforcewatch.spc.Xmr;
import reactor.test.StepVerifier;

/**
 * The chart endpoints on a small hand-made authority, with the expected figures worked out by hand in
 * the comments. Today is the real today: the staff in post and the cases started in 2023–2025 and are
 * still open, and the waiting referrals are dated back from today in working days.
 *
 * <pre>
 * T1 Assessment North (Front Door): A1 permanent, A2 agency from March 2024 → agency 50%, red (≥ 25)
 * T5 Assessment South (Front Door): B5 (moved from T2), E1–E3 permanent, E4 agency → 1 of 5 = 20%, amber (15–25)
 * T2 Safeguarding East: B1 1.0 FTE 5 children, B2 0.5 FTE 11 children (22/FTE, over 20), B3 ASYE 19 children
 *    (over 18); B4 left June 2024; B5 moved to T5 on 1 April 2024 → agency 0%, ok
 * T3 Leaving Care: personal advisers P1 1.0 FTE (3 care leavers counted), P2 0.5 FTE (2 → 4 per FTE)
 * T4 Safeguarding West: nobody
 * </pre>
 */
// The fixture's history is complete from January 2024, its first allocation: the council vouches for it
// (workforce.history.from), so the monthly history starts there whatever the staff file's first leaver.
@org.springframework.test.context.TestPropertySource(properties = "workforce.history.from.all=2024-01-01")
class ChartsTest extends ApiTest {

    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";

    @Autowired
    private Charts charts;

    @Autowired
    private ChartCache cache;

    @Autowired
    private Spc spc;

    @Autowired
    private Clock clock;

    @Autowired
    private IndicatorEngine engine;

    @Autowired
    private Thresholds thresholds;

    private LocalDate today;

    @BeforeEach
    void authority() {
        today = LocalDate.now(clock);
        load("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Safeguarding East,Safeguarding,safeguarding
                T3,Leaving Care,Care Leavers,care_leavers
                T4,Safeguarding West,Safeguarding,safeguarding
                T5,Assessment South,Front Door,assessment
                """);
        load("staff", STAFF
                + "A1,T1,social_worker,permanent,1,2023-06-01,,,Y,2015-07-01,,\n"
                + "A2,T1,social_worker,agency,1,2024-03-01,,,Y,2015-07-01,Hays,45\n"
                + "B1,T2,social_worker,permanent,1,2023-01-01,,,Y,2015-07-01,,\n"
                + "B2,T2,senior_practitioner,fixed_term,0.5,2023-01-01,,,Y,2012-07-01,,\n"
                + "B3,T2,asye,permanent,1,2025-09-01,,,Y,2025-07-01,,\n"
                + "B4,T2,social_worker,permanent,1,2023-01-01,2024-06-30,resigned,Y,2015-07-01,,\n"
                + "B5,T2,social_worker,permanent,1,2023-01-01,2024-03-31,internal_move,Y,2015-07-01,,\n"
                + "B5,T5,social_worker,permanent,1,2024-04-01,,,Y,2015-07-01,,\n"
                + "E1,T5,social_worker,permanent,1,2024-02-01,,,Y,2015-07-01,,\n"
                + "E2,T5,social_worker,permanent,1,2024-02-01,,,Y,2015-07-01,,\n"
                + "E3,T5,social_worker,permanent,1,2024-02-01,,,Y,2015-07-01,,\n"
                + "E4,T5,social_worker,agency,1,2024-02-01,,,Y,2015-07-01,Reed,45\n"
                + "P1,T3,personal_adviser,permanent,1,2023-01-01,,,N,,,\n"
                + "P2,T3,personal_adviser,permanent,0.5,2023-01-01,,,N,,,\n");
        load("allocations", "allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n"
                + allocations("B1", 1, 5, "2024-01-10")
                + allocations("B2", 6, 16, "2024-01-10")
                + allocations("B3", 17, 35, "2025-09-01")
                + allocations("A1", 36, 38, "2024-01-10"));
        load("care_leavers", """
                child_id,date_of_birth,eligibility,pa_staff_id,in_touch
                L1,2006-01-01,former_relevant,P1,yes
                L2,2006-02-01,relevant,P1,yes
                L3,2008-03-01,eligible,P1,yes
                L4,2005-04-01,former_relevant,P1,died
                L5,2005-05-01,qualifying,P1,yes
                L6,2006-06-01,relevant,P2,yes
                L7,2006-07-01,former_relevant,P2,yes
                """);
        load("benchmarks", """
                year,area_code,area_name,geographic_level,measure,value
                2023,E92000001,England,national,agency_rate,17.9
                2024,E92000001,England,national,agency_rate,17.6
                2025,E92000001,England,national,agency_rate,16.2
                2024,E12000006,East of England,regional,agency_rate,14.0
                2025,E12000006,East of England,regional,agency_rate,13.1
                2025,E92000001,England,national,turnover_rate,16.9
                """);
        // The service recomputes today's figures a second after the imports, in the background; until then it may
        // hold figures computed from part of the fixture. Dropping them makes every read compute from all of it.
        engine.invalidate().block();
    }

    /** A threshold changed at runtime stays in force in memory after the tables are emptied: put the configured ones back. */
    @AfterEach
    void configuredThresholds() {
        db.sql("DELETE FROM threshold_changes").then().block();
        thresholds.reload().block();
    }

    private void load(String dataset, String csv) {
        upload(dataset, csv).expectStatus().isCreated();
    }

    private static String allocations(String staff, int fromChild, int toChild, String start) {
        StringBuilder rows = new StringBuilder();
        for (int c = fromChild; c <= toChild; c++) {
            rows.append("A").append(staff).append('-').append(c).append(",C").append(c).append(',').append(staff)
                    .append(",cin,").append(start).append(",,\n");
        }
        return rows.toString();
    }

    private EntityExchangeResult<byte[]> get(String uri, int status) {
        EntityExchangeResult<byte[]> r = web.get().uri(uri).exchange().expectBody(byte[].class).returnResult();
        assertThat(r.getStatus().value()).as("GET " + uri + " answered "
                + (r.getResponseBody() == null || r.getStatus().value() == 200 ? "" : new String(r.getResponseBody(), StandardCharsets.UTF_8)))
                .isEqualTo(status);
        return r;
    }

    private static BufferedImage png(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a decodable PNG").isNotNull();
        return image;
    }

    private static Document svg(byte[] bytes) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    private static String problem(EntityExchangeResult<byte[]> r) {
        assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return new String(r.getResponseBody(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ formats and sizes

    @Test
    void pngIsDecodableAtExactlyTheRequestedSize() throws IOException {
        EntityExchangeResult<byte[]> r = get("/api/charts/indicators/agency_rate/trend.png?width=640&height=360", 200);
        assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.IMAGE_PNG);
        BufferedImage image = png(r.getResponseBody());
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(360);

        BufferedImage defaults = png(get("/api/charts/composition.png", 200).getResponseBody());
        assertThat(defaults.getWidth()).isEqualTo(900);
        assertThat(defaults.getHeight()).isEqualTo(450);
        // white background: the top-left corner is outside every plot
        assertThat(defaults.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void svgParsesAtTheRequestedSizeAndNamesTheSeriesBandsAndBenchmarks() throws Exception {
        EntityExchangeResult<byte[]> r = get("/api/charts/indicators/agency_rate/trend.svg?width=1000&height=500", 200);
        assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("image/svg+xml"));
        Document doc = svg(r.getResponseBody());
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(Double.parseDouble(root.getAttribute("width"))).isEqualTo(1000);
        assertThat(Double.parseDouble(root.getAttribute("height"))).isEqualTo(500);
        String text = root.getTextContent();
        assertThat(text).contains("Agency rate", "England", "East of England (region)", "Amber", "Red", "Target 10%",
                "Agency rate (%)");
        assertThat(text).contains("Agency rate — Authority");
        assertThat(new String(r.getResponseBody(), StandardCharsets.UTF_8)).contains("DejaVu Sans");
    }

    @Test
    void everyChartAnswersBothFormats() throws Exception {
        load("referrals", "referral_id,child_id,team_id,referral_date,allocated_date\nR1,K1,T1," + today.minusDays(10) + ",\n");
        List<String> uris = List.of("/api/charts/indicators/agency_rate/trend", "/api/charts/indicators/agency_rate/teams",
                "/api/charts/indicators/caseload_per_fte/spc", "/api/charts/composition", "/api/charts/starters-leavers",
                "/api/charts/teams/T2/caseloads", "/api/charts/pa-caseloads", "/api/charts/allocation-waits");
        for (String uri : uris) {
            BufferedImage image = png(get(uri + ".png?width=400&height=300", 200).getResponseBody());
            assertThat(image.getWidth()).as(uri).isEqualTo(400);
            assertThat(image.getHeight()).as(uri).isEqualTo(300);
            Element root = svg(get(uri + ".svg?width=401&height=301", 200).getResponseBody()).getDocumentElement();
            assertThat(Double.parseDouble(root.getAttribute("width"))).as(uri).isEqualTo(401);
        }
    }

    // ------------------------------------------------------------------ problems

    @Test
    void sizesOutsideTheBoundsOrNotNumbersAre400Problems() {
        for (String q : List.of("width=199", "width=2401", "height=149", "height=1601", "width=wide", "height=4.5")) {
            String body = problem(get("/api/charts/composition.png?" + q, 400));
            assertThat(body).as(q).contains(q.startsWith("width") ? "width must be a whole number of pixels from 200 to 2400"
                    : "height must be a whole number of pixels from 150 to 1600");
        }
        get("/api/charts/composition.png?width=200&height=150", 200);
        get("/api/charts/composition.png?width=2400&height=1600", 200);
    }

    @Test
    void unknownIndicatorTeamServiceOrFormatIs404Problem() {
        assertThat(problem(get("/api/charts/indicators/happiness/trend.png", 404))).contains("no indicator happiness");
        assertThat(problem(get("/api/charts/indicators/happiness/teams.svg", 404))).contains("no indicator happiness");
        assertThat(problem(get("/api/charts/teams/T99/caseloads.png", 404))).contains("no team T99");
        assertThat(problem(get("/api/charts/indicators/agency_rate/trend.png?level=team&scope=T99", 404))).contains("no team T99");
        assertThat(problem(get("/api/charts/composition.png?level=service&scope=Nowhere", 404))).contains("no service 'Nowhere'");
        assertThat(problem(get("/api/charts/indicators/agency_rate/teams.png?service=Nowhere", 404))).contains("no service 'Nowhere'");
        assertThat(problem(get("/api/charts/composition.gif", 404))).contains("charts come as .png or .svg");
        assertThat(problem(get("/api/charts/composition.png?level=region", 400))).contains("level must be one of");
        assertThat(problem(get("/api/charts/composition.png?level=team", 400))).contains("scope (a team id or a service name)");
        assertThat(problem(get("/api/charts/indicators/agency_rate/teams.png?as_of=31/12/2025", 400))).contains("as_of must be a date");
    }

    @Test
    void aScopeWithNothingToShowIsA404ProblemWithTheReasonNotAnImage() {
        // T4 has nobody: no caseloads, no staff, no agency rate, no referral queue
        assertThat(problem(get("/api/charts/teams/T4/caseloads.png", 404)))
                .contains("Team T4 Safeguarding West (Safeguarding) has no case-holding children and family social workers in post");
        assertThat(problem(get("/api/charts/composition.svg?level=team&scope=T4", 404))).contains("no children and family social workers in post");
        assertThat(problem(get("/api/charts/starters-leavers.png?level=team&scope=T4", 404))).contains("no starters or leavers");
        assertThat(problem(get("/api/charts/indicators/agency_rate/trend.png?level=team&scope=T4", 404)))
                .contains("no agency_rate values for Team T4 Safeguarding West (Safeguarding)");
        assertThat(problem(get("/api/charts/allocation-waits.png?level=team&scope=T4", 404))).contains("no referrals have ever been received");
        assertThat(problem(get("/api/charts/pa-caseloads.png?level=team&scope=T1", 404))).contains("no personal advisers in post");
        // an image client (Accept: image/png) is still told why
        web.get().uri("/api/charts/teams/T4/caseloads.png").accept(MediaType.IMAGE_PNG).exchange()
                .expectStatus().isNotFound();
    }

    // ------------------------------------------------------------------ what the charts show

    @Test
    void teamsBarsAreColouredByEachTeamsSeverityInTheRendererAndInThePixels() throws IOException {
        JFreeChart chart = charts.teams(Indicator.AGENCY_RATE, null, null).block();
        CategoryPlot plot = chart.getCategoryPlot();
        CategoryDataset bars = plot.getDataset(0);
        // T1 50% red, T5 20% amber, T2 0% ok; T3 (no social workers) and T4 (nobody) have no value; highest first
        assertThat(bars.getColumnKeys()).containsExactly("T1", "T5", "T2");
        assertThat(bars.getValue(0, 0).doubleValue()).isCloseTo(50.0, within(1e-9));
        assertThat(bars.getValue(0, 1).doubleValue()).isCloseTo(20.0, within(1e-9));
        assertThat(plot.getRenderer().getItemPaint(0, 0)).isEqualTo(ChartTheme.RED);
        assertThat(plot.getRenderer().getItemPaint(0, 1)).isEqualTo(ChartTheme.AMBER);
        assertThat(plot.getRenderer().getItemPaint(0, 2)).isEqualTo(ChartTheme.OK);

        // the PNG served: the pixel a quarter of the way up each bar has that bar's colour
        int w = 900;
        int h = 450;
        BufferedImage served = png(get("/api/charts/indicators/agency_rate/teams.png", 200).getResponseBody());
        ChartRenderingInfo info = new ChartRenderingInfo();
        charts.teams(Indicator.AGENCY_RATE, null, null).block().createBufferedImage(w, h, info);
        Map<String, Integer> expected = Map.of("T1", ChartTheme.RED.getRGB(), "T5", ChartTheme.AMBER.getRGB());
        Set<String> sampled = new HashSet<>();
        for (Object entity : info.getEntityCollection().getEntities()) {
            if (entity instanceof CategoryItemEntity bar && expected.containsKey((String) bar.getColumnKey())) {
                java.awt.Rectangle b = bar.getArea().getBounds();
                int x = b.x + b.width / 2;
                int y = b.y + b.height * 3 / 4;
                assertThat(served.getRGB(x, y)).as("bar of " + bar.getColumnKey()).isEqualTo(expected.get(bar.getColumnKey()));
                sampled.add((String) bar.getColumnKey());
            }
        }
        assertThat(sampled).containsExactlyInAnyOrder("T1", "T5");

        String svg = new String(get("/api/charts/indicators/agency_rate/teams.svg", 200).getResponseBody(), StandardCharsets.UTF_8);
        assertThat(svg).contains(">T1<", ">T5<", ">T2<", "Red (R)", "Amber (A)", "Green (G)", "Amber threshold 15%", "Red threshold 25%");
    }

    @Test
    void teamsOfOneServiceOnly() throws Exception {
        JFreeChart chart = charts.teams(Indicator.AGENCY_RATE, null, "Front Door").block();
        assertThat(chart.getCategoryPlot().getDataset(0).getColumnKeys()).containsExactly("T1", "T5");
        byte[] body = web.get().uri(b -> b.path("/api/charts/indicators/agency_rate/teams.svg").queryParam("service", "Front Door").build())
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        String text = svg(body).getDocumentElement().getTextContent();
        assertThat(text).contains("T1", "T5").doesNotContain("T2");
    }

    @Test
    void trendStepsThePublishedFiguresFromTheDayEachYearIsPublished() {
        JFreeChart chart = charts.trend(Indicator.AGENCY_RATE, "authority", null).block();
        XYPlot plot = chart.getXYPlot();
        XYDataset values = plot.getDataset(0);
        // month ends from January 2024 (the first allocation, from which the history is vouched) to last month, then today
        LocalDate first = LocalDate.of(2024, 1, 31);
        int months = 0;
        for (LocalDate d = first; d.isBefore(today); d = d.plusMonths(1).withDayOfMonth(d.plusMonths(1).lengthOfMonth())) {
            months++;
        }
        assertThat(values.getItemCount(0)).isEqualTo(months + 1);
        assertThat(values.getXValue(0, 0)).isEqualTo(Charts.millis(first));
        // today: agency A2 + E4 = 2 FTE; employed A1, B1, B2 0.5, B3, B5, E1–E3 = 7.5 FTE
        assertThat(values.getYValue(0, values.getItemCount(0) - 1)).isCloseTo(2 / 9.5 * 100, within(1e-9));
        XYDataset published = plot.getDataset(1);
        assertThat(published.getSeriesKey(0)).isEqualTo("England");
        // each year's figure from the day it counts as published, the end of the February after its 30 September:
        // 2023's from 29 February 2024 (after the first date, and nothing earlier is loaded), 2024's and 2025's, held
        // to today
        assertThat(published.getItemCount(0)).isEqualTo(4);
        assertThat(published.getXValue(0, 0)).isEqualTo(Charts.millis(LocalDate.of(2024, 2, 29)));
        assertThat(published.getYValue(0, 0)).isEqualTo(17.9);
        assertThat(published.getXValue(0, 1)).isEqualTo(Charts.millis(LocalDate.of(2025, 2, 28)));
        assertThat(published.getYValue(0, 1)).isEqualTo(17.6);
        assertThat(published.getXValue(0, 2)).isEqualTo(Charts.millis(LocalDate.of(2026, 2, 28)));
        assertThat(published.getYValue(0, 3)).isEqualTo(16.2);
        assertThat(published.getXValue(0, 3)).isEqualTo(Charts.millis(today));
        assertThat(published.getSeriesKey(1)).isEqualTo("East of England (region)");
        assertThat(published.getItemCount(1)).isEqualTo(3);
        assertThat(published.getXValue(1, 0)).isEqualTo(Charts.millis(LocalDate.of(2025, 2, 28)));
        assertThat(published.getYValue(1, 0)).isEqualTo(14.0);

        // caseload has no published figures loaded here; worker changes has no published measure at all
        assertThat(charts.trend(Indicator.CASELOAD_PER_FTE, "authority", null).block().getXYPlot().getDataset(1)).isNull();
    }

    @Test
    void teamTrendUsesTheTeamsOwnSeries() {
        XYDataset values = charts.trend(Indicator.AGENCY_RATE, "team", "T1").block().getXYPlot().getDataset(0);
        int last = values.getItemCount(0) - 1;
        assertThat(values.getYValue(0, last)).isCloseTo(50.0, within(1e-9));
        // 31 January and 29 February 2024: A1 alone, agency 0%; from March, A2 makes it 50%
        assertThat(values.getYValue(0, 0)).isEqualTo(0.0);
        assertThat(values.getYValue(0, 2)).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void compositionStacksPermanentFixedTermAndAgencyFte() throws Exception {
        TableXYDataset d = (TableXYDataset) charts.composition("authority", null).block().getXYPlot().getDataset();
        assertThat(List.of(d.getSeriesKey(0), d.getSeriesKey(1), d.getSeriesKey(2))).containsExactly("Permanent", "Fixed term", "Agency");
        int today = d.getItemCount() - 1;
        // permanent A1, B1, B3, B5, E1–E3 = 7; fixed term B2 0.5; agency A2, E4 = 2; personal advisers not counted
        assertThat(d.getYValue(0, today)).isEqualTo(7.0);
        assertThat(d.getYValue(1, today)).isEqualTo(0.5);
        assertThat(d.getYValue(2, today)).isEqualTo(2.0);
        // 31 January 2024: A1, B1, B4, B5 permanent; B2 fixed term; no agency yet
        assertThat(d.getYValue(0, 0)).isEqualTo(4.0);
        assertThat(d.getYValue(2, 0)).isEqualTo(0.0);
        String text = svg(get("/api/charts/composition.svg", 200).getResponseBody()).getDocumentElement().getTextContent();
        assertThat(text).contains("Permanent", "Fixed term", "Agency", "FTE in post");
    }

    @Test
    void startersAndLeaversLeaveInternalMovesOut() throws Exception {
        XYDataset d = charts.startersLeavers("authority", null).block().getXYPlot().getDataset();
        assertThat(d.getSeriesKey(0)).isEqualTo("Starters");
        assertThat(d.getSeriesKey(1)).isEqualTo("Leavers");
        // months from January 2024: E1–E3 start in February 2024 (index 1); B3 in September 2025 (index 20);
        // B5's arrival in T5 in April 2024 is the other half of an internal move; A2 and E4 are agency
        double starters = 0;
        double leavers = 0;
        for (int i = 0; i < d.getItemCount(0); i++) {
            starters += d.getYValue(0, i);
            leavers += d.getYValue(1, i);
        }
        assertThat(starters).isEqualTo(4);
        assertThat(d.getYValue(0, 1)).isEqualTo(3);
        assertThat(d.getYValue(0, 20)).isEqualTo(1);
        // B4 resigned in June 2024 (index 5); B5's internal move in March is not a leaver
        assertThat(leavers).isEqualTo(1);
        assertThat(d.getYValue(1, 5)).isEqualTo(1);
        assertThat(d.getYValue(1, 2)).isEqualTo(0);
        String text = svg(get("/api/charts/starters-leavers.svg?width=1600", 200).getResponseBody()).getDocumentElement().getTextContent();
        assertThat(text).contains("Starters", "Leavers", "4 starters, 1 leavers", "Internal moves are neither starters nor leavers");
    }

    @Test
    void caseloadsCountWorkersPerBinAndSplitThoseOverTheirLimit() throws Exception {
        JFreeChart chart = charts.caseloads("T2").block();
        TableXYDataset d = (TableXYDataset) chart.getXYPlot().getDataset();
        assertThat(d.getSeriesKey(0)).isEqualTo("Within their limit");
        assertThat(d.getSeriesKey(1)).isEqualTo("Over their limit");
        // B1 5 per FTE: bin (4, 5] (index 4), within; B2 11 / 0.5 = 22: bin index 21, over 20; B3 ASYE 19: index 18, over 18
        assertThat(sum(d, 0)).isEqualTo(1);
        assertThat(sum(d, 1)).isEqualTo(2);
        assertThat(d.getYValue(0, 4)).isEqualTo(1);
        assertThat(d.getYValue(1, 21)).isEqualTo(1);
        assertThat(d.getYValue(1, 18)).isEqualTo(1);
        assertThat(chart.getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).extracting(m -> ((org.jfree.chart.plot.ValueMarker) m).getValue())
                .containsExactlyInAnyOrder(20.0, 18.0);
        String svg = new String(get("/api/charts/teams/T2/caseloads.svg", 200).getResponseBody(), StandardCharsets.UTF_8);
        assertThat(svg).contains("Limit 20 per FTE", "Over their limit").doesNotContain("B1", "B2", "B3");
    }

    @Test
    void caseloadsAsOfADayShowTheWorkersInPostThenWithTheChildrenTheyHeldThen() throws Exception {
        // 31 December 2024: B1 5 per FTE, within; B2 22, over 20; B3 starts only in September 2025
        TableXYDataset december = (TableXYDataset) charts.caseloads("T2", LocalDate.of(2024, 12, 31)).block().getXYPlot().getDataset();
        assertThat(sum(december, 0)).isEqualTo(1);
        assertThat(sum(december, 1)).isEqualTo(1);
        assertThat(december.getYValue(0, 4)).isEqualTo(1);
        assertThat(december.getYValue(1, 21)).isEqualTo(1);
        // 31 May 2024: B4 (resigned 30 June) was still in post, holding no children
        TableXYDataset may = (TableXYDataset) charts.caseloads("T2", LocalDate.of(2024, 5, 31)).block().getXYPlot().getDataset();
        assertThat(sum(may, 0)).isEqualTo(2);
        assertThat(may.getYValue(0, 0)).isEqualTo(1);
        assertThat(sum(may, 1)).isEqualTo(1);

        // wide enough that the note is one line
        String svg = new String(get("/api/charts/teams/T2/caseloads.svg?as_of=2024-12-31&width=2400", 200).getResponseBody(),
                StandardCharsets.UTF_8);
        assertThat(svg).contains("2 case-holding", "in post on 31 Dec 2024; 1 over their limit", "Limit 20 per FTE");
        String now = new String(get("/api/charts/teams/T2/caseloads.svg?width=2400", 200).getResponseBody(), StandardCharsets.UTF_8);
        assertThat(now).contains("3 case-holding", "in post on " + today.format(java.time.format.DateTimeFormatter.ofPattern(
                "d MMM yyyy", java.util.Locale.UK)) + "; 2 over their limit");
        // a day before the data's window, or not a date, is a problem saying so
        assertThat(problem(get("/api/charts/teams/T2/caseloads.svg?as_of=2023-06-30", 422))).contains("2023-06-30");
        assertThat(problem(get("/api/charts/teams/T2/caseloads.png?as_of=31/12/2024", 400))).contains("as_of must be a date");
    }

    @Test
    void personalAdviserCaseloadsCountTheIndicatorsPopulation() {
        TableXYDataset d = (TableXYDataset) charts.paCaseloads("service", "Care Leavers").block().getXYPlot().getDataset();
        // P1: L1, L2, L3 (L4 died, L5 qualifying) = 3 per FTE, bin index 2; P2: 2 / 0.5 = 4, bin index 3
        assertThat(sum(d, 0)).isEqualTo(2);
        assertThat(d.getYValue(0, 2)).isEqualTo(1);
        assertThat(d.getYValue(0, 3)).isEqualTo(1);
    }

    @Test
    void allocationWaitsCountWorkingDaysAndMarkTheLimit() {
        List<LocalDate> holidays = db.sql("SELECT day FROM bank_holidays").map(r -> r.get("day", LocalDate.class)).all()
                .collectList().block();
        // received n working days ago: n working days d with referral_date < d ≤ today
        load("referrals", "referral_id,child_id,team_id,referral_date,allocated_date\n"
                + "R1,K1,T1," + today + ",\n"
                + "R2,K2,T1," + workingDaysAgo(3, holidays) + ",\n"
                + "R3,K3,T5," + workingDaysAgo(8, holidays) + ",\n"
                + "R4,K4,T1," + workingDaysAgo(9, holidays) + "," + today.minusDays(1) + "\n"   // allocated: not waiting
                + "R5,K5,T1," + today.plusDays(1) + ",\n");                                    // not received yet
        TableXYDataset d = (TableXYDataset) charts.allocationWaits("service", "Front Door").block().getXYPlot().getDataset();
        assertThat(d.getSeriesKey(0)).isEqualTo("Within the limit");
        assertThat(d.getSeriesKey(1)).isEqualTo("Over the limit");
        assertThat(d.getYValue(0, 0)).isEqualTo(1);
        assertThat(d.getYValue(0, 3)).isEqualTo(1);
        assertThat(d.getYValue(1, 8)).isEqualTo(1);
        assertThat(sum(d, 0) + sum(d, 1)).isEqualTo(3);
        TableXYDataset team = (TableXYDataset) charts.allocationWaits("team", "T1").block().getXYPlot().getDataset();
        assertThat(sum(team, 0) + sum(team, 1)).isEqualTo(2);
        // a queue with nobody waiting is a chart that says so, not an error
        load("referrals", "referral_id,child_id,team_id,referral_date,allocated_date\nR1,K1,T1," + today + "," + today + "\n"
                + "R2,K2,T1,2025-01-06,2025-01-07\nR3,K3,T5,2025-01-06,2025-01-07\nR4,K4,T1,2025-01-06,2025-01-07\n"
                + "R5,K5,T1,2025-01-06,2025-01-07\n");
        JFreeChart none = charts.allocationWaits("authority", null).block();
        assertThat(none.getXYPlot().getNoDataMessage()).isEqualTo("No referrals are waiting for allocation");
    }

    private LocalDate workingDaysAgo(int n, List<LocalDate> holidays) {
        LocalDate d = today;
        int counted = 0;
        while (counted < n) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY && !holidays.contains(d)) {
                counted++;
            }
            d = d.minusDays(1);
        }
        return d;
    }

    private static double sum(TableXYDataset d, int series) {
        double s = 0;
        for (int i = 0; i < d.getItemCount(); i++) {
            s += d.getYValue(series, i);
        }
        return s;
    }

    @Test
    void spcMarksEverySpecialCausePointOfTheXmrAndSaysTheVerdictFromTheSameFlags() throws Exception {
        Xmr xmr = spc.of(Indicator.AGENCY_RATE, "team", "T1").block();
        XYPlot plot = charts.spc(Indicator.AGENCY_RATE, "team", "T1").block().getXYPlot();
        XYDataset marked = plot.getDataset(0);
        assertThat(marked.getSeriesKey(0)).isEqualTo("Special cause: concerning");
        assertThat(marked.getSeriesKey(1)).isEqualTo("Special cause: improving");
        assertThat((long) marked.getItemCount(0))
                .isEqualTo(xmr.points().stream().filter(p -> p.variation() == Xmr.Variation.CONCERNING).count());
        assertThat((long) marked.getItemCount(1))
                .isEqualTo(xmr.points().stream().filter(p -> p.variation() == Xmr.Variation.IMPROVING).count());
        assertThat(plot.getDataset(1).getItemCount(0)).isEqualTo(xmr.points().size());
        assertThat(plot.getDataset(2).getYValue(0, 0)).isEqualTo(xmr.current().mean());
        assertThat(plot.getDataset(2).getYValue(1, 0)).isEqualTo(xmr.current().upperLimit());
        assertThat(plot.getDataset(2).getYValue(3, 0)).isEqualTo(xmr.current().upperTwoSigma());
        String text = svg(get("/api/charts/indicators/agency_rate/spc.svg?level=team&scope=T1", 200).getResponseBody())
                .getDocumentElement().getTextContent();
        assertThat(text).contains("Special cause", "Mean", "Process limits", "Two sigma", "Target 10%", xmr.verdict());
        // no glyph a font may lack: the markers are drawn shapes, named in words
        assertThat(text).doesNotContain("◆", "()");
    }

    // ------------------------------------------------------------------ threads and cache

    @Test
    void chartsAreBuiltOffTheEventLoop() {
        List<String> threads = new ArrayList<>();
        StepVerifier.create(charts.composition("authority", null).doOnNext(c -> threads.add(Thread.currentThread().getName())))
                .expectNextCount(1).verifyComplete();
        assertThat(threads).singleElement().asString().startsWith("boundedElastic-");
    }

    @Test
    void aSecondRequestIsServedFromTheCacheUntilAnImportChangesTheData() {
        String uri = "/api/charts/composition.png?width=700&height=400";
        // the refresh that follows the fixture's imports empties the cache whenever it finishes: look at two
        // requests that no emptying came between
        List<EntityExchangeResult<byte[]>> pair = new ArrayList<>();
        long[] renders = new long[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            long generation = cache.generation();
            pair.clear();
            pair.add(get(uri, 200));
            renders[0] = cache.renders();
            pair.add(get(uri, 200));
            return cache.generation() == generation;
        });
        EntityExchangeResult<byte[]> first = pair.get(0);
        EntityExchangeResult<byte[]> second = pair.get(1);
        assertThat(cache.renders()).isEqualTo(renders[0]);
        assertThat(second.getResponseHeaders().getFirst("Server-Timing")).isEqualTo("cache;desc=hit");
        assertThat(second.getResponseHeaders().getETag()).isEqualTo(first.getResponseHeaders().getETag());
        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(first.getResponseHeaders().getCacheControl()).isEqualTo("no-cache");
        // a client holding the chart revalidates: not modified
        web.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, first.getResponseHeaders().getETag()).exchange()
                .expectStatus().isNotModified();
        // another size is another chart
        long before = cache.renders();
        assertThat(get("/api/charts/composition.png?width=701&height=400", 200).getResponseHeaders().getFirst("Server-Timing"))
                .startsWith("cache;desc=miss");
        assertThat(cache.renders()).isEqualTo(before + 1);

        // an import: three more agency workers today, so the picture changes
        load("staff", STAFF + "N1,T1,social_worker,agency,1,2026-01-01,,,Y,2015-07-01,Hays,45\n"
                + "N2,T1,social_worker,agency,1,2026-01-01,,,Y,2015-07-01,Hays,45\n"
                + "N3,T1,social_worker,agency,1,2026-01-01,,,Y,2015-07-01,Hays,45\n");
        EntityExchangeResult<byte[]> after = get(uri, 200);
        assertThat(after.getResponseHeaders().getFirst("Server-Timing")).startsWith("cache;desc=miss");
        assertThat(after.getResponseHeaders().getETag()).isNotEqualTo(first.getResponseHeaders().getETag());
        assertThat(after.getResponseBody()).isNotEqualTo(first.getResponseBody());
    }

    @Test
    void aThresholdChangeEmptiesTheCache() {
        String uri = "/api/charts/indicators/agency_rate/teams.svg";
        String before = get(uri, 200).getResponseHeaders().getETag();
        web.put().uri("/api/thresholds/agency_rate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 60, "red", 70, "changed_by", "test", "reason", "chart test")).exchange()
                .expectStatus().is2xxSuccessful();
        EntityExchangeResult<byte[]> after = get(uri, 200);
        assertThat(after.getResponseHeaders().getFirst("Server-Timing")).startsWith("cache;desc=miss");
        assertThat(after.getResponseHeaders().getETag()).isNotEqualTo(before);
        assertThat(new String(after.getResponseBody(), StandardCharsets.UTF_8)).contains("Amber threshold 60%");
    }
}
