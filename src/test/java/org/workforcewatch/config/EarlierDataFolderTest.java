package org.workforcewatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.R2dbcException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.workforcewatch.WorkforceWatchApplication;

/**
 * A data folder made by an earlier version (every role trusted, the schema made by the superuser, as which the
 * service connected) is secured at its first start: passwords from then on, what it holds handed to the owner role,
 * and the service running as its own role on the same data.
 */
class EarlierDataFolderTest {

    @TempDir
    Path folder;

    @Test
    void aDataFolderOfAnEarlierVersionIsSecuredAtItsFirstStartAndKeepsItsData() throws Exception {
        Path dataDir = folder.resolve("pg").toAbsolutePath();
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(folder.resolve("pg-bin").toFile()).start()) {
            Flyway.configure().dataSource(earlier.getPostgresDatabase()).locations("classpath:db/migration").target("12")
                    .load().migrate();
            try (Connection c = earlier.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO teams (team_id, team_name, service, team_type) VALUES ('T1', 'North', 'Front Door', 'assessment')");
                s.execute("INSERT INTO audit_log (actor, roles, action, method, path) VALUES ('hr', 'hr', 'import', 'POST', '/api/imports/teams')");
            }
        }

        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(WorkforceWatchApplication.class).run(
                "--workforce.database.url=", "--workforce.embedded.data-dir=" + dataDir, "--workforce.embedded.fresh=false",
                "--workforce.embedded.durable=false", "--server.port=0")) {
            DatabaseClient db = service.getBean(DatabaseClient.class);
            assertThat(one(db, "SELECT current_user")).isEqualTo("workforce_app");
            assertThat(one(db, "SELECT team_name FROM teams")).isEqualTo("North");
            assertThat(one(db, "SELECT string_agg(actor || ' ' || action, ',') FROM audit_log")).isEqualTo("hr import");
            assertThat(one(db, "SELECT count(*) FROM flyway_schema_history WHERE version = '13' AND success")).isEqualTo("1");
            assertThat(one(db, """
                    SELECT string_agg(DISTINCT pg_get_userbyid(owner), ',') FROM (
                        SELECT relowner AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace
                        UNION ALL SELECT proowner FROM pg_proc WHERE pronamespace = 'public'::regnamespace
                        UNION ALL SELECT nspowner FROM pg_namespace WHERE nspname = 'public') o""")).isEqualTo("workforce_owner");
            assertThatThrownBy(() -> db.sql("TRUNCATE audit_log").then().block())
                    .satisfies(e -> assertThat(((R2dbcException) e.getCause()).getSqlState()).isEqualTo("42501"));
            assertThat(one(db, "SELECT count(*) FROM audit_log")).isEqualTo("1");
        }
        EmbeddedDatabase running = EmbeddedDatabase.start(dataDir, 0, false);
        try {
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + running.location().port()
                    + "/postgres", "postgres", null).close()).isInstanceOf(SQLException.class).hasMessageContaining("password");
        } finally {
            running.stop();
        }
    }

    private static String one(DatabaseClient db, String sql) {
        return db.sql(sql).map(r -> String.valueOf(r.get(0))).one().block();
    }
}
