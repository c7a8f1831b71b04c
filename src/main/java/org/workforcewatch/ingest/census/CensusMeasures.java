package org.workforcewatch.ingest.census;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Department's measures for one stored census return, computed from its workers as docs/DOMAIN.md
 * ("Official definitions") defines them. Rates are percentages rounded to 1 decimal place, computed
 * from unrounded FTEs, and shown with their numerator and denominator; a rate whose denominator is 0
 * is null.
 *
 * <p>In post at the reference date: FTE &gt; 0, RoleStartDate on or before it (or not given), and
 * RoleEndDate not before it. A leaver in the year: RoleEndDate in the 12 months ending on the reference
 * date. Employed: AgencyWorker = 0.
 */
@Component
class CensusMeasures {

    /** One stored return, as listed. */
    record CensusReturn(int collectionYear, LocalDate referenceDate, String laCode, long workers, long placedInTeams,
                        BigDecimal vacanciesFte, BigDecimal agencyFte, int agencyHeadcount, long importId,
                        OffsetDateTime loadedAt) {
    }

    private static final String CASE_HOLDER = "(org_role IS NOT DISTINCT FROM 5 OR coalesce(cases30, 0) > 0)";

    private static final String MEASURES = """
            WITH r AS (SELECT * FROM census_returns WHERE collection_year = :year),
            w AS (SELECT w.*,
                         (coalesce(w.fte, 0) > 0
                          -- a blank RoleStartDate counts as started
                          AND open_on(coalesce(w.role_start_date, '-infinity'), w.role_end_date, r.reference_date)) AS in_post,
                         coalesce(w.role_end_date > (r.reference_date - interval '1 year')::date
                                  AND w.role_end_date <= r.reference_date, false) AS left_in_year
                  FROM census_workers w JOIN r ON r.id = w.return_id),
            m AS (SELECT count(*) AS workers, count(team_id) AS placed_in_teams,
                         coalesce(sum(fte) FILTER (WHERE in_post AND NOT agency), 0) AS employed_fte,
                         count(*) FILTER (WHERE in_post AND NOT agency) AS employed_headcount,
                         coalesce(sum(fte) FILTER (WHERE in_post AND agency), 0) AS agency_fte,
                         count(*) FILTER (WHERE in_post AND agency) AS agency_headcount,
                         coalesce(sum(coalesce(fte30, fte, 0)) FILTER (WHERE NOT agency AND left_in_year
                                  AND reason_leave IS DISTINCT FROM 7), 0) AS leavers_fte,
                         count(*) FILTER (WHERE NOT agency AND left_in_year AND reason_leave IS DISTINCT FROM 7) AS leavers,
                         coalesce(sum(coalesce(cases30, 0)) FILTER (WHERE in_post AND %1$s), 0)::numeric AS cases,
                         coalesce(sum(fte) FILTER (WHERE in_post AND %1$s), 0) AS case_holder_fte,
                         count(*) FILTER (WHERE in_post AND %1$s) AS case_holders,
                         coalesce(sum(working_days_lost) FILTER (WHERE NOT agency), 0) AS days_lost
                  FROM w)
            SELECT r.collection_year, r.reference_date, (r.reference_date - interval '1 year' + interval '1 day')::date
                       AS year_start, r.la_code, r.import_id, r.vacancies_fte, r.agency_fte AS la_agency_fte,
                   r.agency_headcount AS la_agency_headcount, m.*,
                   CASE WHEN m.employed_fte > 0 THEN round(100 * m.leavers_fte / m.employed_fte, 1) END AS turnover_rate,
                   CASE WHEN m.agency_fte + m.employed_fte > 0
                        THEN round(100 * m.agency_fte / (m.agency_fte + m.employed_fte), 1) END AS agency_rate,
                   CASE WHEN r.vacancies_fte + m.employed_fte > 0
                        THEN round(100 * r.vacancies_fte / (r.vacancies_fte + m.employed_fte), 1) END AS vacancy_rate,
                   CASE WHEN m.case_holder_fte > 0 THEN round(m.cases / m.case_holder_fte, 1) END AS caseload_per_fte,
                   CASE WHEN m.employed_fte > 0 THEN round(100 * m.days_lost / (m.employed_fte * 253), 1) END AS absence_rate
            FROM r CROSS JOIN m
            """.formatted(CASE_HOLDER);

    private final DatabaseClient db;

    CensusMeasures(DatabaseClient db) {
        this.db = db;
    }

