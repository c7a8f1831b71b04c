package org.workforcewatch.indicators;

import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * When each collection year's published figures come into force. The Department for Education publishes the children's
 * social work workforce figures for the year to 30 September in the February after (late February, as a rule): a day
 * can only be compared with figures published by then. The reference data states no publication days, so a year's
 * figures are taken as published on the last day of the February after its 30 September, unless configuration gives
 * the day ({@code workforce.benchmarks.publication-dates.<year>=YYYY-MM-DD}, e.g. from the release's page). A
 * configured day on or before the year's 30 September stops start-up.
 */
@ConfigurationProperties("workforce.benchmarks")
public record PublishedYears(Map<Integer, LocalDate> publicationDates) {

    /** The rule alone: every year published on the last day of the February after its 30 September. */
    public static final PublishedYears RULE = new PublishedYears(null);

    public PublishedYears {
        publicationDates = publicationDates == null ? Map.of() : Map.copyOf(publicationDates);
        List<String> problems = new ArrayList<>();
        publicationDates.forEach((year, day) -> {
            if (!day.isAfter(LocalDate.of(year, 9, 30))) {
                problems.add("workforce.benchmarks.publication-dates." + year + " (" + day + ") must be after the year's"
                        + " snapshot at 30 September " + year + ": figures are published after the day they describe");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The day a collection year's figures were (or will be) published. */
    public LocalDate publishedOn(int year) {
        LocalDate configured = publicationDates.get(year);
        return configured != null ? configured : LocalDate.of(year + 1, 2, 1).with(TemporalAdjusters.lastDayOfMonth());
    }

    /** The latest collection year whose figures were published by the end of a day. */
    public int inForce(LocalDate day) {
        int year = day.getYear();
        while (publishedOn(year).isAfter(day)) {
            year--;
        }
        return year;
    }
}
