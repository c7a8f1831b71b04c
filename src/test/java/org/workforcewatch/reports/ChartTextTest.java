package org.workforcewatch.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/** A chart's alternative text says what it draws: title, notes, each series' range and latest value, marked lines. */
class ChartTextTest {

    @Test
    void aTrendNamesItsSeriesFirstLatestLowestHighestMonthsAndThresholds() {
        XYSeries caseload = new XYSeries("Caseload per FTE");
        caseload.add(millis(2024, 1), 17.25);
        caseload.add(millis(2024, 2), 21.0);
        caseload.add(millis(2024, 3), 15.5);
        caseload.add(millis(2024, 4), 19.0);
        XYSeries target = new XYSeries("Target");
        target.add(millis(2024, 1), 16);
        target.add(millis(2024, 4), 16);
        XYSeriesCollection data = new XYSeriesCollection(caseload);
        data.addSeries(target);
        XYPlot plot = new XYPlot(data, new DateAxis(), new NumberAxis(), new XYLineAndShapeRenderer());
        ValueMarker red = new ValueMarker(22);
        red.setLabel("Red from 22");
        plot.addRangeMarker(red);
        JFreeChart chart = new JFreeChart("Caseload per FTE — Authority", plot);
        chart.addSubtitle(new TextTitle("Month ends Jan 2024 to Apr 2024"));

        assertThat(ChartText.describe(chart)).isEqualTo("Caseload per FTE — Authority. Month ends Jan 2024 to Apr 2024."
                + " Caseload per FTE: 4 points from Jan 2024 to Apr 2024; first 17.2, latest 19, lowest 15.5, highest 21."
                + " Target: 16 throughout from Jan 2024 to Apr 2024. Line: Red from 22 (22).");
    }

    @Test
    void barsByCategoryAreNamedOneByOne() {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        bars.addValue(24.5, "Caseload per FTE", "T1");
        bars.addValue(12, "Caseload per FTE", "T2");
        JFreeChart chart = new JFreeChart("By team", new CategoryPlot(bars, new CategoryAxis(), new NumberAxis(), new BarRenderer()));
        chart.removeLegend();

        assertThat(ChartText.describe(chart)).isEqualTo("By team. Caseload per FTE: T1 24.5, T2 12.");
    }

    private static double millis(int year, int month) {
        return LocalDate.of(year, month, 1).plusMonths(1).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
