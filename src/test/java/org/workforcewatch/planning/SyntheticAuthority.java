package org.workforcewatch.planning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.workforcewatch.staffing.StaffRole;

/**
 * Small synthetic authorities with different dynamics, to referee the forecast on more than the demo. A month-by-month
 * simulation of funded posts per team, employed staff leaving by a monthly hazard, vacancies filled after a gap (now and
 * then by an internal move), agency workers covering vacancies, and children's cases per team following the shape's demand,
 * held by the team's case-holding workers. The same shape, today and seed always give byte-identical files (one
 * java.util.Random, lists only, no hash-ordered iteration). Far simpler than the demo authority on purpose: only the
 * datasets the forecast and its backtest read.
 */
public final class SyntheticAuthority {

    /** The dynamics of an authority; sizes and histories differ too (docs/forecast-synthetic.md). */
    public enum Shape { STABLE, GROWING, SHRINKING, SHOCK, SEASONAL_LEAVING, SHORT_HISTORY, LONG_HISTORY, NATIONAL_RATES }

    /** Dataset names in the order they are loaded: a dataset's references come earlier. */
    static final List<String> DATASETS = List.of("teams", "staff", "establishment", "allocations", "children_in_care", "care_leavers");

    /** The England figures NATIONAL_RATES follows: the DfE's CSWW national rows, one per census year (30 September). */
    record NationalYear(int year, double inpostFte, double agencyFte, double vacancyFte, double turnoverRate, double caseloadFte) {
    }

    private final Shape shape;
    private final Map<String, String> files;
    private final String description;

    private SyntheticAuthority(Shape shape, Map<String, String> files, String description) {
        this.shape = shape;
        this.files = files;
        this.description = description;
    }

    public static SyntheticAuthority generate(Shape shape, LocalDate today, long seed) {
        return new Generator(shape, today, seed).run();
    }

    /** Dataset name to CSV text (header and rows, LF line ends), in {@link #DATASETS} order. */
    public Map<String, String> files() {
        return new LinkedHashMap<>(files);
    }

    /** One line: shape, teams, staff in post today, months of history. */
    String describe() {
        return description;
    }

    /** England's national rows of the DfE file in the project (src/main/resources/reference/dfe-csww, SOURCE.md there). */
    static List<NationalYear> england() {
        try (InputStream in = SyntheticAuthority.class.getResourceAsStream("/reference/dfe-csww/csww_indicators_2017_to_2025.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n");
            List<String> header = List.of(lines[0].split(","));
            TreeMap<Integer, NationalYear> years = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].split(",", -1);
                if (!c[header.indexOf("geographic_level")].equals("National")) {
                    continue;
                }
                int year = Integer.parseInt(c[header.indexOf("time_period")]);
                // the file repeats a year's national row: the first one is kept
                years.putIfAbsent(year, new NationalYear(year, number(c, header, "inpost_fte"), number(c, header, "agency_fte"),
                        number(c, header, "vacancy_fte"), number(c, header, "turnover_rate_fte"), number(c, header, "caseload_fte")));
            }
            return List.copyOf(years.values());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double number(String[] cells, List<String> header, String column) {
        return Double.parseDouble(cells[header.indexOf(column)]);
    }

    // ------------------------------------------------------------------ the simulation

    /** One staff row. */
    private static final class Spell {
        final String staffId;
        final Team team;
        final StaffRole role;
        final String employment;
        final double fte;
        final LocalDate start;
        LocalDate end;
        String reason;
        int cases;

        Spell(String staffId, Team team, StaffRole role, String employment, double fte, LocalDate start) {
            this.staffId = staffId;
            this.team = team;
            this.role = role;
            this.employment = employment;
            this.fte = fte;
            this.start = start;
        }

        boolean agency() {
            return employment.equals("agency");
        }

        boolean caseHolding() {
            return role.caseHoldingRole();
        }

        boolean inPost(LocalDate d) {
            return !d.isBefore(start) && (end == null || !d.isAfter(end));
        }
    }

