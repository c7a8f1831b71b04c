package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.ApiTest;
import reactor.core.publisher.Flux;

/**
 * A live event shows in the indicators and the risks within five seconds while a large file is being imported:
 * the import holds no lock the indicators need, and the change it brings is taken in after it commits.
 */
class LiveEventsWhileImportingTest extends ApiTest {

    @Value("${local.server.port}")
    private int port;

    private String importStatus() {
        return db.sql("SELECT status FROM imports WHERE dataset = 'referrals' ORDER BY id DESC LIMIT 1")
                .map(r -> r.get("status", String.class)).one().blockOptional().orElse("none");
    }

    @Test
    void anEventShowsWithinFiveSecondsWhileAnImportIsStillRunning() throws Exception {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n"
                + "T2,Assessment South,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date\n"
                + "S1,T1,social_worker,permanent,1,2020-01-01,Y,2010-07-01\n").expectStatus().isCreated();

        // 120,000 referrals for T2, sent over about ten seconds, as a slow link would
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/London"));
        int chunks = 40;
        int perChunk = 3_000;
        Flux<DataBuffer> body = Flux.range(0, chunks + 1).delayElements(Duration.ofMillis(250)).map(c -> {
            StringBuilder rows = new StringBuilder(c == 0 ? "referral_id,child_id,team_id,referral_date,allocated_date\n" : "");
            for (int i = 0; i < (c == 0 ? 0 : perChunk); i++) {
                int n = (c - 1) * perChunk + i;
                rows.append("R").append(n).append(",C").append(n).append(",T2,").append(today.minusDays(n % 300)).append(',')
                        .append(today.minusDays(n % 300)).append('\n');
            }
            return DefaultDataBufferFactory.sharedInstance.wrap(rows.toString().getBytes(StandardCharsets.UTF_8));
        });
        CompletableFuture<Integer> imported = WebClient.create("http://localhost:" + port).post().uri("/api/imports/referrals")
                .headers(h -> h.setBasicAuth("admin", PASSWORD)).contentType(MediaType.parseMediaType("text/csv"))
                .body(body, DataBuffer.class).exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).toFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> importStatus().equals("running"));

        web.post().uri("/api/events").contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue(LiveEventsTest.allocationsStartedToday(23, "w", "K")).exchange().expectStatus().isOk();
        LiveEventsTest.showsWithinFiveSeconds(web);
        assertThat(importStatus()).as("the import was still running when the event showed").isEqualTo("running");

        assertThat(imported.get(60, TimeUnit.SECONDS)).isEqualTo(201);
        awaitIndicatorsCurrent();
        assertThat(count("referrals")).isEqualTo((long) chunks * perChunk);
    }
}
