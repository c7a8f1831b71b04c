-- Live events (POST /api/events). Every accepted event is kept as it arrived; its effect is applied to the
-- same tables as the files, by the same keys, so an event and a later file about the same record are one
-- record. Rows an event wrote have import_id NULL and, where the table has one, source = 'event'.

-- One number per accepted request: its events share it, and so do the care-leaver versions it wrote.
CREATE SEQUENCE event_batches;

CREATE TABLE events (
    id          bigserial   PRIMARY KEY,
    batch       bigint      NOT NULL,
    line        integer     NOT NULL,
    -- The sender's id: a repeated one is acknowledged and not applied again. NULL: no such promise asked.
    event_id    text        UNIQUE,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload     jsonb       NOT NULL
);

-- A care-leaver version written by an event belongs to its batch instead of an import.
ALTER TABLE care_leaver_history DROP CONSTRAINT care_leaver_history_pkey;
ALTER TABLE care_leaver_history ALTER COLUMN import_id DROP NOT NULL;
ALTER TABLE care_leaver_history ADD COLUMN event_batch bigint;
ALTER TABLE care_leaver_history ADD CONSTRAINT care_leaver_history_written_once
    CHECK ((import_id IS NULL) <> (event_batch IS NULL));
CREATE UNIQUE INDEX care_leaver_history_import ON care_leaver_history (child_id, import_id);
CREATE UNIQUE INDEX care_leaver_history_event ON care_leaver_history (child_id, event_batch);
