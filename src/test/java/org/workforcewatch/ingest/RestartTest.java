package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.workforcewatch.WorkforceWatchApplication;
import org.workforcewatch.config.EmbeddedDatabase;
import org.workforcewatch.ingest.csv.Importer;
import reactor.core.publisher.Flux;

/** The embedded database keeps its data in its folder: stop everything, start again, the data is there. */
class RestartTest {

    @TempDir
    Path folder;

    private ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(WorkforceWatchApplication.class).run(
                "--workforce.database.url=", "--workforce.embedded.data-dir=" + dataDir,
                "--workforce.embedded.fresh=false", "--workforce.embedded.durable=true", "--server.port=0");
    }

    @Test
    void importedDataSurvivesARestartOfServiceAndDatabase() {
        Path dataDir = folder.resolve("pg");
        try (ConfigurableApplicationContext first = start(dataDir)) {
            first.getBean(Importer.class).importCsv("teams", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                            Fixtures.VALID.get("teams").getBytes(StandardCharsets.UTF_8))), Importer.Extract.FULL, "teams.csv")
                    .block();
        }
        EmbeddedDatabase.start(dataDir, 0, true).stop();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            DatabaseClient db = second.getBean(DatabaseClient.class);
            assertThat(db.sql("SELECT string_agg(team_id, ',' ORDER BY team_id) AS ids FROM teams")
                    .map(r -> r.get("ids", String.class)).one().block()).isEqualTo("T1,T2");
            assertThat(db.sql("SELECT status FROM imports").map(r -> r.get("status", String.class)).one().block())
                    .isEqualTo("succeeded");
        } finally {
            EmbeddedDatabase.start(dataDir, 0, true).stop();
        }
    }
}
