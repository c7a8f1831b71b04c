-- Recorded dates from which a statistical process control chart starts a new baseline (a restructure, a new
-- definition): every special-cause rule and the limits then work within one baseline (docs/SPC.md, "Rebasing").
-- indicator NULL: every indicator. level 'all': every chart at every level (a change to the whole authority);
-- otherwise the charts of one level and scope (scope '' at the authority). Rows are added, never changed.
CREATE TABLE spc_rebases (
    id          bigserial   PRIMARY KEY,
    indicator   text,
    level       text        NOT NULL CHECK (level IN ('all', 'authority', 'service', 'team')),
    scope       text        NOT NULL DEFAULT '',
    starts_on   date        NOT NULL,
    recorded_by text        NOT NULL CHECK (recorded_by <> ''),
    reason      text        NOT NULL CHECK (reason <> ''),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((level IN ('all', 'authority')) = (scope = ''))
);
CREATE INDEX spc_rebases_scope ON spc_rebases (level, scope, starts_on);
