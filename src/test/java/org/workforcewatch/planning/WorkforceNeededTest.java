package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FTE the projected demand needs, and the gap to the projected workforce, in the simulation alone (no database). */
class WorkforceNeededTest {

    private static final int MONTHS = 12;

    /** No one leaves, no one is recruited: the workforce at the start stays. */
    private static Simulation.Rates still() {
        return new Simulation.Rates(new double[2][2][Simulation.BANDS], new double[2], new double[] {1, 1}, new double[2][2],
                new double[] {52000, 38000}, 0.8, new double[2]);
    }

    private static double[] noEstablishment() {
        double[] v = new double[MONTHS + 1];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    private static double[] each(double value) {
        double[] v = new double[MONTHS + 1];
        Arrays.fill(v, value);
        return v;
    }

    private static Simulation.Team team(String id, List<Simulation.Person> people, double cases, double slope, double sigma,
                                        double paCases, double caseTarget, double paTarget) {
        return new Simulation.Team(id, people, new double[][] {noEstablishment(), noEstablishment()}, 1, cases, slope, sigma,
                each(1), paCases, new double[MONTHS + 1], 45, List.of(), List.of(), caseTarget, paTarget);
    }

    private static List<Simulation.Person> socialWorkers(int count) {
        List<Simulation.Person> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            people.add(Simulation.Person.of(Simulation.CFSW, i == 0, 1, 1, 36, 0));
        }
        return people;
    }

    @Test
    void aTeamThatKeepsItsPeopleIsShortByItsCasesAtTheTargetLessItsCaseHoldingFte() {
        List<Simulation.Person> people = new ArrayList<>(socialWorkers(4));
        // an ASYE at half a case-holding FTE for the whole horizon, as the caseload indicator counts one
        people.add(new Simulation.Person(Simulation.CFSW, false, 1, 1, 0, 0, 0.5, MONTHS + 1));
        people.add(Simulation.Person.of(Simulation.PA, false, 1, 0, 36, 0));
        Simulation.Result result = Simulation.run(List.of(team("T1", people, 90, 0, 0, 30, 15, 20)), still(), MONTHS, 50, 7, null);

        for (int m = 1; m <= MONTHS; m++) {
            for (int run = 0; run < 50; run++) {
                assertThat(result.of(Simulation.Measure.FTE_NEEDED, m)[run]).isEqualTo(6.0, within(1e-9));
                assertThat(result.of(Simulation.Measure.CAPACITY, m)[run]).isEqualTo(4.5, within(1e-9));
                assertThat(result.difference(Simulation.Measure.FTE_NEEDED, Simulation.Measure.CAPACITY, m)[run])
                        .isEqualTo(1.5, within(1e-9));
                assertThat(result.of(Simulation.Measure.PA_FTE_NEEDED, m)[run]).isEqualTo(1.5, within(1e-9));
                assertThat(result.difference(Simulation.Measure.PA_FTE_NEEDED, Simulation.Measure.PA_FTE, m)[run])
                        .isEqualTo(0.5, within(1e-9));
            }
        }
    }

    @Test
    void eachRunNeedsItsOwnCasesAtTheTargetAndAHigherTargetNeedsFewerFte() {
        Simulation.Team tight = team("T1", socialWorkers(5), 80, 1.5, 4, 0, 16, 20);
        Simulation.Team loose = team("T1", socialWorkers(5), 80, 1.5, 4, 0, 20, 20);
        Simulation.Result atSixteen = Simulation.run(List.of(tight), still(), MONTHS, 200, 11, null);
        Simulation.Result atTwenty = Simulation.run(List.of(loose), still(), MONTHS, 200, 11, null);

        for (int m = 1; m <= MONTHS; m++) {
            double[] cases = atSixteen.of(Simulation.Measure.CASES, m);
            double[] needed = atSixteen.of(Simulation.Measure.FTE_NEEDED, m);
            for (int run = 0; run < cases.length; run++) {
                assertThat(needed[run]).isEqualTo(cases[run] / 16, within(1e-9));
                // the same seed draws the same cases: the higher target needs fewer FTE in every run that has cases
                assertThat(atTwenty.of(Simulation.Measure.CASES, m)[run]).isEqualTo(cases[run]);
                if (cases[run] > 0) {
                    assertThat(atTwenty.of(Simulation.Measure.FTE_NEEDED, m)[run]).isLessThan(needed[run]);
                }
            }
        }
        Range gap16 = Simulation.range(atSixteen.difference(Simulation.Measure.FTE_NEEDED, Simulation.Measure.CAPACITY, MONTHS));
        Range gap20 = Simulation.range(atTwenty.difference(Simulation.Measure.FTE_NEEDED, Simulation.Measure.CAPACITY, MONTHS));
        assertThat(gap20.p50()).isLessThan(gap16.p50());
        for (Range r : List.of(gap16, gap20)) {
            assertThat(r.p10()).isLessThan(r.p50());
            assertThat(r.p50()).isLessThan(r.p90());
        }
    }

