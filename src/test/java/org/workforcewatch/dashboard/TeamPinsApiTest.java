package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;

/** Pinned teams: each person keeps their own list, of teams that exist, on the server. */
class TeamPinsApiTest extends ApiTest {

    @BeforeEach
    void teams() {
        upload("teams", """
                team_id,team_name,service,team_type
                T01,Assessment North,Front Door,assessment
                T02,Safeguarding South,Safeguarding,safeguarding
                T03,Children in Care,Looked After,children_in_care
                """).expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec put(String user, String body) {
        return as(user).put().uri("/api/me/pins").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private List<String> pinned(String user) {
        Map<String, Object> body = as(user).get().uri("/api/me/pins").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("teams")).stream().map(t -> (String) t.get("team_id")).toList();
    }

    @Test
    void eachPersonPinsTeamsInTheirOwnOrderAndSeesOnlyTheirOwn() {
        assertThat(pinned("manager")).isEmpty();
        put("manager", "{\"teams\": [\"T02\", \"T01\"]}").expectStatus().isOk().expectBody()
                .jsonPath("$.teams[0].team_id").isEqualTo("T02")
                .jsonPath("$.teams[0].team_name").isEqualTo("Safeguarding South")
                .jsonPath("$.teams[1].team_id").isEqualTo("T01");
        put("viewer", "{\"teams\": [\"T03\"]}").expectStatus().isOk();

        assertThat(pinned("manager")).containsExactly("T02", "T01");
        assertThat(pinned("viewer")).containsExactly("T03");
        assertThat(pinned("head")).isEmpty();

        // a new list replaces the old one, in its order
        put("manager", "{\"teams\": [\"T01\", \"T03\"]}").expectStatus().isOk();
        assertThat(pinned("manager")).containsExactly("T01", "T03");
        put("manager", "{\"teams\": []}").expectStatus().isOk().expectBody().jsonPath("$.teams.length()").isEqualTo(0);
        assertThat(pinned("manager")).isEmpty();
        assertThat(pinned("viewer")).containsExactly("T03");
    }

    @Test
    void anUnknownTeamIsAProblemNamingItAndNothingChanges() {
        put("hr", "{\"teams\": [\"T01\"]}").expectStatus().isOk();
        put("hr", "{\"teams\": [\"T02\", \"T99\"]}").expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody()
                .jsonPath("$.title").isEqualTo("The pinned teams are not valid")
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].index").isEqualTo(1)
                .jsonPath("$.errors[0].team").isEqualTo("T99")
                .jsonPath("$.errors[0].problem").value(p -> assertThat((String) p).contains("no team with team_id 'T99'"));
        assertThat(pinned("hr")).containsExactly("T01");
    }

    @Test
    void duplicatesTooManyAndAMalformedBodyAreRefused() {
        put("admin", "{\"teams\": [\"T01\", \"T01\"]}").expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].index").isEqualTo(1).jsonPath("$.errors[0].problem").isEqualTo("pinned twice");
        String many = String.join(", ", IntStream.range(0, TeamPins.MAX_PINS + 1).mapToObj(i -> "\"X" + i + "\"").toList());
        put("admin", "{\"teams\": [" + many + "]}").expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].problem").value(p -> assertThat((String) p).contains("at most " + TeamPins.MAX_PINS));
        put("admin", "[\"T01\"]").expectStatus().isEqualTo(422);
        assertThat(pinned("admin")).isEmpty();
    }

    @Test
    void aPinnedTeamThatIsGoneIsNotShown() {
        put("head", "{\"teams\": [\"T01\", \"T02\"]}").expectStatus().isOk();
        db.sql("DELETE FROM teams WHERE team_id = 'T02'").then().block();
        assertThat(pinned("head")).containsExactly("T01");
    }

    @Test
    void pinsNeedASignIn() {
        anonymous().get().uri("/api/me/pins").exchange().expectStatus().isUnauthorized();
        anonymous().put().uri("/api/me/pins").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"teams\": []}").exchange()
                .expectStatus().value(s -> assertThat(s).isIn(401, 403));
    }
}
