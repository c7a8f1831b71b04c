package org.workforcewatch.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed sign-ins (HTTP Basic and the sign-in form) are slowed down and then refused
 * ({@code workforce.security.sign-in}), so that passwords cannot be guessed at machine speed. Failures are
 * counted per user name and client address, per address, and per user name; all are forgotten
 * {@code lockTime} after the last one, so every lock ends by itself. The defaults let a person mistype a few
 * times without noticing anything, and an attacker about 40 guesses an hour per address.
 *
 * @param freeFailures        failures of one user name from one address before its attempts are slowed: 3
 * @param slowDown            the wait after the first slowed failure, doubling with each further one: 1 s
 *                            (then 2, 4, 8, ... s); an attempt before the wait is over is refused with 429
 * @param lockAfter           failures of one user name from one address that lock that pair for {@code lockTime}: 10
 * @param addressLockAfter    failures from one address, whatever the user names, that lock the address: 100
 *                            (guessing one common password for many accounts). An office behind one address shares
 *                            it; behind a proxy set {@code server.forward-headers-strategy} so that each client
 *                            is counted by its own address, not the proxy's.
 * @param accountLockAfter    failures of one user name from all addresses after which only addresses that have
 *                            not failed for it may still try it: 50. A person signing in from their own address is
 *                            never locked out by an attacker elsewhere; each attacking address gets one guess.
 * @param lockTime            how long a lock lasts, and how long a failure is remembered after the last one: 15 min
 * @param maxTracked          user names and addresses remembered at most (in memory): 100,000. When full, those
 *                            not locked are forgotten first.
 */
@ConfigurationProperties("workforce.security.sign-in")
record SignInLimits(@DefaultValue("3") int freeFailures,
                    @DefaultValue("1s") Duration slowDown,
                    @DefaultValue("10") int lockAfter,
                    @DefaultValue("100") int addressLockAfter,
                    @DefaultValue("50") int accountLockAfter,
                    @DefaultValue("15m") Duration lockTime,
                    @DefaultValue("100000") int maxTracked) {

    SignInLimits {
        if (freeFailures < 0 || lockAfter < 1 || addressLockAfter < 1 || accountLockAfter < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("workforce.security.sign-in: free-failures must be 0 or more, and lock-after,"
                    + " address-lock-after, account-lock-after and max-tracked above 0");
        }
        if (freeFailures > lockAfter) {
            throw new IllegalArgumentException("workforce.security.sign-in.free-failures (" + freeFailures
                    + ") must be at most lock-after (" + lockAfter + ")");
        }
        if (slowDown.isNegative() || lockTime.isNegative() || lockTime.isZero()) {
            throw new IllegalArgumentException("workforce.security.sign-in: slow-down must not be negative and lock-time"
                    + " must be above 0");
        }
    }
}
