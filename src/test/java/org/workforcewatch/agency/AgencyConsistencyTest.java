package org.workforcewatch.agency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.workforcewatch.ApiTest;

/**
 * A figure shown to a board is the same everywhere: on generated authorities of two shapes, for every team and month
 * end, the indicator agency_noncompliant counts exactly the workers the agency register's checks find non-compliant
 * (and its denominator the register's assignments open that day). The test's caps are in
 * src/test/resources/config/application.yml (social worker 40.00, then 42.00 from 1 February 2025).
 */
class AgencyConsistencyTest extends ApiTest {

    private static final String[] CATEGORIES = {"social_worker", "senior_social_worker", "advanced_practitioner", "team_manager",
        "iro_cp_chair"};
    private static final String[] HR_ROLES = {"social_worker", "senior_practitioner", "advanced_practitioner", "team_manager",
        "service_manager"};
    private static final double[] CAPS = {41, 45, 50, 55, 52};
    private static final String[] AGENCIES = {"Hays", "Reed", "Sanctuary", "Liquid"};

    /** How an authority's agency workforce is made. */
    record Shape(int teams, int workers, int maxMonths, double breachShare, double approvalShare, double reengagedShare,
                 double unknownQualifiedShare, double endedShare) {
    }

    /** Many short assignments, many breaches few approved, frequent re-engagement and missing qualified dates. */
    static final Shape CHURN = new Shape(4, 48, 4, 0.5, 0.3, 0.3, 0.2, 0.7);
    /** Few long assignments, breaches mostly approved, rarely re-engaged, most still open. */
    static final Shape STABLE = new Shape(3, 24, 18, 0.3, 0.8, 0.05, 0.05, 0.3);

    @Test
    void theIndicatorCountsTheRegistersNonCompliantWorkersOnAShortChurningWorkforce() {
        assertSameEverywhere(CHURN, 11);
    }

    @Test
    void theIndicatorCountsTheRegistersNonCompliantWorkersOnALongStableWorkforce() {
        assertSameEverywhere(STABLE, 29);
    }

