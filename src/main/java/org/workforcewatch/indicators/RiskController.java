package org.workforcewatch.indicators;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The active risks, and a live stream of them as they are raised, changed and cleared. */
@RestController
class RiskController {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(20);

    private final Risks risks;

    RiskController(Risks risks) {
        this.risks = risks;
    }

    /**
     * Every active risk, worst first; or, with group=team, one row per team at risk and the service and authority
     * risks that add something to them ({@link TeamRisks}). Either may be filtered by service, severity and indicator.
     */
    @GetMapping("/api/risks")
    Mono<Map<String, Object>> active(@RequestParam(required = false) String group, @RequestParam(required = false) String service,
                                     @RequestParam(required = false) String severity,
                                     @RequestParam(required = false) String indicator) {
        TeamRisks.Filter filter = filter(service, severity, indicator);
        if (group == null || group.isBlank()) {
            return risks.active().filter(filter::keeps).collectList().map(list -> Map.of("risks", list, "count", list.size()));
        }
        if (!group.strip().equals("team")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "group must be team (or left out for every risk); got " + group);
        }
        return risks.byTeam(filter).map(grouped -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("group", "team");
            answer.put("teams", grouped.teams());
            answer.put("team_count", grouped.teams().size());
            answer.put("wider", grouped.wider());
            answer.put("wider_rule", "service and authority risks worse than every risk of the same indicator among the teams"
                    + " under them (none at risk counts as below amber)");
            return answer;
        });
    }

    private static TeamRisks.Filter filter(String service, String severity, String indicator) {
        String s = blankToNull(severity);
        if (s != null && !Set.of("red", "amber").contains(s)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "severity must be red or amber; got " + s);
        }
        String i = blankToNull(indicator);
        if (i != null && Indicator.byId(i).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "indicator must be an indicator id such as caseload_per_fte"
                    + " (see /api/indicators); got " + i);
        }
        return new TeamRisks.Filter(blankToNull(service), s, i);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Server-sent events named raised, changed or cleared, each carrying the risk; a comment now and then keeps it open. */
    @GetMapping(path = "/api/risks/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Risk>> stream() {
        Flux<ServerSentEvent<Risk>> events = risks.events()
                .map(e -> ServerSentEvent.builder(e.risk()).event(e.kind()).build());
        Flux<ServerSentEvent<Risk>> keepAlive = Flux.interval(KEEP_ALIVE)
                .map(n -> ServerSentEvent.<Risk>builder().comment("keep-alive").build());
        return Flux.merge(Flux.just(ServerSentEvent.<Risk>builder().comment("connected").build()), events, keepAlive);
    }
}
