-- National-scale synthetic data, written straight into the service's tables (bench/indicators, bench/scrape).
-- psql variables: as_of, authorities, chains, referrals, leavers_employed, leavers_agency, leavers_other, care_leavers.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;
CREATE SCHEMA bench;
-- a deterministic number in [0, 1) for (row, salt); and a whole number of days, exponential with mean m
CREATE FUNCTION bench.r(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8extended(i, salt) & 2147483647)::float8 / 2147483648.0 $$;
CREATE FUNCTION bench.expo(i bigint, salt int, m float8) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT floor(-m * ln(1 - bench.r(i, salt)))::int $$;
-- the length in days of allocation j of chain c
CREATE FUNCTION bench.dur(c bigint, j int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 1 + bench.expo(c * 8 + j, 23, 160) $$;
CREATE FUNCTION bench.pick(x float8, items text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT items[1 + floor(x * cardinality(items))::int] $$;

-- ten teams per authority, in five services
CREATE TABLE bench.slots (slot int, team_type text, service text, staff int);
INSERT INTO bench.slots VALUES
    (1, 'assessment', 'Front door and assessment', 26), (2, 'assessment', 'Front door and assessment', 26),
    (3, 'safeguarding', 'Safeguarding', 33), (4, 'safeguarding', 'Safeguarding', 33), (5, 'safeguarding', 'Safeguarding', 33),
    (6, 'children_in_care', 'Children in care and care leavers', 31),
    (7, 'children_in_care', 'Children in care and care leavers', 31),
    (8, 'care_leavers', 'Children in care and care leavers', 14),
    (9, 'disabled_children', 'Disabled children', 23), (10, 'out_of_hours', 'Out of hours', 10);
INSERT INTO teams (team_id, team_name, service, team_type)
SELECT 'T' || lpad(((a - 1) * 10 + s.slot)::text, 5, '0'), format('LA%s team %s (%s)', lpad(a::text, 3, '0'), s.slot, s.team_type),
       format('LA%s %s', lpad(a::text, 3, '0'), s.service), s.team_type
FROM generate_series(1, :authorities) a CROSS JOIN bench.slots s;

-- staff in post on as_of: one person each
CREATE TABLE bench.cur AS
WITH base AS (SELECT row_number() OVER (ORDER BY a, s.slot, k) AS pid, a, s.slot, (a - 1) * 10 + s.slot AS team_no, s.team_type, k
              FROM generate_series(1, :authorities) a CROSS JOIN bench.slots s CROSS JOIN LATERAL generate_series(1, s.staff) k),
roled AS (SELECT b.*, CASE
              WHEN k = 1 THEN 'team_manager'
              WHEN team_type = 'care_leavers' THEN CASE WHEN k = 2 THEN 'social_worker' ELSE 'personal_adviser' END
              WHEN team_type = 'out_of_hours' THEN CASE WHEN bench.r(pid, 2) < 0.3 THEN 'senior_practitioner' ELSE 'social_worker' END
              WHEN k = 2 THEN 'advanced_practitioner'
              WHEN bench.r(pid, 2) < 0.15 THEN 'senior_practitioner'
              WHEN bench.r(pid, 2) < 0.25 THEN 'asye'
              WHEN bench.r(pid, 2) < 0.30 THEN 'family_support'
              WHEN bench.r(pid, 2) < 0.31 THEN 'other'
              ELSE 'social_worker' END AS role
          FROM base b),
employed AS (SELECT r.*, CASE
              WHEN role = 'asye' THEN CASE WHEN bench.r(pid, 3) < 0.15 THEN 'fixed_term' ELSE 'permanent' END
              WHEN role IN ('personal_adviser', 'family_support', 'other')
                  THEN CASE WHEN bench.r(pid, 3) < 0.04 THEN 'agency' WHEN bench.r(pid, 3) < 0.09 THEN 'fixed_term' ELSE 'permanent' END
              WHEN role = 'team_manager'
                  THEN CASE WHEN bench.r(pid, 3) < 0.10 THEN 'agency' WHEN bench.r(pid, 3) < 0.13 THEN 'fixed_term' ELSE 'permanent' END
              ELSE CASE WHEN bench.r(pid, 3) < 0.17 THEN 'agency' WHEN bench.r(pid, 3) < 0.22 THEN 'fixed_term' ELSE 'permanent' END
              END AS employment
          FROM roled r)
SELECT e.*, 'S' || lpad(pid::text, 7, '0') AS staff_id, 'T' || lpad(team_no::text, 5, '0') AS team_id,
       role NOT IN ('personal_adviser', 'family_support', 'other') AS cfsw,
       CASE WHEN bench.r(pid, 4) < 0.05 THEN 0.5 WHEN bench.r(pid, 4) < 0.10 THEN 0.6 WHEN bench.r(pid, 4) < 0.15 THEN 0.8
            WHEN bench.r(pid, 4) < 0.20 THEN 0.9 ELSE 1.0 END AS fte,
       CASE WHEN employment = 'agency' THEN :'as_of'::date - least(1800, bench.expo(pid, 5, 330))
            WHEN role = 'asye' THEN :'as_of'::date - floor(bench.r(pid, 5) * 365)::int
            ELSE :'as_of'::date - least(11000, bench.expo(pid, 5, 2000)) END AS start_date,
       role IN ('social_worker', 'senior_practitioner', 'advanced_practitioner', 'asye', 'personal_adviser')
           AND team_type <> 'out_of_hours'   -- and some practitioners hold no cases (reviewing, quality assurance)
           AND NOT (role IN ('social_worker', 'senior_practitioner', 'advanced_practitioner') AND bench.r(pid, 99) < 0.15) AS case_holding
FROM employed e;

INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, case_holding, qualified_date, agency_name, agency_hourly_rate)
SELECT staff_id, team_id, start_date, role, employment, fte, case_holding,
       CASE WHEN NOT cfsw THEN NULL
            WHEN role = 'asye' THEN start_date - 30 - floor(bench.r(pid, 7) * 60)::int
            WHEN employment = 'agency' AND bench.r(pid, 6) < 0.04 THEN :'as_of'::date - floor(bench.r(pid, 7) * 1000)::int
            WHEN employment = 'agency' THEN least(start_date, :'as_of'::date - 1100) - floor(bench.r(pid, 7) * 6000)::int
            ELSE start_date - 200 - floor(bench.r(pid, 7) * 3650)::int END,
       CASE WHEN employment = 'agency' THEN 'Agency ' || (1 + floor(bench.r(pid, 8) * 40)) END,
       CASE WHEN employment = 'agency' THEN round((34 + bench.r(pid, 9) * 18)::numeric, 2) END
FROM bench.cur;

-- internal moves: a tenth of those who started in the last 5 years came from another team the day before
INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, end_date, leaving_reason, case_holding, qualified_date)
SELECT c.staff_id, 'T' || lpad(((c.a - 1) * 10 + (c.slot + 2) % 10 + 1)::text, 5, '0'),
       c.start_date - 60 - bench.expo(c.pid, 10, 900), c.role, c.employment, c.fte, c.start_date - 1, 'internal_move', c.case_holding, s.qualified_date
