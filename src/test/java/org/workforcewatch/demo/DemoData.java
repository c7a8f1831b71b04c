package org.workforcewatch.demo;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ingest.ImportReceipt;

/**
 * The demo authority for full-application tests in other packages: loaded through the service's own
 * import path, as on a first start, into the (emptied) test database.
 */
public final class DemoData {

    private DemoData() {
    }

    record TeamIndicators(List<Map<String, Object>> indicators) {
    }

    /**
     * Imports the demo authority and waits until today's team indicators answer values and the stored figures
     * have settled (no change waiting, the whole covered history stored: reads serve the last computed figures,
     * so tests comparing two answers need both from the same figures); answers the import receipts. Fails if the database already holds teams, since the demo would then not be loaded.
     */
    public static List<ImportReceipt> load(ApplicationContext context) {
        List<ImportReceipt> receipts = context.getBean(DemoLoader.class).loadIfEmpty().block(Duration.ofMinutes(5));
        if (receipts == null || receipts.isEmpty()) {
            throw new IllegalStateException("the demo authority was not loaded: the database already holds teams");
        }
        receipts.stream().filter(r -> !"succeeded".equals(r.status())).findFirst().ifPresent(r -> {
            throw new IllegalStateException("the demo's " + r.dataset() + " file was not imported: " + r.status());
        });
        WebTestClient web = context.getBean(WebTestClient.class).mutate().defaultHeaders(h -> h.setBasicAuth("viewer", "test")).build();
        await("today's team indicators").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> web.get().uri("/api/indicators?level=team").exchange().expectStatus().isOk()
                        .expectBody(TeamIndicators.class).returnResult().getResponseBody(),
                        body -> body.indicators().stream().anyMatch(i -> i.get("value") != null));
        org.workforcewatch.indicators.IndicatorEngine engine = context.getBean(org.workforcewatch.indicators.IndicatorEngine.class);
        await("the stored figures settled").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> engine.settled().block(Duration.ofSeconds(30)));
        return receipts;
    }
}
