package org.workforcewatch.indicators;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.demo.DemoIdentity;
import org.workforcewatch.demo.DemoInUse;
import reactor.core.publisher.Mono;

/**
 * The authority's figures beside England, its region and its statistical neighbours. {@code compared_with} names the
 * authority whose published figures these are ({@code published_own} is its figure): the authority itself, or, for
 * the synthetic demo, the real authority the demo is compared with.
 */
@RestController
class BenchmarkController {

    private final BenchmarkComparison comparison;
    private final BenchmarkAuthority authority;
    private final Clock clock;
    private final IndicatorEngine engine;
    private final DemoInUse demo;
    private final DatabaseClient db;

    BenchmarkController(BenchmarkComparison comparison, BenchmarkAuthority authority, Clock clock, IndicatorEngine engine,
                        DemoInUse demo, DatabaseClient db) {
        this.comparison = comparison;
        this.authority = authority;
        this.clock = clock;
        this.engine = engine;
        this.demo = demo;
        this.db = db;
    }

    @GetMapping("/api/benchmarks")
    Mono<Map<String, Object>> benchmarks(@RequestParam(name = "as_of", required = false) String asOf) {
        LocalDate asked = AsOf.parse(asOf);
        LocalDate date = asked == null ? LocalDate.now(clock) : asked;
        Mono<Optional<String>> publishedName = db.sql("SELECT area_name FROM benchmarks WHERE area_code = :code"
                        + " ORDER BY year DESC LIMIT 1").bind("code", authority.areaCode())
                .map(r -> r.get("area_name", String.class)).one().map(Optional::of).defaultIfEmpty(Optional.empty());
        return Mono.zip(engine.covered(date).flatMap(d -> comparison.at(d).collectList()), demo.synthetic(), publishedName).map(t -> {
            List<BenchmarkComparison.Entry> entries = t.getT1();
            boolean synthetic = t.getT2();
            Map<String, Object> compared = new LinkedHashMap<>();
            compared.put("area_code", authority.areaCode());
            compared.put("name", t.getT3().orElse(null));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("as_of", date);
            body.put("area_code", synthetic ? DemoIdentity.CODE : authority.areaCode());
            body.put("synthetic", synthetic);
            body.put("compared_with", compared);
            body.put("region_code", authority.regionCode());
            body.put("statistical_neighbours", authority.statisticalNeighbours());
            body.put("benchmarks", entries);
            return body;
        });
    }
}
