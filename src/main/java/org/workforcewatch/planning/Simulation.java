package org.workforcewatch.planning;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The Monte Carlo simulation behind a {@link Forecast}: pure Java over arrays, no database. Each run walks every team of the
 * scope month by month: people leave (known end dates, else a monthly leaving probability), scheduled starters arrive,
 * uncovered posts are filled at the historical rate, agency workers start after agency and employed leavers at the historical
 * rates, cases follow their damped trend and need FTE at the team's target caseload. Teams are
 * summed per run; the percentiles of those sums are the projection.
 */
final class Simulation {

    static final int CFSW = 0;
    static final int PA = 1;
    static final int GROUPS = 2;
    static final int BANDS = 4;

    /** Hours a week and weeks a year of an agency FTE. */
    static final double AGENCY_HOURS_PER_MONTH = 37.0 * 52 / 12;

    private Simulation() {
    }

    /** Tenure band of a tenure in months: under 1 year, 1–2, 2–5, 5 years or more. */
    static int band(int months) {
        return months < 12 ? 0 : months < 24 ? 1 : months < 60 ? 2 : 3;
    }

    /**
     * A person in post at the start, or scheduled to start.
     *
     * @param caseFactor   share of the FTE that holds cases (1 case-holding CFSW, 0 not; for starters the team's share)
     * @param tenureMonths months since the start of the person's unbroken run of spells, at the projection start
     * @param endMonth     month (1..H) in which a known end date falls, 0 if none
     * @param reducedUntil months before which caseFactor is {@code reducedFactor} instead (ASYE protected caseload), 0 none
     */
    record Person(int group, boolean agency, double fte, double caseFactor, int tenureMonths, int endMonth,
                  double reducedFactor, int reducedUntil) {
        static Person of(int group, boolean agency, double fte, double caseFactor, int tenureMonths, int endMonth) {
            return new Person(group, agency, fte, caseFactor, tenureMonths, endMonth, caseFactor, 0);
        }
    }

    /** Someone who starts in month {@code month} with probability {@code probability}. */
    record Arrival(int month, double probability, Person person) {
    }

    /** Convert the {@code count} longest-serving agency workers of the team to permanent in {@code month}. */
    record Conversion(int month, int count) {
    }

    /**
     * One team.
     *
     * @param funded       [group][month 0..H] funded FTE, NaN where the team has no establishment for the group
     * @param starterCase  case factor of a CFSW starter filling a vacancy
     * @param cases        cases at the start (children held by the team's case holders)
     * @param caseSlope    cases per month (trend before damping)
     * @param caseSigma    standard deviation of the monthly change in cases around the trend
     * @param demand       [month 0..H] multiplier of cases (scenario demand changes)
     * @param paCases      care leavers held at the start
     * @param paChange     [month 0..H] care leavers added (turning 18) minus removed (turning 25) in the month
     * @param hourlyRate   agency hourly rate (GBP)
     * @param caseTarget   the team's target caseload per case-holding FTE: its cases ÷ this is the social work FTE needed
     * @param paTarget     the team's target care leavers per personal adviser FTE: its PA cases ÷ this is the PA FTE needed
     */
    record Team(String id, List<Person> people, double[][] funded, double starterCase, double cases, double caseSlope,
                double caseSigma, double[] demand, double paCases, double[] paChange, double hourlyRate, List<Arrival> arrivals,
                List<Conversion> conversions, double caseTarget, double paTarget) {

        /** Case-holding FTE needed to hold {@code cases} at the target; none without cases or without a target above 0. */
        double caseFteNeeded(double cases) {
            return needed(cases, caseTarget);
        }

        /** Personal adviser FTE needed to hold {@code paCases} care leavers at the target. */
        double paFteNeeded(double paCases) {
            return needed(paCases, paTarget);
        }

        /** Cases ÷ target; none without cases or without a target above 0 (the team's FTE then counts as spare). */
        private static double needed(double cases, double target) {
            return cases <= 0 || target <= 0 ? 0 : cases / target;
        }
    }

