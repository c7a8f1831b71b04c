package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.workforcewatch.CsvTable;

/** The figures read back from a chart, without the application: rows, columns, gaps, bands and the words for an SVG. */
class ChartTableTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    private static JFreeChart trend() {
        XYSeries values = new XYSeries("Caseload per FTE", false, true);
        values.add(Charts.millis(LocalDate.of(2026, 10, 31)), 17.25);
        values.add(Charts.millis(LocalDate.of(2026, 11, 30)), null);
        values.add(Charts.millis(TODAY), 19.0);
        XYSeries england = new XYSeries("England", false, true);
        england.add(Charts.millis(LocalDate.of(2026, 10, 31)), 16.2);
        england.add(Charts.millis(TODAY), 16.2);
        XYPlot plot = new XYPlot(new XYSeriesCollection(values), ChartTheme.dateAxis(null), new NumberAxis("Children per FTE"),
                new XYLineAndShapeRenderer());
        plot.setDataset(1, new XYSeriesCollection(england));
        plot.setRenderer(1, new XYLineAndShapeRenderer());
        plot.addRangeMarker(ChartTheme.lineMarker(18, ChartTheme.RED, ChartTheme.DASHED, "Red from 18 <high>", false), Layer.FOREGROUND);
        return ChartTheme.chart("Caseload per FTE — Team T1 & friends", List.of("Latest: 19, Red."), plot, true);
    }

    @Test
    void aRowPerDateAColumnPerSeriesAndAPointWithoutAValueLeftEmpty() {
        List<Map<String, String>> rows = CsvTable.rows(ChartTable.of(trend()).csv(TODAY));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(Map.entry("as_of", "2026-12-06"), Map.entry("Date", "2026-10-31"),
                Map.entry("Caseload per FTE", "17.25"), Map.entry("England", "16.2"));
        assertThat(rows.get(1)).containsEntry("Date", "2026-12-06").containsEntry("Caseload per FTE", "19");
    }

    @Test
    void theSvgStartsWithTheTitleAndADescriptionOfTheValuesAsText() {
        String svg = ChartTable.titled("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><g/></svg>", trend());
        assertThat(svg).startsWith("<svg role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><title>Caseload per FTE — Team T1 &amp; friends</title><desc>");
        assertThat(svg).contains("Latest: 19, Red. Lines: Red from 18 &lt;high&gt;. Caseload per FTE by date: 2026-10-31 17.25, 2026-12-06 19. "
                + "England by date: 2026-10-31 16.2, 2026-12-06 16.2.</desc><g/></svg>");
    }

    @Test
    void aFanIsItsMedianAndPercentilesAndAHistogramsBarsAreItsBands() {
        YIntervalSeries fan = new YIntervalSeries("Baseline", false, true);
        fan.add(Charts.millis(LocalDate.of(2027, 1, 31)), 12, 10, 15);
        YIntervalSeriesCollection fans = new YIntervalSeriesCollection();
        fans.addSeries(fan);
        JFreeChart forecast = new JFreeChart(new XYPlot(fans, ChartTheme.dateAxis(null), new NumberAxis("FTE"), new DeviationRenderer()));
        assertThat(CsvTable.rows(ChartTable.of(forecast).csv(TODAY)).get(0)).containsEntry("Baseline p50", "12")
                .containsEntry("Baseline p10", "10").containsEntry("Baseline p90", "15");

        DefaultTableXYDataset bins = new DefaultTableXYDataset();
        XYSeries workers = new XYSeries("Workers", true, false);
        workers.add(0.5, 1);
        workers.add(1.5, 0);
        workers.add(2.5, 3);
        bins.addSeries(workers);
        JFreeChart histogram = new JFreeChart(new XYPlot(bins, new NumberAxis("Children per FTE"), new NumberAxis("Count"),
                new XYLineAndShapeRenderer()));
        assertThat(CsvTable.rows(ChartTable.of(histogram).csv(TODAY))).extracting(r -> r.get("Children per FTE") + "=" + r.get("Workers"))
                .containsExactly("0 to 1=1", "1 to 2=0", "2 to 3=3");
    }
}
