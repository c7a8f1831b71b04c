package org.workforcewatch.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StackedXYAreaRenderer2;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.indicators.BenchmarkAuthority;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.IndicatorSettings;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.indicators.PublishedYears;
import org.workforcewatch.indicators.ThresholdSettings;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.planning.Forecast;
import org.workforcewatch.planning.Month;
import org.workforcewatch.planning.Projection;
import org.workforcewatch.planning.Range;
import org.workforcewatch.planning.Scenario;
import org.workforcewatch.spc.Spc;
import org.workforcewatch.spc.Xmr;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The charts of the workforce, built from the same figures the API answers: the indicator engine's
 * values, the published benchmarks, and distributions aggregated in SQL ({@link ChartData}). Each method
 * answers a chart ready to draw at any size; {@link #png} and {@link #svg} draw it. A scope with nothing
 * to show fails with 404 and a message that says why, never an empty picture. Building the chart happens
 * on the bounded elastic scheduler, off the event loop.
 */
@Component
public class Charts {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.UK);
    private static final String CFSW = "children and family social workers";
    // Axis titles short enough for the board pack's charts (900 × 320): who is counted is said in the notes.
    static final String COMPOSITION_AXIS = "FTE in post";
    static final String MOVES_AXIS = "Spells per month";

    private final IndicatorEngine engine;
    private final ChartData data;
    private final Thresholds thresholds;
    private final IndicatorSettings settings;
    private final BenchmarkAuthority authority;
    private final Spc spc;
    private final ChartCache cache;
    private final Clock clock;
    private final Forecast forecast;
    private final PublishedYears publishedYears;
    private final AtomicReference<History> knownHistory = new AtomicReference<>();

    /** The history's month ends as of a day, read while the chart cache was in this generation. */
    private record History(LocalDate today, long generation, List<LocalDate> dates) {
    }

    Charts(IndicatorEngine engine, ChartData data, Thresholds thresholds, IndicatorSettings settings, BenchmarkAuthority authority,
           Spc spc, ChartCache cache, Clock clock, Forecast forecast, PublishedYears publishedYears) {
        this.engine = engine;
        this.data = data;
        this.thresholds = thresholds;
        this.settings = settings;
        this.authority = authority;
        this.spc = spc;
        this.cache = cache;
        this.clock = clock;
        this.forecast = forecast;
        this.publishedYears = publishedYears;
    }

    /**
     * The month ends of the history before today, as the indicator series has them. Finding where the history
     * starts scans allocations and referrals, so the answer is kept until the data changes (the cache's
     * generation moves) or the day does.
     */
    private Mono<List<LocalDate>> historyDates(LocalDate today) {
        long generation = cache.generation();
        History h = knownHistory.get();
        if (h != null && h.today().equals(today) && h.generation() == generation) {
            return Mono.just(h.dates());
        }
        return engine.historyDates(today).doOnNext(dates -> knownHistory.set(new History(today, generation, List.copyOf(dates))));
    }

    /** The dates of a series as of a day: the history's month ends before it, then the day itself. */
    private static List<LocalDate> upTo(List<LocalDate> history, LocalDate end) {
        List<LocalDate> dates = new ArrayList<>(history.stream().filter(d -> d.isBefore(end)).toList());
        dates.add(end);
        return dates;
    }

    /** The thresholds in force at the end of a day, or now for a chart of today. */
    private Mono<Thresholds.View> inForce(LocalDate asOf) {
        return asOf == null ? Mono.fromSupplier(thresholds::current) : thresholds.atEndOf(asOf);
    }

    /** How a chart names its last point: today, or the day it is drawn as of. */
    private static String lastPoint(LocalDate end, LocalDate today) {
        return end.equals(today) ? "today (" + end.format(DAY) + ")" : end.format(DAY);
    }

    // ------------------------------------------------------------------ trend

    /**
     * An indicator's value at every month end of the history and today, over its amber and red bands and
     * target line (the thresholds in force for the scope), with England's and the region's published
     * figures as steps from the day each year's are published, where the Department publishes the measure.
     */
    public Mono<JFreeChart> trend(Indicator indicator, String level, String scope) {
        return trend(indicator, level, scope, null);
    }

    /** As {@link #trend(Indicator, String, String)} as of a day (null: today): its data and thresholds then. */
    public Mono<JFreeChart> trend(Indicator indicator, String level, String scope, LocalDate asOf) {
        LocalDate today = LocalDate.now(clock);
        LocalDate end = asOf == null ? today : asOf;
        return data.scope(level, scope).flatMap(s -> historyDates(today).flatMap(history -> inForce(asOf).flatMap(view -> {
            List<LocalDate> dates = upTo(history, end);
            Mono<List<IndicatorEngine.Dated>> values = engine.current(dates, s.level(), indicator, s.key(), view).collectList();
            Mono<List<ChartData.Published>> published = indicator.publishedMeasure()
                    .map(m -> data.published(m, authority.regionCode())).orElse(Mono.just(List.of()));
            // one after the other: a chart holds at most one database connection, so a burst of charts leaves the
            // pool to the rest of the service
            return values.flatMap(v -> published.publishOn(Schedulers.boundedElastic())
                    .map(p -> trendChart(indicator, s, end, today, v, p)));
        })));
    }

    private JFreeChart trendChart(Indicator indicator, ChartData.Scope scope, LocalDate end, LocalDate today,
                                  List<IndicatorEngine.Dated> rows, List<ChartData.Published> published) {
        List<IndicatorEngine.Dated> withValue = rows.stream().filter(r -> r.value().value() != null).toList();
        if (withValue.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + indicator.id() + " values for "
                    + where(scope) + " at any month end or " + (end.equals(today) ? "today" : "on " + end)
                    + ": the scope has no "
                    + (indicator.unit() == Indicator.Unit.COUNT ? "population" : "denominator") + " for this indicator yet");
        }
        IndicatorValue last = withValue.get(withValue.size() - 1).value();
        XYSeries series = new XYSeries(IndicatorNames.name(indicator), false, true);
        double highest = Math.max(last.red(), last.target());
        for (IndicatorEngine.Dated r : rows) {
            Double v = r.value().value();
            series.add(millis(r.asOf()), v);
            if (v != null) {
                highest = Math.max(highest, v);
            }
        }
        LocalDate first = rows.get(0).asOf();
        XYSeriesCollection benchmarks = new XYSeriesCollection();
        for (boolean england : new boolean[]{true, false}) {
            List<ChartData.Published> area = published.stream().filter(p -> p.england() == england).toList();
            XYSeries steps = steps(area.isEmpty() ? "" : england ? "England" : area.get(0).area() + " (region)", area, first, end,
                    publishedYears);
            if (steps != null) {
                benchmarks.addSeries(steps);
                highest = Math.max(highest, steps.getMaxY());
            }
        }

        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
        line.setSeriesPaint(0, ChartTheme.BLUE);
        line.setSeriesStroke(0, ChartTheme.LINE);
        line.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), ChartTheme.dateAxis(null),
                ChartTheme.valueAxis(ChartTheme.axisLabel(indicator), highest, ChartTheme.tickFormat(indicator),
                        indicator.unit() == Indicator.Unit.COUNT), line);
        if (benchmarks.getSeriesCount() > 0) {
            XYStepRenderer step = new XYStepRenderer();
            for (int i = 0; i < benchmarks.getSeriesCount(); i++) {
                boolean england = benchmarks.getSeriesKey(i).equals("England");
                step.setSeriesPaint(i, england ? ChartTheme.BLACK : ChartTheme.REDDISH_PURPLE);
                step.setSeriesStroke(i, england ? ChartTheme.DASHED : ChartTheme.DASH_DOT);
            }
            plot.setDataset(1, benchmarks);
            plot.setRenderer(1, step);
        }
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        double top = plot.getRangeAxis().getUpperBound();
        if (last.amber() < last.red()) {
            plot.addRangeMarker(ChartTheme.bandMarker(last.amber(), last.red(), ChartTheme.AMBER,
                    "Amber from " + ChartTheme.figure(indicator, last.amber())), Layer.BACKGROUND);
        }
        plot.addRangeMarker(ChartTheme.bandMarker(last.red(), Math.max(top, last.red()), ChartTheme.RED,
                "Red from " + ChartTheme.figure(indicator, last.red())), Layer.BACKGROUND);
        plot.addRangeMarker(ChartTheme.lineMarker(last.target(), ChartTheme.BLUISH_GREEN, ChartTheme.DASHED,
                "Target " + ChartTheme.figure(indicator, last.target()), false), Layer.FOREGROUND);

        LegendItemCollection legend = plot.getLegendItems();
        legend.add(ChartTheme.lineItem("Target " + ChartTheme.figure(indicator, last.target()), ChartTheme.BLUISH_GREEN,
                ChartTheme.DASHED));
        legend.add(ChartTheme.boxItem("Amber " + ChartTheme.figure(indicator, last.amber()) + " to "
                + ChartTheme.figure(indicator, last.red()), ChartTheme.band(ChartTheme.AMBER)));
        legend.add(ChartTheme.boxItem("Red " + ChartTheme.figure(indicator, last.red()) + " and above",
                ChartTheme.band(ChartTheme.RED)));
        plot.setFixedLegendItems(legend);

        List<String> notes = new ArrayList<>();
        notes.add("Month ends " + first.format(MONTH) + (rows.size() > 1 ? " to " + rows.get(rows.size() - 2).asOf().format(MONTH) : "")
                + ", last point " + lastPoint(end, today) + ". Latest: " + ChartTheme.figure(indicator, last.value())
                + ", " + IndicatorNames.severity(last.severity()) + ".");
        if (benchmarks.getSeriesCount() > 0) {
            notes.add("Published figures (children's social work workforce, DfE) step when each year's are published.");
        } else if (indicator.publishedMeasure().isPresent()) {
            notes.add("No published figures loaded for " + indicator.publishedMeasure().get() + ".");
        }
        return ChartTheme.chart(IndicatorNames.name(indicator) + " — " + scope.label(), notes, plot, true);
    }

    /**
     * A published series as steps: each year's figure from the day it was published until the next, clipped to the
     * chart's dates (the figure in force on the first date starts the line). Null when nothing applies.
     */
    private static XYSeries steps(String name, List<ChartData.Published> figures, LocalDate first, LocalDate last,
                                  PublishedYears years) {
        XYSeries s = new XYSeries(name, false, true);
        Double carried = null;
        for (ChartData.Published p : figures) {
            LocalDate from = years.publishedOn(p.year());
            if (!from.isAfter(first)) {
                carried = p.value();
            } else if (!from.isAfter(last)) {
                if (s.isEmpty() && carried != null) {
                    s.add(millis(first), carried);
                }
                s.add(millis(from), p.value());
            }
        }
        if (s.isEmpty() && carried != null) {
            s.add(millis(first), carried);
        }
        if (s.isEmpty()) {
            return null;
        }
        s.add(millis(last), s.getY(s.getItemCount() - 1));
        return s;
    }

    // ------------------------------------------------------------------ teams

    /**
     * Every team's value of an indicator on a date (default today), optionally one service's teams, as bars
     * coloured by severity against each team's own thresholds, highest first.
     */
    public Mono<JFreeChart> teams(Indicator indicator, LocalDate asOf, String service) {
        LocalDate date = asOf == null ? LocalDate.now(clock) : asOf;
        Mono<ChartData.Scope> scope = service == null || service.isBlank() ? data.scope("authority", null) : data.scope("service", service);
        return scope.flatMap(s -> inForce(asOf).flatMapMany(view -> engine.current(List.of(date), "team", indicator, null, view))
                .map(IndicatorEngine.Dated::value)
                .filter(v -> s.key() == null || s.key().equals(v.service())).collectList()
                .publishOn(Schedulers.boundedElastic())
                .map(values -> teamsChart(indicator, s, date, values)));
    }

    /** Bars whose colour is their team's severity. */
    static final class SeverityBarRenderer extends BarRenderer {
        private final List<String> severities;

        SeverityBarRenderer(List<String> severities) {
            this.severities = List.copyOf(severities);
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            return severityColour(severities.get(column));
        }

        String severity(int column) {
            return severities.get(column);
        }
    }

    static Color severityColour(String severity) {
        return switch (severity) {
            case "red" -> ChartTheme.RED;
            case "amber" -> ChartTheme.AMBER;
            default -> ChartTheme.OK;
        };
    }

    private static String severityLetter(String severity) {
        return IndicatorNames.severity(severity).substring(0, 1);
    }

    private JFreeChart teamsChart(Indicator indicator, ChartData.Scope scope, LocalDate date, List<IndicatorValue> all) {
        List<IndicatorValue> values = all.stream().filter(v -> v.value() != null)
                .sorted(Comparator.comparing(IndicatorValue::value).reversed().thenComparing(IndicatorValue::scope)).toList();
        if (values.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no team of " + where(scope) + " has a " + indicator.id()
                    + " value on " + date + (all.isEmpty() ? ": there are no teams with data on that date" : ""));
        }
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        DefaultCategoryDataset limits = new DefaultCategoryDataset();
        List<String> severities = new ArrayList<>();
        double highest = 0;
        boolean sameThresholds = values.stream().map(v -> List.of(v.amber(), v.red())).distinct().count() == 1;
        for (IndicatorValue v : values) {
            bars.addValue(v.value(), IndicatorNames.name(indicator), v.scope());
            limits.addValue(v.amber(), "Amber threshold", v.scope());
            limits.addValue(v.red(), "Red threshold", v.scope());
            severities.add(v.severity());
            highest = Math.max(highest, Math.max(v.value(), v.red()));
        }
        SeverityBarRenderer renderer = new SeverityBarRenderer(severities);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(new Color(0x333333));
        renderer.setMaximumBarWidth(0.08);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                return severityLetter(severities.get(column));
            }
        });
        renderer.setDefaultItemLabelFont(ChartTheme.SMALL_BOLD_FONT);
        renderer.setDefaultItemLabelPaint(ChartTheme.BLACK);
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        CategoryAxis teams = ChartTheme.categoryAxis("Team");
        if (values.size() > 14) {
            teams.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        CategoryPlot plot = new CategoryPlot(bars, teams, ChartTheme.valueAxis(ChartTheme.axisLabel(indicator), highest,
                ChartTheme.tickFormat(indicator), indicator.unit() == Indicator.Unit.COUNT), renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(ChartTheme.boxItem("Green (G)", ChartTheme.OK));
        legend.add(ChartTheme.boxItem("Amber (A)", ChartTheme.AMBER));
        legend.add(ChartTheme.boxItem("Red (R)", ChartTheme.RED));
        if (sameThresholds) {
            IndicatorValue v = values.get(0);
            plot.addRangeMarker(ChartTheme.lineMarker(v.amber(), ChartTheme.AMBER, ChartTheme.DASHED,
                    "Amber threshold " + ChartTheme.figure(indicator, v.amber()), false), Layer.FOREGROUND);
            plot.addRangeMarker(ChartTheme.lineMarker(v.red(), ChartTheme.RED, ChartTheme.DASHED,
                    "Red threshold " + ChartTheme.figure(indicator, v.red()), false), Layer.FOREGROUND);
            legend.add(ChartTheme.lineItem("Amber threshold " + ChartTheme.figure(indicator, v.amber()), ChartTheme.AMBER,
                    ChartTheme.DASHED));
            legend.add(ChartTheme.lineItem("Red threshold " + ChartTheme.figure(indicator, v.red()), ChartTheme.RED, ChartTheme.DASHED));
        } else {
            // teams differ (team-type or team overrides): each bar gets its own threshold ticks
            LineAndShapeRenderer ticks = new LineAndShapeRenderer(false, true);
            Shape tick = new Rectangle2D.Double(-9, -1.5, 18, 3);
            ticks.setSeriesShape(0, tick);
            ticks.setSeriesShape(1, tick);
            ticks.setSeriesPaint(0, ChartTheme.AMBER.darker());
            ticks.setSeriesPaint(1, ChartTheme.BLACK);
            plot.setDataset(1, limits);
            plot.setRenderer(1, ticks);
            plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
            legend.add(ChartTheme.boxItem("Amber threshold (each team's)", ChartTheme.AMBER.darker()));
            legend.add(ChartTheme.boxItem("Red threshold (each team's)", ChartTheme.BLACK));
        }
        plot.setFixedLegendItems(legend);
        List<String> notes = new ArrayList<>();
        notes.add(ChartTheme.count(values.size(), "team", "teams") + " on " + date.format(DAY) + ", highest first; each bar is coloured by its team's severity"
                + " and labelled R (Red), A (Amber) or G (Green).");
        if (all.size() > values.size()) {
            notes.add(ChartTheme.count(all.size() - values.size(), "team", "teams") + " without a value on that date"
                    + (all.size() - values.size() == 1 ? " is" : " are") + " not shown.");
        }
        String title = IndicatorNames.name(indicator) + " by team — " + (scope.key() == null ? "Authority" : scope.label());
        return ChartTheme.chart(title, notes, plot, true);
    }

    // ------------------------------------------------------------------ composition

    /** FTE of children and family social workers in post at each month end and today, stacked by employment. */
    public Mono<JFreeChart> composition(String level, String scope) {
        return composition(level, scope, null);
    }

    /** As {@link #composition(String, String)} as of a day (null: today). */
    public Mono<JFreeChart> composition(String level, String scope, LocalDate asOf) {
        LocalDate today = LocalDate.now(clock);
        LocalDate end = asOf == null ? today : asOf;
        return data.scope(level, scope).flatMap(s -> historyDates(today).flatMap(history -> {
            List<LocalDate> dates = upTo(history, end);
            return data.composition(s, dates).publishOn(Schedulers.boundedElastic())
                    .map(rows -> compositionChart(s, dates, today, rows));
        }));
    }

    private static final Map<String, String> EMPLOYMENT = new LinkedHashMap<>();
    private static final Map<String, Color> EMPLOYMENT_COLOUR = Map.of("permanent", ChartTheme.BLUE, "fixed_term",
            ChartTheme.SKY_BLUE, "agency", ChartTheme.REDDISH_PURPLE, "unknown", ChartTheme.GREY);

    static {
        EMPLOYMENT.put("permanent", "Permanent");
        EMPLOYMENT.put("fixed_term", "Fixed term");
        EMPLOYMENT.put("agency", "Agency");
        EMPLOYMENT.put("unknown", "Employment unknown");
    }

    private JFreeChart compositionChart(ChartData.Scope scope, List<LocalDate> dates, LocalDate today,
                                        List<ChartData.EmploymentFte> rows) {
        if (rows.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + CFSW + " in post in " + where(scope)
                    + " at any month end or on " + dates.get(dates.size() - 1));
        }
        Map<String, Map<LocalDate, Double>> byEmployment = new LinkedHashMap<>();
        for (ChartData.EmploymentFte r : rows) {
            byEmployment.computeIfAbsent(r.employment(), e -> new TreeMap<>()).merge(r.asOf(), r.fte(), Double::sum);
        }
        DefaultTableXYDataset dataset = new DefaultTableXYDataset();
        StackedXYAreaRenderer2 renderer = new StackedXYAreaRenderer2();
        int i = 0;
        for (Map.Entry<String, String> e : EMPLOYMENT.entrySet()) {
            Map<LocalDate, Double> fte = byEmployment.get(e.getKey());
            if (fte == null && !e.getKey().equals("agency") && !e.getKey().equals("permanent")) {
                continue;
            }
            XYSeries s = new XYSeries(e.getValue(), true, false);
            for (LocalDate d : dates) {
                s.add(millis(d), fte == null ? 0.0 : fte.getOrDefault(d, 0.0));
            }
            dataset.addSeries(s);
            renderer.setSeriesPaint(i++, EMPLOYMENT_COLOUR.get(e.getKey()));
        }
        double highest = dates.stream().mapToDouble(d -> byEmployment.values().stream().mapToDouble(m -> m.getOrDefault(d, 0.0)).sum())
                .max().orElse(0);
        renderer.setOutline(false);
        XYPlot plot = new XYPlot(dataset, ChartTheme.dateAxis(null),
                ChartTheme.valueAxis(COMPOSITION_AXIS, highest, new java.text.DecimalFormat("#,##0.#"), false), renderer);
        LocalDate latest = dates.get(dates.size() - 1);
        double agency = byEmployment.getOrDefault("agency", Map.of()).getOrDefault(latest, 0.0);
        double total = byEmployment.values().stream().mapToDouble(m -> m.getOrDefault(latest, 0.0)).sum();
        List<String> notes = List.of("FTE in post at each month end from " + dates.get(0).format(MONTH) + ", last point "
                + lastPoint(latest, today) + ": " + ChartTheme.number(total) + " FTE, of which agency " + ChartTheme.number(agency)
                + " FTE. Personal advisers, family support and other roles are not " + CFSW + ".");
        return ChartTheme.chart("Workforce by employment — " + scope.label(), notes, plot, true);
    }

    // ------------------------------------------------------------------ starters and leavers

    /**
     * Employed children and family social workers starting and leaving per month over the history, with
     * turnover_rate's reading: internal moves are neither leavers nor starters.
     */
    public Mono<JFreeChart> startersLeavers(String level, String scope) {
        return startersLeavers(level, scope, null);
    }

    /** As {@link #startersLeavers(String, String)} as of a day (null: today): the months up to it. */
    public Mono<JFreeChart> startersLeavers(String level, String scope, LocalDate asOf) {
        LocalDate today = LocalDate.now(clock);
        LocalDate end = asOf == null ? today : asOf;
        return data.scope(level, scope).flatMap(s -> data.employedSpells(s).flatMap(spells -> {
            if (spells == 0) {
                return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no employed " + CFSW + " have ever been in "
                        + where(s) + ": no starters or leavers to show"));
            }
            return historyDates(today).flatMap(history -> {
                LocalDate from = (history.isEmpty() || history.get(0).isAfter(end) ? end : history.get(0)).withDayOfMonth(1);
                return data.startersLeavers(s, from, end).publishOn(Schedulers.boundedElastic())
                        .map(rows -> startersLeaversChart(s, from, end, today, rows));
            });
        }));
    }

    private JFreeChart startersLeaversChart(ChartData.Scope scope, LocalDate from, LocalDate end, LocalDate today,
                                            List<ChartData.MonthMoves> rows) {
        Map<LocalDate, ChartData.MonthMoves> byMonth = new TreeMap<>();
        rows.forEach(r -> byMonth.put(r.month(), r));
        XYIntervalSeries starters = new XYIntervalSeries("Starters");
        XYIntervalSeries leavers = new XYIntervalSeries("Leavers");
        long most = 0;
        long startersTotal = 0;
        long leaversTotal = 0;
        for (LocalDate m = from; !m.isAfter(end); m = m.plusMonths(1)) {
            ChartData.MonthMoves r = byMonth.getOrDefault(m, new ChartData.MonthMoves(m, 0, 0));
            double lo = millis(m);
            double hi = millis(m.plusMonths(1));
            starters.add((lo + hi) / 2, lo, hi, r.starters(), r.starters(), r.starters());
            leavers.add((lo + hi) / 2, lo, hi, r.leavers(), r.leavers(), r.leavers());
            most = Math.max(most, Math.max(r.starters(), r.leavers()));
            startersTotal += r.starters();
            leaversTotal += r.leavers();
        }
        XYIntervalSeriesCollection dataset = new XYIntervalSeriesCollection();
        dataset.addSeries(starters);
        dataset.addSeries(leavers);
        ClusteredXYBarRenderer renderer = new ClusteredXYBarRenderer(0.12, false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, ChartTheme.BLUE);
        renderer.setSeriesPaint(1, ChartTheme.VERMILLION);
        XYPlot plot = new XYPlot(dataset, ChartTheme.dateAxis(null),
                ChartTheme.valueAxis(MOVES_AXIS, most, new java.text.DecimalFormat("#,##0"), true),
                renderer);
        List<String> notes = List.of(
                "Employed " + CFSW + " (spells) starting and ending each month, " + from.format(MONTH) + " to "
                        + lastPoint(end, today) + ": " + startersTotal + " starters, " + leaversTotal + " leavers.",
                "Leavers as turnover_rate counts them: every ending but internal_move, in the team of the spell (leaving for agency"
                        + " work is leaving). Internal moves are neither starters nor leavers.");
        return ChartTheme.chart("Starters and leavers — " + scope.label(), notes, plot, true);
    }

    // ------------------------------------------------------------------ caseloads

    /** Case-holding social workers of a team by their caseload per FTE today, with the caseload limit marked. No names. */
    public Mono<JFreeChart> caseloads(String teamId) {
        return caseloads(teamId, null);
    }

    /**
     * As {@link #caseloads(String)} on a day (null: today): the workers in post and their caseloads then. The limits are
     * the configured ones (no runtime change applies to them), so those of the day are today's.
     */
    public Mono<JFreeChart> caseloads(String teamId, LocalDate asOf) {
        LocalDate day = asOf == null ? LocalDate.now(clock) : asOf;
        return data.scope("team", teamId).flatMap(s -> data.caseloads(s.key(), day).publishOn(Schedulers.boundedElastic())
                .map(loads -> caseloadsChart(s, day, loads)));
    }

    private JFreeChart caseloadsChart(ChartData.Scope scope, LocalDate today, List<ChartData.WorkerLoad> loads) {
        if (loads.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, scope.label() + " has no case-holding " + CFSW
                    + " in post on " + today + ": no caseloads to show");
        }
        double limit = settings.maxCaseload();
        double asyeLimit = limit * settings.asyeShare();
        List<double[]> values = new ArrayList<>();
        int over = 0;
        boolean anyAsye = false;
        for (ChartData.WorkerLoad w : loads) {
            boolean isOver = w.perFte() > (w.asye() ? asyeLimit : limit);
            over += isOver ? 1 : 0;
            anyAsye |= w.asye();
            values.add(new double[]{w.perFte(), isOver ? 1 : 0});
        }
        XYPlot plot = histogram(values, List.of("Within their limit", "Over their limit"), List.of(ChartTheme.BLUE, ChartTheme.VERMILLION),
                "Children per FTE (bars: up to 1, then over n−1 up to n)", "Case-holding social workers (count)", limit + 2);
        plot.addDomainMarker(ChartTheme.lineMarker(limit, ChartTheme.BLACK, ChartTheme.DASHED,
                "Limit " + ChartTheme.number(limit) + " per FTE", true), Layer.FOREGROUND);
        if (anyAsye) {
            ValueMarker asye = ChartTheme.lineMarker(asyeLimit, ChartTheme.GREY, ChartTheme.DOTTED,
                    "ASYE limit " + ChartTheme.number(asyeLimit), true);
            // a line lower than the limit's label, which may reach across this line
            asye.setLabelOffset(new RectangleInsets(22, 4, 3, 4));
            plot.addDomainMarker(asye, Layer.FOREGROUND);
        }
        List<String> notes = List.of(ChartTheme.count(loads.size(), "case-holding " + CFSW.replaceFirst("s$", ""),
                "case-holding " + CFSW) + " in post on " + today.format(DAY) + "; " + over
                + " over their limit (distinct children ÷ FTE above " + ChartTheme.number(limit)
                + (anyAsye ? ", for an ASYE above " + ChartTheme.number(asyeLimit) : "") + ").");
        return ChartTheme.chart("Caseloads per worker — " + scope.label(), notes, plot, true);
    }

    /**
     * A histogram of values (value, series index) in bins of width 1: the first bin is [0, 1], then (n−1, n],
     * so a value exactly on a whole-number limit sits left of the limit's line, as "exactly at the limit is
     * not over" reads. Series are stacked.
     */
    private static XYPlot histogram(List<double[]> values, List<String> series, List<Color> colours, String xLabel, String yLabel,
                                    double atLeast) {
        int bins = (int) Math.max(Math.ceil(atLeast), values.stream().mapToDouble(v -> Math.ceil(v[0])).max().orElse(1));
        bins = Math.max(bins, 1);
        long[][] counts = new long[series.size()][bins];
        for (double[] v : values) {
            int bin = v[0] <= 1 ? 0 : (int) Math.ceil(v[0]) - 1;
            counts[(int) v[1]][bin]++;
        }
        DefaultTableXYDataset dataset = new DefaultTableXYDataset();
        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.08);
        long highest = 0;
        for (int b = 0; b < bins; b++) {
            long sum = 0;
            for (long[] c : counts) {
                sum += c[b];
            }
            highest = Math.max(highest, sum);
        }
        for (int s = 0; s < series.size(); s++) {
            XYSeries xy = new XYSeries(series.get(s), true, false);
            for (int b = 0; b < bins; b++) {
                xy.add(b + 0.5, counts[s][b]);
            }
            dataset.addSeries(xy);
            renderer.setSeriesPaint(s, colours.get(s));
        }
        dataset.setIntervalWidth(1.0);
        dataset.setIntervalPositionFactor(0.5);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(Color.WHITE);
        NumberAxis x = new NumberAxis(xLabel);
        x.setRange(0, bins);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.UK));
        return new XYPlot(dataset, x, ChartTheme.valueAxis(yLabel, highest, new java.text.DecimalFormat("#,##0"), true), renderer);
    }

    // ------------------------------------------------------------------ personal adviser caseloads

    /** Personal advisers in post by care leavers held per FTE, with pa_caseload_per_fte's thresholds marked. No names. */
    public Mono<JFreeChart> paCaseloads(String level, String scope) {
        return paCaseloads(level, scope, null);
    }

    /** As {@link #paCaseloads(String, String)} on a day (null: today), with the thresholds in force then. */
    public Mono<JFreeChart> paCaseloads(String level, String scope, LocalDate asOf) {
        LocalDate day = asOf == null ? LocalDate.now(clock) : asOf;
        return data.scope(level, scope).flatMap(s -> data.paCaseloads(s, day).flatMap(loads -> inForce(asOf)
                .publishOn(Schedulers.boundedElastic())
                .map(view -> paChart(s, day, loads, view))));
    }

    private JFreeChart paChart(ChartData.Scope scope, LocalDate today, List<Double> loads, Thresholds.View thresholds) {
        if (loads.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no personal advisers in post in "
                    + where(scope) + " on " + today + ": no caseloads to show");
        }
        Indicator pa = Indicator.PA_CASELOAD_PER_FTE;
        ThresholdSettings.Applied t = scope.level().equals("team") ? thresholds.forTeam(pa, scope.key(), scope.teamType())
                : thresholds.forIndicator(pa);
        List<double[]> values = loads.stream().map(v -> new double[]{v, 0}).toList();
        XYPlot plot = histogram(values, List.of("Personal advisers"), List.of(ChartTheme.BLUE),
                "Care leavers per FTE (bars: up to 1, then over n−1 up to n)", "Personal advisers (count)", t.red() + 2);
        plot.addDomainMarker(ChartTheme.lineMarker(t.amber(), ChartTheme.AMBER, ChartTheme.DASHED,
                "Amber " + ChartTheme.number(t.amber()), true), Layer.FOREGROUND);
        ValueMarker red = ChartTheme.lineMarker(t.red(), ChartTheme.RED, ChartTheme.DASHED, "Red " + ChartTheme.number(t.red()), true);
        red.setLabelOffset(new RectangleInsets(22, 4, 3, 4));
        plot.addDomainMarker(red, Layer.FOREGROUND);
        LegendItemCollection legend = plot.getLegendItems();
        legend.add(ChartTheme.lineItem("Amber threshold " + ChartTheme.number(t.amber()), ChartTheme.AMBER, ChartTheme.DASHED));
        legend.add(ChartTheme.lineItem("Red threshold " + ChartTheme.number(t.red()), ChartTheme.RED, ChartTheme.DASHED));
        plot.setFixedLegendItems(legend);
        double mean = loads.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        List<String> notes = List.of(ChartTheme.count(loads.size(), "personal adviser", "personal advisers") + " in post on " + today.format(DAY)
                + "; care leavers held (eligible, relevant or former relevant) ÷ FTE; mean of advisers "
                + ChartTheme.number(mean) + ". The thresholds apply to the team's caseload per FTE.");
        return ChartTheme.chart("Personal adviser caseloads — " + scope.label(), notes, plot, true);
    }

    // ------------------------------------------------------------------ allocation waits

    /** Referrals waiting for a worker today by their wait in working days, with the allocation limit marked. */
    public Mono<JFreeChart> allocationWaits(String level, String scope) {
        return allocationWaits(level, scope, null);
    }

    /** As {@link #allocationWaits(String, String)} on a day (null: today). */
    public Mono<JFreeChart> allocationWaits(String level, String scope, LocalDate asOf) {
        LocalDate day = asOf == null ? LocalDate.now(clock) : asOf;
        return data.scope(level, scope).flatMap(s -> data.waits(s, day).publishOn(Schedulers.boundedElastic())
                .map(w -> waitsChart(s, day, w)));
    }

    private JFreeChart waitsChart(ChartData.Scope scope, LocalDate today, ChartData.Waits waits) {
        if (waits.referrals() == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no referrals have ever been received by "
                    + where(scope) + ": no allocation queue to show");
        }
        int limit = settings.allocationDays();
        int longest = waits.waiting().stream().mapToInt(ChartData.WaitCount::workingDays).max().orElse(0);
        int bins = Math.max(longest, limit + 3) + 1;
        DefaultTableXYDataset dataset = new DefaultTableXYDataset();
        XYSeries within = new XYSeries("Within the limit", true, false);
        XYSeries over = new XYSeries("Over the limit", true, false);
        Map<Integer, Long> byWait = new TreeMap<>();
        waits.waiting().forEach(w -> byWait.put(w.workingDays(), w.referrals()));
        long highest = 0;
        long waiting = 0;
        long overLimit = 0;
        for (int d = 0; d < bins; d++) {
            long n = byWait.getOrDefault(d, 0L);
            within.add(d, d <= limit ? n : 0);
            over.add(d, d > limit ? n : 0);
            highest = Math.max(highest, n);
            waiting += n;
            overLimit += d > limit ? n : 0;
        }
        dataset.addSeries(within);
        dataset.addSeries(over);
        dataset.setIntervalWidth(1.0);
        dataset.setIntervalPositionFactor(0.5);
        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.1);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, ChartTheme.BLUE);
        renderer.setSeriesPaint(1, ChartTheme.VERMILLION);
        NumberAxis x = new NumberAxis("Wait so far (working days)");
        x.setRange(-0.5, bins - 0.5);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.UK));
        XYPlot plot = new XYPlot(dataset, x,
                ChartTheme.valueAxis("Referrals waiting (count)", highest, new java.text.DecimalFormat("#,##0"), true), renderer);
        plot.addDomainMarker(ChartTheme.lineMarker(limit + 0.5, ChartTheme.BLACK, ChartTheme.DASHED,
                "Limit " + limit + " working days", true), Layer.FOREGROUND);
        if (waiting == 0) {
            plot.setNoDataMessage("No referrals are waiting for allocation");
        }
        List<String> notes = List.of(waiting + " referrals waiting for a worker on " + today.format(DAY) + ", " + overLimit
                + " of them over the limit of " + limit + " working days. Working days exclude weekends and bank holidays.");
        return ChartTheme.chart("Allocation waits — " + scope.label(), notes, plot, true);
    }

    // ------------------------------------------------------------------ SPC

    /**
     * The XmR chart of an indicator's complete months: values, and per baseline the mean, the process limits and
     * the two-sigma lines, with the target; each special-cause point marked as the XmR flags it (a diamond, orange
     * for concern, blue for improvement), and the verdicts in the subtitle, read from the same flags.
     */
    public Mono<JFreeChart> spc(Indicator indicator, String level, String scope) {
        return spc(indicator, level, scope, null);
    }

    /** As {@link #spc(Indicator, String, String)} over the complete months up to a day (null: today), with its target then. */
    public Mono<JFreeChart> spc(Indicator indicator, String level, String scope, LocalDate asOf) {
        return data.scope(level, scope).flatMap(s -> (asOf == null ? spc.of(indicator, s.level(), s.key())
                        : spc.of(indicator, s.level(), s.key(), asOf)).publishOn(Schedulers.boundedElastic())
                .map(xmr -> {
                    if (xmr.points().isEmpty()) {
                        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + indicator.id() + " values for "
                                + where(s) + " in any complete month" + (asOf == null ? "" : " up to " + asOf) + ": nothing to chart");
                    }
                    return spcChart(indicator, s.label(), xmr);
                }));
    }

    /** The XmR chart of a series with at least one point, titled for {@code place} (the authority, a service, a team). */
    public static JFreeChart spcChart(Indicator indicator, String place, Xmr xmr) {
        XYSeries values = new XYSeries(IndicatorNames.name(indicator), false, true);
        XYSeries concern = new XYSeries(Xmr.Variation.CONCERNING.words(), false, true);
        XYSeries improvement = new XYSeries(Xmr.Variation.IMPROVING.words(), false, true);
        double highest = xmr.target() == null ? 0 : xmr.target();
        double lowest = 0;
        for (Xmr.Point p : xmr.points()) {
            values.add(millis(p.month()), p.value());
            if (p.variation() == Xmr.Variation.CONCERNING) {
                concern.add(millis(p.month()), p.value());
            } else if (p.variation() == Xmr.Variation.IMPROVING) {
                improvement.add(millis(p.month()), p.value());
            }
            highest = Math.max(highest, p.value());
            lowest = Math.min(lowest, p.value());
        }
        Xmr.Baseline now = xmr.current();
        XYSeries mean = new XYSeries("Mean " + ChartTheme.number(now.mean()), false, true);
        XYSeries upper = new XYSeries("Process limits " + ChartTheme.number(now.lowerLimit()) + " to "
                + ChartTheme.number(now.upperLimit()), false, true);
        XYSeries lower = new XYSeries("Lower process limit", false, true);
        XYSeries upperTwoSigma = new XYSeries("Two sigma", false, true);
        XYSeries lowerTwoSigma = new XYSeries("Lower two sigma", false, true);
        for (Xmr.Baseline b : xmr.baselines()) {
            // each baseline's lines run over its own months only; a gap (null) parts one baseline's lines from the next
            double from = millis(b.from());
            double to = millis(b.to());
            if (!mean.isEmpty()) {
                double gap = from - 1;
                for (XYSeries line : List.of(mean, upper, lower, upperTwoSigma, lowerTwoSigma)) {
                    line.add(gap, null);
                }
            }
            segment(mean, b.mean(), from, to);
            segment(upper, b.upperLimit(), from, to);
            segment(lower, b.lowerLimit(), from, to);
            segment(upperTwoSigma, b.upperTwoSigma(), from, to);
            segment(lowerTwoSigma, b.lowerTwoSigma(), from, to);
            highest = Math.max(highest, b.upperLimit());
        }
        XYSeriesCollection lines = new XYSeriesCollection();
        for (XYSeries line : List.of(mean, upper, lower, upperTwoSigma, lowerTwoSigma)) {
            lines.addSeries(line);
        }
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, ChartTheme.BLACK);
        lineRenderer.setSeriesStroke(0, ChartTheme.THIN);
        for (int i = 1; i <= 4; i++) {
            lineRenderer.setSeriesPaint(i, ChartTheme.GREY);
            lineRenderer.setSeriesStroke(i, i <= 2 ? ChartTheme.DASHED : ChartTheme.DOTTED);
        }
        // both limits share one legend entry, and both two-sigma lines another
        lineRenderer.setSeriesVisibleInLegend(2, false);
        lineRenderer.setSeriesVisibleInLegend(4, false);

        XYLineAndShapeRenderer pointRenderer = new XYLineAndShapeRenderer(true, true);
        pointRenderer.setSeriesPaint(0, ChartTheme.GREY);
        pointRenderer.setSeriesStroke(0, ChartTheme.THIN);
        pointRenderer.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        XYLineAndShapeRenderer signalRenderer = new XYLineAndShapeRenderer(false, true);
        // Making Data Count's colours: orange for concern, blue for improvement
        signalRenderer.setSeriesPaint(0, ChartTheme.ORANGE);
        signalRenderer.setSeriesPaint(1, ChartTheme.BLUE);
        signalRenderer.setSeriesShape(0, diamond(6));
        signalRenderer.setSeriesShape(1, diamond(6));
        signalRenderer.setUseOutlinePaint(true);
        signalRenderer.setSeriesOutlinePaint(0, ChartTheme.BLACK);
        signalRenderer.setSeriesOutlinePaint(1, ChartTheme.BLACK);
        signalRenderer.setDrawOutlines(true);

        NumberAxis y = ChartTheme.valueAxis(ChartTheme.axisLabel(indicator), highest, ChartTheme.tickFormat(indicator),
                indicator.unit() == Indicator.Unit.COUNT);
        y.setLowerBound(lowest);
        XYSeriesCollection signals = new XYSeriesCollection();
        signals.addSeries(concern);
        signals.addSeries(improvement);
        XYPlot plot = new XYPlot(signals, ChartTheme.dateAxis(null), y, signalRenderer);
        plot.setDataset(1, new XYSeriesCollection(values));
        plot.setRenderer(1, pointRenderer);
        plot.setDataset(2, lines);
        plot.setRenderer(2, lineRenderer);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        LegendItemCollection legend = new LegendItemCollection();
        legend.addAll(pointRenderer.getLegendItems());
        legend.addAll(signalRenderer.getLegendItems());
        legend.addAll(lineRenderer.getLegendItems());
        if (xmr.target() != null) {
            plot.addRangeMarker(ChartTheme.lineMarker(xmr.target(), ChartTheme.BLUISH_GREEN, ChartTheme.DASHED,
                    "Target " + ChartTheme.figure(indicator, xmr.target()), false), Layer.FOREGROUND);
            legend.add(ChartTheme.lineItem("Target " + ChartTheme.figure(indicator, xmr.target()), ChartTheme.BLUISH_GREEN,
                    ChartTheme.DASHED));
        }
        // where one baseline gives way to the next: half a month before the new one's first month end
        for (Xmr.Baseline b : xmr.baselines().subList(1, xmr.baselines().size())) {
            plot.addDomainMarker(ChartTheme.lineMarker(millis(b.from()) - 15 * 86_400_000.0, ChartTheme.BLACK, ChartTheme.DOTTED,
                    "Rebased " + b.from().format(MONTH), true), Layer.FOREGROUND);
        }
        plot.setFixedLegendItems(legend);
        return ChartTheme.chart(IndicatorNames.name(indicator) + ", XmR — " + place, spcNotes(xmr), plot, true);
    }

    /** The subtitle: the verdicts, what the points and limits are, and the rules the diamonds mark. */
    private static List<String> spcNotes(Xmr xmr) {
        Xmr.Baseline now = xmr.current();
        long flagged = xmr.points().stream().filter(p -> p.rule() != null).count();
        String latest = xmr.latestRule() != null ? " Latest month: " + xmr.latestRule().words() + "."
                : flagged > 0 ? " The latest month is common cause; " + flagged + " earlier " + (flagged == 1 ? "month is" : "months are")
                        + " special cause." : "";
        String baseline = (now.rebasedAt() != null ? "Baseline from " + now.from().format(MONTH) + ": " : "")
                + (now.fixed() ? "limits fixed after its first " + now.limitsFrom() + " months. " : "")
                + xmr.points().size() + " complete months, " + xmr.points().get(0).month().format(MONTH) + " to "
                + xmr.latest().month().format(MONTH) + ".";
        return List.of(xmr.verdict() + "." + latest, baseline,
                "Special cause (diamonds; orange concerning, blue improving): " + Xmr.Rule.OUTSIDE_LIMITS.words() + "; "
                        + Xmr.Rule.TREND.words() + "; " + Xmr.Rule.TWO_OF_THREE.words() + "; " + Xmr.Rule.SHIFT.words() + ".",
                "Limits: mean ± " + Xmr.LIMIT_FACTOR + " × mean moving range (moving ranges of " + Xmr.SCREENING_FACTOR
                        + " times the mean or more left out); two sigma two thirds of the way out.");
    }

    private static void segment(XYSeries line, double value, double from, double to) {
        line.add(from, value);
        line.add(to, value);
    }

    private static Shape diamond(double r) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        p.moveTo(0, -r);
        p.lineTo(r, 0);
        p.lineTo(0, r);
        p.lineTo(-r, 0);
        p.closePath();
        return p;
    }

    /** A scope as a message names it: the authority, the Safeguarding service, Team T05 Safeguarding North (Safeguarding). */
    private static String where(ChartData.Scope scope) {
        return switch (scope.level()) {
            case "authority" -> "the authority";
            case "service" -> "the " + scope.label() + " service";
            default -> scope.label();
        };
    }

    // ------------------------------------------------------------------ forecast

    /**
     * A projected measure of {@link Month}: its name in the API and on the chart, its value axis, how a month
     * holds it, and the indicator that records its past on the same footing (null: none does).
     */
    public enum ForecastMeasure {
        EMPLOYED_FTE("employed_fte", "Employed FTE", "Employed FTE", Month::employedFte, null),
        AGENCY_FTE("agency_fte", "Agency FTE", "Agency FTE", Month::agencyFte, null),
        VACANCY_FTE("vacancy_fte", "Vacancies (FTE)", "Vacant FTE", Month::vacancyFte, null),
        LEAVERS("leavers", "Leavers per month", "Leavers (count)", Month::leavers, null),
        STARTERS("starters", "Starters per month", "Starters (count)", Month::starters, null),
        CASELOAD_PER_FTE("caseload_per_fte", "Caseload per FTE", "Children per FTE", Month::caseloadPerFte,
                Indicator.CASELOAD_PER_FTE),
        PA_CASELOAD_PER_FTE("pa_caseload_per_fte", "Personal adviser caseload per FTE", "Care leavers per FTE",
                Month::paCaseloadPerFte, Indicator.PA_CASELOAD_PER_FTE),
        AGENCY_RATE("agency_rate", "Agency rate", "Agency rate (%)", Month::agencyRate, Indicator.AGENCY_RATE),
        AGENCY_COST("agency_cost", "Agency cost per month", "£ per month", Month::agencyCost, null),
        EMPLOYED_COST("employed_cost", "Employed staff cost per month", "£ per month", Month::employedCost, null),
        /** Drawn with the projected case-holding FTE beside it: two fans. */
        FTE_NEEDED("fte_needed", "Social work FTE needed against projected", "Case-holding social work FTE", Month::fteNeeded,
                null),
        FTE_GAP("fte_gap", "Social work FTE gap (needed − projected)", "FTE short (+) or to spare (−)", Month::fteGap, null);

        private final String id;
        private final String label;
        private final String axis;
        private final Function<Month, Range> range;
        private final Indicator actual;

        ForecastMeasure(String id, String label, String axis, Function<Month, Range> range, Indicator actual) {
            this.id = id;
            this.label = label;
            this.axis = axis;
            this.range = range;
            this.actual = actual;
        }

        public String id() {
            return id;
        }

        Range of(Month month) {
            return range.apply(month);
        }

        /** The measure named, caseload per FTE when none is: 400 for a name that is not one. */
        public static ForecastMeasure byId(String id) {
            if (id == null || id.isBlank()) {
                return CASELOAD_PER_FTE;
            }
            for (ForecastMeasure m : values()) {
                if (m.id.equals(id.strip())) {
                    return m;
                }
            }
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "measure must be one of "
                    + java.util.Arrays.stream(values()).map(ForecastMeasure::id).toList() + "; got '" + id + "'");
        }

        NumberFormat format() {
            return new DecimalFormat(this == AGENCY_COST || this == EMPLOYED_COST ? "£#,##0" : "#,##0.#");
        }

        /** Why a ratio has no value anywhere: its denominator is nothing. */
        String withoutValue() {
            return switch (this) {
                case CASELOAD_PER_FTE -> "it has no case-holding social worker FTE";
                case PA_CASELOAD_PER_FTE -> "it has no personal adviser FTE";
                case AGENCY_RATE -> "it has no children and family social worker FTE, employed or agency";
                default -> "the measure has no value";
            };
        }

        String figure(double value) {
            return switch (this) {
                case AGENCY_COST, EMPLOYED_COST -> new DecimalFormat("£#,##0").format(value);
                case AGENCY_RATE -> ChartTheme.number(value) + "%";
                default -> ChartTheme.number(value);
            };
        }
    }

    private static final Color BASELINE = ChartTheme.BLUE;
    private static final Color SCENARIO = ChartTheme.VERMILLION;
    /** The projected workforce beside the FTE needed: the baseline's and the scenario's. */
    private static final Color PROJECTED = ChartTheme.BLUISH_GREEN;
    private static final Color SCENARIO_PROJECTED = ChartTheme.REDDISH_PURPLE;

    /**
     * A measure's projection for the next months as a fan: the median (p50) as a line over the 10th to 90th
     * percentile shaded, with the last 12 month ends and today of its indicator where one records it, and with
     * a scenario, the scenario's fan beside the baseline's in a second colour and a dashed line.
     */
    public Mono<JFreeChart> forecast(ForecastMeasure measure, String level, String scope, int months, Scenario scenario) {
        LocalDate today = LocalDate.now(clock);
        return data.scope(level, scope).flatMap(s -> {
            Mono<List<IndicatorEngine.Dated>> actual = measure.actual == null ? Mono.just(List.of())
                    : historyDates(today).flatMap(history -> {
                        List<LocalDate> dates = new ArrayList<>(history.subList(Math.max(0, history.size() - 12), history.size()));
                        dates.add(today);
                        return engine.current(dates, s.level(), measure.actual, s.key()).collectList();
                    });
            Mono<Projection> base = forecast.project(s.level(), s.key(), months, null);
            Mono<java.util.Optional<Projection>> alternative = scenario == null ? Mono.just(java.util.Optional.empty())
                    : forecast.project(s.level(), s.key(), months, scenario).map(java.util.Optional::of);
            // one after the other, as the other charts: at most one database connection each
            return base.flatMap(b -> alternative.flatMap(a -> actual.publishOn(Schedulers.boundedElastic())
                    .map(past -> forecastChart(measure, s, b, a.orElse(null), scenario, past))));
        });
    }

    private JFreeChart forecastChart(ForecastMeasure measure, ChartData.Scope scope, Projection base, Projection alternative,
                                     Scenario scenario, List<IndicatorEngine.Dated> past) {
        if (base.months().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no projection for " + where(scope) + ": nothing to chart");
        }
        // A ratio has no value in a month where its denominator is nothing in every run (a team without case-holding
        // social workers has no caseload per FTE): such months are left out, and a measure with none is not charted.
        if (base.months().stream().allMatch(m -> measure.of(m) == null)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + measure.label.toLowerCase(Locale.UK) + " to project for "
                    + where(scope) + ": " + measure.withoutValue() + " in any projected month");
        }
        List<Fan> drawn = fans(measure, base, alternative, scenario);
        YIntervalSeriesCollection fans = new YIntervalSeriesCollection();
        double[] bounds = {0, 0};
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        renderer.setAlpha(0.22f);
        for (int i = 0; i < drawn.size(); i++) {
            Fan f = drawn.get(i);
            fans.addSeries(fan(f.name(), f.range(), f.projection(), bounds));
            renderer.setSeriesPaint(i, f.colour());
            renderer.setSeriesFillPaint(i, f.colour());
            renderer.setSeriesStroke(i, f.stroke());
        }

        NumberAxis y = ChartTheme.valueAxis(measure.axis, bounds[1], measure.format(), false);
        XYPlot plot = new XYPlot(fans, ChartTheme.dateAxis(null), y, renderer);
        LegendItemCollection legend = new LegendItemCollection();
        XYSeries actual = new XYSeries("Actual", false, true);
        for (IndicatorEngine.Dated d : past) {
            if (d.value().value() != null) {
                actual.add(millis(d.asOf()), d.value().value());
                bounds[1] = Math.max(bounds[1], d.value().value());
            }
        }
        if (!actual.isEmpty()) {
            XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
            line.setSeriesPaint(0, ChartTheme.BLACK);
            line.setSeriesStroke(0, ChartTheme.THIN);
            line.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            plot.setDataset(1, new XYSeriesCollection(actual));
            plot.setRenderer(1, line);
            legend.add(ChartTheme.lineItem("Actual", ChartTheme.BLACK, ChartTheme.THIN));
        }
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        y.setRange(bounds[0] < 0 ? bounds[0] * 1.12 : 0, bounds[1] <= 0 ? 1 : bounds[1] * 1.12);
        plot.addDomainMarker(ChartTheme.lineMarker(millis(base.start()), ChartTheme.GREY, ChartTheme.DOTTED,
                "Forecast from " + base.start().format(DAY), true), Layer.FOREGROUND);
        for (Fan f : drawn) {
            legend.add(ChartTheme.lineItem(f.name() + " p50", f.colour(), f.stroke()));
            legend.add(ChartTheme.boxItem(f.name() + " p10–p90", ChartTheme.band(f.colour())));
        }
        plot.setFixedLegendItems(legend);
        if (measure == ForecastMeasure.FTE_GAP) {
            plot.addRangeMarker(ChartTheme.lineMarker(0, ChartTheme.GREY, ChartTheme.THIN, null, false), Layer.FOREGROUND);
        }

        List<Month> months = base.months();
        Month last = lastWithValue(measure, base);
        Range end = measure.of(last);
        List<String> notes = new ArrayList<>();
        notes.add("Line: the median (p50) of the simulated months; shaded: the 10th to 90th percentile (p10–p90). "
                + last.month().format(MONTH) + ": " + measure.figure(end.p50()) + " (" + measure.figure(end.p10()) + " to "
                + measure.figure(end.p90()) + ")." + (actual.isEmpty() ? "" : " Actual: " + measure.actual.id() + " at the last "
                + (actual.getItemCount() - 1) + " month ends and today."));
        notes.addAll(needNotes(measure, last));
        if (alternative != null) {
            Month otherLast = lastWithValue(measure, alternative);
            Range other = otherLast == null ? null : measure.of(otherLast);
            notes.add("Scenario “" + scenario.name() + "”" + (scenario.description() == null || scenario.description().isBlank() ? ""
                    : ": " + scenario.description()) + ". " + (other == null ? "No value in any projected month."
                    : otherLast.month().format(MONTH) + ": " + measure.figure(other.p50()) + " ("
                    + measure.figure(other.p10()) + " to " + measure.figure(other.p90()) + ")."));
        }
        String title = measure.label + ", next " + months.size() + " months — " + scope.label()
                + (alternative != null ? " — baseline and " + scenario.name() : "");
        return ChartTheme.chart(title, notes, plot, true);
    }

    private static final java.awt.Stroke FAN_DASHED = new java.awt.BasicStroke(2.2f, java.awt.BasicStroke.CAP_BUTT,
            java.awt.BasicStroke.JOIN_ROUND, 10f, new float[]{7f, 4f}, 0f);

    /** A fan drawn: its name in the legend and the table, the projection and measure it shows, and how it is drawn. */
    private record Fan(String name, Projection projection, Function<Month, Range> range, Color colour, java.awt.Stroke stroke) {
    }

    /**
     * The fans of a forecast chart: the measure's baseline and scenario; for the FTE needed, each beside the projected
     * case-holding FTE it is measured against.
     */
    private static List<Fan> fans(ForecastMeasure measure, Projection base, Projection alternative, Scenario scenario) {
        List<Fan> fans = new ArrayList<>();
        if (measure != ForecastMeasure.FTE_NEEDED) {
            fans.add(new Fan("Baseline", base, measure::of, BASELINE, ChartTheme.LINE));
            if (alternative != null) {
                fans.add(new Fan(scenario.name(), alternative, measure::of, SCENARIO, FAN_DASHED));
            }
            return fans;
        }
        fans.add(new Fan("Needed", base, measure::of, BASELINE, ChartTheme.LINE));
        fans.add(new Fan("Projected", base, Month::caseHoldingFte, PROJECTED, ChartTheme.LINE));
        if (alternative != null) {
            fans.add(new Fan(scenario.name() + " needed", alternative, measure::of, SCENARIO, FAN_DASHED));
            fans.add(new Fan(scenario.name() + " projected", alternative, Month::caseHoldingFte, SCENARIO_PROJECTED, FAN_DASHED));
        }
        return fans;
    }

    /** What the FTE needed and its gap are, and the gap at the last month in words. */
    private static List<String> needNotes(ForecastMeasure measure, Month last) {
        if (measure != ForecastMeasure.FTE_NEEDED && measure != ForecastMeasure.FTE_GAP) {
            return List.of();
        }
        List<String> notes = new ArrayList<>();
        notes.add("Needed: the projected children held ÷ each team's target caseload per FTE; projected: the case-holding social"
                + " work FTE, as the caseload indicator counts it.");
        Range gap = last.fteGap();
        if (gap != null) {
            notes.add(last.month().format(MONTH) + ": " + (gap.p50() > 0 ? "short by " + ChartTheme.number(gap.p50()) + " FTE"
                    : "covered, " + ChartTheme.number(-gap.p50()) + " FTE to spare") + " (gap " + ChartTheme.number(gap.p10())
                    + " to " + ChartTheme.number(gap.p90()) + " FTE; above 0 is short).");
        }
        return notes;
    }

    /** The last projected month where the measure has a value; null if none has. */
    private static Month lastWithValue(ForecastMeasure measure, Projection projection) {
        Month found = null;
        for (Month m : projection.months()) {
            found = measure.of(m) == null ? found : m;
        }
        return found;
    }

    /**
     * A projection's months as a p50 line with its p10–p90 interval, at each month's end (months without a value left
     * out); widens bounds {low, high}.
     */
    private static YIntervalSeries fan(String name, Function<Month, Range> measure, Projection projection, double[] bounds) {
        YIntervalSeries s = new YIntervalSeries(name, false, true);
        for (Month m : projection.months()) {
            Range r = measure.apply(m);
            if (r == null) {
                continue;
            }
            s.add(millis(m.month().atEndOfMonth()), r.p50(), r.p10(), r.p90());
            bounds[0] = Math.min(bounds[0], r.p10());
            bounds[1] = Math.max(bounds[1], r.p90());
        }
        return s;
    }

    // ------------------------------------------------------------------ drawing

    /** A date plotted at its midnight UTC, as {@link ChartTheme#dateAxis} reads it. */
    static double millis(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The chart drawn as a PNG of exactly this size, on white, without alpha. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        return png(chart, width, height, 1);
    }

    /**
     * The chart laid out at this size and drawn at {@code scale} pixels per unit (a screen's device pixel ratio): the
     * image is width × scale by height × scale pixels, and its text, shown at width, is as large as the chart's fonts.
     */
    static byte[] png(JFreeChart chart, int width, int height, double scale) {
        BufferedImage image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(scale, scale);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        // in memory: ImageIO.write would buffer through a temporary file
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The chart drawn as an SVG document of this size, text as text, opening with the chart's title and a description
     * with its values ({@link ChartTable#titled}). Element ids are prefixed with a hash
     * of the title and size, so the same chart gives the same document and two different charts inlined
     * in one page do not share ids.
     */
    public static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        String title = chart.getTitle() == null ? "" : chart.getTitle().getText();
        g.setDefsKeyPrefix("c" + Integer.toHexString(Objects.hash(title, width, height)));
        // the style attribute is single-quoted; CSS allows a family name of plain words unquoted
        g.setFontFunction(family -> family.equals(ChartTheme.FONT) ? "DejaVu Sans, Verdana, sans-serif" : family);
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        // no DOCTYPE: SVG 2 has none, and a DTD reference only tempts parsers to fetch it
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + ChartTable.titled(g.getSVGElement(), chart);
    }
}
