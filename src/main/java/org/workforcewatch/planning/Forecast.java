package org.workforcewatch.planning;

import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorSettings;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.staffing.StaffRole;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Projects the workforce of a team, service or the authority month by month from the authority's own history (see
 * docs/FORECAST.md): a handful of SQL queries load the people in post, the historical rates and the case history, then a Monte
 * Carlo {@link Simulation} runs on boundedElastic.
 */
@Component
public class Forecast {

    static final String METHOD = "monte-carlo: leaving rates by role group, employment and tenure (24 months), employed starters fill uncovered posts at the historical rate,"
            + " agency starters after agency and employed leavers at the historical shares,"
            + " known end dates, planned starters, damped case trend; p10/p50/p90";

    /** Roles the forecast follows: CFSW and personal advisers. */
    private static final String FOLLOWED = " " + followed("s.role") + " ";
    private static final String SCOPE = " (CAST(:level AS text) = 'authority' OR (CAST(:level AS text) = 'team' AND t.team_id = :scope)"
            + " OR (CAST(:level AS text) = 'service' AND t.service = :scope)) ";
    private static final String WINDOWS = """
            w AS (SELECT k, a, b FROM (SELECT k, (CAST(:start AS date) - make_interval(months => k))::date AS a,
                                              (CAST(:start AS date) - make_interval(months => k - 1))::date AS b
                                       FROM generate_series(1, 24) k) x
                  -- history of leaving starts at the first recorded spell end (before it the files hold no leaver at all)
                  WHERE b >= coalesce((SELECT min(e.end_date) FROM staff_spells e WHERE e.end_date <= :start), b))
            """;
    /** The role group of a spell: 0 children and family social workers, 1 personal advisers ({@link #group(String)}). */
    private static final String GROUP = " CASE WHEN is_personal_adviser(s.role) THEN 1 ELSE 0 END ";

    private final DatabaseClient db;
    private final Clock clock;
    private final PlanningSettings settings;
    private final IndicatorSettings indicators;
    private final Thresholds thresholds;

