package org.workforcewatch.indicators;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.audit.Audit;
import reactor.core.publisher.Mono;

/** The performance framework's thresholds in force, and runtime changes to them (recorded, effective at once). */
@RestController
class ThresholdController {

    private final Thresholds thresholds;

    ThresholdController(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * The thresholds in force now, or with {@code ?as_of=} (a date: the end of that day in the authority's time zone; or
     * an instant, ISO 8601 with an offset) those in force then, with the changes made up to then.
     */
    @GetMapping("/api/thresholds")
    Mono<Map<String, Object>> all(@RequestParam(name = "as_of", required = false) String asOf) {
        if (asOf == null || asOf.isBlank()) {
            return thresholds.history(100).map(changes -> {
                Map<String, Object> body = new LinkedHashMap<>(thresholds.summary());
                body.put("changes", changes);
                return body;
            });
        }
        Instant at = instant(asOf.strip());
        return thresholds.at(at).zipWith(thresholds.history(100, at), (view, changes) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("as_of", at.toString());
            body.putAll(thresholds.summary(view));
            body.put("changes", changes);
            return body;
        });
    }

    private Instant instant(String raw) {
        try {
            return raw.length() == 10 ? thresholds.endOf(LocalDate.parse(raw)) : OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "as_of must be a date as YYYY-MM-DD (the end of that day)"
                    + " or an instant such as 2026-11-30T23:59:59Z; got '" + raw + "'");
        }
    }

    /**
     * Body: {"amber", "red", "target"?, "lead_officer"?, "scope_kind": all|team_type|team, "scope"?, "reason"?}. The
     * change is recorded as made by the signed-in person (a "changed_by" in the body is not trusted).
     */
    @PutMapping("/api/thresholds/{indicator}")
    Mono<Thresholds.Recorded> change(@PathVariable String indicator, @RequestBody Thresholds.Change body,
                                     Authentication caller, ServerWebExchange exchange) {
        Thresholds.Change change = new Thresholds.Change(indicator, body.scopeKind(), body.scope(), body.amber(), body.red(),
                body.target(), body.leadOfficer(), caller.getName(), body.reason());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("indicator", indicator);
        detail.put("scope_kind", body.scopeKind());
        detail.put("scope", body.scope());
        detail.put("amber", body.amber());
        detail.put("red", body.red());
        detail.put("target", body.target());
        detail.put("lead_officer", body.leadOfficer());
        detail.put("reason", body.reason());
        Audit.detail(exchange, detail);
        try {
            return thresholds.change(change).doOnNext(recorded -> Audit.detail(exchange, Map.of("previous", recorded.previous())));
        } catch (IllegalArgumentException e) {
            ResponseStatusException refused = new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
            if (e instanceof Thresholds.Invalid invalid) {
                refused.getBody().setTitle("Threshold change refused");
                refused.getBody().setProperty("errors", invalid.problems().stream()
                        .map(p -> Map.of("field", p.field(), "reason", p.reason())).toList());
            }
            return Mono.error(refused);
        }
    }

    /**
     * The changes made at runtime, newest first (of one indicator with {@code ?indicator=}): who, when, why, and the
     * values before and after at their scope.
     */
    @GetMapping("/api/thresholds/history")
    Mono<Map<String, Object>> history(@RequestParam(defaultValue = "") String indicator,
                                      @RequestParam(defaultValue = "200") int limit) {
        if (!indicator.isBlank() && Indicator.byId(indicator).isEmpty()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "indicator must be one of "
                    + java.util.Arrays.stream(Indicator.values()).map(Indicator::id).toList() + "; got '" + indicator + "'"));
        }
        return thresholds.history(Math.max(1, Math.min(limit, 1000)), indicator.strip())
                .map(changes -> Map.of("changes", changes));
    }
}
