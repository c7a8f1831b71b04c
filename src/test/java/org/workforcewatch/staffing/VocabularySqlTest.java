package org.workforcewatch.staffing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.workforcewatch.ApiTest;

/**
 * The SQL vocabulary (sql/V11__vocabulary.sql) on the real PostgreSQL: it reads every role as {@link StaffRole}
 * does, and its functions disappear into the queries that call them, so a predicate on a column keeps its index.
 */
class VocabularySqlTest extends ApiTest {

    @Test
    void theSqlFunctionsReadEveryRoleAsStaffRoleDoes() {
        for (StaffRole role : StaffRole.values()) {
            Map<String, Object> sql = db.sql("""
                            SELECT is_cfsw(:id) AS cfsw, is_personal_adviser(:id) AS personal_adviser, is_asye(:id) AS asye,
                                   caseload_limit(:id, 20, 0.8) AS caseload_limit
                            """)
                    .bind("id", role.id()).fetch().one().block();
            assertThat(sql).as(role.id()).isNotNull();
            assertThat(sql.get("cfsw")).as("is_cfsw('%s')", role.id()).isEqualTo(role.cfsw());
            assertThat(sql.get("personal_adviser")).as("is_personal_adviser('%s')", role.id())
                    .isEqualTo(role == StaffRole.PERSONAL_ADVISER);
            assertThat(sql.get("asye")).as("is_asye('%s')", role.id()).isEqualTo(role == StaffRole.ASYE);
            assertThat((BigDecimal) sql.get("caseload_limit")).as("caseload_limit('%s', 20, 0.8)", role.id())
                    .isEqualByComparingTo(role == StaffRole.ASYE ? "16" : "20");
        }
    }

    @Test
    void aSpellOfEachRoleCarriesStaffRolesFlagsInTheSpellsView() {
        db.sql("INSERT INTO teams (team_id, team_name, service, team_type) VALUES ('T1', 'Team 1', 'Service', 'assessment')")
                .then().block();
        for (StaffRole role : StaffRole.values()) {
            db.sql("""
                    INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, case_holding)
                    VALUES (:id, 'T1', DATE '2024-01-01', :id, 'permanent', 1, true)
                    """).bind("id", role.id()).then().block();
        }
        List<Map<String, Object>> rows = db.sql("SELECT role, cfsw, personal_adviser, case_holding_cfsw FROM staff_spells_v")
                .fetch().all().collectList().block();
        assertThat(rows).hasSize(StaffRole.values().length);
        for (Map<String, Object> row : rows) {
            StaffRole role = StaffRole.byId((String) row.get("role")).orElseThrow();
            assertThat(row.get("cfsw")).as(role.id()).isEqualTo(role.cfsw());
            assertThat(row.get("personal_adviser")).as(role.id()).isEqualTo(role == StaffRole.PERSONAL_ADVISER);
            assertThat(row.get("case_holding_cfsw")).as(role.id()).isEqualTo(role.cfsw());
        }
    }

    /**
     * PostgreSQL inlines a single-expression SQL function into its caller; a function that stopped being inlinable
     * (a second statement, plpgsql, a volatile or merely stable call in an immutable one) would show by name in the
     * plan, be called once per row, and hide the columns from their indexes.
     */
    @Test
    void everyFunctionIsInlinedIntoTheQueryThatCallsIt() {
        Map<String, String> calls = Map.of(
                "open_on", "open_on(s.start_date, s.end_date, DATE '2025-01-01')",
                "open_beyond", "open_beyond(s.start_date, s.end_date, DATE '2025-01-01')",
                "open_during", "open_during(s.start_date, s.end_date, DATE '2024-01-01', DATE '2025-01-01')",
                "is_cfsw", "is_cfsw(s.role)",
                "is_personal_adviser", "is_personal_adviser(s.role)",
                "is_asye", "is_asye(s.role)",
                "is_employed", "is_employed(s.employment)",
                "caseload_limit", "caseload_limit(s.role, 20, 0.8) > 10",
                "supervision_interval_days", "supervision_interval_days(s.start_date, DATE '2025-01-01') > 7",
                "agency_monthly_cost", "agency_monthly_cost(s.agency_hourly_rate, s.fte) > 0");
        Map<String, String> notInlined = calls.entrySet().stream()
                .filter(c -> plan("SELECT s.staff_id FROM staff_spells s WHERE " + c.getValue()).contains(c.getKey() + "("))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(notInlined).as("functions called by name in the plan instead of inlined").isEmpty();
        assertThat(plan("SELECT s.staff_id FROM staff_spells s WHERE open_on(s.start_date, s.end_date, DATE '2025-01-01')"))
                .as("the inlined open_on compares the columns themselves").contains("start_date <=");
    }

    private String plan(String sql) {
        return db.sql("EXPLAIN (VERBOSE, COSTS OFF) " + sql).map(r -> r.get(0, String.class)).all()
                .collect(Collectors.joining("\n")).block();
    }
}
