-- Children's social care API records (docs/DATA-FORMATS.md, "Children's social care API records"): the per-child
-- state the records build up, kept so that a partial (delta) record can change only what it carries, and from which
-- the native rows (source = 'csc_api') are derived. Only what the indicators need is kept: no name, unique pupil
-- number, postcode or exact date of birth (the birth month's first day stands for it).

ALTER TABLE imports DROP CONSTRAINT imports_source_check;
ALTER TABLE imports ADD CONSTRAINT imports_source_check CHECK (source IN ('upload', 'demo', 'csc_api'));

-- Children in care had no source: every row came from the native file until now.
ALTER TABLE children_in_care ADD COLUMN source text NOT NULL DEFAULT 'file';

-- A batch of records rewrites the rows derived for its children only: found by child. Partial indexes, so a
-- bulk load of a native file (source 'file') does not pay for them.
CREATE INDEX allocations_csc_api_child ON allocations (child_id) WHERE source = 'csc_api';
CREATE INDEX referrals_csc_api_child ON referrals (child_id) WHERE source = 'csc_api';

CREATE TABLE csc_children (
    la_child_id  varchar(64) PRIMARY KEY,
    mis_child_id varchar(64) NOT NULL,
    -- the first day of the month of birth (or of the expected birth): ages to the month, never the exact day
    birth_month  date,
    import_id    bigint
);

CREATE TABLE csc_episodes (
    la_child_id   varchar(64) NOT NULL REFERENCES csc_children ON DELETE CASCADE,
    episode_id    varchar(64) NOT NULL,
    referral_date date,
    closure_date  date,
    import_id     bigint,
    PRIMARY KEY (la_child_id, episode_id)
);

CREATE TABLE csc_care_workers (
    la_child_id varchar(64) NOT NULL,
    episode_id  varchar(64) NOT NULL,
    worker_id   varchar(64) NOT NULL,
    start_date  date        NOT NULL,
    end_date    date,
    import_id   bigint,
    PRIMARY KEY (la_child_id, episode_id, worker_id, start_date),
    FOREIGN KEY (la_child_id, episode_id) REFERENCES csc_episodes ON DELETE CASCADE
);

CREATE TABLE csc_assessments (
    la_child_id        varchar(64) NOT NULL,
    episode_id         varchar(64) NOT NULL,
    assessment_id      varchar(64) NOT NULL,
    start_date         date,
    authorisation_date date,
    import_id          bigint,
    PRIMARY KEY (la_child_id, episode_id, assessment_id),
    FOREIGN KEY (la_child_id, episode_id) REFERENCES csc_episodes ON DELETE CASCADE
);

CREATE TABLE csc_placements (
    la_child_id  varchar(64) NOT NULL,
    episode_id   varchar(64) NOT NULL,
    placement_id varchar(64) NOT NULL,
    start_date   date        NOT NULL,
    end_date     date,
    import_id    bigint,
    PRIMARY KEY (la_child_id, episode_id, placement_id),
    FOREIGN KEY (la_child_id, episode_id) REFERENCES csc_episodes ON DELETE CASCADE
);

-- Child protection and child in need plans of an episode: their dates tell an allocation's case type.
CREATE TABLE csc_cp_plans (
    la_child_id varchar(64) NOT NULL,
    episode_id  varchar(64) NOT NULL,
    plan_id     varchar(64) NOT NULL,
    start_date  date        NOT NULL,
    end_date    date,
    import_id   bigint,
    PRIMARY KEY (la_child_id, episode_id, plan_id),
    FOREIGN KEY (la_child_id, episode_id) REFERENCES csc_episodes ON DELETE CASCADE
);

CREATE TABLE csc_cin_plans (LIKE csc_cp_plans INCLUDING ALL,
    FOREIGN KEY (la_child_id, episode_id) REFERENCES csc_episodes ON DELETE CASCADE);

-- The care_leavers block of an episode: only the latest contact's date (activity and accommodation are not used).
CREATE TABLE csc_care_leavers (
    la_child_id  varchar(64) NOT NULL,
    episode_id   varchar(64) NOT NULL,
    contact_date date,
    import_id    bigint,
    PRIMARY KEY (la_child_id, episode_id),
    FOREIGN KEY (la_child_id, episode_id) REFERENCES csc_episodes ON DELETE CASCADE
);
