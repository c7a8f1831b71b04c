package org.workforcewatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** An external PostgreSQL: the service's credential from one setting, the migrations' from another when given. */
class DatabaseEnvironmentTest {

    private static MockEnvironment configured(String... keysAndValues) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        new DatabaseEnvironment(Supplier<Log>::get).postProcessEnvironment(env, null);
        return env;
    }

    @Test
    void oneUrlMigratesAndRunsAsOneRoleAsBefore() {
        MockEnvironment env = configured("workforce.database.url", "postgresql://postgres@127.0.0.1:5432/workforce_ci");
        assertThat(env.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://127.0.0.1:5432/workforce_ci");
        assertThat(env.getProperty("spring.r2dbc.username")).isEqualTo("postgres");
        assertThat(env.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/workforce_ci");
        assertThat(env.getProperty("spring.flyway.user")).isEqualTo("postgres");
    }

    @Test
    void aMigrationUrlGivesTheMigrationsTheOwnersRole() {
        MockEnvironment env = configured("workforce.database.url", "postgresql://workforce_app:app%40pw@db.example.org/wf",
                "workforce.database.migration-url", "postgresql://workforce_owner:owner-pw@db.example.org:5433/wf");
        assertThat(env.getProperty("spring.r2dbc.username")).isEqualTo("workforce_app");
        assertThat(env.getProperty("spring.r2dbc.password")).isEqualTo("app@pw");
        assertThat(env.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://db.example.org:5433/wf");
        assertThat(env.getProperty("spring.flyway.user")).isEqualTo("workforce_owner");
        assertThat(env.getProperty("spring.flyway.password")).isEqualTo("owner-pw");
    }

    @Test
    void aMigrationUserAloneMeansTheSameDatabase() {
        MockEnvironment env = configured("workforce.database.url", "postgresql://db.example.org/wf",
                "workforce.database.username", "workforce_app", "workforce.database.password", "app-pw",
                "workforce.database.migration-username", "workforce_owner", "workforce.database.migration-password", "owner-pw");
        assertThat(env.getProperty("spring.r2dbc.username")).isEqualTo("workforce_app");
        assertThat(env.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://db.example.org:5432/wf");
        assertThat(env.getProperty("spring.flyway.user")).isEqualTo("workforce_owner");
        assertThat(env.getProperty("spring.flyway.password")).isEqualTo("owner-pw");
    }
}
