-- A threshold change keeps what was in force before it at its scope, so its history reads old → new.
ALTER TABLE threshold_changes
    ADD COLUMN previous_amber        numeric,
    ADD COLUMN previous_red          numeric,
    ADD COLUMN previous_target       numeric,
    ADD COLUMN previous_lead_officer text;

-- A source conflict is confirmed or dismissed by a person, with their reason, as a missing record is.
ALTER TABLE source_conflicts
    ADD COLUMN resolution  text,
    ADD COLUMN resolved_by text,
    ADD COLUMN note        text;
