package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.w3c.dom.Element;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.Indicator;

/**
 * Every chart of the demo authority (20 teams in 5 services, five years of history), in both formats.
 * The PNGs are written to target/charts/ for a person to look at.
 */
class DemoChartsTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private Charts charts;

    record Indicators(List<Map<String, Object>> indicators) {
    }

    private EntityExchangeResult<byte[]> get(String uri) {
        EntityExchangeResult<byte[]> r = web.get().uri(uri).exchange().expectBody(byte[].class).returnResult();
        assertThat(r.getStatus().value()).as("GET " + uri + " answered "
                + (r.getStatus().value() == 200 ? "" : new String(r.getResponseBody(), StandardCharsets.UTF_8))).isEqualTo(200);
        return r;
    }

    @Test
    void everyChartOfTheDemoRendersInBothFormatsAndTheTeamsBarsFollowTheApisSeverities() throws Exception {
        DemoData.load(context);
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put("trend-agency-authority", "/api/charts/indicators/agency_rate/trend");
        charts.put("trend-caseload-T05", "/api/charts/indicators/caseload_per_fte/trend?level=team&scope=T05");
        charts.put("trend-turnover-service", "/api/charts/indicators/turnover_rate/trend?level=service&scope=Safeguarding");
        charts.put("teams-caseload", "/api/charts/indicators/caseload_per_fte/teams");
        charts.put("teams-agency-children-in-care", "/api/charts/indicators/agency_rate/teams?service=Children in Care");
        charts.put("spc-agency-authority", "/api/charts/indicators/agency_rate/spc");
        charts.put("spc-supervision-T05", "/api/charts/indicators/supervision_overdue/spc?level=team&scope=T05");
        charts.put("spc-vacancy-authority", "/api/charts/indicators/vacancy_rate/spc");
        charts.put("composition-authority", "/api/charts/composition");
        charts.put("starters-leavers-authority", "/api/charts/starters-leavers");
        charts.put("caseloads-T05", "/api/charts/teams/T05/caseloads");
        charts.put("pa-caseloads-authority", "/api/charts/pa-caseloads");
        charts.put("allocation-waits-front-door", "/api/charts/allocation-waits?level=service&scope=Front Door");
        Path out = Path.of("target", "charts");
        Files.createDirectories(out);
        for (Map.Entry<String, String> c : charts.entrySet()) {
            String[] uri = c.getValue().split("\\?", 2);
            String query = uri.length > 1 ? "?" + uri[1] + "&" : "?";
            byte[] png = get(uri[0] + ".png" + query + "width=900&height=450").getResponseBody();
            Files.write(out.resolve(c.getKey() + ".png"), png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).as(c.getKey()).isEqualTo(900);
            assertThat(image.getHeight()).as(c.getKey()).isEqualTo(450);
            byte[] svg = get(uri[0] + ".svg" + query + "width=1200&height=600").getResponseBody();
            Files.write(out.resolve(c.getKey() + ".svg"), svg);
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg)).getDocumentElement();
            assertThat(root.getAttribute("width")).as(c.getKey()).isIn("1200", "1200.0");
        }

        // the teams chart against the API: every team with a caseload today, each bar in its severity's colour
        Indicators api = web.get().uri("/api/indicators?level=team").exchange().expectStatus().isOk()
                .expectBody(Indicators.class).returnResult().getResponseBody();
        Map<String, String> severities = new LinkedHashMap<>();
        api.indicators().stream().filter(i -> i.get("indicator").equals("caseload_per_fte") && i.get("value") != null)
                .forEach(i -> severities.put((String) i.get("scope"), (String) i.get("severity")));
        assertThat(severities).hasSizeGreaterThan(10).containsValue("red");
        CategoryPlot plot = this.charts.teams(Indicator.CASELOAD_PER_FTE, null, null).block().getCategoryPlot();
        CategoryDataset bars = plot.getDataset(0);
        assertThat(bars.getColumnKeys()).containsExactlyInAnyOrderElementsOf(severities.keySet());
        List<String> checked = new ArrayList<>();
        for (int column = 0; column < bars.getColumnCount(); column++) {
            String team = (String) bars.getColumnKey(column);
            assertThat(plot.getRenderer().getItemPaint(0, column)).as(team).isEqualTo(Charts.severityColour(severities.get(team)));
            checked.add(team);
        }
        String svg = new String(get("/api/charts/indicators/caseload_per_fte/teams.svg").getResponseBody(), StandardCharsets.UTF_8);
        for (String team : checked) {
            assertThat(svg).contains(">" + team + "<");
        }
    }
}
