package org.workforcewatch.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/**
 * Failed sign-ins, counted in memory per user name and client address, per address and per user name, and what
 * they allow next ({@link SignInLimits}): a few failures go unnoticed, then each further attempt of that user
 * name from that address must wait (1 s, 2 s, 4 s, ...), then the pair is locked; an address that fails for many
 * user names is locked whatever the name; and a user name that fails from many addresses may then be tried only
 * from addresses that have not failed for it, so its owner, elsewhere, still signs in. A success clears the
 * pair's failures. Every lock ends {@code lock-time} after the last failure that counted, by itself.
 *
 * <p>Attempts still being checked count towards the pair's lock, so a burst of parallel guesses cannot pass the
 * lock before their failures are known. The counts are this instance's: behind a load balancer each instance
 * counts on its own.
 */
final class FailedSignIns {

    /** Who is signing in, as the limits count them: a user name (lower case, as users are looked up) and an address. */
    record Attempt(String account, String address) {
        Attempt {
            account = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
            account = account.length() > 100 ? account.substring(0, 100) : account;
        }
    }

    /** Why an attempt is refused ({@code slowed}, {@code locked}, {@code address}, {@code account}, {@code busy}) and until when. */
    record Refusal(String reason, Instant until, Duration retryAfter) {
        /** Whole seconds to wait, at least 1 (for Retry-After). */
        long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** A lock that has just begun ({@code account_and_address}, {@code address} or {@code account}), for the audit. */
    record Lock(String scope, Instant until) {
    }

    private static final class Count {
        int failures;
        int inFlight;
        Instant last = Instant.EPOCH;
        boolean lockRecorded;
    }

    private final SignInLimits limits;
    private final Clock clock;
    private final Map<String, Count> counts = new HashMap<>();

