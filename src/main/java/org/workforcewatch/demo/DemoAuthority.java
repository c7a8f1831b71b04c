package org.workforcewatch.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.*;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.workforcewatch.staffing.StaffRole;

/**
 * A deterministic, synthetic but realistic demo authority: CSV text for every native dataset of
 * docs/DATA-FORMATS.md, so a fresh instance can load it through the normal import API.
 *
 * <p>The generator simulates, in order: staff spells post by post (leavers, recruitment gaps,
 * internal moves, agency cover), sickness absence, then children's cases day by day over five
 * years (referral, assessment, safeguarding, care, care leaving) allocated to whoever is in post,
 * and finally supervision, training and the out-of-hours rota. The same asOf and seed always give
 * byte-identical output (java.util.Random per stage, no hash-ordered iteration).
 */
public final class DemoAuthority {

    /** Dataset names in dependency order (a dataset's references come earlier). */
    public static final List<String> DATASETS = List.of("teams", "staff", "establishment", "planned_starters", "allocations",
            "referrals", "children_in_care", "care_leavers", "supervision", "training", "absence", "agency_assignments",
            "shift_requirements", "shifts", "benchmarks");

    // ------------------------------------------------------------------ realism knobs
    static final int HISTORY_YEARS = 5;
    // Staff. Yearly hazard of an employed practitioner leaving (DfE turnover runs at 15-20 %); managers stay longer.
    static final double EMPLOYED_LEAVE_RATE = 0.17, MANAGER_LEAVE_RATE = 0.10;
    static final double AGENCY_MEAN_DAYS = 300;            // agency assignments: a month plus about ten months
    static final double RECRUIT_GAP_MEAN_DAYS = 55;        // plus two weeks, scaled by the team's recruitment difficulty
    static final double FIXED_TERM_SHARE = 0.08;
    static final double INTERNAL_MOVE_SHARE = 0.12;        // employed vacancies filled by a colleague from another team
    static final double ASYE_PROGRESSION = 0.6;            // social worker vacancies taken by an ASYE past the first year
    static final double AGENCY_SWITCH_SHARE = 0.10;        // agency engagements of someone who resigned weeks before
    static final double AGENCY_OVER_CAP_SHARE = 0.08;      // hourly rate above the £50 cap
    static final double AGENCY_LOW_PQE_SHARE = 0.05, AGENCY_BLANK_QUALIFIED_SHARE = 0.03;
    static final List<String> AGENCIES = List.of("Sanctuary", "Hays", "Reed", "Liquid Personnel", "Pertemps", "Randstad");
    // Demand and children's journeys.
    static final double REFERRALS_PER_WORKING_DAY = 10, REFERRALS_TO_DISABLED_TEAMS = 0.05, RE_REFERRAL_SHARE = 0.12;
    static final double TO_SAFEGUARDING = 0.30, TO_DISABLED = 0.03, TO_EDGE_OF_CARE = 0.03; // assessment outcomes; rest close
    static final double CP_SHARE = 0.35, CIN_MEAN_DAYS = 200, CP_MEAN_DAYS = 330;
    static final double CP_INTO_CARE = 0.25, CIN_INTO_CARE = 0.10, EDGE_INTO_CARE = 0.10;
    static final double TEENAGER_CARE_FACTOR = 1.6;        // teenagers dominate entries to care
    static final double CARE_MEAN_DAYS = 1150, ADOPTION_SHARE = 0.50; // adoption: share of under-4s entering care
    static final double PA_LATE_SHARE = 0.25;              // children in care whose PA comes after their 17th birthday
    static final double STAY_TO_25_SHARE = 0.35;           // care leavers supported to 25 rather than 21
    // Changes of worker besides leavers: managers' decisions, complaints, long sickness, a restructure.
    static final double WORKER_CHANGES_PER_CASE_YEAR = 0.03, ABSENCE_REALLOCATION_SHARE = 0.3, RESTRUCTURE_SHARE = 0.25;
    static final int REBALANCE_MOVES = 3;                  // monthly, per team, while top load > ratio x lowest load
    static final double REBALANCE_RATIO = 1.5;
    // Open cases when history starts, so the stock is near steady state from day one.
    static final int STOCK_ASSESSMENT = 280, STOCK_SAFEGUARDING = 560, STOCK_DISABLED = 210, STOCK_EDGE = 35,
            STOCK_CARE = 290, STOCK_ADOPTION = 30, STOCK_FOSTERING = 55, STOCK_CARE_LEAVERS = 200;
    static final double FOSTERING_CASES_PER_DAY = 0.28;
    // Absence, supervision, training, care records, rota.
    static final double SICKNESS_EPISODES_PER_YEAR = 2.2, OTHER_ABSENCE_SHARE = 0.15;
    static final double LAX_SUPERVISION_SHARE = 0.40;      // supervisors who slip past monthly
    static final double TRAINING_INCOMPLETE_SHARE = 0.06, CONTACT_OVERDUE_SHARE = 0.12, ASSESSMENT_OUT_OF_DATE_SHARE = 0.07;
    static final int OOH_PAST_DAYS = 90, OOH_FUTURE_DAYS = 35, OOH_GAPS_NEXT_28_DAYS = 3;

    /**
     * The authority: 20 teams in 5 services, with case weight (demand per post; above 1 = overloaded) and recruitment
     * difficulty. Posts: "[n*][~]role[+m|-m]": ~ a post covered by agency, +m funded from m months before asOf (growth),
     * -m cut m months before asOf.
     */
    static final List<TeamPlan> PLAN = List.of(
            plan("Assessment North", "Front Door", "assessment", 1.0, 1.0, "service_manager team_manager other senior_practitioner 4*social_worker ~social_worker asye family_support"),
            plan("Assessment South", "Front Door", "assessment", 1.1, 1.2, "team_manager senior_practitioner 4*social_worker ~social_worker asye family_support"),
            plan("Assessment East", "Front Door", "assessment", 0.9, 0.8, "team_manager senior_practitioner 4*social_worker ~social_worker asye family_support"),
            plan("Out of Hours", "Front Door", "out_of_hours", 1.0, 1.0, "team_manager senior_practitioner 6*social_worker ~social_worker"),
            plan("Safeguarding North", "Safeguarding", "safeguarding", 1.15, 1.0, "service_manager team_manager other senior_practitioner advanced_practitioner 3*social_worker 2*~social_worker asye family_support"),
            plan("Safeguarding South", "Safeguarding", "safeguarding", 1.0, 2.2, "team_manager senior_practitioner 3*social_worker 2*~social_worker social_worker+24 asye family_support"),
            plan("Safeguarding East", "Safeguarding", "safeguarding", 1.0, 1.0, "team_manager senior_practitioner advanced_practitioner 4*social_worker ~social_worker social_worker+10 asye family_support"),
            plan("Safeguarding West", "Safeguarding", "safeguarding", 1.5, 1.8, "team_manager ~senior_practitioner 3*social_worker 2*~social_worker asye family_support"),
            plan("Safeguarding Central", "Safeguarding", "safeguarding", 0.85, 0.7, "~team_manager senior_practitioner 5*social_worker asye family_support"),
            plan("Children in Care North", "Children in Care", "children_in_care", 1.0, 1.0, "service_manager team_manager other senior_practitioner 4*social_worker ~social_worker family_support"),
            plan("Children in Care South", "Children in Care", "children_in_care", 1.5, 1.3, "team_manager senior_practitioner 4*social_worker ~social_worker family_support"),
            plan("Children in Care East", "Children in Care", "children_in_care", 0.9, 0.8, "team_manager senior_practitioner 4*social_worker ~social_worker social_worker+36 family_support"),
            plan("Fostering", "Children in Care", "fostering", 1.0, 1.0, "team_manager senior_practitioner 3*social_worker ~social_worker"),
            plan("Adoption", "Children in Care", "adoption", 1.0, 0.7, "team_manager 2*social_worker"),
            plan("Care Leavers North", "Care Leavers", "care_leavers", 1.0, 1.0, "service_manager team_manager other 8*personal_adviser"),
            plan("Care Leavers South", "Care Leavers", "care_leavers", 1.25, 1.5, "team_manager 6*personal_adviser"),
            plan("Disabled Children North", "Disabled Children", "disabled_children", 1.0, 1.0, "service_manager team_manager other senior_practitioner 3*social_worker ~social_worker family_support"),
            plan("Disabled Children South", "Disabled Children", "disabled_children", 1.4, 1.0, "team_manager senior_practitioner 3*social_worker ~social_worker family_support"),
            plan("Edge of Care", "Safeguarding", "other", 1.0, 1.0, "team_manager advanced_practitioner-12 3*social_worker 3*family_support"),
            plan("Short Breaks", "Disabled Children", "disabled_children", 0.9, 1.0, "team_manager senior_practitioner+18 3*social_worker 2*family_support other"));

