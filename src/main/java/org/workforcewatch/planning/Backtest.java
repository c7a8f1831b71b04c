package org.workforcewatch.planning;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.cluster.ChangedElsewhere;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.security.ExpensiveReads;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How good the forecast is: for each month end t of the history from the 13th month on, the authority is projected from t with
 * only the data known at t, and the median at t+6 and t+12 is compared with what happened, as is the naive forecast "no change
 * from t". Measures: FTE in post (employed and agency, CFSW and personal advisers), leavers in the month, caseload per FTE.
 * <p>
 * A run costs seconds (hundreds of projections), so its result is kept until the data changes (an import or event here,
 * or on another instance) or the day does; a run is one of the asker's expensive reads ({@link ExpensiveReads}),
 * and whoever asks while one is under way waits for it rather than starting another.
 */
@Component
public class Backtest {

    static final List<Integer> HORIZONS = List.of(6, 12);
    static final List<String> MEASURES = List.of("fte", "leavers", "caseload_per_fte");
    /** Results kept (by runs and day: in use, one). */
    private static final int KEPT = 4;

    private final Forecast forecast;
    private final IndicatorEngine engine;
    private final DatabaseClient db;
    private final Clock clock;
    private final ExpensiveReads expensive;

    /** What a result is of: the runs asked for and the day, at a generation of the data. */
    private record Key(int runs, LocalDate today, long generation) {
    }

