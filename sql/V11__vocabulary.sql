-- The workforce vocabulary: the domain's building blocks, defined once (docs/DOMAIN.md, "Precise rules").
-- Indicators, metrics, charts, the forecast, the backtest, benchmarks, team workers and the board pack select
-- from these instead of retyping the rules. The scalar functions are plain SQL expressions: PostgreSQL
-- inlines them into the query that calls them, so a predicate on a column still uses its index, and the
-- views are expanded in place, so neither costs anything at run time.
--
-- The roles themselves (their ids, labels and groups) are one Java type, org.workforcewatch.staffing.StaffRole;
-- a test checks that it and these functions agree on every role.

-- "Open on a day": a spell, allocation or period of care with start ≤ day ≤ end, a blank end being open. A
-- spell that starts or ends on the day counts.
CREATE FUNCTION open_on(start_date date, end_date date, day date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 <= $3 AND ($2 IS NULL OR $2 >= $3) $$;

-- "Open beyond a day": open on the day and not ended by it, so still open the day after (start ≤ day < end, a
-- blank end being open). The people a forecast starts from on a day, and those at risk of leaving after it.
CREATE FUNCTION open_beyond(start_date date, end_date date, day date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 <= $3 AND ($2 IS NULL OR $2 > $3) $$;

-- "Open at some time in (after, upto]": started on or before upto, and not ended by after. The rolling
-- twelve-month windows are (as_of − 1 year, as_of].
CREATE FUNCTION open_during(start_date date, end_date date, after date, upto date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 <= $4 AND ($2 IS NULL OR $2 > $3) $$;

-- Children and family social workers: every role except personal advisers, family support and other.
CREATE FUNCTION is_cfsw(role text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 NOT IN ('personal_adviser', 'family_support', 'other') $$;

CREATE FUNCTION is_personal_adviser(role text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 = 'personal_adviser' $$;

-- Newly qualified (assessed and supported year in employment): a reduced caseload and closer supervision.
CREATE FUNCTION is_asye(role text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 = 'asye' $$;

-- Employed: permanent or fixed term. Agency is not employed; 'unknown' (named by a case-management extract
-- before HR) is neither.
CREATE FUNCTION is_employed(employment text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 IN ('permanent', 'fixed_term') $$;

-- The caseload above which a worker is over the limit: max_caseload, or asye_share of it for an ASYE worker.
CREATE FUNCTION caseload_limit(role text, max_caseload numeric, asye_share numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 = 'asye' THEN $2 * $3 ELSE $2 END $$;

-- The supervision interval that applies on a day to a worker whose unbroken run of spells began on run_start
-- (LGA standard): weekly for the first 6 weeks, fortnightly until 6 calendar months, then every 31 days.
CREATE FUNCTION supervision_interval_days(run_start date, day date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $2 - $1 < 42 THEN 7 WHEN $2 < ($1 + interval '6 months')::date THEN 14 ELSE 31 END $$;

-- Agency cost per month at an hourly rate: rate × 37 hours × 52 weeks ÷ 12 months × FTE.
CREATE FUNCTION agency_monthly_cost(hourly_rate numeric, fte numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 * 37 * 52 / 12.0 * $2 $$;

-- Every staff spell with what the definitions ask of it.
CREATE VIEW staff_spells_v AS
SELECT s.staff_id, s.team_id, s.start_date, s.role, s.employment, s.fte, s.end_date, s.leaving_reason, s.case_holding,
       s.qualified_date, s.agency_name, s.agency_hourly_rate, s.import_id,
       is_cfsw(s.role) AS cfsw,
       is_employed(s.employment) AS employed,
       s.employment = 'agency' AS agency,
       is_personal_adviser(s.role) AS personal_adviser,
       s.case_holding AND is_cfsw(s.role) AS case_holding_cfsw
FROM staff_spells s;

-- The first day of each unbroken run of a person's spells: a spell that starts the day after (or before)
-- another of theirs ended continues the run, whatever the team or employment. Tenure on a day runs from the
-- latest run start on or before it. A spell starts a run when none of the person's spells was open the day before.
CREATE VIEW staff_run_starts AS
SELECT s.staff_id, s.start_date
FROM staff_spells s
WHERE NOT EXISTS (SELECT 1 FROM staff_spells p
                  WHERE p.staff_id = s.staff_id AND open_on(p.start_date, p.end_date, s.start_date - 1));

-- The leavers: employed spells that ended other than by an internal move (leaving an employed post for agency
-- work is leaving), with the day they left.
CREATE VIEW staff_leavers AS
SELECT s.*
FROM staff_spells_v s
WHERE s.end_date IS NOT NULL AND s.employed AND s.leaving_reason IS DISTINCT FROM 'internal_move';

-- A supervision is overdue on a day when the days since the latest one are above the interval that applies,
-- or, with none yet, when the run of spells is longer than the interval.
CREATE FUNCTION supervision_overdue(run_start date, last_supervision date, day date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $2 IS NULL THEN $3 - $1 > supervision_interval_days($1, $3)
                      ELSE $3 - $2 > supervision_interval_days($1, $3) END $$;

-- A care leaver a personal adviser holds: eligible, relevant or former relevant, and not died.
CREATE FUNCTION in_pa_caseload(eligibility text, in_touch text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 IN ('eligible', 'relevant', 'former_relevant') AND $2 IS DISTINCT FROM 'died' $$;

-- A referral waiting for allocation on a day: received on or before it, and not allocated by it.
CREATE FUNCTION waiting_on(referral_date date, allocated_date date, day date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT $1 <= $3 AND ($2 IS NULL OR $2 > $3) $$;