    /** A funded post: open from a month, closed from a month (a cut) or never. */
    private static final class Post {
        final Team team;
        final StaffRole role;
        final int openFrom;
        int closedFrom = Integer.MAX_VALUE;
        Spell holder;

        Post(Team team, StaffRole role, int openFrom) {
            this.team = team;
            this.role = role;
            this.openFrom = openFrom;
        }

        boolean open(int month) {
            return month >= openFrom && month < closedFrom;
        }
    }

    private record Team(String id, String name, String service, String type) {
    }

    /** One allocation row. */
    private record Allocation(int id, String childId, Spell worker, String caseType, LocalDate start, LocalDate end, String reason) {
    }

    /** An open case during the case simulation. */
    private static final class Case {
        final String childId;
        final String type;
        final LocalDate plannedEnd;
        Spell worker;
        LocalDate since;
        String reason;

        Case(String childId, String type, LocalDate plannedEnd) {
            this.childId = childId;
            this.type = type;
            this.plannedEnd = plannedEnd;
        }
    }

    private static final class Generator {
        private static final List<String> TYPES = List.of("assessment", "safeguarding", "children_in_care");
        private static final List<String> SERVICES = List.of("Front Door", "Safeguarding", "Children in Care");
        private static final double AGENCY_END = 1.0 / 9, FILL = 0.3, COVER = 0.35, INTERNAL = 0.1;
        /**
         * NATIONAL_RATES' employed and agency FTE in 2025. Smaller than the 1,000 first intended: the backtest's time grows
         * with the allocation rows (about 4 µs each per origin), and 1,000 FTE over eight years took 98 s to backtest.
         */
        private static final double NATIONAL_FTE = 400;

        private final Shape shape;
        private final LocalDate today;
        private final Random r;
        private final LocalDate start;
        private final int months;
        private final List<NationalYear> england;
        private final List<Team> teams = new ArrayList<>();
        private final List<Post> posts = new ArrayList<>();
        private final List<Spell> spells = new ArrayList<>();
        private final List<Allocation> allocations = new ArrayList<>();
        private int people;
        private int children;
        private final double[] leaverCarry = new double[2];

        Generator(Shape shape, LocalDate today, long seed) {
            this.shape = shape;
            this.today = today;
            this.r = new Random(seed);
            YearMonth current = YearMonth.from(today);
            this.start = switch (shape) {
                case SHORT_HISTORY -> YearMonth.from(today.minusMonths(18).minusDays(1)).plusMonths(1).atDay(1);
                case LONG_HISTORY -> current.minusMonths(120).atDay(1);
                case NATIONAL_RATES -> LocalDate.of(2017, 10, 1);
                default -> current.minusMonths(60).atDay(1);
            };
            // whole months up to the one before today's: the extract is taken today
            this.months = (int) ChronoUnit.MONTHS.between(YearMonth.from(start), current);
            this.england = shape == Shape.NATIONAL_RATES ? england() : List.of();
        }

        SyntheticAuthority run() {
            int posts0 = switch (shape) {
                case STABLE -> 250;
                case GROWING -> 120;
                case SHRINKING -> 400;
                case SHOCK -> 200;
                case SEASONAL_LEAVING -> 150;
                case SHORT_HISTORY -> 100;
                case LONG_HISTORY -> 300;
                case NATIONAL_RATES -> (int) Math.round(national(0, NationalYear::inpostFte) + national(0, NationalYear::vacancyFte));
            };
            makeTeams(posts0);
            fillAtStart();
            for (int m = 0; m < months; m++) {
                setPosts(m, (int) Math.round(funded(m)));
                leave(m);
                recruit(m);
                coverByAgency(m);
            }
            cases();
            Map<String, String> out = new LinkedHashMap<>();
            out.put("teams", teamsCsv());
            out.put("staff", staffCsv());
            out.put("establishment", establishmentCsv());
            out.put("allocations", allocationsCsv());
            careRecords(out);
            long inPost = spells.stream().filter(s -> s.end == null).count();
            return new SyntheticAuthority(shape, out, String.format("%s: %d teams, %d staff in post today, %d months of history from %s",
                    shape, teams.size(), inPost, months, start));
        }

