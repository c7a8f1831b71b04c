package org.workforcewatch.indicators;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The risks active now, kept in risk_state: after each refresh of today's indicators (or a threshold
 * change) every team, service and authority value at amber or red is a risk. A new one is raised, one
 * whose severity or value moved is changed, one back to ok is cleared; each is logged and pushed to
 * the live stream. A risk is raised at once with "since" = the day it was seen; once the monthly
 * history is recomputed, {@link #refineSince} sets "since" to the first month end of the unbroken run of
 * breaches that leads up to today, so the live risks and a month's board pack date a risk alike.
 * Evaluation holds the same lock as the indicators' computation, taken before any table is read, so
 * the two (and anything else that takes it first) never deadlock.
 */
@Component
public class Risks {

    private final IndicatorEngine engine;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final Thresholds thresholds;
    private final Sinks.Many<Risk.Event> live = Sinks.many().multicast().directBestEffort();

    Risks(IndicatorEngine engine, DatabaseClient db, TransactionalOperator tx, Clock clock, Thresholds thresholds) {
        this.engine = engine;
        this.thresholds = thresholds;
        this.db = db;
        this.tx = tx;
        this.clock = clock;
    }

    /** The live stream of raised, changed and cleared risks, whichever instance found them. */
    public Flux<Risk.Event> events() {
        return live.asFlux();
    }

    /** The last risk event told on this instance's stream. */
    private final java.util.concurrent.atomic.AtomicLong streamed = new java.util.concurrent.atomic.AtomicLong(-1);

    /** The stream tells what happens from when the service is ready. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void startStreaming() {
        streamNew().onErrorResume(e -> Mono.empty()).block(java.time.Duration.ofSeconds(30));
    }

    /**
     * Tells this instance's stream every risk event recorded since it last looked, in order: those this instance
     * recorded and those another instance did (risks are evaluated by whichever instance takes the changes in).
     */
    public Mono<Void> streamNew() {
        return Mono.defer(() -> {
            long after = streamed.get();
            if (after < 0) {
                return db.sql("SELECT coalesce(max(id), 0) AS id FROM risk_events").map(r -> r.get("id", Long.class)).one()
                        .doOnNext(last -> streamed.compareAndSet(-1, last)).then();
            }
            // the numbering starts again only if the table was emptied (a test, a restore): then everything is new
            return db.sql("SELECT coalesce(max(id), 0) AS id FROM risk_events").map(r -> r.get("id", Long.class)).one()
                    .doOnNext(last -> {
                        if (last < after) {
                            streamed.compareAndSet(after, 0);
                        }
                    })
                    .thenMany(Flux.defer(() -> db.sql("SELECT e.id, e.kind, e.indicator, e.level, e.scope, e.severity, e.value,"
                            + " e.threshold, e.since, CASE e.level WHEN 'team' THEN t.service WHEN 'service' THEN e.scope END AS service,"
                            + " t.team_type FROM risk_events e LEFT JOIN teams t ON e.level = 'team' AND t.team_id = e.scope"
                            + " WHERE e.id > :after ORDER BY e.id")
                    .bind("after", streamed.get()).map(this::told).all()))
                    .doOnNext(told -> {
                        synchronized (streamed) {
                            if (told.id() > streamed.get()) {
                                streamed.set(told.id());
                                live.tryEmitNext(told.event());
                            }
                        }
                    }).then();
        });
    }

    private record Told(long id, Risk.Event event) {
    }

    private Told told(io.r2dbc.spi.Readable r) {
        Indicator indicator = Indicator.byId(r.get("indicator", String.class)).orElseThrow();
        String level = r.get("level", String.class);
        String scope = r.get("scope", String.class);
        String kind = r.get("kind", String.class);
        BigDecimal value = r.get("value", BigDecimal.class);
        BigDecimal threshold = r.get("threshold", BigDecimal.class);
        ThresholdSettings.Applied applied = level.equals("team") ? thresholds.forTeam(indicator, scope, r.get("team_type", String.class))
                : thresholds.forIndicator(indicator);
        Risk risk = kind.equals("cleared")
                ? new Risk(indicator.id(), level, scope, null, "ok", null, 0, 0, 0, r.get("since", LocalDate.class), indicator.finding(), null, 0)
                : new Risk(indicator.id(), level, scope, r.get("service", String.class), r.get("severity", String.class),
                        value == null ? null : value.doubleValue(), threshold == null ? 0 : threshold.doubleValue(), applied.amber(),
                        applied.red(), r.get("since", LocalDate.class), indicator.finding(), applied.leadOfficer(), applied.target());
        return new Told(r.get("id", Long.class), new Risk.Event(kind, risk));
    }

    /** The active risks, worst first. */
    public Flux<Risk> active() {
        LocalDate today = LocalDate.now(clock);
        return Mono.zip(current(today), stored(), engine.coverage()).flatMapIterable(found -> {
            List<Risk> risks = new ArrayList<>();
            for (IndicatorValue v : found.getT1()) {
                Stored s = found.getT2().get(key(v));
                if (isRisk(v)) {
                    // a breach is never older than the data that shows it
                    LocalDate covered = found.getT3().from(Indicator.byId(v.indicator()).orElseThrow());
                    LocalDate since = s == null ? today : s.since();
                    risks.add(Risk.of(v, since.isBefore(covered) ? covered : since));
                }
            }
            risks.sort((a, b) -> a.severity().equals(b.severity()) ? a.indicator().compareTo(b.indicator())
                    : "red".equals(a.severity()) ? -1 : 1);
            return risks;
        });
    }

    /** The active risks grouped by team ({@link TeamRisks}), filtered. */
    public Mono<TeamRisks> byTeam(TeamRisks.Filter filter) {
        return Mono.zip(active().collectList(), teamNames()).map(t -> TeamRisks.of(t.getT1(), t.getT2(), filter));
    }

    /** Each team's name by its id. */
    public Mono<Map<String, String>> teamNames() {
        return db.sql("SELECT team_id, team_name FROM teams")
                .map(r -> Map.entry(r.get("team_id", String.class), String.valueOf(r.get("team_name", String.class))))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private record Stored(String severity, double value, LocalDate since) {
    }

    /** Compares today's values with the stored risks and records and announces every difference. */
    public Mono<List<Risk.Event>> evaluate() {
        LocalDate today = LocalDate.now(clock);
        return tx.transactional(db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))").then()
                        .then(Mono.zip(current(today), stored()))
                        .flatMap(pair -> {
                            Map<String, Stored> before = pair.getT2();
                            List<Mono<Risk.Event>> work = new ArrayList<>();
                            Map<String, IndicatorValue> now = new HashMap<>();
                            for (IndicatorValue v : pair.getT1()) {
                                if (isRisk(v)) {
                                    now.put(key(v), v);
                                }
                            }
                            now.forEach((k, v) -> {
                                Stored s = before.get(k);
                                if (s == null) {
                                    work.add(record("raised", Risk.of(v, today)));
                                } else if (!s.severity().equals(v.severity()) || Math.abs(s.value() - v.value()) > 1e-9) {
                                    work.add(record("changed", Risk.of(v, s.since())));
                                }
                            });
                            before.forEach((k, s) -> {
                                if (!now.containsKey(k)) {
                                    String[] parts = k.split("\\|", 3);
                                    work.add(cleared(parts[0], parts[1], parts[2], s));
                                }
                            });
                            return Flux.concat(work).collectList();
                        }))
                .flatMap(events -> streamNew().thenReturn(events));
    }

    private static boolean isRisk(IndicatorValue v) {
        return v.value() != null && ("amber".equals(v.severity()) || "red".equals(v.severity()));
    }

    private static String key(IndicatorValue v) {
        return v.indicator() + "|" + v.level() + "|" + v.scope();
    }

    private Mono<List<IndicatorValue>> current(LocalDate today) {
        return Flux.just("team", "service", "authority").concatMap(level -> engine.at(today, level)).collectList();
    }

    private Mono<Map<String, Stored>> stored() {
        return db.sql("SELECT * FROM risk_state").map(r -> Map.entry(
                        r.get("indicator", String.class) + "|" + r.get("level", String.class) + "|" + r.get("scope", String.class),
                        new Stored(r.get("severity", String.class), r.get("value", BigDecimal.class).doubleValue(),
                                r.get("since", LocalDate.class))))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * Sets each active risk's "since" to the first month end of the unbroken run of breaches that leads up to today,
     * from the stored monthly history (computing none), and announces each change. The history decides both ways:
     * a risk raised before its history was complete (an early load, a later correction) moves forward to where its
     * run really starts, as the board pack of the month reads it; one raised since the last month end keeps its day,
     * unless that month end contradicts it (it was fine then), when it starts the day after. Answers nothing, and
     * changes nothing, while the history is still being computed.
     */
    public Mono<List<Risk.Event>> refineSince() {
        LocalDate today = LocalDate.now(clock);
        return tx.transactional(db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))").then()
                        .then(engine.historyDates(today))
                        // a month end not computed yet (dropped by a change of everything, filled in newest first) would
                        // break each run there and date every risk too late: nothing is refined until all are stored
                        .filterWhen(engine::allStored)
                        .flatMap(dates -> current(today).flatMap(values -> stored().flatMap(state -> Flux.fromIterable(values)
                                .filter(v -> isRisk(v) && state.containsKey(key(v)))
                                .concatMap(v -> startOfRun(v, dates, today, state.get(key(v)).since())
                                        .filter(d -> !d.equals(state.get(key(v)).since()))
                                        .flatMap(d -> db.sql("UPDATE risk_state SET since = :since WHERE indicator = :indicator"
                                                        + " AND level = :level AND scope = :scope")
                                                .bind("since", d).bind("indicator", v.indicator()).bind("level", v.level())
                                                .bind("scope", v.scope()).then()
                                                .then(log("changed", v.indicator(), v.level(), v.scope(), v.severity(), v.value(),
                                                        "red".equals(v.severity()) ? v.red() : v.amber(), d))
                                                .thenReturn(new Risk.Event("changed", Risk.of(v, d)))))
                                .collectList()))))
                .flatMap(events -> streamNew().thenReturn(events));
    }

    /**
     * Where the risk's run starts: the first month end of the unbroken run of breaching month ends before today
     * (a month end with no value breaks it, as a fine one does); with no breach at the last month end, the day it
     * was seen, or the day after that month end if it was seen before it.
     */
    private Mono<LocalDate> startOfRun(IndicatorValue v, List<LocalDate> dates, LocalDate today, LocalDate seen) {
        Indicator indicator = Indicator.byId(v.indicator()).orElseThrow();
        List<LocalDate> before = dates.stream().filter(d -> d.isBefore(today)).toList();
        if (before.isEmpty()) {
            return Mono.just(seen);
        }
        return engine.stored(before, v.level(), indicator, v.level().equals("authority") ? null : v.scope())
                .collectMap(IndicatorEngine.Dated::asOf, IndicatorEngine.Dated::value)
                .map(byDate -> {
                    LocalDate since = Risk.startOfRun(before, byDate, p -> p.value() >= v.amber());
                    if (since != null) {
                        return since;
                    }
                    LocalDate lastMonthEnd = before.get(before.size() - 1);
                    return seen.isAfter(lastMonthEnd) ? seen : lastMonthEnd.plusDays(1);
                });
    }

    private Mono<Risk.Event> record(String kind, Risk r) {
        return db.sql("INSERT INTO risk_state (indicator, level, scope, severity, value, threshold, since)"
                        + " VALUES (:indicator, :level, :scope, :severity, :value, :threshold, :since)"
                        + " ON CONFLICT (indicator, level, scope) DO UPDATE SET severity = EXCLUDED.severity,"
                        + " value = EXCLUDED.value, threshold = EXCLUDED.threshold, updated_at = now()")
                .bind("indicator", r.indicator()).bind("level", r.level()).bind("scope", r.scope())
                .bind("severity", r.severity()).bind("value", r.value()).bind("threshold", r.threshold()).bind("since", r.since())
                .then()
                .then(log(kind, r.indicator(), r.level(), r.scope(), r.severity(), r.value(), r.threshold(), r.since()))
                .thenReturn(new Risk.Event(kind, r));
    }

    private Mono<Risk.Event> cleared(String indicator, String level, String scope, Stored s) {
        Indicator i = Indicator.byId(indicator).orElseThrow();
        Risk r = new Risk(indicator, level, scope, null, "ok", null, 0, 0, 0, s.since(), i.finding(), null, 0);
        return db.sql("DELETE FROM risk_state WHERE indicator = :indicator AND level = :level AND scope = :scope")
                .bind("indicator", indicator).bind("level", level).bind("scope", scope).then()
                .then(log("cleared", indicator, level, scope, "ok", null, null, s.since()))
                .thenReturn(new Risk.Event("cleared", r));
    }

    private Mono<Void> log(String kind, String indicator, String level, String scope, String severity, Double value,
                           Double threshold, LocalDate since) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("INSERT INTO risk_events (kind, indicator, level, scope, severity, value,"
                        + " threshold, since) VALUES (:kind, :indicator, :level, :scope, :severity, :value, :threshold, :since)")
                .bind("kind", kind).bind("indicator", indicator).bind("level", level).bind("scope", scope)
                .bind("severity", severity).bind("since", since);
        spec = value == null ? spec.bindNull("value", Double.class) : spec.bind("value", value);
        spec = threshold == null ? spec.bindNull("threshold", Double.class) : spec.bind("threshold", threshold);
        return spec.then();
    }
}