    static final Set<StaffRole> MANAGERS = EnumSet.of(StaffRole.TEAM_MANAGER, StaffRole.SERVICE_MANAGER);

    private final Map<String, String> files;

    private DemoAuthority(Map<String, String> files) { this.files = files; }

    /** asOf is the demo's "today"; history covers the five years before it. */
    public static DemoAuthority generate(LocalDate asOf, long seed) {
        return new DemoAuthority(new Generator(asOf, seed).run());
    }

    /** Dataset name to full CSV text (header and rows, LF line ends), in {@link #DATASETS} order. */
    public Map<String, String> files() {
        return new LinkedHashMap<>(files);
    }

    /** Writes {@code <dataset>.csv} for each dataset. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey() + ".csv"), e.getValue(), StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ model

    record TeamPlan(String name, String service, String type, String posts, double caseWeight, double recruitDifficulty) {}

    static TeamPlan plan(String name, String service, String type, double caseWeight, double recruitDifficulty, String posts) {
        return new TeamPlan(name, service, type, posts, caseWeight, recruitDifficulty);
    }

    record Team(String id, String name, String service, String type, double caseWeight, double recruitDifficulty) {}

    /** A funded post; openFrom (growth) or closeOn (cut) when it exists for only part of history. */
    static final class Slot {
        final Team team;
        final StaffRole role;
        final boolean agency;
        final LocalDate openFrom, closeOn;
        Spell current;

        Slot(Team team, StaffRole role, boolean agency, LocalDate openFrom, LocalDate closeOn) {
            this.team = team; this.role = role; this.agency = agency; this.openFrom = openFrom; this.closeOn = closeOn;
        }
    }

    static final class Person {
        final String id;
        LocalDate qualified;
        final List<Spell> spells = new ArrayList<>();

        Person(String id) { this.id = id; }

        Spell last() { return spells.get(spells.size() - 1); }
    }

    /** One employment spell (a staff row); during the case simulation it also carries the worker's open cases. */
    static final class Spell {
        Person person;
        Slot slot;
        String employment, reason, agencyName;
        double fte;
        LocalDate start, end;
        boolean caseHolding;
        Double rate;
        /** Appetite for cases relative to the team norm: a few carry noticeably more. */
        double capacity;
        final List<Case> cases = new ArrayList<>();

        StaffRole role() { return slot.role; }

        Team team() { return slot.team; }

        boolean employed() { return !employment.equals("agency"); }

        boolean inPost(LocalDate d) { return !d.isBefore(start) && (end == null || !d.isAfter(end)); }

        /** Holds allocations: case-holding practitioners, and personal advisers for care leavers. */
        boolean holdsCases() { return caseHolding || role() == StaffRole.PERSONAL_ADVISER; }
    }

    record Vacancy(LocalDate from, long seq, Slot slot, Spell leaver) {}

    /** An employed post whose next holder starts after asOf: an offer made or accepted. */
    record Planned(Slot slot, LocalDate start) {}

    record Absence(Spell spell, LocalDate start, LocalDate end, String reason, String daysLost, int weekdays) {}

    record Referral(int id, Child child, Team team, LocalDate date, LocalDate allocated) {}

    static final class Child {
        final String id;
        final LocalDate dob;
        CarePeriod care;
        Case paCase;

        Child(String id, LocalDate dob) { this.id = id; this.dob = dob; }

        int age(LocalDate d) { return Period.between(dob, d).getYears(); }
    }

    static final class CarePeriod {
        final Child child;
        final LocalDate start;
        LocalDate end;

        CarePeriod(Child child, LocalDate start) { this.child = child; this.start = start; }
    }

    /** A child's involvement with one team; its worker may change (one allocation row per worker). */
    static final class Case {
        final Child child;
        final Team team;
        final String type;
        Alloc alloc;
        boolean toAdoption;

        Case(Child child, Team team, String type) { this.child = child; this.team = team; this.type = type; }
    }

    static final class Alloc {
        final int id;
        final Child child;
        final Spell worker;
        final String type, reason;
        final LocalDate start;
        LocalDate end;

        Alloc(int id, Child child, Spell worker, String type, LocalDate start, String reason) {
            this.id = id; this.child = child; this.worker = worker; this.type = type; this.start = start; this.reason = reason;
        }
    }

    // ------------------------------------------------------------------ generator

    static final class Generator {
        private static final Pattern POST = Pattern.compile("(?:(\\d+)\\*)?(~)?([a-z_]+)(?:([+-])(\\d+))?");

        final LocalDate asOf;
        final LocalDate histStart;
        final long seed;
        final List<Team> teams = new ArrayList<>();
        final List<Slot> slots = new ArrayList<>();
        final List<Person> people = new ArrayList<>();
        final List<Spell> spells = new ArrayList<>();
        final List<Absence> absences = new ArrayList<>();
        final List<Planned> planned = new ArrayList<>();
        final List<Alloc> allocs = new ArrayList<>();
        final List<Referral> referrals = new ArrayList<>();
        final List<CarePeriod> carePeriods = new ArrayList<>();
        final List<Child> children = new ArrayList<>();
        final PriorityQueue<Vacancy> vacancies = new PriorityQueue<>(
                Comparator.comparing(Vacancy::from).thenComparingLong(Vacancy::seq));
        long vacancySeq;

        // case simulation state
        Random caseRng;
        final Map<Team, List<Spell>> holders = new LinkedHashMap<>();
        final Set<Case> openCases = new LinkedHashSet<>();
        final Map<LocalDate, List<Case>> endsOn = new HashMap<>();
        final Map<LocalDate, List<Runnable>> tasks = new HashMap<>();
        final List<Child> closedChildren = new ArrayList<>();

        Generator(LocalDate asOf, long seed) { this.asOf = asOf; this.histStart = asOf.minusYears(HISTORY_YEARS); this.seed = seed; }

        /** One independent random stream per stage, so tuning one dataset does not reshuffle the others. */
        Random rng(int stage) { return new Random(seed * 1_000_003L + stage); }

        Map<String, String> run() {
            buildTeams();
            simulateStaff(rng(1));
            simulateAbsence(rng(2));
            simulateCases(rng(3));
            Map<String, String> out = new LinkedHashMap<>();
            out.put("teams", teamsCsv());
            out.put("staff", staffCsv());
            out.put("establishment", establishmentCsv());
            out.put("planned_starters", plannedStartersCsv(rng(9)));
            out.put("allocations", allocationsCsv());
            out.put("referrals", referralsCsv());
            out.put("children_in_care", childrenInCareCsv(rng(4)));
            out.put("care_leavers", careLeaversCsv(rng(5)));
            out.put("supervision", supervisionCsv(rng(6)));
            out.put("training", trainingCsv(rng(7)));
            out.put("absence", absenceCsv());
            out.put("agency_assignments", DemoAgencyRegister.csv(agencySpells(), asOf, rng(10)));
            out.put("shift_requirements", shiftRequirementsCsv());
            out.put("shifts", shiftsCsv(rng(8)));
            out.put("benchmarks", benchmarksCsv());
            return out;
        }

        // ------------------------------------------------------------------ teams and posts

