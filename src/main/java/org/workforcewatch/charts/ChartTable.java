package org.workforcewatch.charts;

import java.text.DecimalFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.workforcewatch.csv.Csv;

/**
 * The figures a chart draws, read back from the chart itself, so the table can never disagree with the picture:
 * one row per point on the horizontal axis (a date, a month, a team, a wait or a caseload band), one column per
 * series drawn (a forecast's fan as its median and its 10th and 90th percentiles; a team's severity beside its
 * bar). Served as CSV beside the PNG and SVG, and written into the SVG's {@code <title>} and {@code <desc>} for
 * people who cannot see the picture.
 */
record ChartTable(String title, List<String> notes, List<String> lines, String xHeader, List<String> columns, List<Row> rows) {

    /** A point on the horizontal axis and the value of each column there (null where a series has none). */
    record Row(String x, List<Object> cells) {
    }

    /** A number as the description says it: a DecimalFormat is not safe to share between the drawing threads. */
    private static String spoken(double d) {
        return new DecimalFormat("#,##0.##", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.UK)).format(d);
    }

    static ChartTable of(JFreeChart chart) {
        String title = chart.getTitle() == null ? "" : chart.getTitle().getText();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof TextTitle text && text.getText() != null && !text.getText().isBlank()) {
                notes.add(text.getText());
            }
        }
        if (chart.getPlot() instanceof CategoryPlot plot) {
            return category(title, notes, plot);
        }
        if (chart.getPlot() instanceof XYPlot plot) {
            return xy(title, notes, plot);
        }
        throw new IllegalStateException("a chart of an unknown kind: " + chart.getPlot().getClass().getSimpleName());
    }

    /** Bars per category (a team): a column per series, and the team's severity where the bars are coloured by it. */
    private static ChartTable category(String title, List<String> notes, CategoryPlot plot) {
        Map<String, Map<String, Object>> byCategory = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            CategoryDataset data = plot.getDataset(d);
            if (data == null) {
                continue;
            }
            for (int r = 0; r < data.getRowCount(); r++) {
                String series = String.valueOf(data.getRowKey(r));
                columns.add(series);
                for (int c = 0; c < data.getColumnCount(); c++) {
                    Number v = data.getValue(r, c);
                    byCategory.computeIfAbsent(String.valueOf(data.getColumnKey(c)), k -> new LinkedHashMap<>())
                            .put(series, v == null ? null : v.doubleValue());
                }
            }
            if (plot.getRenderer(d) instanceof Charts.SeverityBarRenderer severities) {
                columns.add("Severity");
                for (int c = 0; c < data.getColumnCount(); c++) {
                    byCategory.get(String.valueOf(data.getColumnKey(c))).put("Severity",
                            IndicatorNames.severity(severities.severity(c)));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        byCategory.forEach((x, cells) -> rows.add(new Row(x, columns.stream().map(cells::get).toList())));
        return new ChartTable(title, notes, markers(plot.getRangeMarkers(Layer.FOREGROUND), plot.getRangeMarkers(Layer.BACKGROUND)),
                label(plot.getDomainAxis(), "Category"), columns, rows);
    }

    /** Series over dates or numbers: a row per x any series has a value at, in order. */
    private static ChartTable xy(String title, List<String> notes, XYPlot plot) {
        boolean dates = plot.getDomainAxis() instanceof DateAxis;
        boolean months = false;
        TreeMap<Double, Map<String, Object>> byX = new TreeMap<>();
        List<String> columns = new ArrayList<>();
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            XYDataset data = plot.getDataset(d);
            if (data == null) {
                continue;
            }
            boolean bars = data instanceof XYIntervalSeriesCollection;
            months |= bars && dates;
            for (int s = 0; s < data.getSeriesCount(); s++) {
                String series = String.valueOf(data.getSeriesKey(s));
                List<String> names = data instanceof YIntervalSeriesCollection
                        ? List.of(series + " p50", series + " p10", series + " p90") : List.of(series);
                columns.addAll(names);
                for (int i = 0; i < data.getItemCount(s); i++) {
                    double y = data.getYValue(s, i);
                    if (Double.isNaN(y)) {
                        continue;
                    }
                    // a bar of a month stands from the month's first day; a point stands where it is
                    double x = bars ? ((IntervalXYDataset) data).getStartXValue(s, i) : data.getXValue(s, i);
                    if (dates && x % 86_400_000L != 0) {
                        continue;
                    }
                    Map<String, Object> row = byX.computeIfAbsent(x, k -> new LinkedHashMap<>());
                    row.put(names.get(0), y);
                    if (data instanceof YIntervalSeriesCollection fan) {
                        row.put(names.get(1), fan.getStartYValue(s, i));
                        row.put(names.get(2), fan.getEndYValue(s, i));
                    }
                }
            }
        }
        boolean byMonth = months;
        List<Row> rows = new ArrayList<>();
        byX.forEach((x, cells) -> rows.add(new Row(dates ? date(x, byMonth) : number(x), columns.stream().map(cells::get).toList())));
        List<String> lines = new ArrayList<>(markers(plot.getRangeMarkers(Layer.FOREGROUND), plot.getRangeMarkers(Layer.BACKGROUND)));
        lines.addAll(markers(plot.getDomainMarkers(Layer.FOREGROUND), plot.getDomainMarkers(Layer.BACKGROUND)));
        String header = months ? "Month" : label(plot.getDomainAxis(), dates ? "Date" : "Value");
        return new ChartTable(title, notes, lines, header, columns, rows);
    }

    private static String label(Axis axis, String fallback) {
        return axis == null || axis.getLabel() == null || axis.getLabel().isBlank() ? fallback : axis.getLabel();
    }

    /** The labels of the lines and bands drawn across the plot: thresholds, targets, limits. */
    @SafeVarargs
    private static List<String> markers(Collection<Marker>... layers) {
        List<String> labels = new ArrayList<>();
        for (Collection<Marker> layer : layers) {
            if (layer != null) {
                layer.stream().map(Marker::getLabel).filter(l -> l != null && !l.isBlank()).forEach(labels::add);
            }
        }
        return labels;
    }

    private static String date(double millis, boolean month) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli((long) millis), ZoneOffset.UTC);
        return month ? YearMonth.from(day).toString() : day.toString();
    }

    /** A whole number as it is; a histogram's bin centre (n + 0.5) as its band, "n to n+1". */
    private static String number(double x) {
        if (x == Math.rint(x)) {
            return String.valueOf((long) x);
        }
        return (long) Math.floor(x) + " to " + (long) Math.ceil(x);
    }

    /** The table as CSV: the day it is as of, the horizontal axis, then a column per series; unrounded. */
    String csv(LocalDate asOf) {
        List<String> header = new ArrayList<>();
        header.add("as_of");
        header.add(xHeader);
        header.addAll(columns);
        Csv csv = new Csv(header.toArray(String[]::new));
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>();
            cells.add(asOf.toString());
            cells.add(r.x());
            cells.addAll(r.cells());
            csv.row(cells.toArray());
        }
        return csv.toString();
    }

    /** The chart in words, with its values: what a screen reader reads for the picture. */
    String description() {
        StringBuilder out = new StringBuilder();
        notes.forEach(n -> out.append(n).append(n.endsWith(".") ? " " : ". "));
        if (!lines.isEmpty()) {
            out.append("Lines: ").append(String.join("; ", lines)).append(". ");
        }
        for (int c = 0; c < columns.size(); c++) {
            List<String> points = new ArrayList<>();
            for (Row r : rows) {
                Object v = r.cells().get(c);
                if (v != null) {
                    points.add(r.x() + " " + (v instanceof Double d ? spoken(d) : v));
                }
            }
            if (!points.isEmpty()) {
                out.append(columns.get(c)).append(" by ").append(xHeader.toLowerCase(Locale.UK)).append(": ")
                        .append(String.join(", ", points)).append(". ");
            }
        }
        return out.toString().strip();
    }

    /** An SVG document with the chart's title and description (with its values) as its first children. */
    static String titled(String svg, JFreeChart chart) {
        ChartTable table = of(chart);
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            return svg;
        }
        return svg.substring(0, open) + "<svg role=\"img\"" + svg.substring(open + 4, end + 1)
                + "<title>" + xml(table.title()) + "</title><desc>" + xml(table.description()) + "</desc>"
                + svg.substring(end + 1);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