    @Test
    void theGapOfSeveralTeamsIsTheirNeedsLessTheirFteSummedWithinEachRun() {
        // a team with leavers and noisy cases, and a team without cases that needs nothing
        Simulation.Rates leaving = new Simulation.Rates(new double[][][] {{{0.05, 0.05, 0.05, 0.05}, {0.1, 0.1, 0.1, 0.1}},
                {{0.05, 0.05, 0.05, 0.05}, {0.1, 0.1, 0.1, 0.1}}}, new double[2], new double[] {1, 1}, new double[2][2],
                new double[] {52000, 38000}, 0.8, new double[2]);
        Simulation.Team busy = team("T1", socialWorkers(6), 100, 2, 5, 0, 18, 20);
        Simulation.Team idle = team("T2", socialWorkers(3), 0, 0, 0, 0, 18, 20);
        Simulation.Result both = Simulation.run(List.of(busy, idle), leaving, MONTHS, 300, 3, null);

        double[] gap = both.difference(Simulation.Measure.FTE_NEEDED, Simulation.Measure.CAPACITY, MONTHS);
        double[] needed = both.of(Simulation.Measure.FTE_NEEDED, MONTHS);
        double[] capacity = both.of(Simulation.Measure.CAPACITY, MONTHS);
        double[] cases = both.of(Simulation.Measure.CASES, MONTHS);
        for (int run = 0; run < gap.length; run++) {
            assertThat(needed[run]).as("the team without cases needs none").isEqualTo(cases[run] / 18, within(1e-9));
            assertThat(gap[run]).isEqualTo(needed[run] - capacity[run], within(1e-9));
        }
        Range range = Simulation.range(gap);
        assertThat(range.p10()).isLessThanOrEqualTo(range.p50());
        assertThat(range.p50()).isLessThanOrEqualTo(range.p90());
        // leavers make the workforce, and so the gap, differ between runs
        assertThat(range.p90() - range.p10()).isGreaterThan(1);
    }

    @Test
    void noCasesNeedNoFteWhateverTheTarget() {
        Simulation.Team empty = team("T1", List.of(), 0, 0, 0, 0, 0, 0);
        Simulation.Result result = Simulation.run(List.of(empty), still(), 3, 5, 1, null);
        for (int m = 1; m <= 3; m++) {
            assertThat(result.of(Simulation.Measure.FTE_NEEDED, m)).containsOnly(0.0);
            assertThat(result.of(Simulation.Measure.PA_FTE_NEEDED, m)).containsOnly(0.0);
        }
    }

    @Test
    void aTeamWithoutATargetNeedsNothingAndDoesNotBlankTheScopesNeed() {
        Simulation.Team counted = team("T1", socialWorkers(4), 90, 0, 0, 0, 18, 20);
        Simulation.Team untargeted = team("T2", socialWorkers(2), 40, 0, 0, 0, 0, 0);
        Simulation.Result result = Simulation.run(List.of(counted, untargeted), still(), 3, 5, 1, null);
        for (int m = 1; m <= 3; m++) {
            // T1's 90 cases at 18 a FTE; T2 has no target, so no need, and its 2 FTE count as spare
            assertThat(result.of(Simulation.Measure.FTE_NEEDED, m)).containsOnly(5.0);
            assertThat(Simulation.range(result.difference(Simulation.Measure.FTE_NEEDED, Simulation.Measure.CAPACITY, m)).p50())
                    .isEqualTo(5.0 - 6.0);
        }
    }
}