FROM bench.cur c JOIN staff_spells s ON s.staff_id = c.staff_id
WHERE c.employment <> 'agency' AND c.role <> 'asye' AND c.start_date > :'as_of'::date - 1826 AND bench.r(c.pid, 11) < 0.10;
-- a twentieth of agency social workers left an employed post in the same team shortly before
INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, end_date, leaving_reason, case_holding, qualified_date)
SELECT c.staff_id, c.team_id, c.start_date - 400 - bench.expo(c.pid, 10, 900), c.role, 'permanent', c.fte,
       c.start_date - 1 - floor(bench.r(c.pid, 12) * 85)::int, 'resigned', c.case_holding, s.qualified_date
FROM bench.cur c JOIN staff_spells s ON s.staff_id = c.staff_id
WHERE c.employment = 'agency' AND c.cfsw AND bench.r(c.pid, 11) < 0.05;

-- leavers over 5 years, each a different person: employed and agency social workers, and others
CREATE TABLE bench.leavers AS
WITH g AS (SELECT k, (SELECT max(pid) FROM bench.cur) + k AS pid,
                  CASE WHEN k <= :leavers_employed THEN 'employed' WHEN k <= :leavers_employed + :leavers_agency THEN 'agency'
                       ELSE 'other' END AS kind
           FROM generate_series(1, :leavers_employed + :leavers_agency + :leavers_other) k),
placed AS (SELECT g.*, 1 + floor(bench.r(pid, 13) * :authorities)::int AS a,
                  CASE WHEN kind = 'other' THEN (ARRAY[8, 8, 3, 9])[1 + floor(bench.r(pid, 14) * 4)::int]
                       ELSE (ARRAY[1, 2, 3, 4, 5, 6, 7, 9, 10])[1 + floor(bench.r(pid, 14) * 9)::int] END AS slot,
                  :'as_of'::date - floor(bench.r(pid, 15) * 1826)::int AS end_date
           FROM g)
