package org.workforcewatch.indicators;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of every indicator, exactly as docs/DOMAIN.md ("Precise rules") reads it and as docs/INDICATORS.md
 * explains it, written over the workforce vocabulary (sql/V11__vocabulary.sql).
 * <p>
 * One computation covers a set of targets, (date, team) pairs in {@code w_targets}; the team '' stands for
 * the figures of children with no team, which count at authority level only. The work shared by several
 * indicators is done once, into temporary tables dropped at commit: the spells in post on the targets
 * ({@code w_sp}), the allocations those workers hold on the dates ({@code w_open}, the one pass over
 * allocations), tenure, the children in care with their team, and the care leavers held. Every indicator then
 * writes one row per target with its numerator and denominator into {@code w_results}, which the engine
 * either stores for good or reads once and drops (docs/LIVE-INDICATORS.md).
 */
final class IndicatorSql {

    private IndicatorSql() {
    }

    /** One step of a computation: a name (for timing and plans) and a statement. */
    record Step(String name, String sql) {
    }

    /**
     * The targets, from {@code :targets}: a JSON array of {"as_of": date, "teams": [team ids] or null for every
     * team and the children with no team}.
     */
    private static final String TARGETS = """
            CREATE TEMP TABLE w_targets ON COMMIT DROP AS
            SELECT DISTINCT x.as_of, t.team_id
            FROM jsonb_to_recordset(CAST(:targets AS jsonb)) AS x(as_of date, teams text[])
            CROSS JOIN LATERAL (SELECT team_id FROM teams WHERE x.teams IS NULL
                                UNION ALL SELECT '' WHERE x.teams IS NULL
                                UNION ALL SELECT unnest(x.teams)) t
            """;

    private static final String DATES = "CREATE TEMP TABLE w_dates ON COMMIT DROP AS SELECT DISTINCT as_of FROM w_targets";

    private static final String SPELLS_IN_POST = """
            CREATE TEMP TABLE w_sp ON COMMIT DROP AS
            SELECT t.as_of, s.staff_id, s.team_id, s.role, s.employment, s.fte, s.case_holding, s.start_date, s.end_date,
                   s.qualified_date, s.agency_hourly_rate, s.cfsw, s.employed, s.agency, s.personal_adviser, s.case_holding_cfsw
            FROM w_targets t JOIN staff_spells_v s ON s.team_id = t.team_id AND open_on(s.start_date, s.end_date, t.as_of)
            """;

    /**
     * Every allocation open on a date, once per spell in post of its worker. The bounds taken from w_dates are
     * constant for the scan, so they filter it, where a join to the dates alone cannot.
     */
    private static final String OPEN_ALLOCATIONS = """
            CREATE TEMP TABLE w_open ON COMMIT DROP AS
            SELECT sp.as_of, sp.team_id, sp.staff_id, sp.case_holding_cfsw AS holder, a.child_id, a.case_type
            FROM w_sp sp JOIN allocations a ON a.staff_id = sp.staff_id AND open_on(a.start_date, a.end_date, sp.as_of)
            WHERE open_during(a.start_date, a.end_date, (SELECT min(as_of) FROM w_dates) - 1, (SELECT max(as_of) FROM w_dates))
            """;

    /** Temporary tables have no statistics until analysed, and the joins below depend on their sizes. */
    private static final String ANALYZE = "ANALYZE w_targets, w_dates, w_sp, w_open";

    private static final String RESULTS = """
            CREATE TEMP TABLE w_results (as_of date, indicator text, team_id varchar(64), numerator numeric,
                                         denominator numeric, detail numeric) ON COMMIT DROP
            """;

    /** Tenure and the latest supervision of each spell in post, for supervision and induction. */
    private static final String TENURE = """
            CREATE TEMP TABLE w_tenure ON COMMIT DROP AS
            SELECT x.*, (SELECT max(v.supervision_date) FROM supervision v
                         WHERE v.staff_id = x.staff_id AND v.supervision_date <= x.as_of) AS last_supervision
            FROM (SELECT sp.as_of, sp.team_id, sp.staff_id, sp.case_holding,
                         (SELECT max(r.start_date) FROM staff_run_starts r
                          WHERE r.staff_id = sp.staff_id AND r.start_date <= sp.as_of) AS run_start
                  FROM w_sp sp) x
            """;