        void buildTeams() {
            for (int i = 0; i < PLAN.size(); i++) {
                TeamPlan p = PLAN.get(i);
                Team t = new Team(String.format("T%02d", i + 1), p.name(), p.service(), p.type(), p.caseWeight(), p.recruitDifficulty());
                teams.add(t);
                for (String token : p.posts().split(" ")) {
                    Matcher m = POST.matcher(token);
                    if (!m.matches()) throw new IllegalStateException("bad post " + token);
                    int n = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
                    LocalDate change = m.group(5) == null ? null : asOf.minusMonths(Integer.parseInt(m.group(5)));
                    boolean growth = "+".equals(m.group(4));
                    for (int k = 0; k < n; k++) {
                        StaffRole role = StaffRole.byId(m.group(3)).orElseThrow(() -> new IllegalStateException("bad role " + token));
                        slots.add(new Slot(t, role, m.group(2) != null, growth ? change : null, growth ? null : change));
                    }
                }
            }
        }

        String teamsCsv() {
            Csv csv = new Csv("team_id", "team_name", "service", "team_type", "parent_team_id");
            for (Team t : teams) csv.row(t.id(), t.name(), t.service(), t.type(), null);
            return csv.toString();
        }

        // ------------------------------------------------------------------ staff

        /** Post by post: each occupant leaves after a random tenure, the post stays vacant while recruiting, then refills. */
        void simulateStaff(Random r) {
            for (Slot s : slots) {
                if (s.openFrom != null) {
                    push(s.openFrom, s, null);
                    continue;
                }
                Person p = newPerson();
                String emp = employmentFor(s, r);
                // Initial occupants started before the history window: long tenures for employed staff.
                long back = s.agency ? between(r, 0, 200)
                        : s.role == StaffRole.ASYE ? between(r, 0, 300) : (long) Math.min(exp(r, 1500), 5500);
                LocalDate start = histStart.minusDays(back);
                p.qualified = qualifiedFor(s.role, emp, start, r);
                place(newSpell(s, p, start, emp, fteFor(s, emp, r), histStart, r));
            }
            while (!vacancies.isEmpty()) {
                Vacancy v = vacancies.poll();
                if (v.slot().current != v.leaver()) continue; // stale: the post was refilled differently
                if (v.leaver() != null && (v.leaver().end == null || !v.leaver().end.plusDays(1).equals(v.from()))) continue;
                refill(v.slot(), v.from(), r);
            }
        }

        void push(LocalDate from, Slot slot, Spell leaver) { vacancies.add(new Vacancy(from, vacancySeq++, slot, leaver)); }

        void place(Spell sp) {
            sp.slot.current = sp;
            if (sp.end != null) push(sp.end.plusDays(1), sp.slot, sp);
        }

        Person newPerson() {
            Person p = new Person(String.format("S%04d", people.size() + 1));
            people.add(p);
            return p;
        }

        void refill(Slot slot, LocalDate from, Random r) {
            if (slot.closeOn != null && !from.isBefore(slot.closeOn)) return;
            long gap = slot.agency ? between(r, 0, 21)
                    : Math.round(slot.team.recruitDifficulty() * (14 + exp(r, RECRUIT_GAP_MEAN_DAYS)));
            LocalDate f = from.plusDays(gap);
            if (slot.closeOn != null && !f.isBefore(slot.closeOn)) return;
            if (f.isAfter(asOf)) {
                // recruited already, starting within three months: an offer (planned_starters)
                if (!slot.agency && !f.isAfter(asOf.plusMonths(3))) planned.add(new Planned(slot, f));
                return;
            }
            Spell sp = slot.agency ? agencySwitch(slot, f, r) : internalMove(slot, f, r);
            if (sp == null) {
                Person p = newPerson();
                String emp = employmentFor(slot, r);
                p.qualified = qualifiedFor(slot.role, emp, f, r);
                sp = newSpell(slot, p, f, emp, fteFor(slot, emp, r), f, r);
            }
            place(sp);
        }

        /** An employed vacancy taken by a colleague: same role from another team, a promotion, or an ASYE stepping up. */
        Spell internalMove(Slot slot, LocalDate f, Random r) {
            if (MANAGERS.contains(slot.role) || slot.role == StaffRole.OTHER) return null;
            boolean asyeStep = slot.role == StaffRole.SOCIAL_WORKER && r.nextDouble() < ASYE_PROGRESSION;
            if (!asyeStep && r.nextDouble() >= INTERNAL_MOVE_SHARE) return null;
            List<Spell> candidates = new ArrayList<>();
            for (Slot o : slots) {
                Spell c = o.current;
                if (o == slot || c == null || !c.employed() || c.person.last() != c) continue;
                if (c.start.isAfter(f.minusDays(60)) || (c.end != null && c.end.isBefore(f))) continue;
                boolean fits = asyeStep
                        ? c.role() == StaffRole.ASYE && !c.start.isAfter(f.minusDays(365))
                        : (c.role() == slot.role && o.team != slot.team)
                          || (slot.role == StaffRole.SENIOR_PRACTITIONER && c.role() == StaffRole.SOCIAL_WORKER
                              && c.person.qualified != null && c.person.qualified.isBefore(f.minusYears(4)));
                if (fits) candidates.add(c);
            }
            if (candidates.isEmpty()) return null;
            Spell c = pick(r, candidates);
            c.end = f.minusDays(1);
            c.reason = "internal_move";
            push(f, c.slot, c);
            return newSpell(slot, c.person, f, c.employment, c.fte, f, r);
        }

        /** Someone who resigned an employed post a few weeks ago comes back through an agency (breaks the national rule). */
        Spell agencySwitch(Slot slot, LocalDate f, Random r) {
            if (!slot.role.cfsw() || r.nextDouble() >= AGENCY_SWITCH_SHARE) return null;
            List<Person> candidates = new ArrayList<>();
            for (Person p : people) {
                Spell last = p.last();
                if (last.employed() && "resigned".equals(last.reason) && last.role().cfsw() && !MANAGERS.contains(last.role())
                        && !last.end.isBefore(f.minusDays(70)) && !last.end.isAfter(f.minusDays(7))) {
                    candidates.add(p);
                }
            }
            if (candidates.isEmpty()) return null;
            return newSpell(slot, pick(r, candidates), f, "agency", 1.0, f, r);
        }

        Spell newSpell(Slot slot, Person p, LocalDate start, String emp, double fte, LocalDate clockFrom, Random r) {
            StaffRole role = slot.role;
            // case-holding roles hold cases, except out of hours; one advanced practitioner in five does not
            boolean caseHolding = !slot.team.type().equals("out_of_hours")
                    && role.caseHoldingRole() && (role != StaffRole.ADVANCED_PRACTITIONER || r.nextDouble() < 0.8);
            String agencyName = null;
            Double rate = null;
            if (emp.equals("agency")) {
                agencyName = pick(r, AGENCIES);
                double raw = r.nextDouble() < AGENCY_OVER_CAP_SHARE ? 50.5 + r.nextDouble() * 11.5 : 38 + r.nextDouble() * 12;
                rate = Math.round(raw * 2) / 2.0; // quoted to the half pound
            }
            double capacity = role == StaffRole.ASYE ? 0.85 : 0.9 + 0.4 * Math.pow(r.nextDouble(), 4);
            Spell sp = new Spell();
            sp.person = p; sp.slot = slot; sp.employment = emp; sp.fte = fte; sp.start = start; sp.caseHolding = caseHolding;
            sp.agencyName = agencyName; sp.rate = rate; sp.capacity = capacity;

            double meanDays = emp.equals("agency") ? AGENCY_MEAN_DAYS
                    : 365 / (MANAGERS.contains(role) ? MANAGER_LEAVE_RATE : EMPLOYED_LEAVE_RATE);
            LocalDate end = clockFrom.plusDays(30 + (long) exp(r, meanDays));
            String reason = null;
            if (emp.equals("fixed_term")) {
                LocalDate contractEnd = clockFrom.plusDays(between(r, 120, 720));
                if (contractEnd.isBefore(end)) {
                    end = contractEnd;
                    reason = "end_of_contract";
                }
            }
            if (slot.closeOn != null && !end.isBefore(slot.closeOn)) {
                end = slot.closeOn.minusDays(1); // the post is cut
                reason = sp.employed() && !emp.equals("fixed_term") ? "other" : "end_of_contract";
            }
            if (!end.isBefore(asOf)) {
                end = null;
                reason = null;
            } else if (reason == null) {
                reason = leavingReason(emp, r);
            }
            sp.end = end;
            sp.reason = reason;
            p.spells.add(sp);
            spells.add(sp);
            return sp;
        }

