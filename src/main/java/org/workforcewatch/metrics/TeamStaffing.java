package org.workforcewatch.metrics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Team figures HR and the out-of-hours service watch beside the indicators, for today: social worker FTE by
 * employment, agency cost per month and long-term agency workers (docs/DOMAIN.md, national agency
 * rules), and out-of-hours shifts short of staff in the next seven days.
 */
@Component
class TeamStaffing {

    record Team(String team, String service, String teamType) {
    }

    record Fte(Team team, String employment, double fte) {
    }

    record Agency(Team team, double monthlyCost, long longTerm) {
    }

    record Cover(Team team, long gaps) {
    }

    record Figures(List<Fte> fte, List<Agency> agency, List<Cover> cover) {
    }

    /** Children and family social workers (the DfE population) in post today. */
    private static final String CFSW_IN_POST = "is_cfsw(s.role) AND open_on(s.start_date, s.end_date, :today)";
    /** Days ahead the near-term out-of-hours alert looks. */
    static final int COVER_SOON_DAYS = 7;

    private final DatabaseClient db;

    TeamStaffing(DatabaseClient db) {
        this.db = db;
    }

    Mono<Figures> at(LocalDate today) {
        Mono<List<Fte>> fte = db.sql("SELECT t.team_id, t.service, t.team_type, s.employment, sum(s.fte) AS fte"
                        + " FROM staff_spells s JOIN teams t ON t.team_id = s.team_id"
                        + " WHERE " + CFSW_IN_POST + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 4")
                .bind("today", today)
                .map(r -> new Fte(team(r), r.get("employment", String.class), r.get("fte", BigDecimal.class).doubleValue()))
                .all().collectList();
        Mono<List<Agency>> agency = db.sql("SELECT t.team_id, t.service, t.team_type,"
                        + " coalesce(sum(agency_monthly_cost(s.agency_hourly_rate, s.fte)), 0) AS cost,"
                        + " count(s.staff_id) FILTER (WHERE s.start_date < CAST(:today AS date) - interval '1 year') AS long_term"
                        + " FROM teams t LEFT JOIN staff_spells s ON s.team_id = t.team_id AND s.employment = 'agency'"
                        + " AND " + CFSW_IN_POST
                        + " GROUP BY 1, 2, 3 ORDER BY 1")
                .bind("today", today)
                .map(r -> new Agency(team(r), r.get("cost", BigDecimal.class).doubleValue(), r.get("long_term", Long.class)))
                .all().collectList();
        Mono<List<Cover>> cover = db.sql("SELECT t.team_id, t.service, t.team_type, count(*) FILTER (WHERE"
                        + " (SELECT count(DISTINCT s.staff_id) FROM shifts s WHERE s.team_id = r.team_id AND s.shift = r.shift"
                        + " AND s.shift_date = CAST(:today AS date) + g.n) < r.required_staff) AS gaps"
                        + " FROM shift_requirements r JOIN teams t ON t.team_id = r.team_id"
                        + " CROSS JOIN generate_series(1, " + COVER_SOON_DAYS + ") g(n) GROUP BY 1, 2, 3 ORDER BY 1")
                .bind("today", today)
                .map(r -> new Cover(team(r), r.get("gaps", Long.class)))
                .all().collectList();
        return Mono.zip(fte, agency, cover).map(t -> new Figures(t.getT1(), t.getT2(), t.getT3()));
    }

    private static Team team(io.r2dbc.spi.Readable r) {
        return new Team(r.get("team_id", String.class), r.get("service", String.class), r.get("team_type", String.class));
    }
}
