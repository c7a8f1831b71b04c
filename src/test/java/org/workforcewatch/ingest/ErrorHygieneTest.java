package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.workforcewatch.ApiTest;

/**
 * Every kind of error a client can provoke is answered as an RFC 9457 problem
 * ({@code application/problem+json} with status and detail) and gives nothing away: no exception
 * names, stack frames, Java packages or SQL, whether the request is malformed, refused or meets a
 * database error.
 */
class ErrorHygieneTest extends ApiTest {

    /** What must never reach a client: traces of Java, of the database driver, or of SQL. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "org.", "java.", "tools.jackson", "SELECT",
            "INSERT", "UPDATE ", "ERROR:", "SQLState", "sqlstate", "r2dbc", "R2dbc", "postgres", "relation \"", "stack");

    @LocalServerPort
    private int port;

    private record Answer(String what, int status, String contentType, String body) {
    }

    @Test
    void everyErrorIsAProblemWithoutStackTraceOrSql() {
        List<Answer> answers = new ArrayList<>();
        answers.add(send("malformed JSON", 400, HttpMethod.PUT, "/api/thresholds/caseload_per_fte", MediaType.APPLICATION_JSON,
                "{\"amber\": 18, \"red\": "));
        answers.add(send("JSON of the wrong type", 400, HttpMethod.PUT, "/api/thresholds/caseload_per_fte",
                MediaType.APPLICATION_JSON, "{\"amber\": \"lots\", \"red\": [1]}"));
        answers.add(send("a scenario that is not JSON", 400, HttpMethod.POST, "/api/scenarios", MediaType.APPLICATION_JSON, "[1, 2"));
        answers.add(send("an events body that is not JSON", 400, HttpMethod.POST, "/api/events", MediaType.APPLICATION_JSON,
                "{\"type\": \"staff_left\", "));
        answers.add(send("a number parameter that is text", 400, HttpMethod.GET, "/api/imports?limit=lots", null, null));
        answers.add(send("a path id that is text", 400, HttpMethod.GET, "/api/imports/latest", null, null));
        answers.add(send("a path id beyond a long", 400, HttpMethod.GET, "/api/imports/99999999999999999999", null, null));
        answers.add(send("an impossible date", 400, HttpMethod.GET, "/api/indicators?as_of=2025-13-45", null, null));
        answers.add(send("a date that is not a date", 400, HttpMethod.GET, "/api/indicators/agency_rate/series?from=yesterday",
                null, null));
        answers.add(send("a year that is text", 400, HttpMethod.GET, "/api/census/last", null, null));
        answers.add(send("an unknown extract mode", 400, HttpMethod.POST, "/api/imports/teams?extract=some",
                MediaType.parseMediaType("text/csv"), "team_id\n"));
        answers.add(send("a NUL in a file name", 400, HttpMethod.POST, "/api/imports/teams?file_name=a%00b.csv",
                MediaType.parseMediaType("text/csv"), Fixtures.VALID.get("teams")));
        answers.add(send("a NUL in a census team", 400, HttpMethod.POST, "/api/imports/census?team_id=T%001",
                MediaType.APPLICATION_XML, "<Message/>"));
        answers.add(send("an unknown path", 404, HttpMethod.GET, "/api/nothing-here", null, null));
        answers.add(send("an unknown indicator", 404, HttpMethod.GET, "/api/indicators/nonsense/series", null, null));
        answers.add(send("an unknown dataset", 404, HttpMethod.POST, "/api/imports/rosters", MediaType.parseMediaType("text/csv"),
                "a,b\n"));
        answers.add(send("a wrong method", 405, HttpMethod.GET, "/api/events", null, null));
        answers.add(send("another wrong method", 405, HttpMethod.PATCH, "/api/scenarios/plan", MediaType.APPLICATION_JSON, "{}"));
        answers.add(send("events as plain text", 415, HttpMethod.POST, "/api/events", MediaType.TEXT_PLAIN, "hello"));
        answers.add(send("a scenario as a form", 415, HttpMethod.POST, "/api/scenarios", MediaType.APPLICATION_FORM_URLENCODED,
                "name=x"));
        answers.add(answer("an Accept it cannot meet", 406, web.get().uri("/api/imports").accept(MediaType.APPLICATION_XML).exchange()));
        answers.add(answer("a form without a file", 400, web.post().uri("/api/imports/teams")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData("note", "no file")).exchange()));
        answers.add(send("an empty file", 422, HttpMethod.POST, "/api/imports/teams", MediaType.parseMediaType("text/csv"), ""));
        answers.add(send("a zip that is not a zip", 422, HttpMethod.POST, "/api/imports/ssd", MediaType.parseMediaType("application/zip"),
                "PK not really"));
        answers.add(raw("a file declared at 2 GiB", 413, "/api/imports/teams", "text/csv", 2L << 30));
        answers.add(raw("events declared at 100 MiB", 413, "/api/events", "application/x-ndjson", 100L << 20));
        answers.add(raw("a census return declared at 100 MiB", 413, "/api/imports/census", "application/xml", 100L << 20));
        answers.add(answer("no credentials", 401, anonymous().get().uri("/api/imports").exchange()));
        answers.add(answer("wrong credentials", 401, anonymous().get().uri("/api/imports")
                .headers(h -> h.setBasicAuth("admin", "guess")).exchange()));
        answers.add(answer("a role without imports", 403, as("viewer").post().uri("/api/imports/teams")
                .contentType(MediaType.parseMediaType("text/csv")).bodyValue("team_id\n").exchange()));
        answers.add(databaseError());

        SoftAssertions soft = new SoftAssertions();
        for (Answer a : answers) {
            soft.assertThat(a.contentType()).as(a.what() + ": content type").startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            soft.assertThat(a.body()).as(a.what() + ": a problem with its status and detail")
                    .contains("\"status\":" + a.status()).contains("\"detail\":\"");
            for (String leak : LEAKS) {
                soft.assertThat(a.body()).as(a.what() + ": gives nothing away").doesNotContain(leak);
            }
        }
        soft.assertAll();
    }

    @Test
    void aRequestThatCannotBeReadIsExplainedByItsParameterOrItsPlaceInTheBody() {
        web.get().uri("/api/imports?limit=lots").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").isEqualTo("the parameter 'limit' must be a whole number, not 'lots'");
        web.get().uri("/api/indicators?as_of=2025-13-45").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").isEqualTo("the parameter 'as_of' must be a date as YYYY-MM-DD, not '2025-13-45'");
        web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"amber\": 18,\n\"red\": ")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("the body is not valid JSON (line 2, column"));
        web.put().uri("/api/thresholds/caseload_per_fte").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"amber\": \"lots\"}")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("in the body, 'amber' is not of the kind expected"));
    }

    @Test
    void aRequestThatIsNotHttpGetsNoInternalsBack() {
        for (String request : List.of("HELLO WORLD\r\n\r\n", "GET /api/imports HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "x".repeat(40_000) + "\r\n\r\n", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            RawHttp.Answer answer = RawHttp.exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
            assertThat(answer.status()).isBetween(400, 499);
            for (String leak : LEAKS) {
                assertThat(answer.body()).doesNotContain(leak);
            }
        }
    }

    /** A table the request needs is missing for a moment: a database error, answered without its SQL. */
    private Answer databaseError() {
        asOwner("ALTER TABLE scenarios RENAME TO scenarios_hidden");
        try {
            return answer("a database error", 500, web.get().uri("/api/scenarios").exchange());
        } finally {
            asOwner("ALTER TABLE scenarios_hidden RENAME TO scenarios");
        }
    }

