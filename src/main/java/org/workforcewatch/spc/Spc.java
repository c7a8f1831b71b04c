package org.workforcewatch.spc;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.indicators.Thresholds;
import reactor.core.publisher.Mono;

/**
 * XmR charts of the indicators' month-end series, read through the indicator engine exactly as
 * /api/indicators/{id}/series reads them (so a chart and the series never disagree). Only complete months
 * count: today's partial month would be an unfair last point. Each chart is judged with its indicator's polarity,
 * the target in force and the rebases recorded for its level and scope ({@link Rebases}).
 */
@Component
public class Spc {

    /**
     * The months a chart covers: the latest 24 complete months. Enough points for settled limits (Making Data
     * Count asks for at least 12, ideally 20 or more). Old enough history is left out: an early stretch would set
     * the limits for today, such as the years before a dataset started. A restructure within the window is
     * recorded as a rebase.
     */
    public static final int MONTHS = 24;

    private static final List<String> LEVELS = List.of("team", "service", "authority");

    private final IndicatorEngine engine;
    private final Thresholds thresholds;
    private final Rebases rebases;
    private final SpcSettings settings;
    private final Clock clock;

    Spc(IndicatorEngine engine, Thresholds thresholds, Rebases rebases, SpcSettings settings, Clock clock) {
        this.engine = engine;
        this.thresholds = thresholds;
        this.rebases = rebases;
        this.settings = settings;
        this.clock = clock;
    }

    /** The chart of one indicator over the latest {@link #MONTHS} complete months. */
    public Mono<Xmr> of(Indicator indicator, String level, String scope) {
        return through(level, scope, null, indicator).map(charts -> charts.get(indicator));
    }

    /** Every indicator's chart over the latest {@link #MONTHS} complete months. */
    public Mono<Map<Indicator, Xmr>> all(String level, String scope) {
        return through(level, scope, null, null);
    }

    /**
     * Every indicator's chart over the {@link #MONTHS} month ends up to and including {@code lastMonthEnd}, as the board saw
     * it then: with the targets in force at the end of that day.
     */
    public Mono<Map<Indicator, Xmr>> all(String level, String scope, LocalDate lastMonthEnd) {
        return thresholds.atEndOf(lastMonthEnd).flatMap(view -> through(level, scope, lastMonthEnd, null, view));
    }

    /** One indicator's chart over the {@link #MONTHS} month ends up to {@code lastMonthEnd}, with the target in force then. */
    public Mono<Xmr> of(Indicator indicator, String level, String scope, LocalDate lastMonthEnd) {
        return thresholds.atEndOf(lastMonthEnd).flatMap(view -> through(level, scope, lastMonthEnd, indicator, view))
                .map(charts -> charts.get(indicator));
    }

    private Mono<Map<Indicator, Xmr>> through(String level, String scope, LocalDate lastMonthEnd, Indicator only) {
        return through(level, scope, lastMonthEnd, only, thresholds.current());
    }

    private Mono<Map<Indicator, Xmr>> through(String level, String scope, LocalDate lastMonthEnd, Indicator only,
                                             Thresholds.View view) {
        String l = checkLevel(level);
        if (!l.equals("authority") && (scope == null || scope.isBlank())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "scope (a team id or a service name) is needed for level " + l);
        }
        LocalDate today = LocalDate.now(clock);
        return engine.historyDates(today).flatMap(all -> {
            List<LocalDate> upTo = all.stream().filter(d -> lastMonthEnd == null || !d.isAfter(lastMonthEnd)).toList();
            List<LocalDate> dates = upTo.subList(Math.max(0, upTo.size() - MONTHS), upTo.size());
            if (dates.isEmpty()) {
                return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no complete month of data yet" + (lastMonthEnd == null ? "" : " up to " + lastMonthEnd)));
            }
            String s = l.equals("authority") ? null : scope;
            Instant recordedBy = lastMonthEnd == null ? null : thresholds.endOf(lastMonthEnd);
            return rebases.applying(l, s, recordedBy).flatMap(recorded -> engine.series(dates, l, only, s).collectList()
                    // An indicator with no values at an existing scope (personal advisers' caseloads in a team with no
                    // personal advisers) is a chart with no points; a scope with no values at all does not exist.
                    .flatMap(rows -> !rows.isEmpty() || only == null ? Mono.just(rows)
                            : engine.series(dates, l, null, s).take(1).collectList())
                    .map(rows -> {
                        if (rows.isEmpty()) {
                            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no monthly values for " + l + " " + scope);
                        }
                        return charts(rows, l, only, recorded, view);
                    }));
        });
    }

    private Map<Indicator, Xmr> charts(List<IndicatorEngine.Dated> rows, String level, Indicator only,
                                       List<Rebases.Rebase> recorded, Thresholds.View view) {
        Map<Indicator, Xmr> charts = new EnumMap<>(Indicator.class);
        IndicatorValue any = rows.get(0).value();
        for (Indicator indicator : only == null ? Arrays.asList(Indicator.values()) : List.of(only)) {
            List<LocalDate> months = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            // The target in force at this level and scope, team and team-type overrides included.
            double target = level.equals("team") ? view.forTeam(indicator, any.scope(), any.teamType()).target()
                    : view.forIndicator(indicator).target();
            for (IndicatorEngine.Dated row : rows) {
                if (row.value().indicator().equals(indicator.id())) {
                    months.add(row.asOf());
                    values.add(row.value().value());
                }
            }
            List<LocalDate> rebaseDates = recorded.stream()
                    .filter(r -> r.indicator() == null || r.indicator().equals(indicator.id()))
                    .map(Rebases.Rebase::startsOn).toList();
            charts.put(indicator, Xmr.of(months, values, target, indicator.polarity(), rebaseDates, settings));
        }
        return charts;
    }

    static String checkLevel(String level) {
        if (!LEVELS.contains(level)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "level must be one of team, service, authority; got " + level);
        }
        return level;
    }
}
