package org.workforcewatch.audit;

import java.security.Principal;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.workforcewatch.security.Caller;
import reactor.core.publisher.Mono;

/**
 * Audits the requests that matter (they run after sign-in, so the person is known): every import and event
 * batch, threshold, SPC rebase, scenario and data-quality change, every view of people (a team's workers and their
 * caseloads, personal advisers' caseloads, data-quality flags that name staff and children), and every read or export of the audit itself.
 *
 * <p>The row is written just before the response is sent: if it cannot be written the response fails, so no
 * view of people and no change is ever answered without its audit row. Refused requests are audited where
 * they are refused (see the security package).
 */
@Component
@Order(0) // after Spring Security's filters (order -100): the person is known
class AuditFilter implements WebFilter {

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Pattern PERSON_VIEWS = Pattern.compile(
            "/api/teams/[^/]+/workers|/api/charts/teams/[^/]+/caseloads\\.\\w+|/api/charts/pa-caseloads\\.\\w+"
                    + "|/api/data-quality(/missing)?"
                    // an import's receipt or problems name the workers and children of the rows it refused
                    + "|/api/imports/\\d+"
                    // the agency register and its return name workers, their agencies and rates
                    + "|/api/agency/.*");

    /** Returns produced for the Department: a file of every worker, so an export of people. */
    private static final Pattern PERSON_EXPORTS = Pattern.compile("/api/returns/census(/gaps)?");

    private final Audit audit;

    AuditFilter(Audit audit) {
        this.audit = audit;
    }

    /** What the request is, for the audit; null when it is not audited. */
    static String action(HttpMethod method, String path) {
        if (path.equals("/api/audit")) {
            return "audit_read";
        }
        if (path.equals("/api/audit.csv")) {
            return "audit_export";
        }
        if (path.equals("/api/returns/agency") && READS.contains(method)) {
            return "agency_return";
        }
        if (READS.contains(method) && PERSON_EXPORTS.matcher(path).matches()) {
            return "person_export";
        }
        if (READS.contains(method)) {
            return PERSON_VIEWS.matcher(path).matches() ? "person_view" : null;
        }
        if (path.startsWith("/api/imports")) {
            return "import";
        }
        if (path.equals("/api/events")) {
            return "events";
        }
        if (path.startsWith("/api/thresholds")) {
            return "threshold_change";
        }
        if (path.equals("/api/spc/baselines")) {
            return "spc_rebase";
        }
        if (path.startsWith("/api/scenarios")) {
            return "scenario_change";
        }
        if (path.startsWith("/api/agency/")) {
            return "agency_approval";
        }
        if (path.startsWith("/api/data-quality")) {
            return "data_quality_change";
        }
        return path.startsWith("/api/") ? "change" : null;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String action = action(exchange.getRequest().getMethod(), matched(exchange.getRequest().getPath().pathWithinApplication()));
        if (action == null) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal().map(AuditFilter::caller).defaultIfEmpty(ANONYMOUS).flatMap(caller -> {
            exchange.getResponse().beforeCommit(() -> write(exchange, caller, action));
            return chain.filter(exchange);
        });
    }

    /**
     * The path as the handlers and the security rules match it: each segment percent-decoded and without matrix
     * parameters. Matched raw, {@code /api/returns/censu%73} would reach the census return without its audit row.
     */
    static String matched(PathContainer path) {
        StringBuilder decoded = new StringBuilder();
        for (PathContainer.Element e : path.elements()) {
            decoded.append(e instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : e.value());
        }
        return decoded.toString();
    }

    private static final Caller ANONYMOUS = new Caller("anonymous", Set.of(), Set.of());

    private static Caller caller(Principal principal) {
        return principal instanceof Authentication a ? Caller.of(a) : new Caller(principal.getName(), Set.of(), Set.of());
    }

    private Mono<Void> write(ServerWebExchange exchange, Caller caller, String action) {
        var status = exchange.getResponse().getStatusCode();
        return audit.request(exchange, caller, action, status == null ? 200 : status.value());
    }
}
