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
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), 'no other cover')")).isEqualTo("pass");
        assertThat(one("agency_breach_approval_check('fail', 'J. Head', now(), NULL)")).isEqualTo("fail");
        assertThat(one("agency_breach_approval_check('fail', NULL, NULL, NULL)")).isEqualTo("fail");
        assertThat(one("agency_breach_approval_check('pass', NULL, NULL, NULL)")).isEqualTo("not_applicable");
        assertThat(one("agency_breach_approval_check('not_known', 'J. Head', now(), 'x')")).isEqualTo("not_known");
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
