package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;

/**
 * Each role against each endpoint: allowed means any answer but 401 and 403 (the request may still be
 * wrong in other ways), refused means a 403 problem; without credentials every API address is a 401
 * problem. The test users are admin, head (head of service), hr, manager (team manager of T01 only) and
 * viewer.
 */
class AccessMatrixTest extends ApiTest {

    private static final Set<String> ALL = Set.of("admin", "head", "hr", "manager", "viewer");
    private static final Set<String> PEOPLE_ANY_TEAM = Set.of("admin", "head", "hr");
    private static final Set<String> IMPORTERS = Set.of("admin", "hr");

    record Call(HttpMethod method, String path, String contentType, String body, Set<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Call get(String path, Set<String> allowed) {
        return new Call(HttpMethod.GET, path, null, null, allowed);
    }

    private static final String TEAMS = "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\nT02,South,Front Door,assessment\n";

    static final List<Call> CALLS = List.of(
            // aggregates: every role
            get("/api/me", ALL),
            get("/api/authority", ALL),
            get("/api/indicators?level=team", ALL),
            get("/api/indicators/caseload_per_fte/series?level=team&scope=T02", ALL),
            get("/api/spc?level=authority", ALL),
            get("/api/spc/baselines", ALL),
            get("/api/risks", ALL),
            get("/api/thresholds", ALL),
            get("/api/thresholds/history", ALL),
            get("/api/benchmarks", ALL),
            get("/api/data-freshness", ALL),
            get("/api/datasets", ALL),
            get("/api/census", ALL),
            get("/api/charts/composition.svg?level=team&scope=T02", ALL),
            get("/api/charts/indicators/caseload_per_fte/teams.svg", ALL),
            get("/api/scenarios", ALL),
            get("/api/scenario-changes", ALL),
            // each person's own pinned teams
            get("/api/me/pins", ALL),
            new Call(HttpMethod.PUT, "/api/me/pins", "application/json", "{\"teams\": [\"T02\"]}", ALL),
            get("/api/reports/workforce-profile.csv?table=summary", ALL),
            get("/teams/T02", ALL),
            // people: a team manager for their own team only
            get("/api/teams/T01/workers", Set.of("admin", "head", "hr", "manager")),
            get("/api/teams/T02/workers", PEOPLE_ANY_TEAM),
            get("/api/charts/teams/T01/caseloads.svg", Set.of("admin", "head", "hr", "manager")),
            get("/api/charts/teams/T02/caseloads.svg", PEOPLE_ANY_TEAM),
            // each personal adviser's caseload, as a histogram: the people of the team, or of every team
            get("/api/charts/pa-caseloads.svg?level=team&scope=T01", Set.of("admin", "head", "hr", "manager")),
            get("/api/charts/pa-caseloads.svg?level=team&scope=T02", PEOPLE_ANY_TEAM),
            get("/api/charts/pa-caseloads.svg?level=team&scope=%20T02%20", PEOPLE_ANY_TEAM),
            get("/api/charts/pa-caseloads.svg?level=service&scope=Front%20Door", PEOPLE_ANY_TEAM),
            get("/api/charts/pa-caseloads.svg", PEOPLE_ANY_TEAM),
            get("/api/data-quality", PEOPLE_ANY_TEAM),
            get("/api/data-quality/missing", PEOPLE_ANY_TEAM),
            // the census return and its gaps: an export of every worker, for HR
            get("/api/returns/census?year=2026", IMPORTERS),
            get("/api/returns/census/gaps?year=2026", IMPORTERS),
            // imports and events
            get("/api/imports", IMPORTERS),
            new Call(HttpMethod.POST, "/api/imports/teams", "text/csv", TEAMS, IMPORTERS),
            new Call(HttpMethod.POST, "/api/events", "application/x-ndjson",
                    "{\"type\": \"supervision_recorded\", \"occurred_at\": \"2026-11-20T17:00:00Z\", \"staff_id\": \"S1\","
                            + " \"supervision_date\": \"2026-11-20\"}\n", IMPORTERS),
            new Call(HttpMethod.POST, "/api/imports/census", "application/xml", "<Message/>", IMPORTERS),
            new Call(HttpMethod.POST, "/api/imports/csc-api", "application/json", "[]", IMPORTERS),
            get("/api/csc-api/assessment-timeliness", ALL),
            new Call(HttpMethod.POST, "/api/data-quality/missing/1/confirm", "application/json",
                    "{\"resolution\": \"left\"}", IMPORTERS),
            new Call(HttpMethod.POST, "/api/data-quality/missing/1/dismiss", "application/json",
                    "{\"reason\": \"matrix\"}", IMPORTERS),
            new Call(HttpMethod.POST, "/api/data-quality/conflicts/1/confirm", "application/json",
                    "{\"reason\": \"matrix\"}", IMPORTERS),
            new Call(HttpMethod.POST, "/api/data-quality/conflicts/1/dismiss", "application/json",
                    "{\"reason\": \"matrix\"}", IMPORTERS),
            // the agency register and its quarterly return
            get("/api/agency/assignments", IMPORTERS),
            get("/api/agency/agencies", IMPORTERS),
            get("/api/returns/agency?quarter=2025-Q1", IMPORTERS),
            new Call(HttpMethod.POST, "/api/agency/assignments/S1/2024-01-01/approval", "application/json",
                    "{\"reason\": \"matrix\"}", IMPORTERS),
            // thresholds and scenarios
            new Call(HttpMethod.PUT, "/api/thresholds/agency_rate", "application/json",
                    "{\"amber\": 0.2, \"red\": 0.3, \"reason\": \"matrix\"}", Set.of("admin", "head")),
            // a new SPC baseline: those who may change thresholds
            new Call(HttpMethod.POST, "/api/spc/baselines", "application/json",
                    "{\"level\": \"all\", \"starts_on\": \"2025-01-01\", \"reason\": \"matrix\"}", Set.of("admin", "head")),
            new Call(HttpMethod.POST, "/api/scenarios", "application/json",
                    "{\"name\": \"matrix\", \"changes\": []}", Set.of("admin", "head", "hr")),
            new Call(HttpMethod.DELETE, "/api/scenarios/matrix", null, null, Set.of("admin", "head", "hr")),
            // the audit
            get("/api/audit", Set.of("admin")),
            get("/api/audit.csv", Set.of("admin")),
            // metrics: an admin, or Prometheus with the scrape token (see SignInTest)
            get("/actuator/prometheus", Set.of("admin")));

    /** Every call, and HEAD beside each GET: allowed to the same roles. */
    private static List<Call> calls() {
        List<Call> all = new ArrayList<>(CALLS);
        CALLS.stream().filter(c -> c.method() == HttpMethod.GET)
                .forEach(c -> all.add(new Call(HttpMethod.HEAD, c.path(), null, null, c.allowed())));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> eachRoleAgainstEachEndpoint() {
        upload("teams", TEAMS).expectStatus().isCreated();
        List<DynamicTest> tests = new ArrayList<>();
        for (Call call : calls()) {
            for (String user : List.of("viewer", "manager", "head", "hr", "admin")) {
                boolean allowed = call.allowed().contains(user);
                tests.add(DynamicTest.dynamicTest(user + " " + (allowed ? "may " : "may not ") + call, () -> {
                    EntityExchangeResult<String> result = send(as(user), call);
                    int status = result.getStatus().value();
                    if (allowed) {
                        assertThat(status).as(user + " " + call + ": " + result.getResponseBody()).isNotIn(401, 403);
                    } else {
                        assertThat(status).as(user + " " + call).isEqualTo(403);
                        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                        if (call.method() != HttpMethod.HEAD) {
                            assertThat(result.getResponseBody()).contains("\"title\":\"Not allowed for your role\"");
                        }
                    }
                }));
            }
            if (call.path().startsWith("/api/") || call.path().startsWith("/actuator/")) {
                tests.add(DynamicTest.dynamicTest("nobody signed in may not " + call, () -> {
                    EntityExchangeResult<String> result = send(anonymous(), call);
                    assertThat(result.getStatus().value()).as(call.toString()).isEqualTo(401);
                    assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                }));
            }
        }
        return tests.stream();
    }

    private static EntityExchangeResult<String> send(WebTestClient client, Call call) {
        WebTestClient.RequestBodySpec request = client.method(call.method()).uri(call.path());
        WebTestClient.RequestHeadersSpec<?> ready = call.body() == null ? request
                : request.contentType(MediaType.parseMediaType(call.contentType())).bodyValue(call.body());
        return ready.exchange().expectBody(String.class).returnResult();
    }
}