        // -------------------------------------------------- dynamics of the shapes

        LocalDate monthStart(int m) {
            return start.plusMonths(m);
        }

        /** Funded posts in month m. */
        double funded(int m) {
            double years = m / 12.0;
            return switch (shape) {
                case GROWING -> 120 * Math.pow(1.15, years);
                case SHRINKING -> 400 * Math.pow(0.90, years);
                case NATIONAL_RATES -> national(m, NationalYear::inpostFte) + national(m, NationalYear::vacancyFte);
                default -> posts.stream().filter(p -> p.openFrom == 0).count();
            };
        }

        /** Monthly chance that an employed person leaves. */
        double hazard(int m) {
            double yearly = switch (shape) {
                case LONG_HISTORY -> 0.15 + 0.05 * Math.sin(2 * Math.PI * m / 48.0);
                case SHRINKING -> 0.17;
                default -> 0.15;
            };
            double monthly = 1 - Math.pow(1 - yearly, 1 / 12.0);
            if (shape == Shape.SEASONAL_LEAVING) {
                int month = monthStart(m).getMonthValue();
                // July to September 2.5 times the other months, the same yearly total
                monthly *= (month >= 7 && month <= 9 ? 2.5 : 1) * 12 / 16.5;
            }
            return monthly;
        }

        /** A national figure scaled to the authority, at the end of month m, between the census dates (30 September). */
        double national(int m, java.util.function.ToDoubleFunction<NationalYear> figure) {
            NationalYear last = england.get(england.size() - 1);
            return NATIONAL_FTE / (last.inpostFte() + last.agencyFte()) * englandAt(m, figure);
        }

        /** England's figure at the end of month m, between the census dates. */
        double englandAt(int m, java.util.function.ToDoubleFunction<NationalYear> figure) {
            // month m ends (m + 1) months after 30 September 2017, the first census date of the file
            double years = (m + 1) / 12.0;
            int i = Math.min((int) years, england.size() - 1);
            int j = Math.min(i + 1, england.size() - 1);
            double f = Math.min(years - i, 1);
            return figure.applyAsDouble(england.get(i)) * (1 - f) + figure.applyAsDouble(england.get(j)) * f;
        }

        /** England's census year a month counts in: October to September. */
        NationalYear censusYear(int m) {
            LocalDate end = YearMonth.from(monthStart(m)).atEndOfMonth();
            int year = end.getMonthValue() >= 10 ? end.getYear() + 1 : end.getYear();
            return england.stream().filter(y -> y.year() == year).findFirst().orElse(england.get(england.size() - 1));
        }

        // -------------------------------------------------- staff

        void makeTeams(int posts0) {
            int teamsCount = Math.max(4, Math.round(posts0 / 12f));
            for (int t = 0; t < teamsCount; t++) {
                // about one team in eight are personal advisers for care leavers
                boolean pa = t % 8 == 7;
                String type = pa ? "care_leavers" : TYPES.get(t % 3);
                String service = pa ? "Care Leavers" : SERVICES.get(t % 3);
                teams.add(new Team(String.format("T%02d", t + 1), (pa ? "Care Leavers " : "Team ") + (t + 1), service, type));
            }
            for (int i = 0; i < posts0; i++) {
                Team team = teams.get(i % teams.size());
                posts.add(new Post(team, roleOf(team, i / teams.size()), 0));
            }
        }

        /** The role of a team's n-th post: a manager first, then practitioners (or personal advisers). */
        static StaffRole roleOf(Team team, int n) {
            if (n == 0) {
                return StaffRole.TEAM_MANAGER;
            }
            if (team.type().equals("care_leavers")) {
                return StaffRole.PERSONAL_ADVISER;
            }
            return switch (n % 6) {
                case 1 -> StaffRole.SENIOR_PRACTITIONER;
                case 4 -> StaffRole.ASYE;
                default -> StaffRole.SOCIAL_WORKER;
            };
        }

