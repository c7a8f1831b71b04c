package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The published year that speaks for a day: the latest published by then, not the latest whose 30 September has passed. */
class PublishedYearsTest {

    @Test
    void aYearSpeaksFromTheLastDayOfTheFebruaryAfterItsSnapshot() {
        PublishedYears years = PublishedYears.RULE;
        assertThat(years.publishedOn(2025)).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThat(years.publishedOn(2023)).as("a leap year").isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(years.inForce(LocalDate.of(2026, 2, 27))).isEqualTo(2024);
        assertThat(years.inForce(LocalDate.of(2026, 2, 28))).isEqualTo(2025);
        // the October 2026 pack: 2026's snapshot has passed but is not published until February 2027
        assertThat(years.inForce(LocalDate.of(2026, 10, 31))).isEqualTo(2025);
        assertThat(years.inForce(LocalDate.of(2027, 1, 31))).isEqualTo(2025);
        assertThat(years.inForce(LocalDate.of(2027, 2, 28))).isEqualTo(2026);
        assertThat(years.inForce(LocalDate.of(2024, 2, 28))).isEqualTo(2022);
        assertThat(years.inForce(LocalDate.of(2024, 2, 29))).isEqualTo(2023);
    }

    @Test
    void aConfiguredPublicationDayTakesThePlaceOfTheRule() {
        PublishedYears years = new Binder(new MapConfigurationPropertySource(Map.of(
                "workforce.benchmarks.publication-dates.2025", "2026-03-19")))
                .bind("workforce.benchmarks", PublishedYears.class).get();
        assertThat(years.publishedOn(2025)).isEqualTo(LocalDate.of(2026, 3, 19));
        assertThat(years.inForce(LocalDate.of(2026, 3, 18))).isEqualTo(2024);
        assertThat(years.inForce(LocalDate.of(2026, 3, 19))).isEqualTo(2025);
        assertThat(years.publishedOn(2024)).as("other years keep the rule").isEqualTo(LocalDate.of(2025, 2, 28));
    }

    @Test
    void aPublicationDayNotAfterItsSnapshotStopsStartUp() {
        assertThatThrownBy(() -> new PublishedYears(Map.of(2025, LocalDate.of(2025, 9, 30))))
                .hasMessageContaining("workforce.benchmarks.publication-dates.2025 (2025-09-30) must be after");
    }
}
