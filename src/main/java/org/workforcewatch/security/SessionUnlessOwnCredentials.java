package org.workforcewatch.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The person signed in to the browser's session, except on a request that brings credentials of its own
 * ({@code Authorization}): that request is who its credentials say, or nobody (401), never the session's person.
 * Such a request skips the CSRF check (a browser adds no Authorization header to another site's request by
 * itself), so it must not be able to act with the session: a session cookie with {@code Bearer junk}, or with an
 * empty header, is not signed in.
 */
final class SessionUnlessOwnCredentials implements ServerSecurityContextRepository {

    private final ServerSecurityContextRepository sessions;

    SessionUnlessOwnCredentials(ServerSecurityContextRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        return sessions.save(exchange, context);
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION) ? Mono.empty() : sessions.load(exchange);
    }
}
