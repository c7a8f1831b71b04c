package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.workforcewatch.ApiTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Department for Education's published children's social work workforce figures, reproduced.
 * For each area and year, an authority is built whose records add up to exactly the published counts
 * (in-post FTE, leavers, agency FTE, vacancies, case holders and cases, days lost to sickness), loaded
 * through the import API, and the indicators at 30 September must give the published rates.
 * The figures are read from src/test/resources/reference/dfe-csww/ (see SOURCE.md beside the main copy).
 */
@org.workforcewatch.VouchedHistory
class PublishedFiguresTest extends ApiTest {

    private static final String FIGURES = "/reference/dfe-csww/cambridgeshire_england.csv";
    private static final String RECOMPUTED = "/reference/dfe-csww/definition_check.csv";
    private static final String ENGLAND = "E92000001";
    private static final String STAFF_HEADER = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,"
            + "case_holding,qualified_date,agency_name,agency_hourly_rate\n";

    /** Our indicator, the published rate it reproduces, and the counts its numerator and denominator are. */
    private enum Measure {
        TURNOVER("turnover_rate", "turnover_rate_fte"),
        AGENCY("agency_rate", "agency_rate_fte"),
        VACANCY("vacancy_rate", "vacancy_rate_fte"),
        CASELOAD("caseload_per_fte", "caseload_fte"),
        ABSENCE("absence_rate", "absence_rate_fte");

        final String indicator;
        final String published;

        Measure(String indicator, String published) {
            this.indicator = indicator;
            this.published = published;
        }
    }

    @Autowired
    private ConnectionFactory connections;

    @Autowired
    private Clock clock;

    @Autowired
    private IndicatorEngine engine;

