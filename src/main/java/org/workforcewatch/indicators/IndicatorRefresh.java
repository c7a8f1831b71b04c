package org.workforcewatch.indicators;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.workforcewatch.config.DatabaseOutage;
import org.workforcewatch.ingest.DataChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Keeps the indicators current: after data changes (an import or events), the stored results are
 * dropped and today's recomputed at once (changes arriving close together are handled as one), then
 * the risks are evaluated; the monthly history is recomputed once changes have paused. Listeners hear
 * {@link IndicatorsRefreshed} when today's figures are current. A threshold change only re-evaluates
 * the risks. A refresh that the database's going away interrupted runs again once it is back.
 * <p>
 * Every instance refreshes after its own changes; the figures live in the database, and recomputes of
 * several instances take turns under one advisory lock ('workforce-indicators'), so all read the same.
 */
@Component
class IndicatorRefresh {

    private static final Log log = LogFactory.getLog(IndicatorRefresh.class);
    /** Changes arriving within this time are handled as one: a stream of events refreshes about once a second. */
    private static final Duration GATHER = Duration.ofSeconds(1);
    /** The monthly history is recomputed once changes have stopped for this long (a stream of events waits). */
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** While the database is unreachable a refresh is tried again, at least this often. */
    private static final Duration RETRY_AT_MOST_EVERY = Duration.ofSeconds(5);

    private final IndicatorEngine engine;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Risks risks;
    private final Thresholds thresholds;
    private final Sinks.Many<Object> changes = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Many<LocalDate> historyWanted = Sinks.many().unicast().onBackpressureBuffer();
    private Disposable running;
    private Disposable history;

    IndicatorRefresh(IndicatorEngine engine, Clock clock, ApplicationEventPublisher events, Risks risks, Thresholds thresholds) {
        this.engine = engine;
        this.risks = risks;
        this.thresholds = thresholds;
        this.clock = clock;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = changes.asFlux()
                .bufferTimeout(10_000, GATHER, true)
                .concatMap(batch -> thresholds.reload().then(batch.stream().allMatch(c -> c instanceof Thresholds.Changed)
                                ? risks.evaluate().then() : refresh())
                        // the data changed but the database went away: the figures are recomputed once it is back
                        .retryWhen(DatabaseOutage.retryUntilBack(RETRY_AT_MOST_EVERY).doBeforeRetry(retry -> {
                            if (retry.totalRetriesInARow() == 0) {
                                log.warn("Indicators will be refreshed when the database answers again: "
                                        + retry.failure().getMessage());
                            }
                        }))
                        .onErrorResume(e -> {
                            log.warn("Indicators could not be refreshed: " + e.getMessage());
                            return Mono.empty();
                        }))
                .subscribe();
        history = historyWanted.asFlux()
                .switchMap(today -> Mono.delay(QUIET).then(engine.historyDates(today).flatMap(engine::ensure))
                        .then(risks.refineSince())
                        .onErrorResume(e -> {
                            log.warn("Indicator history could not be recomputed: " + e.getMessage());
                            return Mono.empty();
                        }))
                .subscribe();
        changes.emitNext("start", Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    @EventListener
    void dataChanged(DataChanged change) {
        changes.emitNext(change, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    /** A threshold change moves no figure, only severities: the risks are looked at again. */
    @EventListener
    void thresholdsChanged(Thresholds.Changed change) {
        changes.emitNext(change, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    private Mono<Void> refresh() {
        LocalDate today = LocalDate.now(clock);
        return engine.invalidate()
                .then(engine.compute(List.of(today)))
                .doOnSuccess(v -> events.publishEvent(new IndicatorsRefreshed(today)))
                .then(risks.evaluate())
                .then(Mono.fromRunnable(() -> historyWanted.emitNext(today,
                        Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)))));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
        if (history != null) {
            history.dispose();
        }
    }
}
