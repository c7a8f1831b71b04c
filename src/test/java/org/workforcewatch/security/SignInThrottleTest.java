package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.workforcewatch.ApiTest;

/**
 * Failed sign-ins are slowed down, then refused with 429 and Retry-After, per user name and address, per address,
 * and per user name from many addresses, for HTTP Basic and the sign-in form alike; a lock is audited and ends by
 * itself. Small limits here, and a clock the test moves on instead of waiting; clients are told apart by the
 * address their proxy reports ({@code X-Forwarded-For}).
 */
@TestPropertySource(properties = {"workforce.security.sign-in.free-failures=2", "workforce.security.sign-in.slow-down=10s",
    "workforce.security.sign-in.lock-after=4", "workforce.security.sign-in.address-lock-after=6",
    "workforce.security.sign-in.account-lock-after=5", "workforce.security.sign-in.lock-time=5m",
    "server.forward-headers-strategy=native"})
@Import(SignInThrottleTest.MovableClock.class)
class SignInThrottleTest extends ApiTest {

    /** The service's clock, which the test moves on. */
    @TestConfiguration
    static class MovableClock extends Clock {

        private final Clock system = Clock.system(ZoneId.of("Europe/London"));
        private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

        @Bean
        @Primary
        Clock movableClock() {
            return this;
        }

        void moveOn(Duration by) {
            ahead.accumulateAndGet(by, Duration::plus);
        }

        @Override
        public ZoneId getZone() {
            return system.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return system.withZone(zone).equals(system) ? this : Clock.offset(system.withZone(zone), ahead.get());
        }

        @Override
        public Instant instant() {
            return system.instant().plus(ahead.get());
        }
    }

    @Autowired
    private MovableClock clock;

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private WebTestClient.ResponseSpec basic(String address, String user, String password) {
        return anonymous().get().uri("/api/me").header("X-Forwarded-For", address)
                .headers(h -> h.setBasicAuth(user, password)).exchange();
    }

    /** A 429 problem; answers its Retry-After in seconds. */
    private static long tooMany(WebTestClient.ResponseSpec answer, String says) {
        EntityExchangeResult<byte[]> result = answer.expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/too-many-sign-ins")
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains(says))
                .returnResult();
        long seconds = Long.parseLong(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(new String(result.getResponseBodyContent())).contains("\"retry_after_seconds\":" + seconds);
        return seconds;
    }

    @Test
    void basicSignInsAreSlowedThenLockedTheLockIsAuditedAndEndsByItselfWhileAnotherAddressSignsIn() {
        String attacker = "203.0.113.7";
        basic(attacker, "viewer", "guess-1").expectStatus().isUnauthorized();
        basic(attacker, "viewer", "guess-2").expectStatus().isUnauthorized();
        assertThat(tooMany(basic(attacker, "viewer", "guess-3"), "wait 10 seconds")).isEqualTo(10);
        clock.moveOn(Duration.ofSeconds(10));
        basic(attacker, "viewer", "guess-3").expectStatus().isUnauthorized();
        assertThat(tooMany(basic(attacker, "viewer", "guess-4"), "wait 20 seconds")).isEqualTo(20);
        clock.moveOn(Duration.ofSeconds(20));
        basic(attacker, "viewer", "guess-4").expectStatus().isUnauthorized();

        // locked: even the right password is refused from there, without saying whether it was right
        long locked = tooMany(basic(attacker, "viewer", PASSWORD), "it is locked for 5 minutes");
        assertThat(locked).isBetween(299L, 300L);
        // the person, elsewhere, signs in
        basic("198.51.100.9", "viewer", PASSWORD).expectStatus().isOk();
        assertThat(one("SELECT actor || ' ' || status || ' ' || remote_address || ' ' || (detail->>'lock') FROM audit_log"
                + " WHERE action = 'sign_in_locked'")).isEqualTo("viewer 429 203.0.113.7 account_and_address");
        assertThat(one("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND actor = 'viewer'")).isEqualTo("4");

        clock.moveOn(Duration.ofSeconds(locked));
        basic(attacker, "viewer", PASSWORD).expectStatus().isOk();
        // and the success clears the slate: two more failures go unnoticed again
        basic(attacker, "viewer", "guess-5").expectStatus().isUnauthorized();
        basic(attacker, "viewer", "guess-6").expectStatus().isUnauthorized();
    }