        void fillAtStart() {
            boolean national = shape == Shape.NATIONAL_RATES;
            double employed = national ? national(-1, NationalYear::inpostFte) : Double.MAX_VALUE;
            List<Post> order = shuffled(posts);
            double fte = 0;
            for (Post p : order) {
                if (national ? fte < employed - 0.5 : r.nextDouble() < 0.9) {
                    // in post before history starts, except where the history is all there is
                    LocalDate from = shape == Shape.SHORT_HISTORY ? start : start.minusDays(1 + r.nextInt(8 * 365));
                    fte += hire(p, from, p.role.caseHoldingRole() && r.nextDouble() < 0.1 ? "fixed_term" : "permanent").fte;
                }
            }
            if (national) {
                agencyTo(-1, start, national(-1, NationalYear::agencyFte));
            } else {
                for (Post p : order) {
                    if (p.holder == null && r.nextDouble() < 0.6) {
                        agency(p.team, p.role, shape == Shape.SHORT_HISTORY ? start : start.minusDays(1 + r.nextInt(300)));
                    }
                }
            }
        }

        /** Opens or closes posts (from the first of the month) until the funded count is reached. */
        void setPosts(int m, int target) {
            long open = posts.stream().filter(p -> p.open(m)).count();
            for (; open < target; open++) {
                Team team = teams.get(posts.size() % teams.size());
                long inTeam = posts.stream().filter(p -> p.team == team).count();
                posts.add(new Post(team, roleOf(team, (int) Math.max(1, inTeam)), m));
            }
            if (open > target) {
                // a cut takes vacant practitioner posts first; a holder of a cut post is made redundant that month
                LocalDate first = monthStart(m);
                List<Post> candidates = new ArrayList<>(shuffled(posts.stream().filter(p -> p.open(m) && p.role != StaffRole.TEAM_MANAGER).toList()));
                candidates.sort(Comparator.comparing((Post p) -> !vacant(p, first)));
                for (int i = 0; i < open - target && i < candidates.size(); i++) {
                    Post p = candidates.get(i);
                    p.closedFrom = m;
                    if (!vacant(p, first) && p.holder.end == null) {
                        end(p.holder, day(m), "other");
                    }
                }
            }
        }

        void leave(int m) {
            LocalDate first = monthStart(m);
            List<Spell> employed = shuffled(inPost(first).stream().filter(s -> !s.agency() && s.end == null).toList());
            if (shape == Shape.NATIONAL_RATES) {
                // the year's turnover of England (leavers' FTE ÷ FTE in post on 30 September), spread evenly over the months
                // of the census year, for social workers and for the others apart, so that each group's year matches it
                NationalYear y = censusYear(m);
                int september = (y.year() - 2018) * 12 + 11;
                double growth = national(september, NationalYear::inpostFte) / national(m, NationalYear::inpostFte);
                for (int g = 0; g < 2; g++) {
                    boolean cfsw = g == 0;
                    List<Spell> group = employed.stream().filter(s -> s.role.cfsw() == cfsw).toList();
                    leaverCarry[g] += y.turnoverRate() / 100 * group.stream().mapToDouble(s -> s.fte).sum() * growth / 12;
                    for (Spell s : group) {
                        if (leaverCarry[g] < s.fte) {
                            break;
                        }
                        leaverCarry[g] -= s.fte;
                        end(s, day(m), leavingReason(s));
                    }
                }
            } else {
                double h = hazard(m);
                boolean shock = shape == Shape.SHOCK && m == months - 20;
                for (Spell s : employed) {
                    // the shock: a quarter of the safeguarding service leave in one month, after a restructure
                    if (shock && s.team.service().equals("Safeguarding") && r.nextDouble() < 0.25) {
                        end(s, day(m), "resigned");
                    } else if (r.nextDouble() < h) {
                        end(s, day(m), leavingReason(s));
                    }
                }
            }
            for (Spell s : shuffled(inPost(first).stream().filter(s -> s.agency() && s.end == null).toList())) {
                if (r.nextDouble() < AGENCY_END) {
                    end(s, day(m), "end_of_contract");
                }
            }
        }

