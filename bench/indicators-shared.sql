-- A rewrite of the indicator statements (src/main/java/org/workforcewatch/indicators/IndicatorSql.java) that
-- does the shared work once per recompute: the spells in post and the allocations open on the dates go into
-- temporary tables, and every indicator reads them, where five statements of IndicatorSql each scan the
-- whole of allocations again (six scans in all). It gives the same results, row for row; bench/indicators
-- times it next to the service's statements and checks that it does.
--
-- Run inside a transaction (the tables are dropped at commit or rollback) with psql variable dates (ISO
-- dates joined by commas, like IndicatorSql's :dates). The settings are the configuration defaults:
-- max_caseload 20, asye_share 0.9, allocation_days 5, pa_from_age 17, agency_price_cap 50,
-- contact_days 56, cover_days 28. The lines "\echo @@ name" name the steps for timing.
--
-- One index is assumed besides the schema's, referrals (allocated_date), for the referrals still waiting
-- on a date (bench/indicators creates it inside its rolled-back transaction and does not time that):
--     CREATE INDEX referrals_allocated ON referrals (allocated_date);
\echo @@ w_dates
CREATE TEMP TABLE w_dates ON COMMIT DROP AS SELECT DISTINCT CAST(d AS date) AS as_of FROM unnest(string_to_array(:'dates', ',')) d;
\echo @@ w_sp
CREATE TEMP TABLE w_sp ON COMMIT DROP AS
SELECT d.as_of, s.staff_id, s.team_id, s.role, s.employment, s.fte, s.case_holding, s.start_date, s.end_date, s.qualified_date,
       s.agency_hourly_rate, s.role NOT IN ('personal_adviser', 'family_support', 'other') AS cfsw,
       s.employment IN ('permanent', 'fixed_term') AS employed
FROM w_dates d JOIN staff_spells s ON s.start_date <= d.as_of AND (s.end_date IS NULL OR s.end_date >= d.as_of);
\echo @@ w_open
-- Every allocation open on a date, once per spell in post of its worker: the one pass over allocations for
-- caseloads, workers over caseload, children's teams and worker changes. The bounds taken from w_dates
-- are constant for the scan, so they filter it, where a join to the dates alone cannot.
CREATE TEMP TABLE w_open ON COMMIT DROP AS
SELECT sp.as_of, sp.team_id, sp.staff_id, sp.case_holding AND sp.cfsw AS holder, a.child_id, a.case_type
FROM w_sp sp JOIN allocations a ON a.staff_id = sp.staff_id AND a.start_date <= sp.as_of AND (a.end_date IS NULL OR a.end_date >= sp.as_of)
WHERE a.start_date <= (SELECT max(as_of) FROM w_dates) AND (a.end_date IS NULL OR a.end_date >= (SELECT min(as_of) FROM w_dates));
\echo @@ analyze
-- temporary tables have no statistics until analysed
ANALYZE w_dates, w_sp, w_open;
\echo @@ caseload_per_fte
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
SELECT h.as_of, 'caseload_per_fte', h.team_id, coalesce(max(c.n), 0), sum(h.fte), NULL
FROM w_sp h LEFT JOIN (SELECT as_of, team_id, count(DISTINCT child_id) AS n FROM w_open WHERE holder GROUP BY as_of, team_id) c
     ON c.as_of = h.as_of AND c.team_id = h.team_id
WHERE h.case_holding AND h.cfsw GROUP BY h.as_of, h.team_id;
\echo @@ workers_over_caseload
-- a worker's children counted once, whichever of their spells in post the allocation was joined to
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH per_worker AS (SELECT as_of, staff_id, count(DISTINCT child_id) AS n FROM w_open GROUP BY as_of, staff_id),
loads AS (SELECT h.as_of, h.team_id, h.staff_id, h.role, h.fte, coalesce(max(w.n), 0) AS children
          FROM w_sp h LEFT JOIN per_worker w ON w.as_of = h.as_of AND w.staff_id = h.staff_id
          WHERE h.case_holding AND h.cfsw GROUP BY h.as_of, h.team_id, h.staff_id, h.role, h.fte)
SELECT as_of, 'workers_over_caseload', team_id,
       count(*) FILTER (WHERE children / fte > CASE WHEN role = 'asye' THEN 20 * 0.9 ELSE 20 END),
       count(*), NULL
FROM loads GROUP BY as_of, team_id;
\echo @@ pa_caseload_per_fte
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH pas AS (SELECT * FROM w_sp WHERE role = 'personal_adviser'),
held AS (SELECT DISTINCT p.as_of, p.team_id, c.child_id, c.latest_contact_date FROM pas p
         JOIN care_leavers c ON c.pa_staff_id = p.staff_id
         WHERE c.eligibility IN ('eligible', 'relevant', 'former_relevant') AND c.in_touch IS DISTINCT FROM 'died')
SELECT p.as_of, 'pa_caseload_per_fte', p.team_id, (SELECT count(*) FROM held h WHERE h.as_of = p.as_of AND h.team_id = p.team_id),
       sum(p.fte), NULL
FROM pas p GROUP BY p.as_of, p.team_id;
\echo @@ agency_rate
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
SELECT as_of, 'agency_rate', team_id, coalesce(sum(fte) FILTER (WHERE employment = 'agency'), 0),
       coalesce(sum(fte) FILTER (WHERE employment = 'agency' OR employed), 0), NULL
FROM w_sp WHERE cfsw GROUP BY as_of, team_id;
\echo @@ vacancy_rate
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH funded AS (SELECT DISTINCT ON (d.as_of, e.team_id, e.role) d.as_of, e.team_id, e.role, e.funded_fte
                FROM w_dates d JOIN establishment e ON e.effective_from <= d.as_of
                WHERE e.role NOT IN ('personal_adviser', 'family_support', 'other')
                ORDER BY d.as_of, e.team_id, e.role, e.effective_from DESC),
filled AS (SELECT as_of, team_id, role, sum(fte) AS fte FROM w_sp WHERE cfsw AND employed GROUP BY as_of, team_id, role),
vacant AS (SELECT f.as_of, f.team_id, sum(greatest(0, f.funded_fte - coalesce(e.fte, 0))) AS fte
           FROM funded f LEFT JOIN filled e USING (as_of, team_id, role) GROUP BY f.as_of, f.team_id),
employed_fte AS (SELECT as_of, team_id, sum(fte) AS fte FROM filled GROUP BY as_of, team_id)
SELECT coalesce(v.as_of, e.as_of), 'vacancy_rate', coalesce(v.team_id, e.team_id), coalesce(v.fte, 0), coalesce(v.fte, 0) + coalesce(e.fte, 0), NULL
FROM vacant v FULL JOIN employed_fte e ON e.as_of = v.as_of AND e.team_id = v.team_id;
\echo @@ turnover_rate
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH leavers AS (SELECT d.as_of, s.team_id, sum(s.fte) AS fte FROM w_dates d
                 JOIN staff_spells s ON s.end_date > (d.as_of - interval '1 year')::date AND s.end_date <= d.as_of
                 WHERE s.employment IN ('permanent', 'fixed_term') AND s.role NOT IN ('personal_adviser', 'family_support', 'other')
                   AND s.leaving_reason IS DISTINCT FROM 'internal_move'
                 GROUP BY d.as_of, s.team_id),
in_post AS (SELECT as_of, team_id, sum(fte) AS fte FROM w_sp WHERE cfsw AND employed GROUP BY as_of, team_id)
SELECT coalesce(p.as_of, l.as_of), 'turnover_rate', coalesce(p.team_id, l.team_id), coalesce(l.fte, 0), coalesce(p.fte, 0), NULL
FROM in_post p FULL JOIN leavers l ON l.as_of = p.as_of AND l.team_id = p.team_id;
\echo @@ worker_changes
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH open_children AS (SELECT DISTINCT as_of, child_id, team_id FROM w_open WHERE case_type IN ('cla', 'cp', 'cin')),
pairs AS (SELECT DISTINCT o.as_of, o.child_id, a.staff_id
          FROM (SELECT DISTINCT as_of, child_id FROM open_children) o
          JOIN allocations a ON a.child_id = o.child_id AND a.start_date <= o.as_of
                            AND (a.end_date IS NULL OR a.end_date > (o.as_of - interval '1 year')::date)
          WHERE a.start_date <= (SELECT max(as_of) FROM w_dates)
            AND (a.end_date IS NULL OR a.end_date > (SELECT (min(as_of) - interval '1 year')::date FROM w_dates))),
workers AS (SELECT as_of, child_id, count(*) AS n FROM pairs GROUP BY as_of, child_id)
SELECT o.as_of, 'worker_changes', o.team_id, count(*) FILTER (WHERE w.n >= 3), count(*), NULL
FROM open_children o JOIN workers w USING (as_of, child_id) GROUP BY o.as_of, o.team_id;
\echo @@ allocation_wait
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
-- teams with a referral by the date: an index probe per team, not a scan of all referrals
WITH queue AS (SELECT d.as_of, t.team_id FROM w_dates d CROSS JOIN teams t
               WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.team_id = t.team_id AND r.referral_date <= d.as_of)),
