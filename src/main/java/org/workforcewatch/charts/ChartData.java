package org.workforcewatch.charts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.staffing.StaffRole;
import reactor.core.publisher.Mono;

/**
 * The figures behind the charts that are not indicators: counts and distributions, aggregated in
 * PostgreSQL with the indicators' own readings of docs/INDICATORS.md (in post, children and family social
 * workers, employed, working days). Rows carry no names or staff ids: the charts never show people.
 */
@Component
class ChartData {

    /** The teams of a level and scope: all of them, a service's, or one. */
    private static final String SCOPE_TEAMS = """
            scope_teams AS (SELECT team_id FROM teams
                            WHERE :level = 'authority'
                               OR (:level = 'service' AND service = :scope)
                               OR (:level = 'team' AND team_id = :scope))
            """;

    /** A level and scope that exist; {@code key} is the scope as the indicator engine takes it (null for the authority). */
    record Scope(String level, String key, String teamType, String label) {
    }

    record EmploymentFte(LocalDate asOf, String employment, double fte) {
    }

    record MonthMoves(LocalDate month, long starters, long leavers) {
    }

    /** One case-holding social worker's load: distinct children held, FTE, and whether an ASYE. */
    record WorkerLoad(long children, double fte, boolean asye) {
        double perFte() {
            return children / fte;
        }
    }

    record Waits(long referrals, List<WaitCount> waiting) {
    }

    record WaitCount(int workingDays, long referrals) {
    }

    /** A published figure: England's, or the region's (with its name), for a collection year. */
    record Published(boolean england, String area, int year, double value) {
    }

    private final DatabaseClient db;

    ChartData(DatabaseClient db) {
        this.db = db;
    }

