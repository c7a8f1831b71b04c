package org.workforcewatch.indicators;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * From when the council vouches for its history ({@code workforce.history.from}): {@code all} for every dataset,
 * or a dataset's name (staff, allocations, referrals, children_in_care, care_leavers, supervision, training,
 * absence, establishment, shifts) for that one. A configured date replaces the one the data suggests
 * (docs/LIVE-INDICATORS.md, "Coverage"). An unknown dataset stops start-up with its name.
 *
 * <pre>
 * workforce.history.from:
 *   all: 2021-04-01
 *   care_leavers: 2024-10-01
 * </pre>
 */
@ConfigurationProperties("workforce.history")
public record HistorySettings(Map<String, LocalDate> from) {

    static final String ALL = "all";

    public HistorySettings {
        Map<String, LocalDate> checked = new LinkedHashMap<>();
        for (Map.Entry<String, LocalDate> e : (from == null ? Map.<String, LocalDate>of() : from).entrySet()) {
            String name = e.getKey().trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
            if (!name.equals(ALL) && !DataCoverage.Source.names().contains(name)) {
                throw new IllegalArgumentException("workforce.history.from." + e.getKey() + ": no such dataset; use all or one of "
                        + DataCoverage.Source.names());
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("workforce.history.from." + e.getKey() + " needs a date (YYYY-MM-DD)");
            }
            checked.put(name, e.getValue());
        }
        from = Map.copyOf(new TreeMap<>(checked));
    }

    /** What is configured for a dataset: its own date, else the date for all, else nothing. */
    LocalDate configured(String dataset) {
        return from.getOrDefault(dataset, from.get(ALL));
    }
}