    private void assertSameEverywhere(Shape shape, long seed) {
        Random random = new Random(seed);
        StringBuilder teams = new StringBuilder("team_id,team_name,service,team_type\n");
        for (int t = 1; t <= shape.teams(); t++) {
            teams.append("T").append(t).append(",Team ").append(t).append(",Children,safeguarding\n");
        }
        StringBuilder staff = new StringBuilder("staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
                + "qualified_date,agency_name,agency_hourly_rate\n");
        StringBuilder register = new StringBuilder("staff_id,start_date,role_category,agency_name,hourly_rate,planned_end_date,end_date,"
                + "notice_given_date,notice_weeks,project_team,project_team_name,swe_number,approved_by,approved_at,approval_reason\n");
        LocalDate first = LocalDate.of(2024, 9, 1);
        for (int w = 1; w <= shape.workers(); w++) {
            String id = "G" + w;
            String team = "T" + (1 + random.nextInt(shape.teams()));
            int category = random.nextInt(CATEGORIES.length);
            LocalDate start = first.plusDays(random.nextInt(240));
            LocalDate end = random.nextDouble() < shape.endedShare() ? start.plusDays(20 + random.nextInt(shape.maxMonths() * 30)) : null;
            // qualified around 3 years before the start, so both sides of the boundary occur
            LocalDate qualified = random.nextDouble() < shape.unknownQualifiedShare() ? null
                    : start.minusYears(3).plusDays(random.nextInt(241) - 120);
            double cap = CAPS[category];
            boolean breach = random.nextDouble() < shape.breachShare();
            String rate = String.format(java.util.Locale.ROOT, "%.2f", breach ? cap + 0.5 + random.nextInt(8) : cap - random.nextInt(6));
            String agency = AGENCIES[random.nextInt(AGENCIES.length)];
            if (random.nextDouble() < shape.reengagedShare()) {
                // a permanent post of ours that ended 1 to 150 days before the agency start
                LocalDate left = start.minusDays(1 + random.nextInt(150));
                staff.append(id).append(',').append(team).append(",social_worker,permanent,1,2018-01-01,").append(left)
                        .append(",resigned,Y,").append(qualified == null ? "" : qualified).append(",,\n");
            }
            staff.append(id).append(',').append(team).append(',').append(HR_ROLES[category]).append(",agency,1,").append(start)
                    .append(',').append(end == null ? "" : end).append(',').append(end == null ? "" : "end_of_contract")
                    .append(",Y,").append(qualified == null ? "" : qualified).append(',').append(agency).append(',').append(rate)
                    .append('\n');
            String noticeDate = "";
            String noticeWeeks = "";
            int notice = random.nextInt(3);
            if (end != null && notice == 1) {
                noticeDate = end.minusDays(21 + random.nextInt(15)).toString();   // 3 to 5 weeks before the end
            } else if (notice == 2) {
                noticeWeeks = String.valueOf(2 + random.nextInt(4));
            }
            boolean approved = breach && random.nextDouble() < shape.approvalShare();
            boolean project = random.nextInt(10) == 0;
            register.append(id).append(',').append(start).append(',').append(CATEGORIES[category]).append(',').append(agency)
                    .append(',').append(rate).append(',').append(start.plusMonths(shape.maxMonths())).append(',')
                    .append(end == null ? "" : end).append(',').append(noticeDate).append(',').append(noticeWeeks).append(',')
                    .append(project ? "Y,PT-" + team : "N,").append(",SW").append(String.format("%010d", w)).append(',')
                    .append(approved ? "Head of Service," + start + ",No other cover" : ",,").append('\n');
        }
        upload("teams", teams.toString()).expectStatus().isCreated();
        upload("staff", staff.toString()).expectStatus().isCreated();
        upload("agency_assignments", register.toString()).expectStatus().isCreated();

        int nonCompliantSeen = 0;
        int compliantSeen = 0;
        // across the rules' start (31 October 2024) and the end of the transition for earlier assignments (1 October 2025)
        for (YearMonth month = YearMonth.of(2024, 10); !month.isAfter(YearMonth.of(2025, 11)); month = month.plusMonths(1)) {
            LocalDate day = month.atEndOfMonth();
            Map<String, Map<String, Object>> indicator = indicatorByTeam(day);
            for (int t = 1; t <= shape.teams(); t++) {
                String team = "T" + t;
                List<Map<String, Object>> rows = register(day, team);
                Set<String> nonCompliant = new TreeSet<>();
                Set<String> workers = new TreeSet<>();
                rows.forEach(r -> {
                    workers.add((String) r.get("staff_id"));
                    if (Boolean.TRUE.equals(r.get("noncompliant"))) {
                        nonCompliant.add((String) r.get("staff_id"));
                    }
                });
                Map<String, Object> value = indicator.get(team);
                double numerator = value == null || value.get("numerator") == null ? 0 : ((Number) value.get("numerator")).doubleValue();
                double denominator = value == null || value.get("denominator") == null ? 0
                        : ((Number) value.get("denominator")).doubleValue();
                assertThat(numerator).as("non-compliant agency workers of %s on %s (register: %s)", team, day, nonCompliant)
                        .isEqualTo(nonCompliant.size());
                assertThat(denominator).as("agency workers of %s on %s", team, day).isEqualTo(workers.size());
                nonCompliantSeen += nonCompliant.size();
                compliantSeen += workers.size() - nonCompliant.size();
            }
        }
        // the comparison is not vacuous: both kinds of worker occur
        assertThat(nonCompliantSeen).isPositive();
        assertThat(compliantSeen).isPositive();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> indicatorByTeam(LocalDate day) {
        Map<String, Object> body = web.get().uri("/api/indicators?as_of=" + day + "&level=team").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Map<String, Object>> byTeam = new java.util.HashMap<>();
        for (Map<String, Object> i : (List<Map<String, Object>>) body.get("indicators")) {
            if ("agency_noncompliant".equals(i.get("indicator"))) {
                byTeam.put((String) i.get("scope"), i);
            }
        }
        return byTeam;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> register(LocalDate day, String team) {
        Map<String, Object> body = as("hr").get().uri("/api/agency/assignments?on=" + day + "&team=" + team).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return new ArrayList<>((List<Map<String, Object>>) body.get("assignments"));
    }
}
