package org.workforcewatch.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;

/** The census return over HTTP: who may have it, its audit, its gaps, and the problems a bad request gets. */
class CensusReturnApiTest extends ApiTest {

    @BeforeEach
    void smallAuthority() {
        upload("teams", """
                team_id,team_name,service,team_type,parent_team_id
                T01,Assessment North,Front Door,assessment,
                T02,Children in Care,Children in Care,children_in_care,
                """).expectStatus().isCreated();
        // a worker in post holding cases, a leaver, an agency worker, a personal adviser (not in the census) and a worker
        // known by registration number who started in the year
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                S0001,T01,social_worker,permanent,1,2021-03-01,,,true,2019-07-01,,
                S0002,T01,team_manager,permanent,0.8,2018-01-08,2026-04-30,retired,false,2005-07-01,,
                S0003,T02,social_worker,agency,1,2026-03-02,,,true,2015-07-01,Locums Ltd,45.00
                S0004,T02,personal_adviser,permanent,1,2020-01-06,,,false,,,
                SW0000012345,T02,senior_practitioner,fixed_term,0.6,2026-05-05,,,true,2012-07-01,,
                """).expectStatus().isCreated();
    }

    @Test
    void hrGetsTheReturnAsAnAttachmentValidAgainstTheSchemaWithItsGapsCountedAndTheExportIsAudited() throws Exception {
        var answer = as("hr").get().uri("/api/returns/census?year=2026").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_XML)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"csww-873-2026.xml\"")
                .expectHeader().valueEquals(HttpHeaders.LINK, "</api/returns/census/gaps?year=2026>; rel=\"describedby\"")
                .expectBody(byte[].class).returnResult();
        String xml = new String(answer.getResponseBody(), StandardCharsets.UTF_8);
        javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/reference/csww-census/social_work_workforce_2022.xsd")).newValidator()
                .validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(xml)));
        assertThat(xml).contains("<SWENo>SW0000012345</SWENo>", "<ReasonLeave>5</ReasonLeave>", "<AgencyWorker>1</AgencyWorker>")
                .doesNotContain("S0004");
        assertThat(xml.split("<CSWWWorker>", -1)).hasSize(5); // four children and family social workers

        assertThat(one("SELECT actor || ' ' || status || ' ' || (detail->>'workers') FROM audit_log"
                + " WHERE action = 'person_export' AND path = '/api/returns/census'")).isEqualTo("hr 200 4");
        long gaps = Long.parseLong(answer.getResponseHeaders().getFirst("X-Census-Gaps"));

        as("admin").get().uri("/api/returns/census/gaps?year=2026").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.count").isEqualTo((int) gaps)
                .jsonPath("$.workers").isEqualTo(4)
                .jsonPath("$.by_element.QualInst").isEqualTo(4)
                .jsonPath("$.by_element.SWENo").isEqualTo(3)
                .jsonPath("$.gaps[?(@.staff_id == 'S0001' && @.element == 'QualInst')].why")
                .value(why -> assertThat(why.toString()).contains("qualification data is not held"))
                .jsonPath("$.gaps[?(@.staff_id == 'S0002' && @.element == 'LeaverDestination')]").exists()
                .jsonPath("$.gaps[?(@.staff_id == 'SW0000012345' && @.element == 'SWENo')]").doesNotExist();
        assertThat(count("audit_log WHERE action = 'person_export' AND path = '/api/returns/census/gaps' AND actor = 'admin'"))
                .isEqualTo(1);
    }

    @Test
    void viewersAndTeamManagersAreRefusedAndNoOneUnsignedGetsIn() {
        as("viewer").get().uri("/api/returns/census?year=2026").exchange().expectStatus().isForbidden();
        as("manager").get().uri("/api/returns/census?year=2026").exchange().expectStatus().isForbidden();
        as("head").get().uri("/api/returns/census/gaps?year=2026").exchange().expectStatus().isForbidden();
        as("manager").get().uri("/api/returns/census/gaps?year=2026").exchange().expectStatus().isForbidden();
        anonymous().get().uri("/api/returns/census?year=2026").exchange().expectStatus().isUnauthorized();
        assertThat(count("audit_log WHERE action = 'person_export' AND status = 200")).isZero();
    }

    @Test
    void aBadYearIsAProblemNamingTheParameter() {
        for (String year : new String[] {"20x6", "1999", "", "26"}) {
            as("hr").get().uri("/api/returns/census?year=" + year).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("'year'"));
        }
        as("hr").get().uri("/api/returns/census").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("'year' is required"));
    }

    @Autowired
    private CensusReturnController controller;

    @Test
    void theLeaIsLookedUpOnceAtStartUpAndTheReturnSaysWhichCodeWasTakenFromWhat() {
        // resolved when the service started, not read from the published file per request
        assertThat(controller.lea()).isEqualTo(new ReturnSettings.Lea("873", "E10000003"));
        as("hr").get().uri("/api/returns/census/gaps?year=2026").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.gaps[?(@.element == 'LEA')].why").value(why -> assertThat(why.toString())
                        .contains("LEA 873 taken from workforce.authority.area-code E10000003: set workforce.returns.lea"
                                .replace(": set", " (the Department's published file): set")));
    }

    @Test
    void aYearWhoseEverySpellIsOfUnknownEmploymentIsAProblemNotAnInvalidFileAndItsGapsStillAnswer() {
        // as an SSD extract leaves them when its agency flag is empty and no HR staff file says otherwise
        db.sql("UPDATE staff_spells SET employment = 'unknown' WHERE role <> 'personal_adviser'").then().block();
        assertThat(count("staff_spells WHERE employment = 'unknown'")).isEqualTo(4);
        assertThat(count("staff_spells")).isEqualTo(5);
        as("hr").get().uri("/api/returns/census?year=2026").exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString())
                        .contains("no worker can be written", "4 spells of unknown employment",
                                "/api/returns/census/gaps?year=2026"));
        as("hr").get().uri("/api/returns/census/gaps?year=2026").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.workers").isEqualTo(0)
                .jsonPath("$.by_element.AgencyWorker").isEqualTo(4);
    }

    @Test
    void aYearWithNoWorkersIsNotFound() {
        as("hr").get().uri("/api/returns/census?year=2012").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("2012 census year"));
        as("hr").get().uri("/api/returns/census/gaps?year=2012").exchange().expectStatus().isNotFound();
    }
}