    /**
     * Authority-wide rates.
     *
     * @param hazard       [group][agency 0/1][band] monthly leaving probability
     * @param fill         [group] employed starters (people new to the authority) per uncovered post-month in the history: the
     *                     whole FTE of funded - employed - agency, per team at the month start; each month a team with an
     *                     establishment recruits Poisson(fill x its uncovered posts) employed starters, at most that many
     * @param starterFte   [group] mean FTE of a starter
     * @param replacement  [group][agency 0/1] starters per leaver in the history (recruitment as a flow: each month's
     *                     starters are this many times the month's expected leavers, for employed starters of a team
     *                     without an establishment; each agency leaver brings this many agency starters in the same month)
     * @param annualCost   [group] annual cost of an employed FTE
     * @param agencyCover  [group] agency starters per employed leaver: each employed leaver brings this many agency starters in
     *                     the same month (the history's agency starters that took an employed leaver's post, per employed leaver)
     */
    record Rates(double[][][] hazard, double[] fill, double[] starterFte, double[][] replacement, double[] annualCost,
                 double damping, double[] agencyCover) {
    }

    /**
     * Measures kept per run and month (summed over teams). CAPACITY is the case-holding social work FTE as the caseload
     * indicator counts it (ASYE at their protected share); FTE_NEEDED and PA_FTE_NEEDED are the FTE the run's cases and care
     * leavers need at each team's target caseload, so needed − CAPACITY (− PA_FTE) is the run's own gap.
     */
    enum Measure { EMPLOYED, AGENCY, VACANCY, LEAVERS, STARTERS, CASES, CAPACITY, PA_CASES, PA_FTE, CFSW_AGENCY, CFSW_STAFF,
        AGENCY_COST, EMPLOYED_COST, HEADCOUNT, FTE_NEEDED, PA_FTE_NEEDED }

    /** Receives each team's monthly flows of each run (tests). */
    interface Trace {
        void month(int run, int team, int month, int headcount, int starters, int leavers);
    }

    /** Result: [measure][month 1..H (index 0 = month 1)][run]. */
    record Result(int months, int runs, double[][][] values) {
        double[] of(Measure m, int month) {
            return values[m.ordinal()][month - 1];
        }

