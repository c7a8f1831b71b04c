package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.workforcewatch.indicators.Indicator;

/**
 * A value axis title runs along the plot's height: on the board pack's charts (900 × 260, a title, two lines of
 * notes and a legend) a title longer than the plot is cut off and runs into the chart's title.
 */
class AxisTitlesFitTest {

    /** The size the board pack draws a chart at. */
    private static final int PACK_WIDTH = 900;
    private static final int PACK_HEIGHT = 260;

    @Test
    void everyValueAxisTitleOfThePacksChartsFitsAlongItsPlot() {
        List<String> titles = new ArrayList<>(List.of(Charts.COMPOSITION_AXIS, Charts.MOVES_AXIS));
        for (Indicator indicator : Indicator.values()) {
            titles.add(ChartTheme.axisLabel(indicator));
        }
        for (String title : titles) {
            JFreeChart chart = packLikeChart(title);
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage image = new BufferedImage(PACK_WIDTH, PACK_HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            chart.draw(g, new Rectangle2D.Double(0, 0, PACK_WIDTH, PACK_HEIGHT), info);
            double along = g.getFontMetrics(ChartTheme.LABEL_FONT).stringWidth(title);
            g.dispose();
            assertThat(along).as("'%s' along a plot %.0f high", title, info.getPlotInfo().getDataArea().getHeight())
                    .isLessThanOrEqualTo(info.getPlotInfo().getDataArea().getHeight());
        }
    }

    @Test
    void theOldTitlesDidNotFitSoTheCheckCanFail() {
        JFreeChart chart = packLikeChart("Spells starting or ending per month (count)");
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = new BufferedImage(PACK_WIDTH, PACK_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, PACK_WIDTH, PACK_HEIGHT), info);
        double along = g.getFontMetrics(ChartTheme.LABEL_FONT).stringWidth("Spells starting or ending per month (count)");
        g.dispose();
        assertThat(along).isGreaterThan(info.getPlotInfo().getDataArea().getHeight());
    }

    /** A monthly chart laid out as the pack's are: title, two lines of notes, a date axis and a legend. */
    private static JFreeChart packLikeChart(String axisTitle) {
        XYSeries series = new XYSeries("Value");
        LocalDate month = LocalDate.of(2024, 1, 31);
        for (int i = 0; i < 24; i++) {
            series.add(Charts.millis(month.plusMonths(i)), 10 + i % 5);
        }
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), ChartTheme.dateAxis(null),
                ChartTheme.valueAxis(axisTitle, 15, new DecimalFormat("#,##0"), false), new XYLineAndShapeRenderer());
        return ChartTheme.chart("Starters and leavers — Authority", List.of(
                "Employed children and family social workers (spells) starting and ending each month, Jan 2024 to today.",
                "Leavers as turnover_rate counts them: every ending but internal_move, in the team of the spell."), plot, true);
    }
}
