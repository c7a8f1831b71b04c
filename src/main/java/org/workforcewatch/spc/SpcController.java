package org.workforcewatch.spc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.indicators.Indicator;
import reactor.core.publisher.Mono;

/** XmR charts for the board: one indicator in full, or every indicator's verdicts for one scope. */
@RestController
class SpcController {

    private final Spc spc;

    SpcController(Spc spc) {
        this.spc = spc;
    }

    @GetMapping("/api/indicators/{id}/spc")
    Mono<Xmr> chart(@PathVariable String id, @RequestParam(defaultValue = "authority") String level,
                    @RequestParam(required = false) String scope) {
        Indicator indicator = Indicator.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no indicator " + id + "; the indicators are " + Arrays.stream(Indicator.values()).map(Indicator::id).toList()));
        return spc.of(indicator, level, scope);
    }

    @GetMapping("/api/spc")
    Mono<Map<String, Object>> verdicts(@RequestParam(defaultValue = "authority") String level,
                                       @RequestParam(required = false) String scope) {
        return spc.all(level, scope).map(charts -> {
            Map<String, Object> byIndicator = new LinkedHashMap<>();
            charts.forEach((indicator, xmr) -> {
                Map<String, Object> verdict = new LinkedHashMap<>();
                verdict.put("variation", xmr.variation());
                verdict.put("assurance", xmr.assurance());
                verdict.put("signals", xmr.latest() == null ? java.util.List.of() : xmr.latest().signals());
                byIndicator.put(indicator.id(), verdict);
            });
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("level", level);
            body.put("scope", level.equals("authority") ? "authority" : scope);
            body.put("indicators", byIndicator);
            return body;
        });
    }
}
