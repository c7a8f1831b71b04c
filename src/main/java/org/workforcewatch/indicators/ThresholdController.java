package org.workforcewatch.indicators;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The performance framework's thresholds in force, and runtime changes to them (recorded, effective at once). */
@RestController
class ThresholdController {

    private final Thresholds thresholds;

    ThresholdController(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    @GetMapping("/api/thresholds")
    Mono<Map<String, Object>> all() {
        return thresholds.history(100).map(changes -> {
            Map<String, Object> body = new LinkedHashMap<>(thresholds.summary());
            body.put("changes", changes);
            return body;
        });
    }

    /** Body: {"amber", "red", "target"?, "lead_officer"?, "scope_kind": all|team_type|team, "scope"?, "changed_by", "reason"?}. */
    @PutMapping("/api/thresholds/{indicator}")
    Mono<Thresholds.Recorded> change(@PathVariable String indicator, @RequestBody Thresholds.Change body) {
        Thresholds.Change change = new Thresholds.Change(indicator, body.scopeKind(), body.scope(), body.amber(), body.red(),
                body.target(), body.leadOfficer(), body.changedBy(), body.reason());
        try {
            return thresholds.change(change);
        } catch (IllegalArgumentException e) {
            return Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage()));
        }
    }
}
