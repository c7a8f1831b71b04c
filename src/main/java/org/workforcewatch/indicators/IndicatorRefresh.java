package org.workforcewatch.indicators;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.workforcewatch.config.DatabaseOutage;
import org.workforcewatch.ingest.DataChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Keeps the stored indicators current, incrementally (docs/LIVE-INDICATORS.md). Writes to the data record
 * what they touched in indicator_changes (database triggers, in the writer's own transaction). Each round
 * here, in one transaction under the indicators' lock, takes the recorded changes, works out which teams
 * they reach and from which date, and recomputes just those teams on the stored dates from then on, today
 * first. With no changes waiting, a round computes a few of the dates the data covers that are not stored
 * yet (today first, then the month ends, newest first) and forgets stored dates no longer wanted (yesterday,
 * or before the coverage). Rounds run one after the other until nothing is left, whenever data changes here
 * or elsewhere, and every half minute (a new day; changes an instance that stopped left behind).
 * <p>
 * A round recomputes at most {@link #DATES_PER_ROUND} dates; what a change still needs beyond them is recorded
 * again, so a crash never loses it, and a later live change is not held up behind a long recompute.
 * Listeners hear {@link IndicatorsRefreshed} whenever stored figures moved; the risks are evaluated when today's did, and a
 * threshold change only re-evaluates the risks.
 */
@Component
class IndicatorRefresh {

    private static final Log log = LogFactory.getLog(IndicatorRefresh.class);
    static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))";
    /** Dates besides today that one round recomputes at most for some teams. */
    static final int DATES_PER_ROUND = 12;
    /**
     * How long a round computing every team may take, about: a live change waits for the round in progress, so
     * whole dates are computed a few at a time, as many as fit (one at national scale, a couple of dozen for one
     * authority).
     */
    private static final double ROUND_SECONDS = 1.0;
    /** Seconds one date for every team took lately (a moving average). */
    private volatile double secondsPerWholeDate = 0.1;
    /** Rounds run at least this often: a new day, or changes left by an instance that stopped. */
    private static final Duration TICK = Duration.ofSeconds(30);
    /** While the database is unreachable a round is tried again, at least this often. */
    private static final Duration RETRY_AT_MOST_EVERY = Duration.ofSeconds(5);

    private final IndicatorEngine engine;
    private final DataCoverage coverage;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Risks risks;
    private final Thresholds thresholds;
    private final Sinks.Many<String> wake = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean settingsChecked = new AtomicBoolean();
    /** When data last changed (System.nanoTime), here or in changes this instance took in. */
    private volatile long lastDataChange = System.nanoTime() - Duration.ofDays(1).toNanos();
    private final Duration historyQuiet;
    private final Duration roundGap;
    private final AtomicBoolean thresholdsMoved = new AtomicBoolean();
    /** A round took changes of the data (not only work left by an earlier round): figures computed on the spot may predate them. */
    private final AtomicBoolean dataTaken = new AtomicBoolean();
    /**
     * Set when the risks' "since" may be out of date (the month ends moved, or a risk was raised with the day it was
     * seen); cleared once {@link Risks#refineSince} has read a complete history.
     */
    private final AtomicBoolean sinceStale = new AtomicBoolean();
    private Disposable running;
    private Disposable ticking;

    IndicatorRefresh(IndicatorEngine engine, DataCoverage coverage, DatabaseClient db, TransactionalOperator tx, Clock clock,
                     ApplicationEventPublisher events, Risks risks, Thresholds thresholds, IndicatorSettings settings) {
        this.engine = engine;
        this.coverage = coverage;
        this.db = db;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
        this.risks = risks;
        this.thresholds = thresholds;
        this.historyQuiet = settings.historyQuiet();
        this.roundGap = settings.roundGap();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = wake.asFlux()
                .onBackpressureLatest()
                .concatMap(reason -> drain()
                        // the database went away: the work waits in indicator_changes, and is done once it is back
                        .retryWhen(DatabaseOutage.retryUntilBack(RETRY_AT_MOST_EVERY).doBeforeRetry(retry -> {
                            if (retry.totalRetriesInARow() == 0) {
                                log.warn("Indicators will be brought up to date when the database answers again: "
                                        + retry.failure().getMessage());
                            }
                        }))
                        .onErrorResume(e -> {
                            log.warn("Indicators could not be brought up to date: " + e, e);
                            return Mono.empty();
                        })
                        // wakes meanwhile wait as one: the next round takes every change they announced
                        .then(roundGap.isZero() ? Mono.empty() : Mono.delay(roundGap).then()), 1)
                .subscribe();
        ticking = Flux.interval(TICK, TICK).subscribe(t -> {
            wake("tick");
            // risks another instance recorded reach this instance's stream even if its news did not
            risks.streamNew().onErrorResume(e -> Mono.empty()).subscribe();
        });
        wake("start");
    }

    private void wake(String reason) {
        wake.emitNext(reason, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    @EventListener
    void dataChanged(DataChanged change) {
        lastDataChange = System.nanoTime();
        engine.dataChanged();
        wake("data");
    }

    /**
     * Whether data is changing now: then only today's figures are recomputed, and the month ends wait until the
     * changes pause, when a round is due again.
     */
    private boolean busy() {
        boolean busy = System.nanoTime() - lastDataChange < historyQuiet.toNanos();
        if (busy) {
            Mono.delay(historyQuiet).subscribe(t -> wake("quiet"));
        }
        return busy;
    }

    /** A threshold change moves no figure, only severities: the risks are looked at again. */
    @EventListener
    void thresholdsChanged(Thresholds.Changed change) {
        thresholdsMoved.set(true);
        wake("thresholds");
    }

    /** Rounds until nothing is left to do; the risks after any round that moved today's figures. */
    private Mono<Void> drain() {
        return thresholds.reload().then(round()).flatMap(done -> {
            boolean moved = done.today() != null || done.history();
            Mono<Void> after = Mono.empty();
            // data written behind the service's back (psql, another tool) is known from its recorded changes; a round
            // that only computed dates not stored yet changed no data, and what was computed on the spot stands
            if (dataTaken.getAndSet(false)) {
                engine.dataChanged();
            }
            if (done.history()) {
                sinceStale.set(true);
            }
            if (done.today() != null || thresholdsMoved.getAndSet(false)) {
                after = risks.evaluate().doOnNext(raised -> {
                    if (raised.stream().anyMatch(e -> e.kind().equals("raised"))) {
                        sinceStale.set(true);
                    }
                }).then();
            }
            // once no month end is left to compute: a history still being filled in would cut the runs short
            if (!done.more()) {
                after = after.then(Mono.defer(() -> sinceStale.get()
                        ? risks.refineSince().doOnNext(refined -> sinceStale.set(false)).then() : Mono.empty()));
            }
            // after the risks, so that other instances told of new figures find their risks recorded too
            if (moved) {
                after = after.then(Mono.fromRunnable(() -> events.publishEvent(new IndicatorsRefreshed(LocalDate.now(clock)))));
            }
            return after.then(done.more() ? drain() : Mono.empty());
        });
    }

    /** What a round did: today's figures moved (the day), a month end's moved, and whether work is left. */
    record Done(LocalDate today, boolean history, boolean more) {
    }

    /** One round, in one transaction under the lock. */
    Mono<Done> round() {
        LocalDate today = LocalDate.now(clock);
        return tx.transactional(db.sql(LOCK).then()
                .then(checkSettings())
                .then(takeChanges())
                .doOnNext(taken -> {
                    if (taken.keySet().stream().anyMatch(dataset -> !dataset.equals("indicator_rounds"))) {
                        dataTaken.set(true);
                    }
                })
                .flatMap(taken -> coverage.refreshAfter(taken).flatMap(cov -> {
                    List<LocalDate> wanted = new ArrayList<>(new DataCoverage.Coverage(today, cov.datasets()).monthEnds());
                    wanted.add(today);
                    return db.sql("SELECT as_of FROM indicator_dates").map(r -> r.get("as_of", LocalDate.class)).all()
                            .collect(TreeSet<LocalDate>::new, TreeSet::add)
                            .flatMap(stored -> forgetUnwanted(stored, wanted)
                                    .then(taken.isEmpty() ? computeMissing(today, stored, wanted)
                                            : recomputeChanged(today, stored, wanted, taken)));
                })));
    }

    /** Settings shape every figure: if they differ from those the stored figures were computed with, recompute all. */
    private Mono<Void> checkSettings() {
        if (settingsChecked.get()) {
            return Mono.empty();
        }
        String fingerprint = engine.settingsFingerprint();
        return db.sql("SELECT value FROM indicator_state WHERE name = 'settings'").map(r -> r.get("value", String.class)).one()
                .defaultIfEmpty("")
                .flatMap(stored -> stored.equals(fingerprint) ? Mono.<Void>empty()
                        : db.sql("INSERT INTO indicator_changes (dataset, kind, from_date) VALUES ('indicator_settings', 'all', '-infinity')")
                                .then()
                                .then(db.sql("INSERT INTO indicator_state (name, value) VALUES ('settings', :v)"
                                        + " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value").bind("v", fingerprint).then()))
                .doOnSuccess(v -> settingsChecked.set(true));
    }

    /** Takes every recorded change into w_changes; answers the earliest date changed per table written. */
    private Mono<Map<String, LocalDate>> takeChanges() {
        return db.sql("DROP TABLE IF EXISTS w_changes").then()
                .then(db.sql("CREATE TEMP TABLE w_changes (dataset text, kind text, key varchar(64), from_date date, recorded_at timestamptz)"
                        + " ON COMMIT DROP").then())
                .then(db.sql("WITH taken AS (DELETE FROM indicator_changes RETURNING dataset, kind, key, from_date, recorded_at)"
                        + " INSERT INTO w_changes SELECT dataset, kind, key, from_date, recorded_at FROM taken").then())
                .then(db.sql("SELECT EXISTS (SELECT 1 FROM w_changes WHERE dataset <> 'indicator_rounds'"
                                + " AND recorded_at > now() - make_interval(secs => :quiet)) AS recent")
                        .bind("quiet", historyQuiet.toMillis() / 1000.0)
                        .map(r -> Boolean.TRUE.equals(r.get("recent", Boolean.class))).one()
                        .doOnNext(recent -> {
                            if (recent) {
                                lastDataChange = System.nanoTime();
                            }
                        }).then())
                .then(db.sql("SELECT dataset, greatest(min(from_date), DATE '0001-01-01') AS from_date FROM w_changes GROUP BY dataset")
                        .map(r -> Map.entry(r.get("dataset", String.class), r.get("from_date", LocalDate.class))).all()
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new));
    }

    /**
     * Stored days no longer wanted are dropped: a past day that is not a month end (yesterday's "today"). Month ends
     * before the coverage are kept: they cost little, are never shown as covered, and are there again if the
     * coverage moves back.
     */
    private Mono<Void> forgetUnwanted(Set<LocalDate> stored, List<LocalDate> wanted) {
        List<LocalDate> unwanted = stored.stream()
                .filter(d -> !wanted.contains(d) && d.getDayOfMonth() != d.lengthOfMonth()).toList();
        if (unwanted.isEmpty()) {
            return Mono.empty();
        }
        stored.removeAll(unwanted);
        return forget(unwanted);
    }

    /** Drops the stored figures of these dates. */
    private Mono<Void> forget(List<LocalDate> dates) {
        if (dates.isEmpty()) {
            return Mono.empty();
        }
        String list = String.join(",", dates.stream().map(LocalDate::toString).toList());
        return db.sql("DELETE FROM indicator_results WHERE as_of = ANY (CAST(string_to_array(:d, ',') AS date[]))").bind("d", list)
                .then().then(db.sql("DELETE FROM indicator_dates WHERE as_of = ANY (CAST(string_to_array(:d, ',') AS date[]))")
                        .bind("d", list).then());
    }

    /** With nothing changed: computes a few wanted dates not stored yet, today first, then the newest month ends. */
    private Mono<Done> computeMissing(LocalDate today, Set<LocalDate> stored, List<LocalDate> wanted) {
        List<LocalDate> missing = new ArrayList<>(wanted.stream().filter(d -> !stored.contains(d)).toList());
        if (missing.isEmpty()) {
            return Mono.just(new Done(null, false, false));
        }
        if (!missing.contains(today) && busy()) {
            return Mono.just(new Done(null, false, false));
        }
        List<LocalDate> newestFirst = new ArrayList<>(missing);
        java.util.Collections.reverse(newestFirst);
        List<LocalDate> now = missing.contains(today) ? List.of(today) : newestFirst.stream().limit(wholeDatesPerRound()).toList();
        boolean more = missing.size() > now.size();
        return timed(now.size(), engine.compute(IndicatorEngine.Targets.everyTeam(now), true))
                .thenReturn(new Done(now.contains(today) ? today : null, !now.contains(today), more));
    }

    /**
     * Works out the teams the changes reach and from when, and recomputes them on the stored dates from then
     * on: today and the earliest {@link #DATES_PER_ROUND} month ends. What is left is recorded again.
     */
    private Mono<Done> recomputeChanged(LocalDate today, Set<LocalDate> stored, List<LocalDate> wanted,
                                        Map<String, LocalDate> taken) {
        return db.sql(RESOLVE).map(r -> new Reached(r.get("team_id", String.class), r.get("from_date", LocalDate.class))).all()
                .collectList()
                .flatMap(reached -> {
                    LocalDate everyFrom = null;
                    Map<String, LocalDate> teams = new HashMap<>();
                    for (Reached r : reached) {
                        if (r.team() == null) {
                            everyFrom = r.from();
                        } else {
                            teams.put(r.team(), r.from());
                        }
                    }
                    // A change of everything (a bulk load, emptied tables, other settings) leaves no stored month end
                    // from its date on worth serving: they are dropped, read on the spot meanwhile, and computed
                    // again a few at a time; today is recomputed now.
                    Mono<Void> dropped = Mono.empty();
                    LocalDate every = null;
                    if (everyFrom != null) {
                        LocalDate from = everyFrom;
                        List<LocalDate> stale = stored.stream().filter(d -> !d.isBefore(from) && !d.equals(today)).toList();
                        dropped = forget(stale);
                        stale.forEach(stored::remove);
                        every = stored.contains(today) && !today.isBefore(from) ? today : null;
                    }
                    LocalDate earliest = every;
                    for (LocalDate from : teams.values()) {
                        earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
                    }
                    List<LocalDate> dates = new ArrayList<>();
                    for (LocalDate d : stored) {
                        if (earliest != null && !d.isBefore(earliest)) {
                            dates.add(d);
                        }
                    }
                    // today first; then the earliest month ends, so that what is left starts after them
                    List<LocalDate> now = new ArrayList<>();
                    if (dates.remove(today)) {
                        now.add(today);
                    }
                    int perRound = dates.isEmpty() || !busy() ? DATES_PER_ROUND : 0;
                    now.addAll(dates.stream().limit(perRound).toList());
                    List<LocalDate> left = dates.stream().skip(perRound).toList();
                    Map<LocalDate, Set<String>> targets = new TreeMap<>();
                    for (LocalDate d : now) {
                        if (every != null && !d.isBefore(every)) {
                            targets.put(d, null);
                        } else {
                            Set<String> at = new HashSet<>();
                            teams.forEach((team, from) -> {
                                if (!d.isBefore(from)) {
                                    at.add(team);
                                }
                            });
                            if (!at.isEmpty()) {
                                targets.put(d, at);
                            }
                        }
                    }
                    if (log.isDebugEnabled()) {
                        log.debug("Changes " + taken + " reach " + (every == null ? "" : "every team from " + every + ", ") + teams
                                + ": recomputing " + targets);
                    }
                    Mono<Void> work = dropped.then(engine.compute(new IndicatorEngine.Targets(targets), true));
                    if (!left.isEmpty()) {
                        work = work.then(recordAgain(left.get(0), null, teams));
                    }
                    if (taken.containsKey("teams") || taken.containsKey("benchmarks")) {
                        // names and comparators shown with every stored date changed: answers built from them are stale
                        work = work.then(db.sql("UPDATE indicator_dates SET version = nextval('indicator_results_version')").then());
                    }
                    boolean history = now.stream().anyMatch(d -> !d.equals(today));
                    // deferred while data is changing: the round due when changes pause takes it up
                    boolean more = perRound > 0 && (!left.isEmpty() || wanted.stream().anyMatch(d -> !stored.contains(d)));
                    return work.thenReturn(new Done(targets.containsKey(today) ? today : null, history, more));
                });
    }

    private int wholeDatesPerRound() {
        return (int) Math.max(1, Math.min(24, ROUND_SECONDS / secondsPerWholeDate));
    }

    /** Times a computation of whole dates, to size the next rounds. */
    private Mono<Void> timed(int dates, Mono<Void> work) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return work.doOnSuccess(v -> {
                double each = (System.nanoTime() - started) / 1e9 / Math.max(1, dates);
                secondsPerWholeDate = 0.5 * secondsPerWholeDate + 0.5 * each;
            });
        });
    }

    /** A team a change reaches (null: every team), from a date. */
    private record Reached(String team, LocalDate from) {
    }

    /** What a change still needs from {@code from} on, recorded again for the next round. */
    private Mono<Void> recordAgain(LocalDate from, LocalDate every, Map<String, LocalDate> teams) {
        Mono<Void> work = Mono.empty();
        if (every != null) {
            work = db.sql("INSERT INTO indicator_changes (dataset, kind, from_date) VALUES ('indicator_rounds', 'all', :from)")
                    .bind("from", every.isAfter(from) ? every : from).then();
        }
        for (Map.Entry<String, LocalDate> e : teams.entrySet()) {
            LocalDate f = e.getValue().isAfter(from) ? e.getValue() : from;
            work = work.then(db.sql("INSERT INTO indicator_changes (dataset, kind, key, from_date)"
                    + " VALUES ('indicator_rounds', 'team', :team, :from)").bind("team", e.getKey()).bind("from", f).then());
        }
        return work;
    }

    /**
     * The teams the taken changes reach, each from the earliest date a change can move its figures; the row
     * with a null team, if any, is every team from that date. Team '' is the children with no team.
     * A worker reaches every team they are in post in on or after the date; a child, every team of a worker
     * holding them then, and, if in care then, the children with no team. A change to a worker's spells also
     * moves the children they hold: a child's team is that of the worker holding them in post, so when that
     * worker arrives, moves or leaves, the child may pass to another worker's team, or to no team.
     */
    static final String RESOLVE = """
            WITH children AS (
                SELECT key, from_date FROM w_changes WHERE kind = 'child'
                UNION ALL
                SELECT a.child_id, c.from_date FROM w_changes c
                JOIN allocations a ON a.staff_id = c.key AND open_during(a.start_date, a.end_date, c.from_date - 1, 'infinity')
                WHERE c.kind = 'staff' AND c.dataset = 'staff_spells'),
            reached AS (
                SELECT NULL::varchar AS team_id, from_date FROM w_changes WHERE kind = 'all'
                UNION ALL
                SELECT key, from_date FROM w_changes WHERE kind = 'team'
                UNION ALL
                SELECT s.team_id, c.from_date FROM w_changes c
                JOIN staff_spells s ON s.staff_id = c.key AND open_during(s.start_date, s.end_date, c.from_date - 1, 'infinity')
                WHERE c.kind = 'staff'
                UNION ALL
                SELECT s.team_id, c.from_date FROM children c
                JOIN allocations a ON a.child_id = c.key AND open_during(a.start_date, a.end_date, c.from_date - 1, 'infinity')
                JOIN staff_spells s ON s.staff_id = a.staff_id AND open_during(s.start_date, s.end_date, c.from_date - 1, 'infinity')
                UNION ALL
                SELECT '', c.from_date FROM children c
                WHERE EXISTS (SELECT 1 FROM children_in_care k WHERE k.child_id = c.key
                              AND open_during(k.period_start, k.period_end, c.from_date - 1, 'infinity')))
            SELECT team_id, greatest(min(from_date), DATE '0001-01-01') AS from_date FROM reached GROUP BY team_id
            """;

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
        if (ticking != null) {
            ticking.dispose();
        }
    }
}