waiting AS (SELECT d.as_of, r.team_id, r.referral_date FROM w_dates d
            JOIN referrals r ON r.referral_date <= d.as_of AND (r.allocated_date IS NULL OR r.allocated_date > d.as_of)),
calendar AS (SELECT g.day::date AS day,
                    count(*) FILTER (WHERE extract(isodow FROM g.day) < 6 AND b.day IS NULL) OVER (ORDER BY g.day) AS working_days
             FROM generate_series((SELECT coalesce(min(referral_date), current_date) FROM waiting),
                                  (SELECT max(as_of) FROM w_dates), interval '1 day') g(day)
             LEFT JOIN bank_holidays b ON b.day = g.day::date),
waits AS (SELECT w.as_of, w.team_id, ca.working_days - cr.working_days AS wait FROM waiting w
          JOIN calendar ca ON ca.day = w.as_of JOIN calendar cr ON cr.day = w.referral_date)
SELECT q.as_of, 'allocation_wait', q.team_id, count(w.wait) FILTER (WHERE w.wait > 5), count(w.wait), max(w.wait)
FROM queue q LEFT JOIN waits w ON w.as_of = q.as_of AND w.team_id = q.team_id
GROUP BY q.as_of, q.team_id;
\echo @@ w_tenure
-- tenure once for both supervision and induction
CREATE TEMP TABLE w_tenure ON COMMIT DROP AS
SELECT sp.as_of, sp.team_id, sp.staff_id, sp.case_holding,
       (SELECT max(s.start_date) FROM staff_spells s WHERE s.staff_id = sp.staff_id AND s.start_date <= sp.as_of
          AND NOT EXISTS (SELECT 1 FROM staff_spells p WHERE p.staff_id = s.staff_id AND p.start_date < s.start_date
                          AND (p.end_date IS NULL OR p.end_date >= s.start_date - 1))) AS run_start
