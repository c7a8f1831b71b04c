package org.workforcewatch.security;

import java.net.URI;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.savedrequest.CookieServerRequestCache;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The page a visitor was going to when sent to sign in, kept in a cookie (not in a session, which is stored only
 * once someone signs in) and forgotten when they reach it. Spring's cookie cache would forget it at the very next
 * request, the sign-in page itself, and put an expired cookie on every other answer; this one forgets it only on
 * arrival.
 */
final class PageToReturnTo implements ServerRequestCache {

    private final CookieServerRequestCache cookie = new CookieServerRequestCache();

    @Override
    public Mono<Void> saveRequest(ServerWebExchange exchange) {
        return cookie.saveRequest(exchange);
    }

    @Override
    public Mono<URI> getRedirectUri(ServerWebExchange exchange) {
        return cookie.getRedirectUri(exchange);
    }

    @Override
    public Mono<ServerHttpRequest> removeMatchingRequest(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String here = request.getPath().pathWithinApplication().value()
                + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
        return cookie.getRedirectUri(exchange).filter(saved -> saved.toString().equals(here))
                .flatMap(arrived -> cookie.removeMatchingRequest(exchange));
    }
}
