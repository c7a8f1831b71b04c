package org.workforcewatch.ingest.events;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.Fixtures;

/** Base of the live-event tests: the fixtures' teams and staff stored, and a way to post NDJSON. */
abstract class EventTest extends ApiTest {

    @BeforeEach
    void teamsAndStaff() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        upload("staff", Fixtures.VALID.get("staff")).expectStatus().isCreated();
    }

    protected WebTestClient.ResponseSpec ndjson(String body) {
        return web.post().uri("/api/events").contentType(MediaType.APPLICATION_NDJSON).bodyValue(body).exchange();
    }
}