    private Answer send(String what, int status, HttpMethod method, String uri, MediaType type, String body) {
        WebTestClient.RequestBodySpec request = web.method(method).uri(URI.create("http://localhost:" + port + uri)); // as written: %00 is a NUL
        if (type != null) {
            request.contentType(type);
        }
        return answer(what, status, body == null ? request.exchange() : request.bodyValue(body).exchange());
    }

    private Answer raw(String what, int status, String path, String contentType, long declaredLength) {
        RawHttp.Answer answer = RawHttp.post(port, path, contentType, declaredLength, new byte[0]);
        assertThat(answer.status()).as(what).isEqualTo(status);
        return new Answer(what, answer.status(), answer.header("Content-Type"), answer.body());
    }

    private static Answer answer(String what, int status, WebTestClient.ResponseSpec spec) {
        EntityExchangeResult<byte[]> result = spec.expectBody().returnResult();
        assertThat(result.getStatus().value()).as(what + ": " + text(result)).isEqualTo(status);
        MediaType type = result.getResponseHeaders().getContentType();
        return new Answer(what, status, type == null ? "" : type.toString(), text(result));
    }

    private static String text(EntityExchangeResult<byte[]> result) {
        return result.getResponseBody() == null ? "" : new String(result.getResponseBody(), StandardCharsets.UTF_8);
    }
}