        String leavingReason(Spell s) {
            if (s.employment.equals("fixed_term")) {
                return "end_of_contract";
            }
            double x = r.nextDouble();
            return x < 0.75 ? "resigned" : x < 0.87 ? "retired" : x < 0.92 ? "dismissed" : "other";
        }

        /** Vacant posts (vacant since before the month) are filled: by chance, or to England's FTE in post. */
        void recruit(int m) {
            LocalDate first = monthStart(m);
            List<Post> vacant = shuffled(posts.stream().filter(p -> p.open(m) && vacant(p, first)).toList());
            LocalDate last = YearMonth.from(first).atEndOfMonth();
            double deficit = shape == Shape.NATIONAL_RATES ? national(m, NationalYear::inpostFte) - employedFte(last) : 0;
            for (Post p : vacant) {
                if (shape == Shape.NATIONAL_RATES ? deficit < 0.5 : r.nextDouble() >= FILL) {
                    continue;
                }
                LocalDate from = day(m);
                Spell mover = p.role == StaffRole.TEAM_MANAGER || r.nextDouble() >= INTERNAL ? null : mover(p, first);
                Spell hired;
                if (mover != null) {
                    end(mover, from.minusDays(1), "internal_move");
                    hired = hire(p, from, mover.employment, mover.staffId, mover.fte);
                } else {
                    hired = hire(p, from, p.role.caseHoldingRole() && r.nextDouble() < 0.1 ? "fixed_term" : "permanent");
                    deficit -= hired.fte;
                }
                if (shape == Shape.NATIONAL_RATES) {
                    continue; // agency FTE follows England's figure instead
                }
                // the agency worker covering the team's vacancy is no longer needed
                inPost(from).stream().filter(s -> s.agency() && s.team == p.team && s.role.equals(p.role) && s.end == null)
                        .findFirst().ifPresent(a -> end(a, from.minusDays(1).isBefore(a.start) ? a.start : from.minusDays(1), "end_of_contract"));
            }
        }

        /** Someone of the same kind of role in another team, in post all month. */
        Spell mover(Post p, LocalDate first) {
            List<Spell> candidates = inPost(first).stream().filter(s -> !s.agency() && s.team != p.team && s.end == null
                    && s.role.caseHoldingRole() == p.role.caseHoldingRole() && (s.role == StaffRole.PERSONAL_ADVISER) == (p.role == StaffRole.PERSONAL_ADVISER)
                    && s.start.isBefore(first)).toList();
            return candidates.isEmpty() ? null : candidates.get(r.nextInt(candidates.size()));
        }

        /** Agency workers cover vacancies: uncovered ones by chance, or to England's agency FTE. */
        void coverByAgency(int m) {
            LocalDate last = YearMonth.from(monthStart(m)).atEndOfMonth();
            if (shape == Shape.NATIONAL_RATES) {
                agencyTo(m, monthStart(m), national(m, NationalYear::agencyFte));
                return;
            }
            for (Team team : teams) {
                for (StaffRole role : StaffRole.values()) {
                    long vacant = posts.stream().filter(p -> p.team == team && p.role == role && p.open(m) && (p.holder == null || p.holder.end != null)).count();
                    long covered = inPost(last).stream().filter(s -> s.agency() && s.team == team && s.role == role && s.end == null).count();
                    for (long i = covered; i < vacant; i++) {
                        if (r.nextDouble() < COVER) {
                            agency(team, role, day(m));
                        }
                    }
                    // a cut post's cover ends
                    List<Spell> cover = inPost(last).stream().filter(s -> s.agency() && s.team == team && s.role == role && s.end == null).toList();
                    for (int i = 0; i < covered - vacant; i++) {
                        end(cover.get(i), day(m), "end_of_contract");
                    }
                }
            }
        }