        static String employmentFor(Slot s, Random r) {
            return s.agency ? "agency" : r.nextDouble() < FIXED_TERM_SHARE ? "fixed_term" : "permanent";
        }

        static double fteFor(Slot s, String emp, Random r) {
            if (MANAGERS.contains(s.role)) return 1.0;
            if (emp.equals("agency")) return r.nextDouble() < 0.9 ? 1.0 : 0.8;
            if (s.role == StaffRole.PERSONAL_ADVISER) return Double.parseDouble(weighted(r, "1.0", 35, "0.8", 25, "0.6", 25, "0.5", 15));
            return Double.parseDouble(weighted(r, "1.0", 78, "0.8", 10, "0.6", 6, "0.5", 6));
        }

        /** Post-qualification experience on appointment, by seniority; agency workers occasionally newly qualified. */
        LocalDate qualifiedFor(StaffRole role, String emp, LocalDate start, Random r) {
            if (!role.cfsw()) return null;
            if (emp.equals("agency")) {
                if (r.nextDouble() < AGENCY_BLANK_QUALIFIED_SHARE) return null;
                if (r.nextDouble() < AGENCY_LOW_PQE_SHARE) return start.minusDays(between(r, 60, 500));
                return start.minusDays(between(r, 3 * 365 + 30, 15 * 365)); // agencies place experienced workers
            }
            int[] years = switch (role) {
                case ASYE -> new int[] {0, 0};
                case SOCIAL_WORKER -> new int[] {1, 8};
                case SENIOR_PRACTITIONER -> new int[] {3, 12};
                case ADVANCED_PRACTITIONER -> new int[] {6, 18};
                case TEAM_MANAGER -> new int[] {6, 20};
                default -> new int[] {10, 25};
            };
            return start.minusDays(role == StaffRole.ASYE ? between(r, 0, 90) : between(r, years[0] * 365, years[1] * 365));
        }

        static String leavingReason(String emp, Random r) {
            return switch (emp) {
                case "agency" -> weighted(r, "end_of_contract", 80, "resigned", 15, "other", 5);
                case "fixed_term" -> weighted(r, "end_of_contract", 75, "resigned", 25);
                default -> weighted(r, "resigned", 72, "retired", 12, "dismissed", 5, "other", 11);
            };
        }

        List<DemoAgencyRegister.AgencySpell> agencySpells() {
            List<DemoAgencyRegister.AgencySpell> spells = new ArrayList<>();
            for (Person p : people) {
                for (Spell s : p.spells) {
                    if (!s.employed()) {
                        spells.add(new DemoAgencyRegister.AgencySpell(p.id, s.role(), s.start, s.end, s.agencyName, s.rate));
                    }
                }
            }
            return spells;
        }

        String staffCsv() {
            Csv csv = new Csv("staff_id", "team_id", "role", "employment", "fte", "start_date", "end_date", "leaving_reason",
                    "case_holding", "qualified_date", "agency_name", "agency_hourly_rate");
            for (Person p : people) {
                for (Spell s : p.spells) {
                    csv.row(p.id, s.team().id(), s.role().id(), s.employment, num(s.fte), s.start, s.end, s.reason, s.caseHolding,
                            p.qualified, s.agencyName, s.rate == null ? null : String.format(Locale.ROOT, "%.2f", s.rate));
                }
            }
            return csv.toString();
        }

        /** Funded FTE per (team, role): one per post open at the start of history, then growth and cuts. */
        String establishmentCsv() {
            Csv csv = new Csv("team_id", "role", "funded_fte", "effective_from");
            for (Team t : teams) {
                Map<String, TreeMap<LocalDate, Integer>> changes = new TreeMap<>();
                for (Slot s : slots) {
                    if (s.team != t || !(s.role.cfsw() || s.role == StaffRole.PERSONAL_ADVISER)) continue;
                    // keyed by the role's id: the rows come in the order of the ids
                    TreeMap<LocalDate, Integer> c = changes.computeIfAbsent(s.role.id(), k -> new TreeMap<>());
                    c.merge(histStart, s.openFrom == null ? 1 : 0, Integer::sum);
                    if (s.openFrom != null) c.merge(s.openFrom, 1, Integer::sum);
                    if (s.closeOn != null) c.merge(s.closeOn, -1, Integer::sum);
                }
                for (Map.Entry<String, TreeMap<LocalDate, Integer>> e : changes.entrySet()) {
                    int funded = 0;
                    for (Map.Entry<LocalDate, Integer> c : e.getValue().entrySet()) {
                        funded += c.getValue();
                        csv.row(t.id(), e.getKey(), num(funded), c.getKey());
                    }
                }
            }
            return csv.toString();
        }

        /** Offers and accepted offers for posts whose next holder starts in the next three months. */
        String plannedStartersCsv(Random r) {
            Csv csv = new Csv("planned_id", "team_id", "role", "employment", "fte", "start_date", "status", "notes");
            int n = 0;
            for (Planned p : planned) {
                String emp = employmentFor(p.slot(), r);
                double fte = fteFor(p.slot(), emp, r);
                boolean accepted = !p.start().isAfter(asOf.plusDays(42)) || r.nextDouble() < 0.5;
                csv.row(String.format("P%03d", ++n), p.slot().team.id(), p.slot().role.id(), emp, num(fte), p.start(),
                        accepted ? "accepted" : "offer", accepted ? "references and checks complete" : "");
            }
            return csv.toString();
        }

        // ------------------------------------------------------------------ absence

        /** Sickness (and some other leave) on employed spells: mostly short episodes, a few long ones. */
        void simulateAbsence(Random r) {
            for (Person p : people) {
                for (Spell s : p.spells) {
                    if (!s.employed()) continue;
                    LocalDate from = s.start.isBefore(histStart) ? histStart : s.start;
                    LocalDate until = s.end == null ? asOf : s.end;
                    LocalDate d = from.plusDays((long) exp(r, 365 / SICKNESS_EPISODES_PER_YEAR));
                    while (!d.isAfter(until)) {
                        LocalDate start = nextWeekday(d);
                        int days = Integer.parseInt(weighted(r, "1", 30, "2", 22, "3", 18, "5", 12, "8", 10, "20", 5, "45", 3));
                        days = Math.max(1, days + between(r, -1, 1) * (days / 4));
                        LocalDate end = addWorkingDays(start, days - 1);
                        LocalDate limit = s.end == null ? asOf.plusDays(14) : s.end;
                        if (start.isAfter(until) || start.isAfter(asOf)) break;
                        if (end.isAfter(limit)) end = limit;
                        int weekdays = weekdaysBetween(start, end);
                        if (weekdays == 0) break;
                        String reason = r.nextDouble() < OTHER_ABSENCE_SHARE ? "other" : "sickness";
                        String lost = null;
                        if (r.nextBoolean()) {
                            double v = weekdays * s.fte;
                            if (weekdays == 1 && r.nextDouble() < 0.2) v = 0.5 * s.fte; // half day
                            lost = num(v);
                        }
                        absences.add(new Absence(s, start, end, reason, lost, weekdays));
                        d = end.plusDays(2 + (long) exp(r, 365 / SICKNESS_EPISODES_PER_YEAR));
                    }
                }
            }
        }

        String absenceCsv() {
            Csv csv = new Csv("staff_id", "start_date", "end_date", "reason", "working_days_lost");
            for (Absence a : absences) csv.row(a.spell().person.id, a.start(), a.end(), a.reason(), a.daysLost());
            return csv.toString();
        }

