package org.workforcewatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.events.EventReceipt;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Two instances of the service on one database, as behind a load balancer: the same file imported on
 * both at once ends as one import, the same event posted to both is applied once, both answer the same
 * figures, and an instance starting never fails an import the other is running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesTest {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv");
    private static final Pattern A_FIGURE = Pattern.compile("\"value\":\\d");

    private KillablePostgres database;
    private Instance first;
    private Instance second;

    @BeforeAll
    void start() {
        database = KillablePostgres.create("two");
        first = Instance.start(database);
        second = Instance.start(database);
        first.web.post().uri("/api/imports/teams").contentType(CSV).bodyValue(Workload.TEAMS).exchange().expectStatus().isCreated();
        second.web.post().uri("/api/imports/staff").contentType(CSV).bodyValue(Workload.staff()).exchange().expectStatus().isCreated();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {first, second, database}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @BeforeEach
    void noAllocations() {
        first.db.sql("DELETE FROM allocations").then().block();
    }

    @Test
    void theSameFileImportedOnBothAtOnceEndsAsOneImportAndBothAnswerTheSameFigures() throws Exception {
        byte[] file = Workload.allocations(50_000);
        Sinks.Empty<Void> rest = Sinks.empty();
        var onFirst = upload(first, file, "same.csv", rest.asMono());
        var onSecond = upload(second, file, "same.csv", rest.asMono());
        // Both imports have begun; one copies its file while the other waits for the dataset's lock.
        await("one import copying, the other waiting its turn").atMost(Duration.ofSeconds(30)).until(() ->
                count("pg_stat_activity WHERE query LIKE 'COPY import_stage%'") == 1
                        && count("pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
                        + " AND query = 'SELECT pg_advisory_xact_lock(hashtext($1))'") == 1);
        rest.tryEmitEmpty();

        List<ImportReceipt> receipts = List.of(created(onFirst.get(60, TimeUnit.SECONDS)), created(onSecond.get(60, TimeUnit.SECONDS)));
        assertThat(receipts).extracting(ImportReceipt::inserted).containsExactlyInAnyOrder(50_000L, 0L);
        assertThat(receipts).extracting(ImportReceipt::unchanged).containsExactlyInAnyOrder(0L, 50_000L);
        assertThat(receipts).extracting(ImportReceipt::updated).containsOnly(0L);
        assertThat(Workload.storedAllocations(first.db)).isEqualTo(Workload.fingerprint(file));

        await("the same figures from both instances").atMost(Duration.ofSeconds(60)).until(() -> {
            String fromFirst = indicators(first);
            return A_FIGURE.matcher(fromFirst).find() && fromFirst.equals(indicators(second));
        });
    }

    @Test
    void theSameEventPostedToBothAtOnceIsAppliedOnce() {
        for (int round = 0; round < 10; round++) {
            String event = Workload.supervisionEvent("twice-" + round, 90_000 + round);
            List<EventReceipt> answers = Mono.zip(post(first, event), post(second, event), List::of).block(Duration.ofSeconds(30));
            assertThat(answers).extracting(EventReceipt::accepted).containsExactlyInAnyOrder(1L, 0L);
            assertThat(answers).extracting(EventReceipt::duplicates).containsExactlyInAnyOrder(0L, 1L);
        }
        assertThat(count("events WHERE event_id LIKE 'twice-%'")).isEqualTo(10);
        assertThat(count("events e JOIN supervision s ON s.staff_id = e.payload->>'staff_id'"
                + " AND s.supervision_date = CAST(e.payload->>'supervision_date' AS date) WHERE e.event_id LIKE 'twice-%'"))
                .isEqualTo(10);
    }

    @Test
    void anInstanceStartingFailsOnlyImportsThatNoInstanceIsRunning() throws Exception {
        // what a crashed instance leaves behind: "running", ten minutes old, held by no transaction
        first.db.sql("INSERT INTO imports (dataset, format_version, status, file_name, started_at)"
                + " VALUES ('allocations', '1.0', 'running', 'orphan.csv', now() - interval '10 minutes')").then().block();
        byte[] file = Workload.allocations(50_000);
        Sinks.Empty<Void> rest = Sinks.empty();
        var alive = upload(first, file, "alive.csv", rest.asMono());
        await("the live import's COPY").atMost(Duration.ofSeconds(30))
                .until(() -> count("pg_stat_activity WHERE query LIKE 'COPY import_stage%'") == 1);
        // as old as the orphan: only its lock tells them apart
        first.db.sql("UPDATE imports SET started_at = now() - interval '10 minutes' WHERE file_name = 'alive.csv'").then().block();

        try (Instance third = Instance.start(database)) {
            assertThat(third.db.sql("SELECT file_name || ' ' || status AS s FROM imports WHERE file_name IN ('orphan.csv', 'alive.csv')"
                    + " ORDER BY file_name").map(row -> row.get("s", String.class)).all().collectList().block())
                    .containsExactly("alive.csv running", "orphan.csv failed");
        }
        rest.tryEmitEmpty();
        assertThat(created(alive.get(60, TimeUnit.SECONDS)).status()).isEqualTo("succeeded");
    }

    private static CompletableFuture<ResponseEntity<ImportReceipt>> upload(Instance instance, byte[] file, String name,
                                                                          Mono<Void> rest) {
        return instance.client().post().uri("/api/imports/allocations?file_name=" + name).contentType(CSV)
                .body(Workload.gated(file, 64 * 1024, rest), DataBuffer.class)
                .exchangeToMono(response -> response.toEntity(ImportReceipt.class)).toFuture();
    }

    private static ImportReceipt created(ResponseEntity<ImportReceipt> answer) {
        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        return answer.getBody();
    }

    private static Mono<EventReceipt> post(Instance instance, String ndjson) {
        return instance.client().post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON).bodyValue(ndjson)
                .retrieve().bodyToMono(EventReceipt.class);
    }

    private static String indicators(Instance instance) {
        return instance.web.get().uri("/api/indicators").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private long count(String from) {
        return first.db.sql("SELECT count(*) AS n FROM " + from).map(row -> row.get("n", Long.class)).one().block();
    }
}