    FailedSignIns(SignInLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** The client's address as counted: an IPv6 client by its /64, the block one subscriber usually holds. */
    static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                return address.getHostAddress();
            }
        }
        return address.getHostAddress();
    }

    /**
     * Whether this attempt may go on to the password check; when it may, it is counted as in flight until
     * {@link #finished}.
     */
    synchronized Optional<Refusal> begin(Attempt a) {
        Instant now = clock.instant();
        Count address = live(addressKey(a), now);
        Count pair = live(pairKey(a), now);
        Count account = live(accountKey(a), now);
        if (address != null && address.failures >= limits.addressLockAfter()) {
            return refusal("address", address.last.plus(limits.lockTime()), now);
        }
        if (pair != null && pair.failures >= limits.lockAfter()) {
            return refusal("locked", pair.last.plus(limits.lockTime()), now);
        }
        if (pair != null && pair.failures >= limits.freeFailures()) {
            Instant next = pair.last.plus(wait(pair.failures));
            if (now.isBefore(next)) {
                return refusal("slowed", next, now);
            }
        }
        if (account != null && account.failures >= limits.accountLockAfter() && pair != null && pair.failures > 0) {
            return refusal("account", account.last.plus(limits.lockTime()), now);
        }
        // once slowed, one attempt at a time; before that, no more at once than the lock allows
        if (pair != null && (pair.failures >= limits.freeFailures() && pair.failures > 0 && pair.inFlight > 0
                || pair.failures + pair.inFlight >= limits.lockAfter())) {
            return refusal("busy", now.plusSeconds(1), now);
        }
        counted(pairKey(a), now).inFlight++;
        return Optional.empty();
    }

    /** The attempt ended without a verdict on its password (the request stopped first). */
    synchronized void finished(Attempt a) {
        Count pair = counts.get(pairKey(a));
        if (pair != null) {
            pair.inFlight = Math.max(0, pair.inFlight - 1);
            if (pair.inFlight == 0 && pair.failures == 0) {
                counts.remove(pairKey(a));
            }
        }
    }

    /** Counts a failed attempt, which is no longer in flight; answers the locks it began. */
    synchronized List<Lock> failed(Attempt a) {
        Instant now = clock.instant();
        Count inFlight = counts.get(pairKey(a));
        if (inFlight != null) {
            inFlight.inFlight = Math.max(0, inFlight.inFlight - 1);
        }
        Instant until = now.plus(limits.lockTime());
        List<Lock> began = new ArrayList<>();
        if (fail(pairKey(a), now, limits.lockAfter())) {
            began.add(new Lock("account_and_address", until));
        }
        if (fail(addressKey(a), now, limits.addressLockAfter())) {
            began.add(new Lock("address", until));
        }
        if (fail(accountKey(a), now, limits.accountLockAfter())) {
            began.add(new Lock("account", until));
        }
        return began;
    }

    /** A correct password: the pair's failures are forgotten (those of the address and the user name are not). */
    synchronized void succeeded(Attempt a) {
        Count pair = counts.get(pairKey(a));
        if (pair != null) {
            pair.inFlight = Math.max(0, pair.inFlight - 1);
            pair.failures = 0;
            pair.lockRecorded = false;
            if (pair.inFlight == 0) {
                counts.remove(pairKey(a));
            }
        }
    }

    /** How many user names, addresses and pairs are remembered (for tests of the bound). */
    synchronized int tracked() {
        return counts.size();
    }

    private boolean fail(String key, Instant now, int lockAfter) {
        Count c = counted(key, now);
        c.failures++;
        c.last = now;
        if (c.failures >= lockAfter && !c.lockRecorded) {
            c.lockRecorded = true;
            return true;
        }
        return false;
    }

    /** The wait after the n-th failure of a pair: slow-down × 2^(n − free failures), at most the lock time. */
    private Duration wait(int failures) {
        int doublings = Math.min(30, failures - limits.freeFailures());
        Duration wait = limits.slowDown().multipliedBy(1L << doublings);
        return wait.compareTo(limits.lockTime()) > 0 ? limits.lockTime() : wait;
    }

    private static Optional<Refusal> refusal(String reason, Instant until, Instant now) {
        return Optional.of(new Refusal(reason, until, Duration.between(now, until)));
    }

    /** The count under a key, forgotten once its last failure is older than the lock time. */
    private Count live(String key, Instant now) {
        Count c = counts.get(key);
        if (c != null && expired(c, now)) {
            if (c.inFlight == 0) {
                counts.remove(key);
                return null;
            }
            c.failures = 0;
            c.lockRecorded = false;
        }
        return c;
    }

    private boolean expired(Count c, Instant now) {
        return c.failures > 0 && !now.isBefore(c.last.plus(limits.lockTime()));
    }

    private Count counted(String key, Instant now) {
        Count c = live(key, now);
        if (c == null) {
            if (counts.size() >= limits.maxTracked()) {
                prune(now);
            }
            c = new Count();
            counts.put(key, c);
        }
        return c;
    }

    /**
     * Forgets what has expired; if that is not enough, every count that locks nothing; and if even that is not
     * enough, the oldest, down to nine tenths of the bound.
     */
    private void prune(Instant now) {
        counts.values().removeIf(c -> c.inFlight == 0 && (c.failures == 0 || expired(c, now)));
        if (counts.size() >= limits.maxTracked()) {
            counts.values().removeIf(c -> c.inFlight == 0 && !c.lockRecorded);
        }
        if (counts.size() >= limits.maxTracked()) {
            List<Map.Entry<String, Count>> oldest = new ArrayList<>(counts.entrySet());
            oldest.sort(java.util.Comparator.comparing(e -> e.getValue().last));
            oldest.subList(0, counts.size() - limits.maxTracked() * 9 / 10).forEach(e -> counts.remove(e.getKey()));
        }
    }

    private static String pairKey(Attempt a) {
        return "pair " + a.account() + " " + a.address();
    }

    private static String addressKey(Attempt a) {
        return "address " + a.address();
    }

    private static String accountKey(Attempt a) {
        return "account " + a.account();
    }
}
