-- A census return is a dated snapshot; its workers enter the live tables only where their cost centre is mapped
-- to a known team (workforce.census.team-mapping). Each worker keeps the cost centre the file gives (a local
-- CostCentre element, not part of the Department's schema), the team the mapping names, and the team it was
-- placed in (null: not placed, listed at GET /api/data-quality for a person to confirm).
ALTER TABLE census_workers
    ADD COLUMN cost_centre  text,
    ADD COLUMN mapped_team  varchar(64),
    ADD COLUMN team_id      varchar(64);

-- Returns stored earlier put every worker of a return into one team named at upload (or into a team
-- 'unassigned' made for them). That says nothing of where each worker is, so no earlier placement is kept: their
-- workers stay unplaced (team_id null), are listed at GET /api/data-quality to confirm, and enter the live figures
-- once the return is loaded again with its cost centres mapped (workforce.census.team-mapping).
ALTER TABLE census_returns DROP COLUMN team_id;

-- Undo what the earlier placement put into the live figures: every census spell (whatever team it went to), the
-- sickness absences of census workers who now have no spell at all, and the team 'unassigned' when nothing else
-- refers to it. Deleting spells and absences marks the figures they fed for recomputing (V12), as any change does.
DELETE FROM staff_spells WHERE source = 'census';

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
