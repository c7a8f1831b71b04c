-- Indicator results: numerator and denominator per team, indicator and date, so that services and the
-- authority are sums over teams (never a mean of team values) and reads are cheap. A row with a null
-- team holds what belongs to no team (e.g. a child in care with no allocated worker): it counts at
-- authority level only. detail holds a second figure where an indicator has one (the oldest wait).
CREATE TABLE indicator_results (
    as_of       date        NOT NULL,
    indicator   text        NOT NULL,
    team_id     varchar(64),
    numerator   numeric     NOT NULL,
    denominator numeric     NOT NULL,
    detail      numeric,
    computed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX indicator_results_date ON indicator_results (as_of, indicator);

-- England and Wales bank holidays: working days are Monday to Friday except these.
CREATE TABLE bank_holidays (
    day  date PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO bank_holidays (day, name) VALUES
('2017-01-02','New Year''s Day'),('2017-04-14','Good Friday'),('2017-04-17','Easter Monday'),('2017-05-01','Early May bank holiday'),
('2017-05-29','Spring bank holiday'),('2017-08-28','Summer bank holiday'),('2017-12-25','Christmas Day'),('2017-12-26','Boxing Day'),
('2018-01-01','New Year''s Day'),('2018-03-30','Good Friday'),('2018-04-02','Easter Monday'),('2018-05-07','Early May bank holiday'),
('2018-05-28','Spring bank holiday'),('2018-08-27','Summer bank holiday'),('2018-12-25','Christmas Day'),('2018-12-26','Boxing Day'),
('2019-01-01','New Year''s Day'),('2019-04-19','Good Friday'),('2019-04-22','Easter Monday'),('2019-05-06','Early May bank holiday'),
('2019-05-27','Spring bank holiday'),('2019-08-26','Summer bank holiday'),('2019-12-25','Christmas Day'),('2019-12-26','Boxing Day'),
('2020-01-01','New Year''s Day'),('2020-04-10','Good Friday'),('2020-04-13','Easter Monday'),('2020-05-08','Early May bank holiday (VE day)'),
('2020-05-25','Spring bank holiday'),('2020-08-31','Summer bank holiday'),('2020-12-25','Christmas Day'),('2020-12-28','Boxing Day (substitute day)'),
('2021-01-01','New Year''s Day'),('2021-04-02','Good Friday'),('2021-04-05','Easter Monday'),('2021-05-03','Early May bank holiday'),
('2021-05-31','Spring bank holiday'),('2021-08-30','Summer bank holiday'),('2021-12-27','Christmas Day (substitute day)'),('2021-12-28','Boxing Day (substitute day)'),
('2022-01-03','New Year''s Day (substitute day)'),('2022-04-15','Good Friday'),('2022-04-18','Easter Monday'),('2022-05-02','Early May bank holiday'),
('2022-06-02','Spring bank holiday'),('2022-06-03','Platinum Jubilee bank holiday'),('2022-08-29','Summer bank holiday'),
('2022-09-19','State Funeral of Queen Elizabeth II'),('2022-12-26','Boxing Day'),('2022-12-27','Christmas Day (substitute day)'),
('2023-01-02','New Year''s Day (substitute day)'),('2023-04-07','Good Friday'),('2023-04-10','Easter Monday'),('2023-05-01','Early May bank holiday'),
('2023-05-08','Bank holiday for the coronation of King Charles III'),('2023-05-29','Spring bank holiday'),('2023-08-28','Summer bank holiday'),
('2023-12-25','Christmas Day'),('2023-12-26','Boxing Day'),
('2024-01-01','New Year''s Day'),('2024-03-29','Good Friday'),('2024-04-01','Easter Monday'),('2024-05-06','Early May bank holiday'),
('2024-05-27','Spring bank holiday'),('2024-08-26','Summer bank holiday'),('2024-12-25','Christmas Day'),('2024-12-26','Boxing Day'),
('2025-01-01','New Year''s Day'),('2025-04-18','Good Friday'),('2025-04-21','Easter Monday'),('2025-05-05','Early May bank holiday'),
('2025-05-26','Spring bank holiday'),('2025-08-25','Summer bank holiday'),('2025-12-25','Christmas Day'),('2025-12-26','Boxing Day'),
('2026-01-01','New Year''s Day'),('2026-04-03','Good Friday'),('2026-04-06','Easter Monday'),('2026-05-04','Early May bank holiday'),
('2026-05-25','Spring bank holiday'),('2026-08-31','Summer bank holiday'),('2026-12-25','Christmas Day'),('2026-12-28','Boxing Day (substitute day)'),
('2027-01-01','New Year''s Day'),('2027-03-26','Good Friday'),('2027-03-29','Easter Monday'),('2027-05-03','Early May bank holiday'),
('2027-05-31','Spring bank holiday'),('2027-08-30','Summer bank holiday'),('2027-12-27','Christmas Day (substitute day)'),('2027-12-28','Boxing Day (substitute day)'),
('2028-01-03','New Year''s Day (substitute day)'),('2028-04-14','Good Friday'),('2028-04-17','Easter Monday'),('2028-05-01','Early May bank holiday'),
('2028-05-29','Spring bank holiday'),('2028-08-28','Summer bank holiday'),('2028-12-25','Christmas Day'),('2028-12-26','Boxing Day');

-- The dates whose results are stored and current (results of a date are all there or not at all).
CREATE TABLE indicator_dates (
    as_of       date PRIMARY KEY,
    computed_at timestamptz NOT NULL DEFAULT now()
);
