package org.workforcewatch.indicators;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The authority's figures beside England, its region and its statistical neighbours. */
@RestController
class BenchmarkController {

    private final BenchmarkComparison comparison;
    private final BenchmarkAuthority authority;
    private final Clock clock;
    private final IndicatorEngine engine;

    BenchmarkController(BenchmarkComparison comparison, BenchmarkAuthority authority, Clock clock, IndicatorEngine engine) {
        this.comparison = comparison;
        this.authority = authority;
        this.clock = clock;
        this.engine = engine;
    }

    @GetMapping("/api/benchmarks")
    Mono<Map<String, Object>> benchmarks(@RequestParam(name = "as_of", required = false) String asOf) {
        LocalDate date;
        try {
            date = asOf == null || asOf.isBlank() ? LocalDate.now(clock) : LocalDate.parse(asOf.strip());
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "as_of must be a date as YYYY-MM-DD, got '" + asOf + "'");
        }
        return engine.covered(date).flatMap(d -> comparison.at(d).collectList()).map(entries -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("as_of", date);
            body.put("area_code", authority.areaCode());
            body.put("region_code", authority.regionCode());
            body.put("statistical_neighbours", authority.statisticalNeighbours());
            body.put("benchmarks", entries);
            return body;
        });
    }
}
