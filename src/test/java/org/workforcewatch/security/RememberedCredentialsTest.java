package org.workforcewatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.workforcewatch.TestClock;
import reactor.core.publisher.Mono;

/** A verified name and password is checked once for the time it is remembered; a wrong one every time. */
class RememberedCredentialsTest {

    private final AtomicInteger checks = new AtomicInteger();
    private final TestClock clock = new TestClock("2026-11-24T10:00:00Z");

    private final RememberedCredentials manager = new RememberedCredentials(attempt -> {
        checks.incrementAndGet();
        return "right".equals(attempt.getCredentials())
                ? Mono.just(UsernamePasswordAuthenticationToken.authenticated(attempt.getName(), null,
                        List.of(new SimpleGrantedAuthority("ROLE_hr"))))
                : Mono.error(new BadCredentialsException("no"));
    }, Duration.ofMinutes(5), clock);

    private Authentication signIn(String user, String password) {
        return manager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password)).block();
    }

    @Test
    void aGoodPasswordIsCheckedOnceWhileRememberedAndAgainAfterwards() {
        assertThat(signIn("hr", "right").getAuthorities()).extracting(Object::toString).containsExactly("ROLE_hr");
        signIn("hr", "right");
        assertThat(checks).hasValue(1);
        clock.advance(Duration.ofMinutes(6));
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
