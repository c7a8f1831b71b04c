package org.workforcewatch.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.workforcewatch.ingest.catalog.DataFreshness;
import org.workforcewatch.metrics.FreshnessSettings;
import reactor.core.publisher.Mono;

/** The two things the dashboard needs beyond the indicators and risks: what to navigate, and how fresh the data is. */
@RestController
class DashboardApi {

    /**
     * One dataset: when it last received data by import and by live event, and whether that is older than allowed
     * (null when it has no max age or never received data).
     */
    record Freshness(String dataset, Instant updated, Instant imported, Instant event, Long maxAgeSeconds, Boolean stale) {
    }

    /** {@code now} lets a client whose clock is wrong still say "2 h ago" right. */
    record FreshnessSummary(Instant now, List<Freshness> datasets) {
    }

    private final Organisation organisation;
    private final DataFreshness freshness;
    private final FreshnessSettings settings;
    private final Clock clock;

    DashboardApi(Organisation organisation, DataFreshness freshness, FreshnessSettings settings, Clock clock) {
        this.organisation = organisation;
        this.freshness = freshness;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/api/authority")
    Mono<Organisation.Authority> authority() {
        return organisation.authority();
    }

    /**
     * Every dataset of the import contract (and the census return), with its max age as the freshness alert
     * uses it; the census has one only when configured.
     */
    @GetMapping("/api/data-freshness")
    Mono<FreshnessSummary> dataFreshness() {
        return freshness.latest().map(latest -> {
            Instant now = clock.instant();
            List<Freshness> datasets = latest.stream().map(l -> {
                Duration maxAge = settings.watched().get(l.dataset());
                // as the stale-data alert reads it: a dataset that never received anything is "never", not stale
                Boolean stale = maxAge == null || l.updated() == null ? null : l.updated().plus(maxAge).isBefore(now);
                return new Freshness(l.dataset(), l.updated(), l.imported(), l.event(), maxAge == null ? null : maxAge.toSeconds(), stale);
            }).toList();
            return new FreshnessSummary(now, datasets);
        });
    }
}
