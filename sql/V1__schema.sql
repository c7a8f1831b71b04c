-- Workforce Watch schema: one table per dataset in docs/DATA-FORMATS.md, keyed as the contract says,
-- plus the import log and the data-quality flags. Every data row remembers the import that last wrote it
-- (import_id). That column has no foreign key on purpose: every row of an import carries the same id,
-- which the import itself has just written, and a per-row check costs a third of a bulk load.

CREATE TABLE imports (
    id                   bigserial PRIMARY KEY,
    dataset              text        NOT NULL,
    format_version       text        NOT NULL,
    status               text        NOT NULL CHECK (status IN ('running', 'succeeded', 'rejected', 'failed')),
    extract              text        NOT NULL DEFAULT 'full',
    file_name            text,
    started_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz,
    rows                 bigint      NOT NULL DEFAULT 0,
    inserted             bigint      NOT NULL DEFAULT 0,
    updated              bigint      NOT NULL DEFAULT 0,
    unchanged            bigint      NOT NULL DEFAULT 0,
    encoding             text,
    sha256               text,
    bytes                bigint,
    duration_ms          bigint,
    warnings             jsonb       NOT NULL DEFAULT '[]',
    missing_from_extract jsonb       NOT NULL DEFAULT '{"total": 0, "records": []}',
    errors               jsonb       NOT NULL DEFAULT '[]',
    error_count          integer     NOT NULL DEFAULT 0,
    detail               text
);
CREATE INDEX imports_dataset_finished ON imports (dataset, finished_at DESC);

CREATE TABLE teams (
    team_id        varchar(64) PRIMARY KEY,
    team_name      text        NOT NULL,
    service        text        NOT NULL,
    team_type      text        NOT NULL,
    parent_team_id varchar(64),
    import_id      bigint
);