    /** The children with an open child-in-need, protection or looked-after case on each date, by the team holding it. */
    private static final String OPEN_CHILDREN = """
            CREATE TEMP TABLE w_open_children ON COMMIT DROP AS
            SELECT DISTINCT as_of, child_id, team_id FROM w_open WHERE case_type IN ('cla', 'cp', 'cin')
            """;

    /** The care leavers each personal adviser in post holds: the personal-adviser caseload population. */
    private static final String HELD = """
            CREATE TEMP TABLE w_held ON COMMIT DROP AS
            SELECT DISTINCT p.as_of, p.team_id, c.child_id, c.latest_contact_date
            FROM w_sp p JOIN care_leavers c ON c.pa_staff_id = p.staff_id
            WHERE p.personal_adviser AND in_pa_caseload(c.eligibility, c.in_touch)
            """;

    /**
     * Each child in care on a date with the team of the worker holding their open allocation (the first by id
     * if several), kept where that team, or '' for no team, is a target. When every team is a target the
     * allocations held are all in w_open already; otherwise only the children a target team holds (and, when
     * the children with no team are a target, every child in care) are looked up.
     */
    private static String childTeam(boolean everyTeam) {
        String held = everyTeam
                ? "SELECT as_of, child_id, min(team_id) AS team_id FROM w_open GROUP BY as_of, child_id"
                : """
                  SELECT ic.as_of, ic.child_id, min(s.team_id) AS team_id FROM in_care ic
                  JOIN allocations a ON a.child_id = ic.child_id AND open_on(a.start_date, a.end_date, ic.as_of)
                  JOIN staff_spells s ON s.staff_id = a.staff_id AND open_on(s.start_date, s.end_date, ic.as_of)
                  GROUP BY ic.as_of, ic.child_id""";
        String candidates = everyTeam ? "" : """
                  WHERE EXISTS (SELECT 1 FROM w_targets t WHERE t.as_of = d.as_of AND t.team_id = '')
                     OR EXISTS (SELECT 1 FROM w_open o WHERE o.as_of = d.as_of AND o.child_id = c.child_id)
                """;
        return """
                CREATE TEMP TABLE w_child_team ON COMMIT DROP AS
                WITH in_care AS (SELECT d.as_of, c.child_id, min(c.date_of_birth) AS date_of_birth,
                                        max(c.latest_assessment_date) AS latest_assessment_date
                                 FROM w_dates d JOIN children_in_care c ON open_on(c.period_start, c.period_end, d.as_of)
                """ + candidates + """
                                 GROUP BY d.as_of, c.child_id),
                held AS (""" + held + """
                )
                SELECT ic.as_of, ic.child_id, ic.date_of_birth, ic.latest_assessment_date, h.team_id
                FROM in_care ic LEFT JOIN held h ON h.as_of = ic.as_of AND h.child_id = ic.child_id
                WHERE EXISTS (SELECT 1 FROM w_targets t WHERE t.as_of = ic.as_of AND t.team_id = coalesce(h.team_id, ''))
                """;
    }

    private static String insert(Indicator indicator, String select) {
        return "INSERT INTO w_results (as_of, indicator, team_id, numerator, denominator, detail)\nSELECT as_of, '"
                + indicator.id() + "', team_id, numerator, denominator, detail FROM (" + select + ") r";
    }

