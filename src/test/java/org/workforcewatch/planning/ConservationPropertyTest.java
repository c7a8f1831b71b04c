package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** In every run, team and month of any simulation: change in headcount = starters − leavers. */
class ConservationPropertyTest {

    @Property(tries = 200)
    void headcountChangesOnlyByStartersAndLeavers(@ForAll @IntRange(min = 1, max = 4) int teamCount,
                                                  @ForAll @IntRange(min = 0, max = 15) int size,
                                                  @ForAll @DoubleRange(min = 0, max = 0.3) double leaving,
                                                  @ForAll @DoubleRange(min = 0, max = 1.5) double fill,
                                                  @ForAll @DoubleRange(min = 0, max = 1) double agencyFill,
                                                  @ForAll @DoubleRange(min = 0, max = 1.5) double replacement,
                                                  @ForAll @IntRange(min = 1, max = 12) int months,
                                                  @ForAll @IntRange(min = 0, max = 4) int recruits,
                                                  @ForAll @IntRange(min = 0, max = 3) int conversions,
                                                  @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<Simulation.Team> teams = new ArrayList<>();
        Map<Integer, Integer> initial = new HashMap<>();
        for (int t = 0; t < teamCount; t++) {
            List<Simulation.Person> people = new ArrayList<>();
            int n = r.nextInt(size + 1);
            for (int i = 0; i < n; i++) {
                int end = r.nextInt(4) == 0 ? r.nextInt(months + 2) : 0;
                people.add(Simulation.Person.of(r.nextInt(2), r.nextBoolean(), 0.5 + r.nextInt(6) / 10.0, r.nextInt(2), r.nextInt(120), end));
            }
            initial.put(t, n);
            double[][] funded = new double[2][months + 1];
            for (double[] row : funded) {
                Arrays.fill(row, r.nextBoolean() ? Double.NaN : r.nextInt(20));
            }
            List<Simulation.Arrival> arrivals = new ArrayList<>();
            for (int k = 0; k < recruits; k++) {
                arrivals.add(new Simulation.Arrival(1 + r.nextInt(months), r.nextDouble(),
                        new Simulation.Person(0, r.nextBoolean(), 1, 1, 0, 0, 0.8, 1 + r.nextInt(months + 12))));
            }
            List<Simulation.Conversion> converts = new ArrayList<>();
            for (int k = 0; k < conversions; k++) {
                converts.add(new Simulation.Conversion(1 + r.nextInt(months), 1 + r.nextInt(3)));
            }
            double[] demand = new double[months + 1];
            Arrays.fill(demand, 1 + r.nextDouble());
            teams.add(new Simulation.Team("T" + t, people, funded, 0.8, r.nextInt(50), r.nextDouble() * 4 - 2, r.nextDouble() * 3,
                    demand, r.nextInt(30), new double[months + 1], 40, arrivals, converts, 16, 20));
        }
        double[][][] hazard = new double[2][2][Simulation.BANDS];
        for (double[][] g : hazard) {
            for (double[] a : g) {
                for (int b = 0; b < a.length; b++) {
                    a[b] = leaving * r.nextDouble();
                }
            }
        }
        Simulation.Rates rates = new Simulation.Rates(hazard, new double[] {fill, fill / 2}, new double[] {0.9, 1.0},
                new double[][] {{replacement / 10, agencyFill / 10}, {replacement / 20, agencyFill / 20}}, new double[] {52000, 38000}, 0.8,
                new double[] {agencyFill / 20, 0});
        int runs = 20;
        int[][] last = new int[runs][teamCount];
        for (int[] row : last) {
            for (int t = 0; t < teamCount; t++) {
                row[t] = initial.get(t);
            }
        }
        int[] calls = {0};
        Simulation.Result result = Simulation.run(teams, rates, months, runs, seed, (run, team, month, headcount, starters, leavers) -> {
            assertThat(headcount - last[run][team]).as("run %d team %d month %d", run, team, month).isEqualTo(starters - leavers);
            assertThat(starters).isNotNegative();
            assertThat(leavers).isNotNegative();
            last[run][team] = headcount;
            calls[0]++;
        });
        assertThat(calls[0]).isEqualTo(runs * teamCount * months);
        // Summed over teams too: the aggregate headcount measure moves by aggregate starters − leavers.
        for (int run = 0; run < runs; run++) {
            double previous = initial.values().stream().mapToInt(Integer::intValue).sum();
            for (int m = 1; m <= months; m++) {
                double now = result.of(Simulation.Measure.HEADCOUNT, m)[run];
                assertThat(now - previous).isEqualTo(result.of(Simulation.Measure.STARTERS, m)[run] - result.of(Simulation.Measure.LEAVERS, m)[run]);
                previous = now;
            }
        }
    }
}
