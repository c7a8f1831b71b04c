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
import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * How good each forecasting method has been on the authority's own history, and which one to use: for each month end t of the
 * history from the 6th month of staffing history on, the authority is projected from t with only the data known at t, and the
 * {@link Referee} compares the simulation's median, "no change", damped-trend exponential smoothing and their skill-weighted
 * combination with what happened 1 to 12 months later. Measures: FTE in post (employed and agency, CFSW and personal
 * advisers), leavers in the month, caseload per FTE (docs/FORECAST.md, "The referee").
 * <p>
 * A run costs seconds (a projection per origin), so its result is kept until the data changes (an import or event here,
 * or on another instance) or the day does; a run is one of the asker's expensive reads ({@link ExpensiveReads}),
 * and whoever asks while one is under way waits for it rather than starting another. The live forecast applies the latest
 * result ({@link #latest()}), and asks for a new one when the data has changed since.
 */
@Component
public class Backtest {

    /** Results kept (by runs and day: in use, one). */
    private static final int KEPT = 4;

    private final Forecast forecast;
    private final IndicatorEngine engine;
    private final DatabaseClient db;
    private final Clock clock;
    private final ExpensiveReads expensive;

    /** What a result is of: the runs asked for and the day. */
    private record Question(int runs, LocalDate today) {
    }

    private final KeptAnswers<Question, Report> results = new KeptAnswers<>(KEPT);
    /** The latest result and the generation of the data it is of, replaced only by one of the same data or newer. */
    private record Newest(Report report, long generation) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Newest> newest = new java.util.concurrent.atomic.AtomicReference<>();
    /** When a background run was last started to bring the latest result up to date. */
    private volatile java.time.Instant refreshed = java.time.Instant.MIN;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Backtest.class);
    /**
     * Background runs bringing the latest result up to the data are started at most this often: while data keeps arriving
     * (every event is a change) a backtest after each would keep a core busy for choices that move slowly.
     */
    static final java.time.Duration REFRESH_EVERY = java.time.Duration.ofMinutes(10);

    Backtest(Forecast forecast, IndicatorEngine engine, DatabaseClient db, Clock clock, ExpensiveReads expensive) {
        this.forecast = forecast;
        this.engine = engine;
        this.db = db;
        this.clock = clock;
        this.expensive = expensive;
    }

    /**
     * The result: the referee's score per measure and horizon (1 to 12 months), the rule they are held to, and when it was
     * computed; with what the live forecast needs to apply the choices (not part of the answer).
     */
    public record Report(LocalDate asOf, String level, String scope, int runs, int origins, LocalDate firstOrigin, LocalDate lastOrigin,
                         Rule rule, List<Referee.Score> scores, OffsetDateTime computedAt,
                         @JsonIgnore List<LocalDate> dates, @JsonIgnore Map<String, Referee.Series> series,
                         @JsonIgnore Map<String, Referee.Finding> findings) {
    }

    /** The rule every score is held to (docs/FORECAST.md, "The referee"). */
    public record Rule(double maseLimit, double heldOutDmLimit, double coverageLow, double coverageHigh, int minOrigins, String text) {

        static final Rule STATED = new Rule(1.0, Referee.DM_LIMIT, Referee.COVERAGE_LOW, Referee.COVERAGE_HIGH, Referee.MIN_ORIGINS,
                "Where at least " + Referee.MIN_ORIGINS + " origins are scored: the method used is never worse than no change"
                        + " (MASE <= 1); the choice made at each origin from what was known then is not significantly worse than no"
                        + " change (held-out Diebold-Mariano statistic <= " + Referee.DM_LIMIT + ", one-sided 5 %); and "
                        + Math.round(Referee.COVERAGE_LOW * 100) + "-" + Math.round(Referee.COVERAGE_HIGH * 100)
                        + " % of actuals fall inside p10-p90. With fewer origins the forecast is no change.");
    }

    /** Simulated futures per origin: the referee reads only the simulation's median. */
    static final int RUNS = 100;

    /** The result for the data as it is (kept, or computed now). */
    public Mono<Report> run() {
        return kept(RUNS);
    }

    /**
     * The latest result of the day, even if the data has changed since (the referee's choices move slowly; waiting for a
     * new backtest on every event would keep the forecast waiting while data keeps arriving); a newer one is started in the
     * background when it is out of date. Computed now only when the day has none.
     */
    public Mono<Report> latest() {
        return Mono.defer(() -> latestOfTheDay().map(l -> Mono.just(l.report())).orElseGet(this::run));
    }

    /** The latest result of the day and whether it is of the data as it is now. */
    record Latest(Report report, boolean current) {
    }

    /**
     * The latest result of the day if there is one, saying whether it is of the data as it is now (a newer one is started
     * in the background when it is not), else nothing, with one started in the background: for answers that must not wait
     * seconds for a backtest.
     */
    java.util.Optional<Latest> latestOfTheDay() {
        long now = results.generation();
        Newest known = newest.get();
        if (known == null || !known.report().asOf().equals(LocalDate.now(clock))) {
            if (!results.busy()) {
                inTheBackground();
            }
            return java.util.Optional.empty();
        }
        boolean current = known.generation() == now;
        java.time.Instant at = clock.instant();
        if (!current && !results.busy() && !at.isBefore(refreshed.plus(REFRESH_EVERY))) {
            refreshed = at;
            inTheBackground();
        }
        return java.util.Optional.of(new Latest(known.report(), current));
    }

    private void inTheBackground() {
        run().subscribe(report -> { }, e -> LOG.warn("The forecast's backtest failed; the authority's forecast goes without"
                + " its refereed measures until one succeeds", e));
    }

    /** The result kept for the data as it is, or else computed (one run at a time for the same question). */
    Mono<Report> kept(int runs) {
        return results.get(new Question(runs, LocalDate.now(clock)), generation -> run(runs).doOnNext(report ->
                newest.accumulateAndGet(new Newest(report, generation), (old, now) -> old == null || now.generation() >= old.generation()
                        || now.report().asOf().isAfter(old.report().asOf()) ? now : old)), report -> true, expensive::limited);
    }

    @EventListener(DataChanged.class)
    void dataChanged() {
        results.dataChanged();
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
        return results.computed();
    }

    /** Measures refereed, in the order of the actuals' columns. */
    static final List<String> MEASURES = List.of("fte", "leavers", "caseload_per_fte");
    /** The first origin: the month end with 6 months of history up to it. */
    static final int FIRST_ORIGIN = 5;
    /** Origins projected at most: the latest five years (older ones say less about the authority now, and cost as much). */
    static final int MAX_ORIGINS = 60;

    /**
     * The month ends of the history a backtest reads. Staffing history is complete only from the first recorded spell
     * ending: before it, the files hold only the staff still employed later, and no leaver, so a backtest from there would
     * test the data's gap.
     */
    private Mono<List<LocalDate>> staffedDates(LocalDate today) {
        return engine.historyDates(today).zipWith(db.sql("SELECT min(end_date) AS first FROM staff_spells")
                        .map(r -> java.util.Optional.ofNullable(r.get("first", LocalDate.class))).one(),
                (all, first) -> first.isEmpty() ? all
                        : all.stream().filter(d -> !d.isBefore(YearMonth.from(first.get()).atEndOfMonth())).toList());
    }

    /** The refereed measures' history as the data is now, without projections: where the live forecast starts from. */
    record History(List<LocalDate> dates, Map<String, Referee.Series> series) {
    }

    Mono<History> history() {
        return staffedDates(LocalDate.now(clock)).flatMap(dates -> dates.isEmpty() ? Mono.just(new History(dates, Map.of()))
                : actuals(dates).map(actual -> new History(dates, series(dates, actual, new double[MEASURES.size()][dates.size()][], 0))));
    }

    Mono<Report> run(int runs) {
        LocalDate today = LocalDate.now(clock);
        return staffedDates(today).flatMap(dates -> {
            if (dates.size() < FIRST_ORIGIN + 2) {
                return Mono.just(report(today, runs, dates, Map.of(), List.of()));
            }
            return actuals(dates).flatMap(actual -> {
                List<Integer> origins = new ArrayList<>();
                for (int i = Math.max(FIRST_ORIGIN, dates.size() - 1 - MAX_ORIGINS); i < dates.size() - 1; i++) {
                    origins.add(i);
                }
                int n = dates.size();
                double[][][] simulated = new double[MEASURES.size()][n][];
                return Flux.fromIterable(origins)
                        .concatMap(i -> forecast.project(dates.get(i), "authority", "authority",
                                        Math.min(Referee.HORIZONS, n - 1 - i), null, false, runs)
                                .doOnNext(p -> medians(p, i, simulated)))
                        .then(Mono.fromCallable(() -> report(today, runs, dates, actual, origins, simulated))
                                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()));
            });
        });
    }

    /** The simulation's medians from origin i, per measure and horizon. */
    private static void medians(Projection p, int i, double[][][] simulated) {
        int h = p.months().size();
        for (int m = 0; m < MEASURES.size(); m++) {
            simulated[m][i] = new double[h];
        }
        for (int k = 0; k < h; k++) {
            Month month = p.months().get(k);
            simulated[0][i][k] = month.employedFte().p50() + month.agencyFte().p50();
            simulated[1][i][k] = month.leavers().p50();
            simulated[2][i][k] = month.caseloadPerFte() == null ? Double.NaN : month.caseloadPerFte().p50();
        }
    }

    private Report report(LocalDate today, int runs, List<LocalDate> dates, Map<LocalDate, double[]> actual, List<Integer> origins,
                          double[][][] simulated) {
        return report(today, runs, dates, series(dates, actual, simulated, origins.get(0)), origins);
    }

    /** Each measure's series at the dates, with the simulation's medians from each origin projected. */
    private static Map<String, Referee.Series> series(List<LocalDate> dates, Map<LocalDate, double[]> actual, double[][][] simulated,
                                                      int firstOrigin) {
        Map<String, Referee.Series> series = new LinkedHashMap<>();
        for (int m = 0; m < MEASURES.size(); m++) {
            double[] y = new double[dates.size()];
            for (int i = 0; i < y.length; i++) {
                double[] v = actual.get(dates.get(i));
                y[i] = v == null ? Double.NaN : v[m];
            }
            series.put(MEASURES.get(m), new Referee.Series(MEASURES.get(m), y, simulated[m], firstOrigin, m == 1));
        }
        return series;
    }

    private Report report(LocalDate today, int runs, List<LocalDate> dates, Map<String, Referee.Series> series, List<Integer> origins) {
        Map<String, Referee.Finding> findings = new LinkedHashMap<>();
        List<Referee.Score> scores = new ArrayList<>();
        for (String measure : MEASURES) {
            Referee.Series s = series.get(measure);
            Referee.Finding f = s == null ? none(measure) : Referee.referee(s);
            findings.put(measure, f);
            scores.addAll(f.scores());
        }
        scores.sort(java.util.Comparator.comparingInt(Referee.Score::horizon).thenComparing(sc -> MEASURES.indexOf(sc.measure())));
        return new Report(today, "authority", "authority", runs, origins.size(), origins.isEmpty() ? null : dates.get(origins.get(0)),
                origins.isEmpty() ? null : dates.get(origins.get(origins.size() - 1)), Rule.STATED, scores, OffsetDateTime.now(clock),
                List.copyOf(dates), series, findings);
    }

    /**
     * The projection with the referee's forecast of each refereed measure beside the simulation's: the methods and ranges
     * the backtest {@code r} chose, applied to the history as it is now. Month m of the projection is some months after the
     * last month end of the history, and takes the method chosen at that horizon.
     */
    static Projection refereed(Projection p, Report r, History now) {
        if (!p.level().equals("authority") || now.dates().isEmpty() || p.months().isEmpty()) {
            return p;
        }
        YearMonth last = YearMonth.from(now.dates().get(now.dates().size() - 1));
        int[] horizons = new int[p.months().size()];
        for (int k = 0; k < horizons.length; k++) {
            horizons[k] = (int) Math.max(1, java.time.temporal.ChronoUnit.MONTHS.between(last, p.months().get(k).month()));
        }
        List<Projection.Refereed> out = new ArrayList<>();
        for (int m = 0; m < MEASURES.size(); m++) {
            String measure = MEASURES.get(m);
            Referee.Series s = now.series().get(measure);
            Referee.Finding finding = r.findings().get(measure);
            if (s == null || finding == null) {
                continue;
            }
            Range[] simulated = new Range[horizons.length];
            for (int k = 0; k < horizons.length; k++) {
                Month month = p.months().get(k);
                simulated[k] = switch (m) {
                    case 0 -> new Range(month.employedFte().p10() + month.agencyFte().p10(),
                            month.employedFte().p50() + month.agencyFte().p50(), month.employedFte().p90() + month.agencyFte().p90());
                    case 1 -> month.leavers();
                    default -> month.caseloadPerFte();
                };
            }
            List<Referee.Model> models = finding.models();
            List<Range> ranges = Referee.now(s, models, horizons, simulated);
            List<Projection.RefereedMonth> months = new ArrayList<>();
            for (int k = 0; k < horizons.length; k++) {
                Range range = ranges.get(k);
                if (range != null) {
                    Referee.Model model = models.get(Math.min(horizons[k], Referee.HORIZONS) - 1);
                    months.add(new Projection.RefereedMonth(p.months().get(k).month(), model.method().id(), range.p10(), range.p50(),
                            range.p90()));
                }
            }
            out.add(new Projection.Refereed(measure, months));
        }
        return p.withRefereed(out);
    }

    /** The finding where there is no history at all: no change at every horizon, nothing scored. */
    private static Referee.Finding none(String measure) {
        List<Referee.Score> scores = new ArrayList<>();
        List<Referee.Model> models = new ArrayList<>();
        for (int h = 1; h <= Referee.HORIZONS; h++) {
            scores.add(new Referee.Score(h, measure, "naive", 0, null, null, null, null, null, null, null, List.of()));
            models.add(Referee.Model.NAIVE);
        }
        return new Referee.Finding(measure, scores, models);
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
