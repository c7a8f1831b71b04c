package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;
import org.workforcewatch.ApiTest;

/**
 * Signing in and out of the dashboard (a form, a session cookie, CSRF tokens), the answers to requests without
 * valid credentials, the scrape token, the actuator endpoints that are exposed, and the security headers.
 */
class SignInTest extends ApiTest {

    @org.springframework.boot.test.web.server.LocalServerPort
    private int port;

    private static final Pattern CSRF = Pattern.compile("name=\"(_csrf)\" value=\"([^\"]+)\"");

    /** The cookies and CSRF token of a fresh sign-in page. */
    private record Form(Map<String, String> cookies, String csrf) {
    }

    private Form signInPage() {
        return signInPage(Map.of());
    }

    /** The sign-in page, opened with these cookies: it keeps its CSRF token in a cookie, and stores no session. */
    private Form signInPage(Map<String, String> cookies) {
        EntityExchangeResult<String> page = anonymous().get().uri("/login").cookies(c -> cookies.forEach(c::add)).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult();
        Matcher m = CSRF.matcher(page.getResponseBody());
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        assertThat(page.getResponseCookies().getFirst("SESSION")).as("the page starts no session").isNull();
        ResponseCookie token = page.getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(token).as("the form's token waits in a cookie").isNotNull();
        assertThat(token.isHttpOnly()).isTrue();
        assertThat(token.getSameSite()).isEqualTo("Strict");
        Map<String, String> all = new LinkedHashMap<>(cookies);
        all.put(token.getName(), token.getValue());
        return new Form(all, m.group(2));
    }

    private EntityExchangeResult<byte[]> postSignIn(Form form, String user, String password, boolean withToken) {
        var data = BodyInserters.fromFormData("username", user).with("password", password);
        if (withToken) {
            data = data.with("_csrf", form.csrf());
        }
        return anonymous().post().uri("/login").cookies(c -> form.cookies().forEach(c::add)).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(data).exchange().expectBody().returnResult();
    }

    @Test
    void aPageWithoutASessionGoesToSignInAndBackToThatPageAfterwards() {
        upload("teams", "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\n").expectStatus().isCreated();
        EntityExchangeResult<byte[]> page = anonymous().get().uri("/teams/T01").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isFound().expectBody().returnResult();
        assertThat(page.getResponseHeaders().getLocation()).hasToString("/login");
        // where the person was going waits in a cookie: nothing is stored before they sign in
        assertThat(page.getResponseCookies().getFirst("SESSION")).isNull();
        ResponseCookie goingTo = page.getResponseCookies().getFirst("REDIRECT_URI");
        assertThat(goingTo).isNotNull();
        assertThat(count("web_sessions")).isZero();

        Form form = signInPage(Map.of(goingTo.getName(), goingTo.getValue()));
        EntityExchangeResult<byte[]> signedIn = postSignIn(form, "manager", PASSWORD, true);
        assertThat(signedIn.getStatus().value()).isEqualTo(302);
        assertThat(signedIn.getResponseHeaders().getLocation().getPath()).as("back where the person was going").isEqualTo("/teams/T01");
        // the session begins at sign-in, with an id nobody could know before (no fixation), and opens the page and the API
        ResponseCookie after = signedIn.getResponseCookies().getFirst("SESSION");
        assertThat(after).isNotNull();
        assertThat(count("web_sessions")).isEqualTo(1);
        anonymous().get().uri("/teams/T01").cookie("SESSION", after.getValue()).exchange().expectStatus().isOk();
        anonymous().get().uri("/api/me").cookie("SESSION", after.getValue()).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("manager")
                .jsonPath("$.roles").isEqualTo(List.of("team_manager"))
                .jsonPath("$.teams").isEqualTo(List.of("T01"))
                .jsonPath("$.sees_people").isEqualTo("own_teams")
                .jsonPath("$.sees_agency_detail").isEqualTo(false);
    }

    @Test
    void signingInNeedsTheFormsTokenAndTheRightPasswordAndSigningOutEndsTheSession() {
        Form form = signInPage();
        assertThat(postSignIn(form, "viewer", PASSWORD, false).getStatus().value()).as("no CSRF token").isEqualTo(403);

        form = signInPage();
        EntityExchangeResult<byte[]> wrong = postSignIn(form, "viewer", "not-the-password", true);
        assertThat(wrong.getResponseHeaders().getLocation()).hasToString("/login?error");
        anonymous().get().uri("/login?error").exchange().expectBody(String.class)
                .value(body -> assertThat(body).contains("did not match"));

        form = signInPage();
        EntityExchangeResult<byte[]> ok = postSignIn(form, "viewer", PASSWORD, true);
        assertThat(ok.getResponseHeaders().getLocation()).hasToString("/");
        String session = ok.getResponseCookies().getFirst("SESSION").getValue();

        // a form post from the signed-in browser needs the token the API hands to the page's own scripts
        String token = anonymous().get().uri("/api/me").cookie("SESSION", session).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        anonymous().post().uri("/logout").cookie("SESSION", session).exchange().expectStatus().isForbidden();
        anonymous().post().uri("/logout").cookie("SESSION", session).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("_csrf", token)).exchange()
                .expectStatus().isFound().expectHeader().location("/login?signed-out");
        anonymous().get().uri("/api/me").cookie("SESSION", session).exchange().expectStatus().isUnauthorized();

