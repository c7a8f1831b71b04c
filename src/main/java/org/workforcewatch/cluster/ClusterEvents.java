package org.workforcewatch.cluster;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.IndicatorsRefreshed;
import org.workforcewatch.indicators.Risks;
import org.workforcewatch.indicators.Thresholds;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.spc.Rebases;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Keeps several instances on one database in step. The figures, risks and thresholds live in PostgreSQL,
 * but each instance keeps some of them in memory (the thresholds in force, the chart cache, the gauges
 * Prometheus reads). An instance that changes data, a threshold or today's figures says so with
 * PostgreSQL's {@code NOTIFY}; every other instance, {@code LISTEN}ing on a connection of its own, re-reads
 * the thresholds and announces {@link ChangedElsewhere} so its caches follow. After losing the connection
 * (the database went away) an instance reconnects by itself and refreshes everything, since it may have
 * missed news in between.
 */
@Component
class ClusterEvents {

    private static final Log log = LogFactory.getLog(ClusterEvents.class);
    static final String CHANNEL = "workforce_cluster";

    private final String instance = UUID.randomUUID().toString();
    private final DatabaseClient db;
    private final ConnectionFactory connections;
    private final Thresholds thresholds;
    private final ApplicationEventPublisher events;
    private final IndicatorEngine engine;
    private final Risks risks;
    private final AtomicBoolean connectedBefore = new AtomicBoolean();
    private Disposable listening;
    private Disposable acting;
    private final Sinks.Many<String> news = Sinks.many().unicast().onBackpressureBuffer();
    private final java.util.Map<String, OneInFlight> telling = new java.util.concurrent.ConcurrentHashMap<>();

    ClusterEvents(DatabaseClient db, ConnectionFactory connections, Thresholds thresholds, ApplicationEventPublisher events,
                  IndicatorEngine engine, Risks risks) {
        this.engine = engine;
        this.risks = risks;
        this.db = db;
        this.connections = connections;
        this.thresholds = thresholds;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    void listen() {
        actOnNews();
        listening = Mono.usingWhen(dedicated().create(), this::follow, Connection::close)
                .repeat() // the connection ended (the database restarted): listen again
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(r -> {
                            if (r.totalRetriesInARow() == 0) {
                                log.warn("Lost the database connection that hears other instances' changes; reconnecting: "
                                        + r.failure().getMessage());
                            }
                        }))
                .subscribe();
    }

    /** A connection outside the pool, so listening never takes one from requests. */
    @SuppressWarnings("unchecked")
    private ConnectionFactory dedicated() {
        ConnectionFactory factory = connections;
        while (factory instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
            factory = inner;
        }
        return factory;
    }

    private Mono<Void> follow(Connection connection) {
        PostgresqlConnection pg = connection instanceof PostgresqlConnection c ? c
                : (PostgresqlConnection) ((Wrapped<Connection>) connection).unwrap();
        return pg.createStatement("LISTEN " + CHANNEL).execute().flatMap(r -> r.getRowsUpdated()).then()
                .then(Mono.defer(() -> connectedBefore.getAndSet(true) ? heard("reconnected") : Mono.empty()))
                .thenMany(pg.getNotifications())
                // taken off the connection at once: the driver drops the connection if notices pile up unread
                .doOnNext(n -> {
                    String payload = n.getParameter() == null ? "" : n.getParameter();
                    int colon = payload.indexOf(':');
                    if (colon >= 0 && !payload.substring(0, colon).equals(instance)) { // not this instance's own news
                        news.emitNext(payload.substring(colon + 1), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
                    }
                })
                .then();
    }

    /**
     * Acts on what other instances said, a burst at a time: the same news heard several times while the last was
     * being acted on is acted on once more, not once each.
     */
    private void actOnNews() {
        acting = news.asFlux()
                .bufferTimeout(256, Duration.ofMillis(20))
                .concatMap(batch -> Flux.fromIterable(new java.util.LinkedHashSet<>(batch)).concatMap(this::heard))
                .subscribe();
    }

    /** Only a threshold change, or news missed while disconnected, can have moved the thresholds in force. */
    private Mono<Void> heard(String kind) {
        boolean thresholdsMayHaveChanged = kind.equals("thresholds") || kind.equals("reconnected");
        // just after a database restart a pooled connection may still be a dead one: try again on a fresh one
        return (thresholdsMayHaveChanged ? thresholds.reload() : Mono.<Void>empty()).retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .onErrorResume(e -> {
                    log.warn("Could not re-read the thresholds after another instance's change: " + e.getMessage());
                    return Mono.empty();
                })
                .then(Mono.defer(() -> {
                    if (kind.equals("thresholds") || kind.equals("rebases")) {
                        return Mono.empty();
                    }
                    // figures computed on the spot here may predate the other instance's data; its risks reach this
                    // instance's stream from the table they are recorded in
                    engine.dataChanged();
                    return risks.streamNew().onErrorResume(e -> Mono.empty());
                }))
                .then(Mono.fromRunnable(() -> events.publishEvent(new ChangedElsewhere(kind))));
    }

    @EventListener
    void dataChanged(DataChanged change) {
        tell("data");
    }

    @EventListener
    void thresholdsChanged(Thresholds.Changed change) {
        tell("thresholds");
    }

    @EventListener
    void indicatorsRefreshed(IndicatorsRefreshed refreshed) {
        tell("indicators");
    }

    /** A new SPC baseline: charts drawn before it elsewhere are out of date (the rebases themselves are read each time). */
    @EventListener
    void rebased(Rebases.Recorded recorded) {
        tell("rebases");
    }

    /**
     * Tells the other instances; if the database is away they learn when they reconnect. Each NOTIFY is a commit of
     * its own, so news of a kind told while the last is in flight goes as one more (a stream of event batches
     * would otherwise cost a commit each per dataset).
     */
    private void tell(String kind) {
        telling.computeIfAbsent(kind, k -> new OneInFlight(() -> notify(k))).ask();
    }

    private Mono<Void> notify(String kind) {
        return db.sql("SELECT pg_notify('" + CHANNEL + "', :payload)").bind("payload", instance + ":" + kind).then()
                // a pooled connection may have died with a database restart: the next one is fresh
                .retryWhen(Retry.backoff(3, Duration.ofMillis(200)))
                .doOnError(e -> log.debug("Could not tell other instances of a change (" + kind + "): " + e.getMessage()));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (listening != null) {
            listening.dispose();
        }
        if (acting != null) {
            acting.dispose();
        }
    }
}
