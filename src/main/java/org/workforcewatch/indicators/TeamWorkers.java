package org.workforcewatch.indicators;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.workforcewatch.security.Caller;
import org.workforcewatch.staffing.StaffRole;
import reactor.core.publisher.Mono;

/**
 * The person-level drill-down behind a team's indicators: each worker in post with their caseload per
 * FTE, supervision and induction status, computed with the indicators' own definitions. Who may ask for which
 * team is decided by the security configuration; which agency supplies a worker, and at what rate, is shown
 * only to roles that see agency detail (HR and admins), and left empty for the others.
 */
@RestController
class TeamWorkers {

    /**
     * One worker in post in the team on the date; the caseload limit is the one the over-caseload rule reads (case-holding
     * social workers only, null for others).
     */
    record Worker(String staffId, String role, String roleName, String employment, double fte, boolean caseHolding, long children,
                  Double caseloadPerFte, Double caseloadLimit, boolean overCaseload, LocalDate tenureFrom, LocalDate lastSupervision,
                  Integer supervisionIntervalDays, boolean supervisionOverdue, boolean inductionDone, boolean practiceModelDone,
                  boolean inductionIncomplete, String agencyName, Double agencyHourlyRate) {
    }

    private final DatabaseClient db;
    private final IndicatorSettings settings;
    private final Clock clock;
    private final IndicatorEngine engine;

    TeamWorkers(DatabaseClient db, IndicatorSettings settings, Clock clock, IndicatorEngine engine) {
        this.engine = engine;
        this.db = db;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/api/teams/{teamId}/workers")
    Mono<Map<String, Object>> workers(@PathVariable String teamId, @RequestParam(name = "as_of", required = false)
                                      @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf, Authentication caller) {
        boolean agencyDetail = Caller.of(caller).seesAgencyDetail();
        LocalDate date = asOf == null ? LocalDate.now(clock) : asOf;
        return engine.covered(date).then(db.sql("SELECT team_name FROM teams WHERE team_id = :team").bind("team", teamId)
                .map(r -> r.get("team_name", String.class)).one()
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no team " + teamId))))
                .flatMap(name -> list(teamId, date, agencyDetail).map(workers -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("team_id", teamId);
                    body.put("team_name", name);
                    body.put("as_of", date);
                    body.put("workers", workers);
                    return body;
                }));
    }

    private Mono<List<Worker>> list(String teamId, LocalDate date, boolean agencyDetail) {
        // the spells in post in the team on the day, with tenure from the person's latest run start (a join, not a
        // column subquery, so that supervision_interval_days is inlined)
        String sql = """
                WITH t AS (SELECT s.*, CAST(:day AS date) AS as_of, tenure.run_start
                           FROM staff_spells_v s
                           CROSS JOIN LATERAL (SELECT max(r.start_date) AS run_start FROM staff_run_starts r
                                               WHERE r.staff_id = s.staff_id AND r.start_date <= :day) tenure
                           WHERE s.team_id = :team AND open_on(s.start_date, s.end_date, :day))
                SELECT t.staff_id, t.role, t.cfsw, t.employment, t.fte, t.case_holding, t.run_start, t.agency_name,
                       t.agency_hourly_rate,
                       (SELECT count(DISTINCT a.child_id) FROM allocations a WHERE a.staff_id = t.staff_id
                        AND open_on(a.start_date, a.end_date, t.as_of)) AS children,
                       (SELECT max(v.supervision_date) FROM supervision v WHERE v.staff_id = t.staff_id
                        AND v.supervision_date <= t.as_of) AS last_supervision,
                       supervision_interval_days(t.run_start, t.as_of) AS interval_days,
                       EXISTS (SELECT 1 FROM training c WHERE c.staff_id = t.staff_id AND c.course = 'induction'
                               AND c.completed_date <= t.as_of) AS induction_done,
                       EXISTS (SELECT 1 FROM training c WHERE c.staff_id = t.staff_id AND c.course = 'practice_model'
                               AND c.completed_date <= t.as_of) AS practice_model_done
                FROM t ORDER BY t.role, t.staff_id
                """;
        return db.sql(sql).bind("day", date).bind("team", teamId).map(r -> {
            double fte = r.get("fte", BigDecimal.class).doubleValue();
            boolean caseHolding = Boolean.TRUE.equals(r.get("case_holding", Boolean.class));
            long children = r.get("children", Long.class);
            String role = r.get("role", String.class);
            boolean cfsw = Boolean.TRUE.equals(r.get("cfsw", Boolean.class));
            Double perFte = caseHolding ? children / fte : null;
            // as caseload_limit(role, max, share) reads it, in the same arithmetic as the caseload per FTE
            double limit = StaffRole.ASYE.is(role) ? settings.maxCaseload() * settings.asyeShare() : settings.maxCaseload();
            LocalDate runStart = r.get("run_start", LocalDate.class);
            LocalDate last = r.get("last_supervision", LocalDate.class);
            int interval = r.get("interval_days", Integer.class);
            long tenure = runStart == null ? 0 : date.toEpochDay() - runStart.toEpochDay();
            boolean overdue = caseHolding && (last == null ? tenure > interval : date.toEpochDay() - last.toEpochDay() > interval);
            boolean induction = Boolean.TRUE.equals(r.get("induction_done", Boolean.class));
            boolean practice = Boolean.TRUE.equals(r.get("practice_model_done", Boolean.class));
            BigDecimal rate = r.get("agency_hourly_rate", BigDecimal.class);
            String roleName = StaffRole.byId(role).map(StaffRole::label).orElse(role);
            return new Worker(r.get("staff_id", String.class), role, roleName, r.get("employment", String.class), fte, caseHolding, children,
                    perFte, caseHolding && cfsw ? limit : null, caseHolding && cfsw && perFte > limit, runStart, last, caseHolding ? interval : null, overdue,
                    induction, practice, tenure >= 90 && !(induction && practice),
                    agencyDetail ? r.get("agency_name", String.class) : null, agencyDetail && rate != null ? rate.doubleValue() : null);
        }).all().collectList();
    }
}