        assertThat(one("SELECT string_agg(action || ':' || actor, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'sign_in%'"))
                .isEqualTo("sign_in_failed:viewer,sign_in:viewer");
    }

    @Test
    void aSessionLivesInTheDatabaseWithoutThePasswordSoAnyInstanceServesIt() {
        Form form = signInPage();
        String session = postSignIn(form, "hr", PASSWORD, true).getResponseCookies().getFirst("SESSION").getValue();
        anonymous().get().uri("/api/me").cookie("SESSION", session).exchange().expectStatus().isOk();
        assertThat(one("SELECT count(*) FROM web_sessions WHERE id = '" + session + "'")).isEqualTo("1");
        assertThat(one("SELECT position(convert_to('{noop}test', 'UTF8') IN attributes) FROM web_sessions WHERE id = '" + session + "'"))
                .as("the password is not stored with the session").isEqualTo("0");
        assertThat(one("SELECT expires_at > now() + interval '7 hours' FROM web_sessions WHERE id = '" + session + "'")).isEqualTo("true");
        // the database, not this instance's memory, decides: the row gone, the session is gone
        db.sql("DELETE FROM web_sessions").then().block();
        anonymous().get().uri("/api/me").cookie("SESSION", session).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void withoutValidCredentialsTheApiAnswersA401ProblemThatNamesTheWaysToSignIn() {
        anonymous().get().uri("/api/indicators").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Workforce Watch\"")
                .expectBody().jsonPath("$.status").isEqualTo(401).jsonPath("$.detail").value(d -> assertThat((String) d).contains("/login"));
        // the dashboard's scripts get no password prompt: they send the person to the sign-in page
        anonymous().get().uri("/api/indicators").header("X-Requested-With", "XMLHttpRequest").exchange()
                .expectStatus().isUnauthorized().expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
        anonymous().get().uri("/api/indicators").headers(h -> h.setBasicAuth("viewer", "wrong")).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("not accepted"));
        assertThat(one("SELECT actor || ' ' || action || ' ' || status FROM audit_log WHERE action = 'sign_in_failed'"))
                .isEqualTo("viewer sign_in_failed 401");
    }

    @Test
    void prometheusReadsMetricsWithTheScrapeTokenAndNobodyElseButAnAdmin() {
        anonymous().mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth("test-scrape-token")).exchange()
                .expectStatus().isOk().expectBody(String.class).value(body -> assertThat(body).contains("workforce_"));
        anonymous().get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth("guess")).exchange().expectStatus().isUnauthorized();
        anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        as("viewer").get().uri("/actuator/prometheus").exchange().expectStatus().isForbidden();
        as("admin").mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        // the scrape token opens nothing else
        anonymous().get().uri("/api/indicators").headers(h -> h.setBearerAuth("test-scrape-token")).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void onlyHealthAndPrometheusAreExposedAndHealthTellsNoDetails() {
        anonymous().get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
        for (String endpoint : List.of("/actuator", "/actuator/env", "/actuator/metrics", "/actuator/beans", "/actuator/configprops",
                "/actuator/heapdump", "/actuator/loggers")) {
            int status = as("admin").get().uri(endpoint).exchange().expectBody().returnResult().getStatus().value();
            assertThat(status).as(endpoint).isIn(403, 404);
        }
    }

    @Test
    void pagesAndAnswersCarryTheSecurityHeaders() {
        for (String path : List.of("/", "/login", "/api/indicators", "/app.js", "/actuator/health")) {
            var client = path.equals("/login") || path.startsWith("/actuator") ? anonymous() : web;
            client.get().uri(path).exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Referrer-Policy", "same-origin")
                    .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                            .contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe"))
                    .expectHeader().value("Permissions-Policy", p -> assertThat(p).contains("camera=()"));
        }
    }

    @Test
    void aSessionSignedInBrowserNeedsTheCsrfTokenToChangeAnythingThroughTheApi() {
        Form form = signInPage();
        String session = postSignIn(form, "head", PASSWORD, true).getResponseCookies().getFirst("SESSION").getValue();
        String me = anonymous().get().uri("/api/me").cookie("SESSION", session).exchange().expectBody(String.class)
                .returnResult().getResponseBody();
        String header = me.replaceAll(".*\"header\":\"([^\"]+)\".*", "$1");
        String token = me.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        String scenario = "{\"name\": \"csrf\", \"changes\": []}";
        anonymous().post().uri("/api/scenarios").cookie("SESSION", session).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(scenario).exchange().expectStatus().isForbidden();
        assertThat(count("scenarios")).isZero();
        anonymous().post().uri("/api/scenarios").cookie("SESSION", session).header(header, token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(scenario).exchange().expectStatus().is2xxSuccessful();
        assertThat(one("SELECT created_by FROM scenarios")).isNotNull();
    }

    @Test
    void noSessionIsStoredForTheSignInPageOrForScriptsOnlyForSomeoneWhoSignsIn() {
        for (int i = 0; i < 20; i++) {
            anonymous().get().uri("/login").exchange().expectStatus().isOk();
            anonymous().get().uri("/teams/T01").accept(MediaType.TEXT_HTML).exchange().expectStatus().isFound();
            as("viewer").get().uri("/api/me").exchange().expectStatus().isOk();
            as("hr").get().uri("/api/indicators").exchange().expectStatus().isOk();
        }
        assertThat(count("web_sessions")).as("sessions stored without a sign-in").isZero();

        String session = postSignIn(signInPage(), "viewer", PASSWORD, true).getResponseCookies().getFirst("SESSION").getValue();
        assertThat(count("web_sessions")).isEqualTo(1);
        anonymous().get().uri("/api/me").cookie("SESSION", session).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("viewer");
        anonymous().get().uri("/").cookie("SESSION", session).exchange().expectStatus().isOk();
        assertThat(count("web_sessions")).isEqualTo(1);
    }

    @Test
    void aSessionCookieWithAnEmptyOrJunkAuthorizationHeaderStillNeedsTheCsrfTokenAndOnlyGoodCredentialsGoWithout() {
        String session = postSignIn(signInPage(), "head", PASSWORD, true).getResponseCookies().getFirst("SESSION").getValue();
        String scenario = "{\"name\": \"csrf\", \"changes\": []}";
        for (String authorization : List.of("Bearer junk", "", "Basic", "Basic bm90LWJhc2U2NA")) {
            anonymous().post().uri("/api/scenarios").cookie("SESSION", session).header(HttpHeaders.AUTHORIZATION, authorization)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(scenario).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/csrf")
                    .jsonPath("$.title").isEqualTo("CSRF token missing or invalid")
                    .jsonPath("$.detail").value(d -> assertThat((String) d).as(authorization).contains("X-CSRF-TOKEN"));
        }
        // wrong Basic credentials are those of nobody: the session does not stand in for them
        anonymous().post().uri("/api/scenarios").cookie("SESSION", session).headers(h -> h.setBasicAuth("head", "wrong"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(scenario).exchange().expectStatus().isUnauthorized();
        assertThat(count("scenarios")).isZero();
        // good credentials of its own: a script, which no other site can forge
        anonymous().post().uri("/api/scenarios").cookie("SESSION", session).headers(h -> h.setBasicAuth("hr", PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(scenario).exchange().expectStatus().is2xxSuccessful();
        assertThat(count("scenarios")).isEqualTo(1);
        assertThat(one("SELECT actor FROM audit_log WHERE action = 'scenario_change' AND status = 201")).isEqualTo("hr");
    }

    @Test
    void headAnswersAsGetDoesWhereGetIsAllowed() {
        upload("teams", "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\n").expectStatus().isCreated();
        anonymous().head().uri("/login").exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        as("viewer").head().uri("/api/indicators").exchange().expectStatus().isOk().expectBody().isEmpty();
        as("viewer").head().uri("/").exchange().expectStatus().isOk();
        as("viewer").head().uri("/teams/T01").exchange().expectStatus().isOk();
        as("manager").head().uri("/api/teams/T01/workers").exchange().expectStatus().isOk();
        as("viewer").head().uri("/api/teams/T01/workers").exchange().expectStatus().isForbidden();
        anonymous().head().uri("/api/indicators").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theFirewallsRefusalIsAProblemWithTheSecurityHeaders() {
        for (String path : List.of("/api/a%2Fb", "/api/indicators;x=1", "/api/%2e%2e/audit")) {
            as("viewer").get().uri(java.net.URI.create("http://localhost:" + port + path)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp).contains("default-src 'self'"))
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().value("Permissions-Policy", p -> assertThat(p).contains("camera=()"))
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/rejected-request")
                    .jsonPath("$.status").isEqualTo(400)
                    .jsonPath("$.detail").value(d -> assertThat((String) d).as(path).contains("rejected"));
        }
    }
}
