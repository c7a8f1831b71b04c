package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Agency starters follow both kinds of leaver, at the rates the history gives (the simulation alone, no database). */
class AgencyCoverTest {

    private static final int MONTHS = 3;

    /** Everyone employed leaves in the first month; agency workers stay; no establishment, no employed recruitment. */
    private static Simulation.Rates rates(double agencyPerAgencyLeaver, double agencyPerEmployedLeaver) {
        double[][][] hazard = new double[2][2][Simulation.BANDS];
        Arrays.fill(hazard[Simulation.CFSW][0], 1.0);
        return new Simulation.Rates(hazard, new double[2], new double[] {1, 1}, new double[][] {{0, agencyPerAgencyLeaver}, {0, 0}},
                new double[] {52000, 38000}, 0.8, new double[] {agencyPerEmployedLeaver, 0});
    }

    private static Simulation.Result run(Simulation.Rates rates) {
        List<Simulation.Person> people = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            people.add(Simulation.Person.of(Simulation.CFSW, false, 1, 1, 36, 0));
        }
        double[] none = new double[MONTHS + 1];
        Arrays.fill(none, Double.NaN);
        double[] demand = new double[MONTHS + 1];
        Arrays.fill(demand, 1);
        Simulation.Team team = new Simulation.Team("T1", people, new double[][] {none, none}, 1, 0, 0, 0, demand, 0,
                new double[MONTHS + 1], 45, List.of(), List.of(), 16, 20);
        return Simulation.run(List.of(team), rates, MONTHS, 40, 5, null);
    }

    @Test
    void anEmployedLeaversPostIsCoveredByAgencyAtTheHistorysRate() {
        Simulation.Result covered = run(rates(1, 1));
        Simulation.Result uncovered = run(rates(1, 0));
        for (int r = 0; r < 40; r++) {
            // ten employed leavers in the first month, each bringing one agency worker, who then stay
            assertThat(covered.of(Simulation.Measure.LEAVERS, 1)[r]).isEqualTo(10);
            for (int m = 1; m <= MONTHS; m++) {
                assertThat(covered.of(Simulation.Measure.AGENCY, m)[r]).isEqualTo(10);
                assertThat(covered.of(Simulation.Measure.EMPLOYED, m)[r]).isZero();
                assertThat(uncovered.of(Simulation.Measure.AGENCY, m)[r]).isZero();
            }
        }
    }

    @Test
    void aFractionalRateCoversThatShareOfEmployedLeaversOnAverage() {
        Simulation.Result result = run(rates(1, 0.3));
        double mean = Arrays.stream(result.of(Simulation.Measure.AGENCY, 1)).average().orElseThrow();
        // 10 leavers x 0.3 = 3 agency starters expected; 40 runs of a Binomial(10, 0.3): the mean is 3 ± 0.6 nearly always
        assertThat(mean).isBetween(2.4, 3.6);
        assertThat(Arrays.stream(result.of(Simulation.Measure.AGENCY, 1)).distinct().count()).isGreaterThan(1);
    }
}