        /** Starts or ends agency engagements until the agency FTE reaches the target, starting in teams with vacancies. */
        void agencyTo(int m, LocalDate from, double target) {
            List<Spell> current = shuffled(spells.stream().filter(s -> s.agency() && s.end == null).toList());
            double fte = current.stream().mapToDouble(s -> s.fte).sum();
            for (int i = 0; fte > target + 0.5 && i < current.size(); i++) {
                fte -= current.get(i).fte;
                end(current.get(i), m < 0 ? from : day(m), "end_of_contract");
            }
            List<Post> vacant = shuffled(posts.stream().filter(p -> p.open(Math.max(m, 0)) && p.role != StaffRole.TEAM_MANAGER
                    && (p.holder == null || p.holder.end != null)).toList());
            for (int i = 0; fte < target - 0.5; i++) {
                Post p = vacant.isEmpty() ? posts.get(r.nextInt(posts.size())) : vacant.get(i % vacant.size());
                fte += agency(p.team, p.role == StaffRole.TEAM_MANAGER ? StaffRole.SOCIAL_WORKER : p.role,
                        m < 0 ? from.minusDays(1 + r.nextInt(300)) : day(m)).fte;
            }
        }

        /** No one holds the post on the day. */
        static boolean vacant(Post p, LocalDate d) {
            return p.holder == null || p.holder.end != null && p.holder.end.isBefore(d);
        }

        Spell hire(Post p, LocalDate from, String employment) {
            double x = r.nextDouble();
            return hire(p, from, employment, String.format("S%05d", ++people), x < 0.85 ? 1.0 : x < 0.95 ? 0.8 : 0.6);
        }

        Spell hire(Post p, LocalDate from, String employment, String staffId, double fte) {
            Spell s = new Spell(staffId, p.team, p.role, employment, fte, from);
            p.holder = s;
            spells.add(s);
            return s;
        }

        Spell agency(Team team, StaffRole role, LocalDate from) {
            Spell s = new Spell(String.format("S%05d", ++people), team, role, "agency", 1.0, from);
            spells.add(s);
            return s;
        }

        void end(Spell s, LocalDate on, String reason) {
            s.end = on;
            s.reason = reason;
        }

        List<Spell> inPost(LocalDate d) {
            return spells.stream().filter(s -> s.inPost(d)).toList();
        }

        double employedFte(LocalDate d) {
            return spells.stream().filter(s -> !s.agency() && s.inPost(d) && (s.end == null || s.end.isAfter(d))).mapToDouble(s -> s.fte).sum();
        }

        /** A day of month m. */
        LocalDate day(int m) {
            return monthStart(m).plusDays(r.nextInt(YearMonth.from(monthStart(m)).lengthOfMonth()));
        }

        <T> List<T> shuffled(List<T> list) {
            List<T> copy = new ArrayList<>(list);
            java.util.Collections.shuffle(copy, r);
            return copy;
        }

        // -------------------------------------------------- cases

        /** Cases per case-holding post in month m: the shape's demand. */
        double demand(int m) {
            double years = m / 12.0;
            return switch (shape) {
                case GROWING -> 15 * Math.pow(1.03, years);
                case SHRINKING -> 15 * Math.pow(0.97, years);
                case LONG_HISTORY -> 15 * (1 + 0.02 * years);
                case NATIONAL_RATES -> englandAt(m, NationalYear::caseloadFte) * (national(m, NationalYear::inpostFte)
                        + national(m, NationalYear::agencyFte)) / funded(m);
                default -> 15;
            };
        }

        /** Day by day per team (personal advisers hold care leavers, in the care records). */
        void cases() {
            LocalDate end = monthStart(months).minusDays(1);
            for (Team team : teams) {
                if (!team.type().equals("care_leavers")) {
                    new TeamCases(team).run(end);
                }
            }
        }

        /** One team's cases: what its workers hold, and the days new cases open this month. */
        private final class TeamCases {
            final Team team;
            final List<Spell> workers;
            final List<Case> open = new ArrayList<>();
            final List<LocalDate> opening = new ArrayList<>();
            double noise;

            TeamCases(Team team) {
                this.team = team;
                this.workers = spells.stream().filter(s -> s.team == team && s.caseHolding()).toList();
            }

