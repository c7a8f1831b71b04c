-- The thresholds configuration (workforce.thresholds, team-type-thresholds, team-thresholds) as each start of the
-- service found it, so a past day's figures are rated with the configuration of that day and not today's. A row is
-- added at start-up when the configuration differs from the latest one recorded; rows are never changed.
-- settings: the canonical JSON of ThresholdSettings (every indicator's general amber, red, target and lead officer,
-- then the team-type and team levels as configured).
CREATE TABLE threshold_configurations (
    id           bigserial   PRIMARY KEY,
    settings     text        NOT NULL,
    effective_at timestamptz NOT NULL
);
CREATE INDEX threshold_configurations_effective ON threshold_configurations (effective_at, id);
