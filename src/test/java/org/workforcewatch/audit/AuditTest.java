package org.workforcewatch.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.r2dbc.spi.R2dbcException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.DatabaseOwner;

/**
 * Every import, threshold change, person-level view and refusal is audited with who, when and what; admins
 * read it as JSON and export it as spreadsheet-safe CSV; nobody can change a row.
 */
class AuditTest extends ApiTest {

    private static final String TEAMS = "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\nT02,South,Front Door,assessment\n";

    @Test
    void importsThresholdChangesPersonViewsAndRefusalsAreAuditedWithWhoWhenAndWhat() {
        as("hr").post().uri("/api/imports/teams?file_name=teams.csv").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(TEAMS).exchange().expectStatus().isCreated();
        as("head").put().uri("/api/thresholds/agency_rate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amber", 0.2, "red", 0.3, "reason", "board decision")).exchange().expectStatus().isOk();
        as("manager").get().uri("/api/teams/T01/workers").exchange().expectStatus().isOk();
        as("manager").get().uri("/api/teams/T02/workers").exchange().expectStatus().isForbidden();
        // each personal adviser's caseload is person-level too
        as("viewer").get().uri("/api/charts/pa-caseloads.svg?level=team&scope=T01").exchange().expectStatus().isForbidden();
        as("head").get().uri("/api/charts/pa-caseloads.svg?level=team&scope=T01").exchange().expectStatus().isNotFound();
        // aggregates are not person-level: not audited
        as("viewer").get().uri("/api/indicators?level=team").exchange().expectStatus().isOk();
        // an import's receipt names the rows it refused: person-level
        String importId = one("SELECT max(id) FROM imports");
        as("hr").get().uri("/api/imports/" + importId).exchange().expectStatus().isOk();

