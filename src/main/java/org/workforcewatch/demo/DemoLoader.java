package org.workforcewatch.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.csv.Importer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * On first start (no teams stored yet) loads the synthetic demo authority through the ordinary import
 * path, so the demo data passes exactly the checks a council's own files do. Off with
 * {@code workforce.demo.enabled=false}.
 */
@Component
@Order(10)
class DemoLoader implements ApplicationRunner {

    /**
     * @param enabled            load the demo authority into an empty database, and let the demo users sign in while it
     *                           is all the database holds
     * @param seed               the demo's random seed
     * @param onExternalDatabase the demo users on a database the service did not start itself
     *                           ({@code workforce.database.url}): off unless turned on, since such a database is
     *                           usually meant for real data
     */
    @ConfigurationProperties("workforce.demo")
    record DemoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("42") long seed,
                          @DefaultValue("false") boolean onExternalDatabase) {
    }

    private static final Log log = LogFactory.getLog(DemoLoader.class);

    private final Importer importer;
    private final DatabaseClient db;
    private final DemoProperties properties;
    private final Clock clock;

    DemoLoader(Importer importer, DatabaseClient db, DemoProperties properties, Clock clock) {
        this.importer = importer;
        this.db = db;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.enabled()) {
            List<ImportReceipt> receipts = loadIfEmpty().block();
            if (receipts != null && !receipts.isEmpty()) {
                log.info("Demo authority loaded: " + receipts.stream().mapToLong(ImportReceipt::rows).sum() + " rows in "
                        + receipts.size() + " datasets (turn off with workforce.demo.enabled=false)");
            }
        }
    }

    /** Imports every demo file in order when no team is stored yet; answers the receipts (none if not empty). */
    Mono<List<ImportReceipt>> loadIfEmpty() {
        return db.sql("SELECT EXISTS (SELECT 1 FROM teams) AS any").map(r -> r.get("any", Boolean.class)).one()
                .flatMap(any -> any ? Mono.just(List.<ImportReceipt>of()) : load(LocalDate.now(clock)));
    }

    /** Every authority's published figures, so the demo can show ranks and quartile bands. */
    static final String PUBLISHED_FILE = "/reference/dfe-csww/csww_indicators_2017_to_2025.csv";

    private Mono<List<ImportReceipt>> load(LocalDate asOf) {
        Map<String, String> files = DemoAuthority.generate(asOf, properties.seed()).files();
        return Flux.fromIterable(files.entrySet())
                .concatMap(f -> importer.importDemoCsv(f.getKey(), Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                        f.getValue().getBytes(StandardCharsets.UTF_8))), "demo/" + f.getKey() + ".csv"))
                .concatWith(Mono.defer(() -> importer.importDemoCsv("benchmarks", published(),
                        "demo/csww_indicators_2017_to_2025.csv")))
                .collectList();
    }

    private static Flux<org.springframework.core.io.buffer.DataBuffer> published() {
        return org.springframework.core.io.buffer.DataBufferUtils.readInputStream(
                () -> DemoLoader.class.getResourceAsStream(PUBLISHED_FILE), DefaultDataBufferFactory.sharedInstance, 64 * 1024);
    }
}