        // ------------------------------------------------------------------ children's cases

        /** Day by day: leavers hand over cases, long absences and managers move some, referrals arrive, cases end and flow on. */
        void simulateCases(Random r) {
            caseRng = r;
            for (Team t : teams) holders.put(t, new ArrayList<>());
            Map<LocalDate, List<Spell>> leaversFrom = new HashMap<>();
            for (Spell s : spells) {
                if (s.holdsCases()) holders.get(s.team()).add(s);
                if (s.end != null) leaversFrom.computeIfAbsent(s.end.plusDays(1), k -> new ArrayList<>()).add(s);
            }
            Map<LocalDate, List<Absence>> longAbsences = new HashMap<>();
            for (Absence a : absences) {
                if (a.weekdays() >= 10 && a.reason().equals("sickness") && a.spell().holdsCases()) {
                    longAbsences.computeIfAbsent(a.start(), k -> new ArrayList<>()).add(a);
                }
            }
            seedStock(r);
            LocalDate restructure = asOf.minusMonths(30);
            Set<LocalDate> stuck = Set.of(addWorkingDays(asOf, -9), addWorkingDays(asOf, -7)); // a couple still waiting
            double changePerDay = WORKER_CHANGES_PER_CASE_YEAR / 365;
            for (LocalDate d = histStart; !d.isAfter(asOf); d = d.plusDays(1)) {
                for (Spell s : leaversFrom.getOrDefault(d, List.of())) {
                    for (Case k : new ArrayList<>(s.cases)) reassign(k, d, "LEFTRL", null);
                }
                for (Absence a : longAbsences.getOrDefault(d, List.of())) {
                    for (Case k : new ArrayList<>(a.spell().cases)) {
                        if (r.nextDouble() < ABSENCE_REALLOCATION_SHARE) reassign(k, d, "ABSENC", a.spell());
                    }
                }
                if (d.getDayOfMonth() == 1) rebalance(d);
                boolean restructuring = d.equals(restructure);
                for (Case k : openCases) {
                    if (restructuring && k.team.service().equals("Safeguarding") && r.nextDouble() < RESTRUCTURE_SHARE) {
                        reassign(k, d, "ORGRST", null);
                    } else if (r.nextDouble() < changePerDay) {
                        reassign(k, d, weighted(r, "MANAGE", 40, "CHCHAN", 12, "PCCHAN", 10, "FCONTA", 10, "OTHERS", 15), null);
                    }
                }
                if (isWeekday(d)) receiveReferrals(d, stuck.contains(d), r);
                List<Runnable> today = tasks.getOrDefault(d, List.of());
                for (int i = 0; i < today.size(); i++) today.get(i).run(); // tasks may add tasks for today
                if (r.nextDouble() < FOSTERING_CASES_PER_DAY) {
                    openIn(teamOfType("fostering"), newChild(d, r), "other", d, null, d.plusDays(30 + (long) exp(r, 170)), null);
                }
                for (Case k : endsOn.getOrDefault(d, List.of())) {
                    if (openCases.contains(k)) close(k, d, r);
                }
            }
        }

        /** Monthly: a manager moves a few cases from the most to the least loaded worker in each team. */
        void rebalance(LocalDate d) {
            for (Team t : teams) {
                List<Spell> pool = inPost(List.of(t), d, null);
                if (pool.size() < 2) continue;
                for (int move = 0; move < REBALANCE_MOVES; move++) {
                    pool.sort(Comparator.comparingDouble(s -> s.cases.size() / s.fte));
                    Spell low = pool.get(0), high = pool.get(pool.size() - 1);
                    if (high.cases.size() / high.fte < REBALANCE_RATIO * (low.cases.size() + 1) / low.fte) break;
                    Case k = high.cases.stream().filter(c -> c.alloc.start.isBefore(d)).findFirst().orElse(null);
                    if (k == null) break;
                    k.alloc.end = d.minusDays(1);
                    high.cases.remove(k);
                    allocate(k, low, d, "MANAGE");
                }
            }
        }

        /** n open cases of a team type at the start of history: started up to maxAgo days before, ending after ~meanDays. */
        void seed(int n, String teamType, String caseType, int maxAgo, double meanDays, Random r) {
            for (int i = 0; i < n; i++) {
                boolean cin = caseType.equals("cp") && r.nextDouble() >= CP_SHARE;
                openIn(teamOfType(teamType), newChild(histStart, r), cin ? "cin" : caseType, histStart, histStart.minusDays(between(r, 0, maxAgo)),
                        histStart.plusDays(1 + (long) exp(r, cin ? CIN_MEAN_DAYS : meanDays)), null);
            }
        }

        /** Cases already open when history starts, with plausible start dates and remaining durations. */
        void seedStock(Random r) {
            seed(STOCK_ASSESSMENT, "assessment", "assessment", 30, 25, r);
            seed(STOCK_SAFEGUARDING, "safeguarding", "cp", 300, CP_MEAN_DAYS, r); // the cp/cin mix is drawn in seed
            seed(STOCK_DISABLED, "disabled_children", "cin", 700, 360, r);
            seed(STOCK_EDGE, "other", "early_help", 120, 120, r);
            seed(STOCK_FOSTERING, "fostering", "other", 150, 170, r);
            for (int i = 0; i < STOCK_CARE; i++) {
                // Children in care skew to teenagers (about a quarter are 16-17).
                int age = Integer.parseInt(weighted(r, "0", 5, "2", 15, "7", 20, "12", 38, "16", 22));
                int span = age == 0 ? 2 : age == 2 ? 3 : age == 7 ? 5 : age == 12 ? 4 : 2;
                Child c = addChild(histStart.minusYears(age).minusDays(between(r, 1, span * 365 - 1)));
                long inCare = Math.min(ChronoUnit.DAYS.between(c.dob, histStart), between(r, 30, 5 * 365));
                enterCare(c, histStart, histStart.minusDays(inCare), null, r);
            }
            for (int i = 0; i < STOCK_ADOPTION; i++) {
                Child c = addChild(histStart.minusDays(between(r, 200, 4 * 365)));
                CarePeriod p = new CarePeriod(c, histStart.minusDays(between(r, 100, (int) ChronoUnit.DAYS.between(c.dob, histStart))));
                carePeriods.add(p);
                c.care = p;
                openIn(teamOfType("adoption"), c, "cla", histStart, p.start, histStart.plusDays(between(r, 20, 400)), null);
            }
            for (int i = 0; i < STOCK_CARE_LEAVERS; i++) {
                // Former relevant young people, who left care at 18 before history began.
                boolean older = r.nextDouble() < 0.2;
                Child c = addChild(histStart.minusYears(older ? 21 : 18).minusDays(between(r, 1, 3 * 365)));
                LocalDate eighteen = c.dob.plusYears(18);
                CarePeriod p = new CarePeriod(c, eighteen.minusDays(between(r, 300, 3000)));
                p.end = eighteen.minusDays(1);
                carePeriods.add(p);
                c.care = p;
                LocalDate end = c.dob.plusYears(older || r.nextDouble() < STAY_TO_25_SHARE ? 25 : 21).minusDays(between(r, 0, 60));
                if (!end.isAfter(histStart)) end = histStart.plusDays(between(r, 10, 200));
                c.paCase = openIn(teamOfType("care_leavers"), c, "care_leaver", histStart, eighteen.minusDays(between(r, 0, 400)), end, null);
            }
        }