SELECT p.*, 'S' || lpad(pid::text, 7, '0') AS staff_id, 'T' || lpad(((a - 1) * 10 + slot)::text, 5, '0') AS team_id,
       CASE WHEN kind = 'other' THEN CASE slot WHEN 8 THEN 'personal_adviser' ELSE 'family_support' END
            WHEN bench.r(pid, 16) < 0.05 THEN 'team_manager' WHEN bench.r(pid, 16) < 0.22 THEN 'senior_practitioner'
            WHEN bench.r(pid, 16) < 0.32 AND kind = 'employed' THEN 'asye' ELSE 'social_worker' END AS role,
       CASE WHEN kind = 'agency' THEN 'agency' WHEN bench.r(pid, 17) < 0.15 THEN 'fixed_term' ELSE 'permanent' END AS employment,
       CASE WHEN bench.r(pid, 4) < 0.05 THEN 0.5 WHEN bench.r(pid, 4) < 0.10 THEN 0.6 WHEN bench.r(pid, 4) < 0.15 THEN 0.8
            WHEN bench.r(pid, 4) < 0.20 THEN 0.9 ELSE 1.0 END AS fte,
       end_date - 30 - bench.expo(pid, 18, CASE kind WHEN 'agency' THEN 300 ELSE 1400 END) AS start_date,
       CASE WHEN kind = 'agency' THEN 'end_of_contract'
            ELSE bench.pick(bench.r(pid, 19), ARRAY['resigned', 'resigned', 'resigned', 'resigned', 'resigned', 'resigned',
                 'retired', 'end_of_contract', 'end_of_contract', 'dismissed', 'other']) END AS leaving_reason
FROM placed p;
INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, end_date, leaving_reason, case_holding, qualified_date,
                          agency_name, agency_hourly_rate)
SELECT staff_id, team_id, start_date, role, employment, fte, end_date, leaving_reason, role <> 'team_manager' AND role <> 'family_support',
       CASE WHEN role NOT IN ('personal_adviser', 'family_support') THEN start_date - 100 - floor(bench.r(pid, 7) * 4000)::int END,
       CASE WHEN employment = 'agency' THEN 'Agency ' || (1 + floor(bench.r(pid, 8) * 40)) END,
       CASE WHEN employment = 'agency' THEN round((34 + bench.r(pid, 9) * 18)::numeric, 2) END
FROM bench.leavers;

-- funded posts per team and role, every 1 April for 6 years; the latest ~20% above who is in post
CREATE TABLE bench.roles_in_post AS
SELECT team_id, role, sum(fte) AS fte, min(pid) AS pid FROM bench.cur GROUP BY team_id, role;
INSERT INTO establishment (team_id, role, effective_from, funded_fte)
SELECT r.team_id, r.role, make_date(y, 4, 1),
       CASE WHEN y = max(y) OVER () AND bench.r(r.pid * 10 + y, 20) < 0.03 THEN 0
            ELSE round((r.fte * (CASE WHEN y = max(y) OVER () THEN 1.02 ELSE 0.95 END + bench.r(r.pid * 10 + y, 21) * 0.12))::numeric, 1) END
FROM bench.roles_in_post r
CROSS JOIN generate_series(extract(year FROM :'as_of'::date - 90)::int - 5, extract(year FROM :'as_of'::date - 90)::int) y;

-- allocations: chains of 1..6 consecutive allocations of one child, each with another worker; chains
-- start over 5 years and the 600 days before, and only allocations overlapping the 5 years are kept.
-- An allocation not ended by as_of is open (no end date) and held by a case-holding social worker in
-- post (chosen in proportion to FTE, less for ASYE and advanced practitioners); a closed one by any
-- case-holding social worker, in post or gone.
CREATE TABLE bench.open_slots AS
SELECT (row_number() OVER (ORDER BY s.staff_id, g) - 1)::int AS slot, s.staff_id
FROM staff_spells s CROSS JOIN LATERAL generate_series(1, round(s.fte * CASE s.role WHEN 'asye' THEN 8 WHEN 'advanced_practitioner' THEN 5 ELSE 10 END)::int) g
WHERE s.end_date IS NULL AND s.case_holding AND s.role NOT IN ('personal_adviser', 'family_support', 'other');
CREATE TABLE bench.any_slots AS
SELECT (row_number() OVER (ORDER BY staff_id) - 1)::int AS slot, staff_id
FROM (SELECT DISTINCT staff_id FROM staff_spells WHERE case_holding AND role NOT IN ('personal_adviser', 'family_support', 'other')) s;
ANALYZE bench.open_slots, bench.any_slots;

