package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration as recorded at start-up: one text for configurations that rate alike, another for any difference. */
class ConfiguredThresholdsTest {

    private static ThresholdSettings.Level level(Double amber, Double red) {
        return new ThresholdSettings.Level(amber, red, null, null);
    }

    private static ThresholdSettings settings(double caseloadAmber, String teamTypeKey, String teamKey) {
        Map<String, ThresholdSettings.Level> general = new LinkedHashMap<>();
        general.put("caseload_per_fte", level(caseloadAmber, 22.0));
        general.put("agency_rate", level(12.0, null));
        return new ThresholdSettings(general, Map.of(teamTypeKey, Map.of("caseload_per_fte", level(8.0, 10.0))),
                Map.of(teamKey, Map.of("vacancy_rate", level(null, 30.0))));
    }

    @Test
    void theSameConfigurationSpelledOrOrderedOtherwiseIsRecordedOnce() {
        Map<String, ThresholdSettings.Level> reordered = new LinkedHashMap<>();
        reordered.put("agency-rate", level(12.0, null));
        reordered.put("caseload-per-fte", level(18.0, 22.0));
        ThresholdSettings other = new ThresholdSettings(reordered,
                Map.of("out-of-hours", Map.of("caseload-per-fte", level(8.0, 10.0))),
                Map.of("T1", Map.of("vacancy_rate", level(null, 30.0))));
        assertThat(ConfiguredThresholds.canonical(other))
                .isEqualTo(ConfiguredThresholds.canonical(settings(18.0, "out_of_hours", "t1")));
    }

    @Test
    void aDefaultWrittenOutIsTheSameAsLeftOut() {
        ThresholdSettings defaults = new ThresholdSettings(Map.of(), Map.of(), Map.of());
        ThresholdSettings.Applied caseload = defaults.forIndicator(Indicator.CASELOAD_PER_FTE);
        ThresholdSettings written = new ThresholdSettings(Map.of("caseload_per_fte",
                new ThresholdSettings.Level(caseload.amber(), caseload.red(), caseload.target(), caseload.leadOfficer())),
                Map.of(), Map.of());
        assertThat(ConfiguredThresholds.canonical(written)).isEqualTo(ConfiguredThresholds.canonical(defaults));
    }

    @Test
    void anyChangedLevelIsADifferentConfiguration() {
        String recorded = ConfiguredThresholds.canonical(settings(18.0, "out_of_hours", "T1"));
        assertThat(ConfiguredThresholds.canonical(settings(17.5, "out_of_hours", "T1"))).isNotEqualTo(recorded);
        assertThat(ConfiguredThresholds.canonical(settings(18.0, "assessment", "T1"))).isNotEqualTo(recorded);
        assertThat(ConfiguredThresholds.canonical(settings(18.0, "out_of_hours", "T2"))).isNotEqualTo(recorded);
        ThresholdSettings otherLead = new ThresholdSettings(Map.of("caseload_per_fte",
                new ThresholdSettings.Level(18.0, 22.0, null, "Director")), Map.of(), Map.of());
        assertThat(ConfiguredThresholds.canonical(otherLead))
                .isNotEqualTo(ConfiguredThresholds.canonical(new ThresholdSettings(Map.of(), Map.of(), Map.of())));
    }

    @Test
    void aRecordedConfigurationRatesAsTheOneItWasRecordedFrom() {
        ThresholdSettings configured = settings(17.0, "out_of_hours", "T1");
        ThresholdSettings read = ConfiguredThresholds.settings(ConfiguredThresholds.canonical(configured));
        assertThat(ConfiguredThresholds.canonical(read)).isEqualTo(ConfiguredThresholds.canonical(configured));
        for (Indicator i : Indicator.values()) {
            assertThat(read.forIndicator(i)).isEqualTo(configured.forIndicator(i));
            assertThat(read.forTeam(i, "T1", "out_of_hours")).isEqualTo(configured.forTeam(i, "T1", "out_of_hours"));
            assertThat(read.forTeam(i, "T2", "assessment")).isEqualTo(configured.forTeam(i, "T2", "assessment"));
        }
        assertThat(read.forTeam(Indicator.CASELOAD_PER_FTE, "T9", "out_of_hours").red()).isEqualTo(10.0);
        assertThat(read.forTeam(Indicator.VACANCY_RATE, "T1", null).red()).isEqualTo(30.0);
    }
}
