package org.workforcewatch.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.workforcewatch.indicators.Indicator;

/**
 * The look of every chart: white background, DejaVu Sans, anti-aliased, and the Okabe–Ito palette, whose
 * eight colours stay distinct for the common forms of colour blindness. Red, amber and ok are never told
 * by colour alone: bars carry the letter R, A or G, bands carry their threshold in words, and the legend
 * names them.
 */
final class ChartTheme {

    private ChartTheme() {
    }

    static {
        // JFreeChart draws rotated text (the value axis label) as a TextLayout by default, which an SVG
        // receives as outlines, not text; plain drawString under a rotation is text in both formats
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    static final String FONT = "DejaVu Sans";

    // Okabe, M. and Ito, K. (2008), "Color Universal Design".
    static final Color BLACK = new Color(0x000000);
    static final Color ORANGE = new Color(0xE69F00);
    static final Color SKY_BLUE = new Color(0x56B4E9);
    static final Color BLUISH_GREEN = new Color(0x009E73);
    static final Color BLUE = new Color(0x0072B2);
    static final Color VERMILLION = new Color(0xD55E00);
    static final Color REDDISH_PURPLE = new Color(0xCC79A7);
    static final Color GREY = new Color(0x6E6E6E);

    /** Severity colours: ok, amber, red. */
    static final Color OK = BLUISH_GREEN;
    static final Color AMBER = ORANGE;
    static final Color RED = VERMILLION;

    /**
     * The smallest text of any chart, in the units the chart is laid out in: a chart asked for at the width it is shown
     * at (CSS pixels, with the screen's pixel ratio as {@code dpr}) never shows text smaller than this.
     */
    static final int SMALLEST_TEXT = 11;

    static final Font TITLE_FONT = new Font(FONT, Font.BOLD, 16);
    static final Font SUBTITLE_FONT = new Font(FONT, Font.PLAIN, SMALLEST_TEXT);
    static final Font LABEL_FONT = new Font(FONT, Font.PLAIN, 12);
    static final Font TICK_FONT = new Font(FONT, Font.PLAIN, SMALLEST_TEXT);
    static final Font SMALL_FONT = new Font(FONT, Font.PLAIN, SMALLEST_TEXT);
    static final Font SMALL_BOLD_FONT = new Font(FONT, Font.BOLD, SMALLEST_TEXT);

    static final Stroke LINE = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke THIN = new BasicStroke(1.2f);
    static final Stroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);
    static final Stroke DOTTED = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[]{1f, 4f}, 0f);
    static final Stroke DASH_DOT = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{8f, 3f, 2f, 3f}, 0f);

    static final Shape LEGEND_BOX = new Rectangle2D.Double(-6, -5, 12, 10);
    static final Shape LEGEND_LINE = new Line2D.Double(-8, 0, 8, 0);

    /** A translucent fill of a colour, for bands behind the data. */
    static Color band(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 56);
    }

    /** The axis label of an indicator, with its unit. */
    static String axisLabel(Indicator indicator) {
        return IndicatorNames.axis(indicator);
    }

    /** A threshold or value as people read it: 15, 17.5, and 15% for rates. */
    static String figure(Indicator indicator, double value) {
        String n = number(value);
        return indicator.unit() == Indicator.Unit.PERCENT ? n + "%" : n;
    }

    /** "1 team", "3 teams": a count with its noun. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    static String number(double value) {
        NumberFormat f = new DecimalFormat("#,##0.#");
        return f.format(value);
    }

    /** The chart's number format for an indicator's axis. */
    static NumberFormat tickFormat(Indicator indicator) {
        return indicator.unit() == Indicator.Unit.COUNT ? new DecimalFormat("#,##0") : new DecimalFormat("#,##0.#");
    }

    static LegendItem boxItem(String label, Paint fill) {
        LegendItem item = new LegendItem(label, null, null, null, LEGEND_BOX, fill, THIN, Color.DARK_GRAY);
        item.setLabelFont(SUBTITLE_FONT);
        return item;
    }

    static LegendItem lineItem(String label, Paint paint, Stroke stroke) {
        LegendItem item = new LegendItem(label, null, null, null, false, LEGEND_LINE, false, paint, false, paint, stroke, true,
                LEGEND_LINE, stroke, paint);
        item.setLabelFont(SUBTITLE_FONT);
        return item;
    }

    /** A horizontal threshold band (amber to red, red and above) with its label inside, top left. */
    static IntervalMarker bandMarker(double from, double to, Color colour, String label) {
        IntervalMarker m = new IntervalMarker(from, to, band(colour));
        m.setOutlinePaint(null);
        m.setLabel(label);
        m.setLabelFont(SMALL_BOLD_FONT);
        m.setLabelPaint(BLACK);
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        m.setLabelOffset(new RectangleInsets(2, 4, 2, 4));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        return m;
    }

    /** A labelled line across the plot at a value (a target, a threshold, a limit). */
    static ValueMarker lineMarker(double value, Color colour, Stroke stroke, String label, boolean vertical) {
        ValueMarker m = new ValueMarker(value, colour, stroke);
        m.setLabel(label);
        m.setLabelFont(SMALL_BOLD_FONT);
        m.setLabelPaint(BLACK);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
        if (vertical) {
            // left of the line: limits sit towards the right of a distribution, where a label to the right is cut off
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        } else {
            m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        }
        m.setLabelOffset(new RectangleInsets(3, 4, 3, 4));
        return m;
    }

    /** A chart with the title, the subtitle lines and the house style. */
    static JFreeChart chart(String title, List<String> subtitles, Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, legend);
        chart.getTitle().setPaint(BLACK);
        chart.getTitle().setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.getTitle().setPadding(new RectangleInsets(6, 8, 2, 8));
        int at = 0;
        for (String s : subtitles) {
            if (s == null || s.isBlank()) {
                continue;
            }
            TextTitle sub = new TextTitle(s, SUBTITLE_FONT);
            sub.setPaint(new Color(0x333333));
            sub.setHorizontalAlignment(HorizontalAlignment.LEFT);
            sub.setTextAlignment(HorizontalAlignment.LEFT);
            sub.setPadding(new RectangleInsets(0, 8, 2, 8));
            sub.setPosition(RectangleEdge.TOP);
            // subtitles come before the legend in the list, so they sit under the title
            chart.addSubtitle(at++, sub);
        }
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.getRenderingHints().put(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        chart.getRenderingHints().put(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        // room on the right for the last date's tick label, centred on the plot's edge
        chart.setPadding(new RectangleInsets(4, 4, 6, 24));
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle legend) {
                legend.setItemFont(SUBTITLE_FONT);
                legend.setBackgroundPaint(Color.WHITE);
                legend.setFrame(BlockBorder.NONE);
                legend.setPosition(RectangleEdge.BOTTOM);
                legend.setHorizontalAlignment(HorizontalAlignment.CENTER);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(new Color(0xBBBBBB));
        plot.setNoDataMessageFont(LABEL_FONT);
        plot.setNoDataMessagePaint(new Color(0x333333));
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(new Color(0xE0E0E0));
            xy.setRangeGridlinePaint(new Color(0xD0D0D0));
            xy.setDomainGridlineStroke(new BasicStroke(0.8f));
            xy.setRangeGridlineStroke(new BasicStroke(0.8f));
            xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
            for (int i = 0; i < xy.getDomainAxisCount(); i++) {
                axis(xy.getDomainAxis(i));
            }
            for (int i = 0; i < xy.getRangeAxisCount(); i++) {
                axis(xy.getRangeAxis(i));
            }
        } else if (plot instanceof CategoryPlot c) {
            c.setRangeGridlinePaint(new Color(0xD0D0D0));
            c.setRangeGridlineStroke(new BasicStroke(0.8f));
            c.setAxisOffset(RectangleInsets.ZERO_INSETS);
            for (int i = 0; i < c.getDomainAxisCount(); i++) {
                axis(c.getDomainAxis(i));
            }
            for (int i = 0; i < c.getRangeAxisCount(); i++) {
                axis(c.getRangeAxis(i));
            }
        }
    }

    private static void axis(Axis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(LABEL_FONT);
        axis.setLabelPaint(BLACK);
        axis.setTickLabelFont(TICK_FONT);
        axis.setTickLabelPaint(new Color(0x222222));
        axis.setAxisLinePaint(new Color(0x888888));
        axis.setTickMarkPaint(new Color(0x888888));
    }

    /** A value axis that starts at 0 and ends a little above the highest of these values. */
    static NumberAxis valueAxis(String label, double highest, NumberFormat format, boolean integers) {
        NumberAxis axis = new NumberAxis(label);
        if (integers) {
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.UK));
        }
        axis.setNumberFormatOverride(format);
        double upper = highest <= 0 ? 1 : highest * 1.12;
        axis.setRange(0, upper);
        return axis;
    }

    /** Month-end dates on a UTC time line (dates are plotted at midnight UTC, so no day shifts). */
    static DateAxis dateAxis(String label) {
        DateAxis axis = new DateAxis(label, java.util.TimeZone.getTimeZone("UTC"), Locale.UK);
        axis.setLowerMargin(0.01);
        axis.setUpperMargin(0.01);
        return axis;
    }

    static CategoryAxis categoryAxis(String label) {
        CategoryAxis axis = new CategoryAxis(label);
        axis.setLowerMargin(0.01);
        axis.setUpperMargin(0.01);
        axis.setCategoryMargin(0.2);
        return axis;
    }
}
