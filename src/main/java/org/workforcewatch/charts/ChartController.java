package org.workforcewatch.charts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import jakarta.annotation.PreDestroy;
import org.jfree.chart.JFreeChart;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.indicators.AsOf;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.planning.Scenario;
import org.workforcewatch.planning.ScenarioStore;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The charts over HTTP, as PNG or SVG (the path's extension), {@code ?width=} × {@code ?height=} pixels, a PNG drawn
 * at {@code ?dpr=} (the screen's device pixel ratio) image pixels per pixel; and as CSV, the figures the chart draws
 * ({@link ChartTable}), with the same parameters. Charts of
 * the past take {@code ?as_of=YYYY-MM-DD}: the data up to that day, against the thresholds in force at its end.
 * Answers carry a strong ETag and {@code Cache-Control: no-cache}: a browser may keep a chart but asks
 * each time whether it is still current, and gets 304 while the figures have not changed.
 * {@code Server-Timing} says whether the chart came from the cache, and otherwise how long the figures, the
 * wait for a drawing thread and the drawing took.
 */
@RestController
class ChartController {

    static final int DEFAULT_WIDTH = 900;
    static final int DEFAULT_HEIGHT = 450;
    static final int MIN_WIDTH = 200;
    static final int MAX_WIDTH = 2400;
    static final int MIN_HEIGHT = 150;
    static final int MAX_HEIGHT = 1600;
    static final int MAX_RATIO = 4;
    static final int MAX_PIXELS_WIDE = 4800;
    static final int MAX_PIXELS_HIGH = 3200;

    private final Charts charts;
    private final ChartCache cache;
    private final Clock clock;
    private final ScenarioStore scenarios;
    private final IndicatorEngine engine;
    /**
     * Drawing and encoding are CPU work: at most one chart per core at a time, on threads of their own, so that
     * a burst of charts neither blocks the event loop nor crowds it out with more busy threads than cores. The
     * rest wait in the queue.
     */
    private final Scheduler draw = Schedulers.newBoundedElastic(Runtime.getRuntime().availableProcessors(), 100_000,
            "chart-draw", 60, true);

    ChartController(Charts charts, ChartCache cache, Clock clock, ScenarioStore scenarios, IndicatorEngine engine) {
        this.engine = engine;
        this.charts = charts;
        this.cache = cache;
        this.clock = clock;
        this.scenarios = scenarios;
    }

    @PreDestroy
    void stop() {
        draw.dispose();
    }

    @GetMapping("/api/charts/indicators/{id}/trend.{format}")
    Mono<ResponseEntity<byte[]>> trend(@PathVariable String id, @PathVariable String format,
                                       @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                       @RequestParam(name = "as_of", required = false) String asOf,
                                       @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        Indicator indicator = indicator(id);
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("trend/" + indicator.id(), params(l, scope, date), date, format, width, height, dpr,
                () -> charts.trend(indicator, l, scope, date)));
    }

    @GetMapping("/api/charts/indicators/{id}/teams.{format}")
    Mono<ResponseEntity<byte[]>> teams(@PathVariable String id, @PathVariable String format,
                                       @RequestParam(required = false) String service,
                                       @RequestParam(name = "as_of", required = false) String asOf,
                                       @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        Indicator indicator = indicator(id);
        LocalDate date = AsOf.parse(asOf);
        String s = service == null || service.isBlank() ? null : service.strip();
        Mono<ResponseEntity<byte[]>> chart = answer("teams/" + indicator.id(), "service=" + s + "&as_of=" + date, date, format, width, height, dpr,
                () -> charts.teams(indicator, date, s));
        return date == null ? chart : engine.covered(date).then(chart);
    }

    @GetMapping("/api/charts/indicators/{id}/spc.{format}")
    Mono<ResponseEntity<byte[]>> spc(@PathVariable String id, @PathVariable String format,
                                     @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                     @RequestParam(name = "as_of", required = false) String asOf,
                                     @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        Indicator indicator = indicator(id);
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("spc/" + indicator.id(), params(l, scope, date), date, format, width, height, dpr,
                () -> charts.spc(indicator, l, scope, date)));
    }

    @GetMapping("/api/charts/composition.{format}")
    Mono<ResponseEntity<byte[]>> composition(@PathVariable String format,
                                             @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                             @RequestParam(name = "as_of", required = false) String asOf,
                                             @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("composition", params(l, scope, date), date, format, width, height, dpr,
                () -> charts.composition(l, scope, date)));
    }

    @GetMapping("/api/charts/starters-leavers.{format}")
    Mono<ResponseEntity<byte[]>> startersLeavers(@PathVariable String format,
                                                 @RequestParam(required = false) String level,
                                                 @RequestParam(required = false) String scope,
                                                 @RequestParam(name = "as_of", required = false) String asOf,
                                                 @RequestParam(required = false) String width,
                                                 @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("starters-leavers", params(l, scope, date), date, format, width, height, dpr,
                () -> charts.startersLeavers(l, scope, date)));
    }

    @GetMapping("/api/charts/teams/{team}/caseloads.{format}")
    Mono<ResponseEntity<byte[]>> caseloads(@PathVariable String team, @PathVariable String format,
                                           @RequestParam(name = "as_of", required = false) String asOf,
                                           @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("caseloads", "team=" + team + (date == null ? "" : "&as_of=" + date), date, format, width, height, dpr,
                () -> charts.caseloads(team, date)));
    }

    @GetMapping("/api/charts/pa-caseloads.{format}")
    Mono<ResponseEntity<byte[]>> paCaseloads(@PathVariable String format,
                                             @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                             @RequestParam(name = "as_of", required = false) String asOf,
                                             @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("pa-caseloads", params(l, scope, date), date, format, width, height, dpr,
                () -> charts.paCaseloads(l, scope, date)));
    }

    @GetMapping("/api/charts/allocation-waits.{format}")
    Mono<ResponseEntity<byte[]>> allocationWaits(@PathVariable String format,
                                                 @RequestParam(required = false) String level,
                                                 @RequestParam(required = false) String scope,
                                                 @RequestParam(name = "as_of", required = false) String asOf,
                                                 @RequestParam(required = false) String width,
                                                 @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("allocation-waits", params(l, scope, date), date, format, width, height, dpr,
                () -> charts.allocationWaits(l, scope, date)));
    }

    /**
     * A measure's projection as a fan chart; with {@code ?scenario=}, the saved scenario beside the baseline. The
     * scenario's content is part of the cache key, so a scenario changed under the same name is drawn afresh.
     */
    @GetMapping("/api/charts/forecast.{format}")
    Mono<ResponseEntity<byte[]>> forecast(@PathVariable String format, @RequestParam(required = false) String measure,
                                          @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                          @RequestParam(required = false) String months, @RequestParam(required = false) String scenario,
                                          @RequestParam(required = false) String width, @RequestParam(required = false) String height,
            @RequestParam(required = false) String dpr) {
        Charts.ForecastMeasure m = Charts.ForecastMeasure.byId(measure);
        String l = level(level);
        int n = months(months);
        Mono<Optional<Scenario>> named = scenario == null || scenario.isBlank() ? Mono.just(Optional.empty())
                : scenarios.get(scenario.strip()).map(s -> Optional.of(s.scenario())).switchIfEmpty(Mono.error(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "no scenario named '" + scenario.strip() + "'; GET /api/scenarios lists them")));
        return named.flatMap(s -> answer("forecast/" + m.id(), params(l, scope) + "&months=" + n
                        + s.map(x -> "&scenario=" + x.name() + "#" + Integer.toHexString(x.hashCode())).orElse(""),
                null, format, width, height, dpr, () -> charts.forecast(m, l, scope, n, s.orElse(null))));
    }

    private Mono<ResponseEntity<byte[]>> answer(String chart, String params, LocalDate asOf, String format, String width, String height,
                                                String dpr, Supplier<Mono<JFreeChart>> build) {
        Format f = format(format);
        int w = size("width", width, DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH);
        int h = size("height", height, DEFAULT_HEIGHT, MIN_HEIGHT, MAX_HEIGHT);
        double ratio = ratio(dpr, w, h);
        LocalDate today = LocalDate.now(clock);
        LocalDate day = asOf == null ? today : asOf;
        // every chart shows today somewhere (its last point, or today's figures): a new day is a new chart; a table
        // has no size, and a vector picture no pixel ratio
        String kind = switch (f) {
            case PNG -> "png@" + ratio;
            case SVG -> "svg";
            case CSV -> "csv";
        };
        ChartCache.Key key = new ChartCache.Key(chart, params + "&today=" + today, kind, f == Format.CSV ? 0 : w, f == Format.CSV ? 0 : h);
        return cache.get(key, () -> Mono.defer(() -> {
            long start = System.nanoTime();
            long[] built = new long[1];
            return build.get().doOnNext(c -> built[0] = System.nanoTime()).publishOn(draw).map(c -> {
                long drawn = System.nanoTime();
                byte[] bytes = switch (f) {
                    case PNG -> Charts.png(c, w, h, ratio);
                    case SVG -> Charts.svg(c, w, h).getBytes(StandardCharsets.UTF_8);
                    case CSV -> ChartTable.of(c).csv(day).getBytes(StandardCharsets.UTF_8);
                };
                long end = System.nanoTime();
                return new ChartCache.Rendered(bytes, ChartCache.etag(bytes), (built[0] - start) / 1e6, (drawn - built[0]) / 1e6,
                        (end - drawn) / 1e6);
            });
        })).map(a -> {
            ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(f.type);
            if (f == Format.CSV) {
                ok.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(chart.replace('/', '-') + "-" + day + ".csv").build().toString());
            }
            return ok.eTag(a.rendered().etag())
                    .cacheControl(CacheControl.noCache())
                    .header("Server-Timing", a.hit() ? "cache;desc=hit"
                            : String.format(Locale.ROOT, "cache;desc=miss, chart;dur=%.1f;desc=\"figures and chart\", "
                                            + "queue;dur=%.1f;desc=\"waiting to draw\", draw;dur=%.1f;desc=\"drawing and encoding\"",
                                    a.rendered().buildMillis(), a.rendered().queueMillis(), a.rendered().drawMillis()))
                    .body(a.rendered().bytes());
        });
    }

    /** The level's and day's parameters as they select the chart. */
    private static String params(String level, String scope, LocalDate asOf) {
        return params(level, scope) + (asOf == null ? "" : "&as_of=" + asOf);
    }

    /** A chart as of a day the data covers; a day outside it is a problem naming the window. */
    private Mono<ResponseEntity<byte[]>> asOf(LocalDate date, Mono<ResponseEntity<byte[]>> chart) {
        return date == null ? chart : engine.covered(date).then(chart);
    }

    /** The level's parameters as they select the chart: an authority chart has no scope. */
    private static String params(String level, String scope) {
        return "level=" + level + (level.equals("authority") ? "" : "&scope=" + (scope == null ? "" : scope.strip()));
    }

    private static String level(String level) {
        return level == null || level.isBlank() ? "authority" : level.strip();
    }

    private static Indicator indicator(String id) {
        return Indicator.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no indicator " + id + "; the indicators are " + Arrays.stream(Indicator.values()).map(Indicator::id).toList()));
    }

    /** What a chart's address may end in: a picture, or the table of the figures it draws. */
    enum Format {
        PNG(MediaType.IMAGE_PNG), SVG(MediaType.parseMediaType("image/svg+xml")), CSV(new MediaType("text", "csv", StandardCharsets.UTF_8));

        final MediaType type;

        Format(MediaType type) {
            this.type = type;
        }
    }

    private static Format format(String format) {
        return switch (format) {
            case "png" -> Format.PNG;
            case "svg" -> Format.SVG;
            case "csv" -> Format.CSV;
            default -> throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "charts come as .png or .svg, and their figures as .csv, not ." + format);
        };
    }

    /**
     * The device pixel ratio a PNG is drawn at (1 when not given): from 1 to {@value #MAX_RATIO}, and the image it makes
     * no larger than {@value #MAX_PIXELS_WIDE} × {@value #MAX_PIXELS_HIGH} pixels.
     */
    private static double ratio(String raw, int width, int height) {
        if (raw == null || raw.isBlank()) {
            return 1;
        }
        double value;
        try {
            value = Double.parseDouble(raw.strip());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= 1 && value <= MAX_RATIO)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "dpr (the screen's device pixel ratio) must be a number from 1 to " + MAX_RATIO + "; got '" + raw + "'");
        }
        // three decimals are as many as screens report (2.625), and keep one cached picture per screen
        value = Math.round(value * 1000) / 1000.0;
        if (Math.round(width * value) > MAX_PIXELS_WIDE || Math.round(height * value) > MAX_PIXELS_HIGH) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "width × dpr must be at most " + MAX_PIXELS_WIDE
                    + " and height × dpr at most " + MAX_PIXELS_HIGH + " pixels; got " + width + " × " + height + " at " + value);
        }
        return value;
    }

    private static int size(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            value = Integer.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    name + " must be a whole number of pixels from " + min + " to " + max + "; got '" + raw + "'");
        }
        return value;
    }

    private static int months(String raw) {
        if (raw == null || raw.isBlank()) {
            return 12;
        }
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 1 && n <= 24) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "months must be a whole number from 1 to 24; got '" + raw + "'");
    }
}