        /** {@code m} − {@code less} within each run of the month (a gap whose percentiles are the runs' own). */
        double[] difference(Measure m, Measure less, int month) {
            double[] a = of(m, month);
            double[] b = of(less, month);
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] - b[i];
            }
            return out;
        }
    }

    static Result run(List<Team> teams, Rates rates, int months, int runs, long seed, Trace trace) {
        double[][][] values = new double[Measure.values().length][months][runs];
        long[] seeds = new SplittableRandom(seed).longs(runs).toArray();
        IntStream range = IntStream.range(0, runs);
        (trace == null ? range.parallel() : range).forEach(run -> {
            SplittableRandom random = new SplittableRandom(seeds[run]);
            for (int t = 0; t < teams.size(); t++) {
                simulateTeam(teams.get(t), rates, months, run, t, random, values, trace);
            }
        });
        return new Result(months, runs, values);
    }

    /** The growing set of people of a team in one run, as parallel arrays. */
    private static final class Crew {
        int size;
        int[] group = new int[16];
        boolean[] agency = new boolean[16];
        double[] fte = new double[16];
        double[] caseFactor = new double[16];
        double[] reducedFactor = new double[16];
        int[] reducedUntil = new int[16];
        int[] startMonth = new int[16];
        int[] tenure = new int[16];
        int[] endMonth = new int[16];
        boolean[] gone = new boolean[16];

        void add(Person p, int month) {
            if (size == group.length) {
                int n = size * 2;
                group = Arrays.copyOf(group, n);
                agency = Arrays.copyOf(agency, n);
                fte = Arrays.copyOf(fte, n);
                caseFactor = Arrays.copyOf(caseFactor, n);
                reducedFactor = Arrays.copyOf(reducedFactor, n);
                reducedUntil = Arrays.copyOf(reducedUntil, n);
                startMonth = Arrays.copyOf(startMonth, n);
                tenure = Arrays.copyOf(tenure, n);
                endMonth = Arrays.copyOf(endMonth, n);
                gone = Arrays.copyOf(gone, n);
            }
            group[size] = p.group();
            agency[size] = p.agency();
            fte[size] = p.fte();
            caseFactor[size] = p.caseFactor();
            reducedFactor[size] = p.reducedFactor();
            reducedUntil[size] = p.reducedUntil();
            startMonth[size] = month;
            tenure[size] = p.tenureMonths();
            endMonth[size] = p.endMonth();
            gone[size] = false;
            size++;
        }
    }

    private static void simulateTeam(Team team, Rates rates, int months, int run, int t, SplittableRandom random,
                                     double[][][] values, Trace trace) {
        Crew crew = new Crew();
        for (Person p : team.people()) {
            crew.add(p, 0);
        }
        double cases = team.cases();
        double paCases = team.paCases();
        for (int m = 1; m <= months; m++) {
            int leavers = 0;
            int starters = 0;
            // Conversions: agency to permanent in place (neither a leaver nor a starter).
            for (Conversion c : team.conversions()) {
                if (c.month() == m) {
                    for (int k = 0; k < c.count(); k++) {
                        int best = -1;
                        for (int i = 0; i < crew.size; i++) {
                            if (!crew.gone[i] && crew.agency[i]
                                    && (best < 0 || crew.tenure[i] + m - crew.startMonth[i] > crew.tenure[best] + m - crew.startMonth[best])) {
                                best = i;
                            }
                        }
                        if (best >= 0) {
                            crew.agency[best] = false;
                            crew.endMonth[best] = 0;
                        }
                    }
                }
            }
            // Uncovered funded FTE at the start of the month (after conversions, before leavers): the base of employed recruitment.
            double[] uncovered = new double[GROUPS];
            for (int g = 0; g < GROUPS; g++) {
                double funded = team.funded()[g][m];
                if (!Double.isNaN(funded)) {
                    double inPost = 0;
                    for (int i = 0; i < crew.size; i++) {
                        if (!crew.gone[i] && crew.group[i] == g) {
                            inPost += crew.fte[i];
                        }
                    }
                    uncovered[g] = Math.max(0, funded - inPost);
                }
            }
            // Expected leavers of the month by group and employment: the base of the recruitment flow.
            double[][] expected = new double[GROUPS][2];
            // Actual leavers of the month by group and employment: agency workers are replaced as they go.
            int[][] left = new int[GROUPS][2];
            // Leaving.
            int alive = crew.size;
            for (int i = 0; i < alive; i++) {
                if (crew.gone[i]) {
                    continue;
                }
                boolean leaves;
                if (crew.endMonth[i] > 0) {
                    leaves = crew.endMonth[i] == m;
                    expected[crew.group[i]][crew.agency[i] ? 1 : 0] += leaves ? 1 : 0;
                } else {
                    int tenure = crew.tenure[i] + (m - 1 - crew.startMonth[i]);
                    double p = rates.hazard()[crew.group[i]][crew.agency[i] ? 1 : 0][band(Math.max(0, tenure))];
                    expected[crew.group[i]][crew.agency[i] ? 1 : 0] += p;
                    leaves = random.nextDouble() < p;
                }
                if (leaves) {
                    crew.gone[i] = true;
                    leavers++;
                    left[crew.group[i]][crew.agency[i] ? 1 : 0]++;
                }
            }
            // Scheduled arrivals (planned starters, scenario recruits and cohorts) come before vacancies are filled.
            for (Arrival a : team.arrivals()) {
                if (a.month() == m && (a.probability() >= 1 || random.nextDouble() < a.probability())) {
                    crew.add(a.person(), m);
                    // A scheduled starter takes an uncovered post (no second recruitment to it this month).
                    uncovered[a.person().group()] = Math.max(0, uncovered[a.person().group()] - a.person().fte());
                    starters++;
                }
            }
            // Recruitment. Employed starters of a team with an establishment fill its uncovered posts (whole FTE of funded
            // - employed - agency at the start of the month) at the historical fill rate: a team below its establishment
            // recovers, one at it only replaces its leavers after a gap. Agency starters, and employed ones in a team without an
            // establishment, are a flow: the historical starters per leaver x the month's expected leavers.
            for (int g = 0; g < GROUPS; g++) {
                double size = rates.starterFte()[g];
                for (int a = 0; a < 2; a++) {
                    if (a == 0 && !Double.isNaN(team.funded()[g][m])) {
                        int posts = (int) Math.floor(uncovered[g] + 1e-6);
                        if (posts > 0 && rates.fill()[g] > 0) {
                            int n = Math.min(poisson(random, rates.fill()[g] * posts), posts);
                            for (int k = 0; k < n; k++) {
                                crew.add(Person.of(g, false, size, g == CFSW ? team.starterCase() : 0, 0, 0), m);
                                starters++;
                            }
                        }
                        continue;
                    }
                    int n;
                    if (a == 1) {
                        // Agency workers start within weeks of a leaver: each agency leaver of the month brings the
                        // historical agency starters per agency leaver, each employed leaver the agency starters per employed
                        // leaver (whole part for certain, the fraction by chance).
                        n = many(random, rates.replacement()[g][1], left[g][1]) + many(random, rates.agencyCover()[g], left[g][0]);
                    } else {
                        n = poisson(random, rates.replacement()[g][a] * expected[g][a]);
                    }
                    for (int k = 0; k < n; k++) {
                        crew.add(Person.of(g, a == 1, size, g == CFSW ? team.starterCase() : 0, 0, 0), m);
                        starters++;
                    }
                }
            }
            // Cases: damped trend plus noise, times the scenario's demand.
            cases = Math.max(0, cases + team.caseSlope() * Math.pow(rates.damping(), m)
                    + (team.caseSigma() > 0 ? team.caseSigma() * gaussian(random) : 0));
            paCases = Math.max(0, paCases + team.paChange()[m]);

            // Measure the month end.
            double employed = 0, agency = 0, capacity = 0, paFte = 0, cfswAgency = 0, cfswStaff = 0, agencyCost = 0, employedCost = 0;
            int count = 0;
            for (int i = 0; i < crew.size; i++) {
                if (crew.gone[i]) {
                    continue;
                }
                count++;
                double fte = crew.fte[i];
                int g = crew.group[i];
                if (crew.agency[i]) {
                    agency += fte;
                    agencyCost += fte * team.hourlyRate() * AGENCY_HOURS_PER_MONTH;
                } else {
                    employed += fte;
                    employedCost += fte * rates.annualCost()[g] / 12;
                }
                if (g == CFSW) {
                    capacity += fte * (m < crew.reducedUntil[i] ? crew.reducedFactor[i] : crew.caseFactor[i]);
                    if (crew.agency[i]) {
                        cfswAgency += fte;
                    } else {
                        cfswStaff += fte;
                    }
                } else {
                    paFte += fte;
                }
            }
            double vacancy = 0;
            for (int g = 0; g < GROUPS; g++) {
                double funded = team.funded()[g][m];
                if (!Double.isNaN(funded)) {
                    double staffed = 0;
                    for (int i = 0; i < crew.size; i++) {
                        if (!crew.gone[i] && !crew.agency[i] && crew.group[i] == g) {
                            staffed += crew.fte[i];
                        }
                    }
                    vacancy += Math.max(0, funded - staffed);
                }
            }
            int mi = m - 1;
            values[Measure.EMPLOYED.ordinal()][mi][run] += employed;
            values[Measure.AGENCY.ordinal()][mi][run] += agency;
            values[Measure.VACANCY.ordinal()][mi][run] += vacancy;
            values[Measure.LEAVERS.ordinal()][mi][run] += leavers;
            values[Measure.STARTERS.ordinal()][mi][run] += starters;
            double demanded = cases * team.demand()[m];
            values[Measure.CASES.ordinal()][mi][run] += demanded;
            values[Measure.FTE_NEEDED.ordinal()][mi][run] += team.caseFteNeeded(demanded);
            values[Measure.PA_FTE_NEEDED.ordinal()][mi][run] += team.paFteNeeded(paCases);
            values[Measure.CAPACITY.ordinal()][mi][run] += capacity;
            values[Measure.PA_CASES.ordinal()][mi][run] += paCases;
            values[Measure.PA_FTE.ordinal()][mi][run] += paFte;
            values[Measure.CFSW_AGENCY.ordinal()][mi][run] += cfswAgency;
            values[Measure.CFSW_STAFF.ordinal()][mi][run] += cfswStaff;
            values[Measure.AGENCY_COST.ordinal()][mi][run] += agencyCost;
            values[Measure.EMPLOYED_COST.ordinal()][mi][run] += employedCost;
            values[Measure.HEADCOUNT.ordinal()][mi][run] += count;
            if (trace != null) {
                trace.month(run, t, m, count, starters, leavers);
            }
        }
    }

    /** Starters brought by {@code leavers} leavers at {@code ratio} each: the whole part for certain, the fraction by chance. */
    private static int many(SplittableRandom random, double ratio, int leavers) {
        int n = 0;
        double fraction = ratio - Math.floor(ratio);
        for (int k = 0; k < leavers; k++) {
            n += (int) Math.floor(ratio) + (fraction > 0 && random.nextDouble() < fraction ? 1 : 0);
        }
        return n;
    }

    static int poisson(SplittableRandom random, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(random)));
        }
        double limit = Math.exp(-lambda);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Percentile (linear interpolation between order statistics) of the values that are numbers; NaN if none. */
    static double percentile(double[] sorted, int n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** p10/p50/p90 of values (NaN ignored); null when no run has a value. */
    static Range range(double[] values) {
        double[] copy = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                copy[n++] = v;
            }
        }
        if (n == 0) {
            return null;
        }
        Arrays.sort(copy, 0, n);
        return new Range(round(percentile(copy, n, 0.1)), round(percentile(copy, n, 0.5)), round(percentile(copy, n, 0.9)));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
