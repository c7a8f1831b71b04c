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
 * The charts over HTTP, as PNG or SVG (the path's extension), {@code ?width=} × {@code ?height=} pixels. Charts of
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

    private static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");

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
                                       @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        Indicator indicator = indicator(id);
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("trend/" + indicator.id(), params(l, scope, date), format, width, height,
                () -> charts.trend(indicator, l, scope, date)));
    }

    @GetMapping("/api/charts/indicators/{id}/teams.{format}")
    Mono<ResponseEntity<byte[]>> teams(@PathVariable String id, @PathVariable String format,
                                       @RequestParam(required = false) String service,
                                       @RequestParam(name = "as_of", required = false) String asOf,
                                       @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        Indicator indicator = indicator(id);
        LocalDate date = AsOf.parse(asOf);
        String s = service == null || service.isBlank() ? null : service.strip();
        Mono<ResponseEntity<byte[]>> chart = answer("teams/" + indicator.id(), "service=" + s + "&as_of=" + date, format, width, height,
                () -> charts.teams(indicator, date, s));
        return date == null ? chart : engine.covered(date).then(chart);
    }

    @GetMapping("/api/charts/indicators/{id}/spc.{format}")
    Mono<ResponseEntity<byte[]>> spc(@PathVariable String id, @PathVariable String format,
                                     @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                     @RequestParam(name = "as_of", required = false) String asOf,
                                     @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        Indicator indicator = indicator(id);
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("spc/" + indicator.id(), params(l, scope, date), format, width, height,
                () -> charts.spc(indicator, l, scope, date)));
    }

    @GetMapping("/api/charts/composition.{format}")
    Mono<ResponseEntity<byte[]>> composition(@PathVariable String format,
                                             @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                             @RequestParam(name = "as_of", required = false) String asOf,
                                             @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("composition", params(l, scope, date), format, width, height,
                () -> charts.composition(l, scope, date)));
    }

    @GetMapping("/api/charts/starters-leavers.{format}")
    Mono<ResponseEntity<byte[]>> startersLeavers(@PathVariable String format,
                                                 @RequestParam(required = false) String level,
                                                 @RequestParam(required = false) String scope,
                                                 @RequestParam(name = "as_of", required = false) String asOf,
                                                 @RequestParam(required = false) String width,
                                                 @RequestParam(required = false) String height) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("starters-leavers", params(l, scope, date), format, width, height,
                () -> charts.startersLeavers(l, scope, date)));
    }

    @GetMapping("/api/charts/teams/{team}/caseloads.{format}")
    Mono<ResponseEntity<byte[]>> caseloads(@PathVariable String team, @PathVariable String format,
                                           @RequestParam(name = "as_of", required = false) String asOf,
                                           @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("caseloads", "team=" + team + (date == null ? "" : "&as_of=" + date), format, width, height,
                () -> charts.caseloads(team, date)));
    }

    @GetMapping("/api/charts/pa-caseloads.{format}")
    Mono<ResponseEntity<byte[]>> paCaseloads(@PathVariable String format,
                                             @RequestParam(required = false) String level, @RequestParam(required = false) String scope,
                                             @RequestParam(name = "as_of", required = false) String asOf,
                                             @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("pa-caseloads", params(l, scope, date), format, width, height,
                () -> charts.paCaseloads(l, scope, date)));
    }

    @GetMapping("/api/charts/allocation-waits.{format}")
    Mono<ResponseEntity<byte[]>> allocationWaits(@PathVariable String format,
                                                 @RequestParam(required = false) String level,
                                                 @RequestParam(required = false) String scope,
                                                 @RequestParam(name = "as_of", required = false) String asOf,
                                                 @RequestParam(required = false) String width,
                                                 @RequestParam(required = false) String height) {
        String l = level(level);
        LocalDate date = AsOf.parse(asOf);
        return asOf(date, answer("allocation-waits", params(l, scope, date), format, width, height,
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
                                          @RequestParam(required = false) String width, @RequestParam(required = false) String height) {
        Charts.ForecastMeasure m = Charts.ForecastMeasure.byId(measure);
        String l = level(level);
        int n = months(months);
        Mono<Optional<Scenario>> named = scenario == null || scenario.isBlank() ? Mono.just(Optional.empty())
                : scenarios.get(scenario.strip()).map(s -> Optional.of(s.scenario())).switchIfEmpty(Mono.error(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "no scenario named '" + scenario.strip() + "'; GET /api/scenarios lists them")));
        return named.flatMap(s -> answer("forecast/" + m.id(), params(l, scope) + "&months=" + n
                        + s.map(x -> "&scenario=" + x.name() + "#" + Integer.toHexString(x.hashCode())).orElse(""),
                format, width, height, () -> charts.forecast(m, l, scope, n, s.orElse(null))));
    }

    private Mono<ResponseEntity<byte[]>> answer(String chart, String params, String format, String width, String height,
                                                Supplier<Mono<JFreeChart>> build) {
        boolean png = format(format);
        int w = size("width", width, DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH);
        int h = size("height", height, DEFAULT_HEIGHT, MIN_HEIGHT, MAX_HEIGHT);
        // every chart shows today somewhere (its last point, or today's figures): a new day is a new chart
        ChartCache.Key key = new ChartCache.Key(chart, params + "&today=" + LocalDate.now(clock), png ? "png" : "svg", w, h);
        return cache.get(key, () -> Mono.defer(() -> {
            long start = System.nanoTime();
            long[] built = new long[1];
            return build.get().doOnNext(c -> built[0] = System.nanoTime()).publishOn(draw).map(c -> {
                long drawn = System.nanoTime();
                byte[] bytes = png ? Charts.png(c, w, h) : Charts.svg(c, w, h).getBytes(StandardCharsets.UTF_8);
                long end = System.nanoTime();
                return new ChartCache.Rendered(bytes, ChartCache.etag(bytes), (built[0] - start) / 1e6, (drawn - built[0]) / 1e6,
                        (end - drawn) / 1e6);
            });
        })).map(a -> ResponseEntity.ok()
                .contentType(png ? MediaType.IMAGE_PNG : SVG)
                .eTag(a.rendered().etag())
                .cacheControl(CacheControl.noCache())
                .header("Server-Timing", a.hit() ? "cache;desc=hit"
                        : String.format(Locale.ROOT, "cache;desc=miss, chart;dur=%.1f;desc=\"figures and chart\", "
                                        + "queue;dur=%.1f;desc=\"waiting to draw\", draw;dur=%.1f;desc=\"drawing and encoding\"",
                                a.rendered().buildMillis(), a.rendered().queueMillis(), a.rendered().drawMillis()))
                .body(a.rendered().bytes()));
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

    /** true for PNG, false for SVG. */
    private static boolean format(String format) {
        return switch (format) {
            case "png" -> true;
            case "svg" -> false;
            default -> throw new ResponseStatusException(HttpStatus.NOT_FOUND, "charts come as .png or .svg, not ." + format);
        };
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
