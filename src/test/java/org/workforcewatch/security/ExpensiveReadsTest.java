package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.ApiTest;
import reactor.core.publisher.Mono;

/**
 * Answers that must be computed (figures of a date that is not stored, charts of them, the board pack, the backtest)
 * are capped per person: beyond two at once, 429 with Retry-After, while someone else is not held back. The two
 * computations are held, without any sleep, by a lock on the staff table that they need and this test holds.
 */
class ExpensiveReadsTest extends ApiTest {

    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";

    @Autowired
    private ExpensiveReads expensive;

    @Autowired
    private Environment environment;

    @Autowired
    private org.workforcewatch.indicators.IndicatorEngine engine;

    @Value("${local.server.port}")
    private int port;

    /** Staff since 2019, the first leaver in March 2023: dates from 15 March 2023 to today are covered. */
    private void authority() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", STAFF
                + "S1,T1,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n"
                + "S2,T1,social_worker,permanent,1,2019-01-01,2023-03-15,resigned,Y,2012-07-01,,\n").expectStatus().isCreated();
        // the month ends and today stored: only other dates are computed on the spot
        await("the stored figures settled").atMost(Duration.ofMinutes(2))
                .until(() -> engine.settled().block(Duration.ofSeconds(30)));
    }

    /** An answer a person is waiting for, not yet read: its status once it comes. */
    private Mono<HttpStatusCode> asked(String user, String uri) {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port).defaultHeaders(h -> h.setBasicAuth(user, PASSWORD)).build()
                .get().uri(uri).exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode())).cache();
    }

    /** A transaction holding the staff table so that nobody reads it until {@link Connection#rollback()}. */
    private Connection holdingTheStaffTable() throws SQLException {
        Connection c = DriverManager.getConnection(environment.getProperty("spring.flyway.url"),
                environment.getProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password"));
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE staff_spells IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    @Test
    void aThirdAnswerComputedAtOnceForOnePersonIsRefusedWithRetryAfterWhileAnotherPersonIsNot() throws SQLException {
        authority();
        // what is read before any computation (the coverage) is read now, before the staff table is held
        web.get().uri("/api/indicators?level=team").exchange().expectStatus().isOk();

        List<Mono<HttpStatusCode>> waiting = new ArrayList<>();
        try (Connection held = holdingTheStaffTable()) {
            // two dates that are not stored (neither a month end nor today): each is computed on the spot, and waits
            for (String day : List.of("2024-06-12", "2024-06-13")) {
                Mono<HttpStatusCode> answer = asked("viewer", "/api/indicators?level=team&as_of=" + day);
                answer.subscribe();
                waiting.add(answer);
            }
            await("two computations of the viewer's under way").atMost(Duration.ofSeconds(30))
                    .until(() -> expensive.running("viewer") == 2);

            for (String uri : List.of("/api/indicators?level=team&as_of=2024-06-14",
                    "/api/charts/indicators/agency_rate/teams.svg?as_of=2024-06-14",
                    "/api/reports/workforce-profile", "/api/forecast/backtest")) {
                as("viewer").get().uri(uri).exchange().expectStatus().isEqualTo(429)
                        .expectHeader().valueEquals("Retry-After", "5")
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody()
                        .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/too-many-expensive-reads")
                        .jsonPath("$.limit").isEqualTo(2)
                        .jsonPath("$.instance").isEqualTo(uri.replaceFirst("\\?.*", ""))
                        .jsonPath("$.detail").value(d -> assertThat((String) d).contains("2 answers being computed"));
            }
            // a stored date is only read, never refused
            as("viewer").get().uri("/api/indicators?level=team&as_of=2024-05-31").exchange().expectStatus().isOk();

            // someone else is not held back by the viewer's
            Mono<HttpStatusCode> head = asked("head", "/api/indicators?level=team&as_of=2024-06-14");
            head.subscribe();
            waiting.add(head);
            await("the head of service's computation under way").atMost(Duration.ofSeconds(30))
                    .until(() -> expensive.running("head") == 1);
            held.rollback();
        }
        for (Mono<HttpStatusCode> answer : waiting) {
            assertThat(answer.block(Duration.ofMinutes(1))).isEqualTo(HttpStatusCode.valueOf(200));
        }
        assertThat(expensive.running("viewer")).isZero();
        as("viewer").get().uri("/api/indicators?level=team&as_of=2024-06-15").exchange().expectStatus().isOk();
    }

    @Test
    void askingForTheSameDateWhileItIsComputedWaitsForThatComputationWithoutCountingAgain() throws SQLException {
        authority();
        web.get().uri("/api/indicators?level=team").exchange().expectStatus().isOk();
        List<Mono<HttpStatusCode>> waiting = new ArrayList<>();
        try (Connection held = holdingTheStaffTable()) {
            Mono<HttpStatusCode> first = asked("viewer", "/api/indicators?level=team&as_of=2024-06-12");
            first.subscribe();
            waiting.add(first);
            await().atMost(Duration.ofSeconds(30)).until(() -> expensive.running("viewer") == 1);
            // the dashboard asks for the same date in several places at once
            for (int i = 0; i < 3; i++) {
                Mono<HttpStatusCode> same = asked("viewer", "/api/indicators?level=service&as_of=2024-06-12");
                same.subscribe();
                waiting.add(same);
            }
            Mono<HttpStatusCode> other = asked("viewer", "/api/indicators?level=team&as_of=2024-06-13");
            other.subscribe();
            waiting.add(other);
            await().atMost(Duration.ofSeconds(30)).until(() -> expensive.running("viewer") == 2);
            held.rollback();
        }
        for (Mono<HttpStatusCode> answer : waiting) {
            assertThat(answer.block(Duration.ofMinutes(1))).isEqualTo(HttpStatusCode.valueOf(200));
        }
    }

    @Test
    void everyDateOfEveryAnswerIsBoundedToTheData() {
        authority();
        for (String uri : List.of("/api/indicators?as_of=9701-01-01", "/api/benchmarks?as_of=9701-01-01",
                "/api/charts/indicators/agency_rate/teams.png?as_of=9701-01-01", "/api/teams/T1/workers?as_of=9701-01-01",
                "/api/indicators?as_of=1901-01-01")) {
            web.get().uri(uri).exchange().expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/date-not-covered");
        }
        // a series is of the stored month ends (and today): bounds outside them only leave points out
        web.get().uri("/api/indicators/agency_rate/series?from=9701-01-01").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.points.length()").isEqualTo(0);
        web.get().uri("/api/reports/workforce-profile?month=9701-01").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/reports/workforce-profile.csv?month=1901-01").exchange().expectStatus().isNotFound();
        assertThat(expensive.running("admin")).isZero();
    }
}
