package org.workforcewatch.returns;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.audit.Audit;
import org.workforcewatch.indicators.BenchmarkAuthority;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The annual census return (CSWW XML) built from live HR data, and the list of what it cannot say because the data
 * does not hold it (its gaps). Both name workers: HR and admin only, and every answer is audited as a person-level
 * export (audit.AuditFilter).
 */
@RestController
class CensusReturnController {

    static final String GAPS_PATH = "/api/returns/census/gaps";

    private final CensusReturnStore store;
    private final ReturnSettings.Lea lea;
    private final Clock clock;

    /** Resolves the LEA code once, here at start-up: looking it up reads a 289 KB file, not to be done per request. */
    CensusReturnController(CensusReturnStore store, ReturnSettings settings, BenchmarkAuthority authority, Clock clock) {
        this.store = store;
        this.lea = settings.leaFor(authority.areaCode());
        this.clock = clock;
    }

    /** The LEA code the returns are written with, and where it came from. */
    ReturnSettings.Lea lea() {
        return lea;
    }

    @GetMapping(path = "/api/returns/census", produces = {MediaType.APPLICATION_XML_VALUE, MediaType.ALL_VALUE})
    Mono<ResponseEntity<byte[]>> census(@RequestParam(name = "year", required = false) String year, ServerWebExchange exchange) {
        return build(year, exchange)
                .flatMap(r -> r.workers().isEmpty()
                        ? Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, r.unwritable()
                        + "; see the gaps: GET " + GAPS_PATH + "?year=" + r.year()))
                        : Mono.just(r))
                .publishOn(Schedulers.boundedElastic()) // writing the XML is CPU work: off the event loop
                .map(r -> ResponseEntity.ok()
                        .contentType(new MediaType(MediaType.APPLICATION_XML, java.nio.charset.StandardCharsets.UTF_8))
                        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(r.fileName()).build().toString())
                        .header("X-Census-Gaps", String.valueOf(r.gaps().size()))
                        .header(HttpHeaders.LINK, "<" + GAPS_PATH + "?year=" + r.year() + ">; rel=\"describedby\"")
                        .body(r.xml()));
    }

    /** What the return of the year cannot say, worker by worker: staff id, the SWENo written, element and why. */
    @GetMapping(GAPS_PATH)
    Mono<Map<String, Object>> gaps(@RequestParam(name = "year", required = false) String year, ServerWebExchange exchange) {
        return build(year, exchange).map(r -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("year", r.year());
            body.put("reference_date", r.referenceDate());
            body.put("workers", r.workers().size());
            body.put("count", r.gaps().size());
            body.put("by_element", r.gapsByElement());
            body.put("gaps", r.gaps().stream().map(g -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("staff_id", g.staffId());
                row.put("swe_no", g.sweNo());
                row.put("element", g.element());
                row.put("why", g.why());
                return row;
            }).toList());
            return body;
        });
    }

    private Mono<CensusReturn> build(String yearParam, ServerWebExchange exchange) {
        int year = year(yearParam);
        var ref = CensusReturn.referenceDate(year);
        return store.spells(ref).collectList()
                .zipWith(store.authority(ref))
                .flatMap(t -> t.getT1().isEmpty()
                        ? Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no children and family social worker"
                        + " was in post at any time in the " + year + " census year (" + ref.minusYears(1).plusDays(1) + " to "
                        + ref + "): there is no return to build; load the HR staff file for that year"))
                        : Mono.just(CensusReturn.of(year, lea, OffsetDateTime.now(clock), t.getT2(), t.getT1())))
                .doOnNext(r -> Audit.detail(exchange, Map.of("year", year, "workers", r.workers().size(),
                        "gaps", r.gaps().size())));
    }

    /** The collection year: four digits, from 2000 to 9999. */
    static int year(String year) {
        if (year == null || year.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the parameter 'year' is required: the collection"
                    + " year, e.g. year=2026 for the return dated 30 September 2026");
        }
        String y = year.strip();
        if (!y.matches("\\d{4}") || Integer.parseInt(y) < 2000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the parameter 'year' must be a collection year of"
                    + " four digits from 2000, e.g. 2026, not '" + (y.length() > 20 ? y.substring(0, 20) + "…" : y) + "'");
        }
        return Integer.parseInt(y);
    }
}
