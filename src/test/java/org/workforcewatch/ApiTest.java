package org.workforcewatch;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;

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
    private TransactionalOperator tx;

    @Autowired
    private org.springframework.context.ApplicationEventPublisher events;

    @Autowired
    private org.workforcewatch.indicators.Thresholds thresholds;

    /** Tables that hold reference data the migrations seed, not an authority's data. */
    private static final String SEEDED = "'flyway_schema_history', 'bank_holidays'";

    /**
     * Empties every table of the authority's data. Waits for a background recompute of the indicators
     * to finish first (its lock). A background read of stored figures takes no such lock, and PostgreSQL
     * may break a deadlock between it and the TRUNCATE by cancelling the TRUNCATE: then it runs again.
     */
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

    @BeforeEach
    void emptyDatabase() {
        String tables = db.sql("SELECT string_agg(quote_ident(tablename), ', ') AS t FROM pg_tables"
                        + " WHERE schemaname = current_schema() AND tablename NOT IN (" + SEEDED + ")")
                .map(r -> r.get("t", String.class)).one().block();
        tx.transactional(db.sql("SELECT pg_advisory_xact_lock(hashtext('workforce-indicators'))").then()
                        .then(db.sql("TRUNCATE " + tables + " RESTART IDENTITY CASCADE").then()))
                .retryWhen(reactor.util.retry.Retry.backoff(5, java.time.Duration.ofMillis(50))
                        .filter(ApiTest::deadlock))
                .block();
        // the thresholds in force hold the runtime changes in memory: read them again from the emptied table
        thresholds.reload().block();
        // the emptied tables recorded a change of everything: let the indicators take it in before the test starts
        events.publishEvent(new org.workforcewatch.ingest.DataChanged("all", 0));
        awaitIndicatorsCurrent();
    }

    private static boolean deadlock(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof io.r2dbc.spi.R2dbcException r && "40P01".equals(r.getSqlState())) {
                return true;
            }
        }
        return false;
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
