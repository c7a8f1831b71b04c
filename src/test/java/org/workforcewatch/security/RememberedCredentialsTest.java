package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import reactor.core.publisher.Mono;

/** A verified name and password is checked once for the time it is remembered; a wrong one every time. */
class RememberedCredentialsTest {

    private final AtomicInteger checks = new AtomicInteger();
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");

    private final RememberedCredentials manager = new RememberedCredentials(attempt -> {
        checks.incrementAndGet();
        return "right".equals(attempt.getCredentials())
                ? Mono.just(UsernamePasswordAuthenticationToken.authenticated(attempt.getName(), null,
                        List.of(new SimpleGrantedAuthority("ROLE_hr"))))
                : Mono.error(new BadCredentialsException("no"));
    }, Duration.ofMinutes(5), new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    private Authentication signIn(String user, String password) {
        return manager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password)).block();
    }

    @Test
    void aGoodPasswordIsCheckedOnceWhileRememberedAndAgainAfterwards() {
        assertThat(signIn("hr", "right").getAuthorities()).extracting(Object::toString).containsExactly("ROLE_hr");
        signIn("hr", "right");
        assertThat(checks).hasValue(1);
        now = now.plus(Duration.ofMinutes(6));
        signIn("hr", "right");
        assertThat(checks).hasValue(2);
    }

    @Test
    void aWrongPasswordIsNeverRememberedNorLetInByAGoodOne() {
        signIn("hr", "right");
        assertThatThrownBy(() -> signIn("hr", "wrong")).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> signIn("hr", "wrong")).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> signIn("other", "right\u0000")).isInstanceOf(BadCredentialsException.class);
        assertThat(checks).hasValue(4);
    }
}