INSERT INTO allocations (allocation_id, child_id, staff_id, case_type, start_date, end_date, change_reason)
WITH chains AS (SELECT c, 1 + floor(bench.r(c, 20) * 6)::int AS len,
                       :'as_of'::date - 2426 + floor(bench.r(c, 21) * 2426)::int AS first_day,
                       bench.pick(bench.r(c, 22), ARRAY['assessment', 'assessment', 'cin', 'cin', 'cin', 'cin', 'cin', 'cin',
                           'cp', 'cp', 'cp', 'cla', 'cla', 'cla', 'cla', 'care_leaver', 'early_help', 'early_help', 'other', 'other']) AS chain_type
                FROM generate_series(1, :chains) c),
allocs AS (SELECT c, k, len, chain_type,
                  first_day + (CASE WHEN k > 1 THEN bench.dur(c, 1) ELSE 0 END) + (CASE WHEN k > 2 THEN bench.dur(c, 2) ELSE 0 END)
                            + (CASE WHEN k > 3 THEN bench.dur(c, 3) ELSE 0 END) + (CASE WHEN k > 4 THEN bench.dur(c, 4) ELSE 0 END)
                            + (CASE WHEN k > 5 THEN bench.dur(c, 5) ELSE 0 END) AS start_date
           FROM chains CROSS JOIN LATERAL generate_series(1, len) k),
kept AS (SELECT a.*, a.start_date + bench.dur(c, k) - 1 AS last_day FROM allocs a
         WHERE a.start_date <= :'as_of'::date AND a.start_date + bench.dur(c, k) - 1 >= :'as_of'::date - 1826),
placed AS (SELECT k2.*, last_day > :'as_of'::date AS open,
                  floor(bench.r(c * 8 + k, 24) * (SELECT count(*) FROM bench.open_slots))::int AS open_slot,
                  floor(bench.r(c * 8 + k, 24) * (SELECT count(*) FROM bench.any_slots))::int AS any_slot
           FROM kept k2)
SELECT 'A' || lpad(p.c::text, 8, '0') || '-' || p.k, 'C' || lpad(p.c::text, 8, '0'), coalesce(o.staff_id, y.staff_id),
       CASE WHEN p.k = 1 AND p.chain_type IN ('cin', 'cp') AND bench.r(p.c, 25) < 0.6 THEN 'assessment' ELSE p.chain_type END,
       p.start_date, CASE WHEN p.open THEN NULL ELSE p.last_day END,
       CASE WHEN p.k < p.len AND bench.r(p.c * 8 + p.k, 26) < 0.4
            THEN bench.pick(bench.r(p.c * 8 + p.k, 27), ARRAY['MANAGE', 'LEFTRL', 'LEFTRL', 'TSPROC', 'ORGRST', 'ABSENC', 'OTHERS']) END
FROM placed p
LEFT JOIN bench.open_slots o ON p.open AND o.slot = p.open_slot
LEFT JOIN bench.any_slots y ON NOT p.open AND y.slot = p.any_slot;

-- children in care: the children of 'cla' chains, in care from the chain's first to its last day; some
-- whose last allocation ended in the last 90 days are still in care with no allocated worker
INSERT INTO children_in_care (child_id, period_start, date_of_birth, period_end, latest_assessment_date)
WITH periods AS (SELECT child_id, min(start_date) AS period_start,
                        CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END AS period_end,
                        substr(child_id, 2)::bigint AS c
                 FROM allocations WHERE case_type = 'cla' GROUP BY child_id)
SELECT child_id, period_start,
       greatest(:'as_of'::date - 6570, period_start - floor(bench.r(c, 30) * 5800)::int),
       CASE WHEN period_end > :'as_of'::date - 90 AND bench.r(c, 31) < 0.5 THEN NULL ELSE period_end END,
       CASE WHEN bench.r(c, 32) < 0.03 THEN NULL
            WHEN bench.r(c, 32) < 0.08 THEN coalesce(period_end, :'as_of'::date) - 400 - floor(bench.r(c, 33) * 300)::int
            ELSE coalesce(period_end, :'as_of'::date) - floor(bench.r(c, 33) * 330)::int END
FROM periods;

