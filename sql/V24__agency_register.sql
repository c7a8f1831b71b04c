-- The agency register (dataset agency_assignments, docs/DATA-FORMATS.md) and the national rules for agency child and
-- family social workers (src/main/resources/reference/agency/agency-rules.md), each written once here: the register's
-- checks, the quarterly agency return and the indicator agency_noncompliant all select from these functions, so a
-- worker is non-compliant in one place and therefore the same everywhere.
--
-- A check answers 'pass', 'fail', 'not_known' (the data to judge it is missing: never a pass) or 'not_applicable'.

CREATE TABLE agency_assignments (
    staff_id          varchar(64)   NOT NULL,
    start_date        date          NOT NULL,
    role_category     text          NOT NULL CHECK (role_category IN ('social_worker', 'senior_social_worker',
                                                     'advanced_practitioner', 'team_manager', 'iro_cp_chair')),
    agency_name       text          NOT NULL,
    hourly_rate       numeric(9,2)  NOT NULL CHECK (hourly_rate > 0),
    planned_end_date  date,
    end_date          date,
    notice_given_date date,
    notice_weeks      numeric(5,1)  CHECK (notice_weeks >= 0),
    project_team      boolean       NOT NULL,
    project_team_name text,
    swe_number        varchar(12)   CHECK (swe_number ~ '^[A-Za-z]{2}[0-9]{10}$'),
    approved_by       text,
    approved_at       timestamptz,
    approval_reason   text,
    approved_rate     numeric(9,2)  CHECK (approved_rate > 0),
    import_id         bigint,
    PRIMARY KEY (staff_id, start_date),
    CHECK (end_date >= start_date),
    CHECK (planned_end_date >= start_date),
    CHECK (notice_given_date IS NULL OR notice_weeks IS NULL),
    CHECK (project_team = (project_team_name IS NOT NULL))
);

CREATE INDEX agency_assignments_agency ON agency_assignments (agency_name);

