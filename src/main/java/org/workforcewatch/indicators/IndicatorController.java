package org.workforcewatch.indicators;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The indicators on a date, and each indicator's monthly series. */
@RestController
class IndicatorController {

    private static final List<String> LEVELS = List.of("team", "service", "authority");

    private final IndicatorEngine engine;
    private final BenchmarkComparison benchmarks;
    private final Clock clock;

    IndicatorController(IndicatorEngine engine, BenchmarkComparison benchmarks, Clock clock) {
        this.engine = engine;
        this.benchmarks = benchmarks;
        this.clock = clock;
    }

    @GetMapping("/api/indicators")
    Mono<Map<String, Object>> indicators(@RequestParam(name = "as_of", required = false)
                                         @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf,
                                         @RequestParam(required = false) String level) {
        LocalDate date = asOf == null ? LocalDate.now(clock) : asOf;
        List<String> levels = level == null ? LEVELS : List.of(checkLevel(level));
        Mono<Map<String, BenchmarkComparison.Entry>> comparators = levels.contains("authority")
                ? benchmarks.at(date).collectMap(BenchmarkComparison.Entry::indicator) : Mono.just(Map.of());
        return Flux.fromIterable(levels).concatMap(l -> engine.current(List.of(date), l, null, null))
                .map(IndicatorEngine.Dated::value).collectList()
                .zipWith(comparators, (values, byIndicator) -> values.stream()
                        .map(v -> v.level().equals("authority") && byIndicator.containsKey(v.indicator())
                                ? v.withBenchmark(byIndicator.get(v.indicator())) : v).toList())
                .map(values -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("as_of", date);
                    body.put("indicators", values);
                    return body;
                });
    }

    /** Month ends over all history (or from/to), then today if it falls in the range. */
    @GetMapping("/api/indicators/{id}/series")
    Mono<Map<String, Object>> series(@PathVariable String id, @RequestParam(defaultValue = "authority") String level,
                                     @RequestParam(required = false) String scope,
                                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Indicator indicator = Indicator.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no indicator " + id + "; the indicators are " + java.util.Arrays.stream(Indicator.values()).map(Indicator::id).toList()));
        String l = checkLevel(level);
        if (!l.equals("authority") && (scope == null || scope.isBlank())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "scope (a team id or a service name) is needed for level " + l);
        }
        LocalDate today = LocalDate.now(clock);
        return engine.historyDates(today).flatMap(all -> {
            List<LocalDate> dates = new java.util.ArrayList<>(all);
            dates.add(today);
            dates.removeIf(d -> (from != null && d.isBefore(from)) || (to != null && d.isAfter(to)));
            return engine.current(dates, l, indicator, scope).map(d -> {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("as_of", d.asOf());
                point.put("value", d.value().value());
                point.put("severity", d.value().severity());
                point.put("numerator", d.value().numerator());
                point.put("denominator", d.value().denominator());
                return point;
            }).collectList().map(points -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("indicator", indicator.id());
                body.put("level", l);
                body.put("scope", l.equals("authority") ? "authority" : scope);
                body.put("points", points);
                return body;
            });
        });
    }

    private static String checkLevel(String level) {
        if (!LEVELS.contains(level)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "level must be one of team, service, authority; got " + level);
        }
        return level;
    }
}
