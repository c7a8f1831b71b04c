package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.workforcewatch.ApiTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers of /api/indicators: they say when their figures were computed and whether changes are waiting, they
 * never wait for a recompute, they are the same bytes while the figures stand (compressed on request), and they
 * can be narrowed to one service.
 */
class IndicatorAnswersTest extends ApiTest {

    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";

    @Autowired
    private ConnectionFactory connections;

    @Autowired
    private JsonMapper json;

    @org.springframework.beans.factory.annotation.Value("${local.server.port}")
    private int port;

    private void authority() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Safeguarding East,Safeguarding,safeguarding
                """).expectStatus().isCreated();
        upload("staff", STAFF + "S1,T1,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "S2,T2,social_worker,agency,1,2020-01-01,,,Y,2012-07-01,Hays,40\n").expectStatus().isCreated();
    }

    private byte[] raw(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> answer(String uri) {
        return json.readValue(raw(uri), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agencyOf(Map<String, Object> body, String scope) {
        return ((List<Map<String, Object>>) body.get("indicators")).stream()
                .filter(i -> i.get("indicator").equals("agency_rate") && i.get("scope").equals(scope)).findFirst().orElseThrow();
    }

    @Test
    void aReadServesTheLastComputedFiguresAndSaysChangesArePendingWhileARecomputeCannotRun() {
        authority();
        Map<String, Object> before = answer("/api/indicators?level=team");
        assertThat(before).containsEntry("pending", false).containsKey("computed_at");
        assertThat(agencyOf(before, "T1")).containsEntry("value", 0.0);

        // Hold the indicators' lock, as a long recompute would, and change T1's staff meanwhile.
        Connection holder = Mono.from(connections.create()).block(Duration.ofSeconds(30));
        try {
            execute(holder, "SELECT pg_advisory_lock(hashtext('workforce-indicators'))");
            holdingIndicatorsBack = true;
            upload("staff", STAFF + "S3,T1,social_worker,agency,1,2021-01-01,,,Y,2012-07-01,Reed,45\n").expectStatus().isCreated();
            holdingIndicatorsBack = false;

            Map<String, Object> during = answer("/api/indicators?level=team");
            assertThat(during).containsEntry("pending", true).containsEntry("computed_at", before.get("computed_at"));
            assertThat(agencyOf(during, "T1")).containsEntry("value", 0.0);
        } finally {
            execute(holder, "SELECT pg_advisory_unlock(hashtext('workforce-indicators'))");
            Mono.from(holder.close()).block(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> after = answer("/api/indicators?level=team");
            assertThat(after).containsEntry("pending", false);
            assertThat(agencyOf(after, "T1")).containsEntry("value", 50.0);
        });
    }

    @Test
    void theSameFiguresAreTheSameBytesCompressedOnRequestUntilTheyChange() throws IOException, InterruptedException {
        authority();
        byte[] first = raw("/api/indicators?level=team");
        assertThat(raw("/api/indicators?level=team")).isEqualTo(first);

        // the JDK's client, which leaves a compressed body as it came
        java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://localhost:" + port + "/api/indicators?level=team"))
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip").header(HttpHeaders.AUTHORIZATION, "Basic "
                        + java.util.Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).contains("gzip");
        assertThat(response.headers().firstValue(HttpHeaders.VARY)).contains(HttpHeaders.ACCEPT_ENCODING);
        byte[] zipped = response.body();
        assertThat(zipped.length).isLessThan(first.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(new String(first, StandardCharsets.UTF_8));
        }

        upload("staff", STAFF + "S3,T1,social_worker,agency,1,2021-01-01,,,Y,2012-07-01,Reed,45\n").expectStatus().isCreated();
        assertThat(agencyOf(answer("/api/indicators?level=team"), "T1")).containsEntry("value", 50.0);
    }

    @Autowired
    private IndicatorEngine engine;

    /**
     * An answer for a date not stored asks for it twice at once (its figures and the benchmarks' comparison): the
     * date is computed once, and asked again it is kept until the data changes.
     */
    @Test
    void aDateNotStoredIsComputedOnceForAllWhoAskForItAtOnce() {
        authority();
        // a leaver vouches for the staff history from March 2024
        upload("staff", STAFF + "S1,T1,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "S2,T2,social_worker,agency,1,2020-01-01,,,Y,2012-07-01,Hays,40\n"
                + "S3,T1,social_worker,permanent,1,2019-01-01,2024-03-15,resigned,Y,2012-07-01,,\n").expectStatus().isCreated();
        long before = engine.computedOnTheSpot();
        Map<String, Object> first = answer("/api/indicators?as_of=2025-06-17");
        assertThat(engine.computedOnTheSpot() - before).as("computations of 17 June 2025").isEqualTo(1);
        assertThat(first).containsEntry("as_of", "2025-06-17");
        assertThat(answer("/api/indicators?as_of=2025-06-17&level=authority").get("indicators"))
                .isEqualTo(((List<?>) first.get("indicators")).stream()
                        .filter(i -> ((Map<?, ?>) i).get("level").equals("authority")).toList());
        assertThat(engine.computedOnTheSpot() - before).as("kept while the data stands").isEqualTo(1);
    }

    @Test
    void aTeamLevelAnswerCanBeNarrowedToOneService() {
        authority();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> values = (List<Map<String, Object>>) answer("/api/indicators?level=team&service=Safeguarding")
                .get("indicators");
        assertThat(values).isNotEmpty().allMatch(v -> v.get("scope").equals("T2") && v.get("service").equals("Safeguarding"));
        assertThat(answer("/api/indicators?level=team&service=Safeguarding")).containsEntry("service", "Safeguarding");
    }

    private static void execute(Connection c, String sql) {
        Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.getRowsUpdated()).blockLast(Duration.ofSeconds(30));
    }
}
