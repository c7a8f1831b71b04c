-- The annual children's social work workforce census return (CSWW XML) as dated snapshots: one
-- return per collection year (a corrected file for the year replaces it) with its workers as the file
-- gives them. The DfE measures for the year are computed from these rows. Personal details the return
-- carries (PersonBirthDate, GenderCurrent, Ethnicity) and the qualification route are not kept.

CREATE TABLE census_returns (
    id               bigserial    PRIMARY KEY,
    collection_year  integer      NOT NULL UNIQUE,
    reference_date   date         NOT NULL,
    la_code          varchar(3),               -- Header/Source/LEA
    team_id          varchar(64)  NOT NULL,    -- the team the return's staff spells went to
    vacancies_fte    numeric      NOT NULL,    -- LALevelVacancies/NumberOfVacancies
    agency_fte       numeric      NOT NULL,    -- LALevelVacancies/NoAgencyFTE
    agency_headcount integer      NOT NULL,    -- LALevelVacancies/NoAgencyHeadcount
    import_id        bigint       NOT NULL,    -- the import that stored this version of the return
    loaded_at        timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE census_workers (
    return_id          bigint      NOT NULL REFERENCES census_returns (id) ON DELETE CASCADE,
    worker_index       integer     NOT NULL,   -- 1-based position of the CSWWWorker in the file
    swe_no             varchar(12) NOT NULL,   -- Social Work England registration number
    agency             boolean     NOT NULL,   -- AgencyWorker = 1
    fte                numeric,                -- FTE at the reference date (0 for leavers)
    fte30              numeric,                -- FTE30: leavers' FTE
    org_role           smallint,               -- OrgRole 1..6
    cfkss_status       smallint,               -- CFKSSstatus 1..4 (1 = ASYE)
    role_start_date    date,
    role_end_date      date,
    reason_leave       smallint,               -- ReasonLeave 1..10 (7 = moved within the authority)
    cases30            integer,
    working_days_lost  numeric,
    contract_weeks     numeric,
    absent_at_30_sept  boolean,                -- Absat30Sept
    reason_absence     text,                   -- MAT, OTH, PUB, SIC, TRN, UNA, UNP
    PRIMARY KEY (return_id, worker_index)
);
CREATE INDEX census_workers_spell ON census_workers (swe_no, role_start_date);

-- Differences between what a secondary source (census return, SSD extract) says about a record and the
-- value kept from the authoritative source (the native HR files). The stored value is never overwritten;
-- a person looks at the difference (GET /api/data-quality).
-- source_conflicts (differences between sources about one record) is created in V2__ssd.sql.
