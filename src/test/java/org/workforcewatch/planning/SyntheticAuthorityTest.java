package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.workforcewatch.planning.SyntheticAuthority.Shape;
import org.workforcewatch.staffing.StaffRole;

/** Each synthetic authority is valid input and shows its dynamics in its own rows. */
class SyntheticAuthorityTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 7);

    /** The columns docs/DATA-FORMATS.md requires of each dataset. */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "teams", List.of("team_id", "team_name", "service", "team_type"),
            "staff", List.of("staff_id", "team_id", "role", "employment", "fte", "start_date", "case_holding"),
            "establishment", List.of("team_id", "role", "funded_fte", "effective_from"),
            "allocations", List.of("allocation_id", "child_id", "staff_id", "case_type", "start_date"),
            "children_in_care", List.of("child_id", "date_of_birth", "period_start"),
            "care_leavers", List.of("child_id", "date_of_birth", "eligibility"));

    static List<Map<String, String>> rows(String csv) {
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].split(",", -1));
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            assertThat(cells).as("line %d: %s", i + 1, lines[i]).hasSize(header.size());
            Map<String, String> row = new TreeMap<>();
            for (int k = 0; k < cells.length; k++) {
                row.put(header.get(k), cells[k]);
            }
            out.add(row);
        }
        return out;
    }

    static List<Map<String, String>> staff(SyntheticAuthority a) {
        return rows(a.files().get("staff"));
    }

    static boolean inPost(Map<String, String> spell, LocalDate d) {
        return !LocalDate.parse(spell.get("start_date")).isAfter(d)
                && (spell.get("end_date").isEmpty() || !LocalDate.parse(spell.get("end_date")).isBefore(d));
    }

    static long inPostOn(List<Map<String, String>> staff, LocalDate d) {
        return staff.stream().filter(s -> inPost(s, d)).count();
    }

    static boolean leaver(Map<String, String> s) {
        return !s.get("end_date").isEmpty() && !s.get("leaving_reason").equals("internal_move");
    }

    static boolean employedLeaver(Map<String, String> s) {
        return leaver(s) && !s.get("employment").equals("agency");
    }

    /** Employed leavers (people, internal moves excluded) per month of the history. */
    static TreeMap<YearMonth, Integer> leaversByMonth(SyntheticAuthority a, LocalDate from) {
        TreeMap<YearMonth, Integer> months = new TreeMap<>();
        for (YearMonth m = YearMonth.from(from); m.isBefore(YearMonth.from(TODAY)); m = m.plusMonths(1)) {
            months.put(m, 0);
        }
        staff(a).stream().filter(SyntheticAuthorityTest::employedLeaver)
                .forEach(s -> months.merge(YearMonth.from(LocalDate.parse(s.get("end_date"))), 1, Integer::sum));
        return months;
    }

    static LocalDate firstStart(SyntheticAuthority a) {
        return rows(a.files().get("establishment")).stream().map(r -> LocalDate.parse(r.get("effective_from")))
                .min(LocalDate::compareTo).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void everyFileHasTheDocumentedColumnsAndItsReferencesResolve(Shape shape) {
        long started = System.nanoTime();
        SyntheticAuthority a = SyntheticAuthority.generate(shape, TODAY, 7);
        System.out.printf("%s (%.2f s; rows: %s)%n", a.describe(), (System.nanoTime() - started) / 1e9,
                a.files().entrySet().stream().map(e -> e.getKey() + " " + (e.getValue().split("\n").length - 1)).toList());
        assertThat(a.files().keySet()).containsExactlyElementsOf(SyntheticAuthority.DATASETS);
        REQUIRED.forEach((dataset, columns) -> {
            List<String> header = List.of(a.files().get(dataset).split("\n", 2)[0].split(","));
            assertThat(header).as(dataset).containsAll(columns);
            assertThat(rows(a.files().get(dataset))).as(dataset).isNotEmpty();
        });
        List<String> teams = rows(a.files().get("teams")).stream().map(t -> t.get("team_id")).toList();
        List<Map<String, String>> staff = staff(a);
        assertThat(staff).allSatisfy(s -> {
            assertThat(teams).contains(s.get("team_id"));
            assertThat(StaffRole.byId(s.get("role"))).isPresent();
            assertThat(Double.parseDouble(s.get("fte"))).isGreaterThan(0).isLessThanOrEqualTo(1);
            if (!s.get("end_date").isEmpty()) {
                assertThat(LocalDate.parse(s.get("end_date"))).isAfterOrEqualTo(LocalDate.parse(s.get("start_date")));
            }
        });
        assertThat(staff).extracting(s -> s.get("employment")).contains("permanent", "fixed_term", "agency");
        assertThat(staff).extracting(s -> s.get("leaving_reason")).contains("resigned", "end_of_contract");
        if (shape != Shape.SHORT_HISTORY) {
            assertThat(staff).extracting(s -> s.get("leaving_reason")).contains("internal_move");
        }
        // every allocation lies within a case-holding spell of its worker
        Map<String, List<Map<String, String>>> spells = new TreeMap<>();
        staff.forEach(s -> spells.computeIfAbsent(s.get("staff_id"), k -> new ArrayList<>()).add(s));
        List<Map<String, String>> outside = rows(a.files().get("allocations")).stream().filter(al -> {
            LocalDate from = LocalDate.parse(al.get("start_date"));
            LocalDate to = al.get("end_date").isEmpty() ? TODAY : LocalDate.parse(al.get("end_date"));
            return spells.get(al.get("staff_id")).stream().noneMatch(s -> s.get("case_holding").equals("Y") && inPost(s, from) && inPost(s, to));
        }).toList();
        assertThat(outside).as("allocations outside a case-holding spell of their worker").isEmpty();
        List<String> advisers = staff.stream().filter(s -> StaffRole.PERSONAL_ADVISER.is(s.get("role")) && s.get("end_date").isEmpty())
                .map(s -> s.get("staff_id")).toList();
        assertThat(rows(a.files().get("care_leavers"))).isNotEmpty().allSatisfy(c -> assertThat(advisers).contains(c.get("pa_staff_id")));
        assertThat(rows(a.files().get("children_in_care"))).anySatisfy(c -> {
            LocalDate eighteen = LocalDate.parse(c.get("date_of_birth")).plusYears(18);
            assertThat(eighteen).isAfter(TODAY).isBefore(TODAY.plusYears(1));
        });
    }

    @Test
    void theSameSeedGivesTheSameFilesAndAnotherSeedOthers() {
        for (Shape shape : List.of(Shape.STABLE, Shape.SHOCK)) {
            assertThat(SyntheticAuthority.generate(shape, TODAY, 3).files()).isEqualTo(SyntheticAuthority.generate(shape, TODAY, 3).files());
            assertThat(SyntheticAuthority.generate(shape, TODAY, 3).files().get("staff"))
                    .isNotEqualTo(SyntheticAuthority.generate(shape, TODAY, 4).files().get("staff"));
        }
    }

    @Test
    void sizesDiffer() {
        long distinct = Arrays.stream(Shape.values()).mapToLong(s -> inPostOn(staff(SyntheticAuthority.generate(s, TODAY, 7)), TODAY))
                .distinct().count();
        assertThat(distinct).isEqualTo(Shape.values().length);
    }

    @Test
    void aGrowingAuthorityEndsAtLeastFortyPercentLargerAndAShrinkingOneAQuarterSmaller() {
        SyntheticAuthority growing = SyntheticAuthority.generate(Shape.GROWING, TODAY, 7);
        List<Map<String, String>> g = staff(growing);
        System.out.printf("GROWING: %d in post at the start, %d today%n", inPostOn(g, firstStart(growing)), inPostOn(g, TODAY));
        assertThat((double) inPostOn(g, TODAY)).isGreaterThanOrEqualTo(1.4 * inPostOn(g, firstStart(growing)));
        SyntheticAuthority shrinking = SyntheticAuthority.generate(Shape.SHRINKING, TODAY, 7);
        List<Map<String, String>> s = staff(shrinking);
        System.out.printf("SHRINKING: %d in post at the start, %d today%n", inPostOn(s, firstStart(shrinking)), inPostOn(s, TODAY));
        assertThat((double) inPostOn(s, TODAY)).isLessThanOrEqualTo(0.75 * inPostOn(s, firstStart(shrinking)));
    }

    @Test
    void aShockHasAMonthWithFourTimesTheMedianMonthsLeavers() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.SHOCK, TODAY, 7);
        List<Integer> counts = new ArrayList<>(leaversByMonth(a, firstStart(a)).values());
        List<Integer> sorted = counts.stream().sorted().toList();
        double median = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2.0;
        System.out.printf("SHOCK: employed leavers in the worst month %d, median month %.1f%n",
                counts.stream().mapToInt(Integer::intValue).max().orElseThrow(), median);
        assertThat(median).isPositive();
        assertThat(counts.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThanOrEqualTo((int) Math.ceil(4 * median));
    }

    @Test
    void seasonalLeavingConcentratesInJulyToSeptember() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.SEASONAL_LEAVING, TODAY, 7);
        Predicate<YearMonth> summer = m -> m.getMonthValue() >= 7 && m.getMonthValue() <= 9;
        TreeMap<YearMonth, Integer> months = leaversByMonth(a, firstStart(a));
        double summerMean = months.entrySet().stream().filter(e -> summer.test(e.getKey())).mapToInt(Map.Entry::getValue).average().orElseThrow();
        double otherMean = months.entrySet().stream().filter(e -> !summer.test(e.getKey())).mapToInt(Map.Entry::getValue).average().orElseThrow();
        System.out.printf("SEASONAL_LEAVING: employed leavers a month, July-September %.2f, other months %.2f%n", summerMean, otherMean);
        assertThat(summerMean).isGreaterThanOrEqualTo(1.8 * otherMean);
    }

    @Test
    void aShortHistoryStartsNoSpellMoreThanEighteenMonthsBack() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.SHORT_HISTORY, TODAY, 7);
        List<Map<String, String>> staff = staff(a);
        assertThat(staff).allSatisfy(s -> assertThat(LocalDate.parse(s.get("start_date"))).isAfterOrEqualTo(TODAY.minusMonths(18)));
        LocalDate firstEnd = staff.stream().filter(s -> !s.get("end_date").isEmpty()).map(s -> LocalDate.parse(s.get("end_date")))
                .min(LocalDate::compareTo).orElseThrow();
        assertThat(firstEnd).isBefore(TODAY.minusMonths(16));
    }

    @Test
    void aLongHistoryCoversTenYears() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.LONG_HISTORY, TODAY, 7);
        assertThat(firstStart(a)).isBeforeOrEqualTo(TODAY.minusYears(10));
        assertThat(leaversByMonth(a, TODAY.minusYears(10)).headMap(YearMonth.from(TODAY.minusYears(9))).values())
                .as("leavers in the first year").anySatisfy(n -> assertThat(n).isPositive());
    }

    /** Funded FTE on a day: the latest establishment row of each team and role on or before it. */
    static double funded(SyntheticAuthority a, LocalDate d) {
        Map<String, Map<String, String>> latest = new TreeMap<>();
        for (Map<String, String> row : rows(a.files().get("establishment"))) {
            if (!LocalDate.parse(row.get("effective_from")).isAfter(d)) {
                latest.merge(row.get("team_id") + "/" + row.get("role"), row, (x, y) -> LocalDate.parse(y.get("effective_from"))
                        .isAfter(LocalDate.parse(x.get("effective_from"))) ? y : x);
            }
        }
        return latest.values().stream().mapToDouble(r -> Double.parseDouble(r.get("funded_fte"))).sum();
    }

    @Test
    void nationalRatesFollowEnglandsAgencyAndVacancyRatesOnEachCensusDate() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.NATIONAL_RATES, TODAY, 7);
        List<Map<String, String>> staff = staff(a);
        int checked = 0;
        for (SyntheticAuthority.NationalYear y : SyntheticAuthority.england()) {
            LocalDate census = LocalDate.of(y.year(), 9, 30);
            if (census.isBefore(firstStart(a))) {
                continue;
            }
            double employed = staff.stream().filter(s -> inPost(s, census) && !s.get("employment").equals("agency"))
                    .mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
            double agency = staff.stream().filter(s -> inPost(s, census) && s.get("employment").equals("agency"))
                    .mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
            double funded = funded(a, census);
            double agencyRate = 100 * agency / (agency + employed);
            double vacancyRate = 100 * (funded - employed) / funded;
            double englandAgency = 100 * y.agencyFte() / (y.agencyFte() + y.inpostFte());
            double englandVacancy = 100 * y.vacancyFte() / (y.vacancyFte() + y.inpostFte());
            System.out.printf("%d: agency rate %.1f %% (England %.1f %%), vacancy rate %.1f %% (England %.1f %%)%n", y.year(),
                    agencyRate, englandAgency, vacancyRate, englandVacancy);
            assertThat(agencyRate).as("agency rate on %s", census).isCloseTo(englandAgency, org.assertj.core.data.Offset.offset(2.0));
            assertThat(vacancyRate).as("vacancy rate on %s", census).isCloseTo(englandVacancy, org.assertj.core.data.Offset.offset(2.0));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void nationalRatesCaseloadsFollowEnglandsCasesPerCaseHoldingFteOnEachCensusDate() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.NATIONAL_RATES, TODAY, 7);
        List<Map<String, String>> holders = staff(a).stream().filter(s -> s.get("case_holding").equals("Y")
                && StaffRole.byId(s.get("role")).orElseThrow().cfsw()).toList();
        List<Map<String, String>> allocations = rows(a.files().get("allocations"));
        int checked = 0;
        for (SyntheticAuthority.NationalYear y : SyntheticAuthority.england()) {
            LocalDate census = LocalDate.of(y.year(), 9, 30);
            if (census.isBefore(firstStart(a))) {
                continue;
            }
            List<Map<String, String>> inPost = holders.stream().filter(s -> inPost(s, census)).toList();
            List<String> ids = inPost.stream().map(s -> s.get("staff_id")).toList();
            double fte = inPost.stream().mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
            long cases = allocations.stream().filter(al -> inPost(al, census) && ids.contains(al.get("staff_id")))
                    .map(al -> al.get("child_id")).distinct().count();
            System.out.printf("%d: %.1f cases per case-holding FTE (England %.1f)%n", y.year(), cases / fte, y.caseloadFte());
            assertThat(cases / fte).as("caseload on %s", census).isCloseTo(y.caseloadFte(), org.assertj.core.data.Percentage.withPercentage(10));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void nationalRatesFollowEnglandsTurnoverEachYear() {
        SyntheticAuthority a = SyntheticAuthority.generate(Shape.NATIONAL_RATES, TODAY, 7);
        List<Map<String, String>> cfsw = staff(a).stream().filter(s -> StaffRole.byId(s.get("role")).orElseThrow().cfsw()
                && !s.get("employment").equals("agency")).toList();
        int checked = 0;
        for (SyntheticAuthority.NationalYear y : SyntheticAuthority.england()) {
            LocalDate census = LocalDate.of(y.year(), 9, 30);
            if (census.isBefore(firstStart(a)) || census.isAfter(TODAY)) {
                continue;
            }
            double inPost = cfsw.stream().filter(s -> inPost(s, census)).mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
            double leavers = cfsw.stream().filter(SyntheticAuthorityTest::leaver).filter(s -> {
                LocalDate end = LocalDate.parse(s.get("end_date"));
                return end.isAfter(census.minusYears(1)) && !end.isAfter(census);
            }).mapToDouble(s -> Double.parseDouble(s.get("fte"))).sum();
            double turnover = 100 * leavers / inPost;
            System.out.printf("%d: turnover %.1f %% (England %.1f %%), employed %.0f FTE%n", y.year(), turnover, y.turnoverRate(), inPost);
            assertThat(turnover).as("turnover in the year to %s", census).isCloseTo(y.turnoverRate(), org.assertj.core.data.Offset.offset(2.0));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }
}
