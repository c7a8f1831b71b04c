package org.workforcewatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the demo authority against the import contract (docs/DATA-FORMATS.md) and the realism the demo promises. */
class DemoAuthorityTest {

    static final LocalDate AS_OF = LocalDate.of(2026, 11, 24);
    static final long SEED = 42;

    /** Column lists exactly as docs/DATA-FORMATS.md names them. */
    static final Map<String, List<String>> CONTRACT = new LinkedHashMap<>();

    static {
        CONTRACT.put("teams", List.of("team_id", "team_name", "service", "team_type", "parent_team_id"));
        CONTRACT.put("staff", List.of("staff_id", "team_id", "role", "employment", "fte", "start_date", "end_date",
                "leaving_reason", "case_holding", "qualified_date", "agency_name", "agency_hourly_rate"));
        CONTRACT.put("establishment", List.of("team_id", "role", "funded_fte", "effective_from"));
        CONTRACT.put("allocations", List.of("allocation_id", "child_id", "staff_id", "case_type", "start_date", "end_date", "change_reason"));
        CONTRACT.put("referrals", List.of("referral_id", "child_id", "team_id", "referral_date", "allocated_date"));
        CONTRACT.put("children_in_care", List.of("child_id", "date_of_birth", "period_start", "period_end", "latest_assessment_date"));
        CONTRACT.put("care_leavers", List.of("child_id", "date_of_birth", "eligibility", "pa_staff_id", "pa_allocated_date",
                "in_touch", "latest_contact_date", "pathway_plan_review_date"));
        CONTRACT.put("supervision", List.of("staff_id", "supervision_date", "kind"));
        CONTRACT.put("training", List.of("staff_id", "course", "due_date", "completed_date"));
        CONTRACT.put("absence", List.of("staff_id", "start_date", "end_date", "reason", "working_days_lost"));
        CONTRACT.put("shift_requirements", List.of("team_id", "shift", "required_staff"));
        CONTRACT.put("shifts", List.of("shift_date", "team_id", "shift", "staff_id"));
        CONTRACT.put("benchmarks", List.of("year", "area_code", "area_name", "geographic_level", "measure", "value"));
    }

    static final Map<String, List<String>> KEYS = Map.ofEntries(
            Map.entry("teams", List.of("team_id")),
            Map.entry("staff", List.of("staff_id", "team_id", "start_date")),
            Map.entry("establishment", List.of("team_id", "role", "effective_from")),
            Map.entry("allocations", List.of("allocation_id")),
            Map.entry("referrals", List.of("referral_id")),
            Map.entry("children_in_care", List.of("child_id", "period_start")),
            Map.entry("care_leavers", List.of("child_id")),
            Map.entry("supervision", List.of("staff_id", "supervision_date")),
            Map.entry("training", List.of("staff_id", "course")),
            Map.entry("absence", List.of("staff_id", "start_date")),
            Map.entry("shift_requirements", List.of("team_id", "shift")),
            Map.entry("shifts", List.of("shift_date", "team_id", "shift", "staff_id")),
            Map.entry("benchmarks", List.of("year", "area_code", "measure")));

    static final Set<String> CFSW = Set.of("social_worker", "senior_practitioner", "advanced_practitioner",
            "team_manager", "service_manager", "asye");

    static Map<String, String> files;
    static Map<String, List<Map<String, String>>> data;
    static Map<String, List<Map<String, String>>> spellsByStaff;

    @BeforeAll
    static void generate() {
        files = DemoAuthority.generate(AS_OF, SEED).files();
        data = new LinkedHashMap<>();
        files.forEach((name, text) -> data.put(name, parse(text)));
        spellsByStaff = rows("staff").stream().collect(Collectors.groupingBy(r -> r.get("staff_id")));
    }

