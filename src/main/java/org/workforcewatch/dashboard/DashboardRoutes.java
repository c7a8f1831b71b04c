package org.workforcewatch.dashboard;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The dashboard's addresses: the authority at {@code /}, a service at {@code /services/{name}} and a team at
 * {@code /teams/{id}} (where alerts link) all answer the same page, which reads its address to know what to
 * show, so any of them can be bookmarked or reloaded. A team or service that does not exist still gets the
 * page (it says so in words) but with status 404, so links can be checked. Security headers, including the
 * content security policy, are set for every response by the security configuration.
 */
@Configuration(proxyBeanMethods = false)
class DashboardRoutes {

    @Bean
    RouterFunction<ServerResponse> dashboardPages(Organisation organisation, @Value("classpath:static/index.html") Resource page) {
        return route(read("/"), request -> page(page, HttpStatus.OK))
                .andRoute(read("/services/{*service}"), request -> {
                    String service = request.pathVariable("service").substring(1);
                    return organisation.hasService(service).flatMap(known -> page(page, known ? HttpStatus.OK : HttpStatus.NOT_FOUND));
                })
                .andRoute(read("/teams/{team}"), request -> organisation.hasTeam(request.pathVariable("team"))
                        .flatMap(known -> page(page, known ? HttpStatus.OK : HttpStatus.NOT_FOUND)))
                // a work page answers 403 to a role it is not for: the page itself says so in words
                .andRoute(workPages(), request -> {
                    WorkPage work = WorkPage.at(request.path()).orElseThrow();
                    return request.principal().map(p -> org.workforcewatch.security.Caller.of(
                                    (org.springframework.security.core.Authentication) p))
                            .map(work::allows).defaultIfEmpty(false)
                            .flatMap(allowed -> page(page, allowed ? HttpStatus.OK : HttpStatus.FORBIDDEN));
                });
    }

    /** Every work page's address, as {@link WorkPage} lists them. */
    private static RequestPredicate workPages() {
        return java.util.Arrays.stream(WorkPage.paths()).map(DashboardRoutes::read).reduce(RequestPredicate::or).orElseThrow();
    }

    /** GET, or HEAD (the same answer without its body, as for every GET of the service). */
    private static RequestPredicate read(String pattern) {
        return RequestPredicates.methods(HttpMethod.GET, HttpMethod.HEAD).and(RequestPredicates.path(pattern));
    }

    /** The page's own files, as the static resources serve them. */
    static final Set<String> ASSETS = Set.of("/app.js", "/common.js", "/app.css", "/favicon.svg");

    /**
     * The script and style sheet are revalidated on each visit (a cheap 304 when unchanged), so a browser never
     * runs an older script against a newer page after an upgrade.
     */
    @Bean
    WebFilter dashboardAssetCaching() {
        return (exchange, chain) -> {
            String path = exchange.getRequest().getPath().value();
            if (ASSETS.contains(path) || path.startsWith("/pages/")) {
                exchange.getResponse().getHeaders().setCacheControl(CacheControl.noCache());
            }
            return chain.filter(exchange);
        };
    }

    private static Mono<ServerResponse> page(Resource page, HttpStatus status) {
        // no-cache: a new release's page (and the scripts it names) is picked up at the next visit
        return ServerResponse.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .body(BodyInserters.fromResource(page));
    }
}