-- care leavers: young people who left care (18-21), and 75% of those in care aged 16+ (eligible) with a PA
CREATE TABLE bench.pas AS
SELECT (row_number() OVER (ORDER BY staff_id) - 1)::int AS slot, staff_id FROM bench.cur WHERE role = 'personal_adviser';
INSERT INTO care_leavers (child_id, date_of_birth, eligibility, pa_staff_id, pa_allocated_date, in_touch, latest_contact_date, pathway_plan_review_date)
SELECT 'L' || lpad(k::text, 7, '0'), :'as_of'::date - 6575 - floor(bench.r(k, 40) * 1460)::int,
       bench.pick(bench.r(k, 41), ARRAY['former_relevant', 'former_relevant', 'former_relevant', 'former_relevant', 'former_relevant',
           'former_relevant', 'former_relevant', 'former_relevant', 'former_relevant', 'former_relevant', 'former_relevant',
           'former_relevant', 'former_relevant', 'former_relevant', 'former_relevant', 'former_relevant', 'relevant', 'relevant',
           'qualifying', 'none']),
       CASE WHEN bench.r(k, 42) < 0.95 THEN p.staff_id END, :'as_of'::date - 200 - floor(bench.r(k, 43) * 1200)::int,
       CASE WHEN bench.r(k, 44) < 0.002 THEN 'died'
            ELSE bench.pick(bench.r(k, 45), ARRAY['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes',
                'yes', 'yes', 'yes', 'yes', 'yes', 'no', 'refused', 'not_required']) END,
       CASE WHEN bench.r(k, 46) < 0.02 THEN NULL ELSE :'as_of'::date - bench.expo(k, 47, 28) END,
       :'as_of'::date - floor(bench.r(k, 48) * 200)::int
FROM generate_series(1, :care_leavers) k
JOIN bench.pas p ON p.slot = floor(bench.r(k, 49) * (SELECT count(*) FROM bench.pas))::int;
INSERT INTO care_leavers (child_id, date_of_birth, eligibility, pa_staff_id, pa_allocated_date, in_touch, latest_contact_date)
SELECT c.child_id, c.date_of_birth, 'eligible', p.staff_id, :'as_of'::date - floor(bench.r(n, 50) * 300)::int, 'yes',
       :'as_of'::date - bench.expo(n, 51, 20)
FROM (SELECT child_id, date_of_birth, substr(child_id, 2)::bigint AS n FROM children_in_care
      WHERE period_end IS NULL AND date_of_birth <= :'as_of'::date - 5844) c
JOIN bench.pas p ON p.slot = floor(bench.r(c.n, 52) * (SELECT count(*) FROM bench.pas))::int
WHERE bench.r(c.n, 53) < 0.75;

-- referrals to the assessment teams over 5 years; most allocated within days, the latest still waiting
INSERT INTO referrals (referral_id, child_id, team_id, referral_date, allocated_date)
SELECT 'R' || lpad(k::text, 8, '0'), 'C' || lpad((1 + floor(bench.r(k, 60) * :chains))::text, 8, '0'),
       'T' || lpad(((floor(bench.r(k, 61) * :authorities)::int) * 10 + 1 + floor(bench.r(k, 62) * 2)::int)::text, 5, '0'),
       d, CASE WHEN d + w > :'as_of'::date THEN NULL ELSE d + w END
FROM (SELECT k, :'as_of'::date - floor(bench.r(k, 63) * 1826)::int AS d,
             CASE WHEN bench.r(k, 64) < 0.9 THEN bench.expo(k, 65, 3) ELSE 5 + bench.expo(k, 65, 15) END AS w
      FROM generate_series(1, :referrals) k) r;

-- supervision of everyone case-holding in post, at their cadence; about one in eight is overdue
INSERT INTO supervision (staff_id, supervision_date, kind)
SELECT c.staff_id, d, bench.pick(bench.r(c.pid * 100 + g.i, 70), ARRAY['formal', 'formal', 'formal', 'formal', 'formal', 'formal', 'formal',
           'formal', 'reflective', 'group'])
FROM (SELECT cur.*, CASE WHEN :'as_of'::date - start_date < 42 THEN 7 WHEN :'as_of'::date - start_date < 183 THEN 14
                         ELSE 21 + floor(bench.r(pid, 71) * 10)::int END AS step,
             CASE WHEN bench.r(pid, 72) < 0.88 THEN floor(bench.r(pid, 73) * 10)::int ELSE 32 + floor(bench.r(pid, 73) * 60)::int END AS last_ago
      FROM bench.cur WHERE case_holding) c
