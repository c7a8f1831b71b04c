-- A census return is a dated snapshot; its workers enter the live tables only where their cost centre is mapped
-- to a known team (workforce.census.team-mapping). Each worker keeps the cost centre the file gives (a local
-- CostCentre element, not part of the Department's schema), the team the mapping names, and the team it was
-- placed in (null: not placed, listed at GET /api/data-quality for a person to confirm).
ALTER TABLE census_workers
    ADD COLUMN cost_centre  text,
    ADD COLUMN mapped_team  varchar(64),
    ADD COLUMN team_id      varchar(64);

-- Returns stored earlier put every worker into one team named at upload: keep that placement where it was a
-- real team. The team 'unassigned' that earlier versions created for census workers is not a team.
UPDATE census_workers w SET mapped_team = r.team_id, team_id = r.team_id
FROM census_returns r
WHERE r.id = w.return_id AND r.team_id <> 'unassigned';

ALTER TABLE census_returns DROP COLUMN team_id;

-- Undo what the 'unassigned' team put into the live figures: its census spells, the sickness absences of census
-- workers who now have no spell at all, and the team itself when nothing else refers to it.
DELETE FROM staff_spells WHERE source = 'census' AND team_id = 'unassigned';

DELETE FROM absence a
WHERE a.import_id IN (SELECT id FROM imports WHERE dataset = 'census')
  AND NOT EXISTS (SELECT 1 FROM staff_spells s WHERE s.staff_id = a.staff_id);

DELETE FROM teams t
WHERE t.team_id = 'unassigned' AND t.source = 'census'
  AND NOT EXISTS (SELECT 1 FROM staff_spells s WHERE s.team_id = t.team_id)
  AND NOT EXISTS (SELECT 1 FROM establishment e WHERE e.team_id = t.team_id)
  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.team_id = t.team_id)
  AND NOT EXISTS (SELECT 1 FROM shift_requirements q WHERE q.team_id = t.team_id)
  AND NOT EXISTS (SELECT 1 FROM planned_starters p WHERE p.team_id = t.team_id);

DELETE FROM indicator_results WHERE team_id = 'unassigned' AND NOT EXISTS (SELECT 1 FROM teams WHERE team_id = 'unassigned');
