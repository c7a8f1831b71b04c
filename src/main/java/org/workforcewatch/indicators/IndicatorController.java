package org.workforcewatch.indicators;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The indicators on a date, each indicator's monthly series, and what the data covers.
 * <p>
 * An answer of /api/indicators says when its figures were computed and whether changes are waiting to be
 * taken into them. Built from stored figures, it is kept serialised (and compressed) until they, or the
 * thresholds, change: a dashboard polling the same date costs one small query, not thousands of rows
 * turned into JSON again.
 */
@RestController
class IndicatorController {

    private static final List<String> LEVELS = List.of("team", "service", "authority");
    /** Serialised answers kept (dates × levels × services). */
    private static final int ANSWERS_KEPT = 64;

    private final IndicatorEngine engine;
    private final BenchmarkComparison benchmarks;
    private final Thresholds thresholds;
    private final JsonMapper json;
    private final Clock clock;

    private record Key(LocalDate asOf, String level, String service, long version, boolean pending, long thresholds) {
    }

    /** One serialised answer, and the same compressed once a client asked for it so. */
    private static final class Answer {
        final byte[] plain;
        volatile byte[] gzipped;

        Answer(byte[] plain) {
            this.plain = plain;
        }

        byte[] gzipped() {
            byte[] g = gzipped;
            if (g == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 8 + 64);
                try (GZIPOutputStream zip = new GZIPOutputStream(out, 1 << 16)) {
                    zip.write(plain);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                g = out.toByteArray();
                gzipped = g;
            }
            return g;
        }
    }

    private final Map<Key, Answer> answers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
            return size() > ANSWERS_KEPT;
        }
    };

    IndicatorController(IndicatorEngine engine, BenchmarkComparison benchmarks, Thresholds thresholds, JsonMapper json, Clock clock) {
        this.engine = engine;
        this.benchmarks = benchmarks;
        this.thresholds = thresholds;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(value = "/api/indicators", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> indicators(@RequestParam(name = "as_of", required = false)
                                            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf,
                                            @RequestParam(required = false) String level,
                                            @RequestParam(required = false) String service,
                                            @RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) String encodings) {
        LocalDate today = LocalDate.now(clock);
        LocalDate date = asOf == null ? today : asOf;
        List<String> levels = level == null ? LEVELS : List.of(checkLevel(level));
        boolean gzip = encodings != null && encodings.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        return engine.coverage().flatMap(coverage -> {
            if (!coverage.inWindow(date)) {
                return Mono.error(new DateNotCovered(date, coverage));
            }
            return engine.freshness(date).flatMap(fresh -> {
                Key key = new Key(date, level, service, fresh.version(), fresh.pending(), thresholds.generation());
                Answer kept;
                synchronized (answers) {
                    kept = fresh.stored() ? answers.get(key) : null;
                }
                Mono<Answer> answer = kept != null ? Mono.just(kept) : build(date, today, levels, service, fresh)
                        .doOnNext(built -> {
                            if (fresh.stored()) {
                                synchronized (answers) {
                                    answers.put(key, built);
                                }
                            }
                        });
                return answer.publishOn(Schedulers.boundedElastic()).map(a -> {
                    ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                            .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
                    return gzip ? ok.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(a.gzipped()) : ok.body(a.plain);
                });
            });
        });
    }

    /**
     * A past day's values are rated with the thresholds in force at the end of that day, as the board pack and the charts
     * as of that day rate them; today's with those in force now.
     */
    private Mono<Answer> build(LocalDate date, LocalDate today, List<String> levels, String service, IndicatorEngine.Freshness fresh) {
        Mono<Map<String, BenchmarkComparison.Entry>> comparators = levels.contains("authority")
                ? benchmarks.at(date).collectMap(BenchmarkComparison.Entry::indicator) : Mono.just(Map.of());
        boolean past = date.isBefore(today);
        Flux<IndicatorEngine.Dated> rated = past
                ? thresholds.atEndOf(date).flatMapMany(view -> Flux.fromIterable(levels)
                        .concatMap(l -> engine.current(List.of(date), l, null, null, view)))
                : Flux.fromIterable(levels).concatMap(l -> engine.current(List.of(date), l, null, null));
        return rated.map(IndicatorEngine.Dated::value)
                .filter(v -> service == null || v.level().equals("authority") || service.equals(v.service()))
                .collectList()
                .zipWith(comparators, (values, byIndicator) -> values.stream()
                        .map(v -> v.level().equals("authority") && byIndicator.containsKey(v.indicator())
                                ? v.withBenchmark(byIndicator.get(v.indicator())) : v).toList())
                .map(values -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("as_of", date);
                    body.put("computed_at", fresh.stored() ? fresh.computedAt() : OffsetDateTime.now(clock));
                    body.put("pending", fresh.pending());
                    if (past) {
                        body.put("thresholds_in_force_at", thresholds.endOf(date));
                    }
                    if (service != null) {
                        body.put("service", service);
                    }
                    body.put("indicators", values);
                    return new Answer(json.writeValueAsBytes(body));
                });
    }

    /**
     * Month ends the data covers (or from/to), then today if it falls in the range. Each month end is rated with the
     * thresholds in force at the end of that day (as /api/indicators?as_of= and that month's board pack rate it), today
     * with those in force now.
     */
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
        return Mono.zip(engine.historyDates(today), engine.coverage(), engine.freshness(today)).flatMap(found -> {
            List<LocalDate> dates = new java.util.ArrayList<>(found.getT1());
            dates.add(today);
            dates.removeIf(d -> (from != null && d.isBefore(from)) || (to != null && d.isAfter(to)));
            List<LocalDate> past = dates.stream().filter(d -> d.isBefore(today)).toList();
            return thresholds.atEndOf(past).flatMapMany(inForce -> engine.series(dates, l, indicator, scope).map(d -> {
                IndicatorValue v = inForce.containsKey(d.asOf()) ? inForce.get(d.asOf()).apply(d.value()) : d.value();
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("as_of", d.asOf());
                point.put("value", v.value());
                point.put("severity", v.severity());
                point.put("numerator", v.numerator());
                point.put("denominator", v.denominator());
                return point;
            })).collectList().map(points -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("indicator", indicator.id());
                body.put("level", l);
                body.put("scope", l.equals("authority") ? "authority" : scope);
                body.put("covered_from", found.getT2().from(indicator));
                body.put("pending", found.getT3().pending());
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
