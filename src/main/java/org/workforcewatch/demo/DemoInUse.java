package org.workforcewatch.demo;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.workforcewatch.cluster.ChangedElsewhere;
import org.workforcewatch.ingest.DataChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whether the demo users (password {@code demo}, admin among them) may sign in now: only while the database holds
 * the demo authority this service loaded and nothing else, that is while every import that succeeded is the demo
 * loader's own and no live event has arrived; and only on the database the service started itself, unless
 * {@code workforce.demo.on-external-database} says otherwise. Real data arriving (an import or an event, here or on
 * another instance) ends them at once, not at the next start.
 * <p>
 * The answer is kept until the data changes (a {@link DataChanged} here, or {@link ChangedElsewhere}), so a sign-in
 * costs one small query after a change and none otherwise. While they are on, the log says so at start, whenever
 * they come on, and every hour.
 */
@Component
public class DemoInUse {

    private static final Log log = LogFactory.getLog(DemoInUse.class);
    private static final Duration REMINDER = Duration.ofHours(1);

    /** Every import is the demo's (one at least), and no live event has been applied. */
    static final String ONLY_THE_DEMO = "SELECT EXISTS (SELECT 1 FROM imports WHERE source = 'demo' AND status = 'succeeded')"
            + " AND NOT EXISTS (SELECT 1 FROM imports WHERE source <> 'demo' AND status = 'succeeded')"
            + " AND NOT EXISTS (SELECT 1 FROM events) AS only_demo";

    private final DatabaseClient db;
    private final DemoLoader.DemoProperties properties;
    private final boolean embedded;
    private final boolean authorityNamed;
    private final AtomicLong generation = new AtomicLong();
    private volatile Known known;
    private volatile Boolean lastSaid;
    private Disposable reminder;

    /** The answer worked out at a generation of the data. */
    private record Known(long generation, boolean onlyTheDemo) {
    }

    DemoInUse(DatabaseClient db, DemoLoader.DemoProperties properties,
              @Value("${workforce.database.embedded:false}") boolean embedded,
              @Value("${workforce.authority.name:}") String authorityName) {
        this.db = db;
        this.properties = properties;
        this.embedded = embedded;
        this.authorityNamed = authorityName != null && !authorityName.isBlank();
    }

    /** Whether the demo users may sign in now; false as well when the database cannot say. */
    public Mono<Boolean> usersAllowed() {
        if (!configuredOn()) {
            return Mono.just(false);
        }
        return onlyTheDemo().doOnNext(this::say).onErrorResume(e -> Mono.just(false));
    }

    /**
     * Whether every page and the board pack say that the figures are synthetic: while the demo authority is the only
     * data (as for {@link #usersAllowed}), unless {@code workforce.authority.name} names a real authority. Real data
     * loaded over the demo ends the label, as it ends the demo users.
     */
    public Mono<Boolean> synthetic() {
        return authorityNamed ? Mono.just(false) : onlyTheDemo();
    }

    /** Whether the database holds the demo's data and nothing else, kept until the data changes. */
    private Mono<Boolean> onlyTheDemo() {
        long seen = generation.get();
        Known k = known;
        if (k != null && k.generation() == seen) {
            return Mono.just(k.onlyTheDemo());
        }
        return db.sql(ONLY_THE_DEMO).map(r -> Boolean.TRUE.equals(r.get("only_demo", Boolean.class))).one()
                .doOnNext(only -> {
                    // an answer read across a change may predate it: used once, not kept
                    if (generation.get() == seen) {
                        known = new Known(seen, only);
                    }
                });
    }

    /** Whether the settings allow the demo users at all: the demo enabled, on the service's own database or as asked. */
    public boolean configuredOn() {
        return properties.enabled() && (embedded || properties.onExternalDatabase());
    }

    @EventListener({DataChanged.class, ChangedElsewhere.class})
    void dataChanged() {
        generation.incrementAndGet();
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        if (properties.enabled() && !embedded && !properties.onExternalDatabase()) {
            log.info("The demo users are off: the database is not the service's own (workforce.database.url). Set"
                    + " workforce.demo.on-external-database=true to have them on a demo database of your own.");
        }
        if (!configuredOn()) {
            return;
        }
        usersAllowed().subscribe();
        reminder = Flux.interval(REMINDER, REMINDER)
                .concatMap(tick -> usersAllowed())
                .filter(on -> on)
                .subscribe(on -> warn("still on"));
    }

    @PreDestroy
    void stop() {
        if (reminder != null) {
            reminder.dispose();
        }
    }

    /** Logs a change of state: loudly when the demo users come on, once when they end. */
    private synchronized void say(boolean on) {
        Boolean before = lastSaid;
        if (before != null && before == on) {
            return;
        }
        lastSaid = on;
        if (on) {
            warn("ON");
        } else {
            String off = "The demo users (password 'demo') are off: the database holds data other than the demo authority"
                    + " (an import or a live event). Sign in with workforce.security.users or the identity provider.";
            if (before == null) {
                log.info(off);
            } else {
                log.warn(off);
            }
        }
    }

    private static void warn(String state) {
        log.warn("\n*** DEMO USERS " + state + ": the users of workforce.security.demo-users (admin among them) sign in with"
                + " the password 'demo'.\n*** They end by themselves as soon as any other data is imported or a live event"
                + " arrives.\n*** For real use set workforce.demo.enabled=false and configure workforce.security.users or"
                + " the identity provider.");
    }
}
