-- Incremental indicators (docs/LIVE-INDICATORS.md). Every write to a table the indicators read records, in the
-- same transaction, what it touched: a team, a worker or a child, and the earliest date whose figures it can
-- move. The service then recomputes only those teams, and only from that date on, instead of every team and
-- every month. Because the record is written by triggers, every writer is covered alike (file imports, events,
-- SSD and census extracts, an administrator's psql), and a change is never lost: it commits with the data or
-- not at all, and stays recorded until a recompute that took it into account has committed.

CREATE TABLE indicator_changes (
    id          bigserial   PRIMARY KEY,
    -- the table written: a change from before a dataset's coverage starts moves its coverage
    dataset     text        NOT NULL,
    -- team: that team; staff: every team the worker is in post in on or after from_date; child: every team of a
    -- worker holding the child, and the figures of children with no team; all: everything; none: nothing to
    -- recompute, but what is shown with the figures changed (team names, benchmarks)
    kind        text        NOT NULL CHECK (kind IN ('team', 'staff', 'child', 'all', 'none')),
    key         varchar(64),
    from_date   date        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- One trigger function for every table: the statement's old and new rows are joined on the table's key, and
-- the table's own query (the trigger's argument) says which teams, workers and children they touch and from
-- when. Written as a format() template with %1$s for the old rows and %2$s for the new rows, so the same
-- query serves inserts (no old rows), updates and deletes (no new rows). A statement touching more than
-- 10,000 keys (a first bulk load) is recorded as one change of everything from its earliest date: resolving
-- that many keys one by one would cost more than recomputing every team.
CREATE FUNCTION record_indicator_changes() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    old_side text := CASE WHEN TG_OP = 'INSERT' THEN '(SELECT * FROM new_rows LIMIT 0)' ELSE 'old_rows' END;
    new_side text := CASE WHEN TG_OP = 'DELETE' THEN '(SELECT * FROM old_rows LIMIT 0)' ELSE 'new_rows' END;
BEGIN
    EXECUTE 'WITH touched AS (SELECT kind, key, min(from_date) AS from_date FROM (' || format(TG_ARGV[0], old_side, new_side)
            || ') t(kind, key, from_date) WHERE from_date < ''infinity'' AND (key IS NOT NULL OR kind IN (''all'', ''none''))'
            || ' GROUP BY kind, key)'
            || ' INSERT INTO indicator_changes (dataset, kind, key, from_date)'
            || ' SELECT ' || quote_literal(TG_TABLE_NAME) || ', kind, key, from_date FROM touched'
            || ' WHERE (SELECT count(*) FROM touched) <= 10000'
            || ' UNION ALL SELECT ' || quote_literal(TG_TABLE_NAME) || ', ''all'', NULL, min(from_date) FROM touched'
            || ' HAVING count(*) > 10000';
    RETURN NULL;
END $$;

-- After a TRUNCATE nothing stored is current.
CREATE FUNCTION record_indicator_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO indicator_changes (dataset, kind, key, from_date) VALUES (TG_TABLE_NAME, 'all', NULL, '-infinity');
    RETURN NULL;
END $$;

-- Creates the four triggers of one table.
CREATE PROCEDURE watch_for_indicators(tbl text, query text)
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER %1$I AFTER INSERT ON %2$I REFERENCING NEW TABLE AS new_rows'
                   || ' FOR EACH STATEMENT EXECUTE FUNCTION record_indicator_changes(%3$L)', tbl || '_inserted', tbl, query);
    EXECUTE format('CREATE TRIGGER %1$I AFTER UPDATE ON %2$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   || ' FOR EACH STATEMENT EXECUTE FUNCTION record_indicator_changes(%3$L)', tbl || '_updated', tbl, query);
    EXECUTE format('CREATE TRIGGER %1$I AFTER DELETE ON %2$I REFERENCING OLD TABLE AS old_rows'
                   || ' FOR EACH STATEMENT EXECUTE FUNCTION record_indicator_changes(%3$L)', tbl || '_deleted', tbl, query);
    EXECUTE format('CREATE TRIGGER %1$I AFTER TRUNCATE ON %2$I FOR EACH STATEMENT EXECUTE FUNCTION record_indicator_truncate()',
                   tbl || '_truncated', tbl);
END $$;

-- From when a changed row moves the figures: where only its end moved (a leaver's last day, an allocation
-- closed, a referral allocated, a course completed), from the earlier of the two ends; otherwise from the
-- earlier of the two starts. Inserted and deleted rows count from their own start.
CREATE FUNCTION changed_from(old_start date, new_start date, old_end date, new_end date, only_end_moved boolean)
    RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN $1 IS NULL THEN $2
                      WHEN $2 IS NULL THEN $1
                      WHEN $5 THEN least(coalesce($3, 'infinity'), coalesce($4, 'infinity'))
                      ELSE least($1, $2) END $$;

CALL watch_for_indicators('staff_spells', $q$
    SELECT x.* FROM %1$s o FULL JOIN %2$s n USING (staff_id, team_id, start_date)
    CROSS JOIN LATERAL (SELECT changed_from(o.start_date, n.start_date, o.end_date, n.end_date,
            (o.role, o.employment, o.fte, o.case_holding, o.qualified_date, o.agency_hourly_rate)
            IS NOT DISTINCT FROM (n.role, n.employment, n.fte, n.case_holding, n.qualified_date, n.agency_hourly_rate))
            AS f) d
    CROSS JOIN LATERAL (VALUES ('staff', coalesce(o.staff_id, n.staff_id), d.f), ('team', coalesce(o.team_id, n.team_id), d.f)) x
$q$);

CALL watch_for_indicators('allocations', $q$
    SELECT x.* FROM %1$s o FULL JOIN %2$s n USING (allocation_id)
    CROSS JOIN LATERAL (SELECT changed_from(o.start_date, n.start_date, o.end_date, n.end_date,
            (o.child_id, o.staff_id, o.case_type, o.start_date) IS NOT DISTINCT FROM (n.child_id, n.staff_id, n.case_type, n.start_date))
            AS f) d
    CROSS JOIN LATERAL (VALUES ('child', o.child_id, d.f), ('child', n.child_id, d.f),
                               ('staff', o.staff_id, d.f), ('staff', n.staff_id, d.f)) x
$q$);

CALL watch_for_indicators('children_in_care', $q$
    SELECT x.* FROM %1$s o FULL JOIN %2$s n USING (child_id, period_start)
    CROSS JOIN LATERAL (SELECT changed_from(o.period_start, n.period_start, o.period_end, n.period_end,
            (o.date_of_birth, o.latest_assessment_date) IS NOT DISTINCT FROM (n.date_of_birth, n.latest_assessment_date)) AS f) d
    CROSS JOIN LATERAL (VALUES ('child', coalesce(o.child_id, n.child_id), d.f)) x
$q$);

-- The care-leaver file is a snapshot: its figures for a past date use today's records, so a change moves them all.
CALL watch_for_indicators('care_leavers', $q$
    SELECT x.* FROM %1$s o FULL JOIN %2$s n USING (child_id)
    CROSS JOIN LATERAL (VALUES ('child', coalesce(o.child_id, n.child_id), DATE '-infinity'),
                               ('staff', o.pa_staff_id, DATE '-infinity'), ('staff', n.pa_staff_id, DATE '-infinity')) x
$q$);

CALL watch_for_indicators('referrals', $q$
    SELECT x.* FROM %1$s o FULL JOIN %2$s n USING (referral_id)
    CROSS JOIN LATERAL (SELECT changed_from(o.referral_date, n.referral_date, o.allocated_date, n.allocated_date,
            (o.team_id, o.referral_date) IS NOT DISTINCT FROM (n.team_id, n.referral_date)) AS f) d
    CROSS JOIN LATERAL (VALUES ('team', o.team_id, d.f), ('team', n.team_id, d.f)) x
$q$);

CALL watch_for_indicators('supervision', $q$
    SELECT 'staff', staff_id, supervision_date FROM %1$s o
    UNION ALL SELECT 'staff', staff_id, supervision_date FROM %2$s n
$q$);

-- A course counts from the day it was completed: a row without a completion date moves nothing.
CALL watch_for_indicators('training', $q$
    SELECT 'staff', staff_id, completed_date FROM %1$s o WHERE completed_date IS NOT NULL
    UNION ALL SELECT 'staff', staff_id, completed_date FROM %2$s n WHERE completed_date IS NOT NULL
$q$);

CALL watch_for_indicators('absence', $q$
    SELECT 'staff', staff_id, start_date FROM %1$s o
    UNION ALL SELECT 'staff', staff_id, start_date FROM %2$s n
$q$);

CALL watch_for_indicators('establishment', $q$
    SELECT 'team', team_id, effective_from FROM %1$s o
    UNION ALL SELECT 'team', team_id, effective_from FROM %2$s n
$q$);

-- A shift requirement applies every day.
CALL watch_for_indicators('shift_requirements', $q$
    SELECT 'team', team_id, DATE '-infinity' FROM %1$s o
    UNION ALL SELECT 'team', team_id, DATE '-infinity' FROM %2$s n
$q$);

-- A shift is looked ahead to from up to cover_days before it (at most a year: IndicatorSettings checks it).
CALL watch_for_indicators('shifts', $q$
    SELECT 'team', team_id, (shift_date - interval '1 year')::date FROM %1$s o
    UNION ALL SELECT 'team', team_id, (shift_date - interval '1 year')::date FROM %2$s n
$q$);

-- Team names, services and types are joined when the figures are read: nothing to recompute, but answers
-- built from the stored figures must be built again.
CALL watch_for_indicators('teams', $q$
    SELECT 'none', NULL::varchar, DATE '-infinity' FROM %1$s o
    UNION ALL SELECT 'none', NULL::varchar, DATE '-infinity' FROM %2$s n
$q$);

CALL watch_for_indicators('benchmarks', $q$
    SELECT 'none', NULL::varchar, DATE '-infinity' FROM %1$s o
    UNION ALL SELECT 'none', NULL::varchar, DATE '-infinity' FROM %2$s n
$q$);

-- Which stored results each date holds, from which computation. version grows with every computation (a
-- sequence of its own, so emptying the tables never reuses a number): an answer built from stored results
-- is current as long as the version it was built from is.
CREATE SEQUENCE indicator_results_version;
ALTER TABLE indicator_dates ADD COLUMN version bigint NOT NULL DEFAULT nextval('indicator_results_version');

-- Everything stored so far was computed by the engine this migration replaces: compute it again.
DELETE FROM indicator_results;
DELETE FROM indicator_dates;
INSERT INTO indicator_changes (dataset, kind, key, from_date) VALUES ('indicator_results', 'all', NULL, '-infinity');

-- Grows whenever a round moves the coverage of the data (DataCoverage): every instance then works its own out
-- again. A sequence of its own, so emptying the tables never takes it back.
CREATE SEQUENCE indicator_coverage_version;
SELECT setval('indicator_coverage_version', 1); -- so that the first bump shows in last_value

-- What the stored results were computed with: the settings that shape them (max caseload, contact days …),
-- and the latest version of anything shown beside them. A change of settings at start-up recomputes all.
CREATE TABLE indicator_state (
    name  text PRIMARY KEY,
    value text NOT NULL
);

-- A team's recompute reads its workers' allocations, and a child's change finds the workers who hold it.
DROP INDEX allocations_open_by_staff;
CREATE INDEX allocations_staff ON allocations (staff_id, start_date);
CREATE INDEX allocations_child ON allocations (child_id);
-- The referrals waiting on a date: not yet allocated, or allocated after it.
CREATE INDEX referrals_allocated ON referrals (allocated_date);
