package org.workforcewatch.spc;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.audit.Audit;
import org.workforcewatch.indicators.AsOf;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;
import reactor.core.publisher.Mono;

/**
 * XmR charts for the board: one indicator in full, or every indicator's verdicts for one scope; and the recorded
 * rebases (new baselines) behind them. Both charts take {@code ?as_of=YYYY-MM-DD}: the complete months up to that day,
 * with the targets and rebases as recorded by its end, as that month's board pack judged them.
 */
@RestController
class SpcController {

    private final Spc spc;
    private final Rebases rebases;
    private final Clock clock;
    private final IndicatorEngine engine;

    SpcController(Spc spc, Rebases rebases, Clock clock, IndicatorEngine engine) {
        this.spc = spc;
        this.engine = engine;
        this.rebases = rebases;
        this.clock = clock;
    }

    @GetMapping("/api/indicators/{id}/spc")
    Mono<Xmr> chart(@PathVariable String id, @RequestParam(defaultValue = "authority") String level,
                    @RequestParam(required = false) String scope,
                    @RequestParam(name = "as_of", required = false) String asOf) {
        Indicator indicator = Indicator.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no indicator " + id + "; the indicators are " + Arrays.stream(Indicator.values()).map(Indicator::id).toList()));
        LocalDate date = AsOf.parse(asOf);
        return date == null ? spc.of(indicator, level, scope)
                : engine.covered(date).then(Mono.defer(() -> spc.of(indicator, level, scope, date)));
    }

    @GetMapping("/api/spc")
    Mono<Map<String, Object>> verdicts(@RequestParam(defaultValue = "authority") String level,
                                       @RequestParam(required = false) String scope,
                                       @RequestParam(name = "as_of", required = false) String asOf) {
        LocalDate date = AsOf.parse(asOf);
        Mono<Map<Indicator, Xmr>> all = date == null ? spc.all(level, scope)
                : engine.covered(date).then(Mono.defer(() -> spc.all(level, scope, date)));
        return all.map(charts -> {
            Map<String, Object> byIndicator = new LinkedHashMap<>();
            charts.forEach((indicator, xmr) -> {
                Map<String, Object> verdict = new LinkedHashMap<>();
                verdict.put("polarity", xmr.polarity());
                verdict.put("variation", xmr.variation());
                verdict.put("assurance", xmr.assurance());
                verdict.put("verdict", xmr.verdict());
                verdict.put("latest_rule", xmr.latestRule());
                verdict.put("process_changed_since", xmr.processChangedSince());
                verdict.put("rebase_suggested_at", xmr.rebaseSuggestedAt());
                verdict.put("baseline_from", xmr.current() == null ? null : xmr.current().from());
                verdict.put("target", xmr.target());
                byIndicator.put(indicator.id(), verdict);
            });
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("level", level);
            body.put("scope", level.equals("authority") ? "authority" : scope);
            if (date != null) {
                body.put("as_of", date);
            }
            body.put("indicators", byIndicator);
            return body;
        });
    }

    @GetMapping("/api/spc/baselines")
    Mono<Map<String, List<Rebases.Rebase>>> baselines() {
        return rebases.all().map(all -> Map.of("rebases", all));
    }

    /**
     * Body: {"indicator"? (left out: every indicator), "level": all|authority|service|team, "scope"? (a service or
     * team id), "starts_on": "YYYY-MM-DD", "reason"}. Recorded as made by the signed-in person.
     */
    @PostMapping("/api/spc/baselines")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Rebases.Rebase> rebase(@RequestBody Rebases.Request body, Authentication caller, ServerWebExchange exchange) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("indicator", body.indicator());
        detail.put("level", body.level());
        detail.put("scope", body.scope());
        detail.put("starts_on", body.startsOn() == null ? null : body.startsOn().toString());
        detail.put("reason", body.reason());
        Audit.detail(exchange, detail);
        return Mono.defer(() -> rebases.record(body, caller.getName(), LocalDate.now(clock)))
                .onErrorMap(IllegalArgumentException.class, e -> new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
                        e.getMessage()));
    }
}
