-- The teams each person has pinned on the dashboard for quick access, kept per user name so they follow the person
-- from device to device. No foreign key to teams: a teams file loaded again may drop and re-add teams, and a pin of a
-- team that is gone is simply not shown.
CREATE TABLE team_pins (
    user_name text        NOT NULL,
    team_id   text        NOT NULL,
    position  integer     NOT NULL CHECK (position >= 0),
    pinned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_name, team_id)
);