CROSS JOIN LATERAL generate_series(0, 1826 / c.step) g(i)
CROSS JOIN LATERAL (SELECT :'as_of'::date - c.last_ago - g.i * c.step - floor(bench.r(c.pid * 100 + g.i, 74) * 3)::int AS d) x
WHERE x.d >= c.start_date;

-- training: induction and practice model (most completed), and two other courses
INSERT INTO training (staff_id, course, due_date, completed_date)
SELECT p.staff_id, t.course, p.first_start + t.due,
       CASE WHEN bench.r(p.n * 4 + t.i, 80) < t.share AND p.first_start + t.due - 20 + floor(bench.r(p.n * 4 + t.i, 81) * 60)::int <= :'as_of'::date
            THEN p.first_start + t.due - 20 + floor(bench.r(p.n * 4 + t.i, 81) * 60)::int END
FROM (SELECT staff_id, min(start_date) AS first_start, substr(staff_id, 2)::bigint AS n FROM staff_spells GROUP BY staff_id) p
CROSS JOIN (VALUES (1, 'induction', 30, 0.95), (2, 'practice_model', 120, 0.92), (3, 'safeguarding_refresher', 365, 0.8),
                   (4, 'court_skills', 200, 0.4)) t(i, course, due, share)
WHERE t.i <= 2 OR bench.r(p.n * 4 + t.i, 82) < t.share;

-- absence of employed staff in post: about three episodes a year (over up to 5 years), most short
INSERT INTO absence (staff_id, start_date, end_date, reason, working_days_lost)
SELECT staff_id, s, s + len - 1, CASE WHEN bench.r(id, 93) < 0.8 THEN 'sickness' ELSE 'other' END,
       CASE WHEN bench.r(id, 94) < 0.7 THEN round((greatest(1, len * 5 / 7.0) * fte)::numeric, 1) END
FROM (SELECT c.staff_id, c.fte, c.pid * 32 + e AS id,
             :'as_of'::date - floor(bench.r(c.pid * 32 + e, 91) * least(1826, :'as_of'::date - c.start_date))::int AS s,
             CASE WHEN bench.r(c.pid * 32 + e, 92) < 0.7 THEN 1 + floor(bench.r(c.pid * 32 + e, 95) * 3)::int
                  WHEN bench.r(c.pid * 32 + e, 92) < 0.95 THEN 4 + floor(bench.r(c.pid * 32 + e, 95) * 17)::int
                  ELSE 21 + floor(bench.r(c.pid * 32 + e, 95) * 40)::int END AS len
      FROM bench.cur c CROSS JOIN LATERAL generate_series(1, floor(bench.r(c.pid, 90) * 6 * least(1826, :'as_of'::date - c.start_date) / 365.25)::int) e
      WHERE c.employment <> 'agency' AND c.start_date < :'as_of'::date) x
ON CONFLICT DO NOTHING;

-- rota: the out-of-hours teams' evening, night and weekend shifts, the assessment teams' duty; a year
-- back and the 28 days ahead, with about 3% of shifts one short
INSERT INTO shift_requirements (team_id, shift, required_staff)
SELECT t.team_id, s.shift, s.required FROM teams t
JOIN (VALUES ('out_of_hours', 'evening', 2), ('out_of_hours', 'night', 2), ('out_of_hours', 'weekend_day', 3), ('assessment', 'duty', 2))
     s(team_type, shift, required) ON s.team_type = t.team_type;
INSERT INTO shifts (shift_date, team_id, shift, staff_id)
SELECT x.day, r.team_id, r.shift, c.staff_id
FROM shift_requirements r
JOIN (SELECT team_id, count(*) AS n FROM bench.cur GROUP BY team_id) z ON z.team_id = r.team_id
CROSS JOIN generate_series(:'as_of'::date - 365, :'as_of'::date + 28, interval '1 day') d
CROSS JOIN LATERAL (SELECT d::date AS day, hashint8extended((d::date - DATE '2000-01-01') * 16 + length(r.shift),
                                                            substr(r.team_id, 2)::bigint) AS h) x
CROSS JOIN LATERAL generate_series(0, r.required_staff - 1 - CASE WHEN (x.h & 1023) < 31 THEN 1 ELSE 0 END) j
JOIN bench.cur c ON c.team_id = r.team_id AND c.k = 1 + (((x.h >> 10) & 1023) + j * 7) % z.n;