    static Stream<Arguments> areaYears() {
        return Stream.of(
                Arguments.of("E10000003", 2019), Arguments.of("E10000003", 2021), Arguments.of("E10000003", 2022),
                Arguments.of("E10000003", 2023), Arguments.of("E10000003", 2024), Arguments.of("E10000003", 2025),
                Arguments.of(ENGLAND, 2022), Arguments.of(ENGLAND, 2024), Arguments.of(ENGLAND, 2025));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("areaYears")
    void theIndicatorsOnThirtySeptemberGiveThePublishedRates(String areaCode, int year) {
        Map<String, String> published = published(year, areaCode);
        LocalDate asOf = LocalDate.of(year, 9, 30);
        Counts counts = Counts.of(published);
        Authority authority = new Authority(asOf, areaCode.equals(ENGLAND) ? 150 : 8, counts);

        load("teams", authority.teams());
        load("referrals", authority.referrals(LocalDate.now(clock)));
        load("staff", authority.staff());
        load("establishment", authority.establishment());
        load("absence", authority.absence());
        String allocations = authority.allocations();
        loadHoldingIndicatorsBack(() -> load("allocations", allocations));

        Map<String, Map<String, Object>> got = indicatorsAt(asOf);

        // England's and the regions' published rates leave out authorities whose data for that measure was
        // unreliable, while the published counts include them (England 2024: agency 16.2 published, 15.96 from
        // the counts). Records built from the counts can only give the rate of the counts, so for England
        // the expected rate is definition_check.csv's "recomputed" column: the rate from the published counts.
        Map<String, String> expected = areaCode.equals(ENGLAND) ? recomputed(year, areaCode) : published;
        SoftAssertions soft = new SoftAssertions();
        for (Measure m : Measure.values()) {
            String rate = expected.get(m.published);
            if (rate == null || !isNumber(rate)) {
                continue; // a symbol (u: low reliability) is not a figure to reproduce
            }
            Map<String, Object> indicator = got.get(m.indicator);
            soft.assertThat(indicator).as(m.indicator).isNotNull();
            if (indicator == null) {
                continue;
            }
            double[] counted = counts.numeratorAndDenominator(m);
            soft.assertThat(number(indicator, "value")).as(m.indicator + " value")
                    .isCloseTo(Double.parseDouble(rate), within(0.1));
            soft.assertThat(number(indicator, "numerator")).as(m.indicator + " numerator")
                    .isCloseTo(counted[0], within(0.05));
            soft.assertThat(number(indicator, "denominator")).as(m.indicator + " denominator")
                    .isCloseTo(counted[1], within(0.05));
        }
        soft.assertAll();
    }

    @Test
    void aMoveToAgencyWorkIsLeavingButAnInternalMoveIsNot() {
        load("teams", """
                team_id,team_name,service,team_type
                T1,Assessment,Front Door,assessment
                T2,Safeguarding,Safeguarding,safeguarding
                """);
        loadHoldingIndicatorsBack(() -> load("staff", STAFF_HEADER
                + "P1,T1,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "P2,T2,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                // left the council for agency work: the employed spell is a leaver, the agency spell is agency FTE
                + "SW,T1,social_worker,permanent,0.8,2018-01-01,2024-03-31,resigned,Y,2014-07-01,,\n"
                + "SW,T1,social_worker,agency,1,2024-04-01,,,Y,2014-07-01,Hays,45\n"
                // moved from T1 to T2: still employed, so no leaver anywhere
                + "IM,T1,senior_practitioner,permanent,1,2018-01-01,2024-01-31,internal_move,Y,2010-07-01,,\n"
                + "IM,T2,senior_practitioner,permanent,1,2024-02-01,,,Y,2010-07-01,,\n"));

        Map<String, Map<String, Object>> got = indicatorsAt(LocalDate.of(2024, 9, 30));

        Map<String, Object> turnover = got.get("turnover_rate");
        assertThat(number(turnover, "numerator")).isEqualTo(0.8);        // the switcher's employed spell only
        assertThat(number(turnover, "denominator")).isEqualTo(3.0);      // P1, P2 and the mover in T2
        assertThat(number(turnover, "value")).isCloseTo(0.8 / 3 * 100, within(1e-9));
        Map<String, Object> agency = got.get("agency_rate");
        assertThat(number(agency, "numerator")).isEqualTo(1.0);
        assertThat(number(agency, "denominator")).isEqualTo(4.0);
    }

    // ---- the published figures -------------------------------------------------------------------------

    /** measure → value as published, for one year and area. */
    private static Map<String, String> published(int year, String areaCode) {
        Map<String, String> values = new HashMap<>();
        for (String[] row : csv(FIGURES)) {
            if (row[0].equals(String.valueOf(year)) && row[1].equals(areaCode)) {
                values.put(row[4], row[5]);
            }
        }
        assertThat(values).as("published figures for " + areaCode + " " + year).containsKeys("inpost_fte", "cases");
        return values;
    }

    /** measure → the rate recomputed from the published counts of the same row (definition_check.csv). */
    private static Map<String, String> recomputed(int year, String areaCode) {
        Map<String, String> values = new HashMap<>();
        for (String[] row : csv(RECOMPUTED)) {
            if (row[0].equals(String.valueOf(year)) && row[1].equals(areaCode) && row.length > 6) {
                values.put(row[3], row[6]);
            }
        }
        return values;
    }

    private static List<String[]> csv(String resource) {
        try (InputStream in = PublishedFiguresTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().skip(1)
                    .map(line -> line.split(",", -1)).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isNumber(String value) {
        return value.matches("-?\\d+(\\.\\d+)?");
    }

    /**
     * The published counts in tenths (FTEs and days are published to one decimal place), cases whole. Days
     * lost are absent where DfE published a symbol.
     */
    private record Counts(long inPost, long leavers, long agency, long vacancies, long caseHolders, long cases, Long daysLost) {

        static Counts of(Map<String, String> published) {
            String days = published.get("working_days_lost_fte");
            return new Counts(tenths(published.get("inpost_fte")), tenths(published.get("leavers_fte")),
                    tenths(published.get("agency_fte")), tenths(published.get("vacancy_fte")),
                    tenths(published.get("case_holders_fte")), Long.parseLong(published.get("cases")),
                    days != null && isNumber(days) ? tenths(days) : null);
        }

        private static long tenths(String published) {
            return new BigDecimal(published).movePointRight(1).longValueExact();
        }

        /** What the indicator's numerator and denominator must be, from the counts the records were built to. */
        double[] numeratorAndDenominator(Measure m) {
            return switch (m) {
                case TURNOVER -> new double[] {leavers / 10.0, inPost / 10.0};
                case AGENCY -> new double[] {agency / 10.0, (agency + inPost) / 10.0};
                case VACANCY -> new double[] {vacancies / 10.0, (vacancies + inPost) / 10.0};
                case CASELOAD -> new double[] {cases, caseHolders / 10.0};
                case ABSENCE -> new double[] {daysLost == null ? 0 : daysLost / 10.0, inPost / 10.0 * 253};
            };
        }
    }

    // ---- the synthetic authority -------------------------------------------------------------------------

    /**
     * Records of one authority whose totals at {@code asOf} are the published counts, with records around them
     * that the definitions leave out (internal moves, non-social-work roles, agency leavers, dates just outside
     * the year, superseded and future establishment, co-worked children, closed and future allocations).
     *
     * <p>After each import the service recomputes, in the background, every month end from the first case or
     * referral to today. So that this stays affordable at the scale of England, the year is the only one with
     * people in it (everything in post or open on 30 September closes on 1 October, cases are allocated in
     * September), and the one referral arrives today: until the allocations, the last import, there are no
     * month ends to compute.
     */
    private static final class Authority {

        private record Worker(String id, String team, String role, long tenths) {
        }

        private static final String[] LEAVING = {"resigned", "retired", "dismissed", "end_of_contract", "other"};

        private final LocalDate asOf;
        private final LocalDate yearStart;  // the day before the DfE year: (yearStart, asOf]
        private final LocalDate closed;
        private final int teamCount;
        private final Counts counts;
        private final StringBuilder staff = new StringBuilder(STAFF_HEADER);
        private final Map<String, Long> employedByTeamRole = new TreeMap<>();
        private final List<Worker> caseHolders = new ArrayList<>();
        private final List<Worker> absentees = new ArrayList<>();

        Authority(LocalDate asOf, int teamCount, Counts counts) {
            this.asOf = asOf;
            this.yearStart = asOf.minusYears(1);
            this.closed = asOf.plusDays(1);
            this.teamCount = teamCount;
            this.counts = counts;
            buildStaff();
        }

        private String team(int i) {
            return String.format("T%03d", i % teamCount);
        }

        private static String fte(long tenths) {
            return tenths % 10 == 0 ? String.valueOf(tenths / 10) : (tenths / 10) + "." + (tenths % 10);
        }

        /** A total in tenths as whole FTEs and, where needed, one part-time remainder. */
        private static List<Long> people(long tenths) {
            List<Long> ftes = new ArrayList<>();
            for (long i = 0; i < tenths / 10; i++) {
                ftes.add(10L);
            }
            if (tenths % 10 != 0) {
                ftes.add(tenths % 10);
            }
            return ftes;
        }

        private void spell(String id, String team, String role, String employment, long tenths, LocalDate start, LocalDate end,
                           String reason, boolean caseHolding) {
            boolean agency = employment.equals("agency");
            staff.append(id).append(',').append(team).append(',').append(role).append(',').append(employment).append(',')
                    .append(fte(tenths)).append(',').append(start).append(',').append(end == null ? "" : end).append(',')
                    .append(reason == null ? "" : reason).append(',').append(caseHolding ? 'Y' : 'N').append(",2012-07-01,")
                    .append(agency ? "Hays" : "").append(',').append(agency ? "45" : "").append('\n');
        }

        private void employed(String id, String team, String role, long tenths, LocalDate start, boolean caseHolding, int i) {
            spell(id, team, role, i % 8 == 7 ? "fixed_term" : "permanent", tenths, start, closed, null, caseHolding);
            employedByTeamRole.merge(team + "," + role, tenths, Long::sum);
        }

        private void buildStaff() {
            LocalDate longAgo = asOf.minusYears(3);
            // agency case holders: whole FTEs making up half the agency FTE (DfE's case holders include agency workers)
            long agencyHolding = counts.agency() / 20 * 10;
            long employedHolding = counts.caseHolders() - agencyHolding;
            if (employedHolding < 0 || employedHolding > counts.inPost()) {
                throw new IllegalStateException("case holders do not fit in the workforce: " + counts);
            }

            List<Long> holding = people(employedHolding);
            for (int i = 0; i < holding.size(); i++) {
                String role = switch ((i / teamCount) % 4) {
                    case 2 -> "senior_practitioner";
                    case 3 -> "asye";
                    default -> "social_worker";
                };
                Worker w = new Worker("E" + i, team(i), role, holding.get(i));
                employed(w.id(), w.team(), w.role(), w.tenths(), longAgo, true, i);
                caseHolders.add(w);
                absentees.add(w);
            }
            List<Long> others = people(counts.inPost() - employedHolding);
            for (int i = 0; i < others.size(); i++) {
                String id = "M" + i;
                String role = (i / teamCount) % 3 == 0 ? "team_manager" : "social_worker";
                if (i < 3) {
                    // internal moves: the spell left for another team is not a leaver
                    LocalDate moved = asOf.minusDays(100 + 30L * i);
                    spell(id, team(i + 1), role, "permanent", others.get(i), longAgo, moved, "internal_move", false);
                    employed(id, team(i), role, others.get(i), moved.plusDays(1), false, i);
                } else {
                    employed(id, team(i), role, others.get(i), longAgo, false, i);
                    absentees.add(new Worker(id, team(i), role, others.get(i)));
                }
            }

            // leavers in the year, one of them leaving for agency work (its agency spell is the first agency worker)
            List<Long> leavers = people(counts.leavers());
            LocalDate switched = null;
            for (int i = 0; i < leavers.size(); i++) {
                LocalDate left = yearStart.plusDays(1 + (i * 11L) % 360);
                String employment = i % 8 == 7 ? "fixed_term" : "permanent";
                spell("L" + i, team(i), "social_worker", employment, leavers.get(i), longAgo, left, LEAVING[i % LEAVING.length],
                        false);
                if (i == 0) {
                    switched = left;
                }
            }

            List<Long> agency = people(counts.agency());
            for (int i = 0; i < agency.size(); i++) {
                boolean holds = i < agencyHolding / 10;
                String id = i == 0 && switched != null ? "L0" : "G" + i;
                LocalDate start = i == 0 && switched != null ? switched.plusDays(1) : longAgo;
                spell(id, team(i), "social_worker", "agency", agency.get(i), start, closed, null, holds);
                if (holds) {
                    caseHolders.add(new Worker(id, team(i), "social_worker", agency.get(i)));
                }
            }

            // left out by the definitions
            spell("X1", team(0), "social_worker", "permanent", 10, longAgo, yearStart, "resigned", false); // before the year
            spell("X2", team(0), "personal_adviser", "permanent", 10, longAgo, asOf.minusDays(40), "resigned", false);
            spell("X3", team(0), "social_worker", "agency", 10, longAgo, asOf.minusDays(50), "end_of_contract", false);
            spell("X4", team(0), "personal_adviser", "permanent", 10, longAgo, closed, null, false);
            spell("X5", team(1), "personal_adviser", "agency", 10, longAgo, closed, null, false);
            spell("X6", team(1), "family_support", "permanent", 10, longAgo, closed, null, true);
        }

        String teams() {
            StringBuilder csv = new StringBuilder("team_id,team_name,service,team_type\n");
            String[] types = {"assessment", "safeguarding", "children_in_care", "disabled_children"};
            for (int t = 0; t < teamCount; t++) {
                csv.append(team(t)).append(",Team ").append(t).append(",Service ").append(t % 5).append(',')
                        .append(types[t % types.length]).append('\n');
            }
            return csv.toString();
        }

        /** A referral received today: until the allocations arrive, the service's history is empty. */
        String referrals(LocalDate today) {
            return "referral_id,child_id,team_id,referral_date,allocated_date\n"
                    + "R1,C0," + team(0) + "," + today + ",\n";
        }

        String staff() {
            return staff.toString();
        }

        /**
         * Funded FTE per team and role = employed FTE + the vacancies, which fall on a fully vacant role, on one
         * role funded below its staffing (no negative vacancy) and on social workers in every team.
         */
        String establishment() {
            long vacancies = counts.vacancies();
            Map<String, Long> funded = new LinkedHashMap<>(employedByTeamRole);
            long emptyRole = Math.min(vacancies, 20);
            funded.put(team(0) + ",service_manager", emptyRole);
            long rest = vacancies - emptyRole;
            String overStaffed = team(1) + ",team_manager";
            long managers = funded.getOrDefault(overStaffed, 0L);
            if (managers < 10) {
                throw new IllegalStateException("no team manager to over-staff in " + overStaffed);
            }
            funded.put(overStaffed, managers - 10);
            for (int t = 0; t < teamCount; t++) {
                long share = rest / teamCount + (t == 0 ? rest % teamCount : 0);
                funded.merge(team(t) + ",social_worker", share, Long::sum);
            }
            StringBuilder csv = new StringBuilder("team_id,role,funded_fte,effective_from\n");
            LocalDate from = yearStart;
            funded.forEach((teamRole, tenths) -> csv.append(teamRole).append(',').append(fte(tenths)).append(',').append(from)
                    .append('\n'));
            csv.append(team(0)).append(",social_worker,999,").append(from.minusYears(1)).append('\n');  // superseded
            csv.append(team(0)).append(",social_worker,0,").append(asOf.plusDays(1)).append('\n');     // not yet in force
            csv.append(team(0)).append(",personal_adviser,5,").append(from).append('\n');             // not social work
            return csv.toString();
        }

        /** Sickness of 20 days a head (the last one the remainder), starting within the year. */
        String absence() {
            StringBuilder csv = new StringBuilder("staff_id,start_date,end_date,reason,working_days_lost\n");
            long days = counts.daysLost() == null ? 0 : counts.daysLost();
            List<Long> spells = new ArrayList<>();
            for (long i = 0; i < days / 200; i++) {
                spells.add(200L);
            }
            if (days % 200 != 0) {
                spells.add(days % 200);
            }
            if (spells.size() > absentees.size()) {
                throw new IllegalStateException("more absences than staff: " + spells.size());
            }
            for (int i = 0; i < spells.size(); i++) {
                LocalDate start = yearStart.plusDays(1 + (i * 7L) % 330);
                csv.append(absentees.get(i).id()).append(',').append(start).append(',').append(start.plusDays(27))
                        .append(",sickness,").append(spells.get(i) / 10).append('.').append(spells.get(i) % 10).append('\n');
            }
            Worker someone = absentees.get(absentees.size() - 1);
            csv.append(someone.id()).append(',').append(yearStart).append(',').append(yearStart.plusDays(4))
                    .append(",sickness,5\n");                                                 // starts before the year
            csv.append(someone.id()).append(',').append(asOf.minusDays(20)).append(',').append(asOf.minusDays(18))
                    .append(",other,3\n");                                                    // not sickness
            for (String notEmployedSocialWorker : List.of("G1", "X6")) {                  // agency; family support
                csv.append(notEmployedSocialWorker).append(',').append(asOf.minusDays(60)).append(',').append(asOf.minusDays(56))
                        .append(",sickness,5\n");
            }
            return csv.toString();
        }

        /**
         * Exactly {@code cases} distinct children open on 30 September across the case holders, a few co-worked
         * within a team (counted once), plus allocations closed before the day, starting after it, or held by a
         * worker who is not a social worker.
         */
        String allocations() {
            StringBuilder csv = new StringBuilder(64 * (int) Math.min(Integer.MAX_VALUE / 64, counts.cases() + 100));
            csv.append("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
            String[] types = {"cin", "cp", "cla", "assessment", "care_leaver"};
            LocalDate september = asOf.withDayOfMonth(1);
            Map<String, List<Worker>> byTeam = caseHolders.stream().collect(Collectors.groupingBy(Worker::team));
            int n = caseHolders.size();
            for (long c = 0; c < counts.cases(); c++) {
                Worker w = caseHolders.get((int) (c % n));
                csv.append('A').append(c).append(",C").append(c).append(',').append(w.id()).append(',')
                        .append(types[(int) (c % types.length)]).append(',').append(september.plusDays(c % 29)).append(',')
                        .append(closed).append(",\n");
                if (c < 5) {
                    List<Worker> colleagues = byTeam.get(w.team());
                    Worker other = colleagues.get((colleagues.indexOf(w) + 1) % colleagues.size());
                    csv.append("B").append(c).append(",C").append(c).append(',').append(other.id()).append(",cp,")
                            .append(september).append(',').append(closed).append(",\n");
                }
            }
            Worker first = caseHolders.get(0);
            csv.append("Z1,Z1,").append(first.id()).append(",cin,").append(september).append(',').append(asOf.minusDays(1))
                    .append(",CHCHAN\n");                                                       // closed the day before
            csv.append("Z2,Z2,").append(first.id()).append(",cin,").append(closed).append(',').append(closed)
                    .append(",\n");                                                               // starts after
            csv.append("Z3,Z3,X6,cin,").append(september).append(',').append(closed).append(",\n"); // family support
            return csv.toString();
        }
    }

    // ---- the API -------------------------------------------------------------------------------------------

    private void load(String dataset, String csv) {
        upload(dataset, csv).expectStatus().isCreated();
    }

    /**
     * Runs the loading while indicator computations wait, and brings the planner's statistics up to date before
     * letting them go (computations take the engine's advisory lock first, so holding it holds them). Every
     * import sets off a background refresh; computed right after England's allocations were loaded, before the
     * tables had statistics for them, 30 September once ran for more than twenty minutes instead of seconds.
     * VACUUM, not only ANALYZE, so that no automatic vacuum is left due: run after the next test has emptied the
     * tables, it records them as empty, and the import's insert of rows not yet present, planned over an "empty"
     * table, then rescans the table it is filling for every row (more than ten minutes for England).
     */
    private void loadHoldingIndicatorsBack(Runnable loading) {
        String lock = "hashtext('workforce-indicators')";
        Connection c = Mono.from(connections.create()).block(Duration.ofSeconds(30));
        try {
            execute(c, "SELECT pg_advisory_lock(" + lock + ")");
            holdingIndicatorsBack = true;
            try {
                loading.run();
                execute(c, "VACUUM ANALYZE teams, referrals, staff_spells, establishment, absence, allocations");
            } finally {
                holdingIndicatorsBack = false;
                execute(c, "SELECT pg_advisory_unlock(" + lock + ")");
            }
        } finally {
            Mono.from(c.close()).block(Duration.ofSeconds(30));
        }
    }

    private static void execute(Connection c, String sql) {
        Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.getRowsUpdated()).blockLast(Duration.ofMinutes(2));
    }

    /**
     * The authority-level indicators on a date, by id, through the API. Figures stored before the data was
     * complete are dropped first, so the API computes the date from everything loaded. Should a background
     * refresh drop the stored figures between the API computing and reading them, the request is repeated.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> indicatorsAt(LocalDate asOf) {
        engine.invalidate().block(Duration.ofMinutes(2));
        return await().atMost(Duration.ofMinutes(2)).until(() -> {
            Map<String, Object> body = web.get().uri("/api/indicators?as_of=" + asOf + "&level=authority").exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            Map<String, Map<String, Object>> byId = new HashMap<>();
            for (Map<String, Object> i : (List<Map<String, Object>>) body.get("indicators")) {
                byId.put((String) i.get("indicator"), i);
            }
            return byId;
        }, byId -> byId.containsKey("turnover_rate") && byId.containsKey("caseload_per_fte"));
    }

    private static double number(Map<String, Object> indicator, String field) {
        return ((Number) indicator.get(field)).doubleValue();
    }
}
