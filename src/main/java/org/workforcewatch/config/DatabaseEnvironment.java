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
        if (url != null && !url.isBlank()) {
            location = DatabaseLocation.parse(url, env.getProperty("workforce.database.username"),
                    env.getProperty("workforce.database.password"));
            log.info("PostgreSQL at " + location.host() + ":" + location.port() + "/" + location.database());
        } else if (env.getProperty("spring.r2dbc.url") != null) {
            return; // configured the Spring way: leave it alone
        } else {
            Path dataDir = Path.of(env.getProperty("workforce.embedded.data-dir", "./data/pg"));
            int port = env.getProperty("workforce.embedded.port", Integer.class, 0);
            boolean durable = env.getProperty("workforce.embedded.durable", Boolean.class, true);
            boolean fresh = env.getProperty("workforce.embedded.fresh", Boolean.class, false);
            location = EmbeddedDatabase.start(dataDir, port, durable, fresh).location();
            log.info("Embedded PostgreSQL on localhost:" + location.port() + " (database postgres, user postgres), data in "
                    + dataDir.toAbsolutePath().normalize() + (durable ? "" : " (not durable: for tests)"));
        }
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>(location.springProperties());
        // the demo users exist on a database the service started itself, never on one it was pointed at unless asked
        properties.put("workforce.database.embedded", url == null || url.isBlank());
        env.getPropertySources().addFirst(new MapPropertySource("workforceDatabase", properties));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after application.yml and profiles are read
    }
}
