package org.workforcewatch.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.WebFilterChainServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint.DelegateEntry;
import org.workforcewatch.audit.Audit;
import org.workforcewatch.demo.DemoInUse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what (see {@link Role}). Two chains:
 * <ol>
 * <li>{@code /actuator/**}: health open, prometheus with the scrape token as a bearer token (or an admin), nothing
 *     else; no session, so a health probe never needs the database for sign-in;</li>
 * <li>everything else: the sign-in page and a session for the dashboard, HTTP Basic for scripts, and the
 *     council's identity provider's bearer tokens when {@code spring.security.oauth2.resourceserver.jwt.*} is
 *     set. Health and the sign-in page are open; every other address needs a role, and the rules below.</li>
 * </ol>
 * A refusal is a 401 or 403 problem and is audited. Forms (sign-in, sign-out) need the CSRF token; requests
 * that carry their own credentials ({@code Authorization}) do not, as no browser adds those by itself here, and
 * such a request is never signed in by the session (see {@link SessionUnlessOwnCredentials}). Failed sign-ins
 * are slowed down and then refused ({@link SignInThrottle}). HEAD is allowed wherever GET is. Every answer, the
 * firewall's refusals included, carries the security headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties({SecuritySettings.class, SignInLimits.class})
class SecurityConfig {

    private static final Log log = LogFactory.getLog(SecurityConfig.class);
    static final String SCRAPE = "SCRAPE";

    /**
     * Every response may load nothing from elsewhere: the dashboard must work without internet, and a policy
     * that refuses other origins proves it in the browser as well as protecting the pages.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final String[] ALL_ROLES = {"admin", "head_of_service", "hr", "team_manager", "viewer"};

    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /** The security headers of every answer (both chains). */
    static void headers(ServerHttpSecurity.HeaderSpec h) {
        h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(r -> r.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN))
                .frameOptions(f -> f.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                .permissionsPolicy(p -> p.policy(PERMISSIONS_POLICY));
    }

    /**
     * The firewall's refusal of a request it will not pass on (an encoded slash or a {@code ;} in the path, a
     * method nobody serves, ...): a 400 problem saying why, with the security headers, which no chain adds here.
     */
    @Bean
    ServerExchangeRejectedHandler rejectedRequests(Refusals refusals) {
        return (exchange, rejected) -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
            headers.set("Permissions-Policy", PERMISSIONS_POLICY);
            headers.setCacheControl("no-store");
            String why = String.valueOf(rejected.getMessage());
            return refusals.write(exchange, HttpStatus.BAD_REQUEST, "rejected-request", "Request refused",
                    (why.length() > 300 ? why.substring(0, 300) + "..." : why)
                            + ". Send the path without encoded slashes, backslashes, semicolons or '..', with a standard method.",
                    Map.of());
        };
    }

    @Bean
    FailedSignIns failedSignIns(SignInLimits limits, java.time.Clock clock) {
        return new FailedSignIns(limits, clock);
    }

    @Bean
    Refusals refusals(JsonMapper json, Audit audit, ObjectProvider<ReactiveJwtDecoder> jwt) {
        return new Refusals(json, audit, jwt.getIfAvailable() != null);
    }

    @Bean
    @Order(1)
    SecurityWebFilterChain actuatorChain(ServerHttpSecurity http, SecuritySettings settings, Refusals refusals, DemoInUse demo,
                                         Audit audit, FailedSignIns failedSignIns) {
        SignInThrottle throttle = new SignInThrottle(failedSignIns, refusals, audit);
        AuthenticationWebFilter token = new AuthenticationWebFilter(scrapeToken(settings.scrapeToken()));
        token.setServerAuthenticationConverter(new ServerBearerTokenAuthenticationConverter());
        token.setAuthenticationFailureHandler((exchange, e) -> refusals.commence(exchange.getExchange(), e));
        token.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator", "/actuator/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterBefore(throttle, SecurityWebFiltersOrder.HTTP_BASIC)
                .httpBasic(b -> basic(b, refusals, throttle))
                .addFilterAt(token, SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAfter(demoUsersEnd(demo), SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(e -> e.pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .pathMatchers("/actuator/prometheus").hasAnyAuthority(SCRAPE, Role.ADMIN.authority())
                        .anyExchange().denyAll())
                .exceptionHandling(x -> x.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
                .headers(SecurityConfig::headers)
                .build();
    }

    /** The scrape token, compared in constant time; with none configured no bearer token is accepted here. */
    static ReactiveAuthenticationManager scrapeToken(String expected) {
        if ("change-this-scrape-token".equals(expected)) {
            log.warn("The scrape token is still the placeholder shipped in prometheus/scrape-token: anyone who knows it can"
                    + " read the metrics. Replace it: openssl rand -hex 32 > prometheus/scrape-token");
        }
        byte[] want = expected.getBytes(StandardCharsets.UTF_8);
        return authentication -> {
            if (authentication instanceof BearerTokenAuthenticationToken bearer && want.length > 0
                    && MessageDigest.isEqual(want, bearer.getToken().getBytes(StandardCharsets.UTF_8))) {
                return Mono.just(UsernamePasswordAuthenticationToken.authenticated("prometheus", null,
                        List.of(new SimpleGrantedAuthority(SCRAPE))));
            }
            return Mono.error(new BadCredentialsException("the scrape token is not the configured one"));
        };
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain appChain(ServerHttpSecurity http, SecuritySettings settings, Refusals refusals, Audit audit,
                                    ObjectProvider<ReactiveJwtDecoder> jwt, DemoInUse demo, FailedSignIns failedSignIns,
                                    @Value("${server.reactive.session.cookie.secure:false}") boolean secureCookies) {
        ServerWebExchangeMatcher pages = new OrServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers("/", "/services/**", "/teams/**"),
                ServerWebExchangeMatchers.pathMatchers(org.workforcewatch.dashboard.WorkPage.paths()));
        ReactiveJwtDecoder decoder = jwt.getIfAvailable();
        // the page a visitor was going to waits in a cookie, not in a session, until they have signed in
        PageToReturnTo goingTo = new PageToReturnTo();
        RedirectServerAuthenticationEntryPoint toSignIn = new RedirectServerAuthenticationEntryPoint("/login");
        toSignIn.setRequestCache(goingTo);
        RedirectServerAuthenticationSuccessHandler back = new RedirectServerAuthenticationSuccessHandler("/");
        back.setRequestCache(goingTo);
        WebSessionServerSecurityContextRepository sessions = new WebSessionServerSecurityContextRepository();
        SignInThrottle throttle = new SignInThrottle(failedSignIns, refusals, audit);
        http.authorizeExchange(e -> e
                        .matchers(reads("/login", "/login.css", "/app.css", "/favicon.svg")).permitAll()
                        .matchers(reads("/api/teams/{team}/workers", "/api/charts/teams/{team}/caseloads.{format}"))
                        .access(peopleOfTeam())
                        .matchers(reads("/api/charts/pa-caseloads.{format}")).access(peopleInScope())
                        .matchers(reads("/api/data-quality", "/api/data-quality/**"))
                        .hasAnyRole("admin", "hr", "head_of_service")
                        .pathMatchers(HttpMethod.POST, "/api/imports/**", "/api/events", "/api/data-quality/**").hasAnyRole("admin", "hr")
                        .matchers(reads("/api/imports", "/api/imports/**")).hasAnyRole("admin", "hr")
                        // the agency register names workers, agencies and rates; the returns are HR's to send
                        .pathMatchers("/api/agency/**", "/api/returns", "/api/returns/**").hasAnyRole("admin", "hr")
                        .pathMatchers(HttpMethod.PUT, "/api/thresholds/**").hasAnyRole("admin", "head_of_service")
                        .pathMatchers(HttpMethod.POST, "/api/spc/baselines").hasAnyRole("admin", "head_of_service")
                        .matchers(reads("/api/scenarios", "/api/scenarios/**")).hasAnyRole(ALL_ROLES)
                        .pathMatchers("/api/scenarios", "/api/scenarios/**").hasAnyRole("admin", "head_of_service", "hr")
                        .pathMatchers("/api/audit", "/api/audit.csv").hasRole("admin")
                        // everyone keeps their own pinned teams (the caller's, whoever asks)
                        .pathMatchers(HttpMethod.PUT, "/api/me/pins").hasAnyRole(ALL_ROLES)
                        .matchers(reads("/api/**", "/", "/services/**", "/teams/**", "/app.js", "/common.js", "/pages/**")).hasAnyRole(ALL_ROLES)
                        // each work page answers every role, with 403 and the page's words for one it is not for
                        .matchers(reads(org.workforcewatch.dashboard.WorkPage.paths())).hasAnyRole(ALL_ROLES)
                        .anyExchange().denyAll())
                .securityContextRepository(new SessionUnlessOwnCredentials(sessions))
                .requestCache(c -> c.requestCache(goingTo))
                .addFilterBefore(throttle, SecurityWebFiltersOrder.HTTP_BASIC)
                .httpBasic(b -> basic(b, refusals, throttle))
                .formLogin(f -> f.loginPage("/login")
                        .securityContextRepository(sessions)
                        .authenticationEntryPoint(toSignIn)
                        .authenticationSuccessHandler((exchange, authentication) -> throttle.succeeded(exchange.getExchange())
                                .then(audit.request(exchange.getExchange(), Caller.of(authentication), "sign_in", 302))
                                .then(back.onAuthenticationSuccess(exchange, authentication)))
                        .authenticationFailureHandler((exchange, e) -> exchange.getExchange().getFormData()
                                .map(form -> String.valueOf(form.getFirst("username")))
                                .flatMap(name -> audit.request(exchange.getExchange(), new Caller(name, Set.of(), Set.of()),
                                                "sign_in_failed", 302))
                                .then(throttle.failed(exchange.getExchange()))
                                .then(new RedirectServerAuthenticationFailureHandler("/login?error").onAuthenticationFailure(exchange, e))))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessHandler(signedOut()))
                .addFilterAfter(demoUsersEnd(demo), SecurityWebFiltersOrder.AUTHENTICATION)
                .csrf(c -> c.csrfTokenRepository(new CsrfTokens(secureCookies))
                        .requireCsrfProtectionMatcher(needsCsrfToken(decoder != null)).accessDeniedHandler(refusals))
                .exceptionHandling(x -> x.authenticationEntryPoint(pagesToSignIn(pages, toSignIn, refusals))
                        .accessDeniedHandler(refusals))
                .headers(SecurityConfig::headers);
        if (decoder != null) {
            http.oauth2ResourceServer(o -> o.authenticationEntryPoint(refusals).accessDeniedHandler(refusals)
                    .jwt(j -> j.jwtDecoder(decoder).jwtAuthenticationConverter(new TokenRoles(settings.jwt()))));
            log.info("Bearer tokens of the identity provider are accepted; roles come from the claim '"
                    + settings.jwt().rolesClaim() + "'");
        }
        return http.build();
    }

    /**
     * HTTP Basic, in either chain: never kept in a session, each outcome reported to the throttle standing before
     * it (which refuses an attempt after too many failures before its password is checked).
     */
    private static void basic(ServerHttpSecurity.HttpBasicSpec b, Refusals refusals, SignInThrottle throttle) {
        b.authenticationEntryPoint(refusals)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authenticationFailureHandler((exchange, e) -> throttle.failed(exchange.getExchange())
                        .then(refusals.commence(exchange.getExchange(), e)))
                .authenticationSuccessHandler(handlers -> {
                    handlers.add((exchange, authentication) -> throttle.succeeded(exchange.getExchange()));
                    handlers.add(new WebFilterChainServerAuthenticationSuccessHandler());
                });
    }

    /** GET or HEAD of these paths: HEAD is allowed wherever GET is, and answers the same without the body. */
    static ServerWebExchangeMatcher reads(String... patterns) {
        return new OrServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, patterns),
                ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, patterns));
    }

    private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    /**
     * A change made by a browser needs the CSRF token: the sign-in and sign-out forms, and any request that a
     * session cookie comes with, unless it brings credentials of its own: HTTP Basic credentials, or a bearer
     * token where the identity provider's are accepted. Such a request is signed in by those credentials or not at
     * all, never by the session ({@link SessionUnlessOwnCredentials}), so another site cannot act through it; a
     * session cookie with an empty or junk header still needs the token. One with no credentials at all is
     * refused as not signed in (401) rather than as a forgery.
     */
    static ServerWebExchangeMatcher needsCsrfToken(boolean bearerAccepted) {
        return exchange -> {
            var request = exchange.getRequest();
            boolean unsafe = !SAFE_METHODS.contains(request.getMethod());
            boolean form = Set.of("/login", "/logout").contains(request.getPath().value());
            boolean session = request.getCookies().containsKey("SESSION");
            boolean ownCredentials = ownCredentials(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION), bearerAccepted);
            return unsafe && (form || (session && !ownCredentials)) ? ServerWebExchangeMatcher.MatchResult.match()
                    : ServerWebExchangeMatcher.MatchResult.notMatch();
        };
    }

    /** Whether an Authorization header holds HTTP Basic credentials (a name and a password), or a bearer token that may be checked. */
    static boolean ownCredentials(String header, boolean bearerAccepted) {
        if (header == null) {
            return false;
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                return new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8).indexOf(':') > 0;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return bearerAccepted && header.regionMatches(true, 0, "Bearer ", 0, 7) && header.substring(7).strip().matches("[A-Za-z0-9._~+/-]+=*");
    }

    /** The dashboard's pages go to the sign-in page; anything else gets a 401 problem. */
    private static DelegatingServerAuthenticationEntryPoint pagesToSignIn(ServerWebExchangeMatcher pages,
                                                                          RedirectServerAuthenticationEntryPoint toSignIn,
                                                                          Refusals refusals) {
        DelegatingServerAuthenticationEntryPoint entryPoint = new DelegatingServerAuthenticationEntryPoint(new DelegateEntry(pages, toSignIn));
        entryPoint.setDefaultEntryPoint(refusals);
        return entryPoint;
    }

    /** A team's people: roles that see every team's, or a team manager for their own teams only. */
    static ReactiveAuthorizationManager<AuthorizationContext> peopleOfTeam() {
        return (authentication, context) -> authentication
                .map(a -> (org.springframework.security.authorization.AuthorizationResult) new AuthorizationDecision(
                        a.isAuthenticated() && Caller.of(a).seesPeopleOf(String.valueOf(context.getVariables().get("team")))))
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    /**
     * A distribution of people's own figures (each personal adviser's caseload): person-level at any level, as a
     * team's caseload chart is. A team's for those who see that team's people; a service's or the authority's (which
     * may be one team's people, pooled) for those who see every team's.
     */
    static ReactiveAuthorizationManager<AuthorizationContext> peopleInScope() {
        return (authentication, context) -> authentication
                .map(a -> {
                    var query = context.getExchange().getRequest().getQueryParams();
                    String level = query.getFirst("level") == null ? "" : query.getFirst("level").strip();
                    String scope = query.getFirst("scope") == null ? "" : query.getFirst("scope").strip();
                    Caller caller = Caller.of(a);
                    boolean sees = level.equals("team") ? caller.seesPeopleOf(scope) : caller.seesAllPeople();
                    return (org.springframework.security.authorization.AuthorizationResult) new AuthorizationDecision(a.isAuthenticated() && sees);
                })
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    private static RedirectServerLogoutSuccessHandler signedOut() {
        RedirectServerLogoutSuccessHandler handler = new RedirectServerLogoutSuccessHandler();
        handler.setLogoutSuccessUrl(java.net.URI.create("/login?signed-out"));
        return handler;
    }

    /** Checks user names and passwords (HTTP Basic and the sign-in form), remembering good ones briefly. */
    @Bean
    ReactiveAuthenticationManager passwordCheck(ReactiveUserDetailsService users, java.time.Clock clock) {
        return new RememberedCredentials(new UserDetailsRepositoryReactiveAuthenticationManager(users),
                java.time.Duration.ofMinutes(5), clock);
    }

    /**
     * Local users from configuration, and the demo users while {@link DemoInUse} allows them (the demo authority
     * is all the database holds). A configured user of the same name as a demo user is that user. A password
     * must be in an encoded form ({@code {bcrypt}...}); a role must be one of {@link Role}; a team manager
     * must name their teams. Anything else stops the start-up with the reason.
     */
    @Bean
    ReactiveUserDetailsService users(SecuritySettings settings, DemoInUse demo) {
        List<UserDetails> configured = settings.users().stream().map(SecurityConfig::user).toList();
        Set<String> names = configured.stream().map(u -> u.getUsername().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
        List<UserDetails> demoUsers = settings.demoUsers().stream()
                .filter(u -> u.username() == null || !names.contains(u.username().toLowerCase(java.util.Locale.ROOT)))
                .map(SecurityConfig::demoUser).toList();
        if (configured.isEmpty() && (demoUsers.isEmpty() || !demo.configuredOn())) {
            log.warn("No local users are configured (workforce.security.users): only identity-provider tokens can sign in");
        }
        // only the lookup: Spring would otherwise re-encode a {noop} password with bcrypt at its first use, making
        // every later HTTP Basic request pay for a bcrypt check
        ReactiveUserDetailsService local = lookup(configured);
        ReactiveUserDetailsService demoOnes = lookup(demoUsers);
        return username -> local.findByUsername(username)
                .switchIfEmpty(Mono.defer(() -> demoOnes.findByUsername(username).filterWhen(u -> demo.usersAllowed())));
    }

    private static ReactiveUserDetailsService lookup(List<UserDetails> users) {
        if (users.isEmpty()) {
            return username -> Mono.empty();
        }
        MapReactiveUserDetailsService map = new MapReactiveUserDetailsService(users);
        return map::findByUsername;
    }

    /** The authority that marks a demo user, so that a session or remembered sign-in of one ends with the demo. */
    static final String DEMO_USER = "DEMO_USER";

    static UserDetails demoUser(SecuritySettings.User u) {
        UserDetails user = user(u);
        List<org.springframework.security.core.GrantedAuthority> authorities = new ArrayList<>(user.getAuthorities());
        authorities.add(new SimpleGrantedAuthority(DEMO_USER));
        return User.withUserDetails(user).authorities(authorities).build();
    }

    /**
     * A demo user signed in earlier (a dashboard session, or Basic credentials remembered a few minutes) counts as
     * not signed in once {@link DemoInUse} no longer allows the demo users: real data has arrived. Their session
     * is ended too.
     */
    static org.springframework.web.server.WebFilter demoUsersEnd(DemoInUse demo) {
        return (exchange, chain) -> ReactiveSecurityContextHolder.getContext()
                .mapNotNull(org.springframework.security.core.context.SecurityContext::getAuthentication)
                .filter(a -> a.getAuthorities().stream().anyMatch(g -> DEMO_USER.equals(g.getAuthority())))
                .flatMap(a -> demo.usersAllowed())
                .defaultIfEmpty(true)
                .flatMap(allowed -> allowed ? chain.filter(exchange)
                        : exchange.getSession().flatMap(s -> s.isStarted() ? s.invalidate() : Mono.empty())
                                .then(chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.clearContext())));
    }

    static UserDetails user(SecuritySettings.User u) {
        if (u.username() == null || u.username().isBlank() || u.password() == null || !u.password().startsWith("{")) {
            throw new IllegalStateException("workforce.security.users: user '" + u.username()
                    + "' needs a name and a password in encoded form, such as {bcrypt}$2a$10$...");
        }
        List<SimpleGrantedAuthority> authorities = new ArrayList<>();
        for (String name : u.roles()) {
            Role role = Role.of(name).orElseThrow(() -> new IllegalStateException("workforce.security.users: user '"
                    + u.username() + "' has an unknown role '" + name + "'; the roles are " + List.of(ALL_ROLES)));
            authorities.add(new SimpleGrantedAuthority(role.authority()));
        }
        if (authorities.isEmpty()) {
            throw new IllegalStateException("workforce.security.users: user '" + u.username() + "' has no role");
        }
        if (u.roles().stream().anyMatch(r -> Role.of(r).orElseThrow() == Role.TEAM_MANAGER) && u.teams().isEmpty()) {
            throw new IllegalStateException("workforce.security.users: team manager '" + u.username() + "' needs teams");
        }
        u.teams().forEach(t -> authorities.add(new SimpleGrantedAuthority(Caller.TEAM_PREFIX + t)));
        return User.withUsername(u.username()).password(u.password()).authorities(authorities).build();
    }
}
