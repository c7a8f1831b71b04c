package org.workforcewatch.returns;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads what the census return of a year is built from, out of the live HR tables and over the workforce vocabulary
 * (sql/V11__vocabulary.sql): the children and family social workers' spells open at some time in the collection year,
 * with what each held at the reference date, and the authority's vacancies and agency cover on that date. The rules
 * are the indicators' own (docs/INDICATORS.md), so that the return's measures equal the live ones.
 */
@Component
class CensusReturnStore {

    /** One CFSW spell open at some time in the collection year, with its figures at the reference date. */
    record Spell(String staffId, String teamId, LocalDate start, LocalDate end, String role, String employment,
                 boolean employed, boolean agency, BigDecimal fte, String leavingReason, boolean caseHolding, boolean inPost, Long cases, BigDecimal daysLost,
                 String absentReason, boolean afterAgency, boolean firstSpell, String registrationNo) {
    }

    /** The authority's figures at the reference date, and whether the datasets they come from are loaded at all. */
    record Authority(BigDecimal vacancies, BigDecimal agencyFte, long agencyHeadcount, boolean absenceHeld,
                     boolean establishmentHeld) {
    }

    // :after is the day before the collection year starts (the previous reference date), :ref the reference date
    private static final String SPELLS = """
            SELECT s.staff_id, s.team_id, s.start_date, s.end_date, s.role, s.employment, s.employed, s.agency, s.fte, s.leaving_reason,
                   s.case_holding, open_on(s.start_date, s.end_date, :ref) AS in_post,
                   CASE WHEN open_on(s.start_date, s.end_date, :ref)
                        THEN (SELECT count(DISTINCT a.child_id) FROM allocations a
                              WHERE a.staff_id = s.staff_id AND open_on(a.start_date, a.end_date, :ref)) END AS cases,
                   -- sickness days lost in absences starting in the year while this spell was open, as the absence rate
                   -- counts them: as given, else weekdays in the absence × the spell's FTE
                   CASE WHEN s.employed
                        THEN coalesce((SELECT sum(coalesce(b.working_days_lost,
                                                  (SELECT count(*) FROM generate_series(b.start_date, b.end_date, interval '1 day') g(day)
                                                   WHERE extract(isodow FROM g.day) < 6) * s.fte))
                                       FROM absence b
                                       WHERE b.staff_id = s.staff_id AND b.reason = 'sickness'
                                         AND b.start_date > :after AND b.start_date <= :ref
                                         AND open_on(s.start_date, s.end_date, b.start_date)), 0) END AS days_lost,
                   CASE WHEN open_on(s.start_date, s.end_date, :ref)
                        THEN (SELECT b.reason FROM absence b WHERE b.staff_id = s.staff_id AND open_on(b.start_date, b.end_date, :ref)
                              ORDER BY b.reason = 'sickness' DESC, b.start_date LIMIT 1) END AS absent_reason,
                   EXISTS (SELECT 1 FROM staff_spells p WHERE p.staff_id = s.staff_id AND p.start_date < s.start_date
                           AND p.employment = 'agency' AND p.end_date >= s.start_date - 1) AS after_agency,
                   NOT EXISTS (SELECT 1 FROM staff_spells p WHERE p.staff_id = s.staff_id AND p.start_date < s.start_date)
                       AS first_spell,
                   -- the registration number where we hold one: the agency register's, else the SSD extract's
                   coalesce((SELECT a.swe_number FROM agency_assignments a WHERE a.staff_id = s.staff_id
                             AND a.swe_number IS NOT NULL ORDER BY a.start_date DESC LIMIT 1),
                            (SELECT p.registration_no FROM ssd_professionals p WHERE p.staff_id = s.staff_id
                             AND p.registration_no ~ '^[A-Za-z]{2}[0-9]{10}$' ORDER BY p.professional_id LIMIT 1))
                       AS registration_no
            FROM staff_spells_v s
            WHERE s.cfsw AND open_during(s.start_date, s.end_date, :after, :ref)
            ORDER BY s.staff_id, s.start_date, s.team_id
            """;

    private static final String AUTHORITY = """
            WITH sp AS (SELECT * FROM staff_spells_v s WHERE s.cfsw AND open_on(s.start_date, s.end_date, :ref)),
            funded AS (SELECT DISTINCT ON (e.team_id, e.role) e.team_id, e.role, e.funded_fte FROM establishment e
                       WHERE e.effective_from <= :ref AND is_cfsw(e.role)
                       ORDER BY e.team_id, e.role, e.effective_from DESC),
            filled AS (SELECT team_id, role, sum(fte) AS fte FROM sp WHERE employed GROUP BY team_id, role)
            SELECT (SELECT coalesce(sum(greatest(0, f.funded_fte - coalesce(e.fte, 0))), 0)
                    FROM funded f LEFT JOIN filled e USING (team_id, role)) AS vacancies,
                   (SELECT coalesce(sum(fte), 0) FROM sp WHERE agency) AS agency_fte,
                   (SELECT count(DISTINCT staff_id) FROM sp WHERE agency) AS agency_headcount,
                   EXISTS (SELECT 1 FROM absence) AS absence_held,
                   EXISTS (SELECT 1 FROM establishment) AS establishment_held
            """;

    private final DatabaseClient db;

    CensusReturnStore(DatabaseClient db) {
        this.db = db;
    }

    Flux<Spell> spells(LocalDate referenceDate) {
        return db.sql(SPELLS).bind("ref", referenceDate).bind("after", referenceDate.minusYears(1))
                .map(r -> new Spell(r.get("staff_id", String.class), r.get("team_id", String.class),
                        r.get("start_date", LocalDate.class), r.get("end_date", LocalDate.class), r.get("role", String.class),
                        r.get("employment", String.class), Boolean.TRUE.equals(r.get("employed", Boolean.class)),
                        Boolean.TRUE.equals(r.get("agency", Boolean.class)), r.get("fte", BigDecimal.class), r.get("leaving_reason", String.class),
                        Boolean.TRUE.equals(r.get("case_holding", Boolean.class)), Boolean.TRUE.equals(r.get("in_post", Boolean.class)),
                        r.get("cases", Long.class), r.get("days_lost", BigDecimal.class), r.get("absent_reason", String.class),
                        Boolean.TRUE.equals(r.get("after_agency", Boolean.class)),
                        Boolean.TRUE.equals(r.get("first_spell", Boolean.class)), r.get("registration_no", String.class)))
                .all();
    }

    Mono<Authority> authority(LocalDate referenceDate) {
        return db.sql(AUTHORITY).bind("ref", referenceDate)
                .map(r -> new Authority(r.get("vacancies", BigDecimal.class), r.get("agency_fte", BigDecimal.class),
                        r.get("agency_headcount", Long.class), Boolean.TRUE.equals(r.get("absence_held", Boolean.class)),
                        Boolean.TRUE.equals(r.get("establishment_held", Boolean.class))))
                .one();
    }
}