    /** Every step of a computation, in order; {@code everyTeam} when the targets are every team on their dates. */
    static List<Step> steps(boolean everyTeam) {
        List<Step> steps = new ArrayList<>();
        // a transaction may compute more than once (risks reading a date not stored, then another)
        steps.add(new Step("clear", "DROP TABLE IF EXISTS w_targets, w_dates, w_sp, w_open, w_results, w_tenure, w_held, w_child_team,"
                + " w_open_children"));
        steps.add(new Step("targets", TARGETS));
        steps.add(new Step("dates", DATES));
        steps.add(new Step("spells in post", SPELLS_IN_POST));
        steps.add(new Step("open allocations", OPEN_ALLOCATIONS));
        steps.add(new Step("analyse", ANALYZE));
        steps.add(new Step("results", RESULTS));
        steps.add(new Step("tenure", TENURE));
        steps.add(new Step("care leavers held", HELD));
        steps.add(new Step("children's teams", childTeam(everyTeam)));
        steps.add(new Step("open children", OPEN_CHILDREN));
        steps.add(new Step("analyse open children", "ANALYZE w_open_children"));
        for (Indicator i : Indicator.values()) {
            steps.add(new Step(i.id(), insert(i, select(i))));
        }
        return steps;
    }

    /** The rows of one indicator: as_of, team_id, numerator, denominator, detail. */
    private static String select(Indicator indicator) {
        return switch (indicator) {
            case CASELOAD_PER_FTE -> """
                    SELECT h.as_of, h.team_id, coalesce(max(c.n), 0) AS numerator, sum(h.fte) AS denominator, NULL::numeric AS detail
                    FROM w_sp h
                    LEFT JOIN (SELECT as_of, team_id, count(DISTINCT child_id) AS n FROM w_open WHERE holder
                               GROUP BY as_of, team_id) c ON c.as_of = h.as_of AND c.team_id = h.team_id
                    WHERE h.case_holding_cfsw GROUP BY h.as_of, h.team_id
                    """;
            // a worker's children counted once, whichever of their spells in post the allocation was joined to
            case WORKERS_OVER_CASELOAD -> """
                    WITH per_worker AS (SELECT as_of, staff_id, count(DISTINCT child_id) AS n FROM w_open GROUP BY as_of, staff_id),
                    loads AS (SELECT h.as_of, h.team_id, h.staff_id, h.role, h.fte, coalesce(max(w.n), 0) AS children
                              FROM w_sp h LEFT JOIN per_worker w ON w.as_of = h.as_of AND w.staff_id = h.staff_id
                              WHERE h.case_holding_cfsw GROUP BY h.as_of, h.team_id, h.staff_id, h.role, h.fte)
                    SELECT as_of, team_id, count(*) FILTER (WHERE children / fte > caseload_limit(role, CAST(:maxCaseload AS numeric), CAST(:asyeShare AS numeric))) AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM loads GROUP BY as_of, team_id
                    """;
            case PA_CASELOAD_PER_FTE -> """
                    SELECT p.as_of, p.team_id, coalesce(max(h.n), 0) AS numerator, sum(p.fte) AS denominator, NULL::numeric AS detail
                    FROM w_sp p
                    LEFT JOIN (SELECT as_of, team_id, count(*) AS n FROM w_held GROUP BY as_of, team_id) h
                           ON h.as_of = p.as_of AND h.team_id = p.team_id
                    WHERE p.personal_adviser GROUP BY p.as_of, p.team_id
                    """;
            case AGENCY_RATE -> """
                    SELECT as_of, team_id, coalesce(sum(fte) FILTER (WHERE agency), 0) AS numerator,
                           coalesce(sum(fte) FILTER (WHERE agency OR employed), 0) AS denominator, NULL::numeric AS detail
                    FROM w_sp WHERE cfsw GROUP BY as_of, team_id
                    """;
            case VACANCY_RATE -> """
                    WITH funded AS (SELECT DISTINCT ON (t.as_of, e.team_id, e.role) t.as_of, e.team_id, e.role, e.funded_fte
                                    FROM w_targets t JOIN establishment e ON e.team_id = t.team_id AND e.effective_from <= t.as_of
                                    WHERE is_cfsw(e.role)
                                    ORDER BY t.as_of, e.team_id, e.role, e.effective_from DESC),
                    filled AS (SELECT as_of, team_id, role, sum(fte) AS fte FROM w_sp WHERE cfsw AND employed GROUP BY as_of, team_id, role),
                    vacant AS (SELECT f.as_of, f.team_id, sum(greatest(0, f.funded_fte - coalesce(e.fte, 0))) AS fte
                               FROM funded f LEFT JOIN filled e USING (as_of, team_id, role) GROUP BY f.as_of, f.team_id),
                    employed_fte AS (SELECT as_of, team_id, sum(fte) AS fte FROM filled GROUP BY as_of, team_id)
                    SELECT coalesce(v.as_of, e.as_of) AS as_of, coalesce(v.team_id, e.team_id) AS team_id,
                           coalesce(v.fte, 0) AS numerator, coalesce(v.fte, 0) + coalesce(e.fte, 0) AS denominator, NULL::numeric AS detail
                    FROM vacant v FULL JOIN employed_fte e ON e.as_of = v.as_of AND e.team_id = v.team_id
                    """;
            case TURNOVER_RATE -> """
                    WITH leavers AS (SELECT t.as_of, s.team_id, sum(s.fte) AS fte FROM w_targets t
                                     JOIN staff_leavers s ON s.team_id = t.team_id AND s.end_date > (t.as_of - interval '1 year')::date
                                                         AND s.end_date <= t.as_of
                                     WHERE s.cfsw GROUP BY t.as_of, s.team_id),
                    in_post AS (SELECT as_of, team_id, sum(fte) AS fte FROM w_sp WHERE cfsw AND employed GROUP BY as_of, team_id)
                    SELECT coalesce(p.as_of, l.as_of) AS as_of, coalesce(p.team_id, l.team_id) AS team_id,
                           coalesce(l.fte, 0) AS numerator, coalesce(p.fte, 0) AS denominator, NULL::numeric AS detail
                    FROM in_post p FULL JOIN leavers l ON l.as_of = p.as_of AND l.team_id = p.team_id
                    """;
            // the children's distinct workers over the twelve months: their allocations come by a hash join over one
            // bounded pass of allocations when they are many, by the index on child_id when few (w_open_children is
            // analysed, so the planner knows which)
            case WORKER_CHANGES -> """
                    WITH pairs AS (
                        SELECT o.as_of, o.child_id, a.staff_id
                        FROM (SELECT DISTINCT as_of, child_id FROM w_open_children) o
                        JOIN allocations a ON a.child_id = o.child_id
                                          AND open_during(a.start_date, a.end_date, (o.as_of - interval '1 year')::date, o.as_of)
                        WHERE open_during(a.start_date, a.end_date, (SELECT (min(as_of) - interval '1 year')::date FROM w_dates),
                                          (SELECT max(as_of) FROM w_dates))),
                    workers AS (SELECT as_of, child_id, count(DISTINCT staff_id) AS n FROM pairs GROUP BY as_of, child_id)
                    SELECT o.as_of, o.team_id, count(*) FILTER (WHERE w.n >= 3) AS numerator, count(*) AS denominator,
                           NULL::numeric AS detail
                    FROM w_open_children o JOIN workers w ON w.as_of = o.as_of AND w.child_id = o.child_id
                    GROUP BY o.as_of, o.team_id
                    """;
            // wait = working days d with referral_date < d ≤ as_of: a running count of working days gives it by
            // subtraction. The referrals waiting on a date come first, through the index on allocated_date (a few
            // thousand at national scale), and only then are they kept to the targets: joined to the teams first,
            // they would be every referral of every team.
            case ALLOCATION_WAIT -> """
                    WITH queue AS (SELECT t.as_of, t.team_id FROM w_targets t
                                   WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.team_id = t.team_id AND r.referral_date <= t.as_of)),
                    on_date AS MATERIALIZED (SELECT d.as_of, r.team_id, r.referral_date FROM w_dates d
                                             JOIN referrals r ON waiting_on(r.referral_date, r.allocated_date, d.as_of)),
                    waiting AS (SELECT w.* FROM on_date w
                                WHERE EXISTS (SELECT 1 FROM w_targets t WHERE t.as_of = w.as_of AND t.team_id = w.team_id)),
                    calendar AS (SELECT g.day::date AS day,
                                        count(*) FILTER (WHERE extract(isodow FROM g.day) < 6 AND b.day IS NULL)
                                            OVER (ORDER BY g.day) AS working_days
                                 FROM generate_series((SELECT coalesce(min(referral_date), current_date) FROM waiting),
                                                      (SELECT max(as_of) FROM w_dates), interval '1 day') g(day)
                                 LEFT JOIN bank_holidays b ON b.day = g.day::date),
                    waits AS (SELECT w.as_of, w.team_id, ca.working_days - cr.working_days AS wait FROM waiting w
                              JOIN calendar ca ON ca.day = w.as_of JOIN calendar cr ON cr.day = w.referral_date)
                    SELECT q.as_of, q.team_id, count(w.wait) FILTER (WHERE w.wait > :allocationDays) AS numerator,
                           count(w.wait) AS denominator, max(w.wait) AS detail
                    FROM queue q LEFT JOIN waits w ON w.as_of = q.as_of AND w.team_id = q.team_id
                    GROUP BY q.as_of, q.team_id
                    """;
            case SUPERVISION_OVERDUE -> """
                    SELECT as_of, team_id, count(*) FILTER (WHERE supervision_overdue(run_start, last_supervision, as_of)) AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM w_tenure WHERE case_holding GROUP BY as_of, team_id
                    """;
            case INDUCTION_INCOMPLETE -> """
                    SELECT t.as_of, t.team_id,
                           count(*) FILTER (WHERE (SELECT count(DISTINCT c.course) FROM training c WHERE c.staff_id = t.staff_id
                                                   AND c.course IN ('induction', 'practice_model')
                                                   AND c.completed_date <= t.as_of) < 2) AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM w_tenure t WHERE t.as_of - t.run_start >= 90 GROUP BY t.as_of, t.team_id
                    """;
            case ASSESSMENT_OUT_OF_DATE -> """
                    SELECT as_of, team_id,
                           count(*) FILTER (WHERE latest_assessment_date IS NULL
                                               OR latest_assessment_date <= (as_of - interval '1 year')::date
                                               OR latest_assessment_date > as_of) AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM w_child_team GROUP BY as_of, team_id
                    """;
            case PA_LATE -> """
                    SELECT as_of, team_id,
                           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM care_leavers l WHERE l.child_id = ct.child_id
                                                              AND l.pa_staff_id IS NOT NULL)) AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM w_child_team ct WHERE ct.date_of_birth <= (ct.as_of - make_interval(years => :paFromAge))::date
                    GROUP BY as_of, team_id
                    """;
            case CARE_LEAVER_CONTACT_OVERDUE -> """
                    SELECT as_of, team_id,
                           count(*) FILTER (WHERE latest_contact_date IS NULL OR as_of - latest_contact_date > :contactDays) AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM w_held GROUP BY as_of, team_id
                    """;
            case OOH_COVER_GAP -> """
                    WITH needed AS (SELECT t.as_of, r.team_id, r.shift, r.required_staff, (t.as_of + g.n) AS day
                                    FROM w_targets t JOIN shift_requirements r ON r.team_id = t.team_id
                                    CROSS JOIN generate_series(1, :coverDays) g(n)),
                    covered AS (SELECT n.as_of, n.team_id, n.required_staff,
                                       (SELECT count(DISTINCT s.staff_id) FROM shifts s WHERE s.team_id = n.team_id
                                        AND s.shift = n.shift AND s.shift_date = n.day) AS staff
                                FROM needed n)
                    SELECT as_of, team_id, count(*) FILTER (WHERE staff < required_staff) AS numerator, count(*) AS denominator,
                           NULL::numeric AS detail
                    FROM covered GROUP BY as_of, team_id
                    """;
            case ABSENCE_RATE -> """
                    WITH lost AS (SELECT t.as_of, s.team_id,
                                         sum(coalesce(a.working_days_lost,
                                                      (SELECT count(*) FROM generate_series(a.start_date, a.end_date, interval '1 day') g(day)
                                                       WHERE extract(isodow FROM g.day) < 6) * s.fte)) AS days
                                  FROM w_targets t
                                  JOIN staff_spells_v s ON s.team_id = t.team_id AND s.employed AND s.cfsw
                                  JOIN absence a ON a.staff_id = s.staff_id AND a.reason = 'sickness'
                                                AND a.start_date > (t.as_of - interval '1 year')::date AND a.start_date <= t.as_of
                                                AND open_on(s.start_date, s.end_date, a.start_date)
                                  GROUP BY t.as_of, s.team_id),
                    in_post AS (SELECT as_of, team_id, sum(fte) AS fte FROM w_sp WHERE cfsw AND employed GROUP BY as_of, team_id)
                    SELECT coalesce(p.as_of, l.as_of) AS as_of, coalesce(p.team_id, l.team_id) AS team_id,
                           coalesce(l.days, 0) AS numerator, coalesce(p.fte, 0) * 253 AS denominator, NULL::numeric AS detail
                    FROM in_post p FULL JOIN lost l ON l.as_of = p.as_of AND l.team_id = p.team_id
                    """;
            // A worker with an assignment of the agency register open on the day is judged by the register's checks
            // (sql/V24__agency_register.sql, with the configured caps of the council's region); one without, as before
            // the register, on the HR file's spell alone.
            case AGENCY_NONCOMPLIANT -> """
                    WITH register AS (SELECT d.as_of, r.staff_id, bool_or(r.noncompliant) AS noncompliant
                                      FROM w_dates d CROSS JOIN LATERAL agency_register_on(d.as_of, CAST(:agencyCaps AS jsonb)) r
                                      GROUP BY d.as_of, r.staff_id)
                    SELECT a.as_of, a.team_id,
                           count(*) FILTER (WHERE CASE WHEN r.staff_id IS NOT NULL THEN r.noncompliant
                                               ELSE a.qualified_date IS NULL
                                               OR a.qualified_date > (a.as_of - interval '3 years')::date
                                               OR a.agency_hourly_rate > :agencyPriceCap
                                               OR EXISTS (SELECT 1 FROM staff_spells_v e WHERE e.staff_id = a.staff_id AND e.employed
                                                          AND e.end_date < a.start_date
                                                          AND e.end_date >= (a.start_date - interval '3 months')::date) END)
                               AS numerator,
                           count(*) AS denominator, NULL::numeric AS detail
                    FROM w_sp a LEFT JOIN register r ON r.as_of = a.as_of AND r.staff_id = a.staff_id
                    WHERE a.cfsw AND a.agency GROUP BY a.as_of, a.team_id
                    """;
        };
    }

    /**
     * Replaces the stored results of the targets with the computed ones. A date computed for every team is stored
     * as a whole (or again); a stored date recomputed for some teams keeps its place, with a new version.
     */
    static List<Step> store(boolean everyTeam) {
        return List.of(
                new Step("drop the targets' stored results", """
                        DELETE FROM indicator_results r USING w_targets t
                        WHERE r.as_of = t.as_of AND coalesce(r.team_id, '') = t.team_id
                        """),
                new Step("store the results", """
                        INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
                        SELECT as_of, indicator, team_id, numerator, denominator, detail FROM w_results
                        """),
                new Step("date the results", everyTeam ? """
                        INSERT INTO indicator_dates (as_of, computed_at, version)
                        SELECT as_of, now(), nextval('indicator_results_version') FROM w_dates
                        ON CONFLICT (as_of) DO UPDATE SET computed_at = EXCLUDED.computed_at, version = EXCLUDED.version
                        """ : """
                        UPDATE indicator_dates SET computed_at = now(), version = nextval('indicator_results_version')
                        WHERE as_of IN (SELECT as_of FROM w_dates)
                        """));
    }
}
