package org.workforcewatch.metrics;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.workforcewatch.ingest.catalog.DataFreshness;

/**
 * How old each dataset may grow before it is stale ({@code workforce.freshness}): {@code max-age} for
 * every dataset of the import contract, with overrides per dataset, e.g. benchmarks published once a year.
 * Sources an authority may not use at all, the census return, planned starters and the agency register, are watched
 * only when given a max age here.
 */
@ConfigurationProperties("workforce.freshness")
public record FreshnessSettings(@DefaultValue("35d") Duration maxAge, Map<String, Duration> datasets) {

    public FreshnessSettings {
        datasets = datasets == null ? Map.of() : Map.copyOf(datasets);
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("workforce.freshness.max-age must be positive, got " + maxAge);
        }
        datasets.forEach((dataset, age) -> {
            if (!DataFreshness.datasets().contains(dataset) && !dataset.equals("census")) {
                throw new IllegalArgumentException("workforce.freshness.datasets." + dataset + ": no such dataset; known: "
                        + String.join(", ", DataFreshness.datasets()) + ", census");
            }
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("workforce.freshness.datasets." + dataset + " must be positive, got " + age);
            }
        });
    }

    /** Watched only when configured: not every authority sends them. */
    static final java.util.Set<String> OPTIONAL = java.util.Set.of("census", "planned_starters", "agency_assignments");

    /** The datasets watched for staleness, with their max age. */
    public Map<String, Duration> watched() {
        Map<String, Duration> watched = new java.util.LinkedHashMap<>();
        for (String d : DataFreshness.datasets()) {
            if (!OPTIONAL.contains(d) || datasets.containsKey(d)) {
                watched.put(d, datasets.getOrDefault(d, maxAge));
            }
        }
        if (datasets.containsKey("census")) {
            watched.put("census", datasets.get("census"));
        }
        return watched;
    }
}
