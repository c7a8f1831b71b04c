package org.workforcewatch.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Base64;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.audit.Audit;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals as RFC 9457 problems: 401 for a request without valid credentials (with the sign-in methods
 * offered in {@code WWW-Authenticate}, except to the dashboard's own scripts, which send
 * {@code X-Requested-With} and go to the sign-in page instead of a browser password prompt), 403 for a
 * signed-in person without the role, 403 for a change from a browser without its CSRF token, 429 for a sign-in
 * after too many failed ones. Every refusal of a signed-in person is audited, and so is every failed sign-in.
 */
final class Refusals implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private static final String TYPES = "https://workforcewatch.org/problems/";

    private final JsonMapper json;
    private final Audit audit;
    private final String challenge;

    Refusals(JsonMapper json, Audit audit, boolean bearer) {
        this.json = json;
        this.audit = audit;
        this.challenge = bearer ? "Basic realm=\"Workforce Watch\", Bearer" : "Basic realm=\"Workforce Watch\"";
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        boolean triedToSignIn = exchange.getRequest().getHeaders().containsHeader("Authorization");
        if (!"XMLHttpRequest".equals(exchange.getRequest().getHeaders().getFirst("X-Requested-With"))) {
            exchange.getResponse().getHeaders().set("WWW-Authenticate", challenge);
        }
        Mono<Void> audited = triedToSignIn
                ? audit.request(exchange, attempted(exchange), "sign_in_failed", HttpStatus.UNAUTHORIZED.value()) : Mono.empty();
        return audited.then(write(exchange, HttpStatus.UNAUTHORIZED, "not-signed-in", "Sign-in needed",
                triedToSignIn ? "The credentials were not accepted. Check the user name and password, or the token."
                        : "Sign in first: the dashboard at /login, or send HTTP Basic credentials or a bearer token.",
                Map.of()));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        if (denied instanceof CsrfException) {
            return write(exchange, HttpStatus.FORBIDDEN, "csrf", "CSRF token missing or invalid",
                    "A sign-in, sign-out or change from a browser must carry the CSRF token of its page (the form field "
                            + CsrfTokens.PARAMETER + " or the header " + CsrfTokens.HEADER + "); this request's token is"
                            + " missing or does not match. Reload the page and try again; scripts send HTTP Basic credentials"
                            + " or a bearer token instead.", Map.of());
        }
        return exchange.getPrincipal()
                .flatMap(principal -> audit.request(exchange, principal instanceof Authentication a ? Caller.of(a)
                        : new Caller(principal.getName(), Set.of(), Set.of()), "access_denied", HttpStatus.FORBIDDEN.value()))
                .then(write(exchange, HttpStatus.FORBIDDEN, "forbidden", "Not allowed for your role",
                        "Your role does not allow " + exchange.getRequest().getMethod().name() + " "
                                + exchange.getRequest().getPath().value()
                                + ". Person-level views, imports, threshold changes and the audit are limited by role;"
                                + " ask an administrator if you need this.", Map.of()));
    }

    /** A sign-in refused after too many failed ones (429), with how long to wait in Retry-After and in words. */
    Mono<Void> tooManySignIns(ServerWebExchange exchange, FailedSignIns.Refusal refusal) {
        long seconds = refusal.retryAfterSeconds();
        String wait = seconds < 120 ? seconds + " seconds" : ((seconds + 59) / 60) + " minutes";
        String why = switch (refusal.reason()) {
            case "slowed" -> "Several sign-ins with this user name from your address have failed: wait " + wait
                    + " before the next try.";
            case "locked" -> "Too many sign-ins with this user name from your address have failed: it is locked for " + wait
                    + " (until " + refusal.until() + ").";
            case "address" -> "Too many sign-ins from your address have failed: it is locked for " + wait
                    + " (until " + refusal.until() + ").";
            case "account" -> "Sign-ins with this user name have failed from many addresses: your address, which has failed"
                    + " too, may not try it again for " + wait + " (until " + refusal.until() + ").";
            default -> "Another sign-in with this user name from your address is still being checked: try again in " + wait + ".";
        };
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        return write(exchange, HttpStatus.TOO_MANY_REQUESTS, "too-many-sign-ins", "Too many failed sign-ins",
                why + " Check the user name and password, or ask an administrator.",
                Map.of("retry_after_seconds", seconds));
    }

    /** Who a refused sign-in claimed to be (the user name of HTTP Basic credentials), for the audit. */
    static Caller attempted(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst("Authorization");
        String name = "anonymous";
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                name = decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
            } catch (IllegalArgumentException e) {
                name = "unreadable credentials";
            }
        } else if (header != null) {
            name = "bearer token";
        }
        return new Caller(name.length() > 100 ? name.substring(0, 100) : name, Set.of(), Set.of());
    }

    Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String title, String detail,
                     Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPES + type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", exchange.getRequest().getPath().value());
        body.putAll(extra);
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
