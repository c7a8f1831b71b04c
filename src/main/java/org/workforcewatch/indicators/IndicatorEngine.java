package org.workforcewatch.indicators;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Computes and keeps the indicators: team-level numerators and denominators per date in
 * indicator_results, aggregated to services and the authority when read. A date is computed once and
 * kept until the data changes; reading a date not yet computed computes it first.
 */
@Component
public class IndicatorEngine {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final IndicatorSettings settings;
    private final Thresholds thresholds;

    /** A read-only transaction on one snapshot: what it sees stored stays stored until it ends. */
    private final TransactionalOperator snapshot;

    IndicatorEngine(DatabaseClient db, TransactionalOperator tx, ReactiveTransactionManager transactions,
                    IndicatorSettings settings, Thresholds thresholds) {
        this.db = db;
        this.tx = tx;
        DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition();
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        readOnly.setReadOnly(true);
        this.snapshot = TransactionalOperator.create(transactions, readOnly);
        this.settings = settings;
        this.thresholds = thresholds;
    }

    /** Computes these dates afresh, all indicators in one transaction. */
    public Mono<Void> compute(Collection<LocalDate> dates) {
        if (dates.isEmpty()) {
            return Mono.empty();
        }
        String list = String.join(",", new TreeSet<>(dates).stream().map(LocalDate::toString).toList());
        Mono<Void> work = db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))").then()
                .then(db.sql("DELETE FROM indicator_results WHERE as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))")
                        .bind("dates", list).then())
                .then(db.sql("DELETE FROM indicator_dates WHERE as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))")
                        .bind("dates", list).then())
                .thenMany(Flux.fromIterable(IndicatorSql.STATEMENTS.values()).concatMap(sql -> bind(db.sql(sql), sql, list).then()))
                .then(db.sql("INSERT INTO indicator_dates (as_of) SELECT CAST(d AS date) FROM unnest(string_to_array(:dates, ',')) d")
                        .bind("dates", list).then());
        return tx.transactional(work);
    }

    private DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String sql, String dates) {
        Map<String, Object> values = Map.of("dates", dates, "maxCaseload", settings.maxCaseload(), "asyeShare", settings.asyeShare(),
                "allocationDays", settings.allocationDays(), "paFromAge", settings.paFromAge(),
                "agencyPriceCap", settings.agencyPriceCap(), "contactDays", settings.contactDays(), "coverDays", settings.coverDays());
        for (Map.Entry<String, Object> v : values.entrySet()) {
            if (sql.contains(":" + v.getKey())) {
                spec = spec.bind(v.getKey(), v.getValue());
            }
        }
        return spec;
    }

    /** Forgets every stored date: after data changed, nothing kept is current. */
    public Mono<Void> invalidate() {
        return tx.transactional(db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))").then()
                .then(db.sql("DELETE FROM indicator_dates").then())
                .then(db.sql("DELETE FROM indicator_results").then()));
    }

    /** Computes those of these dates that are not stored yet. */
    public Mono<Void> ensure(Collection<LocalDate> dates) {
        String list = String.join(",", new TreeSet<>(dates).stream().map(LocalDate::toString).toList());
        return db.sql("SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d"
                        + " WHERE NOT EXISTS (SELECT 1 FROM indicator_dates i WHERE i.as_of = CAST(d AS date))")
                .bind("dates", list).map(r -> r.get("as_of", LocalDate.class)).all().collectList()
                .flatMap(this::compute);
    }

    /** Every indicator at one level on one date. */
    public Flux<IndicatorValue> at(LocalDate asOf, String level) {
        return current(List.of(asOf), level, null, null).map(Dated::value);
    }

    /**
     * Values for these dates. Dates already stored are read on one snapshot without waiting for the
     * indicators' lock, so reads go on while a refresh or the monthly history is being computed. Any date
     * not stored yet is computed first, in one transaction under the lock, so a refresh cannot drop the
     * results between computing and reading them.
     */
    public Flux<Dated> current(List<LocalDate> dates, String level, Indicator only, String scope) {
        return stored(dates, level, only, scope).flatMapMany(found -> found.isPresent() ? Flux.fromIterable(found.get())
                : tx.transactional(db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))").then()
                        .then(ensure(dates))
                        .thenMany(read(dates, level, only, scope))));
    }

    /** The values, if every one of these dates is stored. */
    private Mono<Optional<List<Dated>>> stored(List<LocalDate> dates, String level, Indicator only, String scope) {
        String list = String.join(",", new TreeSet<>(dates).stream().map(LocalDate::toString).toList());
        long wanted = new TreeSet<>(dates).size();
        return snapshot.transactional(db.sql("SELECT count(*) AS n FROM indicator_dates"
                        + " WHERE as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))")
                .bind("dates", list).map(r -> r.get("n", Long.class)).one()
                .flatMap(n -> n == wanted ? read(dates, level, only, scope).collectList().map(Optional::of)
                        : Mono.just(Optional.<List<Dated>>empty())));
    }

    /** A value with its date. */
    public record Dated(LocalDate asOf, IndicatorValue value) {
    }

    /** Values for these dates at one level, optionally of one indicator and one scope. */
    public Flux<Dated> read(List<LocalDate> dates, String level, Indicator only, String scope) {
        String list = String.join(",", dates.stream().map(LocalDate::toString).toList());
        String grouping = switch (level) {
            case "team" -> "r.as_of, r.indicator, r.team_id, t.service, t.team_type";
            case "service" -> "r.as_of, r.indicator, t.service";
            case "authority" -> "r.as_of, r.indicator";
            default -> throw new IllegalArgumentException("level must be team, service or authority, got: " + level);
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
                + " FROM indicator_results r LEFT JOIN teams t ON t.team_id = r.team_id"
                + " WHERE r.as_of = ANY (CAST(string_to_array(:dates, ',') AS date[]))"
                + (level.equals("authority") ? "" : " AND " + scopeColumn + " IS NOT NULL")
                + (only == null ? "" : " AND r.indicator = :indicator")
                + (scope == null || level.equals("authority") ? "" : " AND " + scopeColumn + " = :scope")
                + " GROUP BY " + grouping + " ORDER BY 1, 2, 3";
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("dates", list);
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
            double num = row.get("numerator", java.math.BigDecimal.class).doubleValue();
            double den = row.get("denominator", java.math.BigDecimal.class).doubleValue();
            java.math.BigDecimal detail = row.get("detail", java.math.BigDecimal.class);
            ThresholdSettings.Applied applied = level.equals("team") ? thresholds.forTeam(indicator, scopeValue, teamType)
                    : thresholds.forIndicator(indicator);
            Double value = indicator.value(num, den).orElse(null);
            return new Dated(row.get("as_of", LocalDate.class), new IndicatorValue(indicator.id(), level, scopeValue,
                    row.get("service", String.class), teamType, value, value == null ? null : applied.severity(value),
                    applied.amber(), applied.red(), applied.target(), applied.leadOfficer(), num, den,
                    detail == null ? null : detail.doubleValue(), null));
        }).all();
    }

    /**
     * Month ends before {@code today}, from the month where the case history starts (the first allocation
     * or referral; staff spells alone when there are no cases). Long-serving staff's early start dates do
     * not stretch the history back to years with no other data.
     */
    public Mono<List<LocalDate>> historyDates(LocalDate today) {
        return db.sql("SELECT coalesce(least((SELECT min(start_date) FROM allocations), (SELECT min(referral_date) FROM referrals)),"
                        + " (SELECT min(start_date) FROM staff_spells)) AS first")
                .map(r -> java.util.Optional.ofNullable(r.get("first", LocalDate.class))).one()
                .map(first -> {
                    List<LocalDate> dates = new ArrayList<>();
                    if (first.isPresent()) {
                        LocalDate end = first.get().withDayOfMonth(first.get().lengthOfMonth());
                        while (end.isBefore(today)) {
                            dates.add(end);
                            end = end.plusMonths(1).withDayOfMonth(end.plusMonths(1).lengthOfMonth());
                        }
                    }
                    return dates;
                });
    }
}