        void receiveReferrals(LocalDate d, boolean addStuck, Random r) {
            int n = poisson(r, REFERRALS_PER_WORKING_DAY) + (addStuck ? 1 : 0);
            for (int i = 0; i < n; i++) {
                boolean disabled = r.nextDouble() < REFERRALS_TO_DISABLED_TEAMS;
                Team team = teamOfType(disabled ? "disabled_children" : "assessment");
                Child c;
                if (!closedChildren.isEmpty() && r.nextDouble() < RE_REFERRAL_SHARE) {
                    int j = r.nextInt(closedChildren.size());
                    c = closedChildren.get(j);
                    closedChildren.set(j, closedChildren.get(closedChildren.size() - 1));
                    closedChildren.remove(closedChildren.size() - 1);
                } else {
                    c = newChild(d, r);
                }
                int wait = addStuck && i == n - 1 ? 60
                        : Integer.parseInt(weighted(r, "0", 60, "1", 20, "2", 10, "3", 5, "4", 3, "5", 1, "8", 1));
                LocalDate allocated = addWorkingDays(d, wait);
                boolean done = !allocated.isAfter(asOf);
                referrals.add(new Referral(referrals.size() + 1, c, team, d, done ? allocated : null));
                if (done) {
                    LocalDate end = disabled ? allocated.plusDays(60 + (long) exp(r, 300)) : allocated.plusDays(between(r, 20, 70));
                    schedule(allocated, () -> openIn(team, c, disabled ? "cin" : "assessment", allocated, null, end, null));
                }
            }
        }

        /** A case ends on d; the child may move on to another team from the next day. */
        void close(Case k, LocalDate d, Random r) {
            k.alloc.end = d;
            k.alloc.worker.cases.remove(k);
            openCases.remove(k);
            Child c = k.child;
            LocalDate next = d.plusDays(1);
            boolean continues = false;
            switch (k.team.type()) {
                case "assessment" -> {
                    double x = r.nextDouble();
                    continues = x < TO_SAFEGUARDING + TO_DISABLED + TO_EDGE_OF_CARE;
                    if (x < TO_SAFEGUARDING) {
                        boolean cp = r.nextDouble() < CP_SHARE;
                        LocalDate end = next.plusDays((cp ? 60 : 30) + (long) exp(r, cp ? CP_MEAN_DAYS : CIN_MEAN_DAYS));
                        schedule(next, () -> openIn(teamOfType("safeguarding"), c, cp ? "cp" : "cin", next, null, end, "TSPROC"));
                    } else if (x < TO_SAFEGUARDING + TO_DISABLED) {
                        LocalDate end = next.plusDays(60 + (long) exp(r, 300));
                        schedule(next, () -> openIn(teamOfType("disabled_children"), c, "cin", next, null, end, "TSPROC"));
                    } else if (continues) {
                        LocalDate end = next.plusDays(30 + (long) exp(r, 120));
                        schedule(next, () -> openIn(teamOfType("other"), c, "early_help", next, null, end, "TSPROC"));
                    }
                }
                case "safeguarding", "other" -> {
                    double p = k.type.equals("cp") ? CP_INTO_CARE : k.type.equals("cin") ? CIN_INTO_CARE : EDGE_INTO_CARE;
                    if (c.age(next) >= 11) p *= TEENAGER_CARE_FACTOR; // teenagers dominate entries to care
                    if (c.age(next) < 18 && r.nextDouble() < p) {
                        continues = true;
                        schedule(next, () -> enterCare(c, next, next, "TSPROC", caseRng));
                    }
                }
                case "children_in_care", "adoption" -> {
                    if (k.toAdoption) {
                        continues = true;
                        LocalDate end = next.plusDays(between(r, 200, 550));
                        schedule(next, () -> openIn(teamOfType("adoption"), c, "cla", next, null, end, "TSPROC"));
                    } else {
                        c.care.end = d;
                        if (!next.isBefore(c.dob.plusYears(18)) && (c.paCase == null || !openCases.contains(c.paCase))) {
                            schedule(next, () -> startPa(c, next, caseRng)); // no PA before 18: allocate on leaving care
                        }
                    }
                }
                default -> { }
            }
            boolean stillOpen = (c.care != null && c.care.end == null) || (c.paCase != null && openCases.contains(c.paCase));
            if (!continues && !stillOpen && c.age(d) < 17) closedChildren.add(c);
        }

        /** A care episode starts: children's social worker, maybe an adoption plan, and a PA from about 16. */
        void enterCare(Child c, LocalDate d, LocalDate periodStart, String reason, Random r) {
            CarePeriod p = new CarePeriod(c, periodStart);
            carePeriods.add(p);
            c.care = p;
            LocalDate lastDay = c.dob.plusYears(18).minusDays(1);
            LocalDate end = d.plusDays(30 + (long) exp(r, CARE_MEAN_DAYS));
            if (end.isAfter(lastDay)) end = lastDay.isAfter(d) ? lastDay : d.plusDays(1);
            boolean adoption = c.age(periodStart) < 4 && r.nextDouble() < ADOPTION_SHARE;
            if (adoption) end = d.plusDays(between(r, 150, 400));
            Case k = openIn(teamOfType("children_in_care"), c, "cla", d, periodStart, end, reason);
            k.toAdoption = adoption;
            if (adoption) return;
            int lag = r.nextDouble() < PA_LATE_SHARE ? between(r, 380, 640) : between(r, 0, 330);
            LocalDate paDue = c.dob.plusYears(16).plusDays(lag);
            if (paDue.isBefore(d)) paDue = d.equals(histStart) ? d : d.plusDays(between(r, 7, 60));
            LocalDate due = paDue;
            if (!due.isAfter(end)) {
                schedule(due, () -> {
                    if (c.care == p && p.end == null && (c.paCase == null || !openCases.contains(c.paCase))) startPa(c, due, caseRng);
                });
            }
        }

        void startPa(Child c, LocalDate d, Random r) {
            LocalDate end = c.dob.plusYears(r.nextDouble() < STAY_TO_25_SHARE ? 25 : 21).minusDays(between(r, 0, 60));
            if (end.isAfter(d)) c.paCase = openIn(teamOfType("care_leavers"), c, "care_leaver", d, null, end, null);
        }

        Case openIn(Team team, Child c, String type, LocalDate d, LocalDate since, LocalDate plannedEnd, String reason) {
            Case k = new Case(c, team, type);
            Spell w = pickWorker(team, d, null);
            LocalDate start = since == null || since.isBefore(w.start) ? (since == null ? d : w.start) : since;
            allocate(k, w, start, reason);
            openCases.add(k);
            endsOn.computeIfAbsent(plannedEnd, x -> new ArrayList<>()).add(k);
            return k;
        }

        /** The current worker's allocation ends yesterday; someone else in the team holds the case from d. */
        void reassign(Case k, LocalDate d, String reason, Spell avoid) {
            Alloc old = k.alloc;
            if (!old.start.isBefore(d)) return; // changed today already
            old.end = d.minusDays(1);
            old.worker.cases.remove(k);
            Spell w = pickWorker(k.team, d, avoid == null ? old.worker : avoid);
            allocate(k, w, d, reason);
        }

        void allocate(Case k, Spell w, LocalDate start, String reason) {
            Alloc a = new Alloc(allocs.size() + 1, k.child, w, k.type, start, reason);
            allocs.add(a);
            k.alloc = a;
            w.cases.add(k);
        }

        /** Least loaded (relative to fte and appetite) worker in post; else a team of the same type, service, anyone. */
        Spell pickWorker(Team team, LocalDate d, Spell avoid) {
            List<Spell> pool = inPost(List.of(team), d, avoid);
            if (pool.isEmpty()) pool = inPost(teams.stream().filter(t -> t.type().equals(team.type())).toList(), d, avoid);
            if (pool.isEmpty()) pool = inPost(teams.stream().filter(t -> t.service().equals(team.service())).toList(), d, avoid);
            if (pool.isEmpty()) pool = inPost(teams, d, avoid);
            Spell best = null;
            double bestScore = Double.MAX_VALUE;
            for (Spell s : pool) {
                double score = (s.cases.size() + 1) / (s.fte * s.capacity) * (0.9 + 0.2 * caseRng.nextDouble());
                if (score < bestScore) {
                    bestScore = score;
                    best = s;
                }
            }
            if (best == null) throw new IllegalStateException("nobody in post on " + d);
            return best;
        }

