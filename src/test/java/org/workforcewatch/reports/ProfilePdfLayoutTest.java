package org.workforcewatch.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;

/** How the board pack is laid out over its pages: headings stay with what they head, axis titles fit their charts. */
class ProfilePdfLayoutTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private ReportController reports;

    @Test
    void everyServiceHeadingIsOnThePageOfItsTableDirectlyAboveItsColumnHeadings() throws Exception {
        DemoData.load(context);
        List<?> services = (List<?>) web.get().uri("/api/authority").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody().get("services");
        YearMonth month = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1);
        // the published years in force at the month's end, as the benchmarks answer them for the authority's figures
        Map<?, ?> benchmarks = web.get().uri("/api/benchmarks?as_of=" + month.atEndOfMonth()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        String years = ((List<?>) benchmarks.get("benchmarks")).stream().map(b -> (Map<?, ?>) b)
                .filter(b -> b.get("value") != null && b.get("year") != null).map(b -> ((Number) b.get("year")).intValue())
                .distinct().sorted().map(String::valueOf).collect(Collectors.joining("/"));
        assertThat(years).as("the demo's published benchmarks").isNotEmpty();
        byte[] pdf = web.get().uri("/api/reports/workforce-profile?month=" + month).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        int headings = 0;
        boolean inTeams = false;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            assertThat(stripper.getText(document).replaceAll("\\s+", " ")).contains("Region " + years + " Neighbours " + years);
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                List<String> lines = stripper.getText(document).lines().map(String::strip).toList();
                List<String> names = services.stream().map(s -> (String) ((Map<?, ?>) s).get("service")).toList();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    inTeams = line.equals("Teams by service") || inTeams && !line.equals("Key charts");
                    boolean heading = inTeams && names.stream().anyMatch(s -> line.equals(s) || line.equals(s + " (continued)"));
                    if (heading && i + 1 < lines.size() && lines.get(i + 1).startsWith("Indicator Service")) {
                        headings++;
                    }
                    // a heading is never the last thing on a page, its table on the next
                    if (heading && (i + 1 == lines.size() || lines.get(i + 1).startsWith("Workforce profile,"))) {
                        throw new AssertionError("the heading " + line + " ends page " + page);
                    }
                }
            }
        }
        assertThat(headings).isGreaterThanOrEqualTo(services.size());
    }

    /**
     * The pack's own charts, drawn at its size: a value axis title runs along the plot's height (a horizontal bar
     * chart's along its width), and one longer than the plot is cut off and runs into the chart's title.
     */
    @Test
    void everyValueAxisTitleOfThePacksChartsFitsAlongItsPlot() {
        DemoData.load(context);
        List<ProfilePdf.Figure> figures = reports.figures(YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1))
                .block(Duration.ofMinutes(2));
        assertThat(figures).as("the pack's charts, each drawn").isNotEmpty().allSatisfy(f ->
                assertThat(f.chart()).as(f.caption() + ": " + f.missing()).isNotNull());
        for (ProfilePdf.Figure f : figures) {
            Plot plot = f.chart().getPlot();
            ValueAxis axis = plot instanceof XYPlot xy ? xy.getRangeAxis() : ((CategoryPlot) plot).getRangeAxis();
            boolean horizontal = plot instanceof XYPlot xy ? xy.getOrientation() == PlotOrientation.HORIZONTAL
                    : ((CategoryPlot) plot).getOrientation() == PlotOrientation.HORIZONTAL;
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage image = new BufferedImage((int) ProfilePdf.CHART_WIDTH, (int) ProfilePdf.CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                f.chart().draw(g, new Rectangle2D.Double(0, 0, ProfilePdf.CHART_WIDTH, ProfilePdf.CHART_HEIGHT), info);
                Rectangle2D area = info.getPlotInfo().getDataArea();
                double along = g.getFontMetrics(axis.getLabelFont()).stringWidth(axis.getLabel());
                assertThat(along).as("%s: '%s' along a plot %.0f × %.0f", f.caption(), axis.getLabel(), area.getWidth(), area.getHeight())
                        .isLessThanOrEqualTo(horizontal ? area.getWidth() : area.getHeight());
            } finally {
                g.dispose();
            }
        }
    }
}
