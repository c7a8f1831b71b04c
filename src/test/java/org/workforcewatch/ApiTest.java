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

    private static final String ALL_TABLES = "teams, staff_spells, establishment, allocations, referrals, children_in_care,"
            + " care_leavers, care_leaver_history, supervision, training, absence, shift_requirements, shifts, benchmarks,"
            + " missing_records, imports";

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected DatabaseClient db;

    @BeforeEach
    void emptyDatabase() {
        db.sql("TRUNCATE " + ALL_TABLES + " RESTART IDENTITY CASCADE").then().block();
    }

    protected WebTestClient.ResponseSpec upload(String dataset, String csv) {
        return upload(dataset, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected WebTestClient.ResponseSpec upload(String dataset, byte[] csv) {
        return web.post().uri("/api/imports/" + dataset).contentType(MediaType.parseMediaType("text/csv")).bodyValue(csv).exchange();
    }

    protected long count(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table).map(r -> r.get("n", Long.class)).one().block();
    }

    protected String one(String sql) {
        return db.sql(sql).map(r -> String.valueOf(r.get(0))).one().block();
    }
}
