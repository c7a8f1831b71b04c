package org.workforcewatch.reports;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.dashboard.Organisation;
import org.workforcewatch.indicators.BenchmarkComparison;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.indicators.Risk;
import org.workforcewatch.indicators.TeamRisks;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.spc.Spc;
import org.workforcewatch.spc.SpcSettings;
import org.workforcewatch.spc.Xmr;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The figures of the monthly workforce profile for one month, as at its last day: every indicator at
 * the authority beside last month, twelve months ago, its target, the published England and region
 * figures and its SPC verdicts; the risks active that day; each team's indicators by service. The same
 * figures feed the PDF and the CSV downloads, so the two never disagree.
 */
@Component
class WorkforceProfile {

    /** One indicator at the authority. {@code benchmarkYear} is the published year beside it. */
    record SummaryRow(Indicator indicator, IndicatorValue value, Double lastMonth, Double yearAgo, Xmr.Variation variation,
                      Xmr.Assurance assurance, LocalDate processChangedSince, Double england, Double region,
                      Double statisticalNeighbours, Integer benchmarkYear) {
    }

    record Team(String teamId, String teamName, String service, String teamType) {
    }

    /** A team's values, by indicator. */
    record TeamRow(Team team, Map<Indicator, IndicatorValue> values) {
    }

    /** A service's own values (its teams added up) and its teams in id order. */
    record ServiceTeams(String service, Map<Indicator, IndicatorValue> values, List<TeamRow> teams) {
    }

    /** An indicator at amber or red somewhere on the day; {@code where} names the scope for a reader. */
    record RiskRow(Indicator indicator, IndicatorValue value, String where, double threshold, LocalDate since) {

        /** The same risk as the live service tells it, so the pack groups it as GET /api/risks?group=team does. */
        Risk asRisk() {
            return Risk.of(value, since);
        }
    }

    record Profile(YearMonth month, LocalDate asOf, LocalDate lastMonth, LocalDate yearAgo, Instant generated, String authorityName,
                   String regionName, List<SummaryRow> summary, List<ServiceTeams> services, List<RiskRow> risks,
                   String comparedWith, String syntheticNotice, SpcSettings spcSettings) {
    }

    private static final List<String> LEVELS = List.of("authority", "service", "team");

    private final IndicatorEngine engine;
    private final BenchmarkComparison benchmarks;
    private final Spc spc;
    private final SpcSettings spcSettings;
    private final Organisation organisation;
    private final Clock clock;
    private final Thresholds thresholds;

    WorkforceProfile(IndicatorEngine engine, BenchmarkComparison benchmarks, Organisation organisation, Spc spc,
                     SpcSettings spcSettings, Clock clock, Thresholds thresholds) {
        this.engine = engine;
        this.thresholds = thresholds;
        this.benchmarks = benchmarks;
        this.spc = spc;
        this.spcSettings = spcSettings;
        this.organisation = organisation;
        this.clock = clock;
    }

    /** The last complete month: the default month of the profile. */
    YearMonth lastCompleteMonth() {
        return YearMonth.now(clock).minusMonths(1);
    }