CREATE TABLE staff_spells (
    staff_id           varchar(64)  NOT NULL,
    team_id            varchar(64)  NOT NULL REFERENCES teams (team_id),
    start_date         date         NOT NULL,
    role               text         NOT NULL,
    employment         text         NOT NULL,
    fte                numeric(5,4) NOT NULL CHECK (fte > 0 AND fte <= 1),
    end_date           date,
    leaving_reason     text,
    case_holding       boolean      NOT NULL,
    qualified_date     date,
    agency_name        text,
    agency_hourly_rate numeric(8,2),
    import_id          bigint,
    PRIMARY KEY (staff_id, team_id, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX staff_spells_staff ON staff_spells (staff_id);
CREATE INDEX staff_spells_team ON staff_spells (team_id, start_date);

CREATE TABLE establishment (
    team_id        varchar(64)  NOT NULL REFERENCES teams (team_id),
    role           text         NOT NULL,
    effective_from date         NOT NULL,
    funded_fte     numeric(8,2) NOT NULL CHECK (funded_fte >= 0),
    import_id      bigint,
    PRIMARY KEY (team_id, role, effective_from)
);

-- No foreign key to staff_spells: its key is a spell, not a person. The import checks that the worker exists.
CREATE TABLE allocations (
    allocation_id varchar(64) PRIMARY KEY,
    child_id      varchar(64) NOT NULL,
    staff_id      varchar(64) NOT NULL,
    case_type     text        NOT NULL,
    start_date    date        NOT NULL,
    end_date      date,
    change_reason text,
    import_id     bigint,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
-- Indicators read allocations by scanning them for a date; only the open ones are looked up by
-- worker (caseloads now), so only they are indexed: a bulk load keeps its speed.
CREATE INDEX allocations_open_by_staff ON allocations (staff_id) WHERE end_date IS NULL;

CREATE TABLE referrals (
    referral_id    varchar(64) PRIMARY KEY,
    child_id       varchar(64) NOT NULL,
    team_id        varchar(64) NOT NULL REFERENCES teams (team_id),
    referral_date  date        NOT NULL,
    allocated_date date,
    import_id      bigint
);
CREATE INDEX referrals_team ON referrals (team_id, referral_date);

CREATE TABLE children_in_care (
    child_id               varchar(64) NOT NULL,
    period_start           date        NOT NULL,
    date_of_birth          date        NOT NULL,
    period_end             date,
    latest_assessment_date date,
    import_id              bigint,
    PRIMARY KEY (child_id, period_start)
);

CREATE TABLE care_leavers (
    child_id                 varchar(64) PRIMARY KEY,
    date_of_birth            date        NOT NULL,
    eligibility              text        NOT NULL,
    pa_staff_id              varchar(64),
    pa_allocated_date        date,
    in_touch                 text,
    latest_contact_date      date,
    pathway_plan_review_date date,
    import_id                bigint
);
CREATE INDEX care_leavers_pa ON care_leavers (pa_staff_id);

-- The contract keeps care-leaver history per import: every version that an import changed.
CREATE TABLE care_leaver_history (
    import_id                bigint      NOT NULL REFERENCES imports (id),
    child_id                 varchar(64) NOT NULL,
    date_of_birth            date        NOT NULL,
    eligibility              text        NOT NULL,
    pa_staff_id              varchar(64),
    pa_allocated_date        date,
    in_touch                 text,
    latest_contact_date      date,
    pathway_plan_review_date date,
    PRIMARY KEY (child_id, import_id)
);

CREATE TABLE supervision (
    staff_id         varchar(64) NOT NULL,
    supervision_date date        NOT NULL,
    kind             text        NOT NULL DEFAULT 'formal',
    import_id        bigint,
    PRIMARY KEY (staff_id, supervision_date)
);

CREATE TABLE training (
    staff_id       varchar(64) NOT NULL,
    course         text        NOT NULL,
    due_date       date,
    completed_date date,
    import_id      bigint,
    PRIMARY KEY (staff_id, course)
);

CREATE TABLE absence (
    staff_id          varchar(64)  NOT NULL,
    start_date        date         NOT NULL,
    end_date          date         NOT NULL,
    reason            text         NOT NULL,
    working_days_lost numeric(7,2),
    import_id         bigint,
    PRIMARY KEY (staff_id, start_date),
    CHECK (end_date >= start_date)
);

CREATE TABLE shift_requirements (
    team_id        varchar(64) NOT NULL REFERENCES teams (team_id),
    shift          varchar(64) NOT NULL,
    required_staff integer     NOT NULL CHECK (required_staff >= 1),
    import_id      bigint,
    PRIMARY KEY (team_id, shift)
);

CREATE TABLE shifts (
    shift_date date        NOT NULL,
    team_id    varchar(64) NOT NULL,
    shift      varchar(64) NOT NULL,
    staff_id   varchar(64) NOT NULL,
    import_id  bigint,
    PRIMARY KEY (shift_date, team_id, shift, staff_id),
    FOREIGN KEY (team_id, shift) REFERENCES shift_requirements (team_id, shift)
);

CREATE TABLE benchmarks (
    year             integer     NOT NULL,
    area_code        varchar(64) NOT NULL,
    measure          text        NOT NULL,
    area_name        text        NOT NULL,
    geographic_level text        NOT NULL,
    value            numeric     NOT NULL,
    import_id        bigint,
    PRIMARY KEY (year, area_code, measure)
);

-- Current records that a later full extract no longer contained. Never deleted or ended by an import:
-- a person confirms each one (or it clears itself when the record comes back or is ended).
CREATE TABLE missing_records (
    id           bigserial PRIMARY KEY,
    dataset      text        NOT NULL,
    record_key   jsonb       NOT NULL,
    import_id    bigint      NOT NULL REFERENCES imports (id),
    flagged_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    resolution   text,
    resolved_by  text,
    note         text
);
CREATE UNIQUE INDEX missing_records_open ON missing_records (dataset, record_key) WHERE resolved_at IS NULL;
