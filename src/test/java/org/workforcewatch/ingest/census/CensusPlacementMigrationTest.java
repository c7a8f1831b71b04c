package org.workforcewatch.ingest.census;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Census returns stored before workers were placed by cost centre (each return put all its workers into one team
 * named at upload, or into a made-up team 'unassigned') keep none of that placement after the upgrade: their workers
 * leave the live figures and are listed as not placed, whichever team the upload named.
 */
class CensusPlacementMigrationTest {

    @TempDir
    Path folder;

    @Test
    void workersOfEarlierReturnsAreNotPlacedInTheTeamTheUploadNamedNorInUnassigned() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(folder.toFile()).start()) {
            DataSource data = pg.getPostgresDatabase();
            Flyway.configure().dataSource(data).locations("classpath:db/migration").target("15").load().migrate();
            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO teams (team_id, team_name, service, team_type) VALUES ('T1', 'North', 'Front Door', 'assessment')");
                s.execute("INSERT INTO teams (team_id, team_name, service, team_type, source) VALUES ('unassigned', 'Unassigned',"
                        + " 'Census', 'unknown', 'census')");
                s.execute("INSERT INTO imports (id, dataset, format_version, status) VALUES (1, 'staff', '1', 'succeeded'),"
                        + " (2, 'census', '1', 'succeeded'), (3, 'census', '1', 'succeeded')");
                // a worker of the HR file, in T1 by the HR file
                s.execute("INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, case_holding, import_id)"
                        + " VALUES ('HR1', 'T1', '2020-01-01', 'social_worker', 'permanent', 1, true, 1)");
                // 2023's return uploaded into team T1; 2024's into 'unassigned'
                s.execute("INSERT INTO census_returns (id, collection_year, reference_date, team_id, vacancies_fte, agency_fte,"
                        + " agency_headcount, import_id) VALUES (1, 2023, '2023-09-30', 'T1', 0, 0, 0, 2),"
                        + " (2, 2024, '2024-09-30', 'unassigned', 0, 0, 0, 3)");
                s.execute("INSERT INTO census_workers (return_id, worker_index, swe_no, agency, fte, role_start_date) VALUES"
                        + " (1, 1, 'SW1', false, 1, '2021-01-01'), (1, 2, 'SW2', false, 1, '2021-06-01'),"
                        + " (2, 1, 'SW3', true, 1, '2022-01-01')");
                s.execute("INSERT INTO staff_spells (staff_id, team_id, start_date, role, employment, fte, case_holding, import_id, source)"
                        + " VALUES ('SW1', 'T1', '2021-01-01', 'social_worker', 'permanent', 1, true, 2, 'census'),"
                        + " ('SW2', 'T1', '2021-06-01', 'social_worker', 'permanent', 1, true, 2, 'census'),"
                        + " ('SW3', 'unassigned', '2022-01-01', 'social_worker', 'agency', 1, true, 3, 'census')");
                s.execute("INSERT INTO absence (staff_id, start_date, end_date, reason, working_days_lost, import_id) VALUES"
                        + " ('SW1', '2022-10-01', '2023-09-30', 'sickness', 4, 2), ('SW3', '2023-10-01', '2024-09-30', 'sickness', 2, 3),"
                        + " ('HR1', '2023-03-01', '2023-03-02', 'sickness', 2, 1)");
                s.execute("INSERT INTO indicator_results (as_of, indicator, team_id, numerator, denominator) VALUES"
                        + " ('2024-09-30', 'agency_rate', 'unassigned', 1, 1)");
            }
            String changesBefore;
            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                changesBefore = one(s, "SELECT coalesce(max(id), 0) FROM indicator_changes");
            }

            Flyway.configure().dataSource(data).locations("classpath:db/migration").load().migrate();

            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                assertThat(one(s, "SELECT count(*) FROM census_workers")).isEqualTo("3");
                assertThat(one(s, "SELECT count(*) FROM census_workers WHERE team_id IS NOT NULL OR mapped_team IS NOT NULL"))
                        .isEqualTo("0");
                assertThat(one(s, "SELECT string_agg(staff_id || '@' || team_id, ',' ORDER BY staff_id) FROM staff_spells"))
                        .isEqualTo("HR1@T1");
                assertThat(one(s, "SELECT string_agg(staff_id, ',' ORDER BY staff_id) FROM absence")).isEqualTo("HR1");
                assertThat(one(s, "SELECT string_agg(team_id, ',' ORDER BY team_id) FROM teams")).isEqualTo("T1");
                assertThat(one(s, "SELECT count(*) FROM indicator_results WHERE team_id = 'unassigned'")).isEqualTo("0");
                // what data quality lists as not placed (GET /api/data-quality reads the same rows)
                assertThat(one(s, "SELECT count(*) FROM census_workers WHERE team_id IS NULL")).isEqualTo("3");
                // the figures that counted the removed spells are marked for recomputing
                assertThat(one(s, "SELECT count(*) > 0 FROM indicator_changes WHERE id > " + changesBefore)).isEqualTo("t");
            }
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