    @Test
    void formSignInsAreSlowedDownAndLockedAlike() {
        String address = "203.0.113.20";
        for (int i = 1; i <= 2; i++) {
            postSignIn(address, "hr", "guess-" + i).expectStatus().isFound().expectHeader().location("/login?error");
        }
        assertThat(tooMany(postSignIn(address, "hr", PASSWORD), "wait 10 seconds")).isEqualTo(10);
        clock.moveOn(Duration.ofSeconds(10));
        postSignIn(address, "hr", "guess-3").expectStatus().isFound();
        clock.moveOn(Duration.ofSeconds(20));
        postSignIn(address, "hr", "guess-4").expectStatus().isFound();
        tooMany(postSignIn(address, "hr", PASSWORD), "it is locked");
        // the lock holds for Basic too: it is the same user name from the same address
        tooMany(basic(address, "hr", PASSWORD), "it is locked");
        clock.moveOn(Duration.ofMinutes(5));
        postSignIn(address, "hr", PASSWORD).expectStatus().isFound().expectHeader().location("/");
    }

    @Test
    void anAddressFailingForManyUserNamesIsLockedForEveryNameButNoOtherAddressIs() {
        String address = "203.0.113.30";
        for (String name : new String[]{"a.one", "b.two", "c.three", "d.four", "e.five", "f.six"}) {
            basic(address, name, "Winter2026!").expectStatus().isUnauthorized();
        }
        tooMany(basic(address, "admin", PASSWORD), "Too many sign-ins from your address have failed");
        basic("198.51.100.30", "admin", PASSWORD).expectStatus().isOk();
        assertThat(one("SELECT actor || ' ' || (detail->>'lock') FROM audit_log WHERE action = 'sign_in_locked'"))
                .isEqualTo("f.six address");
    }

    @Test
    void aUserNameGuessedFromManyAddressesStaysOpenToAnAddressThatHasNotFailedForIt() {
        for (int i = 1; i <= 5; i++) {
            basic("192.0.2." + i, "head", "guess-" + i).expectStatus().isUnauthorized();
        }
        // every address that has failed for it is refused, even with the right password ...
        tooMany(basic("192.0.2.1", "head", PASSWORD), "from many addresses");
        // ... but the person's own address signs in
        basic("198.51.100.40", "head", PASSWORD).expectStatus().isOk();
        // and an address that then fails once has had its one guess
        basic("192.0.2.77", "head", "guess-6").expectStatus().isUnauthorized();
        tooMany(basic("192.0.2.77", "head", "guess-7"), "from many addresses");
    }

    @Test
    void guessesAtTheMetricsEndpointAreCountedAlike() {
        String address = "203.0.113.50";
        for (int i = 1; i <= 2; i++) {
            anonymous().get().uri("/actuator/prometheus").header("X-Forwarded-For", address)
                    .headers(h -> h.setBasicAuth("admin", "guess")).exchange().expectStatus().isUnauthorized();
        }
        tooMany(anonymous().get().uri("/actuator/prometheus").header("X-Forwarded-For", address)
                .headers(h -> h.setBasicAuth("admin", PASSWORD)).exchange(), "wait 10 seconds");
        // one count for the user name and address, wherever the guesses are sent
        tooMany(basic(address, "admin", PASSWORD), "wait 10 seconds");
    }

    private WebTestClient.ResponseSpec postSignIn(String address, String user, String password) {
        EntityExchangeResult<String> page = anonymous().get().uri("/login").header("X-Forwarded-For", address).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        Matcher m = CSRF.matcher(page.getResponseBody());
        assertThat(m.find()).isTrue();
        ResponseCookie token = page.getResponseCookies().getFirst("XSRF-TOKEN");
        return anonymous().post().uri("/login").header("X-Forwarded-For", address).cookie(token.getName(), token.getValue())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", user).with("password", password).with("_csrf", m.group(1)))
                .exchange();
    }
}
