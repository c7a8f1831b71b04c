package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

    private static final Pattern CSRF = Pattern.compile("name=\"(_csrf)\" value=\"([^\"]+)\"");

    /** The session cookie and CSRF token of a fresh sign-in page. */
    private record Form(String session, String csrf) {
    }

    private Form signInPage() {
        EntityExchangeResult<String> page = anonymous().get().uri("/login").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult();
        Matcher m = CSRF.matcher(page.getResponseBody());
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        ResponseCookie session = page.getResponseCookies().getFirst("SESSION");
        assertThat(session).as("the page starts a session").isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        return new Form(session.getValue(), m.group(2));
    }

    private EntityExchangeResult<byte[]> postSignIn(Form form, String user, String password, boolean withToken) {
        var data = BodyInserters.fromFormData("username", user).with("password", password);
        if (withToken) {
            data = data.with("_csrf", form.csrf());
        }
        return anonymous().post().uri("/login").cookie("SESSION", form.session()).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(data).exchange().expectBody().returnResult();
    }

    @Test
    void aPageWithoutASessionGoesToSignInAndBackToThatPageAfterwards() {
        upload("teams", "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\n").expectStatus().isCreated();
        EntityExchangeResult<byte[]> page = anonymous().get().uri("/teams/T01").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isFound().expectBody().returnResult();
        assertThat(page.getResponseHeaders().getLocation()).hasToString("/login");
        String session = page.getResponseCookies().getFirst("SESSION").getValue();

        EntityExchangeResult<String> login = anonymous().get().uri("/login").cookie("SESSION", session).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        Matcher m = CSRF.matcher(login.getResponseBody());
        assertThat(m.find()).isTrue();
        // a new CSRF token renews the session's id; what the session holds (where the person was going) stays
        ResponseCookie renewed = login.getResponseCookies().getFirst("SESSION");
        String current = renewed == null ? session : renewed.getValue();
        EntityExchangeResult<byte[]> signedIn = postSignIn(new Form(current, m.group(2)), "manager", PASSWORD, true);
        assertThat(signedIn.getStatus().value()).isEqualTo(302);
        assertThat(signedIn.getResponseHeaders().getLocation().getPath()).as("back where the person was going").isEqualTo("/teams/T01");
        // the session changes at sign-in (no fixation) and now opens the page and the API
        ResponseCookie after = signedIn.getResponseCookies().getFirst("SESSION");
        assertThat(after).isNotNull();
        assertThat(after.getValue()).isNotEqualTo(current);
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
        for (String path : List.of("/", "/login", "/api/indicators", "/app.js")) {
            var client = path.equals("/login") ? anonymous() : web;
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
}
