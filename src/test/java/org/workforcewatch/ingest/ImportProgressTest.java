package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.ssd.SsdFixtures;
import reactor.core.Disposable;

/**
 * An upload sent with an {@code Import-Progress} id can be followed while it runs, by the person who sends it only,
 * as server-sent events from {@code GET /api/imports/progress/{id}}; and the import log filters by dataset, outcome
 * and the days imports started.
 */
class ImportProgressTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() { };

    @LocalServerPort
    private int port;

    /** An event as it arrived, and when. */
    private record Arrived(long nanos, String event, Map<String, Object> data) {
        String phase() {
            return (String) data.get("phase");
        }

        long rows() {
            return ((Number) data.get("rows")).longValue();
        }
    }

    @Test
    void theSenderSeesTheRowsReadGrowWhileTheFileIsReadAndMergedThenHowItEnded() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Care North,Children in Care,children_in_care\n")
                .expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS1,T1,social_worker,permanent,1,2020-01-01,true\n")
                .expectStatus().isCreated();
        int allocations = 200_000;
        byte[] csv = allocations(allocations);
        String id = UUID.randomUUID().toString();
        List<Arrived> events = new CopyOnWriteArrayList<>();
        Disposable following = follow("hr", id, events);
        try {
            await("the stream is open").atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
            assertThat(events.get(0).phase()).as("before the upload").isEqualTo("waiting");
            assertThat(events.get(0).event()).isEqualTo("progress");

            Map<String, Object> receipt = as("hr").post().uri("/api/imports/allocations?file_name=big.csv")
                    .contentType(MediaType.parseMediaType("text/csv")).header("Import-Progress", id).bodyValue(csv)
                    .exchange().expectStatus().isCreated()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            long answered = System.nanoTime();

            assertThat(((Number) receipt.get("inserted")).longValue()).isEqualTo(allocations);
            await("the last event").atMost(Duration.ofSeconds(30)).until(() -> events.get(events.size() - 1).phase().equals("done"));
            List<Arrived> running = events.stream().filter(e -> e.nanos() < answered)
                    .filter(e -> List.of("receiving", "checking", "merging").contains(e.phase())).toList();
            assertThat(increases(running)).as("rows read grew at least three times before the receipt: %s", running)
                    .isGreaterThanOrEqualTo(3);
            assertThat(running).extracting(Arrived::phase).contains("receiving", "merging");
            Arrived last = events.get(events.size() - 1);
            assertThat(last.rows()).isEqualTo(allocations);
            assertThat(((Number) last.data().get("bytes")).longValue()).isEqualTo(csv.length);
            assertThat(((Number) last.data().get("total_bytes")).longValue()).isEqualTo(csv.length);
            // the phases only go forward
            List<String> order = List.of("waiting", "receiving", "checking", "merging", "done");
            assertThat(events).extracting(e -> order.indexOf(e.phase())).isSorted().doesNotContain(-1);
        } finally {
            following.dispose();
        }
    }

    @Test
    void aRefusedFileEndsItsProgressAsRejectedWithTheReason() {
        String id = UUID.randomUUID().toString();
        List<Arrived> events = new CopyOnWriteArrayList<>();
        Disposable following = follow("admin", id, events);
        try {
            await("the stream is open").atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
            web.post().uri("/api/imports/teams").contentType(MediaType.parseMediaType("text/csv")).header("Import-Progress", id)
                    .bodyValue("team_id,team_name,service,team_type\nT1,North,Care,nowhere\nT2,South,Care,assessment\n")
                    .exchange().expectStatus().isEqualTo(422);
            await("the last event").atMost(Duration.ofSeconds(30)).until(() -> events.get(events.size() - 1).phase().equals("rejected"));
            Arrived last = events.get(events.size() - 1);
            assertThat(last.rows()).isEqualTo(2);
            assertThat((String) last.data().get("detail")).isEqualTo("1 problem in the teams file: nothing was imported");
        } finally {
            following.dispose();
        }
        // followed again once it ended, it says how it ended, and the stream ends
        List<ServerSentEvent<Map<String, Object>>> again = as("admin").get().uri("/api/imports/progress/" + id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk().returnResult(EVENT).getResponseBody()
                .filter(e -> e.data() != null).collectList().block(Duration.ofSeconds(10));
        assertThat(again).singleElement().satisfies(e -> assertThat(e.data()).containsEntry("phase", "rejected"));
    }

    @Test
    void aZipOfSsdTablesIsFollowedTableByTableItsRowsAddedUp() {
        String id = UUID.randomUUID().toString();
        List<Arrived> events = new CopyOnWriteArrayList<>();
        byte[] zip = SsdFixtures.zip(SsdFixtures.TABLES);
        Disposable following = follow("hr", id, events);
        try {
            await("the stream is open").atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
            List<Map<String, Object>> receipts = as("hr").post().uri("/api/imports/ssd").contentType(MediaType.parseMediaType("application/zip"))
                    .header("Import-Progress", id).bodyValue(zip).exchange().expectStatus().isCreated()
                    .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
            await("the last event").atMost(Duration.ofSeconds(30)).until(() -> events.get(events.size() - 1).phase().equals("done"));
            Arrived last = events.get(events.size() - 1);
            assertThat(last.rows()).isEqualTo(receipts.stream().mapToLong(r -> ((Number) r.get("rows")).longValue()).sum()).isPositive();
            assertThat(((Number) last.data().get("bytes")).longValue()).isEqualTo(zip.length);
            assertThat(last.data()).containsEntry("dataset", "ssd_care_leavers");
        } finally {
            following.dispose();
        }
    }

    @Test
    void aCensusReturnIsFollowedToItsEndWithTheWorkersItRead() throws java.io.IOException {
        byte[] xml;
        try (var in = ImportProgressTest.class.getResourceAsStream("/reference/csww-census/sample_2022.xml")) {
            xml = in.readAllBytes();
        }
        String id = UUID.randomUUID().toString();
        List<Arrived> events = new CopyOnWriteArrayList<>();
        Disposable following = follow("admin", id, events);
        try {
            await("the stream is open").atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
            Map<String, Object> receipt = web.post().uri("/api/imports/census").contentType(MediaType.APPLICATION_XML)
                    .header("Import-Progress", id).bodyValue(xml).exchange().expectStatus().isCreated()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            await("the last event").atMost(Duration.ofSeconds(30)).until(() -> events.get(events.size() - 1).phase().equals("done"));
            Arrived last = events.get(events.size() - 1);
            assertThat(last.rows()).isEqualTo(((Number) receipt.get("rows")).longValue()).isPositive();
            assertThat(((Number) last.data().get("bytes")).longValue()).isEqualTo(xml.length);
        } finally {
            following.dispose();
        }
    }

    @Test
    void onlyTheSenderMayFollowAnUploadOrUploadWithItsId() {
        String id = UUID.randomUUID().toString();
        List<Arrived> events = new CopyOnWriteArrayList<>();
        Disposable following = follow("hr", id, events);
        try {
            await("the stream is open").atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
            web.get().uri("/api/imports/progress/" + id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("another person's upload"));
            web.post().uri("/api/imports/teams").contentType(MediaType.parseMediaType("text/csv")).header("Import-Progress", id)
                    .bodyValue("team_id,team_name,service,team_type\nT1,North,Care,assessment\n")
                    .exchange().expectStatus().isForbidden();
            assertThat(count("imports")).as("the refused upload was not imported").isZero();
            // the roles that may not import may not follow either
            as("viewer").get().uri("/api/imports/progress/" + id).accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isForbidden();
            as("head").get().uri("/api/imports/progress/" + UUID.randomUUID()).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isForbidden();
            assertThat(events).extracting(Arrived::phase).containsOnly("waiting");
        } finally {
            following.dispose();
        }
    }

    @Test
    void aProgressIdThatIsNotAUuidIsABadRequestNamingIt() {
        web.get().uri("/api/imports/progress/not-a-uuid").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .isEqualTo("the progress id must be a UUID such as 3f2b8c1e-6a47-4f0e-9d2a-5b7c8e9f0a1b, got: not-a-uuid"));
        web.get().uri("/api/imports/progress/1-2-3-4-5").exchange().expectStatus().isBadRequest();
        web.post().uri("/api/imports/teams").contentType(MediaType.parseMediaType("text/csv")).header("Import-Progress", "12345")
                .bodyValue("team_id,team_name,service,team_type\nT1,North,Care,assessment\n")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("Import-Progress header must be a UUID"));
        assertThat(count("imports")).isZero();
    }

    @Test
    void theImportLogFiltersByDatasetOutcomeAndTheDaysImportsStarted() {
        String teams = "team_id,team_name,service,team_type\nT1,North,Care,assessment\n";
        upload("teams", teams).expectStatus().isCreated();
        upload("teams", "team_id,team_name,service,team_type\nT2,South,Care,elsewhere\n").expectStatus().isEqualTo(422);
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS1,T1,social_worker,permanent,1,2020-01-01,true\n")
                .expectStatus().isCreated();
        String today = one("SELECT CAST(CAST(now() AT TIME ZONE 'UTC' AS date) AS text)");
        String yesterday = java.time.LocalDate.parse(today).minusDays(1).toString();

        assertThat(log("")).extracting(r -> r.get("dataset") + " " + r.get("status"))
                .containsExactly("staff succeeded", "teams rejected", "teams succeeded");
        assertThat(log("dataset=teams")).extracting(r -> r.get("status")).containsExactly("rejected", "succeeded");
        assertThat(log("status=rejected")).extracting(r -> r.get("dataset")).containsExactly("teams");
        assertThat(log("status=succeeded&dataset=staff")).hasSize(1);
        assertThat(log("from=" + today + "&to=" + today)).hasSize(3);
        assertThat(log("to=" + yesterday)).isEmpty();
        assertThat(log("from=" + java.time.LocalDate.parse(today).plusDays(1))).isEmpty();

        web.get().uri("/api/imports?status=broken").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .isEqualTo("status must be one of running, succeeded, rejected, failed, got: broken"));
        web.get().uri("/api/imports?from=2026-02-02&to=2026-02-01").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("is before from"));
        web.get().uri("/api/imports?from=yesterday").exchange().expectStatus().isBadRequest();
    }

    private List<Map<String, Object>> log(String query) {
        return as("hr").get().uri("/api/imports?" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
    }

    private Disposable follow(String user, String id, List<Arrived> into) {
        return WebClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.setBasicAuth(user, PASSWORD)).build()
                .get().uri("/api/imports/progress/" + id).accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(EVENT)
                .filter(e -> e.data() != null)
                .subscribe(e -> into.add(new Arrived(System.nanoTime(), e.event(), e.data())));
    }

    /** How many times the rows read went up from one event to the next. */
    private static int increases(List<Arrived> events) {
        int up = 0;
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).rows() > events.get(i - 1).rows()) {
                up++;
            }
        }
        return up;
    }

    /** Allocations of one worker, closed long ago, one per child. */
    static byte[] allocations(int count) {
        StringBuilder csv = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date\n");
        for (int i = 1; i <= count; i++) {
            csv.append('A').append(i).append(",C").append(i).append(",S1,cin,2019-01-01,2019-02-01\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