        List<Spell> inPost(List<Team> ts, LocalDate d, Spell avoid) {
            List<Spell> out = new ArrayList<>();
            for (Team t : ts) {
                for (Spell s : holders.get(t)) if (s != avoid && s.inPost(d)) out.add(s);
            }
            return out;
        }

        /** Demand goes to teams of a type in proportion to their case-holding posts times their case weight. */
        Team teamOfType(String type) {
            double total = 0;
            List<Team> ts = new ArrayList<>();
            List<Double> ws = new ArrayList<>();
            for (Team t : teams) {
                if (!t.type().equals(type)) continue;
                long posts = slots.stream().filter(s -> s.team == t && (s.role.caseHoldingRole() || s.role == StaffRole.PERSONAL_ADVISER))
                        .count();
                ts.add(t);
                ws.add(posts * t.caseWeight());
                total += posts * t.caseWeight();
            }
            double x = caseRng.nextDouble() * total;
            for (int i = 0; i < ts.size(); i++) {
                x -= ws.get(i);
                if (x < 0) return ts.get(i);
            }
            return ts.get(ts.size() - 1);
        }

        Child newChild(LocalDate d, Random r) {
            // Age at referral: DfE children-in-need profile.
            int age = Integer.parseInt(weighted(r, "0", 12, "1", 20, "5", 25, "10", 33, "16", 10));
            int span = age == 0 ? 1 : age == 1 ? 4 : age == 5 ? 5 : age == 10 ? 6 : 2;
            return addChild(d.minusYears(age).minusDays(between(r, 0, span * 365 - 1)));
        }

        Child addChild(LocalDate dob) {
            Child c = new Child(String.format("C%05d", children.size() + 1), dob);
            children.add(c);
            return c;
        }

        void schedule(LocalDate d, Runnable task) { if (!d.isAfter(asOf)) tasks.computeIfAbsent(d, k -> new ArrayList<>()).add(task); }

        String allocationsCsv() {
            Csv csv = new Csv("allocation_id", "child_id", "staff_id", "case_type", "start_date", "end_date", "change_reason");
            for (Alloc a : allocs) {
                csv.row(String.format("A%06d", a.id), a.child.id, a.worker.person.id, a.type, a.start, a.end, a.reason);
            }
            return csv.toString();
        }

        String referralsCsv() {
            Csv csv = new Csv("referral_id", "child_id", "team_id", "referral_date", "allocated_date");
            for (Referral f : referrals) csv.row(String.format("R%06d", f.id()), f.child().id, f.team().id(), f.date(), f.allocated());
            return csv.toString();
        }

        /** One row per care episode; latest assessment mostly within the year, a few out of date or missing. */
        String childrenInCareCsv(Random r) {
            Csv csv = new Csv("child_id", "date_of_birth", "period_start", "period_end", "latest_assessment_date");
            List<CarePeriod> sorted = new ArrayList<>(carePeriods);
            sorted.sort(Comparator.comparing((CarePeriod p) -> p.child.id).thenComparing(p -> p.start));
            for (CarePeriod p : sorted) {
                LocalDate upTo = p.end == null ? asOf : p.end;
                long days = ChronoUnit.DAYS.between(p.start, upTo);
                LocalDate assessed;
                double x = r.nextDouble();
                if (x < ASSESSMENT_OUT_OF_DATE_SHARE / 2 || days < 20) {
                    assessed = null;
                } else if (x < ASSESSMENT_OUT_OF_DATE_SHARE && days > 400) {
                    assessed = upTo.minusDays(between(r, 370, (int) Math.min(days, 700)));
                } else {
                    assessed = upTo.minusDays(between(r, 0, (int) Math.min(days, 330)));
                }
                csv.row(p.child.id, p.child.dob, p.start, p.end, assessed);
            }
            return csv.toString();
        }

        /** Current extract: young people with a PA, 16-17s in care awaiting one, and a few qualifying / none. */
        String careLeaversCsv(Random r) {
            Csv csv = new Csv("child_id", "date_of_birth", "eligibility", "pa_staff_id", "pa_allocated_date", "in_touch",
                    "latest_contact_date", "pathway_plan_review_date");
            TreeMap<String, Object[]> rows = new TreeMap<>();
            boolean diedDone = false;
            for (Case k : openCases) {
                if (!k.type.equals("care_leaver")) continue;
                Child c = k.child;
                boolean inCare = c.care != null && c.care.end == null;
                String eligibility = inCare ? "eligible" : c.age(asOf) < 18 ? "relevant" : "former_relevant";
                Spell pa = k.alloc.worker;
                boolean isPa = pa.role() == StaffRole.PERSONAL_ADVISER;
                String inTouch = inCare ? "yes" : weighted(r, "yes", 86, "no", 5, "refused", 3, "not_required", 3, "returned_home", 3);
                if (!diedDone && eligibility.equals("former_relevant") && c.age(asOf) >= 20) {
                    inTouch = "died";
                    diedDone = true;
                }
                LocalDate contact = switch (inTouch) {
                    case "yes" -> r.nextDouble() < CONTACT_OVERDUE_SHARE ? asOf.minusDays(between(r, 57, 150)) : asOf.minusDays(between(r, 0, 56));
                    case "no", "refused", "died" -> asOf.minusDays(between(r, 60, 220));
                    default -> asOf.minusDays(between(r, 5, 120));
                };
                if (r.nextDouble() < 0.01) contact = null;
                LocalDate review = r.nextDouble() < 0.05 ? null : max(asOf.minusDays(between(r, 0, 200)), c.dob.plusYears(16));
                rows.put(c.id, new Object[] {c.id, c.dob, eligibility, isPa ? pa.person.id : null, isPa ? k.alloc.start : null,
                        inTouch, contact, review});
            }
            for (CarePeriod p : carePeriods) {
                Child c = p.child;
                if (p.end == null && c.age(asOf) >= 16 && !rows.containsKey(c.id) && r.nextBoolean()) {
                    rows.put(c.id, new Object[] {c.id, c.dob, "eligible", null, null, "yes", asOf.minusDays(between(r, 0, 40)), null});
                }
            }
            for (int i = 0; i < 14; i++) {
                Child c = addChild(asOf.minusYears(between(r, 16, 21)).minusDays(between(r, 1, 364)));
                String eligibility = i < 10 ? "qualifying" : "none";
                rows.put(c.id, new Object[] {c.id, c.dob, eligibility, null, null, weighted(r, "yes", 6, "no", 2, "not_required", 2),
                        asOf.minusDays(between(r, 10, 200)), null});
            }
            for (Object[] row : rows.values()) csv.row(row);
            return csv.toString();
        }

        // ------------------------------------------------------------------ supervision and training

        /** Weekly for six weeks of tenure, fortnightly to six months, then about monthly; some supervisors slip. */
        String supervisionCsv(Random r) {
            Csv csv = new Csv("staff_id", "supervision_date", "kind");
            for (Person p : people) {
                boolean lax = r.nextDouble() < LAX_SUPERVISION_SHARE;
                for (List<Spell> run : runs(p)) {
                    LocalDate tenureStart = run.get(0).start;
                    Spell lastSpell = run.get(run.size() - 1);
                    LocalDate runEnd = lastSpell.end == null ? asOf : lastSpell.end;
                    LocalDate t = max(tenureStart.plusDays(between(r, 2, 6)), histStart.plusDays(between(r, 0, 25)));
                    while (true) {
                        LocalDate day = nextWeekday(t);
                        if (day.isAfter(runEnd)) break;
                        Spell s = run.stream().filter(x -> x.inPost(day)).findFirst().orElse(null);
                        if (s != null && s.holdsCases()) csv.row(p.id, day, weighted(r, "formal", 75, "reflective", 15, "group", 10));
                        long tenure = ChronoUnit.DAYS.between(tenureStart, day);
                        int interval;
                        if (tenure < 42) interval = between(r, 6, 7);
                        else if (day.isBefore(tenureStart.plusMonths(6))) interval = between(r, 12, 14) + (lax ? between(r, 0, 6) : 0);
                        else interval = lax ? between(r, 30, 65) : between(r, 21, 35);
                        t = day.plusDays(interval);
                    }
                }
            }
            return csv.toString();
        }

