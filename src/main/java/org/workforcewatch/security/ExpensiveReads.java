package org.workforcewatch.security;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * A cap on the answers each signed-in person may have computed at once: figures of a date that is not stored
 * (computed on the spot, and the charts over them), the board pack, the backtest. Each costs seconds of
 * PostgreSQL and CPU, so without a cap one viewer sending many at once could slow everyone else down. One more
 * than the cap is answered 429 with {@code Retry-After} at once, never queued. Work with nobody signed in (the
 * service's own background work) is not counted, nor is work inside an answer already counted (the charts of the
 * board pack).
 */
@Component
public class ExpensiveReads {

    /**
     * Settings ({@code workforce.expensive-reads}).
     *
     * @param perUser    how many such answers one person may have computed at once
     * @param retryAfter what a refusal's {@code Retry-After} says
     */
    @ConfigurationProperties("workforce.expensive-reads")
    public record Settings(@DefaultValue("2") int perUser, @DefaultValue("5s") Duration retryAfter) {

        public Settings {
            if (perUser < 1) {
                throw new IllegalStateException("workforce.expensive-reads.per-user must be at least 1, got " + perUser);
            }
            if (retryAfter.toSeconds() < 1) {
                throw new IllegalStateException("workforce.expensive-reads.retry-after must be at least 1s, got " + retryAfter);
            }
        }
    }

    /** Marks, in the Reactor context, work already counted: what it reads inside is not counted again. */
    private static final String COUNTED = ExpensiveReads.class.getName() + ".counted";

    private final Settings settings;
    private final Map<String, Integer> running = new ConcurrentHashMap<>();

    ExpensiveReads(Settings settings) {
        this.settings = settings;
    }

    /**
     * The work, counted as one of the signed-in person's expensive reads while it runs (until it ends, fails or
     * is cancelled); a {@link TooMany} problem instead if they already have as many running as allowed.
     */
    public <T> Mono<T> limited(Mono<T> work) {
        return Mono.deferContextual(context -> context.hasKey(COUNTED) ? work
                : ReactiveSecurityContextHolder.getContext().mapNotNull(SecurityContext::getAuthentication)
                        .filter(Authentication::isAuthenticated).map(Authentication::getName)
                        .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                        .flatMap(who -> who.isEmpty() ? work : counted(who.get(), work)));
    }

    private <T> Mono<T> counted(String who, Mono<T> work) {
        return Mono.defer(() -> {
            if (!take(who)) {
                return Mono.error(new TooMany(settings));
            }
            return work.contextWrite(c -> c.put(COUNTED, true)).doFinally(signal -> release(who));
        });
    }

    private boolean take(String who) {
        boolean[] taken = new boolean[1];
        running.compute(who, (k, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < settings.perUser();
            return taken[0] ? now + 1 : now;
        });
        return taken[0];
    }

    private void release(String who) {
        running.computeIfPresent(who, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** How many expensive reads this person has running now. */
    public int running(String who) {
        return running.getOrDefault(who, 0);
    }

    /** One expensive read more than a person may have running at once: 429, try again later. */
    public static final class TooMany extends ErrorResponseException {

        TooMany(Settings settings) {
            super(HttpStatus.TOO_MANY_REQUESTS, problem(settings), null);
            getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfter().toSeconds()));
        }

        private static ProblemDetail problem(Settings settings) {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, "You already have "
                    + settings.perUser() + " answers being computed (figures of a date that is not stored, charts of them,"
                    + " the board pack or the backtest), the most one person may have at once. Wait for them, or ask again in "
                    + settings.retryAfter().toSeconds() + " s.");
            p.setType(URI.create("https://workforcewatch.org/problems/too-many-expensive-reads"));
            p.setTitle("Too many answers being computed at once");
            p.setProperty("limit", settings.perUser());
            p.setProperty("retry_after_seconds", settings.retryAfter().toSeconds());
            return p;
        }
    }
}
