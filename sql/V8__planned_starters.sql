-- Planned starters and offers (docs/DATA-FORMATS.md, planned_starters): people who have been offered or
-- have accepted a post and have not started yet. The forecast counts those starting after its start.
CREATE TABLE planned_starters (
    planned_id varchar(64)  PRIMARY KEY,
    team_id    varchar(64)  NOT NULL REFERENCES teams (team_id),
    role       text         NOT NULL,
    employment text         NOT NULL,
    fte        numeric(5,4) NOT NULL CHECK (fte > 0 AND fte <= 1),
    start_date date         NOT NULL,
    status     text         NOT NULL CHECK (status IN ('offer', 'accepted')),
    notes      text,
    import_id  bigint
);
CREATE INDEX planned_starters_start ON planned_starters (start_date, team_id);