    /** Checks a level and scope: 400 for a bad level or a missing scope, 404 for a team or service that does not exist. */
    Mono<Scope> scope(String level, String scope) {
        String l = level == null || level.isBlank() ? "authority" : level.strip();
        return switch (l) {
            case "authority" -> Mono.just(new Scope("authority", null, null, "Authority"));
            case "team" -> {
                requireScope(l, scope);
                yield db.sql("SELECT team_id, team_name, service, team_type FROM teams WHERE team_id = :team")
                        .bind("team", scope.strip())
                        .map(r -> new Scope("team", r.get("team_id", String.class), r.get("team_type", String.class),
                                "Team " + r.get("team_id", String.class) + " " + r.get("team_name", String.class)
                                        + " (" + r.get("service", String.class) + ")"))
                        .one()
                        .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                                "no team " + scope.strip() + "; GET /api/authority lists the teams")));
            }
            case "service" -> {
                requireScope(l, scope);
                yield db.sql("SELECT count(*) AS teams FROM teams WHERE service = :service").bind("service", scope.strip())
                        .map(r -> r.get("teams", Long.class)).one()
                        .flatMap(n -> n > 0 ? Mono.just(new Scope("service", scope.strip(), null, scope.strip()))
                                : Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                                        "no service '" + scope.strip() + "'; GET /api/authority lists the services")));
            }
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "level must be one of team, service, authority; got " + level);
        };
    }

    private static void requireScope(String level, String scope) {
        if (scope == null || scope.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "scope (a team id or a service name) is needed for level " + level);
        }
    }

    private DatabaseClient.GenericExecuteSpec scoped(String sql, Scope scope) {
        return db.sql(sql).bind("level", scope.level()).bind("scope", scope.key() == null ? "" : scope.key());
    }

    /** FTE of children and family social workers in post on each date, by employment. */
    Mono<List<EmploymentFte>> composition(Scope scope, List<LocalDate> dates) {
        String sql = "WITH dates AS (SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d),\n" + SCOPE_TEAMS + """
                SELECT d.as_of, s.employment, sum(s.fte) AS fte
                FROM dates d
                JOIN staff_spells s ON open_on(s.start_date, s.end_date, d.as_of)
                JOIN scope_teams t ON t.team_id = s.team_id
                WHERE is_cfsw(s.role)
                GROUP BY d.as_of, s.employment
                ORDER BY d.as_of, s.employment
                """;
        return scoped(sql, scope).bind("dates", String.join(",", dates.stream().map(LocalDate::toString).toList()))
                .map(r -> new EmploymentFte(r.get("as_of", LocalDate.class), r.get("employment", String.class),
                        r.get("fte", BigDecimal.class).doubleValue()))
                .all().collectList();
    }

    /** Spells of employed children and family social workers ever held in the scope (0: nothing to chart). */
    Mono<Long> employedSpells(Scope scope) {
        String sql = "WITH " + SCOPE_TEAMS + """
                SELECT count(*) AS n FROM staff_spells s JOIN scope_teams t ON t.team_id = s.team_id
                WHERE is_employed(s.employment) AND is_cfsw(s.role)
                """;
        return scoped(sql, scope).map(r -> r.get("n", Long.class)).one();
    }

    /**
     * Starters and leavers per calendar month from {@code from} to {@code to}, employed children and family
     * social workers as turnover_rate counts them: a leaver is a spell ending with any reason but
     * internal_move, in the team of the spell. The arriving half of an internal move (a spell starting the
     * day after, or the day, the same person's internal_move spell ended) is not a starter either.
     */
    Mono<List<MonthMoves>> startersLeavers(Scope scope, LocalDate from, LocalDate to) {
        String sql = "WITH " + SCOPE_TEAMS + """
                , spells AS (SELECT s.* FROM staff_spells s JOIN scope_teams t ON t.team_id = s.team_id
                           WHERE is_employed(s.employment) AND is_cfsw(s.role)),
                starters AS (SELECT date_trunc('month', s.start_date)::date AS month, count(*) AS n FROM spells s
                             WHERE s.start_date BETWEEN :from AND :to
                               AND NOT EXISTS (SELECT 1 FROM staff_spells p
                                               WHERE p.staff_id = s.staff_id AND p.start_date < s.start_date
                                                 AND p.leaving_reason = 'internal_move'
                                                 AND p.end_date BETWEEN s.start_date - 1 AND s.start_date)
                             GROUP BY 1),
                leavers AS (SELECT date_trunc('month', s.end_date)::date AS month, count(*) AS n FROM spells s
                            WHERE s.end_date BETWEEN :from AND :to AND s.leaving_reason IS DISTINCT FROM 'internal_move'
                            GROUP BY 1)
                SELECT coalesce(a.month, l.month) AS month, coalesce(a.n, 0) AS starters, coalesce(l.n, 0) AS leavers
                FROM starters a FULL JOIN leavers l ON l.month = a.month
                ORDER BY 1
                """;
        return scoped(sql, scope).bind("from", from).bind("to", to)
                .map(r -> new MonthMoves(r.get("month", LocalDate.class), r.get("starters", Long.class), r.get("leavers", Long.class)))
                .all().collectList();
    }

    /**
     * Each case-holding children and family social worker in post in the team on the day, with the distinct
     * children of their allocations open that day (any team's), as workers_over_caseload counts them.
     */
    Mono<List<WorkerLoad>> caseloads(String teamId, LocalDate day) {
        // the workers' open allocations in one pass, not one scan of allocations per worker
        String sql = """
                WITH workers AS (SELECT s.staff_id, s.role, s.fte FROM staff_spells s
                                 WHERE s.team_id = :team AND s.case_holding AND is_cfsw(s.role)
                                   AND open_on(s.start_date, s.end_date, :day)),
                held AS (SELECT a.staff_id, count(DISTINCT a.child_id) AS children FROM allocations a
                         WHERE a.staff_id IN (SELECT staff_id FROM workers)
                           AND open_on(a.start_date, a.end_date, :day)
                         GROUP BY a.staff_id)
                SELECT w.role, w.fte, coalesce(h.children, 0) AS children
                FROM workers w LEFT JOIN held h ON h.staff_id = w.staff_id
                """;
        return db.sql(sql).bind("team", teamId).bind("day", day)
                .map(r -> new WorkerLoad(r.get("children", Long.class), r.get("fte", BigDecimal.class).doubleValue(),
                        StaffRole.ASYE.is(r.get("role", String.class))))
                .all().collectList();
    }

    /**
     * Each personal adviser in post in the scope on the day: care leavers held ÷ FTE, with the population of
     * pa_caseload_per_fte (eligible, relevant or former relevant, not died).
     */
    Mono<List<Double>> paCaseloads(Scope scope, LocalDate day) {
        String sql = "WITH " + SCOPE_TEAMS + """
                SELECT s.fte,
                       (SELECT count(*) FROM care_leavers c
                        WHERE c.pa_staff_id = s.staff_id AND c.eligibility IN ('eligible', 'relevant', 'former_relevant')
                          AND c.in_touch IS DISTINCT FROM 'died') AS held
                FROM staff_spells s JOIN scope_teams t ON t.team_id = s.team_id
                WHERE is_personal_adviser(s.role) AND open_on(s.start_date, s.end_date, :day)
                """;
        return scoped(sql, scope).bind("day", day)
                .map(r -> r.get("held", Long.class) / r.get("fte", BigDecimal.class).doubleValue())
                .all().collectList();
    }

    /**
     * The scope's referral queue on the day: how many referrals it has ever had, and those waiting (received
     * on or before the day, not allocated by it) counted by their wait in working days, as allocation_wait
     * reads it: working days d with referral_date &lt; d ≤ day (weekdays that are not bank holidays).
     */
    Mono<Waits> waits(Scope scope, LocalDate day) {
        String count = "WITH " + SCOPE_TEAMS + "SELECT count(*) AS n FROM referrals r JOIN scope_teams t ON t.team_id = r.team_id";
        String sql = "WITH " + SCOPE_TEAMS + """
                , waiting AS (SELECT r.referral_date FROM referrals r JOIN scope_teams t ON t.team_id = r.team_id
                            WHERE r.referral_date <= :day AND (r.allocated_date IS NULL OR r.allocated_date > :day)),
                calendar AS (SELECT g.day::date AS day,
                                    count(*) FILTER (WHERE extract(isodow FROM g.day) < 6 AND b.day IS NULL)
                                        OVER (ORDER BY g.day) AS working_days
                             FROM generate_series((SELECT coalesce(min(referral_date), :day) FROM waiting), :day,
                                                  interval '1 day') g(day)
                             LEFT JOIN bank_holidays b ON b.day = g.day::date),
                waits AS (SELECT (SELECT working_days FROM calendar WHERE day = :day) - c.working_days AS wait
                          FROM waiting w JOIN calendar c ON c.day = w.referral_date)
                SELECT wait, count(*) AS n FROM waits GROUP BY wait ORDER BY wait
                """;
        // one query after the other: a chart holds at most one database connection
        return scoped(count, scope).map(r -> r.get("n", Long.class)).one()
                .flatMap(referrals -> scoped(sql, scope).bind("day", day)
                        .map(r -> new WaitCount(r.get("wait", Long.class).intValue(), r.get("n", Long.class))).all().collectList()
                        .map(waiting -> new Waits(referrals, waiting)));
    }

    /**
     * England's published figure for a measure every year (the national row, E92000001 first, as the
     * benchmark comparison reads it), and the region's.
     */
    Mono<List<Published>> published(String measure, String regionCode) {
        return db.sql("""
                        SELECT true AS england, 'England' AS area, year, value FROM (
                            SELECT DISTINCT ON (year) year, value FROM benchmarks
                            WHERE measure = :measure AND geographic_level = 'national'
                            ORDER BY year, area_code = 'E92000001' DESC, area_code) n
                        UNION ALL
                        SELECT false, area_name, year, value FROM benchmarks WHERE measure = :measure AND area_code = :region
                        ORDER BY 1 DESC, 3
                        """)
                .bind("measure", measure).bind("region", regionCode)
                .map(r -> new Published(Boolean.TRUE.equals(r.get("england", Boolean.class)), r.get("area", String.class),
                        r.get("year", Integer.class), r.get("value", BigDecimal.class).doubleValue()))
                .all().collectList();
    }
}
