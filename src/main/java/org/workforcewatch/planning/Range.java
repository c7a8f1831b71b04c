package org.workforcewatch.planning;

/** The 10th, 50th and 90th percentile of a projected measure over the simulation runs. */
public record Range(double p10, double p50, double p90) {
}
