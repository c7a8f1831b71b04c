package org.workforcewatch.agency;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The national rules for agency social workers, each at its boundaries, as the one home of each rule
 * (sql/V24__agency_register.sql) judges them: the functions the register, the return and the indicator all use. A
 * plain PostgreSQL and the migrations, no application.
 */
class AgencyChecksTest {

    private static EmbeddedPostgres pg;
    private static Path folder;

    private static final String CAPS = "'[{\"role_category\": \"social_worker\", \"hourly_rate\": 40.00, \"from\": \"2024-10-31\"},"
            + " {\"role_category\": \"social_worker\", \"hourly_rate\": 42.00, \"from\": \"2025-02-01\"}]'::jsonb";

    @BeforeAll
    static void database() throws Exception {
        folder = Files.createTempDirectory("agency-checks");
        pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(folder.toFile()).start();
        Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO teams (team_id, team_name, service, team_type) VALUES ('T1', 'Team 1', 'Children', 'assessment')");
            // OLD: qualified 15 September 2022, on agency since June 2024 (before the rules), 2 weeks after leaving a
            // permanent post; NEW: the same, but starting the day the rules came in
            s.execute("""
                    INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, end_date, case_holding, qualified_date)
                    VALUES ('OLD', 'T1', '2020-01-01', 'social_worker', 'permanent', 1, '2024-05-18', true, '2022-09-15'),
                           ('OLD', 'T1', '2024-06-01', 'social_worker', 'agency', 1, NULL, true, '2022-09-15'),
                           ('NEW', 'T1', '2020-01-01', 'social_worker', 'permanent', 1, '2024-10-17', true, '2022-09-15'),
                           ('NEW', 'T1', '2024-10-31', 'social_worker', 'agency', 1, NULL, true, '2022-09-15')
                    """);
            s.execute("""
                    INSERT INTO agency_assignments (staff_id, start_date, role_category, agency_name, hourly_rate, project_team)
                    VALUES ('OLD', '2024-06-01', 'social_worker', 'Hays', 45.00, false),
                           ('NEW', '2024-10-31', 'social_worker', 'Hays', 45.00, false)
                    """);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    private static String one(String sql) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void experienceOfExactlyThreeYearsAtTheStartPassesAndADayLessFails() throws SQLException {
        assertThat(one("agency_experience_check('2022-01-15', '2025-01-15')")).isEqualTo("pass");
        assertThat(one("agency_experience_check('2022-01-16', '2025-01-15')")).isEqualTo("fail");
        assertThat(one("agency_experience_check('2010-07-01', '2025-01-15')")).isEqualTo("pass");
    }

    @Test
    void threeYearsFromALeapDayEndOnTheFirstOfMarchAndFromAnyOtherDayOnTheSameDateThreeYearsOn() throws SQLException {
        // 29 February has no anniversary in a common year: 3 years are complete on 1 March
        assertThat(one("agency_experience_check('2020-02-29', '2023-02-28')")).isEqualTo("fail");
        assertThat(one("agency_experience_check('2020-02-29', '2023-03-01')")).isEqualTo("pass");
        // qualified on 1 March before a leap year: the anniversary is 1 March, never 29 February
        assertThat(one("agency_experience_check('2021-03-01', '2024-02-29')")).isEqualTo("fail");
        assertThat(one("agency_experience_check('2021-03-01', '2024-03-01')")).isEqualTo("pass");
        // qualified on 28 February: its anniversary, in a leap year too
        assertThat(one("agency_experience_check('2021-02-28', '2024-02-27')")).isEqualTo("fail");
        assertThat(one("agency_experience_check('2021-02-28', '2024-02-28')")).isEqualTo("pass");
        assertThat(one("agency_experience_check('2021-06-01', '2024-05-31')")).isEqualTo("fail");
        assertThat(one("agency_experience_check('2021-06-01', '2024-06-01')")).isEqualTo("pass");
    }

    @Test
    void anAssignmentStartedBeforeTheRulesIsJudgedFromOctober2025AndAnyOtherFromItsStart() throws SQLException {
        assertThat(one("agency_judged_from('2024-10-30')")).isEqualTo("2025-10-01");
        assertThat(one("agency_judged_from('2019-04-01')")).isEqualTo("2025-10-01");
        assertThat(one("agency_judged_from('2024-10-31')")).isEqualTo("2024-10-31");
        assertThat(one("agency_judged_from('2025-03-10')")).isEqualTo("2025-03-10");
    }

    private static String checks(String staff, String day) throws SQLException {
        return one("concat_ws(' ', c.experience, c.price_cap, c.reengagement, c.notice, c.breach_approved, c.noncompliant)"
                + " FROM agency_assignments a CROSS JOIN LATERAL agency_assignment_checks(a, DATE '" + day + "', " + CAPS + ") c"
                + " WHERE a.staff_id = '" + staff + "'");
    }

    @Test
    void beforeAnAssignmentIsJudgedEveryCheckIsNotApplicableAndItsWorkerIsNotNonCompliant() throws SQLException {
        // OLD started in June 2024: on 30 September 2025 nothing applies yet, though 45.00 is above the 42.00 cap
        assertThat(checks("OLD", "2024-06-01")).isEqualTo("not_applicable not_applicable not_applicable not_applicable not_applicable f");
        assertThat(checks("OLD", "2025-09-30")).isEqualTo("not_applicable not_applicable not_applicable not_applicable not_applicable f");
        assertThat(one("string_agg(staff_id, ',' ORDER BY staff_id) FROM agency_register_on('2025-09-30', " + CAPS + ") WHERE noncompliant"))
                .isEqualTo("NEW");
        // from 1 October 2025: 3 years' experience by then (qualified 15 September 2022), an unapproved breach; the
        // permanent post left 2 weeks before the start is not a re-engagement (the assignment predates the rules)
        assertThat(checks("OLD", "2025-10-01")).isEqualTo("pass fail not_applicable not_applicable fail t");
        assertThat(one("string_agg(staff_id, ',' ORDER BY staff_id) FROM agency_register_on('2025-10-01', " + CAPS + ") WHERE noncompliant"))
                .isEqualTo("NEW,OLD");
    }

    @Test
    void anAssignmentStartedUnderTheRulesIsJudgedFromItsStartOnExperienceAndReengagement() throws SQLException {
        // NEW started 31 October 2024, 2 weeks after leaving a permanent post, 2 years after qualifying; 45.00 > 40.00
        assertThat(checks("NEW", "2024-10-30")).isEqualTo("not_applicable not_applicable not_applicable not_applicable not_applicable f");
        assertThat(checks("NEW", "2024-10-31")).isEqualTo("fail fail fail not_applicable fail t");
        // experience stays judged on the start, not on the day
        assertThat(checks("NEW", "2026-01-01")).isEqualTo("fail fail fail not_applicable fail t");
    }

    @Test
    void overSeveralDaysThePriceCapIsBrokenIfTheRateExceededTheCapInForceOnAnyOfThem() throws SQLException {
        // 40.00 until 31 January 2025, 42.00 from 1 February: 41.00 exceeded 40.00 in January
        assertThat(one("agency_cap_over(" + CAPS + ", 'social_worker', 41.00, '2025-01-06', '2025-03-31')")).isEqualTo("40.00");
        assertThat(one("agency_cap_over(" + CAPS + ", 'social_worker', 41.00, '2025-02-01', '2025-03-31')")).isEqualTo("42.00");
        // within every cap: the cap on the last day
        assertThat(one("agency_cap_over(" + CAPS + ", 'social_worker', 39.00, '2025-01-06', '2025-03-31')")).isEqualTo("42.00");
        // a cap lowered within the days: the lower one, reached only on its "from" date
        String lowered = "'[{\"role_category\": \"team_manager\", \"hourly_rate\": 55.00, \"from\": \"2024-10-31\"},"
                + " {\"role_category\": \"team_manager\", \"hourly_rate\": 50.00, \"from\": \"2025-03-01\"},"
                + " {\"role_category\": \"team_manager\", \"hourly_rate\": 58.00, \"from\": \"2025-03-15\"}]'::jsonb";
        assertThat(one("agency_cap_over(" + lowered + ", 'team_manager', 52.00, '2025-01-01', '2025-02-28')")).isEqualTo("55.00");
        assertThat(one("agency_cap_over(" + lowered + ", 'team_manager', 52.00, '2025-01-01', '2025-03-31')")).isEqualTo("50.00");
        // no cap configured: none
        assertThat(one("agency_cap_over('[]'::jsonb, 'team_manager', 52.00, '2025-01-01', '2025-03-31')")).isNull();
        // the checks over a quarter: NEW's 45.00 broke the 40.00 and the 42.00
        assertThat(one("c.cap || ' ' || c.price_cap FROM agency_assignments a CROSS JOIN LATERAL agency_assignment_checks(a,"
                + " DATE '2025-01-01', DATE '2025-03-31', " + CAPS + ") c WHERE a.staff_id = 'NEW'")).isEqualTo("40.00 fail");
    }

    @Test
    void experienceWithoutAQualifiedDateIsNotKnownNotAPass() throws SQLException {
        assertThat(one("agency_experience_check(NULL, '2025-01-15')")).isEqualTo("not_known");
    }

    @Test
    void theCapInForceIsTheLatestFromOnOrBeforeTheDay() throws SQLException {
        // 40.00 from 31 October 2024, 42.00 from 1 February 2025
        assertThat(one("agency_cap_in_force(" + CAPS + ", 'social_worker', '2025-01-31')")).isEqualTo("40.00");
        assertThat(one("agency_cap_in_force(" + CAPS + ", 'social_worker', '2025-02-01')")).isEqualTo("42.00");
        assertThat(one("agency_cap_in_force(" + CAPS + ", 'social_worker', '2024-10-31')")).isEqualTo("40.00");
        // before the first cap, and for a category without caps: none
        assertThat(one("agency_cap_in_force(" + CAPS + ", 'social_worker', '2024-10-30')")).isNull();
        assertThat(one("agency_cap_in_force(" + CAPS + ", 'team_manager', '2025-03-01')")).isNull();
        assertThat(one("agency_cap_in_force('[]'::jsonb, 'social_worker', '2025-03-01')")).isNull();
    }

    @Test
    void aRateEqualToTheCapPassesAPennyMoreFailsAndNoCapIsNotKnown() throws SQLException {
        assertThat(one("agency_price_check(40.00, 40.00)")).isEqualTo("pass");
        assertThat(one("agency_price_check(40.01, 40.00)")).isEqualTo("fail");
        assertThat(one("agency_price_check(41.00, NULL)")).isEqualTo("not_known");
        // 41.00 breaks the cap on 31 January 2025 (40.00) but not on 1 February (42.00)
        assertThat(one("agency_price_check(41.00, agency_cap_in_force(" + CAPS + ", 'social_worker', '2025-01-31'))"))
                .isEqualTo("fail");
        assertThat(one("agency_price_check(41.00, agency_cap_in_force(" + CAPS + ", 'social_worker', '2025-02-01'))"))
                .isEqualTo("pass");
    }

    @Test
    void leavingAPermanentPostExactlyThreeMonthsBeforeIsWithinAndADayEarlierIsNot() throws SQLException {
        assertThat(one("agency_reengagement_check('2024-10-15', '2025-01-15')")).isEqualTo("fail");
        assertThat(one("agency_reengagement_check('2024-10-14', '2025-01-15')")).isEqualTo("pass");
        assertThat(one("agency_reengagement_check('2025-01-14', '2025-01-15')")).isEqualTo("fail");
        // never a permanent post of ours
        assertThat(one("agency_reengagement_check(NULL, '2025-01-15')")).isEqualTo("pass");
    }

    @Test
    void noticeOfExactlyFourWeeksPassesAndADayLessFails() throws SQLException {
        // given 3 February, ending 3 March 2025: 28 days
        assertThat(one("agency_notice_check('2025-02-03', NULL, '2025-03-03', NULL)")).isEqualTo("pass");
        assertThat(one("agency_notice_check('2025-02-04', NULL, '2025-03-03', NULL)")).isEqualTo("fail");
        // the planned end stands for the end while the assignment runs
        assertThat(one("agency_notice_check('2025-02-04', NULL, NULL, '2025-03-31')")).isEqualTo("pass");
        assertThat(one("agency_notice_check(NULL, 4, NULL, NULL)")).isEqualTo("pass");
        assertThat(one("agency_notice_check(NULL, 3.5, NULL, NULL)")).isEqualTo("fail");
    }

    @Test
    void noticeWithoutTheDataToJudgeItIsNotKnownAndBeforeAnyEndItDoesNotApply() throws SQLException {
        assertThat(one("agency_notice_check(NULL, NULL, '2025-03-03', NULL)")).isEqualTo("not_known");
        assertThat(one("agency_notice_check('2025-02-03', NULL, NULL, NULL)")).isEqualTo("not_known");
        assertThat(one("agency_notice_check(NULL, NULL, NULL, '2025-06-30')")).isEqualTo("not_applicable");
    }

    @Test
    void aBreachNeedsWhoWhenAndWhyToBeApproved() throws SQLException {
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), 'no other cover', 47.00, 47.00)")).isEqualTo("pass");
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), NULL, 47.00, 47.00)")).isEqualTo("fail");
        assertThat(one("agency_breach_approval_check('fail', NULL, NULL, NULL, NULL, 47.00)")).isEqualTo("fail");
        assertThat(one("agency_breach_approval_check('pass', NULL, NULL, NULL, NULL, 47.00)")).isEqualTo("not_applicable");
        assertThat(one("agency_breach_approval_check('not_known', 'J. Head', now(), 'x', 47.00, 47.00)")).isEqualTo("not_known");
    }

    @Test
    void anApprovalCoversTheRateItApprovedOrLessButNotARise() throws SQLException {
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), 'cover', 47.00, 46.50)")).isEqualTo("pass");
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), 'cover', 47.00, 47.01)")).isEqualTo("fail");
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), 'cover', NULL, 47.00)")).isEqualTo("fail");
    }

    @Test
    void aWorkerIsNonCompliantWhenAnyRuleFailsButNotWhenOnlyUnknownOrAnApprovedBreach() throws SQLException {
        assertThat(one("agency_noncompliant('pass', 'pass', 'not_applicable', 'pass')")).isEqualTo("f");
        assertThat(one("agency_noncompliant('not_known', 'pass', 'not_known', 'not_known')")).isEqualTo("f");
        assertThat(one("agency_noncompliant('pass', 'pass', 'fail', 'not_applicable')")).isEqualTo("t");
        assertThat(one("agency_noncompliant('pass', 'pass', 'pass', 'fail')")).isEqualTo("t");
        assertThat(one("agency_noncompliant('fail', 'pass', 'pass', 'not_applicable')")).isEqualTo("t");
    }
}
