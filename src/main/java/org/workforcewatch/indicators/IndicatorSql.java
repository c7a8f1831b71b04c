package org.workforcewatch.indicators;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL of every indicator, exactly as docs/DOMAIN.md ("Precise rules") reads it and as
 * docs/INDICATORS.md explains it. Each statement computes, for a list of dates ({@code :dates}, ISO dates
 * joined by commas), one row per team and date with the numerator and denominator, and stores it in
 * indicator_results. All the work happens in the database, over indexed tables.
 */
final class IndicatorSql {

    private IndicatorSql() {
    }

    /** The dates, and every staff spell open on each of them ("in post": start ≤ day ≤ end). */
    static final String IN_POST = """
            dates AS (SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d),
            sp AS (SELECT d.as_of, s.staff_id, s.team_id, s.role, s.employment, s.fte, s.case_holding, s.start_date,
                          s.end_date, s.qualified_date, s.agency_hourly_rate,
                          s.role NOT IN ('personal_adviser', 'family_support', 'other') AS cfsw,
                          s.employment IN ('permanent', 'fixed_term') AS employed
                   FROM dates d JOIN staff_spells s ON s.start_date <= d.as_of AND (s.end_date IS NULL OR s.end_date >= d.as_of))
            """;

    /** Tenure: from the first day of a person's unbroken run of spells (any team or employment). */
    static final String TENURE = """
            run_starts AS (SELECT s.staff_id, s.start_date FROM staff_spells s
                           WHERE NOT EXISTS (SELECT 1 FROM staff_spells p WHERE p.staff_id = s.staff_id
                                             AND p.start_date < s.start_date
                                             AND (p.end_date IS NULL OR p.end_date >= s.start_date - 1))),
            tenure AS (SELECT sp.*, (SELECT max(r.start_date) FROM run_starts r
                                     WHERE r.staff_id = sp.staff_id AND r.start_date <= sp.as_of) AS run_start FROM sp)
            """;

    /** Each child in care on each date, with the team of the worker holding their open allocation (if any). */
    private static final String IN_CARE = """
            in_care AS (SELECT d.as_of, c.child_id, min(c.date_of_birth) AS date_of_birth,
                               max(c.latest_assessment_date) AS latest_assessment_date
                        FROM dates d JOIN children_in_care c ON c.period_start <= d.as_of
                                     AND (c.period_end IS NULL OR c.period_end >= d.as_of)
                        GROUP BY d.as_of, c.child_id),
            allocated AS (SELECT sp.as_of, a.child_id, min(sp.team_id) AS team_id FROM sp
                          JOIN allocations a ON a.staff_id = sp.staff_id AND a.start_date <= sp.as_of
                                            AND (a.end_date IS NULL OR a.end_date >= sp.as_of)
                          GROUP BY sp.as_of, a.child_id),
            child_team AS (SELECT ic.*, al.team_id FROM in_care ic
                           LEFT JOIN allocated al ON al.as_of = ic.as_of AND al.child_id = ic.child_id)
            """;

    /** The care leavers a personal adviser in post holds: the personal-adviser caseload population. */
    private static final String PA_CASELOAD = """
            pas AS (SELECT * FROM sp WHERE role = 'personal_adviser'),
            held AS (SELECT DISTINCT p.as_of, p.team_id, c.child_id, c.latest_contact_date FROM pas p
                     JOIN care_leavers c ON c.pa_staff_id = p.staff_id
                     WHERE c.eligibility IN ('eligible', 'relevant', 'former_relevant') AND c.in_touch IS DISTINCT FROM 'died')
            """;

    private static String insert(String indicator, String ctes, String select) {
        return "INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)\nWITH " + ctes
                + "\nSELECT as_of, '" + indicator + "', team_id, numerator, denominator, detail FROM (" + select + ") r";
    }

    static final Map<Indicator, String> STATEMENTS = new LinkedHashMap<>();

