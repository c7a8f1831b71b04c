package org.workforcewatch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Properties;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;

/**
 * The database as the role that owns the schema: the migrations' credential ({@code spring.flyway.*}), which the
 * service's own role is not (README, "Two database roles"). For what a test must do that the service may not:
 * empty the audit between tests, rename a table for a moment.
 */
public final class DatabaseOwner {

    private DatabaseOwner() {
    }

    /** A plain JDBC connection as the owner. */
    public static Connection connect(Environment env) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", env.getRequiredProperty("spring.flyway.user"));
        String password = env.getProperty("spring.flyway.password");
        if (password != null) {
            credentials.setProperty("password", password);
        }
        return DriverManager.getConnection(env.getRequiredProperty("spring.flyway.url"), credentials);
    }

    /** Runs statements in one transaction as the owner. */
    public static void execute(Environment env, String... statements) {
        try (Connection c = connect(env)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Empties every table of the schema but those named, the audit included: its refusal of TRUNCATE is lifted for
     * the moment, in the same transaction, as only the owner may. Waits for a background recompute of the indicators
     * to finish first (its lock). A background read of stored figures takes no such lock, and PostgreSQL may break a
     * deadlock between it and the TRUNCATE by cancelling the TRUNCATE: then it runs again.
     */
    public static void emptyAllBut(Environment env, Collection<String> kept) {
        String keep = kept.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "));
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connect(env)) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))");
                    var tables = s.executeQuery("SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables"
                            + " WHERE schemaname = current_schema() AND tablename NOT IN (" + keep + ")");
                    tables.next();
                    String all = tables.getString(1);
                    s.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_cannot_be_emptied");
                    s.execute("TRUNCATE " + all + " RESTART IDENTITY CASCADE");
                    s.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_cannot_be_emptied");
                }
                c.commit();
                return;
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt == 6) {
                    throw new IllegalStateException("Could not empty the database: " + e.getMessage(), e);
                }
            }
        }
    }
}
