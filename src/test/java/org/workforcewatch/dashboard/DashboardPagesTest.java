package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/**
 * The dashboard's addresses answer its page (404 with the page for a team or service that does not exist), the
 * page's files are served as the browser needs them, and the two read APIs it uses answer the authority's
 * structure and how fresh each dataset is.
 */
class DashboardPagesTest extends ApiTest {

    private static final String TEAMS = """
            team_id,team_name,service,team_type
            T2,Assessment South,Front Door,assessment
            T1,Care North,Children in Care,children_in_care
            T3,Assessment North,Front Door,assessment
            T4,Care South,Children in Care,children_in_care
            """;

    private static final String BENCHMARKS = """
            year,area_code,area_name,geographic_level,measure,value
            2024,E10000003,Cambridgeshire (2024),local_authority,agency_rate,12.1
            2025,E10000003,Cambridgeshire,local_authority,agency_rate,13.4
            2025,E12000006,East of England,regional,agency_rate,9.5
            2025,E92000001,England,national,agency_rate,13.0
            """;

    @Test
    void eachWorkPageAnswersTheRolesItIsForAndRefusesTheOthersWithThePage() {
        Map<String, List<String>> allowed = Map.of(
                "/imports", List.of("admin", "hr"),
                "/data-quality", List.of("admin", "hr", "head"),
                "/thresholds", List.of("admin", "head"),
                "/scenarios", List.of("admin", "hr", "head"),
                "/agency", List.of("admin", "hr"),
                "/reports", List.of("admin", "hr", "head", "manager", "viewer"));
        for (String user : List.of("admin", "head", "hr", "manager", "viewer")) {
            Map<String, Object> me = as(user).get().uri("/api/me").exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            List<String> listed = ((List<?>) me.get("pages")).stream().map(p -> (String) ((Map<?, ?>) p).get("path")).toList();
            List<String> expected = allowed.entrySet().stream().filter(e -> e.getValue().contains(user)).map(Map.Entry::getKey).toList();
            assertThat(listed).as(user).containsExactlyInAnyOrderElementsOf(expected);
            for (String page : allowed.keySet()) {
                String html = as(user).get().uri(page).accept(MediaType.TEXT_HTML).exchange()
                        .expectStatus().isEqualTo(allowed.get(page).contains(user) ? 200 : 403)
                        .expectBody(String.class).returnResult().getResponseBody();
                assertThat(html).as(user + " " + page).contains("src=\"/app.js\"");
            }
        }
        // signed out, a work page goes to sign in as the dashboard does
        anonymous().get().uri("/imports").accept(MediaType.TEXT_HTML).exchange().expectStatus().isFound()
                .expectHeader().valueMatches("Location", ".*/login");
        anonymous().get().uri("/pages/imports.js").exchange().expectStatus().isUnauthorized();
        web.get().uri("/pages/imports.js").exchange().expectStatus().isOk()
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache());
        web.get().uri("/common.js").exchange().expectStatus().isOk();
    }

    @Test
    void everyDashboardAddressAnswersThePageAndAnUnknownTeamOrServiceAnswers404WithIt() {
        upload("teams", TEAMS).expectStatus().isCreated();

        // a service's name is one path segment, URL-encoded: /services/Front%20Door
        for (List<String> known : List.of(List.of("/", ""), List.of("/services/{name}", "Front Door"),
                List.of("/services/{name}", "Children in Care"), List.of("/teams/{id}", "T3"))) {
            String page = web.get().uri(known.get(0), known.get(1)).accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().valueEquals("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self';"
                            + " script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
                            + " frame-ancestors 'none'")
                    .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache())
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(page).as(known.toString()).contains("<script type=\"module\" src=\"/app.js\"></script>").contains("id=\"tiles\"");
        }
        for (List<String> unknown : List.of(List.of("/teams/{id}", "T9"), List.of("/services/{name}", "Nowhere"),
                List.of("/services/{name}", "Front Door Annex"))) {
            String page = web.get().uri(unknown.get(0), unknown.get(1)).exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(page).as(unknown.toString()).contains("src=\"/app.js\"");
        }
        // the API keeps its own answers
        web.get().uri("/api/teams/T9/workers").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void thePagesFilesAreServedWithTheirTypesAndRevalidatedOnEachVisit() {
        Map<String, MediaType> files = Map.of("/app.js", MediaType.parseMediaType("text/javascript"),
                "/app.css", MediaType.parseMediaType("text/css"), "/favicon.svg", MediaType.parseMediaType("image/svg+xml"));
        files.forEach((path, type) -> web.get().uri(path).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(type)
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache())
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff"));
        String page = web.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
        // nothing from elsewhere: every script, style sheet and image the page names is its own
        assertThat(page).doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
    }

    @Test
    void theAuthorityIsNamedAsTheBenchmarksNameItsAreaWithItsServicesInTheOrderOfTheirFirstTeam() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("benchmarks", BENCHMARKS).expectStatus().isCreated();

        Map<String, Object> authority = web.get().uri("/api/authority").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();

        assertThat(authority).containsEntry("name", "Cambridgeshire").containsEntry("area_code", "E10000003")
                .containsEntry("region_code", "E12000006").containsEntry("region_name", "East of England");
        assertThat(authority.get("services")).isEqualTo(List.of(
                Map.of("service", "Children in Care", "teams", List.of(
                        Map.of("team_id", "T1", "team_name", "Care North", "team_type", "children_in_care"),
                        Map.of("team_id", "T4", "team_name", "Care South", "team_type", "children_in_care"))),
                Map.of("service", "Front Door", "teams", List.of(
                        Map.of("team_id", "T2", "team_name", "Assessment South", "team_type", "assessment"),
                        Map.of("team_id", "T3", "team_name", "Assessment North", "team_type", "assessment")))));
    }

    @Test
    void anAuthorityWithoutBenchmarksHasNoNameAndNoServicesUntilTeamsArrive() {
        Map<String, Object> authority = web.get().uri("/api/authority").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(authority).containsEntry("name", null).containsEntry("services", List.of());
    }

    @Test
    void dataFreshnessGivesEachDatasetsLastImportWithItsMaxAgeAndNeverForThoseNotReceived() {
        upload("teams", TEAMS).expectStatus().isCreated();
        Instant imported = db.sql("SELECT finished_at FROM imports WHERE dataset = 'teams'")
                .map(r -> r.get("finished_at", OffsetDateTime.class).toInstant()).one().block();

        Map<String, Object> body = web.get().uri("/api/data-freshness").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();

        assertThat(Instant.parse((String) body.get("now"))).isAfterOrEqualTo(imported);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byDataset = ((List<Map<String, Object>>) body.get("datasets")).stream()
                .collect(java.util.stream.Collectors.toMap(d -> (String) d.get("dataset"), d -> d));
        assertThat(byDataset).containsKeys("teams", "staff", "allocations", "benchmarks", "census");

        Map<String, Object> teams = byDataset.get("teams");
        assertThat(Instant.parse((String) teams.get("updated"))).isEqualTo(imported);
        assertThat(Instant.parse((String) teams.get("imported"))).isEqualTo(imported);
        assertThat(teams.get("event")).isNull();
        assertThat(teams).containsEntry("stale", false);
        // the defaults of workforce.freshness: 35 days, benchmarks 400 days, the census not watched
        assertThat(((Number) teams.get("max_age_seconds")).longValue()).isEqualTo(Duration.ofDays(35).toSeconds());
        assertThat(((Number) byDataset.get("benchmarks").get("max_age_seconds")).longValue()).isEqualTo(Duration.ofDays(400).toSeconds());
        assertThat(byDataset.get("census").get("max_age_seconds")).isNull();

        Map<String, Object> staff = byDataset.get("staff");
        assertThat(staff.get("updated")).isNull();
        assertThat(staff.get("stale")).as("never received is not stale").isNull();
    }
}
