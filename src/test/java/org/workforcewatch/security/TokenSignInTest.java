package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.IdentityProvider;

/**
 * The council's identity provider: bearer tokens it signs are accepted, roles and teams come from the
 * configured claims (here Keycloak's {@code realm_access.roles}, with the provider's group name "CSC-HR" mapped
 * to hr), and a token that is expired, signed by another key or without a known role opens nothing.
 */
class TokenSignInTest extends ApiTest {

    private static final IdentityProvider PROVIDER = new IdentityProvider();
    private static final IdentityProvider STRANGER = new IdentityProvider();

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) throws IOException {
        PROVIDER.trustedBy(registry);
        registry.add("workforce.security.jwt.roles-claim", () -> "realm_access.roles");
        registry.add("workforce.security.jwt.role-names.hr", () -> "CSC-HR");
    }

    private static String token(IdentityProvider provider, String user, List<String> roles, List<String> teams, Instant expires) {
        return provider.token(new JWTClaimsSet.Builder().subject("id-" + user).claim("preferred_username", user)
                .claim("realm_access", Map.of("roles", roles)).claim("teams", teams), expires);
    }

    private WebTestClient bearer(String token) {
        return anonymous().mutate().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }

    private static Instant inAnHour() {
        return Instant.now().plusSeconds(3600);
    }

    @Test
    void rolesAndTeamsComeFromTheProvidersClaims() {
        upload("teams", "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\nT02,South,Front Door,assessment\n")
                .expectStatus().isCreated();
        WebTestClient hr = bearer(token(PROVIDER, "a.hr.partner", List.of("offline_access", "CSC-HR"), List.of(), inAnHour()));
        hr.get().uri("/api/me").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("a.hr.partner").jsonPath("$.roles").isEqualTo(List.of("hr"))
                .jsonPath("$.sees_agency_detail").isEqualTo(true);
        hr.get().uri("/api/teams/T02/workers").exchange().expectStatus().isOk();

        WebTestClient manager = bearer(token(PROVIDER, "t.manager", List.of("team_manager"), List.of("T01"), inAnHour()));
        manager.get().uri("/api/teams/T01/workers").exchange().expectStatus().isOk();
        manager.get().uri("/api/teams/T02/workers").exchange().expectStatus().isForbidden();
        manager.post().uri("/api/imports/teams").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("team_id,team_name,service,team_type\n").exchange().expectStatus().isForbidden();

        assertThat(one("SELECT string_agg(actor || ' ' || action, ',' ORDER BY id) FROM audit_log"))
                .isEqualTo("admin import,a.hr.partner person_view,t.manager person_view,t.manager access_denied,t.manager access_denied");
    }

    @Test
    void anExpiredForeignOrRolelessTokenOpensNothing() {
        bearer(token(PROVIDER, "late", List.of("admin"), List.of(), Instant.now().minusSeconds(120))).get().uri("/api/indicators")
                .exchange().expectStatus().isUnauthorized().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        bearer(token(STRANGER, "forger", List.of("admin"), List.of(), inAnHour())).get().uri("/api/indicators")
                .exchange().expectStatus().isUnauthorized();
        bearer(token(PROVIDER, "nobody", List.of("offline_access"), List.of(), inAnHour())).get().uri("/api/indicators")
                .exchange().expectStatus().isForbidden();
        anonymous().get().uri("/api/indicators").exchange().expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, h -> assertThat(h).contains("Basic").contains("Bearer"));
        // local users still sign in alongside the provider
        as("viewer").get().uri("/api/indicators").exchange().expectStatus().isOk();
    }
}
