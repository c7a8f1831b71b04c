package org.workforcewatch.indicators;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
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

    @GetMapping("/api/risks")
    Mono<Map<String, Object>> active() {
        return risks.active().collectList().map(list -> Map.of("risks", list, "count", list.size()));
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