    Flux<CensusReturn> returns() {
        return db.sql("SELECT r.*, (SELECT count(*) FROM census_workers w WHERE w.return_id = r.id) AS workers,"
                        + " (SELECT count(w.team_id) FROM census_workers w WHERE w.return_id = r.id) AS placed_in_teams"
                        + " FROM census_returns r ORDER BY r.collection_year DESC")
                .map(row -> new CensusReturn(row.get("collection_year", Integer.class), row.get("reference_date", LocalDate.class),
                        row.get("la_code", String.class), row.get("workers", Long.class), row.get("placed_in_teams", Long.class),
                        row.get("vacancies_fte", BigDecimal.class), row.get("agency_fte", BigDecimal.class),
                        row.get("agency_headcount", Integer.class), row.get("import_id", Long.class),
                        row.get("loaded_at", OffsetDateTime.class)))
                .all();
    }

    /** The year's measures, or empty when no return for that year is stored. */
    Mono<Map<String, Object>> forYear(int year) {
        return db.sql(MEASURES).bind("year", year).map(row -> {
            BigDecimal employedFte = row.get("employed_fte", BigDecimal.class);
            Map<String, Object> measures = new LinkedHashMap<>();
            measures.put("turnover_rate", measure(row.get("turnover_rate", BigDecimal.class), "percent",
                    row.get("leavers_fte", BigDecimal.class), employedFte,
                    "FTE30 of employed workers who left in the year (RoleEndDate in the 12 months to the reference date),"
                            + " ReasonLeave 7 (moved within the authority) excluded, ÷ employed FTE in post × 100"));
            Map<String, Object> agency = measure(row.get("agency_rate", BigDecimal.class), "percent",
                    row.get("agency_fte", BigDecimal.class),
                    row.get("agency_fte", BigDecimal.class).add(employedFte),
                    "FTE of agency workers in post ÷ (agency FTE + employed FTE) × 100, both from the worker records");
            agency.put("la_level_agency_fte", row.get("la_agency_fte", BigDecimal.class));
            agency.put("la_level_agency_headcount", row.get("la_agency_headcount", Integer.class));
            measures.put("agency_rate", agency);
            measures.put("vacancy_rate", measure(row.get("vacancy_rate", BigDecimal.class), "percent",
                    row.get("vacancies_fte", BigDecimal.class), row.get("vacancies_fte", BigDecimal.class).add(employedFte),
                    "LALevelVacancies NumberOfVacancies ÷ (vacancy FTE + employed FTE) × 100"));
            Map<String, Object> caseload = measure(row.get("caseload_per_fte", BigDecimal.class), "cases per FTE",
                    row.get("cases", BigDecimal.class), row.get("case_holder_fte", BigDecimal.class),
                    "Cases30 ÷ FTE of case holders in post (OrgRole 5 or Cases30 > 0, agency workers included)");
            caseload.put("case_holders", row.get("case_holders", Long.class));
            measures.put("caseload_per_fte", caseload);
            measures.put("absence_rate", measure(row.get("absence_rate", BigDecimal.class), "percent",
                    row.get("days_lost", BigDecimal.class), employedFte.multiply(BigDecimal.valueOf(253)),
                    "WorkingDaysLost of employed workers ÷ (employed FTE × 253 working days) × 100"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("collection_year", row.get("collection_year", Integer.class));
            out.put("reference_date", row.get("reference_date", LocalDate.class));
            out.put("year_start", row.get("year_start", LocalDate.class));
            out.put("la_code", row.get("la_code", String.class));
            out.put("import_id", row.get("import_id", Long.class));
            out.put("workers", row.get("workers", Long.class));
            out.put("placed_in_teams", row.get("placed_in_teams", Long.class));
            out.put("employed_fte", employedFte);
            out.put("employed_headcount", row.get("employed_headcount", Long.class));
            out.put("agency_fte", row.get("agency_fte", BigDecimal.class));
            out.put("agency_headcount", row.get("agency_headcount", Long.class));
            out.put("leavers", row.get("leavers", Long.class));
            out.put("measures", measures);
            return out;
        }).one();
    }

    private static Map<String, Object> measure(BigDecimal value, String unit, BigDecimal numerator, BigDecimal denominator,
                                               String definition) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("unit", unit);
        m.put("numerator", numerator);
        m.put("denominator", denominator);
        m.put("definition", definition);
        return m;
    }
}