            void run(LocalDate end) {
                for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
                    release(d);
                    closeEnded(d);
                    if (d.getDayOfMonth() == 1) {
                        schedule(d);
                    }
                    openScheduled(d);
                    allocate(d);
                }
                for (Case c : open) {
                    if (c.worker != null) {
                        // a worker who left on the last day leaves the case unallocated today
                        LocalDate until = c.worker.end != null ? c.worker.end : c.plannedEnd.isAfter(end) ? null : c.plannedEnd;
                        allocations.add(new Allocation(allocations.size() + 1, c.childId, c.worker, c.type, c.since, until, c.reason));
                    }
                }
            }

            /** The cases of a worker who left yesterday wait for a colleague. */
            void release(LocalDate d) {
                for (Case c : open) {
                    if (c.worker != null && !c.worker.inPost(d) && c.plannedEnd.isAfter(d.minusDays(1))) {
                        close(c, d.minusDays(1));
                        c.worker = null;
                        c.reason = "LEFTRL";
                    }
                }
            }

            void closeEnded(LocalDate d) {
                for (java.util.Iterator<Case> it = open.iterator(); it.hasNext(); ) {
                    Case c = it.next();
                    if (!c.plannedEnd.isAfter(d.minusDays(1))) {
                        close(c, c.plannedEnd);
                        it.remove();
                    }
                }
            }

            /** The days of this month's new cases: enough that the month ends near the team's demand. */
            void schedule(LocalDate first) {
                int m = (int) ChronoUnit.MONTHS.between(YearMonth.from(start), YearMonth.from(first));
                LocalDate monthEnd = YearMonth.from(first).atEndOfMonth();
                noise = 0.8 * noise + 0.03 * r.nextGaussian();
                long postsNow = posts.stream().filter(p -> p.team == team && p.open(m) && p.role.caseHoldingRole()).count();
                long wanted = Math.round(demand(m) * postsNow * Math.exp(noise));
                long staying = open.stream().filter(c -> c.plannedEnd.isAfter(monthEnd)).count();
                opening.clear();
                for (long i = staying; i < wanted; i++) {
                    // the stock at the start of history is there on its first day
                    opening.add(m == 0 ? first : first.plusDays(r.nextInt(first.lengthOfMonth())));
                }
                opening.sort(null);
            }

            void openScheduled(LocalDate d) {
                while (!opening.isEmpty() && opening.get(0).equals(d)) {
                    opening.remove(0);
                    String type = switch (team.type()) {
                        case "assessment" -> "assessment";
                        case "safeguarding" -> r.nextBoolean() ? "cp" : "cin";
                        default -> "cla";
                    };
                    double mean = type.equals("assessment") ? 180 : type.equals("cla") ? 900 : 400;
                    open.add(new Case(String.format("C%06d", ++children), type, d.plusDays(1 + (long) (-mean * Math.log(1 - r.nextDouble())))));
                }
            }

            /** Each case without a worker goes to the least loaded case-holding worker in post. */
            void allocate(LocalDate d) {
                List<Spell> active = workers.stream().filter(s -> s.inPost(d)).toList();
                for (Case c : open) {
                    if (c.worker == null && !active.isEmpty()) {
                        Spell w = active.stream().min(Comparator.comparingDouble((Spell s) -> s.cases / s.fte)).orElseThrow();
                        c.worker = w;
                        c.since = d;
                        w.cases++;
                    }
                }
            }

            void close(Case c, LocalDate on) {
                if (c.worker != null) {
                    allocations.add(new Allocation(allocations.size() + 1, c.childId, c.worker, c.type, c.since, on, c.reason));
                    c.worker.cases--;
                }
            }
        }

        // -------------------------------------------------- files

        String teamsCsv() {
            Csv csv = new Csv("team_id", "team_name", "service", "team_type", "parent_team_id");
            teams.forEach(t -> csv.row(t.id(), t.name(), t.service(), t.type(), null));
            return csv.toString();
        }

