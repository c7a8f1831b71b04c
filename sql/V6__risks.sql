-- Threshold changes made at runtime by an administrator: the latest change per (indicator, scope)
-- applies on top of the configuration; every change is kept, with who made it and why.
CREATE TABLE threshold_changes (
    id           bigserial PRIMARY KEY,
    indicator    text        NOT NULL,
    scope_kind   text        NOT NULL CHECK (scope_kind IN ('all', 'team_type', 'team')),
    scope        text        NOT NULL DEFAULT '',
    amber        numeric     NOT NULL,
    red          numeric     NOT NULL,
    target       numeric,
    lead_officer text,
    changed_by   text        NOT NULL,
    reason       text,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (amber <= red)
);
CREATE INDEX threshold_changes_scope ON threshold_changes (indicator, scope_kind, scope, id DESC);

-- The risks active now: an indicator at amber or red for a team, service or the authority.
CREATE TABLE risk_state (
    indicator  text        NOT NULL,
    level      text        NOT NULL,
    scope      text        NOT NULL,
    severity   text        NOT NULL,
    value      numeric     NOT NULL,
    threshold  numeric     NOT NULL,
    since      date        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator, level, scope)
);

-- Every risk raised, changed or cleared: the history behind the live stream.
CREATE TABLE risk_events (
    id         bigserial PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('raised', 'changed', 'cleared')),
    indicator  text        NOT NULL,
    level      text        NOT NULL,
    scope      text        NOT NULL,
    severity   text        NOT NULL,
    value      numeric,
    threshold  numeric,
    since      date,
    at         timestamptz NOT NULL DEFAULT now()
);
