package org.workforcewatch.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** A repeated event_id is acknowledged and never applied twice. */
class EventDuplicateTest extends EventTest {

    private static final String ALLOCATION = """
            {"type": "allocation_started", "occurred_at": "2026-11-23T10:15:00Z", "event_id": "%s", "allocation_id": "%s", "child_id": "C1", "staff_id": "S1", "case_type": "%s", "start_date": "2026-11-01"}
            """;



    @Test
    void aRepeatedEventIdIsAcknowledgedButNotAppliedTwice() {
        ndjson(ALLOCATION.formatted("ev-1", "A1", "cin")).expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
        // The same id again, even with other content (a retry that was edited): acknowledged, nothing changes.
        ndjson(ALLOCATION.formatted("ev-1", "A1", "cp") + ALLOCATION.formatted("ev-2", "A2", "cin"))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.duplicates").isEqualTo(1)
                .jsonPath("$.results[0].status").isEqualTo("duplicate")
                .jsonPath("$.results[0].event_id").isEqualTo("ev-1")
                .jsonPath("$.results[0].warnings[0]").isEqualTo("event_id already received in an earlier request")
                .jsonPath("$.results[1].status").isEqualTo("applied");
        assertThat(one("SELECT string_agg(allocation_id || ' ' || case_type, ',' ORDER BY allocation_id) FROM allocations"))
                .isEqualTo("A1 cin,A2 cin");
        assertThat(count("events")).isEqualTo(2);
    }

    @Test
    void aRequestOfOnlyDuplicatesIsAnsweredOk() {
        String body = ALLOCATION.formatted("ev-1", "A1", "cin");
        ndjson(body).expectStatus().isOk();
        ndjson(body).expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(0)
                .jsonPath("$.duplicates").isEqualTo(1);
        assertThat(count("events")).isEqualTo(1);
    }

    @Test
    void anEventIdRepeatedWithinOneRequestIsAppliedOnceAsItsFirstLineSays() {
        ndjson(ALLOCATION.formatted("ev-1", "A1", "cin") + ALLOCATION.formatted("ev-1", "A1", "cp")
                + ALLOCATION.formatted("ev-1", "A9", "cla"))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.duplicates").isEqualTo(2)
                .jsonPath("$.results[1].warnings[0]").isEqualTo("event_id already received on line 1")
                .jsonPath("$.results[2].status").isEqualTo("duplicate");
        assertThat(one("SELECT string_agg(allocation_id || ' ' || case_type, ',') FROM allocations")).isEqualTo("A1 cin");
        assertThat(one("SELECT line || ' ' || (payload->>'case_type') FROM events WHERE event_id = 'ev-1'")).isEqualTo("1 cin");
    }

    @Test
    void aRejectedEventCanBeSentAgainCorrectedUnderTheSameId() {
        ndjson(ALLOCATION.formatted("ev-1", "A1", "nonsense")).expectStatus().isEqualTo(422);
        ndjson(ALLOCATION.formatted("ev-1", "A1", "cin")).expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
        assertThat(count("allocations")).isEqualTo(1);
    }

    @Test
    void theSameEventSentByManyClientsAtOnceIsAppliedOnce() {
        // Supervision events without a natural duplicate key: only the event_id keeps them from counting twice.
        String body = IntStream.range(0, 20).mapToObj(i -> """
                {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "event_id": "sup-%d", "staff_id": "S1", "supervision_date": "2026-10-%02d"}
                """.formatted(i, i + 1)).reduce("", String::concat);
        List<Long> accepted = Flux.range(0, 8).parallel(8).runOn(Schedulers.boundedElastic())
                .map(i -> web.post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON).bodyValue(body).exchange()
                        .expectStatus().isOk().expectBody(EventReceipt.class).returnResult().getResponseBody().accepted())
                .sequential().collectList().block();
        assertThat(accepted.stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
        assertThat(count("events")).isEqualTo(20);
        assertThat(count("supervision")).isEqualTo(20);
    }
}
