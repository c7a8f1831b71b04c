package org.workforcewatch.indicators;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.workforcewatch.security.ExpensiveReads;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes and reads the indicators (docs/LIVE-INDICATORS.md). Team-level numerators and denominators are
 * stored per date in indicator_results (the month ends the data covers, and today), and services and the
 * authority are sums over their teams when read, never recomputed from rows.
 * <p>
 * Reads never wait for a computation: a stored date is read on one snapshot of the last committed results,
 * whatever is being recomputed meanwhile. A date that is not stored (any other day asked through the API) is
 * computed on the spot into temporary tables, read, and dropped; the last few such dates are kept in memory
 * until the data changes, so no reader can make the tables grow; each such computation counts as one of the asking
 * person's expensive reads ({@link ExpensiveReads}). Where the data does not cover a date
 * ({@link DataCoverage}), an indicator has no value there, with the reason.
 */
@Component
public class IndicatorEngine {

    /** Ad hoc dates kept in memory. */
    private static final int AD_HOC_KEPT = 32;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final IndicatorSettings settings;
    private final Thresholds thresholds;
    private final DataCoverage coverage;
    private final JsonMapper json;
    private final Clock clock;

    /** A read-only transaction on one snapshot: what it sees stored stays stored until it ends. */
    private final TransactionalOperator snapshot;

