package org.workforcewatch.indicators;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The authority's own figures beside the latest published ones in force on the day (the latest collection year
 * published by the end of it, {@link PublishedYears}): England, its region, the median of its
 * statistical neighbours, its own published figure, and where its current value would stand among all
 * local authorities that year (rank and quartile band, in the measure's direction).
 */
@Component
public class BenchmarkComparison {

    /**
     * Ranks need the published figures of (nearly) every authority, as the Department's file has them
     * (about 150 a year); a tidy file with the authority and its neighbours alone cannot rank.
     */
    static final int AUTHORITIES_NEEDED_FOR_RANK = 100;

    /** One measure compared. Figures are as published (percent for rates); {@code value} is rounded as published. */
    public record Entry(String indicator, Double value, Integer year, Double england, Double region, Double statisticalNeighboursMedian,
                 long statisticalNeighboursWithValue, Double publishedOwn, Integer rank, Integer of, String band,
                 boolean higherIsBetter, String note) {
    }

    private static final String FIGURES = """
            WITH y AS (SELECT max(year) AS year FROM benchmarks WHERE measure = :measure AND year <= :lastYear),
            b AS (SELECT b.area_code, b.geographic_level, b.value FROM benchmarks b JOIN y ON b.year = y.year
                  WHERE b.measure = :measure),
            sn AS (SELECT value, row_number() OVER (ORDER BY value) AS i, count(*) OVER () AS n FROM b
                   WHERE area_code = ANY (string_to_array(:neighbours, ','))),
            others AS (SELECT value FROM b WHERE geographic_level = 'local_authority' AND area_code <> :area)
            SELECT (SELECT year FROM y) AS year,
                   (SELECT value FROM b WHERE geographic_level = 'national'
                    ORDER BY area_code = 'E92000001' DESC, area_code LIMIT 1) AS england,
                   (SELECT value FROM b WHERE area_code = :region) AS region,
                   (SELECT avg(value) FROM sn WHERE i IN ((n + 1) / 2, (n + 2) / 2)) AS neighbours_median,
                   (SELECT count(*) FROM sn) AS neighbours_with_value,
                   (SELECT value FROM b WHERE area_code = :area) AS published_own,
                   (SELECT count(*) FROM others) AS others,
                   (SELECT count(*) FROM others WHERE value > :own) AS above,
                   (SELECT count(*) FROM others WHERE value < :own) AS below
            """;

    /** Employed children and family social workers in post (docs/DOMAIN.md, "FTE"); null when there are no staff. */
    private static final String EMPLOYED_FTE = """
            SELECT CASE WHEN count(*) > 0 THEN coalesce(sum(fte) FILTER (
                       WHERE open_on(start_date, end_date, :asOf) AND employed AND cfsw), 0) END AS fte
            FROM staff_spells_v
            """;

    private final DatabaseClient db;
    private final IndicatorEngine engine;
    private final BenchmarkAuthority authority;
    private final PublishedYears published;

    BenchmarkComparison(DatabaseClient db, IndicatorEngine engine, BenchmarkAuthority authority, PublishedYears published) {
        this.db = db;
        this.published = published;
        this.engine = engine;
        this.authority = authority;
    }

    /** Every measure with a published counterpart, in {@link BenchmarkMeasure} order. */
    public Flux<Entry> at(LocalDate asOf) {
        Mono<Map<String, Optional<Double>>> own = engine.at(asOf, "authority")
                .collect(Collectors.toMap(IndicatorValue::indicator, v -> Optional.ofNullable(v.value()), (a, b) -> a))
                .zipWith(employedFte(asOf), (byIndicator, fte) -> {
                    Map<String, Optional<Double>> all = new HashMap<>(byIndicator);
                    all.put(BenchmarkMeasure.FTE.id(), fte);
                    return all;
                });
        return own.flatMapMany(values -> Flux.fromArray(BenchmarkMeasure.values()).concatMap(m -> {
            String key = m.indicator().map(Indicator::id).orElse(m.id());
            return compare(m, values.getOrDefault(key, Optional.empty()).map(BenchmarkComparison::asPublished), published.inForce(asOf));
        }));
    }

    private Mono<Optional<Double>> employedFte(LocalDate asOf) {
        return db.sql(EMPLOYED_FTE).bind("asOf", asOf).map(r -> Optional.ofNullable(r.get("fte", BigDecimal.class))
                .map(BigDecimal::doubleValue)).one();
    }

    private Mono<Entry> compare(BenchmarkMeasure measure, Optional<BigDecimal> own, int lastYear) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(FIGURES).bind("measure", measure.id()).bind("lastYear", lastYear)
                .bind("neighbours", String.join(",", authority.statisticalNeighbours()))
                .bind("area", authority.areaCode()).bind("region", authority.regionCode());
        spec = own.isPresent() ? spec.bind("own", own.get()) : spec.bindNull("own", BigDecimal.class);
        String indicator = measure.indicator().map(Indicator::id).orElse(measure.id());
        return spec.map(r -> {
            Integer year = r.get("year", Integer.class);
            long others = r.get("others", Long.class);
            Integer rank = null;
            Integer of = null;
            String band = null;
            String note = null;
            if (year == null) {
                note = "no published figures for " + measure.id() + ": load the benchmarks dataset";
            } else if (others < AUTHORITIES_NEEDED_FOR_RANK) {
                note = "no rank: ranks need every authority's figures and the " + year + " benchmarks hold only " + others
                        + " other local authorities; load the Department's published file as downloaded"
                        + " (csww_indicators_2017_to_2025.csv) with POST /api/imports/benchmarks";
            } else if (own.isEmpty()) {
                note = "no rank: the authority has no " + measure.id() + " value on this date";
            } else {
                long better = measure.higherIsBetter() ? r.get("above", Long.class) : r.get("below", Long.class);
                rank = (int) better + 1;
                of = (int) others + 1;
                band = band(rank, of);
            }
            return new Entry(indicator, own.map(BigDecimal::doubleValue).orElse(null), year, number(r.get("england", BigDecimal.class)),
                    number(r.get("region", BigDecimal.class)), number(r.get("neighbours_median", BigDecimal.class)),
                    r.get("neighbours_with_value", Long.class), number(r.get("published_own", BigDecimal.class)), rank, of, band,
                    measure.higherIsBetter(), note);
        }).one();
    }

    /** Quarter of the ranking a rank falls in: A the best quarter, D the worst. */
    static String band(int rank, int of) {
        int quarter = Math.min(3, (rank - 1) * 4 / of);
        return String.valueOf((char) ('A' + quarter));
    }

    /** The Department publishes FTEs, rates and caseloads to one decimal place; comparing at that precision makes ties real. */
    private static BigDecimal asPublished(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP);
    }

    private static Double number(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().doubleValue();
    }
}