        List<Map<String, Object>> entries = entries("/api/audit");
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("actor") + " " + e.get("method") + " " + e.get("path")
                        + " " + e.get("status"))
                .containsExactly(
                        "person_view hr GET /api/imports/" + importId + " 200",
                        "person_view head GET /api/charts/pa-caseloads.svg 404",
                        "access_denied viewer GET /api/charts/pa-caseloads.svg 403",
                        "access_denied manager GET /api/teams/T02/workers 403",
                        "person_view manager GET /api/teams/T01/workers 200",
                        "threshold_change head PUT /api/thresholds/agency_rate 200",
                        "import hr POST /api/imports/teams 201");
        entries = entries.subList(1, entries.size());
        Map<String, Object> change = entries.get(4);
        assertThat(change.get("roles")).isEqualTo("head_of_service");
        assertThat((Map<String, Object>) change.get("detail")).containsEntry("indicator", "agency_rate")
                .containsEntry("amber", 0.2).containsEntry("red", 0.3).containsEntry("reason", "board decision");
        assertThat(entries.get(3).get("roles")).isEqualTo("team_manager:T01");
        assertThat(entries.get(0).get("query")).isEqualTo("level=team&scope=T01");
        assertThat(entries.get(5).get("query")).isEqualTo("file_name=teams.csv");
        assertThat((Map<String, Object>) entries.get(5).get("detail")).containsEntry("bytes", TEAMS.length());
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.get("at")).isNotNull();
            assertThat(e.get("remote_address")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        });
        // reading the audit is audited too
        assertThat(entries("/api/audit?limit=1")).singleElement().satisfies(e -> {
            assertThat(e.get("action")).isEqualTo("audit_read");
            assertThat(e.get("actor")).isEqualTo("admin");
        });
    }

    @Test
    void theAuditIsSearchedByPersonActionAndTimeAndPagedNewestFirst() {
        as("hr").get().uri("/api/data-quality").exchange().expectStatus().isOk();
        as("head").get().uri("/api/data-quality/missing").exchange().expectStatus().isOk();
        as("hr").get().uri("/api/data-quality/missing").exchange().expectStatus().isOk();

        assertThat(entries("/api/audit?actor=hr")).extracting(e -> e.get("path"))
                .containsExactly("/api/data-quality/missing", "/api/data-quality");
        List<Map<String, Object>> views = entries("/api/audit?action=person_view&limit=2");
        assertThat(views).extracting(e -> e.get("actor")).containsExactly("hr", "head");
        long before = ((Number) views.get(1).get("id")).longValue();
        assertThat(entries("/api/audit?action=person_view&before_id=" + before)).extracting(e -> e.get("actor")).containsExactly("hr");
        assertThat(entries("/api/audit?action=person_view&from=2999-01-01T00:00:00Z")).isEmpty();
        assertThat(entries("/api/audit?action=person_view&to=2000-01-01T00:00:00Z")).isEmpty();
        web.get().uri("/api/audit?from=yesterday").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void theExportIsCsvWithFormulasNeutralisedAndIsItselfAudited() {
        // a refused sign-in records the name it claimed: here a spreadsheet formula
        anonymous().get().uri("/api/indicators").headers(h -> h.setBasicAuth("=HYPERLINK(\"//evil.example\")", "x")).exchange()
                .expectStatus().isUnauthorized();
        as("hr").get().uri("/api/teams/T9/workers").exchange().expectStatus().isNotFound();

        String csv = web.get().uri("/api/audit.csv").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/csv")
                .expectHeader().value("Content-Disposition", d -> assertThat(d).contains("attachment").contains(".csv"))
                .expectBody(String.class).returnResult().getResponseBody();
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("id,at,actor,roles,action,method,path,query,status,remote_address,detail");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(",hr,hr,person_view,GET,/api/teams/T9/workers,,404,");
        assertThat(lines.get(2)).contains(",\"'=HYPERLINK(\"\"//evil.example\"\")\",,sign_in_failed,GET,/api/indicators,");
        assertThat(entries("/api/audit?action=audit_export")).singleElement().satisfies(e -> assertThat(e.get("actor")).isEqualTo("admin"));
    }

    @Test
    void onlyAnAdminReadsTheAuditAndNobodyCanChangeIt() {
        for (String user : List.of("viewer", "manager", "head", "hr")) {
            as(user).get().uri("/api/audit").exchange().expectStatus().isForbidden();
            as(user).get().uri("/api/audit.csv").exchange().expectStatus().isForbidden();
        }
        assertThat(count("audit_log")).as("each refusal is audited").isEqualTo(8);
        // refused by the service's role lacking the privilege, or, where one role does all (a single URL), by the triggers
        for (String change : List.of("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log")) {
            assertThatThrownBy(() -> db.sql(change).then().block()).as(change)
                    .hasMessageMatching("(?s).*(append-only|permission denied).*");
        }
        assertThat(count("audit_log")).isEqualTo(8);
    }

    @Test
    void theDatabaseRefusesToChangeDeleteOrEmptyAnAuditRowEvenForTheTablesOwner() throws SQLException {
        as("viewer").get().uri("/api/audit").exchange().expectStatus().isForbidden();
        try (Connection owner = DatabaseOwner.connect(environment()); Statement s = owner.createStatement()) {
            for (String change : List.of("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                    "TRUNCATE audit_log, teams RESTART IDENTITY CASCADE")) {
                assertThatThrownBy(() -> s.execute(change)).as(change)
                        .hasMessageContaining("the audit log is append-only: " + change.split(" ")[0] + " is refused");
            }
        }
        assertThat(one("SELECT string_agg(actor || ' ' || action, ',') FROM audit_log")).isEqualTo("viewer access_denied");
    }

    @Test
    void theServicesOwnRoleMayOnlyReadAndAddToTheAuditNotEmptyAlterOrDropIt() {
        assumeTrue(environment().getProperty("workforce.database.url", "").isBlank()
                        || !environment().getProperty("spring.flyway.user").equals(environment().getProperty("spring.r2dbc.username")),
                "the embedded database, or an external one with two roles: the service's is not the migrations'");
        assertThat(one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
        assertThat(one("SELECT tableowner <> current_user FROM pg_tables WHERE tablename = 'audit_log'")).isEqualTo("true");

        db.sql("INSERT INTO audit_log (actor, roles, action, method, path) VALUES ('test', 'admin', 'test', 'GET', '/')").then().block();
        assertThat(one("SELECT string_agg(actor, ',') FROM audit_log")).isEqualTo("test");
        for (String forbidden : List.of("TRUNCATE audit_log", "UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log",
                "DROP TABLE audit_log", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_cannot_be_emptied",
                "DROP TRIGGER audit_log_append_only ON audit_log", "SELECT setval('audit_log_id_seq', 1)")) {
            assertThatThrownBy(() -> db.sql(forbidden).then().block()).as(forbidden)
                    .satisfies(e -> assertThat(sqlState(e)).as(forbidden + ": %s", e.getMessage()).isEqualTo("42501"));
        }
        assertThat(count("audit_log")).isEqualTo(1);
    }

    /** The SQLSTATE of a database error: 42501 is a refused privilege. */
    private static String sqlState(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof R2dbcException r) {
                return r.getSqlState();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
    }
}
