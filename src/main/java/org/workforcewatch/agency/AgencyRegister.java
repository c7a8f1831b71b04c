package org.workforcewatch.agency;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The agency register as stored (table {@code agency_assignments}) with every check of each assignment, judged by the
 * functions of sql/V24__agency_register.sql with the configured caps of the council's region: the same functions the
 * indicator agency_noncompliant and the quarterly return use.
 */
@Component
public class AgencyRegister {

    /** The columns of one assignment and its checks, after {@code a} (the table) and {@code c} (its checks). */
    private static final String ROW = """
            a.staff_id, a.start_date, a.role_category, a.agency_name, a.hourly_rate, a.planned_end_date, a.end_date,
            a.notice_given_date, a.notice_weeks, a.project_team, a.project_team_name, a.swe_number, a.approved_by,
            a.approved_at, a.approval_reason, a.approved_rate, a.import_id, c.qualified_date, c.left_permanent, c.cap, c.experience,
            c.price_cap, c.reengagement, c.notice, c.breach_approved, c.noncompliant
            """;

    private final DatabaseClient db;
    private final AgencySettings settings;
    private final Clock clock;

    AgencyRegister(DatabaseClient db, AgencySettings settings, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    public AgencySettings settings() {
        return settings;
    }

    /**
     * Every assignment of the register, each judged on {@code day} or, when it had ended by then, on its last day
     * (and one not started yet on its first): the price cap in force that day.
     */
    Flux<Assignment> all(LocalDate day) {
        return db.sql("SELECT " + ROW + ", " + JUDGED_DAY
                        + " AS judged_on, (SELECT array_agg(DISTINCT s.team_id ORDER BY s.team_id) FROM staff_spells s"
                        + " WHERE s.staff_id = a.staff_id AND s.employment = 'agency') AS teams"
                        + " FROM agency_assignments a CROSS JOIN LATERAL agency_assignment_checks(a, " + JUDGED_DAY + ","
                        + " CAST(:caps AS jsonb)) c ORDER BY a.agency_name, a.staff_id, a.start_date")
                .bind("day", day).bind("caps", settings.capsJson())
                .map(AgencyRegister::assignment).all();
    }

    /**
     * The assignments open on a day, judged that day; with a team, those of workers in post in it that day on an agency
     * spell as a social worker: exactly the workers the indicator agency_noncompliant counts for the team and day.
     */
    Flux<Assignment> on(LocalDate day, String team) {
        return db.sql("SELECT " + ROW + ", CAST(:day AS date) AS judged_on, (SELECT array_agg(DISTINCT s.team_id ORDER BY s.team_id)"
                        + " FROM staff_spells_v s WHERE s.staff_id = a.staff_id AND s.agency AND open_on(s.start_date, s.end_date, :day))"
                        + " AS teams FROM agency_assignments a"
                        + " JOIN agency_register_on(:day, CAST(:caps AS jsonb)) c ON c.staff_id = a.staff_id AND c.start_date = a.start_date"
                        + " WHERE (:team = '' OR EXISTS (SELECT 1 FROM staff_spells_v s WHERE s.staff_id = a.staff_id AND s.team_id = :team"
                        + " AND s.agency AND s.cfsw AND open_on(s.start_date, s.end_date, :day)))"
                        + " ORDER BY a.agency_name, a.staff_id, a.start_date")
                .bind("day", day).bind("caps", settings.capsJson()).bind("team", team == null ? "" : team)
                .map(AgencyRegister::assignment).all();
    }

    /**
     * The assignments active at some time in [from, to], each judged on its last day in it, except the price cap: a
     * breach of the cap in force on any of its days in [from, to] (with the lowest cap exceeded), in the order of the
     * register's key.
     */
    public Flux<Assignment> activeDuring(LocalDate from, LocalDate to) {
        return db.sql("SELECT " + ROW + ", least(CAST(:to AS date), coalesce(a.end_date, CAST(:to AS date))) AS judged_on,"
                        + " NULL::text[] AS teams FROM agency_assignments a"
                        + " CROSS JOIN LATERAL agency_assignment_checks(a, CAST(:from AS date),"
                        + " least(CAST(:to AS date), coalesce(a.end_date, CAST(:to AS date))), CAST(:caps AS jsonb)) c WHERE open_during(a.start_date, a.end_date, CAST(:from AS date) - 1, :to)"
                        + " ORDER BY a.staff_id, a.start_date")
                .bind("from", from).bind("to", to).bind("caps", settings.capsJson())
                .map(AgencyRegister::assignment).all();
    }

    /** The day an assignment is judged on when the register is read on {@code :day}: within its days. */
    private static final String JUDGED_DAY =
            "greatest(a.start_date, least(CAST(:day AS date), coalesce(a.end_date, CAST(:day AS date))))";

    /**
     * Records an approval of a price-cap breach: who (the signed-in person), when (now), why, and the rate approved (the
     * hourly rate then). Only a breach can be approved: the assignment's price_cap check fails on the day it is judged
     * today. Empty when the register holds no such assignment; an {@link ApprovalRefused} when it holds one not in
     * breach.
     */
    Mono<Assignment> approve(String staffId, LocalDate start, String by, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate day = today();
        Mono<Assignment> current = all(day).filter(a -> a.staffId().equals(staffId) && a.startDate().equals(start)).next();
        return db.sql("UPDATE agency_assignments a SET approved_by = :by, approved_at = :at, approval_reason = :reason,"
                        + " approved_rate = a.hourly_rate WHERE a.staff_id = :staff AND a.start_date = :start"
                        + " AND (SELECT c.price_cap FROM agency_assignment_checks(a, " + JUDGED_DAY + ", CAST(:caps AS jsonb)) c)"
                        + " = 'fail' RETURNING a.staff_id")
                .bind("by", by).bind("at", now).bind("reason", reason).bind("staff", staffId).bind("start", start)
                .bind("day", day).bind("caps", settings.capsJson())
                .map(r -> r.get("staff_id", String.class)).all().collectList()
                .flatMap(updated -> current.flatMap(a -> updated.isEmpty() ? Mono.error(new ApprovalRefused(a)) : Mono.just(a)));
    }

    /** An approval asked for an assignment whose rate does not break the price cap on the day it is judged. */
    static final class ApprovalRefused extends RuntimeException {

        private final transient Assignment assignment;

        ApprovalRefused(Assignment assignment) {
            super("the assignment of " + assignment.staffId() + " starting " + assignment.startDate() + " is not in breach of"
                    + " the price cap on " + assignment.judgedOn() + " (price_cap " + assignment.checks().priceCap().id()
                    + (assignment.cap() == null ? ", no cap configured" : ": £" + assignment.hourlyRate() + " an hour, cap £"
                    + assignment.cap()) + "): only a breach is approved");
            this.assignment = assignment;
        }

        Assignment assignment() {
            return assignment;
        }
    }

    private static Assignment assignment(Readable r) {
        Checks checks = new Checks(Check.of(r.get("experience", String.class)), Check.of(r.get("price_cap", String.class)),
                Check.of(r.get("reengagement", String.class)), Check.of(r.get("notice", String.class)),
                Check.of(r.get("breach_approved", String.class)));
        Approval approval = r.get("approved_by", String.class) == null ? null
                : new Approval(r.get("approved_by", String.class), r.get("approved_at", OffsetDateTime.class),
                        r.get("approval_reason", String.class), r.get("approved_rate", BigDecimal.class));
        String[] teams = r.get("teams", String[].class);
        return new Assignment(r.get("staff_id", String.class), r.get("start_date", LocalDate.class),
                r.get("role_category", String.class), r.get("agency_name", String.class), r.get("hourly_rate", BigDecimal.class),
                r.get("planned_end_date", LocalDate.class), r.get("end_date", LocalDate.class),
                r.get("notice_given_date", LocalDate.class), r.get("notice_weeks", BigDecimal.class),
                Boolean.TRUE.equals(r.get("project_team", Boolean.class)), r.get("project_team_name", String.class),
                r.get("swe_number", String.class), approval, r.get("import_id", Long.class),
                r.get("qualified_date", LocalDate.class), r.get("left_permanent", LocalDate.class), r.get("cap", BigDecimal.class),
                r.get("judged_on", LocalDate.class), teams == null ? List.of() : List.of(teams), checks,
                Boolean.TRUE.equals(r.get("noncompliant", Boolean.class)));
    }

    /** The outcome of one check. */
    public enum Check {
        PASS, FAIL, NOT_KNOWN, NOT_APPLICABLE;

        static Check of(String sql) {
            return valueOf(sql.toUpperCase(java.util.Locale.ROOT));
        }

        /** As the API and the return write it: pass, fail, not_known, not_applicable. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The national rules, each named as the API, the return and the dashboard name it. */
    public enum Rule {
        EXPERIENCE("experience", "At least 3 years' post-qualification experience at the start"),
        PRICE_CAP("price_cap", "Hourly rate at most the regional price cap in force"),
        REENGAGEMENT("reengagement", "Not re-engaged within 3 months of leaving a permanent post"),
        NOTICE("notice", "At least 4 weeks' notice"),
        BREACH_APPROVED("breach_approved", "Every price-cap breach approved (who, when, why) at the rate charged");

        private final String id;
        private final String description;

        Rule(String id, String description) {
            this.id = id;
            this.description = description;
        }

        public String id() {
            return id;
        }

        public String description() {
            return description;
        }

        public static java.util.Optional<Rule> byId(String id) {
            return java.util.Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
        }
    }

    /** Every check of one assignment. */
    public record Checks(Check experience, Check priceCap, Check reengagement, Check notice, Check breachApproved) {

        public Check of(Rule rule) {
            return switch (rule) {
                case EXPERIENCE -> experience;
                case PRICE_CAP -> priceCap;
                case REENGAGEMENT -> reengagement;
                case NOTICE -> notice;
                case BREACH_APPROVED -> breachApproved;
            };
        }

        /** By rule id, in the rules' order, as the API answers them. */
        public Map<String, String> byRule() {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (Rule rule : Rule.values()) {
                m.put(rule.id(), of(rule).id());
            }
            return m;
        }
    }

    /** Who approved a price-cap breach, when, why, and the hourly rate approved (null for an approval without one). */
    public record Approval(String by, OffsetDateTime at, String reason, BigDecimal rate) {
    }

    /**
     * One assignment of the register with its checks, judged on {@code judgedOn}.
     *
     * @param qualifiedDate the HR file's qualified date of the worker (experience is judged on it)
     * @param leftPermanent the latest end of an employed spell of the worker's before the start (re-engagement)
     * @param cap           the price cap in force on {@code judgedOn} for the role category, null when none is configured
     * @param teams         the teams of the worker's agency spells (open on the day, for a register on a day)
     * @param noncompliant  whether the worker breaks a national rule (sql function agency_noncompliant)
     */
    public record Assignment(String staffId, LocalDate startDate, String roleCategory, String agencyName, BigDecimal hourlyRate,
                             LocalDate plannedEndDate, LocalDate endDate, LocalDate noticeGivenDate, BigDecimal noticeWeeks,
                             boolean projectTeam, String projectTeamName, String sweNumber, Approval approval, Long importId,
                             LocalDate qualifiedDate, LocalDate leftPermanent, BigDecimal cap, LocalDate judgedOn,
                             List<String> teams, Checks checks, boolean noncompliant) {

        /** The register row's key as the return and the API write it: {@code staff_id/start_date}. */
        public String key() {
            return staffId + "/" + startDate;
        }

        /**
         * Why an approval no longer covers the breach, as "approved at £47.00, now £49.00"; null when it does, or when
         * there is no approval or no breach.
         */
        public String approvalOutlived() {
            if (approval == null || checks.priceCap() != Check.FAIL || checks.breachApproved() != Check.FAIL) {
                return null;
            }
            return approval.rate() == null ? "approved without a rate, now £" + hourlyRate
                    : "approved at £" + approval.rate() + ", now £" + hourlyRate;
        }
    }
}
