package org.workforcewatch.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.title.TextTitle;
import org.junit.jupiter.api.Test;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.spc.Spc;
import org.workforcewatch.spc.SpcSettings;
import org.workforcewatch.spc.Xmr;

/**
 * A value axis title runs along the plot's height: on the board pack's charts (900 × 320) a title longer than the plot
 * is cut off and runs into the chart's title. The pack's XmR chart has the shortest plot of its charts (a title, four
 * lines of notes and a legend), so every value axis title is measured on it, with its real notes; the pack's own
 * figures are measured as drawn in ProfilePdfLayoutTest.
 */
class AxisTitlesFitTest {

    /** The size the board pack draws a chart at. */
    private static final int PACK_WIDTH = 900;
    private static final int PACK_HEIGHT = 320;

    @Test
    void everyValueAxisTitleFitsAlongThePlotOfTheXmrChartWithItsRealNotes() {
        SoftAssertions soft = new SoftAssertions();
        for (Indicator indicator : Indicator.values()) {
            JFreeChart chart = Charts.spcChart(indicator, "Authority", rebasedXmr(indicator));
            assertThat(notes(chart)).as("the XmR chart's lines of notes").hasSizeGreaterThanOrEqualTo(4);
            assertFits(soft, chart);
            for (String title : List.of(Charts.COMPOSITION_AXIS, Charts.MOVES_AXIS)) {
                chart.getXYPlot().getRangeAxis().setLabel(title);
                assertFits(soft, chart);
            }
        }
        soft.assertAll();
    }

    @Test
    void theOldTitlesDidNotFitSoTheCheckCanFail() {
        JFreeChart chart = Charts.spcChart(Indicator.VACANCY_RATE, "Authority", rebasedXmr(Indicator.VACANCY_RATE));
        chart.getXYPlot().getRangeAxis().setLabel("Spells starting or ending per month (count)");
        Measure m = measure(chart);
        assertThat(m.along()).isGreaterThan(m.plot());
    }

    private static void assertFits(SoftAssertions soft, JFreeChart chart) {
        Measure m = measure(chart);
        soft.assertThat(m.along()).as("'%s' along a plot %.0f high", m.title(), m.plot()).isLessThanOrEqualTo(m.plot());
    }

    /** A value axis title's length and the height of the plot it runs along, drawn at the pack's size. */
    record Measure(String title, double along, double plot) { }

    private static Measure measure(JFreeChart chart) {
        ValueAxis axis = chart.getXYPlot().getRangeAxis();
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = new BufferedImage(PACK_WIDTH, PACK_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, PACK_WIDTH, PACK_HEIGHT), info);
            return new Measure(axis.getLabel(), g.getFontMetrics(axis.getLabelFont()).stringWidth(axis.getLabel()),
                    info.getPlotInfo().getDataArea().getHeight());
        } finally {
            g.dispose();
        }
    }

    private static List<String> notes(JFreeChart chart) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof TextTitle t) {
                notes.add(t.getText());
            }
        }
        return notes;
    }

    /**
     * The pack's span of complete months, rebased half way and with a special cause at the end: the longest notes the
     * chart writes (a baseline from its rebase, the latest month's rule).
     */
    private static Xmr rebasedXmr(Indicator indicator) {
        // rates are ratios (0 to 1), like the figures the indicators give
        double scale = indicator.unit() == Indicator.Unit.PERCENT ? 0.01 : 1;
        List<LocalDate> months = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < Spc.MONTHS; i++) {
            LocalDate first = LocalDate.of(2024, 1, 1).plusMonths(i);
            months.add(first.withDayOfMonth(first.lengthOfMonth()));
            values.add((i < Spc.MONTHS / 2 ? 10.0 + i % 3 : 20.0 + i % 3) * scale);
        }
        values.set(Spc.MONTHS - 1, 60.0 * scale);
        return Xmr.of(months, values, 16.0 * scale, indicator.polarity(), List.of(months.get(Spc.MONTHS / 2).withDayOfMonth(1)),
                SpcSettings.DEFAULTS);
    }
}
