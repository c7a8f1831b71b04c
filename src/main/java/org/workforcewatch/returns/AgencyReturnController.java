package org.workforcewatch.returns;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.agency.AgencyRegister;
import org.workforcewatch.audit.Audit;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/returns/agency?quarter=2025-Q1}: the quarterly agency return, as JSON or, with {@code Accept: text/csv}
 * or {@code format=csv}, as CSV. For hr and admin; every download is audited with its quarter.
 */
@RestController
class AgencyReturnController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final AgencyRegister register;

    AgencyReturnController(AgencyRegister register) {
        this.register = register;
    }

    @GetMapping("/api/returns/agency")
    Mono<ResponseEntity<?>> agencyReturn(@RequestParam(required = false) String quarter,
                                         @RequestParam(required = false) String format,
                                         @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                         ServerWebExchange exchange) {
        AgencyReturn.Quarter q;
        try {
            q = AgencyReturn.Quarter.parse(quarter);
        } catch (IllegalArgumentException e) {
            ResponseStatusException bad = new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            bad.getBody().setTitle("Bad parameter: quarter");
            bad.getBody().setProperty("parameter", "quarter");
            return Mono.error(bad);
        }
        boolean csv = format != null ? format.strip().equalsIgnoreCase("csv") : wantsCsv(accept);
        if (format != null && !csv && !format.strip().equalsIgnoreCase("json")) {
            ResponseStatusException bad = new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "format must be csv or json; got '" + format + "'");
            bad.getBody().setTitle("Bad parameter: format");
            bad.getBody().setProperty("parameter", "format");
            return Mono.error(bad);
        }
        Audit.detail(exchange, Map.of("quarter", q.toString(), "format", csv ? "csv" : "json"));
        return register.activeDuring(q.first(), q.last()).collectList()
                .map(rows -> new AgencyReturn(q, register.settings().region(), !register.settings().capsOfRegion().isEmpty(),
                        List.copyOf(rows)))
                .map(r -> csv
                        ? ResponseEntity.ok().contentType(CSV)
                                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                        .filename("agency-return-" + q + ".csv").build().toString())
                                .body(r.csv().getBytes(StandardCharsets.UTF_8))
                        : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(r.json()));
    }

    /** Whether the Accept header asks for CSV (and not JSON first). */
    private static boolean wantsCsv(String accept) {
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(java.util.Locale.ROOT);
        int csv = a.indexOf("text/csv");
        int json = a.indexOf("application/json");
        return csv >= 0 && (json < 0 || csv < json);
    }
}
