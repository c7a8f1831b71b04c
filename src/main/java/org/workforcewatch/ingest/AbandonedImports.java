package org.workforcewatch.ingest;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Imports that can never finish are marked failed: at start-up, and every minute after, since an import
 * also dies when another instance stops or the database goes away. Only imports that no transaction holds
 * are touched ({@link ImportLog#abandon}), so an import another instance is running goes on undisturbed.
 * None of a failed import's rows was applied; it can simply be loaded again.
 */
@Component
@Order(0)
public class AbandonedImports implements ApplicationRunner {

    private static final Log log = LogFactory.getLog(AbandonedImports.class);
    private static final Duration EVERY = Duration.ofMinutes(1);

    private final ImportLog importLog;
    private Disposable sweeping;

    AbandonedImports(ImportLog importLog) {
        this.importLog = importLog;
    }

    @Override
    public void run(ApplicationArguments args) {
        report(importLog.abandon().block());
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweepEveryMinute() {
        sweeping = Flux.interval(EVERY, EVERY).onBackpressureDrop()
                .concatMap(tick -> importLog.abandon().onErrorResume(e -> {
                    log.debug("Interrupted imports could not be looked for: " + e.getMessage());
                    return Mono.empty();
                }))
                .subscribe(AbandonedImports::report);
    }

    private static void report(Long n) {
        if (n != null && n > 0) {
            log.warn(n + " import(s) were interrupted by a stop of the service or its database and are marked failed;"
                    + " load them again");
        }
    }

    @PreDestroy
    void stop() {
        if (sweeping != null) {
            sweeping.dispose();
        }
    }
}
