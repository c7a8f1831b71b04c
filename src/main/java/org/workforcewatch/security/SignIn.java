package org.workforcewatch.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import org.workforcewatch.demo.DemoIdentity;
import org.workforcewatch.demo.DemoInUse;
import reactor.core.publisher.Mono;

/**
 * The sign-in page ({@code GET /login}, which posts to Spring Security's {@code POST /login}) and
 * {@code GET /api/me}: who is signed in, with what roles and teams, what they may see, and the token the
 * dashboard's sign-out form needs.
 */
@RestController
class SignIn {

    private final String page;
    private final DemoInUse demo;

    SignIn(@Value("classpath:pages/login.html") Resource page, DemoInUse demo) {
        this.demo = demo;
        try {
            this.page = page.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    Mono<ResponseEntity<String>> login(ServerWebExchange exchange) {
        var query = exchange.getRequest().getQueryParams();
        String message = query.containsKey("error") ? "<p class=\"sign-in-error\" role=\"alert\">That user name and password"
                + " did not match. Try again, or ask your administrator.</p>"
                : query.containsKey("signed-out") ? "<p class=\"sign-in-note\" role=\"status\">You have signed out.</p>" : "";
        // only the demo is synthetic; a database that cannot say shows no notice rather than no page
        Mono<String> synthetic = demo.synthetic().onErrorReturn(false).map(present -> present
                ? "<p class=\"sign-in-note demo-notice\" role=\"note\">" + HtmlUtils.htmlEscape(DemoIdentity.notice(null))
                        + "</p>" : "");
        return Mono.zip(token(exchange), synthetic).map(t -> ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .body(page.replace("{{message}}", message).replace("{{demo}}", t.getT2())
                        .replace("{{csrf_parameter}}", HtmlUtils.htmlEscape(t.getT1().getParameterName()))
                        .replace("{{csrf_token}}", HtmlUtils.htmlEscape(t.getT1().getToken()))));
    }

    @GetMapping("/api/me")
    Mono<Map<String, Object>> me(Authentication authentication, ServerWebExchange exchange) {
        Caller caller = Caller.of(authentication);
        return token(exchange).map(csrf -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", caller.name());
            body.put("roles", caller.roles().stream().map(Role::id).sorted().toList());
            body.put("teams", List.copyOf(caller.teams()));
            body.put("sees_people", caller.seesAllPeople() ? "all" : caller.teams().isEmpty() ? "none" : "own_teams");
            body.put("sees_agency_detail", caller.seesAgencyDetail());
            // the same roles answer data-quality flags as import the data they are about (SecurityConfig)
            body.put("may_import", caller.has(Role.ADMIN) || caller.has(Role.HR));
            body.put("may_answer_data_quality", caller.has(Role.ADMIN) || caller.has(Role.HR));
            body.put("may_change_thresholds", caller.has(Role.ADMIN) || caller.has(Role.HEAD_OF_SERVICE));
            body.put("may_read_audit", caller.has(Role.ADMIN));
            body.put("pages", org.workforcewatch.dashboard.WorkPage.forCaller(caller));
            body.put("csrf", Map.of("parameter", csrf.getParameterName(), "header", csrf.getHeaderName(), "token", csrf.getToken()));
            return body;
        });
    }

    private static Mono<CsrfToken> token(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.error(new IllegalStateException("no CSRF token on this request")) : token;
    }
}
