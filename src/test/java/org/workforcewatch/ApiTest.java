package org.workforcewatch;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the full-application tests: the whole service on a random port over a real PostgreSQL
 * (embedded, or the one WORKFORCE_DATABASE_URL names), emptied before each test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "120s")
public abstract class ApiTest {

    /** A client signed in as the admin (Basic admin:test, the test users are in config/application.yml). */
    protected WebTestClient web;

    @Autowired
    private WebTestClient anonymous;

    @Autowired
    protected DatabaseClient db;

    @Autowired
    private org.springframework.core.env.Environment environment;

    @Autowired
    private org.springframework.context.ApplicationEventPublisher events;

    @Autowired
    private org.workforcewatch.indicators.Thresholds thresholds;

    /** Tables that hold reference data the migrations seed, not an authority's data. */
    public static final java.util.List<String> SEEDED = java.util.List.of("flyway_schema_history", "bank_holidays");

    /** The password of every test user (admin, head, hr, manager (team manager of T01), viewer). */
    protected static final String PASSWORD = "test";

    @BeforeEach
    void signIn() {
        web = as("admin");
    }

    /** A client signed in as one of the test users. */
    protected WebTestClient as(String user) {
        return anonymous.mutate().defaultHeaders(h -> h.setBasicAuth(user, PASSWORD)).build();
    }

    /** A client without credentials. */
    protected WebTestClient anonymous() {
        return anonymous;
    }

    /**
     * Empties every table of the authority's data, the audit included, as the owner of the schema (the service's
     * own role may not empty the audit): {@link DatabaseOwner#emptyAllBut}.
     */
    @BeforeEach
    void emptyDatabase() {
        DatabaseOwner.emptyAllBut(environment, SEEDED);
        // the thresholds in force hold the runtime changes in memory: read them again from the emptied table
        thresholds.reload().block();
        // the emptied tables recorded a change of everything: let the indicators take it in before the test starts
        events.publishEvent(new org.workforcewatch.ingest.DataChanged("all", 0));
        awaitIndicatorsCurrent();
    }

    /** Runs statements in one transaction as the owner of the schema, which the service's own role is not. */
    protected void asOwner(String... statements) {
        DatabaseOwner.execute(environment, statements);
    }

    /** The environment of the running service (its database settings among them). */
    protected org.springframework.core.env.Environment environment() {
        return environment;
    }

    protected WebTestClient.ResponseSpec upload(String dataset, String csv) {
        return upload(dataset, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Uploads a file, and waits until the indicators have taken in what it changed: reads serve the last computed
     * figures, saying whether changes are pending (docs/LIVE-INDICATORS.md), and a test reads right after.
     */
    protected WebTestClient.ResponseSpec upload(String dataset, byte[] csv) {
        WebTestClient.ResponseSpec answer = web.post().uri("/api/imports/" + dataset).contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(csv).exchange();
        if (!holdingIndicatorsBack) {
            awaitIndicatorsCurrent();
        }
        return answer;
    }

    /** Set while a test itself holds the indicators' lock (so that none are computed): uploads then do not wait for them. */
    protected boolean holdingIndicatorsBack;

    /** Waits until no change to the data is waiting to be taken into the stored indicators. */
    protected void awaitIndicatorsCurrent() {
        org.awaitility.Awaitility.await("the indicators take in the changes").atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> Boolean.TRUE.equals(db.sql("SELECT NOT EXISTS (SELECT 1 FROM indicator_changes) AS current")
                        .map(r -> r.get("current", Boolean.class)).one().block()));
    }

    protected long count(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table).map(r -> r.get("n", Long.class)).one().block();
    }

    protected String one(String sql) {
        return db.sql(sql).map(r -> String.valueOf(r.get(0))).one().block();
    }
}