    public Forecast(DatabaseClient db, Clock clock, PlanningSettings settings, IndicatorSettings indicators, Thresholds thresholds) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.indicators = indicators;
        this.thresholds = thresholds;
    }

    /** Projection from today with everything known now (known end dates, planned starters); {@code scenario} null = baseline. */
    public Mono<Projection> project(String level, String scope, int months, Scenario scenario) {
        return project(LocalDate.now(clock), level, scope, months, scenario, true, settings.runs());
    }

    /** Projection from {@code knownAt} using only data known at that date (no end dates after it, no planned starters). */
    public Mono<Projection> projectAsOf(LocalDate knownAt, String level, String scope, int months, Scenario scenario) {
        return project(knownAt, level, scope, months, scenario, false, settings.runs());
    }

    Mono<Projection> project(LocalDate start, String level, String scope, int months, Scenario scenario, boolean live, int runs) {
        if (!List.of("team", "service", "authority").contains(level)) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "level must be team, service or authority, got: " + level));
        }
        if (months < 1 || months > 24) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "months must be 1 to 24, got: " + months));
        }
        if (!level.equals("authority") && (scope == null || scope.isBlank())) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "scope is required for level " + level));
        }
        String sc = level.equals("authority") ? "authority" : scope;
        Calendar cal = new Calendar(start, months);
        return load(cal, level, sc, live).flatMap(data -> {
            if (data.teams.isEmpty()) {
                return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + level + " " + sc));
            }
            return Mono.fromCallable(() -> simulate(cal, level, sc, data, scenario, runs)).subscribeOn(Schedulers.boundedElastic());
        });
    }

    /** The month ends of a projection: month 0 is the start date, month m the m-th month end after it. */
    record Calendar(LocalDate start, int months, YearMonth first) {
        Calendar(LocalDate start, int months) {
            this(start, months, start.equals(YearMonth.from(start).atEndOfMonth()) ? YearMonth.from(start).plusMonths(1)
                    : YearMonth.from(start));
        }

        YearMonth month(int m) {
            return first.plusMonths(m - 1);
        }

        LocalDate end(int m) {
            return m == 0 ? start : month(m).atEndOfMonth();
        }

        /** Month index (1..months) of a date after the start; months + 1 beyond the horizon; 0 if not after the start. */
        int index(LocalDate date) {
            if (!date.isAfter(start)) {
                return 0;
            }
            long i = ChronoUnit.MONTHS.between(first, YearMonth.from(date)) + 1;
            return (int) Math.min(months + 1, Math.max(1, i));
        }

        /** Index of a scenario month: months before the first count as the first. */
        int index(YearMonth month) {
            long i = ChronoUnit.MONTHS.between(first, month) + 1;
            return (int) Math.min(months + 1, Math.max(1, i));
        }

        /** The 12 dates of the case history: the start and the 11 month ends (or same days) before it. */
        List<LocalDate> caseHistory() {
            boolean monthEnd = start.equals(YearMonth.from(start).atEndOfMonth());
            List<LocalDate> dates = new ArrayList<>();
            for (int j = 11; j >= 0; j--) {
                dates.add(monthEnd ? YearMonth.from(start).minusMonths(j).atEndOfMonth() : start.minusMonths(j));
            }
            return dates;
        }
    }

    // ---------------------------------------------------------------- loading

    record TeamRow(String id, String service, String type) {
    }

    record PersonRow(String team, String role, String employment, double fte, boolean caseHolding, LocalDate endDate,
                     Double hourlyRate, LocalDate runStart) {
    }

    record EstablishmentRow(String team, String role, LocalDate from, double fte) {
    }

    record PlannedRow(String team, String role, String employment, double fte, LocalDate start, String status) {
    }

    /**
     * Starters new to the authority in the history, by their employment and that of the leaver whose post they took (the
     * nearest leaver of the team and role group, {@code load}'s "replacing"): agency after agency, agency after employed,
     * employed after agency, employed after employed. Starters with no such leaver are in none.
     */
    record Replacements(double agencyAfterAgency, double agencyAfterEmployed, double employedAfterAgency,
                        double employedAfterEmployed) {
        static final Replacements NONE = new Replacements(0, 0, 0, 0);

        /** Share of the agency starters that took an agency leaver's post; 1 (all) when none followed a leaver. */
        double agencyAfterAgencyShare() {
            double paired = agencyAfterAgency + agencyAfterEmployed;
            return paired > 0 ? agencyAfterAgency / paired : 1;
        }
    }

    /** Everything the simulation needs, as loaded. */
    static final class Data {
        List<TeamRow> teams = List.of();
        List<PersonRow> people = List.of();
        double[][][] left = new double[2][2][4];
        double[][][] atRisk = new double[2][2][4];
        // uncovered: whole uncovered funded posts (floor of funded - employed - agency FTE, per team) summed over the history's
        // months; employedIntoVacancy: employed starters (people, new to the authority) into teams with an establishment.
        double[] vacant = new double[2], uncovered = new double[2], employedIntoVacancy = new double[2], agencyIntoVacancy = new double[2];
        double[] employedStarters = new double[2], starterCount = new double[2], starterFte = new double[2];
        Replacements[] replacements = {Replacements.NONE, Replacements.NONE};
        List<EstablishmentRow> establishment = List.of();
        Map<String, Map<LocalDate, Double>> caseHistory = new HashMap<>();
        Map<String, List<LocalDate>> paHeld = new HashMap<>();
        List<LocalDate> inCareBirthDates = List.of();
        List<PlannedRow> planned = List.of();
        double authorityHourlyRate = Double.NaN;
    }

    private static double num(Readable row, String column) {
        Object v = row.get(column);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    private DatabaseClient.GenericExecuteSpec sql(String sql, Calendar cal, String level, String scope) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql);
        if (sql.contains(":start")) {
            spec = spec.bind("start", cal.start());
        }
        if (sql.contains(":level")) {
            spec = spec.bind("level", level).bind("scope", scope);
        }
        if (sql.contains(":horizon")) {
            spec = spec.bind("horizon", cal.end(cal.months()));
        }
        return spec;
    }

    Mono<Data> load(Calendar cal, String level, String scope, boolean live) {
        Data data = new Data();
        Mono<Void> teams = sql("SELECT t.team_id, t.service, t.team_type FROM teams t WHERE " + SCOPE + " ORDER BY t.team_id", cal,
                        level, scope)
                .map(r -> new TeamRow(r.get("team_id", String.class), r.get("service", String.class), r.get("team_type", String.class)))
                .all().collectList()
                .doOnNext(l -> data.teams = l).then();
        Mono<Void> people = sql("""
                SELECT s.team_id, s.role, s.employment, s.fte, s.case_holding, s.end_date, s.agency_hourly_rate,
                       (SELECT max(r.start_date) FROM staff_run_starts r WHERE r.staff_id = s.staff_id AND r.start_date <= :start) AS run_start
                FROM staff_spells s JOIN teams t ON t.team_id = s.team_id
                WHERE open_beyond(s.start_date, s.end_date, :start) AND\s""" + FOLLOWED + " AND " + SCOPE
                + " ORDER BY s.team_id, s.staff_id, s.start_date", cal, level, scope)
                .map(r -> new PersonRow(r.get("team_id", String.class), r.get("role", String.class), r.get("employment", String.class),
                        num(r, "fte"), Boolean.TRUE.equals(r.get("case_holding", Boolean.class)),
                        // As of a past date, an end date after it was not yet known (it is what the backtest must not see).
                        live ? r.get("end_date", LocalDate.class) : null,
                        r.get("agency_hourly_rate") == null ? null : num(r, "agency_hourly_rate"), r.get("run_start", LocalDate.class)))
                .all().collectList().doOnNext(l -> data.people = l).then();
        Mono<Void> hazard = sql("WITH " + WINDOWS + ", risk AS (SELECT w.a, w.b, " + GROUP + """
                 AS grp, CASE WHEN s.employment = 'agency' THEN 1 ELSE 0 END AS agency, s.end_date, s.leaving_reason,
                       (SELECT max(r.start_date) FROM staff_run_starts r WHERE r.staff_id = s.staff_id AND r.start_date <= w.a) AS run_start
                FROM w JOIN staff_spells s ON open_beyond(s.start_date, s.end_date, w.a)
                WHERE\s""" + FOLLOWED + """
                )
                SELECT grp, agency,
                       CASE WHEN run_start IS NULL OR run_start > (a - interval '1 year') THEN 0
                            WHEN run_start > (a - interval '2 years') THEN 1
                            WHEN run_start > (a - interval '5 years') THEN 2 ELSE 3 END AS band,
                       count(*) AS at_risk,
                       count(*) FILTER (WHERE end_date <= b AND leaving_reason IS DISTINCT FROM 'internal_move') AS left_
                FROM risk GROUP BY 1, 2, 3
                """, cal, level, scope)
                .map(r -> new double[] {num(r, "grp"), num(r, "agency"), num(r, "band"), num(r, "at_risk"), num(r, "left_")})
                .all().doOnNext(v -> {
                    data.atRisk[(int) v[0]][(int) v[1]][(int) v[2]] += v[3];
                    data.left[(int) v[0]][(int) v[1]][(int) v[2]] += v[4];
                }).then();
        Mono<Void> fills = sql("WITH " + WINDOWS + """
                , est AS (SELECT DISTINCT ON (w.k, e.team_id, e.role) w.k, e.team_id, e.role, e.funded_fte
                         FROM w JOIN establishment e ON e.effective_from <= w.a
                         WHERE\s""" + followed("e.role") + """
                         ORDER BY w.k, e.team_id, e.role, e.effective_from DESC),
                funded AS (SELECT k, team_id, CASE WHEN is_personal_adviser(role) THEN 1 ELSE 0 END AS grp, sum(funded_fte) AS fte
                           FROM est GROUP BY 1, 2, 3),
                staffed AS (SELECT w.k, s.team_id,\s""" + GROUP + """
                 AS grp,
                                   coalesce(sum(s.fte) FILTER (WHERE s.employment <> 'agency'), 0) AS employed,
                                   coalesce(sum(s.fte) FILTER (WHERE s.employment = 'agency'), 0) AS agency
                            FROM w JOIN staff_spells s ON open_beyond(s.start_date, s.end_date, w.a)
                            WHERE\s""" + FOLLOWED + """
                 GROUP BY 1, 2, 3),
                vac AS (SELECT f.grp, sum(greatest(0, f.fte - coalesce(st.employed, 0))) AS vacant,
                               sum(floor(greatest(0, f.fte - coalesce(st.employed, 0) - coalesce(st.agency, 0)) + 1e-6)) AS uncovered
                        FROM funded f LEFT JOIN staffed st USING (k, team_id, grp) GROUP BY f.grp),
                starts AS (SELECT w.k, s.team_id,\s""" + GROUP + """
                 AS grp, s.employment = 'agency' AS agency, s.fte, s.start_date
                           FROM w JOIN staff_spells s ON s.start_date > w.a AND s.start_date <= w.b
                           WHERE\s""" + FOLLOWED + """
                             AND EXISTS (SELECT 1 FROM staff_run_starts r WHERE r.staff_id = s.staff_id AND r.start_date = s.start_date)),
                -- whose post a starter took: the leaver of the team and role group (a person leaving the authority) whose
                -- last day is nearest the start, from three months before it to a month after; none when there is no such leaver
                replacing AS (SELECT s.grp, s.agency, l.agency AS after_agency FROM starts s
                              CROSS JOIN LATERAL (SELECT e.employment = 'agency' AS agency FROM staff_spells e
                                                  WHERE e.team_id = s.team_id AND\s""" + GROUP.replace("s.role", "e.role") + """
                 = s.grp
                                                    AND\s""" + followed("e.role") + """
                                                    AND e.end_date > s.start_date - interval '3 months'
                                                    AND e.end_date <= s.start_date + interval '1 month'
                                                    -- only what was known at the start: no leaving after it
                                                    AND e.end_date <= CAST(:start AS date)
                                                    AND e.leaving_reason IS DISTINCT FROM 'internal_move'
                                                    AND NOT EXISTS (SELECT 1 FROM staff_spells n WHERE n.staff_id = e.staff_id
                                                                    AND n.start_date <= CAST(:start AS date)
                                                                    AND open_on(n.start_date, n.end_date, e.end_date + 1))
                                                  ORDER BY abs(e.end_date - s.start_date), e.staff_id LIMIT 1) l),
                paired AS (SELECT grp, count(*) FILTER (WHERE agency AND after_agency) AS agency_after_agency,
                                  count(*) FILTER (WHERE agency AND NOT after_agency) AS agency_after_employed,
                                  count(*) FILTER (WHERE NOT agency AND after_agency) AS employed_after_agency,
                                  count(*) FILTER (WHERE NOT agency AND NOT after_agency) AS employed_after_employed
                           FROM replacing GROUP BY grp),
                st AS (SELECT s.grp,
                              count(*) FILTER (WHERE NOT s.agency AND f.team_id IS NOT NULL) AS employed_in,
                              coalesce(sum(s.fte) FILTER (WHERE s.agency AND f.team_id IS NOT NULL), 0) AS agency_in,
                              count(*) FILTER (WHERE NOT s.agency) AS employed_n, count(*) AS n, coalesce(sum(s.fte), 0) AS fte
                       FROM starts s LEFT JOIN funded f USING (k, team_id, grp) GROUP BY s.grp)
                SELECT g.grp, coalesce(v.vacant, 0) AS vacant, coalesce(v.uncovered, 0) AS uncovered,
                       coalesce(st.employed_in, 0) AS employed_in, coalesce(st.agency_in, 0) AS agency_in,
                       coalesce(st.employed_n, 0) AS employed_n, coalesce(st.n, 0) AS n, coalesce(st.fte, 0) AS fte,
                       coalesce(p.agency_after_agency, 0) AS aa, coalesce(p.agency_after_employed, 0) AS ae,
                       coalesce(p.employed_after_agency, 0) AS ea, coalesce(p.employed_after_employed, 0) AS ee
                FROM generate_series(0, 1) g(grp) LEFT JOIN vac v ON v.grp = g.grp LEFT JOIN st ON st.grp = g.grp
                     LEFT JOIN paired p ON p.grp = g.grp
                """, cal, level, scope)
                .map(r -> new double[] {num(r, "grp"), num(r, "vacant"), num(r, "uncovered"), num(r, "employed_in"),
                        num(r, "agency_in"), num(r, "employed_n"), num(r, "n"), num(r, "fte"), num(r, "aa"), num(r, "ae"),
                        num(r, "ea"), num(r, "ee")})
                .all().doOnNext(v -> {
                    int g = (int) v[0];
                    data.vacant[g] = v[1];
                    data.uncovered[g] = v[2];
                    data.employedIntoVacancy[g] = v[3];
                    data.agencyIntoVacancy[g] = v[4];
                    data.employedStarters[g] = v[5];
                    data.starterCount[g] = v[6];
                    data.starterFte[g] = v[7];
                    data.replacements[g] = new Replacements(v[8], v[9], v[10], v[11]);
                }).then();
        Mono<Void> establishment = sql("""
                SELECT e.team_id, e.role, e.effective_from, e.funded_fte FROM establishment e JOIN teams t ON t.team_id = e.team_id
                WHERE\s""" + followed("e.role") + " AND e.effective_from <= " + (live ? ":horizon" : ":start")
                + " AND " + SCOPE + " ORDER BY e.team_id, e.role, e.effective_from", cal, level, scope)
                .map(r -> new EstablishmentRow(r.get("team_id", String.class), r.get("role", String.class),
                        r.get("effective_from", LocalDate.class), num(r, "funded_fte")))
                .all().collectList().doOnNext(l -> data.establishment = l).then();
        Mono<Void> cases = db.sql("""
                WITH dates AS (SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d),
                holders AS (SELECT d.as_of, s.staff_id, s.team_id FROM dates d
                            JOIN staff_spells_v s ON open_on(s.start_date, s.end_date, d.as_of)
                            JOIN teams t ON t.team_id = s.team_id
                            WHERE s.case_holding_cfsw AND\s""" + SCOPE + """
                )
                SELECT h.as_of, h.team_id, count(DISTINCT a.child_id) AS n FROM holders h
                JOIN allocations a ON a.staff_id = h.staff_id AND open_on(a.start_date, a.end_date, h.as_of)
                GROUP BY 1, 2
                """).bind("dates", String.join(",", cal.caseHistory().stream().map(LocalDate::toString).toList()))
                .bind("level", level).bind("scope", scope)
                .map(r -> Map.entry(r.get("team_id", String.class), Map.entry(r.get("as_of", LocalDate.class), num(r, "n"))))
                .all().doOnNext(e -> data.caseHistory.computeIfAbsent(e.getKey(), k -> new HashMap<>())
                        .put(e.getValue().getKey(), e.getValue().getValue())).then();
        Mono<Void> paHeld = sql("""
                SELECT DISTINCT s.team_id, c.child_id, c.date_of_birth FROM staff_spells s
                JOIN care_leavers c ON c.pa_staff_id = s.staff_id
                WHERE is_personal_adviser(s.role) AND open_on(s.start_date, s.end_date, :start)
                  AND c.eligibility IN ('eligible', 'relevant', 'former_relevant') AND c.in_touch IS DISTINCT FROM 'died'
                """, cal, level, scope)
                .map(r -> Map.entry(r.get("team_id", String.class), r.get("date_of_birth", LocalDate.class)))
                .all().doOnNext(e -> data.paHeld.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())).then();
        Mono<Void> inCare = sql("""
                SELECT min(c.date_of_birth) AS dob FROM children_in_care c
                WHERE open_beyond(c.period_start, c.period_end, :start)
                  AND NOT EXISTS (SELECT 1 FROM care_leavers l WHERE l.child_id = c.child_id AND l.pa_staff_id IS NOT NULL
                                  AND l.eligibility IN ('eligible', 'relevant', 'former_relevant'))
                GROUP BY c.child_id
                """, cal, level, scope).map(r -> r.get("dob", LocalDate.class)).all().collectList()
                .doOnNext(l -> data.inCareBirthDates = l).then();
        Mono<Void> planned = live ? sql("""
                SELECT p.team_id, p.role, p.employment, p.fte, p.start_date, p.status FROM planned_starters p
                JOIN teams t ON t.team_id = p.team_id
                WHERE p.start_date > :start AND p.start_date <= :horizon AND\s""" + SCOPE, cal, level, scope)
                .map(r -> new PlannedRow(r.get("team_id", String.class), r.get("role", String.class), r.get("employment", String.class),
                        num(r, "fte"), r.get("start_date", LocalDate.class), r.get("status", String.class)))
                .all().collectList().doOnNext(l -> data.planned = l).then() : Mono.empty();
        Mono<Void> hourly = sql("""
                SELECT coalesce((SELECT avg(agency_hourly_rate) FROM staff_spells WHERE employment = 'agency'
                                 AND open_beyond(start_date, end_date, :start)),
                                (SELECT avg(agency_hourly_rate) FROM staff_spells WHERE employment = 'agency'
                                 AND open_during(start_date, end_date, (CAST(:start AS date) - interval '2 years')::date, :start))) AS rate
                """, cal, level, scope).map(r -> r.get("rate") == null ? Double.NaN : num(r, "rate")).one()
                .doOnNext(v -> data.authorityHourlyRate = v).then();
        return Mono.when(teams, people, hazard, fills, establishment, cases, paHeld, inCare, planned, hourly).thenReturn(data);
    }

    // ---------------------------------------------------------------- building the simulation

    static int group(String role) {
        return StaffRole.PERSONAL_ADVISER.is(role) ? Simulation.PA : Simulation.CFSW;
    }

    /** SQL: whether the role is one the forecast follows, {@link StaffRole#followedByForecast()}. */
    static String followed(String role) {
        return "(is_cfsw(" + role + ") OR is_personal_adviser(" + role + "))";
    }

    /** A practitioner role that holds cases: its starters bring the team's case-holding share. */
    private static boolean caseHoldingRole(String role) {
        return StaffRole.byId(role).map(StaffRole::caseHoldingRole).orElse(false);
    }

    /** Monthly leaving probability per cell: leavers ÷ person-months at risk, shrunk towards the overall rate by 12 person-months. */
    static double[][][] hazard(double[][][] left, double[][][] atRisk) {
        double l = 0;
        double n = 0;
        for (int g = 0; g < 2; g++) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < Simulation.BANDS; b++) {
                    l += left[g][a][b];
                    n += atRisk[g][a][b];
                }
            }
        }
        double overall = (l + 1) / (n + 100);
        double[][][] p = new double[2][2][Simulation.BANDS];
        for (int g = 0; g < 2; g++) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < Simulation.BANDS; b++) {
                    p[g][a][b] = Math.min(1, (left[g][a][b] + 12 * overall) / (atRisk[g][a][b] + 12));
                }
            }
        }
        return p;
    }

    Simulation.Rates rates(Data d) {
        double[] fill = new double[2], starterFte = new double[2], agencyCover = new double[2];
        double[][] replacement = new double[2][2];
        for (int g = 0; g < 2; g++) {
            fill[g] = d.uncovered[g] > 0 ? d.employedIntoVacancy[g] / d.uncovered[g] : 0;
            starterFte[g] = d.starterCount[g] > 0 ? d.starterFte[g] / d.starterCount[g] : 1.0;
            double employedLeavers = Arrays.stream(d.left[g][0]).sum();
            double agencyLeavers = Arrays.stream(d.left[g][1]).sum();
            double agencyStarters = d.starterCount[g] - d.employedStarters[g];
            replacement[g][0] = employedLeavers > 0 ? Math.min(2, d.employedStarters[g] / employedLeavers) : 0;
            // The agency starters are shared between the two kinds of leaver as those that took a leaver's post were: the
            // share after an agency leaver replaces agency leavers, the rest covers employed leavers' posts.
            double afterAgency = d.replacements[g].agencyAfterAgencyShare();
            replacement[g][1] = agencyLeavers > 0 ? Math.min(2, agencyStarters * afterAgency / agencyLeavers) : 0;
            agencyCover[g] = employedLeavers > 0 ? Math.min(2, agencyStarters * (1 - afterAgency) / employedLeavers) : 0;
        }
        return new Simulation.Rates(hazard(d.left, d.atRisk), fill, starterFte, replacement,
                new double[] {settings.annualCost().cfsw(), settings.annualCost().personalAdviser()}, settings.trendDamping(),
                agencyCover);
    }

    Projection simulate(Calendar cal, String level, String scope, Data d, Scenario scenario, int runs) {
        int h = cal.months();
        Simulation.Rates rates = rates(d);
        Map<String, List<PersonRow>> people = new HashMap<>();
        d.people.forEach(p -> people.computeIfAbsent(p.team(), k -> new ArrayList<>()).add(p));
        Map<String, List<EstablishmentRow>> est = new HashMap<>();
        d.establishment.forEach(e -> est.computeIfAbsent(e.team(), k -> new ArrayList<>()).add(e));
        List<Scenario.Change> changes = scenario == null ? List.of() : scenario.changes();

        // Case-holding share of CFSW FTE, authority default for teams without CFSW.
        double chAll = 0, cfswAll = 0;
        for (PersonRow p : d.people) {
            if (group(p.role()) == Simulation.CFSW) {
                cfswAll += p.fte();
                chAll += p.caseHolding() ? p.fte() : 0;
            }
        }
        double defaultShare = cfswAll > 0 ? chAll / cfswAll : 0.8;
        double defaultRate = Double.isNaN(d.authorityHourlyRate) ? settings.agencyHourlyRate() : d.authorityHourlyRate;

        // Young people in care turning 18 become care leavers; shared out among personal-adviser teams by their current share.
        double[] turning18 = new double[h + 2];
        for (LocalDate dob : d.inCareBirthDates) {
            int m = cal.index(dob.plusYears(18));
            if (m >= 1 && m <= h) {
                turning18[m]++;
            }
        }
        double heldAll = d.paHeld.values().stream().mapToInt(List::size).sum();
        Thresholds.View targets = thresholds.current();

        List<Simulation.Team> teams = new ArrayList<>();
        for (TeamRow team : d.teams) {
            List<PersonRow> mine = people.getOrDefault(team.id(), List.of());
            List<Simulation.Person> persons = new ArrayList<>();
            double ch = 0, cf = 0, rateSum = 0;
            int rateN = 0;
            for (PersonRow p : mine) {
                int g = group(p.role());
                boolean agency = "agency".equals(p.employment());
                int tenure = p.runStart() == null ? 0 : (int) ChronoUnit.MONTHS.between(p.runStart(), cal.start());
                int end = p.endDate() == null ? 0 : cal.index(p.endDate());
                double caseFactor = g == Simulation.CFSW && p.caseHolding() ? 1 : 0;
                persons.add(Simulation.Person.of(g, agency, p.fte(), caseFactor, tenure, end));
                if (g == Simulation.CFSW) {
                    cf += p.fte();
                    ch += caseFactor * p.fte();
                }
                if (agency && p.hourlyRate() != null) {
                    rateSum += p.hourlyRate();
                    rateN++;
                }
            }
            double starterCase = cf > 0 ? ch / cf : defaultShare;
            double hourly = rateN > 0 ? rateSum / rateN : defaultRate;

            // Funded FTE per role per month, then per group.
            Map<String, double[]> byRole = new LinkedHashMap<>();
            for (EstablishmentRow e : est.getOrDefault(team.id(), List.of())) {
                double[] v = byRole.computeIfAbsent(e.role(), k -> filled(h + 1, Double.NaN));
                int from = cal.index(e.from());
                for (int m = from; m <= h; m++) {
                    v[m] = e.fte();
                }
            }
            List<Simulation.Arrival> arrivals = new ArrayList<>();
            List<Simulation.Conversion> conversions = new ArrayList<>();
            double[] demand = filled(h + 1, 1.0);
            for (Scenario.Change c : changes) {
                int from = c.from() == null ? 1 : cal.index(c.from());
                if (c instanceof Scenario.Establishment e && team.id().equals(e.team())) {
                    double[] v = byRole.computeIfAbsent(e.role(), k -> filled(h + 1, Double.NaN));
                    for (int m = from; m <= h; m++) {
                        v[m] = e.fundedFte();
                    }
                } else if (c instanceof Scenario.Recruit r && team.id().equals(r.team()) && from <= h) {
                    int g = group(r.role());
                    double cfactor = g == Simulation.CFSW && caseHoldingRole(r.role()) ? 1 : 0;
                    for (int k = 0; k < r.count(); k++) {
                        arrivals.add(new Simulation.Arrival(from, 1, Simulation.Person.of(g, "agency".equals(r.employment()),
                                r.fte(), cfactor, 0, 0)));
                    }
                } else if (c instanceof Scenario.AsyeCohort a && team.id().equals(a.team()) && from <= h) {
                    double share = a.protectedShare() == null ? indicators.asyeShare() : a.protectedShare();
                    for (int k = 0; k < a.count(); k++) {
                        arrivals.add(new Simulation.Arrival(from, 1,
                                new Simulation.Person(Simulation.CFSW, false, 1.0, 1.0, 0, 0, share, from + 12)));
                    }
                } else if (c instanceof Scenario.ConvertAgency a && team.id().equals(a.team()) && from <= h) {
                    conversions.add(new Simulation.Conversion(from, a.count()));
                } else if (c instanceof Scenario.Demand dm && ((dm.team() == null && dm.service() == null)
                        || team.id().equals(dm.team()) || (dm.service() != null && dm.service().equals(team.service())))) {
                    for (int m = from; m <= h; m++) {
                        demand[m] *= 1 + dm.percent() / 100;
                    }
                }
            }
            double[][] funded = new double[Simulation.GROUPS][h + 1];
            for (double[] row : funded) {
                Arrays.fill(row, Double.NaN);
            }
            byRole.forEach((role, v) -> {
                int g = group(role);
                for (int m = 0; m <= h; m++) {
                    if (!Double.isNaN(v[m])) {
                        funded[g][m] = (Double.isNaN(funded[g][m]) ? 0 : funded[g][m]) + v[m];
                    }
                }
            });
            for (PlannedRow p : d.planned) {
                if (p.team().equals(team.id())) {
                    int m = cal.index(p.start());
                    if (m >= 1 && m <= h) {
                        int g = group(p.role());
                        double cfactor = g == Simulation.CFSW && caseHoldingRole(p.role()) ? 1 : 0;
                        Simulation.Person person = StaffRole.ASYE.is(p.role())
                                ? new Simulation.Person(g, false, p.fte(), 1.0, 0, 0, indicators.asyeShare(), m + 12)
                                : Simulation.Person.of(g, "agency".equals(p.employment()), p.fte(), cfactor, 0, 0);
                        arrivals.add(new Simulation.Arrival(m, "accepted".equals(p.status()) ? 1 : settings.offerTakeUp(), person));
                    }
                }
            }

            // Cases: damped least-squares trend over the last 12 month ends.
            Map<LocalDate, Double> hist = d.caseHistory.getOrDefault(team.id(), Map.of());
            List<LocalDate> dates = cal.caseHistory();
            double[] y = new double[dates.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = hist.getOrDefault(dates.get(i), 0.0);
            }
            double slope = slope(y);
            double sigma = 0;
            if (y.length > 2) {
                double ss = 0;
                for (int i = 1; i < y.length; i++) {
                    double r = y[i] - y[i - 1] - slope;
                    ss += r * r;
                }
                sigma = Math.sqrt(ss / (y.length - 2));
            }

            // Care leavers: held now, plus a share of those turning 18, less those turning 25.
            List<LocalDate> held = d.paHeld.getOrDefault(team.id(), List.of());
            double[] paChange = new double[h + 1];
            boolean paTeam = !held.isEmpty() || mine.stream().anyMatch(p -> group(p.role()) == Simulation.PA);
            if (paTeam) {
                long paTeamsHere = Math.max(1, d.people.stream().filter(p -> group(p.role()) == Simulation.PA)
                        .map(PersonRow::team).distinct().count());
                double share = heldAll > 0 ? held.size() / heldAll : 1.0 / paTeamsHere;
                for (int m = 1; m <= h; m++) {
                    paChange[m] += turning18[m] * share;
                }
                for (LocalDate dob : held) {
                    int m = cal.index(dob.plusYears(25));
                    if (m >= 1 && m <= h) {
                        paChange[m] -= 1;
                    }
                }
            }
            // The workforce needed: the targets in force for the team (its own, else its team type's, else the general ones).
            teams.add(new Simulation.Team(team.id(), persons, funded, starterCase, y[y.length - 1], slope, sigma, demand,
                    held.size(), paChange, hourly, arrivals, conversions,
                    targets.forTeam(Indicator.CASELOAD_PER_FTE, team.id(), team.type()).target(),
                    targets.forTeam(Indicator.PA_CASELOAD_PER_FTE, team.id(), team.type()).target()));
        }

        long seed = Objects.hash(level, scope, cal.start(), h, scenario);
        Simulation.Result result = Simulation.run(teams, rates, h, runs, seed, null);
        List<Month> months = new ArrayList<>();
        for (int m = 1; m <= h; m++) {
            double[] caseload = ratio(result.of(Simulation.Measure.CASES, m), result.of(Simulation.Measure.CAPACITY, m), 1);
            double[] pa = ratio(result.of(Simulation.Measure.PA_CASES, m), result.of(Simulation.Measure.PA_FTE, m), 1);
            double[] agencyRate = ratio(result.of(Simulation.Measure.CFSW_AGENCY, m),
                    sum(result.of(Simulation.Measure.CFSW_AGENCY, m), result.of(Simulation.Measure.CFSW_STAFF, m)), 100);
            months.add(new Month(cal.month(m), Simulation.range(result.of(Simulation.Measure.EMPLOYED, m)),
                    Simulation.range(result.of(Simulation.Measure.AGENCY, m)), Simulation.range(result.of(Simulation.Measure.VACANCY, m)),
                    Simulation.range(result.of(Simulation.Measure.LEAVERS, m)), Simulation.range(result.of(Simulation.Measure.STARTERS, m)),
                    Simulation.range(caseload), Simulation.range(pa), Simulation.range(agencyRate),
                    Simulation.range(result.of(Simulation.Measure.AGENCY_COST, m)),
                    Simulation.range(result.of(Simulation.Measure.EMPLOYED_COST, m)),
                    Simulation.range(result.of(Simulation.Measure.FTE_NEEDED, m)),
                    Simulation.range(result.difference(Simulation.Measure.FTE_NEEDED, Simulation.Measure.CAPACITY, m)),
                    Simulation.range(result.of(Simulation.Measure.PA_FTE_NEEDED, m)),
                    Simulation.range(result.difference(Simulation.Measure.PA_FTE_NEEDED, Simulation.Measure.PA_FTE, m)),
                    Simulation.range(result.of(Simulation.Measure.CAPACITY, m)),
                    Simulation.range(result.of(Simulation.Measure.PA_FTE, m))));
        }
        return new Projection(level, scope, cal.start(), months, METHOD);
    }

    private static double[] filled(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double[] ratio(double[] num, double[] den, double scale) {
        double[] out = new double[num.length];
        for (int i = 0; i < num.length; i++) {
            out[i] = den[i] > 1e-9 ? num[i] / den[i] * scale : Double.NaN;
        }
        return out;
    }

    /** Least-squares slope of equally spaced values. */
    static double slope(double[] y) {
        int n = y.length;
        if (n < 2) {
            return 0;
        }
        double mx = (n - 1) / 2.0;
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mx) * (y[i] - my);
            sxx += (i - mx) * (i - mx);
        }
        return sxy / sxx;
    }
}
