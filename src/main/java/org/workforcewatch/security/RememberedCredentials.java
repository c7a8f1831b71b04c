package org.workforcewatch.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/**
 * Remembers, for a few minutes, a user name and password that were just verified, so a script sending
 * HTTP Basic with every request pays for the bcrypt check once, not each time (about 80 ms of CPU apiece).
 * Only a SHA-256 digest of name and password is kept, in memory; a wrong password is never remembered, and
 * a changed password or removed user takes effect when the entry lapses.
 */
final class RememberedCredentials implements ReactiveAuthenticationManager {

    private static final int MAX_ENTRIES = 10_000;

    private record Remembered(Authentication authentication, Instant until) {
    }

    private final ReactiveAuthenticationManager verifier;
    private final Duration remember;
    private final Clock clock;
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    RememberedCredentials(ReactiveAuthenticationManager verifier, Duration remember, Clock clock) {
        this.verifier = verifier;
        this.remember = remember;
        this.clock = clock;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        if (!(attempt instanceof UsernamePasswordAuthenticationToken) || !(attempt.getCredentials() instanceof String password)) {
            return verifier.authenticate(attempt);
        }
        String key = digest(attempt.getName(), password);
        Instant now = clock.instant();
        Remembered known = verified.get(key);
        if (known != null && known.until().isAfter(now)) {
            return Mono.just(known.authentication());
        }
        return verifier.authenticate(attempt).doOnNext(ok -> {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(key, new Remembered(ok, now.plus(remember)));
        });
    }

    private static String digest(String name, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
