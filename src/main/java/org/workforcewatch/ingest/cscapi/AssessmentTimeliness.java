package org.workforcewatch.ingest.cscapi;

import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * How long child-and-family assessments took, per team: working days (weekdays that are not bank holidays) from
 * the day after the start to the authorisation, as the Department counts its 45-working-day timescale. An assessment
 * belongs to the team of the episode's worker holding the case on its start date (that worker's HR staff spell);
 * one without such a worker is counted under no team (team null).
 */
@Component
class AssessmentTimeliness {

    /** The Working Together timescale for a child-and-family assessment. */
    static final int TIMESCALE_WORKING_DAYS = 45;

    private final DatabaseClient db;

    AssessmentTimeliness(DatabaseClient db) {
        this.db = db;
    }

    /** One team's authorised assessments: how many, the median and longest working days, the share within 45. */
    record Team(String teamId, long assessments, double medianWorkingDays, long longestWorkingDays, double withinTimescale) {
    }

    Mono<List<Team>> perTeam() {
        return db.sql("""
                        WITH a AS (SELECT a.la_child_id, a.episode_id, a.assessment_id, a.start_date,
                                          (SELECT count(*) FROM generate_series(a.start_date + 1, a.authorisation_date,
                                                                                interval '1 day') d
                                           WHERE extract(isodow FROM d) < 6
                                             AND NOT EXISTS (SELECT 1 FROM bank_holidays b WHERE b.day = d::date)) AS working_days
                                   FROM csc_assessments a
                                   WHERE a.start_date IS NOT NULL AND a.authorisation_date IS NOT NULL),
                        placed AS (SELECT DISTINCT ON (a.la_child_id, a.episode_id, a.assessment_id) a.*, sp.team_id
                                   FROM a LEFT JOIN csc_care_workers w ON w.la_child_id = a.la_child_id
                                          AND w.episode_id = a.episode_id AND open_on(w.start_date, w.end_date, a.start_date)
                                   LEFT JOIN ssd_professionals p ON p.professional_id = w.worker_id
                                   LEFT JOIN staff_spells sp ON sp.staff_id = coalesce(p.staff_id, w.worker_id)
                                          AND open_on(sp.start_date, sp.end_date, a.start_date)
                                   ORDER BY a.la_child_id, a.episode_id, a.assessment_id, sp.team_id IS NULL, w.start_date,
                                            sp.start_date DESC)
                        SELECT team_id, count(*) AS assessments,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days) AS median,
                               max(working_days) AS longest,
                               avg(CASE WHEN working_days <= :timescale THEN 1.0 ELSE 0.0 END)::float8 AS within
                        FROM placed GROUP BY team_id ORDER BY team_id NULLS LAST
                        """)
                .bind("timescale", TIMESCALE_WORKING_DAYS)
                .map(row -> new Team(row.get("team_id", String.class), row.get("assessments", Long.class),
                        row.get("median", Double.class), row.get("longest", Long.class), row.get("within", Double.class)))
                .all().collectList();
    }
}
