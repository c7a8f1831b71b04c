package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.w3c.dom.Element;
import org.workforcewatch.ApiTest;
import org.workforcewatch.CsvTable;
import org.workforcewatch.indicators.IndicatorEngine;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chart's figures as CSV beside its picture, the SVG's title and description, and pictures drawn for a screen's
 * pixel ratio, on a small authority: T1 with one permanent and one agency social worker (agency rate 50%, red), T2
 * with two permanent ones (0%), and published agency rates for England and a region whose name a spreadsheet would
 * run as a formula.
 */
@org.springframework.test.context.TestPropertySource(properties = "workforce.history.from.all=2024-01-01")
class ChartFiguresTest extends ApiTest {

    private static final String REGION = "=SUM(1,2) \"East\"";

    @Autowired
    private IndicatorEngine engine;

    @Autowired
    private Clock clock;

    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void authority() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Safeguarding East,Safeguarding,safeguarding
                """).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                A1,T1,social_worker,permanent,1,2023-06-01,,,Y,2015-07-01,,
                A2,T1,social_worker,agency,1,2024-03-01,,,Y,2015-07-01,Hays,45
                B1,T2,social_worker,permanent,1,2023-01-01,,,Y,2015-07-01,,
                B2,T2,social_worker,permanent,1,2023-01-01,2024-06-30,resigned,Y,2015-07-01,,
                B3,T2,social_worker,permanent,1,2024-07-01,,,Y,2015-07-01,,
                """).expectStatus().isCreated();
        upload("benchmarks", """
                year,area_code,area_name,geographic_level,measure,value
                2023,E92000001,England,national,agency_rate,17.9
                2024,E92000001,England,national,agency_rate,17.6
                2024,E12000006,"%s",regional,agency_rate,14.0
                """.formatted(REGION.replace("\"", "\"\""))).expectStatus().isCreated();
        engine.invalidate().block();
    }

    private EntityExchangeResult<byte[]> get(String uri, int status) {
        EntityExchangeResult<byte[]> r = web.get().uri(uri).exchange().expectBody(byte[].class).returnResult();
        assertThat(r.getStatus().value()).as("GET " + uri + " answered " + (r.getResponseBody() == null ? ""
                : new String(r.getResponseBody(), StandardCharsets.UTF_8))).isEqualTo(status);
        return r;
    }

    private String text(String uri) {
        return new String(get(uri, 200).getResponseBody(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> points(String uri) {
        return (List<Map<String, Object>>) json.readValue(text(uri), Map.class).get("points");
    }

    @Test
    void aTrendsFiguresAreTheIndicatorsSeriesRowForRowWithTheDayTheyAreAsOf() {
        EntityExchangeResult<byte[]> r = get("/api/charts/indicators/agency_rate/trend.csv?level=team&scope=T1", 200);
        assertThat(r.getResponseHeaders().getContentType().isCompatibleWith(MediaType.parseMediaType("text/csv"))).isTrue();
        assertThat(r.getResponseHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION)).contains("attachment", ".csv");
        List<Map<String, String>> rows = CsvTable.rows(new String(r.getResponseBody(), StandardCharsets.UTF_8));
        List<Map<String, Object>> series = points("/api/indicators/agency_rate/series?level=team&scope=T1");
        List<Map<String, Object>> valued = series.stream().filter(p -> p.get("value") != null).toList();
        assertThat(valued).hasSizeGreaterThan(12);
        LocalDate today = LocalDate.now(clock);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("as_of")).isEqualTo(today.toString()));
        for (Map<String, Object> p : valued) {
            Map<String, String> row = rows.stream().filter(x -> x.get("Date").equals(p.get("as_of"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + p.get("as_of") + " in " + rows));
            assertThat(Double.parseDouble(row.get("Agency rate"))).as(p.get("as_of").toString())
                    .isEqualTo(((Number) p.get("value")).doubleValue());
        }
        // the chart's last point is today's 50%, and England's published figure is a column of its own
        assertThat(rows.get(rows.size() - 1)).containsEntry("Date", today.toString()).containsEntry("Agency rate", "50");
        assertThat(rows).anyMatch(row -> "17.6".equals(row.get("England")));
    }

    @Test
    void aPastMonthsFiguresSayTheDayTheyAreAsOfAndEndThere() {
        LocalDate monthEnd = LocalDate.now(clock).withDayOfMonth(1).minusDays(1);
        List<Map<String, String>> rows = CsvTable.rows(text("/api/charts/indicators/agency_rate/trend.csv?as_of=" + monthEnd));
        assertThat(rows).allSatisfy(row -> assertThat(row.get("as_of")).isEqualTo(monthEnd.toString()));
        assertThat(rows.get(rows.size() - 1).get("Date")).isEqualTo(monthEnd.toString());
    }

    @Test
    void textFromTheDataIsQuotedAndASpreadsheetFormulaIsNeutralised() {
        String csv = text("/api/charts/indicators/agency_rate/trend.csv");
        String header = csv.substring(0, csv.indexOf("\r\n"));
        // RFC 4180: a field with a comma or a quote is quoted, its quotes doubled; and a leading = gets an apostrophe
        assertThat(header).contains("\"'=SUM(1,2) \"\"East\"\" (region)\"");
        assertThat(CsvTable.rows(csv).get(0)).containsKey("'" + REGION + " (region)");
    }

    @Test
    void teamsFiguresNameEachTeamsSeverityInWords() {
        List<Map<String, String>> rows = CsvTable.rows(text("/api/charts/indicators/agency_rate/teams.csv"));
        assertThat(rows).extracting(row -> row.get("Team")).containsExactly("T1", "T2");
        assertThat(rows.get(0)).containsEntry("Agency rate", "50").containsEntry("Severity", "Red");
        assertThat(rows.get(1)).containsEntry("Agency rate", "0").containsEntry("Severity", "Green");
    }

    @Test
    void anSvgCarriesItsTitleAndADescriptionWithTheValues() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element svg = f.newDocumentBuilder().parse(new ByteArrayInputStream(
                get("/api/charts/indicators/agency_rate/teams.svg?width=600&height=400", 200).getResponseBody())).getDocumentElement();
        assertThat(svg.getAttribute("role")).isEqualTo("img");
        Element title = (Element) svg.getElementsByTagNameNS("*", "title").item(0);
        Element desc = (Element) svg.getElementsByTagNameNS("*", "desc").item(0);
        assertThat(title.getParentNode()).isEqualTo(svg);
        assertThat(title.getTextContent()).isEqualTo("Agency rate by team — Authority");
        assertThat(desc.getTextContent()).contains("Agency rate by team: T1 50, T2 0", "Severity by team: T1 Red, T2 Green",
                "Red threshold 25%");

        String trend = new String(get("/api/charts/indicators/agency_rate/trend.svg?level=team&scope=T1", 200).getResponseBody(),
                StandardCharsets.UTF_8);
        String described = trend.substring(trend.indexOf("<desc>"), trend.indexOf("</desc>"));
        assertThat(described).contains("Agency rate by date: ", LocalDate.now(clock) + " 50.");
        // the region's name is text in the document, never markup
        assertThat(trend).contains("=SUM(1,2) &quot;East&quot; (region)");
    }

    @Test
    void aPngIsDrawnAtTheRequestedSizeTimesTheScreensPixelRatio() throws Exception {
        for (String[] c : new String[][]{{"1", "400", "300"}, {"2", "800", "600"}, {"1.5", "600", "450"}, {"2.625", "1050", "788"}}) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    get("/api/charts/composition.png?width=400&height=300&dpr=" + c[0], 200).getResponseBody()));
            assertThat(image.getWidth()).as("dpr " + c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(image.getHeight()).as("dpr " + c[0]).isEqualTo(Integer.parseInt(c[2]));
        }
        // the same chart laid out at the same size: the picture at 2 is the one at 1, twice as fine
        BufferedImage one = ImageIO.read(new ByteArrayInputStream(get("/api/charts/composition.png?width=400&height=300", 200).getResponseBody()));
        BufferedImage two = ImageIO.read(new ByteArrayInputStream(get("/api/charts/composition.png?width=400&height=300&dpr=2", 200)
                .getResponseBody()));
        assertThat(differingPixels(one, two)).as("pixels that differ from the picture drawn at 1").isLessThan(400 * 300 / 10);

        for (String q : List.of("dpr=0.5", "dpr=4.5", "dpr=two", "dpr=NaN", "width=2400&dpr=2.5", "height=1600&dpr=2.5")) {
            EntityExchangeResult<byte[]> r = get("/api/charts/composition.png?" + q, 400);
            assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(new String(r.getResponseBody(), StandardCharsets.UTF_8)).as(q).contains("dpr");
        }
    }

    /** Pixels of a picture that differ clearly from the same place in one drawn at twice its size. */
    private static int differingPixels(BufferedImage one, BufferedImage two) {
        int differ = 0;
        for (int y = 0; y < one.getHeight(); y++) {
            for (int x = 0; x < one.getWidth(); x++) {
                int a = one.getRGB(x, y);
                int b = two.getRGB(2 * x, 2 * y);
                int d = Math.abs((a >> 16 & 0xFF) - (b >> 16 & 0xFF)) + Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF)) + Math.abs((a & 0xFF) - (b & 0xFF));
                differ += d > 120 ? 1 : 0;
            }
        }
        return differ;
    }

    @Test
    void aTeamsCaseloadFiguresAreForThoseWhoMaySeeItsPeopleAndAreAudited() {
        as("viewer").get().uri("/api/charts/teams/T1/caseloads.csv").exchange().expectStatus().isForbidden();
        List<Map<String, String>> rows = CsvTable.rows(text("/api/charts/teams/T1/caseloads.csv"));
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0)).containsKeys("as_of", "Within their limit", "Over their limit");
        List<String> audited = db.sql("SELECT path FROM audit_log WHERE path LIKE '%caseloads.csv'").map(row -> row.get("path", String.class))
                .all().collectList().block();
        assertThat(audited).contains("/api/charts/teams/T1/caseloads.csv");
    }

    @Test
    void theBoardPackOffersTheCompleteMonthsTheHistoryHolds() {
        Map<?, ?> body = json.readValue(text("/api/reports/workforce-profile/months"), Map.class);
        LocalDate lastMonthEnd = LocalDate.now(clock).withDayOfMonth(1).minusDays(1);
        @SuppressWarnings("unchecked")
        List<String> months = (List<String>) body.get("months");
        assertThat(months.get(0)).isEqualTo(lastMonthEnd.toString().substring(0, 7));
        assertThat(months).contains("2024-01").doesNotContain("2023-12");
        assertThat(body.get("tables")).isEqualTo(List.of("summary", "teams", "risks"));
        // every month offered makes a pack
        get("/api/reports/workforce-profile.csv?table=summary&month=" + months.get(months.size() - 1), 200);
    }
}