-- From when an assignment is judged: the rules came into force on 31 October 2024, with a transition to 1 October 2025
-- for arrangements that existed before. An assignment started before 31 October 2024 is judged from 1 October 2025,
-- any other from its start. On a day before it, every check of the assignment is 'not_applicable'.
CREATE FUNCTION agency_judged_from(assignment_start date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 < date '2024-10-31' THEN date '2025-10-01' ELSE $1 END $$;

-- Experience: at least 3 years after qualifying on the day the assignment is first judged (its start, or 1 October 2025
-- for one started before the rules). Exactly 3 years passes: the third anniversary of the qualified date; one qualified
-- on 29 February has no anniversary in a common year, and has 3 years on 1 March (not on 28 February).
CREATE FUNCTION agency_experience_check(qualified date, judged_from date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN 'not_known'
                      WHEN ($1 + interval '3 years')::date
                           + CASE WHEN to_char($1, 'MM-DD') = '02-29' AND to_char($1 + interval '3 years', 'MM-DD') <> '02-29'
                                  THEN 1 ELSE 0 END <= $2 THEN 'pass' ELSE 'fail' END $$;

-- The price cap in force on a day for a role category: of the configured caps of the council's region (a JSON array
-- of {"role_category", "hourly_rate", "from"}), the one with the latest "from" on or before the day; null when none.
CREATE FUNCTION agency_cap_in_force(caps jsonb, role_category text, day date) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (c->>'hourly_rate')::numeric FROM jsonb_array_elements(coalesce($1, '[]'::jsonb)) c
          WHERE c->>'role_category' = $2 AND (c->>'from')::date <= $3
          ORDER BY (c->>'from')::date DESC LIMIT 1 $$;

-- The cap a rate is judged against over the days [first, last] of an assignment: the lowest cap in force on one of
-- those days that the rate exceeds, else the cap in force on the last day. Caps change only on their "from" dates, so
-- the first day and each "from" date within the days are all the days to look at.
CREATE FUNCTION agency_cap_over(caps jsonb, role_category text, rate numeric, first date, last date) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(
              (SELECT min(agency_cap_in_force($1, $2, d.day)) FROM (
                   SELECT least($4, $5) AS day
                   UNION SELECT (c->>'from')::date FROM jsonb_array_elements(coalesce($1, '[]'::jsonb)) c
                         WHERE c->>'role_category' = $2 AND (c->>'from')::date > $4 AND (c->>'from')::date <= $5) d
               WHERE agency_cap_in_force($1, $2, d.day) < $3),
              agency_cap_in_force($1, $2, $5)) $$;

-- Price cap: the hourly rate at most the cap in force (a rate equal to the cap passes); no cap configured: not known.
CREATE FUNCTION agency_price_check(rate numeric, cap numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN 'not_known' WHEN $1 <= $2 THEN 'pass' ELSE 'fail' END $$;

-- Re-engagement: not taken on as agency within 3 months of leaving a permanent post. We know our own council's
-- leavers: left_permanent is the latest end of an employed spell of the worker's before the assignment's start.
-- Leaving exactly 3 months before the start is within the 3 months.
CREATE FUNCTION agency_reengagement_check(left_permanent date, assignment_start date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $2 IS NULL THEN 'not_known'
                      WHEN $1 IS NOT NULL AND $1 < $2 AND $1 >= ($2 - interval '3 months')::date THEN 'fail'
                      ELSE 'pass' END $$;

-- Notice: at least 4 weeks (28 days) between the notice and the end (the actual end, else the planned one), or a
-- notice of at least 4 weeks. An assignment with an end but no notice recorded: not known; no end and no notice yet:
-- not applicable.
CREATE FUNCTION agency_notice_check(notice_given date, notice_weeks numeric, end_date date, planned_end date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $2 IS NOT NULL THEN CASE WHEN $2 >= 4 THEN 'pass' ELSE 'fail' END
                      WHEN $1 IS NOT NULL THEN CASE WHEN coalesce($3, $4) IS NULL THEN 'not_known'
                                                    WHEN coalesce($3, $4) - $1 >= 28 THEN 'pass' ELSE 'fail' END
                      WHEN $3 IS NOT NULL THEN 'not_known'
                      ELSE 'not_applicable' END $$;

-- Breach approved: every breach of the price cap approved and recorded (who, when and why, all three), at a rate no
-- lower than the one charged: an approval does not outlive the rate it approved.
CREATE FUNCTION agency_breach_approval_check(price_check text, approved_by text, approved_at timestamptz, reason text,
                                             approved_rate numeric, rate numeric)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 = 'pass' THEN 'not_applicable'
                      WHEN $1 = 'not_known' THEN 'not_known'
                      WHEN $2 IS NOT NULL AND $3 IS NOT NULL AND $4 IS NOT NULL AND $6 <= $5 THEN 'pass' ELSE 'fail' END $$;

-- Non-compliant: a check of experience, re-engagement or notice fails, or a cap breach is not approved (an approved
-- breach is allowed). A check not known does not make a worker non-compliant, nor compliant.
CREATE FUNCTION agency_noncompliant(experience text, reengagement text, notice text, breach_approved text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 'fail' IN ($1, $2, $3, $4) $$;

-- Every check of one register row over the days [first, day] (a register on a day: first = day; the quarterly return:
-- the quarter's first day), with what they were judged on: the price cap fails if the rate exceeded the cap in force on
-- any of those days. Before the assignment is judged (agency_judged_from) every check is 'not_applicable'; re-engagement
-- concerns only assignments started under the rules.
CREATE FUNCTION agency_assignment_checks(a agency_assignments, first date, day date, caps jsonb)
    RETURNS TABLE (qualified_date date, left_permanent date, cap numeric, experience text, price_cap text,
                   reengagement text, notice text, breach_approved text, noncompliant boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    WITH facts AS (
        SELECT (SELECT max(s.qualified_date) FROM staff_spells s WHERE s.staff_id = a.staff_id) AS qualified_date,
               (SELECT max(e.end_date) FROM staff_spells_v e
                WHERE e.staff_id = a.staff_id AND e.employed AND e.end_date < a.start_date) AS left_permanent,
               agency_judged_from(a.start_date) AS judged_from),
    capped AS (
        SELECT f.*, day >= f.judged_from AS judged,
               agency_cap_over(caps, a.role_category, a.hourly_rate,
                               greatest(first, a.start_date, f.judged_from), day) AS cap
        FROM facts f),
    checked AS (
        SELECT c.qualified_date, c.left_permanent, c.cap,
               CASE WHEN c.judged THEN agency_experience_check(c.qualified_date, c.judged_from) ELSE 'not_applicable' END
                   AS experience,
               CASE WHEN c.judged THEN agency_price_check(a.hourly_rate, c.cap) ELSE 'not_applicable' END AS price_cap,
               CASE WHEN NOT c.judged THEN 'not_applicable'
                    WHEN c.judged_from <> a.start_date THEN 'not_applicable'
                    ELSE agency_reengagement_check(c.left_permanent, a.start_date) END AS reengagement,
               CASE WHEN c.judged THEN agency_notice_check(a.notice_given_date, a.notice_weeks, a.end_date, a.planned_end_date)
                    ELSE 'not_applicable' END AS notice
        FROM capped c),
    approved AS (
        SELECT k.*, CASE WHEN k.price_cap = 'not_applicable' THEN 'not_applicable'
                         ELSE agency_breach_approval_check(k.price_cap, a.approved_by, a.approved_at, a.approval_reason,
                                                           a.approved_rate, a.hourly_rate) END AS breach_approved
        FROM checked k)
    SELECT p.qualified_date, p.left_permanent, p.cap, p.experience, p.price_cap, p.reengagement, p.notice,
           p.breach_approved, agency_noncompliant(p.experience, p.reengagement, p.notice, p.breach_approved)
    FROM approved p
    $$;

-- Every check of one register row judged on one day (the price cap in force that day).
CREATE FUNCTION agency_assignment_checks(a agency_assignments, day date, caps jsonb)
    RETURNS TABLE (qualified_date date, left_permanent date, cap numeric, experience text, price_cap text,
                   reengagement text, notice text, breach_approved text, noncompliant boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT * FROM agency_assignment_checks(a, day, day, caps) $$;

-- The register on a day: every assignment open on it (started, and not ended before it), with its checks.
CREATE FUNCTION agency_register_on(day date, caps jsonb)
    RETURNS TABLE (staff_id varchar, start_date date, qualified_date date, left_permanent date, cap numeric,
                   experience text, price_cap text, reengagement text, notice text, breach_approved text,
                   noncompliant boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT a.staff_id, a.start_date, c.* FROM agency_assignments a CROSS JOIN LATERAL agency_assignment_checks(a, day, caps) c
    WHERE open_on(a.start_date, a.end_date, day)
    $$;

-- A change to the register moves the worker's figures from the assignment's start.
CALL watch_for_indicators('agency_assignments', $q$
    SELECT 'staff', staff_id, start_date FROM %1$s o
    UNION ALL SELECT 'staff', staff_id, start_date FROM %2$s n
$q$);