        /** Unbroken runs of spells (each starting the day after the previous ended): tenure counts from a run's start. */
        static List<List<Spell>> runs(Person p) {
            List<List<Spell>> runs = new ArrayList<>();
            for (Spell s : p.spells) {
                List<Spell> cur = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                Spell prev = cur == null ? null : cur.get(cur.size() - 1);
                if (prev != null && prev.end != null && prev.end.plusDays(1).equals(s.start)) cur.add(s);
                else runs.add(new ArrayList<>(List.of(s)));
            }
            return runs;
        }

        /** Induction and the practice model due 90 days after joining; most done in time, some never. */
        String trainingCsv(Random r) {
            Csv csv = new Csv("staff_id", "course", "due_date", "completed_date");
            List<String> extras = List.of("safeguarding_refresher", "court_skills", "data_protection", "life_story_work",
                    "motivational_interviewing", "domestic_abuse_awareness");
            for (Person p : people) {
                Spell first = p.spells.get(0);
                LocalDate due = first.start.plusDays(90);
                for (String course : List.of("induction", "practice_model")) {
                    LocalDate done = first.start.plusDays(course.equals("induction") ? between(r, 5, 100) : between(r, 20, 140));
                    if (r.nextDouble() < TRAINING_INCOMPLETE_SHARE || done.isAfter(asOf)) done = null;
                    csv.row(p.id, course, due, done);
                }
                List<String> more = new ArrayList<>();
                if (first.role() == StaffRole.ASYE) more.add("asye_programme");
                if (MANAGERS.contains(first.role())) more.add("supervision_skills");
                List<String> pool = new ArrayList<>(extras);
                Collections.shuffle(pool, r);
                more.addAll(pool.subList(0, between(r, 0, 3)));
                Spell last = p.last();
                LocalDate lastDay = last.end == null ? asOf : last.end;
                for (String course : more) {
                    long span = ChronoUnit.DAYS.between(first.start, lastDay);
                    LocalDate d = first.start.plusDays(30 + (span > 60 ? r.nextInt((int) span - 30) : 0));
                    LocalDate done = r.nextDouble() < 0.85 ? d.minusDays(between(r, 0, 40)) : null;
                    if (done != null && (done.isAfter(asOf) || done.isBefore(first.start))) done = null;
                    csv.row(p.id, course, d, done);
                }
            }
            return csv.toString();
        }

        // ------------------------------------------------------------------ out-of-hours rota

        static final Map<String, Integer> SHIFTS = new LinkedHashMap<>();

        static {
            SHIFTS.put("ooh_evening", 2);
            SHIFTS.put("ooh_night", 2);
            SHIFTS.put("weekend_day", 1);
        }

        Team oohTeam() { return teams.stream().filter(t -> t.type().equals("out_of_hours")).findFirst().orElseThrow(); }

        String shiftRequirementsCsv() {
            Csv csv = new Csv("team_id", "shift", "required_staff");
            for (Map.Entry<String, Integer> e : SHIFTS.entrySet()) csv.row(oohTeam().id(), e.getKey(), e.getValue());
            return csv.toString();
        }

        /** Every requirement every day, filled fairly from staff in post; a few gaps ahead and the far end unfinished. */
        String shiftsCsv(Random r) {
            Team t = oohTeam();
            Csv csv = new Csv("shift_date", "team_id", "shift", "staff_id");
            List<Spell> team = spells.stream().filter(s -> s.team() == t && !MANAGERS.contains(s.role())).toList();
            Map<Person, Integer> worked = new LinkedHashMap<>();
            Set<String> gaps = new LinkedHashSet<>();
            List<String> names = new ArrayList<>(SHIFTS.keySet());
            while (gaps.size() < OOH_GAPS_NEXT_28_DAYS) {
                gaps.add(asOf.plusDays(between(r, 1, 28)) + "/" + names.get(r.nextInt(names.size())));
            }
            for (LocalDate d = asOf.minusDays(OOH_PAST_DAYS); !d.isAfter(asOf.plusDays(OOH_FUTURE_DAYS)); d = d.plusDays(1)) {
                LocalDate day = d;
                List<Person> available = new ArrayList<>(team.stream().filter(s -> s.inPost(day)).map(s -> s.person).distinct().toList());
                Collections.shuffle(available, r);
                available.sort(Comparator.comparingInt(p -> worked.getOrDefault(p, 0)));
                int next = 0;
                for (String shift : names) {
                    int need = SHIFTS.get(shift);
                    if (gaps.contains(d + "/" + shift)) need--;
                    if (d.isAfter(asOf.plusDays(28)) && r.nextDouble() < 0.3) need--; // rota not finished yet
                    if (d.isBefore(asOf) && r.nextDouble() < 0.02) need--;             // the odd uncovered shift
                    for (int i = 0; i < need && next < available.size(); i++) {
                        Person p = available.get(next++);
                        worked.merge(p, 1, Integer::sum);
                        csv.row(d, t.id(), shift, p.id);
                    }
                }
            }
            return csv.toString();
        }

        static String benchmarksCsv() {
            try (InputStream in = DemoAuthority.class.getResourceAsStream("/reference/dfe-csww/benchmarks.csv")) {
                if (in == null) throw new IllegalStateException("classpath resource /reference/dfe-csww/benchmarks.csv is missing");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Minimal RFC 4180 writer: Y/N booleans, ISO dates, blank for null, quotes only when needed. */
    static final class Csv {
        private final StringBuilder sb = new StringBuilder();

        Csv(String... header) { row((Object[]) header); }

        void row(Object... cells) {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) sb.append(',');
                Object o = cells[i];
                String s = o == null ? "" : o instanceof Boolean b ? (b ? "Y" : "N") : o.toString();
                if (s.contains(",") || s.contains("\"") || s.contains("\n")) s = '"' + s.replace("\"", "\"\"") + '"';
                sb.append(s);
            }
            sb.append('\n');
        }

        @Override
        public String toString() { return sb.toString(); }
    }

    /** At most two decimals, at least one ("1.0", "0.8", "2.5"). */
    static String num(double v) {
        BigDecimal b = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        return (b.scale() < 1 ? b.setScale(1) : b).toPlainString();
    }

    static int between(Random r, int lo, int hiInclusive) { return hiInclusive <= lo ? lo : lo + r.nextInt(hiInclusive - lo + 1); }

    static double exp(Random r, double mean) { return -mean * Math.log(1 - r.nextDouble()); }

    static int poisson(Random r, double mean) {
        double limit = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    static <T> T pick(Random r, List<T> xs) { return xs.get(r.nextInt(xs.size())); }

    /** weighted(r, "a", 3, "b", 1) returns "a" three times in four. */
    static String weighted(Random r, Object... valueWeightPairs) {
        int total = 0;
        for (int i = 1; i < valueWeightPairs.length; i += 2) total += (Integer) valueWeightPairs[i];
        int x = r.nextInt(total);
        for (int i = 0; i < valueWeightPairs.length; i += 2) {
            x -= (Integer) valueWeightPairs[i + 1];
            if (x < 0) return (String) valueWeightPairs[i];
        }
        throw new IllegalStateException();
    }

    static LocalDate max(LocalDate a, LocalDate b) { return a.isAfter(b) ? a : b; }

    static boolean isWeekday(LocalDate d) { return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY; }

    static LocalDate nextWeekday(LocalDate d) { return isWeekday(d) ? d : nextWeekday(d.plusDays(1)); }

    /** Moves n weekdays forward (or back, if negative) from d. */
    static LocalDate addWorkingDays(LocalDate d, int n) {
        int step = n < 0 ? -1 : 1;
        for (int left = Math.abs(n); left > 0; ) {
            d = d.plusDays(step);
            if (isWeekday(d)) left--;
        }
        return d;
    }

    static int weekdaysBetween(LocalDate from, LocalDate to) {
        int n = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) if (isWeekday(d)) n++;
        return n;
    }
}
