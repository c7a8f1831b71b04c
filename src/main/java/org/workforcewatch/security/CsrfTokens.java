package org.workforcewatch.security;

import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.WebSessionServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Where the CSRF token of a browser is kept: in its session once it has one (someone signed in), and before
 * that in a cookie of its own. The sign-in form needs a token too, and keeping it in a cookie means a visit to
 * the sign-in page stores nothing on the server (see {@link DatabaseSessions}) while any instance can check the
 * form, with no sticky sessions. The cookie is HttpOnly and SameSite=Strict; the page carries the token in the
 * form (masked afresh for each page), and a request passes only when the two agree.
 */
final class CsrfTokens implements ServerCsrfTokenRepository {

    static final String COOKIE = "XSRF-TOKEN";
    static final String HEADER = "X-CSRF-TOKEN";
    static final String PARAMETER = "_csrf";

    /** The session attribute, as Spring Security names it (sessions stored before keep their token). */
    private static final String ATTRIBUTE = WebSessionServerCsrfTokenRepository.class.getName() + ".CSRF_TOKEN";

    private final boolean secureCookie;

    /** @param secureCookie whether the cookie is marked Secure even on a plain-HTTP request (TLS ended at a proxy) */
    CsrfTokens(boolean secureCookie) {
        this.secureCookie = secureCookie;
    }

    @Override
    public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
        return Mono.fromCallable(() -> new DefaultCsrfToken(HEADER, PARAMETER, UUID.randomUUID().toString()));
    }

    /**
     * Into the session the token goes as it is: the session's id changed when the person signed in (against
     * fixation), and changing it again for a token would leave the dashboard's other requests with an old cookie.
     */
    @Override
    public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
        return exchange.getSession().flatMap(session -> session.isStarted() ? Mono.<Void>fromRunnable(() -> {
            if (token == null) {
                session.getAttributes().remove(ATTRIBUTE);
            } else {
                session.getAttributes().put(ATTRIBUTE, token);
            }
        }) : Mono.fromRunnable(() ->
                exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, token == null ? "" : token.getToken())
                        .path("/").httpOnly(true).sameSite("Strict")
                        .secure(secureCookie || "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme()))
                        .maxAge(token == null ? Duration.ZERO : Duration.ofSeconds(-1))
                        .build())));
    }

    @Override
    public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
        return exchange.getSession().flatMap(session -> {
            if (session.isStarted()) {
                return Mono.justOrEmpty(session.getAttribute(ATTRIBUTE) instanceof CsrfToken token ? token : null);
            }
            HttpCookie cookie = exchange.getRequest().getCookies().getFirst(COOKIE);
            return cookie == null || cookie.getValue().isBlank() ? Mono.empty()
                    : Mono.just(new DefaultCsrfToken(HEADER, PARAMETER, cookie.getValue()));
        });
    }
}
