package org.workforcewatch.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.workforcewatch.ingest.cscapi.CscApiSettings;
import reactor.core.publisher.Mono;

/**
 * Who may send children's social care API records to {@code {base}/children_social_care_data/{la_code}/children}:
 * the council's pipeline, a machine, with a bearer token only (no session, no cookie, so no CSRF token either). Either
 * a token of the identity provider (client credentials) whose roles claim gives {@code hr} or {@code admin}, or the
 * configured ingest token ({@code workforce.csc-api.ingest-token}, compared in constant time; empty accepts none).
 * Nothing else under the base path is served.
 */
@Configuration(proxyBeanMethods = false)
class CscApiSecurity {

    /** The authority of a request that brought the ingest token. */
    static final String SENDER = "CSC_API_SENDER";

    @Bean
    @Order(0)
    SecurityWebFilterChain cscApiChain(ServerHttpSecurity http, CscApiSettings csc, SecuritySettings settings,
                                       Refusals refusals, ObjectProvider<ReactiveJwtDecoder> jwt) {
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(senders(csc.ingestToken(), jwt.getIfAvailable(),
                settings.jwt()));
        bearer.setServerAuthenticationConverter(new ServerBearerTokenAuthenticationConverter());
        bearer.setAuthenticationFailureHandler((exchange, e) -> refusals.commence(exchange.getExchange(), e));
        bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(csc.basePath() + "/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(e -> e.pathMatchers(HttpMethod.POST, csc.basePath() + "/children_social_care_data/*/children")
                        .hasAnyAuthority(SENDER, Role.ADMIN.authority(), Role.HR.authority())
                        .anyExchange().denyAll())
                .exceptionHandling(x -> x.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
                .headers(SecurityConfig::headers)
                .build();
    }

    /** The ingest token, else the identity provider's token; with neither configured no bearer token is accepted. */
    static ReactiveAuthenticationManager senders(String ingestToken, ReactiveJwtDecoder decoder, SecuritySettings.Jwt settings) {
        byte[] want = ingestToken.getBytes(StandardCharsets.UTF_8);
        JwtReactiveAuthenticationManager provider = null;
        if (decoder != null) {
            provider = new JwtReactiveAuthenticationManager(decoder);
            provider.setJwtAuthenticationConverter(new TokenRoles(settings));
        }
        JwtReactiveAuthenticationManager tokens = provider;
        return authentication -> {
            if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
                return Mono.error(new BadCredentialsException("a bearer token is needed"));
            }
            if (want.length > 0 && MessageDigest.isEqual(want, bearer.getToken().getBytes(StandardCharsets.UTF_8))) {
                return Mono.just(UsernamePasswordAuthenticationToken.authenticated("csc-api-pipeline", null,
                        List.of(new SimpleGrantedAuthority(SENDER))));
            }
            if (tokens != null) {
                return tokens.authenticate(authentication);
            }
            return Mono.error(new BadCredentialsException("the bearer token is not the configured ingest token"));
        };
    }
}
