package org.workforcewatch.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * After every migration, gives the service's own database role what it needs and nothing more, as the role that
 * ran the migrations and owns the schema (README, "Two database roles"): the rows of the data tables, the sequences,
 * temporary tables; of the audit only reading and adding. So the service can neither change, delete nor empty an
 * audit row, nor alter or drop the table and its triggers. Tables added by later migrations are granted at the next
 * start.
 * <p>
 * When one role both migrates and runs the service it owns the audit table and could take its protection away:
 * the log says so at every start.
 */
@Component
class ServiceRoleGrants implements Callback {

    private static final Log log = LogFactory.getLog(ServiceRoleGrants.class);

    static final String AUDIT = "audit_log";

    private final String serviceRole;

    ServiceRoleGrants(Environment env) {
        this.serviceRole = env.getProperty("spring.r2dbc.username");
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "service role grants";
    }

    @Override
    public void handle(Event event, Context context) {
        Connection c = context.getConnection();
        try {
            String migrator = one(c, "SELECT current_user");
            if (serviceRole == null || serviceRole.isBlank() || serviceRole.equals(migrator)) {
                String superuser = "true".equals(one(c, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
                        ? " (a superuser: it may do anything)" : "";
                log.warn("One database role, " + migrator + superuser + ", both migrates the schema and runs the service: it"
                        + " owns the audit table, so the service could take the audit's protection away. Give the"
                        + " migrations a role of their own: WORKFORCE_DATABASE_MIGRATION_URL (README, \"Two database roles\").");
                return;
            }
            if (one(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", serviceRole) == null) {
                log.warn("The service's database role " + serviceRole + " does not exist: nothing granted to it");
                return;
            }
            String schema = one(c, "SELECT current_schema()");
            try (Statement s = c.createStatement()) {
                // one start at a time (Flyway runs this in a transaction): two instances granting at once could
                // collide on the same catalog rows
                s.execute("SELECT pg_advisory_xact_lock(hashtext('workforce-grants'))");
                for (String grant : grants(schema, context.getConfiguration().getTable(), serviceRole,
                        c.getMetaData().getDatabaseMajorVersion() >= 17)) {
                    s.execute(grant);
                }
            }
            warnIfOverPowered(c);
        } catch (SQLException e) {
            throw new FlywayException("Could not grant the service's role " + serviceRole + " its privileges: " + e.getMessage(), e);
        }
    }

    /**
     * The grants, exactly as README lists them: every privilege on rows of every table, then those of the audit and
     * of Flyway's own table taken back but reading (and adding to the audit); sequences used and set, but the audit's
     * only used. MAINTAIN (PostgreSQL 17) lets the service refresh a table's statistics after a large import.
     */
    static List<String> grants(String schema, String flywayTable, String role, boolean maintain) {
        String s = ident(schema);
        String r = ident(role);
        String audit = s + "." + ident(AUDIT);
        String flyway = s + "." + ident(flywayTable);
        List<String> grants = new ArrayList<>(List.of(
                "GRANT USAGE ON SCHEMA " + s + " TO " + r,
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA " + s + " TO " + r,
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r));
        if (maintain) {
            grants.add("GRANT MAINTAIN ON ALL TABLES IN SCHEMA " + s + " TO " + r);
        }
        grants.addAll(List.of(
                "REVOKE ALL ON " + audit + ", " + flyway + " FROM " + r,
                "GRANT SELECT, INSERT ON " + audit + " TO " + r,
                "GRANT SELECT ON " + flyway + " TO " + r,
                "REVOKE UPDATE ON SEQUENCE " + s + "." + ident(AUDIT + "_id_seq") + " FROM " + r));
        return grants;
    }

    /** Grants cannot take away what a superuser, or a member of the audit's owner, holds anyway. */
    private void warnIfOverPowered(Connection c) throws SQLException {
        String over = one(c, """
                SELECT CASE WHEN r.rolsuper THEN 'is a superuser'
                            WHEN pg_has_role(r.rolname, t.tableowner, 'MEMBER') THEN 'is a member of ' || t.tableowner || ', the owner of the audit table'
                       END
                FROM pg_roles r, pg_tables t
                WHERE r.rolname = ? AND t.tablename = 'audit_log' AND t.schemaname = current_schema()""", serviceRole);
        if (over != null) {
            log.warn("The service's database role " + serviceRole + " " + over + ": it could take the audit's protection away."
                    + " Give it only the grants of README, \"Two database roles\".");
        }
    }

    private static String one(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