FROM w_sp sp;
\echo @@ supervision_overdue
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH cadence AS (SELECT t.as_of, t.team_id, t.staff_id, t.as_of - t.run_start AS tenure_days,
                        CASE WHEN t.as_of - t.run_start < 42 THEN 7
                             WHEN t.as_of < (t.run_start + interval '6 months')::date THEN 14 ELSE 31 END AS interval_days,
                        (SELECT max(v.supervision_date) FROM supervision v
                         WHERE v.staff_id = t.staff_id AND v.supervision_date <= t.as_of) AS last_supervision
                 FROM w_tenure t WHERE t.case_holding)
SELECT as_of, 'supervision_overdue', team_id,
       count(*) FILTER (WHERE CASE WHEN last_supervision IS NULL THEN tenure_days > interval_days
                                   ELSE as_of - last_supervision > interval_days END), count(*), NULL
FROM cadence GROUP BY as_of, team_id;
\echo @@ induction_incomplete
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
SELECT t.as_of, 'induction_incomplete', t.team_id,
       count(*) FILTER (WHERE (SELECT count(DISTINCT c.course) FROM training c WHERE c.staff_id = t.staff_id
                               AND c.course IN ('induction', 'practice_model') AND c.completed_date <= t.as_of) < 2),
       count(*), NULL
FROM w_tenure t WHERE t.as_of - t.run_start >= 90 GROUP BY t.as_of, t.team_id;
\echo @@ w_child_team
-- each child in care on each date with the team of the worker holding their open allocation, for both
-- assessment_out_of_date and pa_late
CREATE TEMP TABLE w_child_team ON COMMIT DROP AS
WITH in_care AS (SELECT d.as_of, c.child_id, min(c.date_of_birth) AS date_of_birth, max(c.latest_assessment_date) AS latest_assessment_date
                 FROM w_dates d JOIN children_in_care c ON c.period_start <= d.as_of AND (c.period_end IS NULL OR c.period_end >= d.as_of)
                 GROUP BY d.as_of, c.child_id),
