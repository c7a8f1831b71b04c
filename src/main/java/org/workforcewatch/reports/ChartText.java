package org.workforcewatch.reports;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;

/**
 * A chart in words, for the alternative text of the pack's figures: its title and notes, each series with its
 * first and latest point, lowest and highest value (or, for bars by category, every bar's value), and the lines
 * it marks, such as thresholds and benchmarks. Read from the chart itself, so the words say what it draws.
 */
final class ChartText {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.UK);
    /** Bars by category named one by one up to this many; beyond it, the series' range. */
    private static final int MAX_LISTED = 40;

    private ChartText() {
    }

    static String describe(JFreeChart chart) {
        List<String> parts = new ArrayList<>();
        if (chart.getTitle() != null && !chart.getTitle().getText().isBlank()) {
            parts.add(sentence(chart.getTitle().getText()));
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof TextTitle t && !t.getText().isBlank()) {
                parts.add(sentence(t.getText()));
            }
        }
        Plot plot = chart.getPlot();
        if (plot instanceof XYPlot xy) {
            boolean dates = xy.getDomainAxis() instanceof DateAxis;
            for (int d = 0; d < xy.getDatasetCount(); d++) {
                XYDataset data = xy.getDataset(d);
                if (data != null) {
                    for (int s = 0; s < data.getSeriesCount(); s++) {
                        series(data, s, dates).ifPresent(parts::add);
                    }
                }
            }
            markers(xy.getRangeMarkers(Layer.FOREGROUND), parts);
            markers(xy.getRangeMarkers(Layer.BACKGROUND), parts);
        } else if (plot instanceof CategoryPlot category) {
            for (int d = 0; d < category.getDatasetCount(); d++) {
                CategoryDataset data = category.getDataset(d);
                if (data != null) {
                    for (int r = 0; r < data.getRowCount(); r++) {
                        parts.add(bars(data, r));
                    }
                }
            }
            markers(category.getRangeMarkers(Layer.FOREGROUND), parts);
            markers(category.getRangeMarkers(Layer.BACKGROUND), parts);
        }
        return String.join(" ", parts);
    }

    private static Optional<String> series(XYDataset data, int s, boolean dates) {
        int n = data.getItemCount(s);
        double low = Double.NaN;
        double high = Double.NaN;
        int first = -1;
        int last = -1;
        for (int i = 0; i < n; i++) {
            double y = data.getYValue(s, i);
            if (Double.isNaN(y)) {
                continue;
            }
            if (first < 0) {
                first = i;
            }
            last = i;
            low = Double.isNaN(low) ? y : Math.min(low, y);
            high = Double.isNaN(high) ? y : Math.max(high, y);
        }
        if (first < 0) {
            return Optional.empty();
        }
        String name = String.valueOf(data.getSeriesKey(s));
        if (first == last) {
            return Optional.of(name + ": " + number(data.getYValue(s, first)) + at(data.getXValue(s, first), dates) + ".");
        }
        if (low == high) {
            return Optional.of(name + ": " + number(low) + " throughout" + range(data, s, first, last, dates) + ".");
        }
        return Optional.of(name + ": " + (n - countMissing(data, s)) + " points" + range(data, s, first, last, dates)
                + "; first " + number(data.getYValue(s, first)) + ", latest " + number(data.getYValue(s, last))
                + ", lowest " + number(low) + ", highest " + number(high) + ".");
    }

    private static int countMissing(XYDataset data, int s) {
        int missing = 0;
        for (int i = 0; i < data.getItemCount(s); i++) {
            if (Double.isNaN(data.getYValue(s, i))) {
                missing++;
            }
        }
        return missing;
    }

    private static String range(XYDataset data, int s, int first, int last, boolean dates) {
        return dates ? " from " + month(data.getXValue(s, first)) + " to " + month(data.getXValue(s, last)) : "";
    }

    private static String at(double x, boolean dates) {
        return dates ? " in " + month(x) : "";
    }

    private static String bars(CategoryDataset data, int r) {
        List<String> values = new ArrayList<>();
        double low = Double.NaN;
        double high = Double.NaN;
        for (int c = 0; c < data.getColumnCount(); c++) {
            Number v = data.getValue(r, c);
            if (v == null) {
                continue;
            }
            values.add(data.getColumnKey(c) + " " + number(v.doubleValue()));
            low = Double.isNaN(low) ? v.doubleValue() : Math.min(low, v.doubleValue());
            high = Double.isNaN(high) ? v.doubleValue() : Math.max(high, v.doubleValue());
        }
        String name = String.valueOf(data.getRowKey(r));
        if (values.isEmpty()) {
            return name + ": no values.";
        }
        return values.size() <= MAX_LISTED ? name + ": " + String.join(", ", values) + "."
                : name + ": " + values.size() + " bars from " + number(low) + " to " + number(high) + ".";
    }

    private static void markers(Collection<?> markers, List<String> parts) {
        if (markers == null) {
            return;
        }
        for (Object m : markers) {
            if (m instanceof ValueMarker v && v.getLabel() != null && !v.getLabel().isBlank()) {
                parts.add("Line: " + v.getLabel().trim() + " (" + number(v.getValue()) + ").");
            }
        }
    }

    private static String month(double millis) {
        return MONTH.format(Instant.ofEpochMilli((long) millis).atZone(ZoneOffset.UTC));
    }

    private static String number(double v) {
        return new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.UK)).format(v);
    }

    private static String sentence(String s) {
        String t = s.trim();
        return t.endsWith(".") ? t : t + ".";
    }
}
