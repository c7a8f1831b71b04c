-- Standard Safeguarding Dataset (SSD) extracts feed the same tables as the native files. Rows remember
-- which source wrote them, so that native HR files stay authoritative for what HR owns: an SSD extract
-- never overwrites a row a native file wrote (a difference is listed as a conflict instead).
ALTER TABLE teams ADD COLUMN source text NOT NULL DEFAULT 'file';
ALTER TABLE staff_spells ADD COLUMN source text NOT NULL DEFAULT 'file';
ALTER TABLE allocations ADD COLUMN source text NOT NULL DEFAULT 'file';
ALTER TABLE referrals ADD COLUMN source text NOT NULL DEFAULT 'file';
ALTER TABLE care_leavers ADD COLUMN source text NOT NULL DEFAULT 'file';

-- The referral (CIN episode) an allocation belongs to, when the source says: SSD gives no allocation
-- date for a referral, so it is taken from the first involvement of that referral.
ALTER TABLE allocations ADD COLUMN referral_id varchar(64);
ALTER TABLE referrals ADD COLUMN closed_date date;

-- ssd_care_leavers carries no date of birth (it lives in ssd_person); native files still require it.
ALTER TABLE care_leavers ALTER COLUMN date_of_birth DROP NOT NULL;
ALTER TABLE care_leaver_history ALTER COLUMN date_of_birth DROP NOT NULL;

-- The SSD's workers as the extract describes them; other SSD tables refer to prof_professional_id.
-- The worker's name is personal data Workforce Watch does not need: it is not kept.
CREATE TABLE ssd_professionals (
    professional_id  varchar(64) PRIMARY KEY,
    staff_id         varchar(64) NOT NULL,
    registration_no  varchar(64),
    job_title        text,
    caseload         bigint,
    department       text,
    fte              numeric,
    agency_flag      text,
    import_id        bigint
);
CREATE INDEX ssd_professionals_staff ON ssd_professionals (staff_id);

-- Differences between sources about the same record (an SSD extract or a census return disagreeing
-- with a native HR file): the stored value is kept and the difference listed for a person to resolve.
CREATE TABLE IF NOT EXISTS source_conflicts (
    id             bigserial PRIMARY KEY,
    dataset        text        NOT NULL,
    record_key     jsonb       NOT NULL,
    field          text        NOT NULL,
    stored_value   text,
    incoming_value text,
    source         text        NOT NULL,
    import_id      bigint,
    flagged_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at    timestamptz
);