allocated AS (SELECT as_of, child_id, min(team_id) AS team_id FROM w_open GROUP BY as_of, child_id)
SELECT ic.*, al.team_id FROM in_care ic LEFT JOIN allocated al ON al.as_of = ic.as_of AND al.child_id = ic.child_id;
\echo @@ assessment_out_of_date
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
SELECT as_of, 'assessment_out_of_date', team_id,
       count(*) FILTER (WHERE latest_assessment_date IS NULL OR latest_assessment_date <= (as_of - interval '1 year')::date
                           OR latest_assessment_date > as_of), count(*), NULL
FROM w_child_team GROUP BY as_of, team_id;
\echo @@ pa_late
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
SELECT as_of, 'pa_late', team_id,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM care_leavers l WHERE l.child_id = ct.child_id AND l.pa_staff_id IS NOT NULL)),
       count(*), NULL
FROM w_child_team ct WHERE ct.date_of_birth <= (ct.as_of - make_interval(years => 17))::date
GROUP BY as_of, team_id;
\echo @@ care_leaver_contact_overdue
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH held AS (SELECT DISTINCT p.as_of, p.team_id, c.child_id, c.latest_contact_date FROM w_sp p
              JOIN care_leavers c ON c.pa_staff_id = p.staff_id
              WHERE p.role = 'personal_adviser' AND c.eligibility IN ('eligible', 'relevant', 'former_relevant')
                AND c.in_touch IS DISTINCT FROM 'died')
SELECT as_of, 'care_leaver_contact_overdue', team_id,
       count(*) FILTER (WHERE latest_contact_date IS NULL OR as_of - latest_contact_date > 56), count(*), NULL
FROM held GROUP BY as_of, team_id;
\echo @@ ooh_cover_gap
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH needed AS (SELECT d.as_of, r.team_id, r.shift, r.required_staff, (d.as_of + g.n) AS day
                FROM w_dates d CROSS JOIN shift_requirements r CROSS JOIN generate_series(1, 28) g(n)),
covered AS (SELECT n.as_of, n.team_id, n.required_staff,
                   (SELECT count(DISTINCT s.staff_id) FROM shifts s WHERE s.team_id = n.team_id
                    AND s.shift = n.shift AND s.shift_date = n.day) AS staff
            FROM needed n)
SELECT as_of, 'ooh_cover_gap', team_id, count(*) FILTER (WHERE staff < required_staff), count(*), NULL
FROM covered GROUP BY as_of, team_id;
\echo @@ absence_rate
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
WITH lost AS (SELECT d.as_of, s.team_id,
                     sum(coalesce(a.working_days_lost,
                                  (SELECT count(*) FROM generate_series(a.start_date, a.end_date, interval '1 day') g(day)
                                   WHERE extract(isodow FROM g.day) < 6) * s.fte)) AS days
              FROM w_dates d
              JOIN absence a ON a.reason = 'sickness' AND a.start_date > (d.as_of - interval '1 year')::date AND a.start_date <= d.as_of
              JOIN staff_spells s ON s.staff_id = a.staff_id AND s.start_date <= a.start_date
                                 AND (s.end_date IS NULL OR s.end_date >= a.start_date)
              WHERE s.employment IN ('permanent', 'fixed_term') AND s.role NOT IN ('personal_adviser', 'family_support', 'other')
              GROUP BY d.as_of, s.team_id),
in_post AS (SELECT as_of, team_id, sum(fte) AS fte FROM w_sp WHERE cfsw AND employed GROUP BY as_of, team_id)
SELECT coalesce(p.as_of, l.as_of), 'absence_rate', coalesce(p.team_id, l.team_id), coalesce(l.days, 0), coalesce(p.fte, 0) * 253, NULL
FROM in_post p FULL JOIN lost l ON l.as_of = p.as_of AND l.team_id = p.team_id;
\echo @@ agency_noncompliant
INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator, detail)
SELECT a.as_of, 'agency_noncompliant', a.team_id,
       count(*) FILTER (WHERE a.qualified_date IS NULL OR a.qualified_date > (a.as_of - interval '3 years')::date
                           OR a.agency_hourly_rate > 50
                           OR EXISTS (SELECT 1 FROM staff_spells e WHERE e.staff_id = a.staff_id
                                      AND e.employment IN ('permanent', 'fixed_term') AND e.end_date < a.start_date
                                      AND e.end_date >= (a.start_date - interval '3 months')::date)),
       count(*), NULL
FROM w_sp a WHERE a.cfsw AND a.employment = 'agency' GROUP BY a.as_of, a.team_id;
