package org.workforcewatch.config;

import java.nio.file.Path;
import org.springframework.boot.EnvironmentPostProcessor;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the database before anything connects to it: the PostgreSQL named by
 * {@code workforce.database.url} when set, otherwise an embedded one started here with its data in
 * {@code workforce.embedded.data-dir}. Either way the R2DBC and Flyway URLs are derived from it, so
 * one setting is all a user needs; {@code workforce.database.embedded} says which it was.
 * <p>
 * The service and its migrations may sign in as different roles, so that the service's own role does not own the
 * schema and cannot take the audit's protection away (README, "Two database roles"): the embedded database always
 * does so; an external one when {@code workforce.database.migration-url} (or {@code migration-username} and
 * {@code migration-password}) names the owner. Without them one credential does both, as before.
 */
class DatabaseEnvironment implements EnvironmentPostProcessor, Ordered {

    private final Log log;

    DatabaseEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(DatabaseEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String url = env.getProperty("workforce.database.url");
        DatabaseLocation location;
        DatabaseLocation migrations;
        if (url != null && !url.isBlank()) {
            location = DatabaseLocation.parse(url, env.getProperty("workforce.database.username"),
                    env.getProperty("workforce.database.password"));
            migrations = migrations(env, location);
            log.info("PostgreSQL at " + location.host() + ":" + location.port() + "/" + location.database()
                    + (migrations.equals(location) ? ", as " + location.username()
                    : ", the service as " + location.username() + ", migrations as " + migrations.username()));
        } else if (env.getProperty("spring.r2dbc.url") != null) {
            return; // configured the Spring way: leave it alone
        } else {
            Path dataDir = Path.of(env.getProperty("workforce.embedded.data-dir", "./data/pg"));
            int port = env.getProperty("workforce.embedded.port", Integer.class, 0);
            boolean durable = env.getProperty("workforce.embedded.durable", Boolean.class, true);
            boolean fresh = env.getProperty("workforce.embedded.fresh", Boolean.class, false);
            // the log is not set up yet: what the start does to the folder is said once it is
            EmbeddedDatabase embedded = EmbeddedDatabase.start(dataDir, port, durable, fresh, log);
            location = embedded.location();
            migrations = embedded.migrationLocation();
            log.info("Embedded PostgreSQL on 127.0.0.1:" + location.port() + " (database postgres; the service as "
                    + location.username() + ", migrations as " + migrations.username() + ", passwords in "
                    + embedded.credentialsFile() + "), data in " + dataDir.toAbsolutePath().normalize()
                    + (durable ? "" : " (not durable: for tests)"));
        }
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>(location.springProperties(migrations));
        // the demo users exist on a database the service started itself, never on one it was pointed at unless asked
        properties.put("workforce.database.embedded", url == null || url.isBlank());
        env.getPropertySources().addFirst(new MapPropertySource("workforceDatabase", properties));
    }

    /** The migrations' own credential, when one is given: a URL of its own, or a user name (and password) on the same database. */
    static DatabaseLocation migrations(ConfigurableEnvironment env, DatabaseLocation service) {
        String url = env.getProperty("workforce.database.migration-url");
        String username = env.getProperty("workforce.database.migration-username");
        String password = env.getProperty("workforce.database.migration-password");
        if (url != null && !url.isBlank()) {
            return DatabaseLocation.parse(url, username, password);
        }
        if (username != null && !username.isBlank()) {
            return service.as(username, password == null || password.isBlank() ? null : password);
        }
        return service;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after application.yml and profiles are read
    }
}
