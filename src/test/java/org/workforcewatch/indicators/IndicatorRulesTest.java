package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.workforcewatch.ApiTest;

/**
 * Every indicator on small hand-made fixtures, with the answer worked out by hand in the comments,
 * including the boundaries docs/INDICATORS.md names. As of Friday 28 June 2024 unless said otherwise.
 */
@org.workforcewatch.VouchedHistory
class IndicatorRulesTest extends ApiTest {

    private static final String AS_OF = "2024-06-28";
    private static final String STAFF = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
            + "qualified_date,agency_name,agency_hourly_rate\n";

    private void teams() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Safeguarding East,Safeguarding,safeguarding
                T3,Leaving Care,Care Leavers,care_leavers
                T4,Out of Hours,Front Door,out_of_hours
                """).expectStatus().isCreated();
    }

    private void load(String dataset, String csv) {
        upload(dataset, csv).expectStatus().isCreated();
    }

    /** The indicator's entry at a level and scope on a date, as the API answers it. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> indicator(String id, String level, String scope, String asOf) {
        Map<String, Object> body = web.get().uri("/api/indicators?as_of=" + asOf + "&level=" + level).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> all = (List<Map<String, Object>>) body.get("indicators");
        return all.stream().filter(i -> i.get("indicator").equals(id) && i.get("scope").equals(scope)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " for " + level + " " + scope + " on " + asOf + " in " + all));
    }

    private double value(String id, String scope) {
        return ((Number) indicator(id, "team", scope, AS_OF).get("value")).doubleValue();
    }

    private static String allocations(String staff, String caseType, int fromChild, int toChild, String start, String end) {
        StringBuilder rows = new StringBuilder();
        for (int c = fromChild; c <= toChild; c++) {
            rows.append("A").append(staff).append('-').append(c).append(',').append("C").append(c).append(',').append(staff)
                    .append(',').append(caseType).append(',').append(start).append(',').append(end).append(",\n");
        }
        return rows.toString();
    }

    @Test
    void caseloadCountsDistinctChildrenOverTheFteOfCaseHoldersInPostOnTheDay() {
        teams();
        load("staff", STAFF
                + "S1,T1,social_worker,permanent,1,2023-01-01,,,Y,2015-07-01,,\n"
                + "S2,T1,asye,permanent,0.5,2024-01-01,,,Y,2023-07-01,,\n"
                + "S3,T1,team_manager,permanent,1,2020-01-01,,,N,2005-07-01,,\n"        // not case-holding
                + "S4,T1,social_worker,permanent,1,2024-06-28,,,Y,2020-07-01,,\n"       // starts on as_of: in post, no cases
                + "S5,T1,social_worker,permanent,1,2022-01-01,2024-06-27,resigned,Y,2015-07-01,,\n" // left the day before
                + "S6,T1,social_worker,agency,0.6,2024-01-01,2024-06-28,,Y,2010-07-01,Hays,45\n"   // ends on as_of: in post
                + "S7,T1,family_support,permanent,1,2020-01-01,,,Y,,,\n");             // not a social worker
        load("allocations", "allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n"
                + allocations("S1", "cin", 1, 21, "2024-01-01", "")          // 21 children, 1.0 FTE: 21 > 20, over
                + allocations("S2", "cp", 22, 31, "2024-02-01", "2024-06-28") // 10 children, 0.5 FTE: 20 > 18 (ASYE 90%), over
                + allocations("S6", "cla", 32, 42, "2024-03-01", "")         // 11 children + C1 below = 12 / 0.6 = 20: not over
                + "AS6-1,C1,S6,cla,2024-03-01,,\n"                           // C1 also held by S1: counted once in the team
                + allocations("S5", "cin", 43, 45, "2024-01-01", "2024-06-27") // held by a leaver, ended: not counted
                + allocations("S1", "cin", 46, 47, "2024-06-29", "")         // start after as_of: not counted
                + allocations("S7", "cin", 48, 49, "2024-01-01", ""));        // family support: not counted
        // children 1..42 = 42; FTE S1 1 + S2 0.5 + S4 1 + S6 0.6 = 3.1
        Map<String, Object> caseload = indicator("caseload_per_fte", "team", "T1", AS_OF);
        assertThat(((Number) caseload.get("numerator")).doubleValue()).isEqualTo(42);
        assertThat(((Number) caseload.get("denominator")).doubleValue()).isCloseTo(3.1, within(1e-9));
        assertThat(value("caseload_per_fte", "T1")).isCloseTo(42 / 3.1, within(1e-9));

        Map<String, Object> over = indicator("workers_over_caseload", "team", "T1", AS_OF);
        assertThat(over.get("value")).isEqualTo(2.0);                  // S1 and the ASYE S2; S6 exactly at 20 is not over
        assertThat(((Number) over.get("denominator")).doubleValue()).isEqualTo(4); // S1, S2, S4, S6
        assertThat(over.get("severity")).isEqualTo("amber");           // amber 1, red 3
    }

    @Test
    void agencyTurnoverVacancyAndAgencyRulesFollowTheDepartmentsDefinitions() {
        teams();
        String asOf = "2024-09-30";
        load("staff", STAFF
                + "P1,T2,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "P2,T2,social_worker,fixed_term,0.5,2023-01-01,,,Y,2019-07-01,,\n"
                // left for agency work: a leaver, and back as agency within 3 months breaks the national rule
                + "P3,T2,social_worker,permanent,1,2019-01-01,2024-03-31,resigned,Y,2014-07-01,,\n"
                + "P3,T2,social_worker,agency,1,2024-05-01,,,Y,2014-07-01,Sanctuary,48\n"
                // internal move: not a leaver in T2; employed in T1 afterwards
                + "P4,T2,senior_practitioner,permanent,1,2018-01-01,2024-01-31,internal_move,Y,2010-07-01,,\n"
                + "P4,T1,senior_practitioner,permanent,1,2024-02-01,,,Y,2010-07-01,,\n"
                + "P5,T2,social_worker,permanent,0.8,2015-01-01,2023-09-30,resigned,Y,2010-07-01,,\n" // as_of − 1 year: outside
                + "P6,T2,social_worker,permanent,0.6,2015-01-01,2023-10-01,retired,Y,1990-07-01,,\n"  // first day inside
                + "P7,T2,family_support,permanent,1,2015-01-01,2024-06-30,resigned,N,,,\n"          // not a social worker
                + "P8,T2,social_worker,agency,0.5,2024-01-01,,,Y,2023-01-01,Hays,45\n"   // under 3 years qualified
                + "P9,T2,social_worker,agency,1,2024-01-01,,,Y,2015-07-01,Reed,55\n"     // above the £50 cap
                + "P10,T2,social_worker,agency,1,2024-01-01,,,Y,2010-07-01,Reed,50\n"    // at the cap: compliant
                + "P11,T2,personal_adviser,agency,1,2024-01-01,,,N,,Reed,30\n");          // not a social worker
        load("establishment", """
                team_id,role,funded_fte,effective_from
                T2,social_worker,2,2023-01-01
                T2,social_worker,3,2024-09-30
                T2,senior_practitioner,1,2024-10-01
                T2,team_manager,0.5,2022-01-01
                T2,team_manager,0,2024-01-01
                """);
        // employed in post: P1 1 + P2 0.5 = 1.5; agency: P3 1 + P8 0.5 + P9 1 + P10 1 = 3.5
        Map<String, Object> agency = indicator("agency_rate", "team", "T2", asOf);
        assertThat(((Number) agency.get("numerator")).doubleValue()).isEqualTo(3.5);
        assertThat(((Number) agency.get("value")).doubleValue()).isCloseTo(70.0, within(1e-9));
        assertThat(agency.get("severity")).isEqualTo("red");
        // leavers: P3 1 + P6 0.6 = 1.6 over 1.5 employed
        Map<String, Object> turnover = indicator("turnover_rate", "team", "T2", asOf);
        assertThat(((Number) turnover.get("numerator")).doubleValue()).isCloseTo(1.6, within(1e-9));
        assertThat(((Number) turnover.get("value")).doubleValue()).isCloseTo(1.6 / 1.5 * 100, within(1e-9));
        // funded social workers 3 (the row effective on as_of applies) − 1.5 employed; team manager's later 0 replaces
        // 0.5; the senior practitioner post from 1 October is not yet funded: vacancy 1.5 of 1.5 + 1.5
        Map<String, Object> vacancy = indicator("vacancy_rate", "team", "T2", asOf);
        assertThat(((Number) vacancy.get("numerator")).doubleValue()).isCloseTo(1.5, within(1e-9));
        assertThat(((Number) vacancy.get("value")).doubleValue()).isCloseTo(50.0, within(1e-9));
        // P3 (back within 3 months), P8 (PQE), P9 (rate) of 4 agency social workers
        Map<String, Object> rules = indicator("agency_noncompliant", "team", "T2", asOf);
        assertThat(rules.get("value")).isEqualTo(3.0);
        assertThat(((Number) rules.get("denominator")).doubleValue()).isEqualTo(4);
        // as of 1 January 2024 (history): P3 was still employed and P4 still in T2
        Map<String, Object> earlier = indicator("agency_rate", "team", "T2", "2024-01-01");
        assertThat(((Number) earlier.get("numerator")).doubleValue()).isCloseTo(2.5, within(1e-9)); // P8, P9, P10
        assertThat(((Number) earlier.get("denominator")).doubleValue()).isCloseTo(2.5 + 1 + 0.5 + 1 + 1, within(1e-9));
    }

    @Test
    void aChildCountsForWorkerChangesWithThreeDistinctWorkersOverlappingTheTwelveMonths() {
        teams();
        load("staff", STAFF
                + "W1,T2,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "W2,T2,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "W3,T2,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n");
        load("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason
                K1a,K1,W1,cp,2023-10-05,2024-01-10,
                K1b,K1,W2,cp,2024-01-11,2024-05-01,LEFTRL
                K1c,K1,W3,cp,2024-05-02,,MANAGE
                K2a,K2,W1,cin,2022-01-01,2023-06-28,
                K2b,K2,W2,cin,2023-06-29,2024-05-01,MANAGE
                K2c,K2,W3,cin,2024-05-02,,MANAGE
                K3a,K3,W1,assessment,2024-01-01,2024-02-01,
                K3b,K3,W2,assessment,2024-02-02,2024-03-01,
                K3c,K3,W3,assessment,2024-03-02,,
                """);
        // K1: three workers in the window; K2's first allocation ended on as_of − 1 year (outside): two;
        // K3 holds only an assessment, not in the population. 1 of 2.
        Map<String, Object> changes = indicator("worker_changes", "team", "T2", AS_OF);
        assertThat(((Number) changes.get("numerator")).doubleValue()).isEqualTo(1);
        assertThat(((Number) changes.get("denominator")).doubleValue()).isEqualTo(2);
        assertThat(changes.get("value")).isEqualTo(50.0);
    }

    @Test
    void allocationWaitsCountWorkingDaysSkippingWeekendsAndBankHolidays() {
        teams();
        load("referrals", """
                referral_id,child_id,team_id,referral_date,allocated_date
                R1,C1,T1,2024-06-20,
                R2,C2,T1,2024-06-21,
                R3,C3,T1,2024-05-20,2024-05-24
                R4,C4,T1,2024-05-23,2024-07-01
                R5,C5,T1,2024-06-28,
                """);
        // R1: 21, 24-28 June = 6 > 5; R2: 24-28 June = 5, not over; R3 allocated; R4 allocated after as_of, so waiting:
        // 24 May, 28-31 May (27 May bank holiday), 20 days in June = 25; R5 referred today: 0
        Map<String, Object> wait = indicator("allocation_wait", "team", "T1", AS_OF);
        assertThat(wait.get("value")).isEqualTo(2.0);
        assertThat(((Number) wait.get("denominator")).doubleValue()).isEqualTo(4); // R1, R2, R4, R5 waiting
        assertThat(((Number) wait.get("detail")).doubleValue()).isEqualTo(25);
        assertThat(wait.get("severity")).isEqualTo("amber");
    }

    @Test
    void supervisionCadenceRunsFromTheStartOfAnUnbrokenRunOfSpells() {
        teams();
        load("staff", STAFF
                + "A,T1,social_worker,permanent,1,2024-06-01,,,Y,2020-07-01,,\n"        // tenure 27 days: weekly
                + "B,T1,asye,permanent,1,2024-06-20,,,Y,2024-06-01,,\n"                 // 8 days, none yet: overdue
                + "C,T1,social_worker,fixed_term,1,2023-12-01,2024-03-31,end_of_contract,Y,2015-07-01,,\n"
                + "C,T2,social_worker,permanent,1,2024-04-01,,,Y,2015-07-01,,\n"        // run from 1 Dec: 6 months passed, monthly
                + "D,T1,team_manager,permanent,1,2024-06-01,,,N,2000-07-01,,\n");       // not case-holding
        load("supervision", """
                staff_id,supervision_date,kind
                A,2024-06-21,formal
                C,2024-06-08,reflective
                D,2024-01-01,formal
                """);
        // A: 7 days since, interval 7: not overdue. B: overdue. C: 20 days since; the current spell alone would give
        // fortnightly (overdue) but tenure runs from 1 December, so monthly: not overdue.
        Map<String, Object> t1 = indicator("supervision_overdue", "team", "T1", AS_OF);
        assertThat(((Number) t1.get("numerator")).doubleValue()).isEqualTo(1);
        assertThat(((Number) t1.get("denominator")).doubleValue()).isEqualTo(2);
        assertThat(value("supervision_overdue", "T2")).isZero();
    }

    @Test
    void inductionIsCheckedFromNinetyDaysOfTenure() {
        teams();
        load("staff", STAFF
                + "E,T1,social_worker,permanent,1,2024-03-30,,,Y,2020-07-01,,\n"   // exactly 90 days
                + "F,T1,social_worker,permanent,1,2024-03-31,,,Y,2020-07-01,,\n"   // 89 days: not yet checked
                + "G,T1,social_worker,permanent,1,2023-12-11,,,Y,2020-07-01,,\n"
                + "H,T1,family_support,permanent,1,2023-09-02,,,N,,,\n");
        load("training", """
                staff_id,course,due_date,completed_date
                E,induction,2024-06-28,2024-04-10
                E,practice_model,2024-06-28,
                G,induction,2024-03-10,2024-02-01
                G,practice_model,2024-03-10,2024-07-01
                H,induction,2023-12-01,2023-10-01
                H,practice_model,2023-12-01,2023-11-01
                """);
        // E lacks the practice model; G completed it only after as_of; H has both. F is under 90 days.
        Map<String, Object> induction = indicator("induction_incomplete", "team", "T1", AS_OF);
        assertThat(((Number) induction.get("numerator")).doubleValue()).isEqualTo(2);
        assertThat(((Number) induction.get("denominator")).doubleValue()).isEqualTo(3);
    }

    @Test
    void childrenInCareNeedAnAssessmentWithinTwelveMonthsAndAPersonalAdviserFromSeventeen() {
        teams();
        load("staff", STAFF + "W,T2,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "PA1,T3,personal_adviser,permanent,1,2020-01-01,,,N,,,\n");
        load("children_in_care", """
                child_id,date_of_birth,period_start,period_end,latest_assessment_date
                K1,2010-01-01,2020-01-01,,2023-06-28
                K2,2010-01-01,2020-01-01,,2023-06-29
                K3,2010-01-01,2020-01-01,,
                K4,2010-01-01,2020-01-01,2024-06-27,
                K5,2010-01-01,2024-06-28,,2024-06-28
                L1,2007-06-28,2019-01-01,,2024-01-01
                L2,2007-06-29,2019-01-01,,2024-01-01
                L3,2006-01-01,2019-01-01,,2024-01-01
                L4,2006-05-05,2019-01-01,,2024-01-01
                """);
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        for (String child : List.of("K1", "K2", "K3", "K4", "K5", "L1", "L2", "L3", "L4")) {
            allocations.append("A").append(child).append(',').append(child).append(",W,cla,2019-01-01\n");
        }
        load("allocations", allocations.toString());
        load("care_leavers", """
                child_id,date_of_birth,eligibility,pa_staff_id
                L3,2006-01-01,eligible,PA1
                L4,2006-05-05,eligible,
                """);
        // in care on 28 June: K1 K2 K3 K5 L1-L4 (K4 left the day before) = 8. Out of date: K1 (exactly a year
        // ago is outside the window) and K3 (none) = 2 of 8.
        Map<String, Object> assessment = indicator("assessment_out_of_date", "team", "T2", AS_OF);
        assertThat(((Number) assessment.get("numerator")).doubleValue()).isEqualTo(2);
        assertThat(((Number) assessment.get("denominator")).doubleValue()).isEqualTo(8);
        // aged 17 or more: L1 (17th birthday today), L3, L4; L2 is 17 tomorrow. No personal adviser: L1, L4.
        Map<String, Object> late = indicator("pa_late", "team", "T2", AS_OF);
        assertThat(late.get("value")).isEqualTo(2.0);
        assertThat(((Number) late.get("denominator")).doubleValue()).isEqualTo(3);
    }

    @Test
    void personalAdviserCaseloadsAndContactCountTheEligiblePopulationOfAdvisersInPost() {
        teams();
        load("staff", STAFF
                + "PA1,T3,personal_adviser,permanent,1,2020-01-01,,,N,,,\n"
                + "PA2,T3,personal_adviser,permanent,0.5,2020-01-01,,,N,,,\n"
                + "PA3,T3,personal_adviser,permanent,1,2020-01-01,2024-05-31,resigned,N,,,\n");
        load("care_leavers", """
                child_id,date_of_birth,eligibility,pa_staff_id,in_touch,latest_contact_date
                Y1,2005-01-01,former_relevant,PA1,yes,2024-05-03
                Y2,2005-01-01,former_relevant,PA1,yes,2024-05-02
                Y3,2005-01-01,former_relevant,PA1,no,
                Y4,2007-01-01,relevant,PA1,yes,2024-06-01
                Y5,2007-06-01,eligible,PA1,yes,2024-06-20
                Y6,2007-01-01,qualifying,PA1,yes,2024-06-20
                Y7,2004-01-01,former_relevant,PA2,died,2023-01-01
                Y8,2007-01-01,relevant,PA2,yes,2024-06-20
                Y9,2007-01-01,relevant,PA2,yes,2024-06-21
                Y10,2005-01-01,former_relevant,PA3,yes,2024-01-01
                """);
        // held by advisers in post, eligible/relevant/former relevant, not died: Y1-Y5, Y8, Y9 = 7 over 1.5 FTE
        Map<String, Object> pa = indicator("pa_caseload_per_fte", "team", "T3", AS_OF);
        assertThat(((Number) pa.get("numerator")).doubleValue()).isEqualTo(7);
        assertThat(((Number) pa.get("value")).doubleValue()).isCloseTo(7 / 1.5, within(1e-9));
        // Y1 is exactly 56 days ago (not overdue), Y2 57 days (overdue), Y3 never: 2 of 7
        Map<String, Object> contact = indicator("care_leaver_contact_overdue", "team", "T3", AS_OF);
        assertThat(((Number) contact.get("numerator")).doubleValue()).isEqualTo(2);
        assertThat(((Number) contact.get("value")).doubleValue()).isCloseTo(200.0 / 7, within(1e-9));
    }

    @Test
    void outOfHoursGapsAreShiftsInTheNext28DaysBelowTheirRequiredStaff() {
        teams();
        load("staff", STAFF + "O1,T4,social_worker,permanent,1,2020-01-01,,,N,2012-07-01,,\n"
                + "O2,T4,social_worker,permanent,1,2020-01-01,,,N,2012-07-01,,\n");
        load("shift_requirements", "team_id,shift,required_staff\nT4,ooh_night,2\nT4,weekend_day,1\n");
        StringBuilder shifts = new StringBuilder("shift_date,team_id,shift,staff_id\n");
        java.time.LocalDate start = java.time.LocalDate.parse(AS_OF);
        for (int day = 0; day <= 29; day++) {
            String date = start.plusDays(day).toString();
            // as_of itself and day 29 are outside the window; day 1 has one night worker; day 28 none; day 5 no weekend cover
            if (day != 0 && day != 28 && day != 29) {
                shifts.append(date).append(",T4,ooh_night,O1\n");
                if (day != 1) {
                    shifts.append(date).append(",T4,ooh_night,O2\n");
                }
            }
            if (day != 5) {
                shifts.append(date).append(",T4,weekend_day,O1\n");
            }
        }
        load("shifts", shifts.toString());
        Map<String, Object> gaps = indicator("ooh_cover_gap", "team", "T4", AS_OF);
        assertThat(gaps.get("value")).isEqualTo(3.0);
        assertThat(((Number) gaps.get("denominator")).doubleValue()).isEqualTo(56);
        assertThat(gaps.get("severity")).isEqualTo("red");
    }

    @Test
    void absenceIsSicknessDaysLostOverEmployedFteTimes253() {
        teams();
        load("staff", STAFF
                + "J1,T1,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "J2,T1,social_worker,permanent,0.5,2020-01-01,,,Y,2012-07-01,,\n"
                + "J3,T1,family_support,permanent,1,2020-01-01,,,N,,,\n");
        load("absence", """
                staff_id,start_date,end_date,reason,working_days_lost
                J1,2024-03-04,2024-03-08,sickness,
                J2,2024-02-05,2024-02-06,sickness,
                J2,2024-04-02,2024-04-04,sickness,2.5
                J1,2023-06-28,2023-07-05,sickness,
                J1,2024-05-01,2024-05-03,other,
                J3,2024-05-01,2024-05-03,sickness,
                """);
        // J1: 5 weekdays × 1; J2: 2 weekdays × 0.5 = 1, and 2.5 as given; the absence starting exactly a year ago,
        // the "other" absence and the family support worker's do not count: 8.5 / (1.5 × 253)
        Map<String, Object> absence = indicator("absence_rate", "team", "T1", AS_OF);
        assertThat(((Number) absence.get("numerator")).doubleValue()).isCloseTo(8.5, within(1e-9));
        assertThat(((Number) absence.get("value")).doubleValue()).isCloseTo(8.5 / (1.5 * 253) * 100, within(1e-9));
    }

    @Test
    void servicesAndTheAuthorityAddNumeratorsAndDenominatorsAndSeverityIsInclusiveAtEachThreshold() {
        upload("teams", """
                team_id,team_name,service,team_type
                A1,Alpha,Safeguarding,safeguarding
                A2,Beta,Safeguarding,safeguarding
                A3,Gamma,Front Door,assessment
                """).expectStatus().isCreated();
        load("staff", STAFF
                + "X1,A1,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n"
                + "X2,A2,social_worker,permanent,0.5,2020-01-01,,,Y,2012-07-01,,\n"
                + "X3,A3,social_worker,permanent,1,2020-01-01,,,Y,2012-07-01,,\n");
        load("allocations", "allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n"
                + allocations("X1", "cin", 1, 18, "2024-01-01", "")    // 18 / 1: exactly amber
                + allocations("X2", "cin", 101, 111, "2024-01-01", "") // 11 / 0.5 = 22: exactly red
                + allocations("X3", "cin", 201, 210, "2024-01-01", ""));
        assertThat(indicator("caseload_per_fte", "team", "A1", AS_OF).get("severity")).isEqualTo("amber");
        assertThat(indicator("caseload_per_fte", "team", "A2", AS_OF).get("severity")).isEqualTo("red");
        // service: (18 + 11) / 1.5 = 19.33, not the mean of 18 and 22
        Map<String, Object> service = indicator("caseload_per_fte", "service", "Safeguarding", AS_OF);
        assertThat(((Number) service.get("value")).doubleValue()).isCloseTo(29 / 1.5, within(1e-9));
        Map<String, Object> authority = indicator("caseload_per_fte", "authority", "authority", AS_OF);
        assertThat(((Number) authority.get("value")).doubleValue()).isCloseTo(39 / 2.5, within(1e-9));
        assertThat(authority.get("severity")).isEqualTo("ok");
    }
}
