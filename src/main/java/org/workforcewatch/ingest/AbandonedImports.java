package org.workforcewatch.ingest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** At start-up, imports that a stopped process left "running" are marked failed: none of their rows was applied. */
@Component
@Order(0)
class AbandonedImports implements ApplicationRunner {

    private static final Log log = LogFactory.getLog(AbandonedImports.class);
    private final ImportLog importLog;

    AbandonedImports(ImportLog importLog) {
        this.importLog = importLog;
    }

    @Override
    public void run(ApplicationArguments args) {
        Long n = importLog.abandonRunning().block();
        if (n != null && n > 0) {
            log.warn(n + " import(s) were interrupted by a stop of the service and are marked failed; load them again");
        }
    }
}