    /** Small CSV reader: the generator never needs quoting, so a plain split is enough (and checks that). */
    static List<Map<String, String>> parse(String text) {
        String[] lines = text.split("\n");
        String[] header = lines[0].split(",", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            assertThat(cells).as("line %d: %s", i + 1, lines[i]).hasSize(header.length);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) row.put(header[c], cells[c]);
            out.add(row);
        }
        return out;
    }

    static List<Map<String, String>> rows(String dataset) {
        return data.get(dataset);
    }

    static LocalDate date(String s) {
        return s == null || s.isEmpty() ? null : LocalDate.parse(s);
    }

    static boolean inPost(Map<String, String> spell, LocalDate day) {
        LocalDate end = date(spell.get("end_date"));
        return !day.isBefore(date(spell.get("start_date"))) && (end == null || !day.isAfter(end));
    }

    static List<Map<String, String>> spellsAt(LocalDate day, Predicate<Map<String, String>> filter) {
        return rows("staff").stream().filter(s -> inPost(s, day)).filter(filter).toList();
    }

    // ------------------------------------------------------------------ shape and contract

    @Test
    void sameSeedAndDateGiveByteIdenticalFilesAndAnotherSeedDoesNot() {
        assertThat(DemoAuthority.generate(AS_OF, SEED).files()).isEqualTo(files);
        assertThat(DemoAuthority.generate(AS_OF, SEED + 1).files().get("staff")).isNotEqualTo(files.get("staff"));
    }

    @Test
    void filesComeInDependencyOrderWithLfLineEnds() {
        assertThat(files.keySet()).containsExactlyElementsOf(DemoAuthority.DATASETS);
        files.forEach((name, text) -> {
            assertThat(text).as(name).endsWith("\n").doesNotContain("\r").doesNotContain("\"");
            assertThat(rows(name)).as(name + " rows").isNotEmpty();
        });
    }

    @Test
    void everyHeaderMatchesTheImportContract() {
        CONTRACT.forEach((name, columns) ->
                assertThat(files.get(name).lines().findFirst().orElseThrow().split(",")).as(name).containsExactlyElementsOf(columns));
    }

    @Test
    void keysAreUniqueInEveryFile() {
        KEYS.forEach((name, key) -> {
            Set<List<String>> seen = new HashSet<>();
            for (Map<String, String> row : rows(name)) {
                List<String> k = key.stream().map(row::get).toList();
                assertThat(seen.add(k)).as("%s duplicate key %s", name, k).isTrue();
            }
        });
    }

    @Test
    void enumeratedValuesBooleansAndDatesFollowTheContract() {
        assertValues("teams", "team_type", "assessment", "safeguarding", "children_in_care", "care_leavers",
                "disabled_children", "out_of_hours", "fostering", "adoption", "other");
        assertValues("staff", "role", "social_worker", "senior_practitioner", "advanced_practitioner", "team_manager",
                "service_manager", "personal_adviser", "asye", "family_support", "other");
        assertValues("staff", "employment", "permanent", "fixed_term", "agency");
        assertValues("staff", "leaving_reason", "", "resigned", "retired", "dismissed", "end_of_contract", "internal_move", "other");
        assertValues("staff", "case_holding", "Y", "N");
        assertValues("allocations", "case_type", "assessment", "cin", "cp", "cla", "care_leaver", "early_help", "other");
        assertValues("allocations", "change_reason", "", "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC",
                "CHCHAN", "PCCHAN", "SWDIED", "OTHERS");
        assertValues("care_leavers", "eligibility", "eligible", "relevant", "former_relevant", "qualifying", "none");
        assertValues("care_leavers", "in_touch", "", "yes", "no", "died", "refused", "not_required", "returned_home");
        assertValues("supervision", "kind", "formal", "reflective", "group");
        assertValues("absence", "reason", "sickness", "other");
        for (String name : DemoAuthority.DATASETS) {
            for (Map<String, String> row : rows(name)) {
                row.forEach((column, value) -> {
                    if ((column.endsWith("_date") || column.equals("effective_from") || column.equals("period_start")
                            || column.equals("period_end") || column.equals("date_of_birth")) && !value.isEmpty()) {
                        assertThat(value).as("%s.%s", name, column).matches("\\d{4}-\\d{2}-\\d{2}");
                        LocalDate.parse(value);
                    }
                });
            }
        }
        for (Map<String, String> s : rows("staff")) {
            double fte = Double.parseDouble(s.get("fte"));
            assertThat(fte).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(s.get("fte")).matches("\\d\\.\\d{1,2}");
        }
        for (Map<String, String> r : rows("shift_requirements")) assertThat(Integer.parseInt(r.get("required_staff"))).isGreaterThanOrEqualTo(1);
    }

    private static void assertValues(String dataset, String column, String... allowed) {
        Set<String> used = rows(dataset).stream().map(r -> r.get(column)).collect(Collectors.toSet());
        assertThat(Arrays.asList(allowed)).as("%s.%s", dataset, column).containsAll(used);
    }

    @Test
    void everyReferencedStaffAndTeamExists() {
        Set<String> staff = spellsByStaff.keySet();
        Set<String> teams = rows("teams").stream().map(t -> t.get("team_id")).collect(Collectors.toSet());
        for (String dataset : List.of("allocations", "supervision", "training", "absence", "shifts")) {
            for (Map<String, String> r : rows(dataset)) assertThat(staff).as(dataset).contains(r.get("staff_id"));
        }
        for (Map<String, String> r : rows("care_leavers")) {
            if (!r.get("pa_staff_id").isEmpty()) assertThat(staff).contains(r.get("pa_staff_id"));
        }
        for (String dataset : List.of("staff", "establishment", "referrals", "shift_requirements", "shifts")) {
            for (Map<String, String> r : rows(dataset)) assertThat(teams).as(dataset).contains(r.get("team_id"));
        }
        Set<List<String>> required = rows("shift_requirements").stream().map(r -> List.of(r.get("team_id"), r.get("shift")))
                .collect(Collectors.toSet());
        for (Map<String, String> r : rows("shifts")) assertThat(required).contains(List.of(r.get("team_id"), r.get("shift")));
    }

    // ------------------------------------------------------------------ consistency of people and time

    @Test
    void noPersonHasOverlappingSpellsAndEndsFollowStarts() {
        spellsByStaff.forEach((id, spells) -> {
            List<Map<String, String>> sorted = new ArrayList<>(spells);
            sorted.sort((a, b) -> a.get("start_date").compareTo(b.get("start_date")));
            for (int i = 0; i < sorted.size(); i++) {
                Map<String, String> s = sorted.get(i);
                LocalDate end = date(s.get("end_date"));
                if (end != null) assertThat(end).as(id).isAfterOrEqualTo(date(s.get("start_date")));
                if (i + 1 < sorted.size()) {
                    assertThat(end).as("%s has a later spell, so this one ends", id).isNotNull();
                    assertThat(date(sorted.get(i + 1).get("start_date"))).as(id).isAfter(end);
                }
            }
        });
    }

    @Test
    void leavingReasonOnlyWithEndDateAndAgencyFieldsOnlyOnAgencySpells() {
        for (Map<String, String> s : rows("staff")) {
            assertThat(s.get("leaving_reason").isEmpty()).as(s.toString()).isEqualTo(s.get("end_date").isEmpty());
            boolean agency = s.get("employment").equals("agency");
            if (!agency) assertThat(s.get("agency_name") + s.get("agency_hourly_rate")).as(s.toString()).isEmpty();
            else assertThat(Double.parseDouble(s.get("agency_hourly_rate"))).isBetween(38.0, 62.0);
            if (Set.of("family_support", "other", "personal_adviser").contains(s.get("role"))) assertThat(s.get("qualified_date")).isEmpty();
            if (CFSW.contains(s.get("role")) && !agency) assertThat(s.get("qualified_date")).as(s.toString()).isNotEmpty();
        }
    }

    @Test
    void internalMovesContinueTheNextDayInAnotherSpell() {
        long moves = 0;
        for (Map<String, String> s : rows("staff")) {
            if (!s.get("leaving_reason").equals("internal_move")) continue;
            moves++;
            LocalDate next = date(s.get("end_date")).plusDays(1);
            assertThat(spellsByStaff.get(s.get("staff_id"))).as(s.toString())
                    .anyMatch(o -> o.get("start_date").equals(next.toString()));
        }
        assertThat(moves).isGreaterThan(5);
    }

    @Test
    void allocationsLieWithinOneSpellOfTheirWorker() {
        for (Map<String, String> a : rows("allocations")) {
            LocalDate start = date(a.get("start_date"));
            LocalDate end = date(a.get("end_date"));
            assertThat(start).isBeforeOrEqualTo(AS_OF);
            if (end != null) assertThat(end).isAfterOrEqualTo(start);
            LocalDate last = end == null ? AS_OF : end;
            assertThat(spellsByStaff.get(a.get("staff_id"))).as(a.toString())
                    .anyMatch(s -> inPost(s, start) && inPost(s, last) && (end != null || s.get("end_date").isEmpty()));
        }
        assertThat(rows("allocations")).hasSizeBetween(15_000, 40_000);
    }

    @Test
    void absencesLieWithinOneSpellOfThePerson() {
        for (Map<String, String> a : rows("absence")) {
            LocalDate start = date(a.get("start_date"));
            LocalDate end = date(a.get("end_date"));
            assertThat(end).isAfterOrEqualTo(start);
            assertThat(spellsByStaff.get(a.get("staff_id"))).as(a.toString())
                    .anyMatch(s -> inPost(s, start) && inPost(s, end) && !s.get("employment").equals("agency"));
        }
    }

    @Test
    void shiftStaffAreInPostInThatTeamAndDistinctWithinADay() {
        Map<String, Set<String>> perDay = new HashMap<>();
        for (Map<String, String> sh : rows("shifts")) {
            LocalDate day = date(sh.get("shift_date"));
            assertThat(spellsByStaff.get(sh.get("staff_id"))).as(sh.toString())
                    .anyMatch(s -> inPost(s, day) && s.get("team_id").equals(sh.get("team_id")));
            assertThat(perDay.computeIfAbsent(sh.get("shift_date"), d -> new HashSet<>()).add(sh.get("staff_id"))).isTrue();
        }
        assertThat(perDay.keySet()).contains(AS_OF.minusDays(90).toString(), AS_OF.plusDays(35).toString());
    }

    @Test
    void carePaIsAPersonalAdviserAndEligibleYoungPeopleAreInCare() {
        Set<String> inCare = rows("children_in_care").stream().filter(c -> c.get("period_end").isEmpty())
                .map(c -> c.get("child_id")).collect(Collectors.toSet());
        for (Map<String, String> cl : rows("care_leavers")) {
            if (!cl.get("pa_staff_id").isEmpty()) {
                assertThat(spellsByStaff.get(cl.get("pa_staff_id"))).anyMatch(s -> s.get("role").equals("personal_adviser"));
            }
            if (cl.get("eligibility").equals("eligible")) assertThat(inCare).contains(cl.get("child_id"));
            int age = Period.between(date(cl.get("date_of_birth")), AS_OF).getYears();
            assertThat(age).isBetween(16, 25);
        }
    }

    // ------------------------------------------------------------------ realism (the indicators have something to show)

    @Test
    void aboutTwentyTeamsInFiveServicesIncludingOutOfHoursAndCareLeavers() {
        assertThat(rows("teams")).hasSizeBetween(18, 22);
        assertThat(rows("teams").stream().map(t -> t.get("service")).distinct()).hasSize(5);
        assertThat(rows("teams").stream().map(t -> t.get("team_type")))
                .contains("out_of_hours", "care_leavers", "assessment", "safeguarding", "children_in_care", "disabled_children");
        Set<String> ooh = rows("teams").stream().filter(t -> t.get("team_type").equals("out_of_hours"))
                .map(t -> t.get("team_id")).collect(Collectors.toSet());
        assertThat(rows("shift_requirements")).allMatch(r -> ooh.contains(r.get("team_id")));
    }

    @Test
    void roughlyFourHundredPeopleWithOneTeamManagerPerTeamAndPersonalAdvisersInPost() {
        assertThat(spellsByStaff).hasSizeBetween(330, 480);
        assertThat(spellsAt(AS_OF, s -> s.get("role").equals("personal_adviser"))).hasSizeBetween(10, 17);
        Map<String, Long> managers = spellsAt(AS_OF, s -> s.get("role").equals("team_manager")).stream()
                .collect(Collectors.groupingBy(s -> s.get("team_id"), Collectors.counting()));
        assertThat(managers.values()).allMatch(n -> n == 1);
    }

    @Test
    void agencyShareOfSocialWorkerFteAtAsOfIsBetweenTenAndTwentyFivePercent() {
        double agency = 0, employed = 0;
        for (Map<String, String> s : spellsAt(AS_OF, s -> CFSW.contains(s.get("role")))) {
            double fte = Double.parseDouble(s.get("fte"));
            if (s.get("employment").equals("agency")) agency += fte;
            else employed += fte;
        }
        assertThat(100 * agency / (agency + employed)).isBetween(10.0, 25.0);
    }

    @Test
    void someEmployedSocialWorkersLeaveEachYear() {
        LocalDate from = AS_OF.minusYears(1);
        double leavers = rows("staff").stream()
                .filter(s -> CFSW.contains(s.get("role")) && !s.get("employment").equals("agency") && !s.get("end_date").isEmpty())
                .filter(s -> date(s.get("end_date")).isAfter(from) && !s.get("leaving_reason").equals("internal_move"))
                .mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
        double employed = spellsAt(AS_OF, s -> CFSW.contains(s.get("role")) && !s.get("employment").equals("agency"))
                .stream().mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
        assertThat(100 * leavers / employed).isBetween(8.0, 30.0);
    }

    @Test
    void caseloadPerFteAtAsOfIsRealisticWithSomeTeamsOverloaded() {
        Map<String, Set<String>> children = new HashMap<>();
        for (Map<String, String> a : rows("allocations")) {
            if (a.get("end_date").isEmpty()) children.computeIfAbsent(a.get("staff_id"), k -> new HashSet<>()).add(a.get("child_id"));
        }
        List<Map<String, String>> holders = spellsAt(AS_OF, s -> s.get("case_holding").equals("Y") && CFSW.contains(s.get("role")));
        double fte = holders.stream().mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
        long cases = holders.stream().mapToLong(s -> children.getOrDefault(s.get("staff_id"), Set.of()).size()).sum();
        assertThat(cases / fte).isBetween(13.0, 20.0);
        long overloadedWorkers = holders.stream()
                .filter(s -> children.getOrDefault(s.get("staff_id"), Set.of()).size() / Double.parseDouble(s.get("fte")) > 20).count();
        assertThat(overloadedWorkers).isPositive();
        Map<String, List<Map<String, String>>> byTeam = holders.stream().collect(Collectors.groupingBy(s -> s.get("team_id")));
        assertThat(byTeam.values()).anyMatch(team -> team.stream().mapToLong(s -> children.getOrDefault(s.get("staff_id"), Set.of()).size()).sum()
                / team.stream().mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum() > 21);
    }

    @Test
    void aMinorityOfChildrenHadThreeOrMoreWorkersInTwelveMonths() {
        LocalDate from = AS_OF.minusYears(1);
        Map<String, List<Map<String, String>>> byChild = rows("allocations").stream().collect(Collectors.groupingBy(a -> a.get("child_id")));
        int population = 0, churned = 0;
        for (List<Map<String, String>> allocations : byChild.values()) {
            boolean open = allocations.stream().anyMatch(a -> a.get("end_date").isEmpty() && Set.of("cla", "cp", "cin").contains(a.get("case_type")));
            if (!open) continue;
            population++;
            long workers = allocations.stream().filter(a -> a.get("end_date").isEmpty() || date(a.get("end_date")).isAfter(from))
                    .map(a -> a.get("staff_id")).distinct().count();
            if (workers >= 3) churned++;
        }
        assertThat(population).isGreaterThan(500);
        assertThat(100.0 * churned / population).isBetween(8.0, 35.0);
    }

    @Test
    void atLeastOneAgencyWorkerInPostBreaksANationalAgencyRule() {
        long breaking = spellsAt(AS_OF, s -> s.get("employment").equals("agency") && CFSW.contains(s.get("role"))).stream()
                .filter(s -> s.get("qualified_date").isEmpty()
                        || date(s.get("qualified_date")).isAfter(AS_OF.minusYears(3))
                        || Double.parseDouble(s.get("agency_hourly_rate")) > 50
                        || spellsByStaff.get(s.get("staff_id")).stream().anyMatch(o -> !o.get("employment").equals("agency")
                                && !o.get("end_date").isEmpty() && !date(o.get("end_date")).isBefore(date(s.get("start_date")).minusMonths(3))
                                && date(o.get("end_date")).isBefore(date(s.get("start_date")))))
                .count();
        assertThat(breaking).isPositive();
        // and across the history someone left an employed post and came back through an agency within weeks
        assertThat(spellsByStaff.values()).anyMatch(spells -> spells.stream().anyMatch(e -> "resigned".equals(e.get("leaving_reason"))
                && !e.get("employment").equals("agency") && spells.stream().anyMatch(a -> a.get("employment").equals("agency")
                && date(a.get("start_date")).isAfter(date(e.get("end_date")))
                && !date(a.get("start_date")).isAfter(date(e.get("end_date")).plusWeeks(10)))));
    }

    @Test
    void referralQueueHasAFewWaitingAndACoupleOverFiveWorkingDays() {
        List<Map<String, String>> waiting = rows("referrals").stream().filter(r -> r.get("allocated_date").isEmpty()).toList();
        assertThat(waiting).hasSizeBetween(2, 30);
        long overFive = waiting.stream().filter(r -> workingDays(date(r.get("referral_date")), AS_OF) > 5).count();
        assertThat(overFive).isGreaterThanOrEqualTo(2);
        for (Map<String, String> r : rows("referrals")) {
            if (!r.get("allocated_date").isEmpty()) assertThat(date(r.get("allocated_date"))).isAfterOrEqualTo(date(r.get("referral_date")));
        }
    }

    private static int workingDays(LocalDate from, LocalDate to) {
        int n = 0;
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) if (d.getDayOfWeek().getValue() <= 5) n++;
        return n;
    }

    @Test
    void childrenInCareAndCareLeaversAreAtRealisticScale() {
        List<Map<String, String>> inCare = rows("children_in_care").stream().filter(c -> c.get("period_end").isEmpty()).toList();
        assertThat(inCare).hasSizeBetween(250, 380);
        assertThat(rows("children_in_care").size()).isGreaterThan(inCare.size());
        long outOfDate = inCare.stream().filter(c -> c.get("latest_assessment_date").isEmpty()
                || !date(c.get("latest_assessment_date")).isAfter(AS_OF.minusYears(1))).count();
        assertThat(100.0 * outOfDate / inCare.size()).isBetween(2.0, 20.0);
        Set<String> withPa = rows("care_leavers").stream().filter(c -> !c.get("pa_staff_id").isEmpty())
                .map(c -> c.get("child_id")).collect(Collectors.toSet());
        assertThat(inCare).anyMatch(c -> Period.between(date(c.get("date_of_birth")), AS_OF).getYears() >= 17 && !withPa.contains(c.get("child_id")));
        assertThat(rows("care_leavers")).hasSizeBetween(180, 320);
        assertThat(rows("care_leavers").stream().map(c -> c.get("eligibility")))
                .contains("eligible", "relevant", "former_relevant", "qualifying");
    }

    @Test
    void someCaseHoldersAreOverdueForSupervisionButMostAreNot() {
        Map<String, LocalDate> latest = new HashMap<>();
        for (Map<String, String> s : rows("supervision")) latest.merge(s.get("staff_id"), date(s.get("supervision_date")), (a, b) -> a.isAfter(b) ? a : b);
        List<Map<String, String>> longServing = spellsAt(AS_OF, s -> s.get("case_holding").equals("Y")
                && date(s.get("start_date")).isBefore(AS_OF.minusMonths(7)));
        long overdue = longServing.stream().filter(s -> !latest.containsKey(s.get("staff_id"))
                || latest.get(s.get("staff_id")).isBefore(AS_OF.minusDays(31))).count();
        assertThat(100.0 * overdue / longServing.size()).isBetween(2.0, 35.0);
    }

    @Test
    void everyPersonHasInductionAndPracticeModelDueNinetyDaysAfterJoining() {
        Map<String, Set<String>> courses = new HashMap<>();
        for (Map<String, String> t : rows("training")) courses.computeIfAbsent(t.get("staff_id"), k -> new HashSet<>()).add(t.get("course"));
        spellsByStaff.forEach((id, spells) -> assertThat(courses.get(id)).as(id).contains("induction", "practice_model"));
        long incomplete = rows("training").stream().filter(t -> Set.of("induction", "practice_model").contains(t.get("course"))
                && t.get("completed_date").isEmpty()).count();
        assertThat(incomplete).isPositive();
    }

    @Test
    void outOfHoursRotaHasAFewGapsInTheNext28Days() {
        Map<String, Integer> required = new HashMap<>();
        for (Map<String, String> r : rows("shift_requirements")) required.put(r.get("shift"), Integer.parseInt(r.get("required_staff")));
        Map<String, Long> filled = rows("shifts").stream().collect(Collectors.groupingBy(s -> s.get("shift_date") + "/" + s.get("shift"), Collectors.counting()));
        int gaps = 0;
        for (int i = 1; i <= 28; i++) {
            for (Map.Entry<String, Integer> e : required.entrySet()) {
                if (filled.getOrDefault(AS_OF.plusDays(i) + "/" + e.getKey(), 0L) < e.getValue()) gaps++;
            }
        }
        assertThat(gaps).isBetween(1, 10);
        assertThat(required).containsEntry("ooh_evening", 2).containsEntry("ooh_night", 2).containsEntry("weekend_day", 1);
    }

    @Test
    void sicknessAbsenceRateIsPlausible() {
        long sickness = rows("absence").stream().filter(a -> a.get("reason").equals("sickness")).count();
        assertThat(sickness).isGreaterThan(300);
        assertThat(rows("absence")).anyMatch(a -> a.get("working_days_lost").isEmpty())
                .anyMatch(a -> !a.get("working_days_lost").isEmpty());
    }

    // ------------------------------------------------------------------ benchmarks and files on disk

    @Test
    void benchmarksAreTheClasspathResourceUnchanged() throws IOException {
        try (InputStream in = DemoAuthority.class.getResourceAsStream("/reference/dfe-csww/benchmarks.csv")) {
            assertThat(in).isNotNull();
            assertThat(files.get("benchmarks")).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void writeToWritesOneCsvPerDataset(@TempDir Path dir) throws IOException {
        DemoAuthority.generate(AS_OF, SEED).writeTo(dir);
        for (String name : DemoAuthority.DATASETS) {
            assertThat(Files.readString(dir.resolve(name + ".csv"), StandardCharsets.UTF_8)).isEqualTo(files.get(name));
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.count()).isEqualTo(DemoAuthority.DATASETS.size());
        }
    }
}