    /**
     * The month from the request: YYYY-MM, complete (ended before today), and within the history; absent, the
     * last complete month. 400 for a malformed or unfinished month, 404 for one with no data.
     */
    Mono<YearMonth> month(String requested) {
        YearMonth month;
        if (requested == null || requested.isBlank()) {
            month = lastCompleteMonth();
        } else {
            String m = requested.strip();
            if (!m.matches("\\d{4}-\\d{2}")) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "month must be YYYY-MM, e.g. " + lastCompleteMonth() + "; got " + m);
            }
            try {
                month = YearMonth.parse(m);
            } catch (java.time.format.DateTimeParseException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "month must be YYYY-MM, e.g. " + lastCompleteMonth()
                        + "; there is no month " + m);
            }
            if (month.isAfter(lastCompleteMonth())) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the profile is of a complete month; " + m
                        + " has not ended yet (the latest complete month is " + lastCompleteMonth() + ")");
            }
        }
        YearMonth chosen = month;
        return engine.historyDates(LocalDate.now(clock)).map(dates -> {
            if (dates.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no data has been loaded yet: nothing to report for " + chosen);
            }
            if (!dates.contains(chosen.atEndOfMonth())) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no data for " + chosen + ": the history runs from "
                        + YearMonth.from(dates.get(0)) + " to " + YearMonth.from(dates.get(dates.size() - 1)));
            }
            return chosen;
        });
    }

    /** The months a profile can be made for, newest first: the complete months whose last day the history holds. */
    Mono<List<YearMonth>> months() {
        YearMonth latest = lastCompleteMonth();
        return engine.historyDates(LocalDate.now(clock)).map(dates -> dates.stream()
                .filter(d -> d.equals(YearMonth.from(d).atEndOfMonth()) && !YearMonth.from(d).isAfter(latest))
                .map(YearMonth::from).distinct().sorted(Comparator.reverseOrder()).toList());
    }

    /**
     * Every figure of the profile of a month (already checked by {@link #month}), against the thresholds in force at the
     * end of its last day: a change made since does not rewrite a month's ratings.
     */
    Mono<Profile> of(YearMonth month) {
        LocalDate asOf = month.atEndOfMonth();
        LocalDate lastMonth = month.minusMonths(1).atEndOfMonth();
        LocalDate yearAgo = month.minusMonths(12).atEndOfMonth();
        LocalDate today = LocalDate.now(clock);
        return engine.historyDates(today).zipWith(thresholds.atEndOf(asOf)).flatMap(ht -> {
            List<LocalDate> history = ht.getT1();
            Thresholds.View inForce = ht.getT2();
            List<LocalDate> upTo = history.stream().filter(d -> !d.isAfter(asOf)).toList();
            Mono<Map<String, BenchmarkComparison.Entry>> published = benchmarks.at(asOf)
                    .collectMap(BenchmarkComparison.Entry::indicator);
            Mono<Map<Indicator, Xmr>> charts = spc.all("authority", null, asOf);
            // Every level over the months up to the day: the day's values, last month's and a year ago's (where the
            // history reaches back that far), and how long each risk has run.
            Mono<List<IndicatorEngine.Dated>> all = Flux.fromIterable(LEVELS)
                    .concatMap(level -> engine.current(upTo, level, null, null, inForce)).collectList().cache();
            Mono<Organisation.Authority> organised = organisation.authority().cache();
            Mono<List<Team>> teams = Mono.zip(all, organised).map(t -> teamsAt(t.getT1(), t.getT2(), asOf));
            Mono<String[]> names = organised.map(o -> new String[] {
                    o.name() != null ? o.name() : "Area " + o.areaCode(),
                    o.regionName() != null ? o.regionName() : "Region " + o.regionCode(),
                    o.comparedWith().name() != null ? o.comparedWith().name() : "Area " + o.comparedWith().areaCode(), o.notice()});
            return Mono.zip(all, published, charts, teams, names).map(t -> new Profile(month, asOf,
                    lastMonth, yearAgo, clock.instant(), t.getT5()[0], t.getT5()[1],
                    summary(t.getT1().stream().filter(d -> d.value().level().equals("authority")).toList(), t.getT2(), t.getT3(),
                            asOf, lastMonth, yearAgo),
                    services(t.getT1(), t.getT4(), asOf), risks(t.getT1(), t.getT4(), upTo, asOf),
                    t.getT5()[2], t.getT5()[3], spcSettings));
        });
    }

    private static List<SummaryRow> summary(List<IndicatorEngine.Dated> rows, Map<String, BenchmarkComparison.Entry> published,
                                            Map<Indicator, Xmr> charts, LocalDate asOf, LocalDate lastMonth, LocalDate yearAgo) {
        List<SummaryRow> summary = new ArrayList<>();
        for (Indicator indicator : Indicator.values()) {
            IndicatorValue now = null;
            Double previous = null;
            Double yearBefore = null;
            for (IndicatorEngine.Dated d : rows) {
                if (d.value().indicator().equals(indicator.id())) {
                    if (d.asOf().equals(asOf)) {
                        now = d.value();
                    } else if (d.asOf().equals(lastMonth)) {
                        previous = d.value().value();
                    } else if (d.asOf().equals(yearAgo)) {
                        yearBefore = d.value().value();
                    }
                }
            }
            if (now == null) {
                continue;
            }
            Xmr xmr = charts.get(indicator);
            BenchmarkComparison.Entry b = published.get(indicator.id());
            summary.add(new SummaryRow(indicator, now, previous, yearBefore, xmr.variation(), xmr.assurance(),
                    xmr.processChangedSince(), b == null ? null : b.england(), b == null ? null : b.region(),
                    b == null ? null : b.statisticalNeighboursMedian(), b == null ? null : b.year()));
        }
        return summary;
    }

    /**
     * The teams of the month: those with team-level values at its end, with the service and team type they had then (a
     * later teams import does not change a past month's pack); named as the teams table names them. Services in the
     * order of their first team, teams by id, as {@link Organisation} lists them.
     */
    private static List<Team> teamsAt(List<IndicatorEngine.Dated> all, Organisation.Authority organised, LocalDate asOf) {
        Map<String, String> names = new HashMap<>();
        organised.services().forEach(s -> s.teams().forEach(t -> names.put(t.teamId(), t.teamName())));
        Map<String, Team> byId = new java.util.TreeMap<>();
        for (IndicatorEngine.Dated d : all) {
            IndicatorValue v = d.value();
            if (d.asOf().equals(asOf) && v.level().equals("team")) {
                byId.putIfAbsent(v.scope(), new Team(v.scope(), names.get(v.scope()), v.service(), v.teamType()));
            }
        }
        Map<String, List<Team>> byService = new LinkedHashMap<>();
        byId.values().forEach(t -> byService.computeIfAbsent(t.service(), k -> new ArrayList<>()).add(t));
        return byService.values().stream().flatMap(List::stream).toList();
    }

    private static List<ServiceTeams> services(List<IndicatorEngine.Dated> all, List<Team> teams, LocalDate asOf) {
        Map<String, Map<Indicator, IndicatorValue>> byScope = new HashMap<>();
        for (IndicatorEngine.Dated d : all) {
            if (d.asOf().equals(asOf) && !d.value().level().equals("authority")) {
                byScope.computeIfAbsent(d.value().level() + "|" + d.value().scope(), k -> new EnumMap<>(Indicator.class))
                        .put(Indicator.byId(d.value().indicator()).orElseThrow(), d.value());
            }
        }
        Map<String, List<TeamRow>> byService = new LinkedHashMap<>();
        for (Team team : teams) {
            byService.computeIfAbsent(team.service(), k -> new ArrayList<>())
                    .add(new TeamRow(team, byScope.getOrDefault("team|" + team.teamId(), Map.of())));
        }
        List<ServiceTeams> services = new ArrayList<>();
        byService.forEach((service, rows) -> services.add(new ServiceTeams(service,
                byScope.getOrDefault("service|" + service, Map.of()), rows)));
        return services;
    }

    /**
     * The day's risks, worst first (red, then the authority, services, teams). "Since" is the first month end
     * of the unbroken run of amber or red month ends that leads up to the day, rated with the thresholds in force
     * at the day: the live risks' own "since" would change with a later threshold change, and a month's pack must not.
     */
    private static List<RiskRow> risks(List<IndicatorEngine.Dated> all, List<Team> teams, List<LocalDate> upTo, LocalDate asOf) {
        Map<String, String> teamNames = new HashMap<>();
        teams.forEach(t -> teamNames.put(t.teamId(), t.teamName()));
        Map<String, Map<LocalDate, IndicatorValue>> history = new HashMap<>();
        for (IndicatorEngine.Dated d : all) {
            history.computeIfAbsent(key(d.value()), k -> new HashMap<>()).put(d.asOf(), d.value());
        }
        List<RiskRow> rows = new ArrayList<>();
        for (IndicatorEngine.Dated d : all) {
            IndicatorValue v = d.value();
            if (!d.asOf().equals(asOf) || !isRisk(v)) {
                continue;
            }
            // the day itself breaches, so the run has a start
            LocalDate since = Risk.startOfRun(upTo, history.get(key(v)), WorkforceProfile::isRisk);
            String where = switch (v.level()) {
                case "authority" -> "Authority";
                case "service" -> v.scope();
                default -> v.scope() + " " + Optional.ofNullable(teamNames.get(v.scope())).orElse("");
            };
            rows.add(new RiskRow(Indicator.byId(v.indicator()).orElseThrow(), v, where.strip(),
                    "red".equals(v.severity()) ? v.red() : v.amber(), since));
        }
        rows.sort(Comparator.comparing((RiskRow r) -> "red".equals(r.value().severity()) ? 0 : 1)
                .thenComparing(r -> LEVELS.indexOf(r.value().level()))
                .thenComparing(RiskRow::indicator)
                .thenComparing(r -> r.value().scope()));
        return rows;
    }

    /** The day's risks grouped by team, in the order and by the rule of GET /api/risks?group=team ({@link TeamRisks}). */
    static TeamRisks teamsAtRisk(Profile p) {
        Map<String, String> names = new HashMap<>();
        p.services().forEach(s -> s.teams().forEach(t -> names.put(t.team().teamId(), t.team().teamName())));
        return TeamRisks.of(p.risks().stream().map(RiskRow::asRisk).toList(), names, TeamRisks.Filter.NONE);
    }

    static boolean isRisk(IndicatorValue v) {
        return v != null && v.value() != null && ("amber".equals(v.severity()) || "red".equals(v.severity()));
    }

    private static String key(IndicatorValue v) {
        return v.indicator() + "|" + v.level() + "|" + v.scope();
    }
}
