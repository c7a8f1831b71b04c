package org.workforcewatch.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Events and files agree: what an event recorded and a later file repeats is one record, not two. */
class EventAndFileTest extends EventTest {

    private static final String STAFF_HEADER = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,"
            + "case_holding,qualified_date,agency_name,agency_hourly_rate\n";

    @Autowired
    private ConnectionFactory connections;

    @LocalServerPort
    private int port;



    @Test
    void aLeaverSentAsAnEventAndThenInTheMonthlyHrFileIsOneLeaver() {
        ndjson("""
                {"type": "staff_left", "occurred_at": "2026-11-20T17:00:00Z", "event_id": "hr-991", "staff_id": "S1", "end_date": "2026-11-20", "leaving_reason": "resigned"}
                """).expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
        upload("staff", STAFF_HEADER
                + "S1,T1,social_worker,permanent,1,2022-01-10,2026-11-20,resigned,Y,2015-07-01,,\n"
                + "S2,T1,social_worker,agency,0.8,2023-03-01,,,Y,2022-07-01,Hays,48.50\n"
                + "S3,T2,senior_practitioner,fixed_term,1,2020-05-01,2024-06-30,resigned,N,2010-07-01,,\n")
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(0)
                .jsonPath("$.missing_from_extract_total").isEqualTo(0);
        assertThat(one("SELECT count(*) FROM staff_spells WHERE staff_id = 'S1'")).isEqualTo("1");
        assertThat(one("SELECT count(*) FROM staff_spells WHERE end_date = '2026-11-20' AND leaving_reason = 'resigned'")).isEqualTo("1");
        // The file now owns the row it confirmed.
        assertThat(one("SELECT source || ' ' || (import_id IS NOT NULL) FROM staff_spells WHERE staff_id = 'S1'")).isEqualTo("file true");
    }

    @Test
    void aLeaverInTheHrFileAndThenSentAsAnEventIsStillOneLeaver() {
        upload("staff", STAFF_HEADER + "S1,T1,social_worker,permanent,1,2022-01-10,2026-11-20,resigned,Y,2015-07-01,,\n"
                + "S2,T1,social_worker,agency,0.8,2023-03-01,,,Y,2022-07-01,Hays,48.50\n").expectStatus().isCreated();
        ndjson("""
                {"type": "staff_left", "occurred_at": "2026-11-20T17:00:00Z", "staff_id": "S1", "end_date": "2026-11-20"}
                """).expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
        assertThat(one("SELECT count(*) || ' ' || max(end_date) || ' ' || max(leaving_reason) FROM staff_spells WHERE staff_id = 'S1'"))
                .isEqualTo("1 2026-11-20 resigned");
    }

    @Test
    void anAllocationStartedByEventAndThenInTheFileIsOneAllocation() {
        ndjson("""
                {"type": "allocation_started", "occurred_at": "2026-11-20T17:00:00Z", "allocation_id": "A7", "child_id": "C7", "staff_id": "S1", "case_type": "cp", "start_date": "2026-11-20"}
                """).expectStatus().isOk();
        upload("allocations", "allocation_id,child_id,staff_id,case_type,start_date,end_date\nA7,C7,S1,cp,2026-11-20,\n")
                .expectStatus().isCreated().expectBody().jsonPath("$.inserted").isEqualTo(0);
        assertThat(count("allocations")).isEqualTo(1);
    }

    @Test
    void aLeaverEventAnswersTheMissingFromExtractFlagOfItsSpell() {
        upload("staff", STAFF_HEADER + "S2,T1,social_worker,agency,0.8,2023-03-01,,,Y,2022-07-01,Hays,48.50\n")
                .expectStatus().isCreated().expectBody().jsonPath("$.missing_from_extract_total").isEqualTo(1);
        ndjson("""
                {"type": "staff_left", "occurred_at": "2026-11-20T17:00:00Z", "staff_id": "S1", "end_date": "2026-11-20", "leaving_reason": "resigned"}
                """).expectStatus().isOk();
        assertThat(one("SELECT resolution || ' by ' || resolved_by FROM missing_records WHERE record_key->>'staff_id' = 'S1'"))
                .isEqualTo("ended_by_event by event");
    }

    @Test
    void anEventWaitsWhileAFileImportHoldsItsDatasetAndAppliesAfterIt() {
        Connection importing = Mono.from(connections.create()).block();
        try {
            // What an import of supervision holds for its whole transaction.
            Mono.from(importing.createStatement("SELECT pg_advisory_lock(hashtext('workforce-import:supervision'))").execute())
                    .flatMap(r -> Mono.from(r.getRowsUpdated())).block();
            AtomicReference<HttpStatusCode> answer = new AtomicReference<>();
            WebClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.setBasicAuth("hr", PASSWORD)).build()
                    .post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON)
                    .bodyValue("""
                            {"type": "supervision_recorded", "occurred_at": "2026-11-20T17:00:00Z", "staff_id": "S1", "supervision_date": "2026-11-20"}
                            """)
                    .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode())).subscribe(answer::set);
            await().atMost(Duration.ofSeconds(10)).until(() -> one("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'").equals("1"));
            assertThat(answer.get()).isNull();
            assertThat(count("supervision")).isZero();
            Mono.from(importing.createStatement("SELECT pg_advisory_unlock_all()").execute())
                    .flatMap(r -> Mono.from(r.getRowsUpdated())).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> answer.get() != null);
            assertThat(answer.get().value()).isEqualTo(200);
            assertThat(count("supervision")).isEqualTo(1);
        } finally {
            Mono.from(importing.close()).block();
        }
    }
}
