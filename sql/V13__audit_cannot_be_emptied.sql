-- The audit cannot be emptied either. TRUNCATE removes every row without firing the row trigger that refuses
-- UPDATE and DELETE (V10), so a statement trigger refuses it too, whoever asks, the table's owner included.
-- The service's own role may besides only read and add audit rows (README, "Two database roles"): only the owner,
-- the role that runs these migrations, could take this protection away, by altering the table.
CREATE TRIGGER audit_log_cannot_be_emptied BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