    private final Map<Key, Report> results = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Report> eldest) {
            return size() > KEPT;
        }
    };
    private final Map<Key, Mono<Report>> running = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();

    Backtest(Forecast forecast, IndicatorEngine engine, DatabaseClient db, Clock clock, ExpensiveReads expensive) {
        this.forecast = forecast;
        this.engine = engine;
        this.db = db;
        this.clock = clock;
        this.expensive = expensive;
    }

    /** The result: one score per horizon and measure, and when it was computed. */
    public record Report(LocalDate asOf, String level, String scope, int runs, LocalDate firstOrigin, LocalDate lastOrigin,
                         List<Score> scores, OffsetDateTime computedAt) {
    }

    /** MAPE (percent) of the forecast's median and of the naive forecast over the months compared (actual not zero). */
    public record Score(int horizon, String measure, Double forecastMape, Double naiveMape, int monthsCompared, boolean beatsNaive) {
    }

    /** One origin's forecasts and the actuals (for the report and the tests). */
    record Case(LocalDate origin, int horizon, String measure, double forecast, double naive, double actual) {
    }

    public Mono<Report> run() {
        return kept(200);
    }

    /** The result kept for the data as it is, or else computed (one run at a time for the same key). */
    Mono<Report> kept(int runs) {
        return Mono.defer(() -> {
            Key key = new Key(runs, LocalDate.now(clock), generation.get());
            Report known;
            synchronized (results) {
                known = results.get(key);
            }
            if (known != null) {
                return Mono.just(known);
            }
            Mono<Report> underWay = running.get(key);
            return underWay != null ? underWay : expensive.limited(Mono.defer(() -> running.computeIfAbsent(key, k -> run(runs)
                    .doOnNext(report -> {
                        computed.incrementAndGet();
                        // a run across a change of the data may show it half: answered, not kept
                        if (generation.get() == key.generation()) {
                            synchronized (results) {
                                results.put(key, report);
                            }
                        }
                    })
                    .doFinally(signal -> running.remove(key))
                    .cache())));
        });
    }

    @EventListener(DataChanged.class)
    void dataChanged() {
        generation.incrementAndGet();
        synchronized (results) {
            results.clear();
        }
    }

    /** Another instance's data, or news missed while away; not its recomputed figures, which a backtest does not read. */
    @EventListener
    void changedElsewhere(ChangedElsewhere change) {
        if (change.kind().equals("data") || change.kind().equals("reconnected")) {
            dataChanged();
        }
    }

    /** Runs computed since start (answers from what was kept not counted). */
    long computed() {
        return computed.get();
    }

    Mono<Report> run(int runs) {
        LocalDate today = LocalDate.now(clock);
        // Staffing history is complete only from the first recorded spell ending: before it, the files hold
        // only the staff still employed later, and no leaver, so a backtest from there would test the data's gap.
        Mono<List<LocalDate>> staffed = engine.historyDates(today).zipWith(db.sql("SELECT min(end_date) AS first FROM staff_spells")
                        .map(r -> java.util.Optional.ofNullable(r.get("first", LocalDate.class))).one(),
                (all, first) -> first.isEmpty() ? all
                        : all.stream().filter(d -> !d.isBefore(YearMonth.from(first.get()).atEndOfMonth())).toList());
        return staffed.flatMap(dates -> {
            if (dates.size() < 13 + 6) {
                return Mono.just(new Report(today, "authority", "authority", runs, null, null, score(List.of()),
                        OffsetDateTime.now(clock)));
            }
            return actuals(dates).flatMap(actual -> {
                LocalDate last = dates.get(dates.size() - 1);
                List<LocalDate> origins = new ArrayList<>();
                for (int i = 12; i < dates.size(); i++) {
                    if (!YearMonth.from(dates.get(i)).plusMonths(6).atEndOfMonth().isAfter(last)) {
                        origins.add(dates.get(i));
                    }
                }
                return Flux.fromIterable(origins)
                        .concatMap(t -> {
                            int months = YearMonth.from(t).plusMonths(12).atEndOfMonth().isAfter(last) ? 6 : 12;
                            return forecast.project(t, "authority", "authority", months, null, false, runs)
                                    .map(p -> cases(t, p, actual));
                        })
                        .flatMapIterable(l -> l).collectList()
                        .map(all -> new Report(today, "authority", "authority", runs, origins.get(0), origins.get(origins.size() - 1),
                                score(all), OffsetDateTime.now(clock)));
            });
        });
    }

    private static List<Case> cases(LocalDate t, Projection p, Map<LocalDate, double[]> actual) {
        List<Case> out = new ArrayList<>();
        double[] now = actual.get(t);
        for (int h : HORIZONS) {
            if (p.months().size() < h) {
                continue;
            }
            Month m = p.months().get(h - 1);
            double[] then = actual.get(m.month().atEndOfMonth());
            if (then == null || now == null) {
                continue;
            }
            out.add(new Case(t, h, "fte", m.employedFte().p50() + m.agencyFte().p50(), now[0], then[0]));
            out.add(new Case(t, h, "leavers", m.leavers().p50(), now[1], then[1]));
            if (m.caseloadPerFte() != null && !Double.isNaN(now[2]) && !Double.isNaN(then[2])) {
                out.add(new Case(t, h, "caseload_per_fte", m.caseloadPerFte().p50(), now[2], then[2]));
            }
        }
        return out;
    }

    static List<Score> score(List<Case> cases) {
        List<Score> out = new ArrayList<>();
        for (int h : HORIZONS) {
            for (String measure : MEASURES) {
                double f = 0;
                double n = 0;
                int count = 0;
                for (Case c : cases) {
                    if (c.horizon() == h && c.measure().equals(measure) && Math.abs(c.actual()) > 1e-9) {
                        f += Math.abs(c.forecast() - c.actual()) / Math.abs(c.actual());
                        n += Math.abs(c.naive() - c.actual()) / Math.abs(c.actual());
                        count++;
                    }
                }
                Double fm = count == 0 ? null : Math.round(f / count * 1000) / 10.0;
                Double nm = count == 0 ? null : Math.round(n / count * 1000) / 10.0;
                out.add(new Score(h, measure, fm, nm, count, count > 0 && f < n));
            }
        }
        return out;
    }

    /** For each history date: {FTE in post, leavers in the month, caseload per FTE}, by the forecast's own definitions. */
    Mono<Map<LocalDate, double[]>> actuals(List<LocalDate> dates) {
        String list = String.join(",", dates.stream().map(LocalDate::toString).toList());
        return db.sql("""
                WITH dates AS (SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d),
                sp AS (SELECT d.as_of, s.staff_id, s.team_id, s.fte, s.case_holding_cfsw FROM dates d
                       JOIN staff_spells_v s ON open_on(s.start_date, s.end_date, d.as_of)
                       WHERE\s""" + Forecast.followed("s.role") + """
                ),
                fte AS (SELECT as_of, sum(fte) AS fte FROM sp GROUP BY as_of),
                holders AS (SELECT * FROM sp WHERE case_holding_cfsw),
                capacity AS (SELECT as_of, sum(fte) AS fte FROM holders GROUP BY as_of),
                children AS (SELECT h.as_of, h.team_id, count(DISTINCT a.child_id) AS n FROM holders h
                             JOIN allocations a ON a.staff_id = h.staff_id AND open_on(a.start_date, a.end_date, h.as_of)
                             GROUP BY h.as_of, h.team_id),
                cases AS (SELECT as_of, sum(n) AS n FROM children GROUP BY as_of),
                leavers AS (SELECT d.as_of, count(*) AS n FROM dates d
                            JOIN staff_spells s ON s.end_date > (date_trunc('month', d.as_of) - interval '1 day')::date
                                               AND s.end_date <= d.as_of
                            WHERE\s""" + Forecast.followed("s.role") + """
                              AND s.leaving_reason IS DISTINCT FROM 'internal_move'
                            GROUP BY d.as_of)
                SELECT d.as_of, coalesce(f.fte, 0) AS fte, coalesce(l.n, 0) AS leavers, c.n AS cases, cap.fte AS capacity
                FROM dates d LEFT JOIN fte f USING (as_of) LEFT JOIN leavers l USING (as_of) LEFT JOIN cases c USING (as_of)
                LEFT JOIN capacity cap USING (as_of)
                """).bind("dates", list).map(r -> {
                    double cases = r.get("cases") == null ? 0 : ((Number) r.get("cases")).doubleValue();
                    double capacity = r.get("capacity") == null ? 0 : ((Number) r.get("capacity")).doubleValue();
                    return Map.entry(r.get("as_of", LocalDate.class), new double[] {((Number) r.get("fte")).doubleValue(),
                            ((Number) r.get("leavers")).doubleValue(), capacity > 0 ? cases / capacity : Double.NaN});
                }).all().collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
    }
}
