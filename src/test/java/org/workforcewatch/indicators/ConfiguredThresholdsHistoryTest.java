package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.workforcewatch.WorkforceWatchApplication;
import org.workforcewatch.config.EmbeddedDatabase;
import reactor.core.publisher.Flux;

/**
 * The configured thresholds have a history: a restart with another configuration records it, and a moment before the
 * restart is still rated with the configuration of its day.
 */
class ConfiguredThresholdsHistoryTest {

    private static final String CASELOAD = "caseload_per_fte";

    @TempDir
    Path folder;

    private ConfigurableApplicationContext start(Path dataDir, double amber, double red) {
        return new SpringApplicationBuilder(WorkforceWatchApplication.class).run(
                "--workforce.database.url=", "--workforce.embedded.data-dir=" + dataDir,
                "--workforce.embedded.fresh=false", "--workforce.embedded.durable=true", "--server.port=0",
                "--workforce.demo.enabled=false",
                "--workforce.thresholds." + CASELOAD + ".amber=" + amber, "--workforce.thresholds." + CASELOAD + ".red=" + red);
    }

    private static List<Instant> recorded(ConfigurableApplicationContext context) {
        return context.getBean(DatabaseClient.class)
                .sql("SELECT effective_at FROM threshold_configurations ORDER BY effective_at, id")
                .map(r -> r.get("effective_at", OffsetDateTime.class).toInstant()).all().collectList().block();
    }

    private static ThresholdSettings.Applied caseloadAt(ConfigurableApplicationContext context, Instant at) {
        return context.getBean(Thresholds.class).at(at).block(Duration.ofSeconds(30)).forIndicator(Indicator.CASELOAD_PER_FTE);
    }

    @Test
    void aMomentBeforeARestartWithOtherThresholdsKeepsTheConfigurationOfItsDay() {
        Path dataDir = folder.resolve("pg");
        Instant first;
        try (ConfigurableApplicationContext before = start(dataDir, 15, 20)) {
            assertThat(recorded(before)).hasSize(1);
            first = recorded(before).get(0);
            assertThat(caseloadAt(before, first).red()).isEqualTo(20.0);
        }
        EmbeddedDatabase.start(dataDir, 0, true).stop();
        try (ConfigurableApplicationContext after = start(dataDir, 19, 24)) {
            List<Instant> times = recorded(after);
            assertThat(times).hasSize(2);
            assertThat(times.get(1)).isAfter(first);
            Thresholds thresholds = after.getBean(Thresholds.class);
            Instant now = after.getBean(Clock.class).instant();

            ThresholdSettings.Applied then = caseloadAt(after, first);
            assertThat(List.of(then.amber(), then.red())).containsExactly(15.0, 20.0);
            assertThat(then.severity(21)).isEqualTo("red");
            // before anything was recorded: the earliest configuration known
            assertThat(caseloadAt(after, first.minus(Duration.ofDays(40))).red()).isEqualTo(20.0);

            ThresholdSettings.Applied today = caseloadAt(after, now);
            assertThat(List.of(today.amber(), today.red())).containsExactly(19.0, 24.0);
            assertThat(today.severity(21)).isEqualTo("amber");
            assertThat(thresholds.current().forIndicator(Indicator.CASELOAD_PER_FTE)).isEqualTo(today);

            // the end of each day takes the configuration of that day too (the first start was before its end)
            assertThat(thresholds.atEndOf(List.of(first.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1)))
                    .block(Duration.ofSeconds(30)).values().iterator().next().forIndicator(Indicator.CASELOAD_PER_FTE).red())
                    .isEqualTo(20.0);
        } finally {
            EmbeddedDatabase.start(dataDir, 0, true).stop();
        }
        try (ConfigurableApplicationContext again = start(dataDir, 19, 24)) {
            assertThat(recorded(again)).as("the same configuration again: nothing new recorded").hasSize(2);

            // another instance recorded another configuration since: instances recording at once record this one once
            again.getBean(DatabaseClient.class).sql("INSERT INTO threshold_configurations (settings, effective_at)"
                    + " SELECT replace(settings, '24.0', '23.0'), now() FROM threshold_configurations ORDER BY id DESC LIMIT 1")
                    .then().block();
            Thresholds thresholds = again.getBean(Thresholds.class);
            List<Object> done = new ArrayList<>();
            Flux.range(0, 4).flatMap(i -> thresholds.recordConfiguration().thenReturn(i)).doOnNext(done::add).blockLast();
            assertThat(done).hasSize(4);
            assertThat(recorded(again)).hasSize(4);
        } finally {
            EmbeddedDatabase.start(dataDir, 0, true).stop();
        }
    }
}
