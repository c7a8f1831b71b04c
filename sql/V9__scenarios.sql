-- Workforce planning scenarios, saved by name: a list of changes (recruit, convert agency posts,
-- change establishment, change in demand, an ASYE cohort) that the forecast applies on top of the baseline.
CREATE TABLE scenarios (
    name        text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9 _.-]{1,100}$'),
    description text,
    changes     jsonb       NOT NULL DEFAULT '[]',
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