    static {
        STATEMENTS.put(Indicator.CASELOAD_PER_FTE, insert("caseload_per_fte", IN_POST + """
                , holders AS (SELECT * FROM sp WHERE case_holding AND cfsw),
                children AS (SELECT h.as_of, h.team_id, count(DISTINCT a.child_id) AS n FROM holders h
                             JOIN allocations a ON a.staff_id = h.staff_id AND a.start_date <= h.as_of
                                               AND (a.end_date IS NULL OR a.end_date >= h.as_of)
                             GROUP BY h.as_of, h.team_id)
                """, """
                SELECT h.as_of, h.team_id, coalesce(max(c.n), 0) AS numerator, sum(h.fte) AS denominator, NULL::numeric AS detail
                FROM holders h LEFT JOIN children c ON c.as_of = h.as_of AND c.team_id = h.team_id
                GROUP BY h.as_of, h.team_id
                """));

        STATEMENTS.put(Indicator.WORKERS_OVER_CASELOAD, insert("workers_over_caseload", IN_POST + """
                , holders AS (SELECT * FROM sp WHERE case_holding AND cfsw),
                loads AS (SELECT h.as_of, h.team_id, h.staff_id, h.role, h.fte, count(DISTINCT a.child_id) AS children
                          FROM holders h LEFT JOIN allocations a ON a.staff_id = h.staff_id AND a.start_date <= h.as_of
                                                               AND (a.end_date IS NULL OR a.end_date >= h.as_of)
                          GROUP BY h.as_of, h.team_id, h.staff_id, h.role, h.fte)
                """, """
                SELECT as_of, team_id,
                       count(*) FILTER (WHERE children / fte > CASE WHEN role = 'asye' THEN :maxCaseload * :asyeShare
                                                                    ELSE :maxCaseload END) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM loads GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.PA_CASELOAD_PER_FTE, insert("pa_caseload_per_fte", IN_POST + ", " + PA_CASELOAD, """
                SELECT p.as_of, p.team_id, (SELECT count(*) FROM held h WHERE h.as_of = p.as_of AND h.team_id = p.team_id) AS numerator,
                       sum(p.fte) AS denominator, NULL::numeric AS detail
                FROM pas p GROUP BY p.as_of, p.team_id
                """));

        STATEMENTS.put(Indicator.AGENCY_RATE, insert("agency_rate", IN_POST, """
                SELECT as_of, team_id, coalesce(sum(fte) FILTER (WHERE employment = 'agency'), 0) AS numerator,
                       coalesce(sum(fte) FILTER (WHERE employment = 'agency' OR employed), 0) AS denominator,
                       NULL::numeric AS detail
                FROM sp WHERE cfsw GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.VACANCY_RATE, insert("vacancy_rate", IN_POST + """
                , funded AS (SELECT DISTINCT ON (d.as_of, e.team_id, e.role) d.as_of, e.team_id, e.role, e.funded_fte
                           FROM dates d JOIN establishment e ON e.effective_from <= d.as_of
                           WHERE e.role NOT IN ('personal_adviser', 'family_support', 'other')
                           ORDER BY d.as_of, e.team_id, e.role, e.effective_from DESC),
                filled AS (SELECT as_of, team_id, role, sum(fte) AS fte FROM sp WHERE cfsw AND employed
                           GROUP BY as_of, team_id, role),
                vacant AS (SELECT f.as_of, f.team_id, sum(greatest(0, f.funded_fte - coalesce(e.fte, 0))) AS fte
                           FROM funded f LEFT JOIN filled e USING (as_of, team_id, role) GROUP BY f.as_of, f.team_id),
                employed_fte AS (SELECT as_of, team_id, sum(fte) AS fte FROM filled GROUP BY as_of, team_id)
                """, """
                SELECT coalesce(v.as_of, e.as_of) AS as_of, coalesce(v.team_id, e.team_id) AS team_id,
                       coalesce(v.fte, 0) AS numerator, coalesce(v.fte, 0) + coalesce(e.fte, 0) AS denominator,
                       NULL::numeric AS detail
                FROM vacant v FULL JOIN employed_fte e ON e.as_of = v.as_of AND e.team_id = v.team_id
                """));

        STATEMENTS.put(Indicator.TURNOVER_RATE, insert("turnover_rate", IN_POST + """
                , leavers AS (SELECT d.as_of, s.team_id, sum(s.fte) AS fte FROM dates d
                            JOIN staff_spells s ON s.end_date > (d.as_of - interval '1 year')::date AND s.end_date <= d.as_of
                            WHERE s.employment IN ('permanent', 'fixed_term')
                              AND s.role NOT IN ('personal_adviser', 'family_support', 'other')
                              AND s.leaving_reason IS DISTINCT FROM 'internal_move'
                            GROUP BY d.as_of, s.team_id),
                in_post AS (SELECT as_of, team_id, sum(fte) AS fte FROM sp WHERE cfsw AND employed GROUP BY as_of, team_id)
                """, """
                SELECT coalesce(p.as_of, l.as_of) AS as_of, coalesce(p.team_id, l.team_id) AS team_id,
                       coalesce(l.fte, 0) AS numerator, coalesce(p.fte, 0) AS denominator, NULL::numeric AS detail
                FROM in_post p FULL JOIN leavers l ON l.as_of = p.as_of AND l.team_id = p.team_id
                """));

        STATEMENTS.put(Indicator.WORKER_CHANGES, insert("worker_changes", IN_POST + """
                , open_children AS (SELECT DISTINCT sp.as_of, a.child_id, sp.team_id FROM sp
                                  JOIN allocations a ON a.staff_id = sp.staff_id AND a.start_date <= sp.as_of
                                                    AND (a.end_date IS NULL OR a.end_date >= sp.as_of)
                                  WHERE a.case_type IN ('cla', 'cp', 'cin')),
                workers AS (SELECT d.as_of, a.child_id, count(DISTINCT a.staff_id) AS n FROM dates d
                            JOIN allocations a ON a.start_date <= d.as_of
                                              AND (a.end_date IS NULL OR a.end_date > (d.as_of - interval '1 year')::date)
                            GROUP BY d.as_of, a.child_id)
                """, """
                SELECT o.as_of, o.team_id, count(*) FILTER (WHERE w.n >= 3) AS numerator, count(*) AS denominator,
                       NULL::numeric AS detail
                FROM open_children o JOIN workers w USING (as_of, child_id) GROUP BY o.as_of, o.team_id
                """));

        // wait = working days d with referral_date < d ≤ as_of: a running count of working days gives it by subtraction
        STATEMENTS.put(Indicator.ALLOCATION_WAIT, insert("allocation_wait", """
                dates AS (SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d),
                queue AS (SELECT d.as_of, f.team_id FROM dates d
                          JOIN (SELECT team_id, min(referral_date) AS first FROM referrals GROUP BY team_id) f ON f.first <= d.as_of),
                waiting AS (SELECT d.as_of, r.team_id, r.referral_date FROM dates d
                            JOIN referrals r ON r.referral_date <= d.as_of AND (r.allocated_date IS NULL OR r.allocated_date > d.as_of)),
                calendar AS (SELECT g.day::date AS day,
                                    count(*) FILTER (WHERE extract(isodow FROM g.day) < 6 AND b.day IS NULL)
                                        OVER (ORDER BY g.day) AS working_days
                             FROM generate_series((SELECT coalesce(min(referral_date), current_date) FROM waiting),
                                                  (SELECT max(as_of) FROM dates), interval '1 day') g(day)
                             LEFT JOIN bank_holidays b ON b.day = g.day::date),
                waits AS (SELECT w.as_of, w.team_id, ca.working_days - cr.working_days AS wait FROM waiting w
                          JOIN calendar ca ON ca.day = w.as_of JOIN calendar cr ON cr.day = w.referral_date)
                """, """
                SELECT q.as_of, q.team_id, count(w.wait) FILTER (WHERE w.wait > :allocationDays) AS numerator,
                       count(w.wait) AS denominator, max(w.wait) AS detail
                FROM queue q LEFT JOIN waits w ON w.as_of = q.as_of AND w.team_id = q.team_id
                GROUP BY q.as_of, q.team_id
                """));

        STATEMENTS.put(Indicator.SUPERVISION_OVERDUE, insert("supervision_overdue", IN_POST + ", " + TENURE + """
                , cadence AS (SELECT t.as_of, t.team_id, t.staff_id, t.as_of - t.run_start AS tenure_days,
                                   CASE WHEN t.as_of - t.run_start < 42 THEN 7
                                        WHEN t.as_of < (t.run_start + interval '6 months')::date THEN 14
                                        ELSE 31 END AS interval_days,
                                   (SELECT max(v.supervision_date) FROM supervision v
                                    WHERE v.staff_id = t.staff_id AND v.supervision_date <= t.as_of) AS last_supervision
                            FROM tenure t WHERE t.case_holding)
                """, """
                SELECT as_of, team_id,
                       count(*) FILTER (WHERE CASE WHEN last_supervision IS NULL THEN tenure_days > interval_days
                                                   ELSE as_of - last_supervision > interval_days END) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM cadence GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.INDUCTION_INCOMPLETE, insert("induction_incomplete", IN_POST + ", " + TENURE, """
                SELECT t.as_of, t.team_id,
                       count(*) FILTER (WHERE (SELECT count(DISTINCT c.course) FROM training c WHERE c.staff_id = t.staff_id
                                               AND c.course IN ('induction', 'practice_model')
                                               AND c.completed_date <= t.as_of) < 2) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM tenure t WHERE t.as_of - t.run_start >= 90 GROUP BY t.as_of, t.team_id
                """));

        STATEMENTS.put(Indicator.ASSESSMENT_OUT_OF_DATE, insert("assessment_out_of_date", IN_POST + ", " + IN_CARE, """
                SELECT as_of, team_id,
                       count(*) FILTER (WHERE latest_assessment_date IS NULL
                                           OR latest_assessment_date <= (as_of - interval '1 year')::date
                                           OR latest_assessment_date > as_of) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM child_team GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.PA_LATE, insert("pa_late", IN_POST + ", " + IN_CARE, """
                SELECT as_of, team_id,
                       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM care_leavers l WHERE l.child_id = ct.child_id
                                                          AND l.pa_staff_id IS NOT NULL)) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM child_team ct WHERE ct.date_of_birth <= (ct.as_of - make_interval(years => :paFromAge))::date
                GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.CARE_LEAVER_CONTACT_OVERDUE, insert("care_leaver_contact_overdue", IN_POST + ", " + PA_CASELOAD, """
                SELECT as_of, team_id,
                       count(*) FILTER (WHERE latest_contact_date IS NULL OR as_of - latest_contact_date > :contactDays) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM held GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.OOH_COVER_GAP, insert("ooh_cover_gap", """
                dates AS (SELECT CAST(d AS date) AS as_of FROM unnest(string_to_array(:dates, ',')) d),
                needed AS (SELECT d.as_of, r.team_id, r.shift, r.required_staff, (d.as_of + g.n) AS day
                           FROM dates d CROSS JOIN shift_requirements r CROSS JOIN generate_series(1, :coverDays) g(n)),
                covered AS (SELECT n.as_of, n.team_id, n.shift, n.day, n.required_staff,
                                   (SELECT count(DISTINCT s.staff_id) FROM shifts s WHERE s.team_id = n.team_id
                                    AND s.shift = n.shift AND s.shift_date = n.day) AS staff
                            FROM needed n)
                """, """
                SELECT as_of, team_id, count(*) FILTER (WHERE staff < required_staff) AS numerator, count(*) AS denominator,
                       NULL::numeric AS detail
                FROM covered GROUP BY as_of, team_id
                """));

        STATEMENTS.put(Indicator.ABSENCE_RATE, insert("absence_rate", IN_POST + """
                , lost AS (SELECT d.as_of, s.team_id,
                                sum(coalesce(a.working_days_lost,
                                             (SELECT count(*) FROM generate_series(a.start_date, a.end_date, interval '1 day') g(day)
                                              WHERE extract(isodow FROM g.day) < 6) * s.fte)) AS days
                         FROM dates d
                         JOIN absence a ON a.reason = 'sickness' AND a.start_date > (d.as_of - interval '1 year')::date
                                       AND a.start_date <= d.as_of
                         JOIN staff_spells s ON s.staff_id = a.staff_id AND s.start_date <= a.start_date
                                            AND (s.end_date IS NULL OR s.end_date >= a.start_date)
                         WHERE s.employment IN ('permanent', 'fixed_term')
                           AND s.role NOT IN ('personal_adviser', 'family_support', 'other')
                         GROUP BY d.as_of, s.team_id),
                in_post AS (SELECT as_of, team_id, sum(fte) AS fte FROM sp WHERE cfsw AND employed GROUP BY as_of, team_id)
                """, """
                SELECT coalesce(p.as_of, l.as_of) AS as_of, coalesce(p.team_id, l.team_id) AS team_id,
                       coalesce(l.days, 0) AS numerator, coalesce(p.fte, 0) * 253 AS denominator, NULL::numeric AS detail
                FROM in_post p FULL JOIN lost l ON l.as_of = p.as_of AND l.team_id = p.team_id
                """));

        STATEMENTS.put(Indicator.AGENCY_NONCOMPLIANT, insert("agency_noncompliant", IN_POST, """
                SELECT a.as_of, a.team_id,
                       count(*) FILTER (WHERE a.qualified_date IS NULL
                                           OR a.qualified_date > (a.as_of - interval '3 years')::date
                                           OR a.agency_hourly_rate > :agencyPriceCap
                                           OR EXISTS (SELECT 1 FROM staff_spells e WHERE e.staff_id = a.staff_id
                                                      AND e.employment IN ('permanent', 'fixed_term')
                                                      AND e.end_date < a.start_date
                                                      AND e.end_date >= (a.start_date - interval '3 months')::date)) AS numerator,
                       count(*) AS denominator, NULL::numeric AS detail
                FROM sp a WHERE a.cfsw AND a.employment = 'agency' GROUP BY a.as_of, a.team_id
                """));
    }
}