    /** Results of dates computed on the spot, by date: every level, every indicator. */
    private final Map<LocalDate, AdHoc> adHoc = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalDate, AdHoc> eldest) {
            return size() > AD_HOC_KEPT;
        }
    };
    /** Grows whenever the data may have changed: an ad hoc result computed across a change is not kept. */
    private final AtomicLong dataGeneration = new AtomicLong();

    /** Values computed on the spot, with the thresholds in force then (their generation). */
    private record AdHoc(long generation, long thresholds, OffsetDateTime computedAt, List<Dated> values) {
    }

    /**
     * Computations on the spot under way: a request asking for dates already being computed for the same data and
     * thresholds joins that computation rather than starting its own (an answer and its benchmarks, charts and SPC
     * of one page all ask for the same date at once), and is not counted again among its person's expensive reads.
     */
    private final Map<Computing, Mono<List<Dated>>> computing = new java.util.HashMap<>();

    private record Computing(List<LocalDate> dates, long generation, long thresholds) {
    }

    private final AtomicLong computedOnTheSpot = new AtomicLong();
    private final ExpensiveReads expensive;
    private final org.workforcewatch.agency.AgencySettings agency;

    IndicatorEngine(DatabaseClient db, TransactionalOperator tx, ReactiveTransactionManager transactions,
                    IndicatorSettings settings, Thresholds thresholds, DataCoverage coverage, JsonMapper json, Clock clock,
                    ExpensiveReads expensive, org.workforcewatch.agency.AgencySettings agency) {
        this.db = db;
        this.agency = agency;
        this.expensive = expensive;
        this.tx = tx;
        DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition();
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        readOnly.setReadOnly(true);
        this.snapshot = TransactionalOperator.create(transactions, readOnly);
        this.settings = settings;
        this.thresholds = thresholds;
        this.coverage = coverage;
        this.json = json;
        this.clock = clock;
    }

    /**
     * What to compute: for each date, the teams (team '' is the children with no team), or null for every
     * team and the children with no team.
     */
    public record Targets(Map<LocalDate, Set<String>> teams) {

        static Targets everyTeam(Collection<LocalDate> dates) {
            Map<LocalDate, Set<String>> m = new java.util.TreeMap<>();
            dates.forEach(d -> m.put(d, null));
            return new Targets(m);
        }

        boolean everyTeamEverywhere() {
            return teams.values().stream().allMatch(java.util.Objects::isNull);
        }

        boolean isEmpty() {
            return teams.isEmpty();
        }
    }

    /** The values a setting gives to the statements' parameters. */
    private Map<String, Object> parameters() {
        return Map.of("maxCaseload", settings.maxCaseload(), "asyeShare", settings.asyeShare(),
                "allocationDays", settings.allocationDays(), "paFromAge", settings.paFromAge(),
                "agencyPriceCap", settings.agencyPriceCap(), "contactDays", settings.contactDays(), "coverDays", settings.coverDays(),
                "agencyCaps", agency.capsJson());
    }

    /** What the stored results depend on besides the data: when it differs, they are computed again. */
    String settingsFingerprint() {
        return "v1 " + new java.util.TreeMap<>(parameters());
    }

    /**
     * Computes the targets into w_results, in the caller's transaction; with {@code store}, the stored
     * results of exactly these targets are replaced by them.
     */
    Mono<Void> compute(Targets targets, boolean store) {
        if (targets.isEmpty()) {
            return Mono.empty();
        }
        boolean everyTeam = targets.everyTeamEverywhere();
        List<IndicatorSql.Step> steps = new ArrayList<>(IndicatorSql.steps(everyTeam));
        if (store) {
            steps.addAll(IndicatorSql.store(everyTeam));
        }
        String targetJson = targetsJson(targets);
        return Flux.fromIterable(steps).concatMap(step -> bind(db.sql(step.sql()), step.sql(), targetJson).then()).then();
    }

    private String targetsJson(Targets targets) {
        List<Map<String, Object>> list = new ArrayList<>();
        targets.teams().forEach((date, teams) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("as_of", date.toString());
            m.put("teams", teams == null ? null : List.copyOf(teams));
            list.add(m);
        });
        return json.writeValueAsString(list);
    }

    private DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String sql, String targets) {
        if (sql.contains(":targets")) {
            spec = spec.bind("targets", targets);
        }
        for (Map.Entry<String, Object> v : parameters().entrySet()) {
            if (sql.contains(":" + v.getKey())) {
                spec = spec.bind(v.getKey(), v.getValue());
            }
        }
        return spec;
    }

    /** Every indicator at one level on one date. */
    public Flux<IndicatorValue> at(LocalDate asOf, String level) {
        return current(List.of(asOf), level, null, null).map(Dated::value);
    }

    /** A value with its date. */
    public record Dated(LocalDate asOf, IndicatorValue value) {
    }

    /**
     * Values for these dates: stored dates from the last committed results, any other computed on the spot.
     * Where the data does not cover a date, the indicator is there without a value, with the reason.
     */
    public Flux<Dated> current(List<LocalDate> dates, String level, Indicator only, String scope) {
        checkLevel(level);
        List<LocalDate> wanted = List.copyOf(new TreeSet<>(dates));
        return coverage.current().flatMapMany(cov -> snapshot.transactional(
                        db.sql("SELECT as_of FROM indicator_dates WHERE as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))")
                                .bind("dates", joined(wanted)).map(r -> r.get("as_of", LocalDate.class)).all().collectList()
                                .flatMap(stored -> read("indicator_results", stored, level, only, scope).collectList()
                                        .map(values -> Map.entry(stored, values))))
                .flatMapMany(found -> {
                    List<LocalDate> missing = new ArrayList<>(wanted);
                    missing.removeAll(found.getKey());
                    return Flux.fromIterable(found.getValue()).concatWith(adHoc(missing, level, only, scope));
                })
                .map(d -> covered(cov, d))
                .sort(java.util.Comparator.comparing(Dated::asOf)));
    }

    /**
     * As {@link #current(List, String, Indicator, String)}, against the thresholds of a view (those in force at a
     * past moment) instead of today's: the figures are the same, the severities, thresholds and targets the view's.
     */
    public Flux<Dated> current(List<LocalDate> dates, String level, Indicator only, String scope, Thresholds.View view) {
        return current(dates, level, only, scope).map(d -> new Dated(d.asOf(), view.apply(d.value())));
    }

    /**
     * The points of a series: like {@link #current}, but only where the data covers them, so that a series
     * starts at its indicator's coverage, never before.
     */
    public Flux<Dated> series(List<LocalDate> dates, String level, Indicator only, String scope) {
        return coverage.current().flatMapMany(cov -> current(dates.stream()
                .filter(d -> only == null || !d.isBefore(cov.from(only))).toList(), level, only, scope))
                .filter(d -> d.value().reason() == null);
    }

    /** Values only from the stored results (none computed), where the data covers them. */
    public Flux<Dated> stored(List<LocalDate> dates, String level, Indicator only, String scope) {
        return coverage.current().flatMapMany(cov -> snapshot.transactional(read("indicator_results", dates, level, only, scope))
                .map(d -> covered(cov, d)).filter(d -> d.value().reason() == null));
    }

    private static Dated covered(DataCoverage.Coverage cov, Dated d) {
        Indicator indicator = Indicator.byId(d.value().indicator()).orElseThrow();
        String gap = cov.gap(indicator, d.asOf());
        return gap == null ? d : new Dated(d.asOf(), d.value().uncovered(gap));
    }

    /** Dates computed on the spot (or kept from an earlier such computation while the data has not changed). */
    private Flux<Dated> adHoc(List<LocalDate> dates, String level, Indicator only, String scope) {
        if (dates.isEmpty()) {
            return Flux.empty();
        }
        long generation = dataGeneration.get();
        long thresholdsInForce = thresholds.generation();
        List<Dated> kept = new ArrayList<>();
        List<LocalDate> compute = new ArrayList<>();
        synchronized (adHoc) {
            for (LocalDate d : dates) {
                AdHoc a = adHoc.get(d);
                if (a != null && a.generation() == generation && a.thresholds() == thresholdsInForce) {
                    kept.addAll(a.values());
                } else {
                    compute.add(d);
                }
            }
        }
        Mono<List<Dated>> fresh = compute.isEmpty() ? Mono.just(List.of()) : joined(compute, generation, thresholdsInForce);
        return fresh.flatMapMany(values -> Flux.concat(Flux.fromIterable(kept), Flux.fromIterable(values)))
                .filter(d -> d.value().level().equals(level) && (only == null || d.value().indicator().equals(only.id()))
                        && (scope == null || level.equals("authority") || scope.equals(d.value().scope())));
    }

    /** The computation of these dates on the spot: the one under way for the same data and thresholds, or a new one. */
    private Mono<List<Dated>> joined(List<LocalDate> compute, long generation, long thresholdsInForce) {
        Computing key = new Computing(List.copyOf(compute), generation, thresholdsInForce);
        return Mono.defer(() -> {
            synchronized (adHoc) {
                Mono<List<Dated>> running = computing.get(key);
                if (running != null) {
                    return running;
                }
                Mono<List<Dated>> started = expensive.limited(computeOnTheSpot(compute, generation, thresholdsInForce))
                        .doFinally(signal -> {
                            synchronized (adHoc) {
                                computing.remove(key);
                            }
                        })
                        .cache();
                computing.put(key, started);
                return started;
            }
        });
    }

    private Mono<List<Dated>> computeOnTheSpot(List<LocalDate> compute, long generation, long thresholdsInForce) {
        return Mono.defer(() -> {
            computedOnTheSpot.incrementAndGet();
            return tx.transactional(compute(Targets.everyTeam(compute), false)
                        .thenMany(Flux.just("team", "service", "authority").concatMap(l -> read("w_results", compute, l, null, null)))
                        .collectList())
                .doOnNext(values -> {
                    if (dataGeneration.get() == generation) {
                        OffsetDateTime now = OffsetDateTime.now(clock);
                        synchronized (adHoc) {
                            for (LocalDate d : compute) {
                                adHoc.put(d, new AdHoc(generation, thresholdsInForce, now,
                                        values.stream().filter(v -> v.asOf().equals(d)).toList()));
                            }
                        }
                    }
                });
        });
    }

    /** How many computations on the spot have run: each is a whole date (or several) for every team. */
    long computedOnTheSpot() {
        return computedOnTheSpot.get();
    }


    /**
     * Forgets every stored result: until the background computes them again, reads compute on the spot from
     * the data as it is. For an administrator repairing figures, and for tests that load data in steps.
     */
    public Mono<Void> invalidate() {
        return tx.transactional(db.sql(IndicatorRefresh.LOCK).then()
                        .then(db.sql("DELETE FROM indicator_results").then())
                        .then(db.sql("DELETE FROM indicator_dates").then()))
                .doOnSuccess(v -> dataChanged());
    }

    /** The data may have changed (here or on another instance): results computed on the spot before now are not kept. */
    public void dataChanged() {
        dataGeneration.incrementAndGet();
        synchronized (adHoc) {
            adHoc.clear();
        }
    }

    /** When the figures of a date were computed, from which version, and whether changes are waiting. */
    public record Freshness(LocalDate asOf, OffsetDateTime computedAt, long version, boolean stored, boolean pending) {
    }

    /** How current the figures of a date are, in one query. */
    public Mono<Freshness> freshness(LocalDate asOf) {
        return db.sql("SELECT (SELECT computed_at FROM indicator_dates WHERE as_of = :d) AS computed_at,"
                        + " (SELECT version FROM indicator_dates WHERE as_of = :d) AS version,"
                        + " EXISTS (SELECT 1 FROM indicator_changes) AS pending")
                .bind("d", asOf)
                .map(r -> {
                    Long version = r.get("version", Long.class);
                    OffsetDateTime at = r.get("computed_at", OffsetDateTime.class);
                    boolean pending = Boolean.TRUE.equals(r.get("pending", Boolean.class));
                    if (version == null) {
                        AdHoc a;
                        synchronized (adHoc) {
                            a = adHoc.get(asOf);
                        }
                        return new Freshness(asOf, a == null ? null : a.computedAt(), -1, false, pending);
                    }
                    return new Freshness(asOf, at, version, true, pending);
                }).one();
    }

    /** Values for these dates at one level from a results table, optionally of one indicator and one scope. */
    private Flux<Dated> read(String table, List<LocalDate> dates, String level, Indicator only, String scope) {
        if (dates.isEmpty()) {
            return Flux.empty();
        }
        String grouping = switch (level) {
            case "team" -> "r.as_of, r.indicator, r.team_id, t.service, t.team_type";
            case "service" -> "r.as_of, r.indicator, t.service";
            default -> "r.as_of, r.indicator";
        };
        String scopeColumn = switch (level) {
            case "team" -> "r.team_id";
            case "service" -> "t.service";
            default -> "'authority'";
        };
        String sql = "SELECT r.as_of, r.indicator, " + scopeColumn + " AS scope, "
                + (level.equals("team") ? "t.service, t.team_type" : level.equals("service") ? "t.service, NULL AS team_type"
                    : "NULL AS service, NULL AS team_type")
                + ", sum(r.numerator) AS numerator, sum(r.denominator) AS denominator, max(r.detail) AS detail"
                + " FROM " + table + " r LEFT JOIN teams t ON t.team_id = r.team_id"
                + " WHERE r.as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))"
                + (level.equals("authority") ? "" : " AND " + scopeColumn + " IS NOT NULL")
                + (only == null ? "" : " AND r.indicator = :indicator")
                + (scope == null || level.equals("authority") ? "" : " AND " + scopeColumn + " = :scope")
                + " GROUP BY " + grouping + " ORDER BY 1, 2, 3";
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("dates", joined(dates));
        if (only != null) {
            spec = spec.bind("indicator", only.id());
        }
        if (scope != null && !level.equals("authority")) {
            spec = spec.bind("scope", scope);
        }
        return spec.map(row -> {
            Indicator indicator = Indicator.byId(row.get("indicator", String.class)).orElseThrow();
            String scopeValue = row.get("scope", String.class);
            String teamType = row.get("team_type", String.class);
            double num = row.get("numerator", BigDecimal.class).doubleValue();
            double den = row.get("denominator", BigDecimal.class).doubleValue();
            BigDecimal detail = row.get("detail", BigDecimal.class);
            ThresholdSettings.Applied applied = level.equals("team") ? thresholds.forTeam(indicator, scopeValue, teamType)
                    : thresholds.forIndicator(indicator);
            Double value = indicator.value(num, den).orElse(null);
            return new Dated(row.get("as_of", LocalDate.class), new IndicatorValue(indicator.id(), level, scopeValue,
                    row.get("service", String.class), teamType, value, value == null ? null : applied.severity(value),
                    applied.amber(), applied.red(), applied.target(), applied.leadOfficer(), num, den,
                    detail == null ? null : detail.doubleValue(), null, null));
        }).all();
    }

    private static String joined(Collection<LocalDate> dates) {
        return String.join(",", new TreeSet<>(dates).stream().map(LocalDate::toString).toList());
    }

    static String checkLevel(String level) {
        if (!List.of("team", "service", "authority").contains(level)) {
            throw new IllegalArgumentException("level must be team, service or authority, got: " + level);
        }
        return level;
    }

    /** Month ends the data covers, before {@code today}: the dates of the stored monthly history. */
    public Mono<List<LocalDate>> historyDates(LocalDate today) {
        return coverage.current().map(c -> new DataCoverage.Coverage(today, c.datasets()).monthEnds());
    }

    /**
     * Whether the stored figures are complete and current: no change waiting, and every date the data covers
     * (the month ends and today) stored.
     */
    public Mono<Boolean> settled() {
        LocalDate today = LocalDate.now(clock);
        return historyDates(today).flatMap(months -> {
            List<LocalDate> wanted = new ArrayList<>(months);
            wanted.add(today);
            return db.sql("SELECT NOT EXISTS (SELECT 1 FROM indicator_changes) AS current")
                    .map(r -> Boolean.TRUE.equals(r.get("current", Boolean.class))).one()
                    .flatMap(current -> current ? allStored(wanted) : Mono.just(false));
        });
    }

    /** Whether figures are stored for every one of these dates. */
    public Mono<Boolean> allStored(List<LocalDate> dates) {
        return db.sql("SELECT count(*) AS n FROM indicator_dates WHERE as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))")
                .bind("dates", joined(dates)).map(r -> r.get("n", Long.class)).one().map(n -> n == dates.size());
    }

    /** The date, if the data covers it; otherwise a {@link DateNotCovered} problem naming the window. */
    public Mono<LocalDate> covered(LocalDate date) {
        return coverage.current().flatMap(c -> c.inWindow(date) ? Mono.just(date) : Mono.error(new DateNotCovered(date, c)));
    }

    /** The coverage of the data today. */
    public Mono<DataCoverage.Coverage> coverage() {
        return coverage.current();
    }
}
