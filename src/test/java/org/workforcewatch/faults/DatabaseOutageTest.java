package org.workforcewatch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.workforcewatch.indicators.IndicatorsRefreshed;
import org.workforcewatch.ingest.UploadBrokenOff;
import org.workforcewatch.ingest.csv.Importer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * PostgreSQL killed under the running service (as a crash: {@code pg_ctl stop -m immediate}) and started
 * again on the same port and data: health and answers follow the database down and back up by themselves,
 * an import in flight leaves nothing and can be sent again, and no acknowledged event is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv");

    private KillablePostgres database;
    private Instance app;
    /** For requests the test must not wait on (a streamed upload, concurrent posts). */
    private WebClient client;
    /** Answers must come in seconds, not after a pool's long acquire timeout. */
    private WebTestClient quick;

    @BeforeAll
    void start() {
        database = KillablePostgres.create("outage");
        app = Instance.start(database);
        client = app.client();
        quick = app.web.mutate().responseTimeout(Duration.ofSeconds(10)).build();
        app.web.post().uri("/api/imports/teams").contentType(CSV).bodyValue(Workload.TEAMS).exchange().expectStatus().isCreated();
        app.web.post().uri("/api/imports/staff").contentType(CSV).bodyValue(Workload.staff()).exchange().expectStatus().isCreated();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void databaseUp() {
        database.ensureRunning();
        awaitHealthUp();
    }

    @Test
    void healthAndReadsAnswer503WhileTheDatabaseIsDownAndRecoverWithoutARestart() {
        quick.get().uri("/api/indicators").exchange().expectStatus().isOk();

        database.kill();
        quick.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.status").isEqualTo("DOWN");
        quick.get().uri("/api/indicators").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/database-unavailable");
        // a dashboard page is answered by a route, not a controller: the same answer
        quick.get().uri("/teams/T1").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10");

        database.start();
        awaitHealthUp();
        quick.get().uri("/api/indicators").exchange().expectStatus().isOk();
        quick.get().uri("/teams/T1").exchange().expectStatus().isOk();
    }

    @Test
    void aRefreshOfTheIndicatorsCutOffByTheOutageRunsAgainWhenTheDatabaseIsBack() throws Exception {
        AtomicInteger refreshed = new AtomicInteger();
        app.listen(IndicatorsRefreshed.class, event -> refreshed.incrementAndGet());
        try (Connection session = database.connect()) {
            // Hold the indicators' lock, so that the refresh the next event starts is surely under way when the database dies.
            session.setAutoCommit(false);
            session.createStatement().execute("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))");
            quick.post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON)
                    .bodyValue(Workload.supervisionEvent("before-the-outage", 199_990)).exchange().expectStatus().isOk();
            await("the refresh waiting for the lock").atMost(Duration.ofSeconds(30)).until(() -> count("pg_stat_activity"
                    + " WHERE wait_event = 'advisory' AND query LIKE '%workforce-indicators%' AND pid <> pg_backend_pid()") > 0);
            int before = refreshed.get();
            database.kill();
            database.start();
            await("the indicators refreshed again").atMost(Duration.ofSeconds(60)).until(() -> refreshed.get() > before);
        }
    }

    @Test
    void anImportInFlightLeavesNothingIsRecordedFailedAndSucceedsWhenSentAgain() throws Exception {
        byte[] file = Workload.allocations(200_000);
        long before = count("allocations");
        Sinks.Empty<Void> rest = Sinks.empty();
        CompletableFuture<ResponseEntity<String>> answer = client.post().uri("/api/imports/allocations?file_name=outage.csv")
                .contentType(CSV).body(Workload.gated(file, file.length / 2, rest.asMono()), DataBuffer.class)
                .exchangeToMono(response -> response.toEntity(String.class)).toFuture();
        // half the file is being copied into PostgreSQL; the rest waits on the client
        await("the import's COPY").atMost(Duration.ofSeconds(30))
                .until(() -> count("pg_stat_activity WHERE query LIKE 'COPY import_stage%'") == 1);

        database.kill();
        rest.tryEmitEmpty();
        // The service answers at once, while the client is still sending: a 503 problem, not a broken connection.
        ResponseEntity<String> refused = answer.get(30, TimeUnit.SECONDS);
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
        assertThat(refused.getBody()).contains("database-unavailable");

        database.start();
        awaitHealthUp();
        await("the failed import recorded").atMost(Duration.ofSeconds(30))
                .until(() -> one("SELECT status || ': ' || coalesce(detail, '') FROM imports WHERE file_name = 'outage.csv'"),
                        status -> status.startsWith("failed: failed: the database could not be reached"));
        assertThat(count("allocations")).isEqualTo(before);

        app.web.post().uri("/api/imports/allocations?file_name=again.csv").contentType(CSV).bodyValue(file).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.rows").isEqualTo(200_000);
        assertThat(Workload.storedAllocations(app.db)).isEqualTo(Workload.fingerprint(file));
    }

    @Test
    void everyAcknowledgedEventSurvivesAndEveryRefusedOneIsStoredOnceWhenSentAgain() throws Exception {
        int senders = 8;
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        Queue<Batch> stored = new ConcurrentLinkedQueue<>();
        Queue<Batch> refused = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                // each sender posts batch after batch until it has been refused twice after the kill
                running.add(pool.submit(() -> {
                    int refusedSinceKill = 0;
                    for (int b = 0; refusedSinceKill < 2 && b < 1000; b++) {
                        boolean afterKill = killed.get();
                        Batch batch = new Batch(sender, b);
                        if (post(batch)) {
                            stored.add(batch);
                            acknowledged.incrementAndGet();
                        } else {
                            refused.add(batch);
                            refusedSinceKill += afterKill ? 1 : 0;
                        }
                    }
                    return null;
                }));
            }
            await("a burst under way").atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 40);
            database.kill();
            killed.set(true);
            for (Future<?> sender : running) {
                sender.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(refused).hasSizeGreaterThanOrEqualTo(2 * senders);

        database.start();
        awaitHealthUp();
        Set<String> inDatabase = new HashSet<>(app.db.sql("SELECT event_id FROM events").map(row -> row.get("event_id", String.class))
                .all().collectList().block());
        assertThat(inDatabase).containsAll(stored.stream().flatMap(b -> b.ids().stream()).toList());
        // A refused batch may have been committed just as the database died, but never in part.
        for (Batch batch : refused) {
            long found = batch.ids().stream().filter(inDatabase::contains).count();
            assertThat(found).as("events of refused batch %s stored", batch.ids().get(0)).isIn(0L, (long) Batch.SIZE);
        }

        assertThat(Flux.fromIterable(refused).flatMap(batch -> Mono.fromCallable(() -> post(batch))
                .subscribeOn(Schedulers.boundedElastic()), senders).all(Boolean::booleanValue).block()).isTrue();
        long sent = (long) (stored.size() + refused.size()) * Batch.SIZE;
        assertThat(count("events WHERE event_id LIKE 'burst-%'")).isEqualTo(sent);
        assertThat(count("(SELECT DISTINCT event_id FROM events WHERE event_id LIKE 'burst-%') e")).isEqualTo(sent);
        // every event's effect is there, and nothing without its event (only events write supervision here)
        assertThat(count("events e JOIN supervision s ON s.staff_id = e.payload->>'staff_id'"
                + " AND s.supervision_date = CAST(e.payload->>'supervision_date' AS date) WHERE e.event_id LIKE 'burst-%'"))
                .isEqualTo(sent);
        assertThat(count("supervision")).isEqualTo(count("events"));
    }

    @Test
    void aClientThatAbortsItsUploadIsNotADatabaseFault() throws Exception {
        byte[] file = Workload.allocations(50_000);
        String before = Workload.storedAllocations(app.db);
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/imports/allocations?file_name=aborted.csv HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + Instance.ADMIN + "\r\nContent-Type: text/csv\r\nContent-Length: " + file.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, file.length / 2);
            out.flush();
            await("the import's COPY").atMost(Duration.ofSeconds(30))
                    .until(() -> count("pg_stat_activity WHERE query LIKE 'COPY import_stage%'") == 1);
            socket.setSoLinger(true, 0); // the client vanishes: a reset, mid-file
        }
        await("the aborted import recorded").atMost(Duration.ofSeconds(30))
                .until(() -> one("SELECT status || ': ' || coalesce(detail, '') FROM imports WHERE file_name = 'aborted.csv'"),
                        status -> status.startsWith("failed: cancelled"));
        assertThat(Workload.storedAllocations(app.db)).isEqualTo(before);
        quick.get().uri("/actuator/health").exchange().expectStatus().isOk();

        // A body that fails in transport also makes the COPY fail, with a PostgreSQL error; the client is blamed.
        Flux<DataBuffer> failing = Flux.concat(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOf(file, file.length / 2))),
                Flux.error(new IOException("Connection reset by peer")));
        StepVerifier.create(app.bean(Importer.class).importCsv("allocations", failing, Importer.Extract.FULL, "reset.csv"))
                .expectError(UploadBrokenOff.class)
                .verify(Duration.ofSeconds(30));
        await("the broken-off import recorded").atMost(Duration.ofSeconds(30))
                .until(() -> one("SELECT status || ': ' || coalesce(detail, '') FROM imports WHERE file_name = 'reset.csv'"),
                        status -> status.startsWith("failed: failed: the upload broke off"));
        assertThat(Workload.storedAllocations(app.db)).isEqualTo(before);
    }

    /** A batch of events from one sender, with ids of its own. */
    private record Batch(int sender, int number) {
        static final int SIZE = 25;

        List<String> ids() {
            return IntStream.range(0, SIZE).mapToObj(i -> "burst-" + sender + "-" + number + "-" + i).toList();
        }

        String ndjson() {
            return IntStream.range(0, SIZE).mapToObj(i -> Workload.supervisionEvent(ids().get(i), (sender * 1000 + number) * SIZE + i))
                    .collect(Collectors.joining());
        }
    }

    /**
     * Posts a batch: true when it was acknowledged (2xx), false when it was refused as the database being
     * down (503 with Retry-After) or the connection failed; any other answer fails the test.
     */
    private boolean post(Batch batch) {
        try {
            ResponseEntity<Void> answer = client.post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON)
                    .bodyValue(batch.ndjson()).exchangeToMono(response -> response.toBodilessEntity())
                    .block(Duration.ofSeconds(30));
            if (answer.getStatusCode().is2xxSuccessful()) {
                return true;
            }
            assertThat(answer.getStatusCode().value()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
            return false;
        } catch (WebClientRequestException e) {
            return false;
        }
    }

    private void awaitHealthUp() {
        await("health UP").atMost(Duration.ofSeconds(60)).until(() -> quick.get().uri("/actuator/health").exchange()
                .returnResult(String.class).getStatus().value() == 200);
    }

    private long count(String from) {
        return app.db.sql("SELECT count(*) AS n FROM " + from).map(row -> row.get("n", Long.class)).one().block();
    }

    private String one(String sql) {
        return app.db.sql(sql).map(row -> String.valueOf(row.get(0))).one().block();
    }
}
