package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The thresholds of one moment applied to values: no database needed. */
class ThresholdsViewTest {

    private static final ThresholdSettings SETTINGS = new ThresholdSettings(Map.of(),
            Map.of("out_of_hours", Map.of("caseload_per_fte", new ThresholdSettings.Level(8.0, 10.0, null, null))), Map.of());

    private static Thresholds.Recorded change(String kind, String scope, double amber, double red, Double target) {
        return new Thresholds.Recorded(1, "caseload_per_fte", kind, scope, amber, red, target, null, "head", "review",
                OffsetDateTime.parse("2026-11-02T10:00:00Z"));
    }

    private static IndicatorValue caseload(String level, String scope, String teamType, Double value) {
        return new IndicatorValue("caseload_per_fte", level, scope, null, teamType, value, "ok", 18, 22, 16, "Head of Service",
                value == null ? 0 : value * 10, 10, null, null, null);
    }

    @Test
    void aViewWithoutChangesIsTheConfiguration() {
        Thresholds.View view = new Thresholds.View(SETTINGS, List.of());
        assertThat(view.forIndicator(Indicator.CASELOAD_PER_FTE).red()).isEqualTo(22.0);
        assertThat(view.forTeam(Indicator.CASELOAD_PER_FTE, "T4", "out_of_hours").red()).isEqualTo(10.0);
    }

    @Test
    void aChangeForEverythingAppliesWhereNoTeamTypeOrTeamSaysOtherwise() {
        Thresholds.View view = new Thresholds.View(SETTINGS, List.of(change("all", "", 12, 14, 11.0)));
        assertThat(view.forIndicator(Indicator.CASELOAD_PER_FTE)).isEqualTo(new ThresholdSettings.Applied(12, 14, 11, "Head of Service"));
        assertThat(view.forTeam(Indicator.CASELOAD_PER_FTE, "T1", "assessment").red()).isEqualTo(14.0);
        // the team type's configured thresholds are more specific than a general change
        assertThat(view.forTeam(Indicator.CASELOAD_PER_FTE, "T4", "out_of_hours").red()).isEqualTo(10.0);
        assertThat(view.forIndicator(Indicator.AGENCY_RATE).red()).isEqualTo(25.0);
    }

    @Test
    void applyingAViewRatesTheSameValueAgainstItsThresholdsAndKeepsTheFigures() {
        Thresholds.View stricter = new Thresholds.View(SETTINGS, List.of(change("team", "T1", 12, 14, null)));
        IndicatorValue t1 = stricter.apply(caseload("team", "T1", "assessment", 15.0));
        assertThat(t1.severity()).isEqualTo("red");
        assertThat(t1.red()).isEqualTo(14.0);
        assertThat(t1.target()).as("no target in the change: the configured one").isEqualTo(16.0);
        assertThat(t1.value()).isEqualTo(15.0);
        assertThat(t1.numerator()).isEqualTo(150.0);
        // another team, and the authority, keep the configured thresholds
        assertThat(stricter.apply(caseload("team", "T2", "assessment", 15.0)).severity()).isEqualTo("ok");
        assertThat(stricter.apply(caseload("authority", "authority", null, 19.0)).severity()).isEqualTo("amber");
        // no value: no severity
        assertThat(stricter.apply(caseload("team", "T1", "assessment", null)).severity()).isNull();
    }
}
