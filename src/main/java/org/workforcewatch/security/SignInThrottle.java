package org.workforcewatch.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.workforcewatch.audit.Audit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stands before the password check of HTTP Basic and the sign-in form: an attempt that {@link FailedSignIns}
 * refuses is answered 429 with {@code Retry-After} and a problem saying how long to wait, without looking at the
 * password (so a right guess during a lock tells nothing). The sign-in handlers report each outcome back
 * ({@link #failed}, {@link #succeeded}); a lock that begins is audited once ({@code sign_in_locked}).
 */
final class SignInThrottle implements WebFilter {

    private static final String ATTEMPT = SignInThrottle.class.getName() + ".attempt";

    private final FailedSignIns failures;
    private final Refusals refusals;
    private final Audit audit;

    SignInThrottle(FailedSignIns failures, Refusals refusals, Audit audit) {
        this.failures = failures;
        this.refusals = refusals;
        this.audit = audit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return attempt(exchange).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(attempt -> {
            if (attempt.isEmpty()) {
                return chain.filter(exchange);
            }
            FailedSignIns.Attempt a = attempt.get();
            Optional<FailedSignIns.Refusal> refused = failures.begin(a);
            if (refused.isPresent()) {
                return refusals.tooManySignIns(exchange, refused.get());
            }
            exchange.getAttributes().put(ATTEMPT, a);
            // normally the outcome ends the attempt; a request that never reached it ends it here
            return chain.filter(exchange).doFinally(signal -> {
                if (outcome(exchange) != null) {
                    failures.finished(a);
                }
            });
        });
    }

    /** A password check this request makes: the user name of its Basic credentials, or of the sign-in form. */
    private static Mono<FailedSignIns.Attempt> attempt(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Mono.just(new FailedSignIns.Attempt(Refusals.attempted(exchange).name(), FailedSignIns.address(exchange)));
        }
        if (HttpMethod.POST.equals(request.getMethod()) && "/login".equals(request.getPath().value())
                && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(request.getHeaders().getContentType())) {
            return exchange.getFormData().map(form -> new FailedSignIns.Attempt(String.valueOf(form.getFirst("username")),
                    FailedSignIns.address(exchange)));
        }
        return Mono.empty();
    }

    /** The attempt of this request, taken once: null if it had none, or its outcome is known already. */
    private static FailedSignIns.Attempt outcome(ServerWebExchange exchange) {
        return (FailedSignIns.Attempt) exchange.getAttributes().remove(ATTEMPT);
    }

    /** The password was wrong: counted, and any lock it began audited. */
    Mono<Void> failed(ServerWebExchange exchange) {
        FailedSignIns.Attempt a = outcome(exchange);
        if (a == null) {
            return Mono.empty();
        }
        List<FailedSignIns.Lock> locks = failures.failed(a);
        return Flux.fromIterable(locks).concatMap(lock -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("lock", lock.scope());
            detail.put("until", lock.until().toString());
            Audit.detail(exchange, detail);
            return audit.request(exchange, new Caller(a.account(), Set.of(), Set.of()), "sign_in_locked",
                    HttpStatus.TOO_MANY_REQUESTS.value());
        }).then();
    }

    /** The password was right: the failures of this user name from this address are forgotten. */
    Mono<Void> succeeded(ServerWebExchange exchange) {
        FailedSignIns.Attempt a = outcome(exchange);
        if (a != null) {
            failures.succeeded(a);
        }
        return Mono.empty();
    }
}