        String staffCsv() {
            Csv csv = new Csv("staff_id", "team_id", "role", "employment", "fte", "start_date", "end_date", "leaving_reason",
                    "case_holding", "qualified_date", "agency_name", "agency_hourly_rate");
            List<Spell> rows = new ArrayList<>(spells);
            rows.sort(Comparator.comparing((Spell s) -> s.staffId).thenComparing(s -> s.start));
            for (Spell s : rows) {
                csv.row(s.staffId, s.team.id(), s.role.id(), s.employment, num(s.fte), s.start, s.end, s.reason,
                        s.caseHolding() ? "Y" : "N", null, s.agency() ? "Northgate Locums" : null, s.agency() ? "45.00" : null);
            }
            return csv.toString();
        }

        /** Funded FTE per team and role: a row at the start of history, then one at each change. */
        String establishmentCsv() {
            Csv csv = new Csv("team_id", "role", "funded_fte", "effective_from");
            for (Team team : teams) {
                for (StaffRole role : StaffRole.values()) {
                    List<Post> held = posts.stream().filter(p -> p.team == team && p.role == role).toList();
                    long before = -1;
                    for (int m = 0; m < months; m++) {
                        int month = m;
                        long funded = held.stream().filter(p -> p.open(month)).count();
                        if (funded != before && (funded > 0 || before > 0)) {
                            csv.row(team.id(), role.id(), num(funded), monthStart(m));
                        }
                        before = funded;
                    }
                }
            }
            return csv.toString();
        }

        String allocationsCsv() {
            Csv csv = new Csv("allocation_id", "child_id", "staff_id", "case_type", "start_date", "end_date", "change_reason");
            for (Allocation a : allocations) {
                csv.row(String.format("A%07d", a.id()), a.childId(), a.worker().staffId, a.caseType(), a.start(), a.end(), a.reason());
            }
            return csv.toString();
        }

        /**
         * Today's care records: care leavers held by each personal adviser in post, and children in care, some of whom turn
         * 18 in the coming year.
         */
        void careRecords(Map<String, String> out) {
            Csv leavers = new Csv("child_id", "date_of_birth", "eligibility", "pa_staff_id", "pa_allocated_date", "in_touch",
                    "latest_contact_date", "pathway_plan_review_date");
            Csv inCare = new Csv("child_id", "date_of_birth", "period_start", "period_end", "latest_assessment_date");
            int ids = 0;
            List<Spell> advisers = spells.stream().filter(s -> s.role == StaffRole.PERSONAL_ADVISER && s.end == null).toList();
            for (Spell pa : advisers) {
                for (int i = 0, n = 15 + r.nextInt(8); i < n; i++) {
                    LocalDate born = today.minusYears(18 + r.nextInt(7)).minusDays(1 + r.nextInt(364));
                    LocalDate allocated = pa.start.plusDays(r.nextInt((int) Math.max(1, ChronoUnit.DAYS.between(pa.start, today))));
                    leavers.row(String.format("L%06d", ++ids), born, "former_relevant", pa.staffId, allocated, "yes",
                            today.minusDays(r.nextInt(60)), null);
                }
            }
            for (int i = 0, n = Math.max(10, advisers.size() * 6); i < n; i++) {
                // a third are 17 now and turn 18 within the year
                LocalDate born = i % 3 == 0 ? today.minusYears(17).minusDays(1 + r.nextInt(364))
                        : today.minusYears(1 + r.nextInt(16)).minusDays(1 + r.nextInt(364));
                LocalDate into = born.plusDays(r.nextInt((int) ChronoUnit.DAYS.between(born, today)));
                inCare.row(String.format("K%06d", ++ids), born, into, null, null);
            }
            out.put("children_in_care", inCare.toString());
            out.put("care_leavers", leavers.toString());
        }
    }

    /** CSV text with LF line ends; values here never need quoting. */
    private static final class Csv {
        private final StringBuilder sb = new StringBuilder();

        Csv(String... header) {
            row((Object[]) header);
        }

        void row(Object... cells) {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(cells[i] == null ? "" : cells[i].toString());
            }
            sb.append('\n');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    static String num(double v) {
        BigDecimal b = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        return (b.scale() < 1 ? b.setScale(1) : b).toPlainString();
    }
}
