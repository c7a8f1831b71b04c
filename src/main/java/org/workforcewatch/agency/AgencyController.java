package org.workforcewatch.agency;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.workforcewatch.agency.AgencyRegister.Assignment;
import org.workforcewatch.agency.AgencyRegister.Check;
import org.workforcewatch.agency.AgencyRegister.Rule;
import org.workforcewatch.audit.Audit;
import reactor.core.publisher.Mono;

/**
 * The agency register for HR: every assignment with its checks named, the summary per agency, and the approval of a
 * price-cap breach. Person-level: audited (audit.AuditFilter), for hr and admin only (security.SecurityConfig).
 */
@RestController
class AgencyController {

    private static final int MAX_REASON = 1000;

    private final AgencyRegister register;

    AgencyController(AgencyRegister register) {
        this.register = register;
    }

    /**
     * The register. Without {@code on}, every assignment judged today (an ended one on its last day); with {@code on}
     * (and optionally {@code team}), the assignments open that day, judged that day. Filters: {@code agency} (its name)
     * and {@code failing} (a rule id: only the assignments failing it).
     */
    @GetMapping("/api/agency/assignments")
    Mono<Map<String, Object>> assignments(@RequestParam(required = false) String on, @RequestParam(required = false) String team,
                                          @RequestParam(required = false) String agency,
                                          @RequestParam(required = false) String failing) {
        Rule rule = failing == null || failing.isBlank() ? null : Rule.byId(failing.strip()).orElseThrow(() -> badParameter("failing",
                "failing must be one of " + java.util.Arrays.stream(Rule.values()).map(Rule::id).toList() + "; got '" + failing + "'"));
        LocalDate day = on == null || on.isBlank() ? null : date("on", on);
        if (day == null && team != null && !team.isBlank()) {
            throw badParameter("team", "team needs on (the day whose team the workers are in), as on=2025-03-31");
        }
        var rows = day == null ? register.all(register.today()) : register.on(day, team);
        return rows.filter(a -> agency == null || agency.isBlank() || a.agencyName().equalsIgnoreCase(agency.strip()))
                .filter(a -> rule == null || a.checks().of(rule) == Check.FAIL)
                .map(AgencyController::json).collectList()
                .map(list -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("on", day == null ? register.today() : day);
                    body.put("region", register.settings().region());
                    body.put("caps_configured", !register.settings().capsOfRegion().isEmpty());
                    body.put("rules", rules());
                    body.put("assignments", list);
                    return body;
                });
    }

    /** Per agency: its assignments, breaches of the price cap, their approvals and how many break a rule or are not known. */
    @GetMapping("/api/agency/agencies")
    Mono<Map<String, Object>> agencies() {
        LocalDate today = register.today();
        return register.all(today).collectList().map(all -> {
            Map<String, List<Assignment>> byAgency = new TreeMap<>();
            all.forEach(a -> byAgency.computeIfAbsent(a.agencyName(), k -> new ArrayList<>()).add(a));
            List<Map<String, Object>> agencies = new ArrayList<>();
            byAgency.forEach((name, rows) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("agency_name", name);
                m.put("assignments", rows.size());
                m.put("open_today", rows.stream().filter(a -> a.endDate() == null || !a.endDate().isBefore(today)).count());
                m.put("breaches", rows.stream().filter(a -> a.checks().priceCap() == Check.FAIL).count());
                m.put("breaches_approved", rows.stream().filter(a -> a.checks().priceCap() == Check.FAIL
                        && a.checks().breachApproved() == Check.PASS).count());
                m.put("noncompliant", rows.stream().filter(Assignment::noncompliant).count());
                m.put("not_known", rows.stream().filter(a -> !a.noncompliant()
                        && a.checks().byRule().containsValue(Check.NOT_KNOWN.id())).count());
                m.put("compliant", rows.stream().filter(a -> !a.noncompliant()
                        && !a.checks().byRule().containsValue(Check.NOT_KNOWN.id())).count());
                agencies.add(m);
            });
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("on", today);
            body.put("agencies", agencies);
            return body;
        });
    }

    /** What an approval says: why the breach is accepted. Who and when are the signed-in person and the clock. */
    record ApprovalRequest(String reason) {
    }

    @PostMapping("/api/agency/assignments/{staffId}/{start}/approval")
    Mono<Map<String, Object>> approve(@PathVariable String staffId, @PathVariable String start,
                                      @RequestBody(required = false) ApprovalRequest body, Authentication caller,
                                      ServerWebExchange exchange) {
        LocalDate startDate = date("start", start);
        String reason = body == null || body.reason() == null ? "" : body.reason().strip();
        if (reason.isEmpty()) {
            throw badParameter("reason", "reason is required: why the breach of the price cap is accepted");
        }
        if (reason.length() > MAX_REASON) {
            throw badParameter("reason", "reason is longer than " + MAX_REASON + " characters");
        }
        Audit.detail(exchange, Map.of("staff_id", staffId, "start_date", startDate.toString(), "reason", reason));
        return register.approve(staffId, startDate, caller.getName(), reason)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "the agency register has no assignment of " + staffId + " starting " + startDate)))
                .onErrorMap(AgencyRegister.ApprovalRefused.class, AgencyController::notABreach)
                .map(AgencyController::json);
    }

    @PutMapping("/api/agency/assignments/{staffId}/{start}/approval")
    Mono<Map<String, Object>> approveByPut(@PathVariable String staffId, @PathVariable String start,
                                           @RequestBody(required = false) ApprovalRequest body, Authentication caller,
                                           ServerWebExchange exchange) {
        return approve(staffId, start, body, caller, exchange);
    }

    /** A 409 problem: the assignment's rate is within the cap (or no cap is known), so there is no breach to approve. */
    private static ResponseStatusException notABreach(AgencyRegister.ApprovalRefused refused) {
        Assignment a = refused.assignment();
        ResponseStatusException e = new ResponseStatusException(HttpStatus.CONFLICT, refused.getMessage());
        e.getBody().setTitle("No price-cap breach to approve");
        e.getBody().setProperty("price_cap", a.checks().priceCap().id());
        e.getBody().setProperty("judged_on", a.judgedOn().toString());
        return e;
    }

    static List<Map<String, String>> rules() {
        return java.util.Arrays.stream(Rule.values()).map(r -> Map.of("id", r.id(), "description", r.description())).toList();
    }

    static Map<String, Object> json(Assignment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", a.key());
        m.put("staff_id", a.staffId());
        m.put("start_date", a.startDate());
        m.put("role_category", a.roleCategory());
        m.put("agency_name", a.agencyName());
        m.put("hourly_rate", a.hourlyRate());
        m.put("cap", a.cap());
        m.put("planned_end_date", a.plannedEndDate());
        m.put("end_date", a.endDate());
        m.put("notice_given_date", a.noticeGivenDate());
        m.put("notice_weeks", a.noticeWeeks());
        m.put("project_team", a.projectTeam());
        m.put("project_team_name", a.projectTeamName());
        m.put("swe_number", a.sweNumber());
        Map<String, Object> approval = null;
        if (a.approval() != null) {
            approval = new LinkedHashMap<>();
            approval.put("by", a.approval().by());
            approval.put("at", a.approval().at().toString());
            approval.put("reason", a.approval().reason());
            approval.put("rate", a.approval().rate());
            approval.put("outlived", a.approvalOutlived());
        }
        m.put("approval", approval);
        m.put("qualified_date", a.qualifiedDate());
        m.put("left_permanent_post", a.leftPermanent());
        m.put("teams", a.teams());
        m.put("judged_on", a.judgedOn());
        m.put("checks", a.checks().byRule());
        m.put("noncompliant", a.noncompliant());
        return m;
    }

    static LocalDate date(String parameter, String raw) {
        try {
            return LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw badParameter(parameter, parameter + " must be a date as YYYY-MM-DD; got '" + raw + "'");
        }
    }

    /** A 400 problem naming the parameter at fault. */
    static ResponseStatusException badParameter(String parameter, String detail) {
        ResponseStatusException e = new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
        e.getBody().setProperty("parameter", parameter);
        e.getBody().setTitle("Bad parameter: " + parameter);
        return e;
    }
}
