package org.workforcewatch.cluster;

/**
 * Another instance on the same database changed something: new data ({@code data}), a threshold
 * ({@code thresholds}, already re-read here), today's figures ({@code indicators}), a new SPC baseline
 * ({@code rebases}), or this instance has just
 * reconnected and may have missed changes ({@code reconnected}). Whatever an instance keeps in memory from
 * the database (chart cache, gauges) is refreshed on hearing it.
 */
public record ChangedElsewhere(String kind) {
}
