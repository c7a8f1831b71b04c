package org.workforcewatch.demo;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.workforcewatch.staffing.AgencyRoleCategory;
import org.workforcewatch.staffing.StaffRole;

/**
 * The demo's agency register: one assignment per agency spell of a children and family social worker open since the
 * national agency rules came in, with the notice, registration numbers, project teams and approvals a council records.
 * Most assignments keep the rules; some give short notice, and the dearest have an approval on file. No price caps
 * are configured for the demo (their amounts are not published), so the price cap check says "not known" until a
 * council sets its own.
 */
final class DemoAgencyRegister {

    /** The day the national rules came into force: assignments that ended before it are not in a register. */
    static final LocalDate RULES_IN_FORCE = LocalDate.of(2024, 10, 31);

    /** An agency spell of the demo's staff file. */
    record AgencySpell(String staffId, StaffRole role, LocalDate start, LocalDate end, String agency, Double rate) {
    }

    private DemoAgencyRegister() {
    }

    static String csv(List<AgencySpell> spells, LocalDate asOf, Random r) {
        DemoAuthority.Csv csv = new DemoAuthority.Csv("staff_id", "start_date", "role_category", "agency_name", "hourly_rate", "planned_end_date", "end_date",
                "notice_given_date", "notice_weeks", "project_team", "project_team_name", "swe_number", "approved_by",
                "approved_at", "approval_reason");
        for (AgencySpell s : spells) {
            Optional<AgencyRoleCategory> category = category(s.role());
            if (category.isEmpty() || s.rate() == null || s.agency() == null
                    || s.end() != null && s.end().isBefore(RULES_IN_FORCE) || s.start().isAfter(asOf)) {
                continue;
            }
            LocalDate end = s.end() != null && !s.end().isAfter(asOf) ? s.end() : null;
            LocalDate planned = s.start().plusMonths(6 + r.nextInt(7));
            LocalDate noticeGiven = null;
            if (end != null) {
                // most give the four weeks the rules ask; some leave at a week or two's notice
                noticeGiven = end.minusDays(r.nextDouble() < 0.85 ? 28 + r.nextInt(15) : 7 + r.nextInt(14));
            }
            boolean projectTeam = r.nextDouble() < 0.05;
            // the dearest, above the old single cap of £50 an hour: most have a breach approval on file
            boolean dear = s.rate() > 50 && r.nextDouble() < 0.7;
            csv.row(s.staffId(), s.start(), category.get().id(), s.agency(), String.format(Locale.ROOT, "%.2f", s.rate()), planned,
                    end, noticeGiven, null, projectTeam ? "Y" : "N", projectTeam ? "Recovery team (" + s.agency() + ")" : null,
                    r.nextDouble() < 0.9 ? String.format(Locale.ROOT, "SW%010d", (long) (r.nextDouble() * 1e10))
                            : null,
                    dear ? "Director of Children and Families" : null, dear ? s.start().minusDays(3) : null,
                    dear ? "Hard-to-fill post: no permanent applicant after two rounds of recruitment" : null);
        }
        return csv.toString();
    }

    /** The return's category of a staff role; none for roles outside children and family social work. */
    static Optional<AgencyRoleCategory> category(StaffRole role) {
        return switch (role) {
            case SOCIAL_WORKER, ASYE -> Optional.of(AgencyRoleCategory.SOCIAL_WORKER);
            case SENIOR_PRACTITIONER -> Optional.of(AgencyRoleCategory.SENIOR_SOCIAL_WORKER);
            case ADVANCED_PRACTITIONER -> Optional.of(AgencyRoleCategory.ADVANCED_PRACTITIONER);
            case TEAM_MANAGER, SERVICE_MANAGER -> Optional.of(AgencyRoleCategory.TEAM_MANAGER);
            default -> Optional.empty();
        };
    }
}
