package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;

/** Scenarios saved by name, checked change by change, and projected side by side with the baseline. */
class ScenarioApiTest extends ApiTest {

    private static final YearMonth NOW = YearMonth.now();
    private static final YearMonth FROM = NOW.plusMonths(3);

    @BeforeEach
    void authority() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Safeguarding South,Safeguarding,safeguarding
                """).expectStatus().isCreated();
        StringBuilder staff = new StringBuilder(
                "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date\n");
        for (int i = 1; i <= 6; i++) {
            staff.append("A").append(i).append(",T1,social_worker,permanent,1,2019-0").append(i).append("-01,,,Y,2015-07-01\n");
            staff.append("B").append(i).append(",T2,social_worker,permanent,1,2019-0").append(i).append("-01,,,Y,2015-07-01\n");
        }
        staff.append("A7,T1,social_worker,permanent,1,2019-01-01,2023-03-31,resigned,Y,2015-07-01\n");
        staff.append("B7,T2,social_worker,permanent,1,2019-01-01,2022-09-30,resigned,Y,2015-07-01\n");
        upload("staff", staff.toString()).expectStatus().isCreated();
        upload("establishment", """
                team_id,role,funded_fte,effective_from
                T1,social_worker,6,2019-01-01
                T2,social_worker,6,2019-01-01
                """).expectStatus().isCreated();
    }

    private static String recruit(String team, int count, double fte, YearMonth from) {
        return "{\"type\": \"recruit\", \"team\": \"" + team + "\", \"role\": \"social_worker\", \"count\": " + count
                + ", \"fte\": " + fte + ", \"from\": \"" + from + "\"}";
    }

    private static String scenario(String name, String... changes) {
        return "{\"name\": \"" + name + "\", \"description\": \"what if\", \"changes\": [" + String.join(", ", changes) + "]}";
    }

    private WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/api/scenarios").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String name, String body) {
        return web.put().uri("/api/scenarios/{name}", name).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void aScenarioIsSavedListedReadReplacedAndDeleted() {
        String body = "{\"name\": \"Grow the front door\", \"description\": \"two more workers\", \"created_by\": \"Head of Service\","
                + " \"changes\": [" + recruit("T1", 2, 0.8, FROM) + ","
                + " {\"type\": \"convert_agency\", \"team\": \"T2\", \"count\": 1, \"from\": \"" + FROM + "\"},"
                + " {\"type\": \"establishment\", \"team\": \"T1\", \"role\": \"social_worker\", \"funded_fte\": 7.5, \"from\": \"" + FROM + "\"},"
                + " {\"type\": \"demand\", \"percent\": -10, \"from\": \"" + FROM + "\", \"service\": \"Safeguarding\"},"
                + " {\"type\": \"asye_cohort\", \"team\": \"T2\", \"count\": 3, \"from\": \"" + FROM + "\", \"protected_share\": 0.8}]}";
        post(body).expectStatus().isCreated()
                .expectHeader().location("/api/scenarios/Grow%20the%20front%20door")
                .expectBody()
                .jsonPath("$.name").isEqualTo("Grow the front door")
                // the signed-in person, not whoever the body names
                .jsonPath("$.created_by").isEqualTo("admin")
                .jsonPath("$.changes.length()").isEqualTo(5);

        web.get().uri("/api/scenarios/{name}", "Grow the front door").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.description").isEqualTo("two more workers")
                .jsonPath("$.changes[0].type").isEqualTo("recruit")
                .jsonPath("$.changes[0].team").isEqualTo("T1")
                .jsonPath("$.changes[0].count").isEqualTo(2)
                .jsonPath("$.changes[0].fte").isEqualTo(0.8)
                .jsonPath("$.changes[0].from").isEqualTo(FROM.toString())
                .jsonPath("$.changes[0].employment").isEqualTo("permanent")
                .jsonPath("$.changes[1].type").isEqualTo("convert_agency")
                .jsonPath("$.changes[2].funded_fte").isEqualTo(7.5)
                .jsonPath("$.changes[3].type").isEqualTo("demand")
                .jsonPath("$.changes[3].percent").isEqualTo(-10.0)
                .jsonPath("$.changes[3].service").isEqualTo("Safeguarding")
                .jsonPath("$.changes[4].type").isEqualTo("asye_cohort")
                .jsonPath("$.changes[4].protected_share").isEqualTo(0.8);

        post(scenario("Another", recruit("T2", 1, 1, FROM))).expectStatus().isCreated();
        web.get().uri("/api/scenarios").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].name").isEqualTo("Another")
                .jsonPath("$[1].name").isEqualTo("Grow the front door");

        String created = one("SELECT created_at FROM scenarios WHERE name = 'Another'");
        put("Another", scenario("Another", recruit("T2", 4, 0.5, FROM.plusMonths(1)))).expectStatus().isOk()
                .expectBody().jsonPath("$.changes.length()").isEqualTo(1).jsonPath("$.changes[0].count").isEqualTo(4);
        web.get().uri("/api/scenarios/Another").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changes[0].count").isEqualTo(4)
                .jsonPath("$.changes[0].fte").isEqualTo(0.5)
                .jsonPath("$.changes[0].from").isEqualTo(FROM.plusMonths(1).toString());
        assertThat(one("SELECT created_at FROM scenarios WHERE name = 'Another'")).isEqualTo(created);
        assertThat(one("SELECT updated_at > created_at FROM scenarios WHERE name = 'Another'")).isEqualTo("true");

        // PUT of a name not yet saved creates it; the body may leave the name out
        put("Third", "{\"changes\": []}").expectStatus().isCreated().expectBody().jsonPath("$.name").isEqualTo("Third");

        web.delete().uri("/api/scenarios/Another").exchange().expectStatus().isNoContent();
        web.get().uri("/api/scenarios/Another").exchange().expectStatus().isNotFound();
        assertThat(count("scenarios")).isEqualTo(2);
    }

    @Test
    void theSameNameTwiceIsAConflictUnlessReplaced() {
        post(scenario("Plan A", recruit("T1", 1, 1, FROM))).expectStatus().isCreated();
        post(scenario("Plan A", recruit("T1", 5, 1, FROM))).expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("exists already").contains("PUT"));
        web.get().uri("/api/scenarios/Plan A").exchange().expectStatus().isOk().expectBody().jsonPath("$.changes[0].count").isEqualTo(1);
    }

    @Test
    void anUnknownScenarioIsNotFound() {
        web.get().uri("/api/scenarios/Nothing").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith("application/problem+json");
        web.delete().uri("/api/scenarios/Nothing").exchange().expectStatus().isNotFound();
        web.get().uri("/api/scenarios/Nothing/forecast?level=team&scope=T1").exchange().expectStatus().isNotFound();
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyProblemIsListedWithItsChangeAndFieldAndNothingIsSaved() {
        String body = scenario("Bad one",
                "{\"type\": \"hire\", \"team\": \"T1\"}",                                                          // 0
                recruit("T404", 1, 1, FROM),                                                                        // 1
                "{\"type\": \"recruit\", \"team\": \"T1\", \"role\": \"director\", \"count\": 1, \"from\": \"" + FROM + "\"}", // 2
                recruit("T1", 0, 1, FROM),                                                                          // 3
                recruit("T1", 1, 1.5, FROM),                                                                        // 4
                recruit("T1", 1, 0, FROM),                                                                          // 5
                "{\"type\": \"convert_agency\", \"team\": \"T2\", \"count\": 1, \"from\": \"2026-13\"}",            // 6
                "{\"type\": \"convert_agency\", \"team\": \"T2\", \"count\": 1, \"from\": \"" + NOW.minusMonths(2) + "\"}", // 7
                "{\"type\": \"demand\", \"percent\": -150, \"from\": \"" + FROM + "\"}",                              // 8
                "{\"type\": \"demand\", \"percent\": 5, \"from\": \"" + FROM + "\", \"service\": \"Nowhere\"}",      // 9
                "{\"type\": \"asye_cohort\", \"team\": \"T2\", \"count\": 2, \"from\": \"" + FROM + "\", \"protected_share\": 0}",   // 10
                "{\"type\": \"asye_cohort\", \"team\": \"T2\", \"count\": 2, \"from\": \"" + FROM + "\", \"protected_share\": 1.2}", // 11
                "{\"type\": \"convert_agency\", \"team\": \"T2\", \"count\": -3, \"from\": \"" + FROM + "\"}");       // 12
        Map<String, Object> problem = post(body).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> problems = (List<Map<String, Object>>) problem.get("problems");
        assertThat(problems).extracting(p -> p.get("change") + ":" + p.get("field")).containsExactlyInAnyOrder(
                "0:type", "1:team", "2:role", "3:count", "4:fte", "5:fte", "6:from", "7:from", "8:percent", "9:service",
                "10:protected_share", "11:protected_share", "12:count");
        assertThat(problems.get(0).get("problem").toString()).contains("unknown type").contains("recruit, convert_agency");
        assertThat(problems).filteredOn(p -> p.get("change").equals(1)).first()
                .satisfies(p -> assertThat(p.get("problem").toString()).contains("T404"));
        assertThat(problems).filteredOn(p -> p.get("change").equals(7)).first()
                .satisfies(p -> assertThat(p.get("problem").toString()).contains("before the forecast's first month"));
        assertThat(count("scenarios")).isZero();
    }

    @SuppressWarnings("unchecked")
    @Test
    void aChangeNamesARoleTheForecastFollowsAndAnyOtherIsRefusedOnItsRoleField() {
        String body = scenario("Support workers",
                "{\"type\": \"recruit\", \"team\": \"T1\", \"role\": \"family_support\", \"count\": 1, \"from\": \"" + FROM + "\"}",
                "{\"type\": \"establishment\", \"team\": \"T1\", \"role\": \"other\", \"funded_fte\": 2, \"from\": \"" + FROM + "\"}",
                "{\"type\": \"recruit\", \"team\": \"T1\", \"role\": \"personal_adviser\", \"count\": 1, \"from\": \"" + FROM + "\"}");
        Map<String, Object> problem = post(body).expectStatus().isEqualTo(422).expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> problems = (List<Map<String, Object>>) problem.get("problems");
        assertThat(problems).extracting(p -> p.get("change") + ":" + p.get("field")).containsExactly("0:role", "1:role");
        assertThat(problems.get(0).get("problem")).isEqualTo("role must be one of social_worker, senior_practitioner,"
                + " advanced_practitioner, team_manager, service_manager, personal_adviser, asye, got \"family_support\"");
        assertThat(count("scenarios")).isZero();
    }

    @Test
    void aNameThatIsNotAllowedOrAMissingListIsRefused() {
        post("{\"name\": \"a/b\", \"changes\": []}").expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.problems[0].field").isEqualTo("name");
        post("{\"name\": \"" + "x".repeat(101) + "\", \"changes\": []}").expectStatus().isEqualTo(422);
        post("{\"name\": \"ok\"}").expectStatus().isEqualTo(422).expectBody().jsonPath("$.problems[0].field").isEqualTo("changes");
        put("One", scenario("Other")).expectStatus().isEqualTo(422).expectBody().jsonPath("$.problems[0].field").isEqualTo("name");
        assertThat(count("scenarios")).isZero();
    }

    @SuppressWarnings("unchecked")
    private static double employedP50(Map<String, Object> projection, YearMonth month) {
        for (Map<String, Object> m : (List<Map<String, Object>>) projection.get("months")) {
            if (month.toString().equals(m.get("month"))) {
                return ((Number) ((Map<String, Object>) m.get("employed_fte")).get("p50")).doubleValue();
            }
        }
        throw new AssertionError("no month " + month + " in " + projection.get("months"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> sideBySide(String name, String team) {
        return web.get().uri("/api/scenarios/{name}/forecast?level=team&scope={team}&months=12", name, team)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void recruitingIntoATeamRaisesItsEmployedFteFromTheMonthGivenAndLeavesOtherTeamsAlone() {
        int count = 3;
        double fte = 0.8;
        post(scenario("Three more", recruit("T1", count, fte, FROM))).expectStatus().isCreated();

        Map<String, Map<String, Object>> t1 = sideBySide("Three more", "T1");
        assertThat(t1.get("baseline").get("scope")).isEqualTo("T1");
        assertThat(t1.get("scenario").get("scope")).isEqualTo("T1");
        List<?> months = (List<?>) t1.get("baseline").get("months");
        assertThat(months).hasSize(12);
        assertThat((List<?>) t1.get("scenario").get("months")).hasSize(12);
        YearMonth first = YearMonth.parse((String) ((Map<?, ?>) months.get(0)).get("month"));
        YearMonth last = first.plusMonths(11);
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            double gain = employedP50(t1.get("scenario"), m) - employedP50(t1.get("baseline"), m);
            if (m.isBefore(FROM)) {
                assertThat(gain).as("gain in %s, before the recruits start", m).isBetween(-0.25, 0.25);
            } else if (m.equals(FROM)) {
                assertThat(gain).as("gain in %s, when %d recruits of %.1f FTE start", m, count, fte)
                        .isBetween(count * fte - 0.3, count * fte + 0.3);
            } else {
                // some of the recruits may leave again within the year, as anyone may
                assertThat(gain).as("gain in %s", m).isBetween(count * fte * 0.5, count * fte + 0.3);
            }
        }

        Map<String, Map<String, Object>> t2 = sideBySide("Three more", "T2");
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            assertThat(employedP50(t2.get("scenario"), m)).as("other team in %s", m)
                    .isCloseTo(employedP50(t2.get("baseline"), m), org.assertj.core.data.Offset.offset(0.25));
        }
    }
}
