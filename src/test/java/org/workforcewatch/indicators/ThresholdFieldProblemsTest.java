package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule for thresholds, field by field, without the application. */
class ThresholdFieldProblemsTest {

    private static ThresholdSettings.Applied applied(double amber, double red, double target) {
        return new ThresholdSettings.Applied(amber, red, target, null);
    }

    @Test
    void amberEqualToRedIsAllowedButOneAboveIsAProblemOfAmber() {
        assertThat(ThresholdSettings.fieldProblems(applied(20, 20, 10))).isEmpty();
        assertThat(ThresholdSettings.fieldProblems(applied(20.5, 20, 10))).extracting(ThresholdSettings.FieldProblem::field)
                .containsExactly("amber");
    }

    @Test
    void aNegativeRedIsAProblemOfRedAndANotFiniteTargetOfTarget() {
        assertThat(ThresholdSettings.fieldProblems(applied(-2, -1, 0))).extracting(ThresholdSettings.FieldProblem::field)
                .containsExactly("amber", "red");
        assertThat(ThresholdSettings.fieldProblems(applied(1, 2, Double.NaN))).extracting(ThresholdSettings.FieldProblem::field)
                .containsExactly("target");
    }

    @Test
    void aTargetBeyondAmberIsNotRefused() {
        // looser than the target is a warning on the page, not a refusal
        assertThat(ThresholdSettings.fieldProblems(applied(18, 22, 25))).isEmpty();
    }
}
