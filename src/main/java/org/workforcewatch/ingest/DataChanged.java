package org.workforcewatch.ingest;

/** Published after stored data changed (an import committed), so that derived figures can be refreshed. */
public record DataChanged(String dataset, long importId) {
}
