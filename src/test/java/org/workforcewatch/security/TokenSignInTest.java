package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;

/**
 * The council's identity provider: bearer tokens it signs are accepted, roles and teams come from the
 * configured claims (here Keycloak's {@code realm_access.roles}, with the provider's group name "CSC-HR" mapped
 * to hr), and a token that is expired, signed by another key or without a known role opens nothing.
 */
class TokenSignInTest extends ApiTest {

    private static final KeyPair PROVIDER = rsa();
    private static final KeyPair STRANGER = rsa();

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) throws IOException {
        Path key = Files.createTempFile("provider-", ".pem");
        key.toFile().deleteOnExit();
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(PROVIDER.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> key.toUri().toString());
        registry.add("workforce.security.jwt.roles-claim", () -> "realm_access.roles");
        registry.add("workforce.security.jwt.role-names.hr", () -> "CSC-HR");
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(KeyPair key, String user, List<String> roles, List<String> teams, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("id-" + user).claim("preferred_username", user)
                .claim("realm_access", Map.of("roles", roles)).claim("teams", teams)
                .issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner(key.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
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
