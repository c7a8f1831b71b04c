-- The audit: who did what, when. Every import, event batch, threshold and scenario change, person-level view,
-- audit read and refused request is a row. Rows are only ever added: updating or deleting one is refused by
-- the database itself, so the service cannot rewrite its own history.
CREATE TABLE audit_log (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor          text        NOT NULL,
    roles          text        NOT NULL,
    action         text        NOT NULL,
    method         text        NOT NULL,
    path           text        NOT NULL,
    query          text,
    status         integer,
    remote_address text,
    detail         jsonb
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Signed-in dashboard sessions, kept here so that any instance behind a load balancer serves any person.
-- attributes: the session's attributes (who is signed in, the form token, where they were going), serialised.
CREATE TABLE web_sessions (
    id          text        PRIMARY KEY,
    attributes  bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    last_access timestamptz NOT NULL,
    max_idle    interval    NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at);
