package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.AbandonedImports;
import org.workforcewatch.ingest.Fixtures;
import org.workforcewatch.ingest.ImportLog;
import org.workforcewatch.ingest.ImportReceipt;
import reactor.core.publisher.Sinks;

/** The general rules of docs/DATA-FORMATS.md that hold for every dataset. */
class ImportRulesTest extends ApiTest {

    private static final String TEAMS = Fixtures.VALID.get("teams");

    @Autowired
    private ImportLog importLog;

    @Autowired
    private AbandonedImports abandoned;

    @org.springframework.boot.test.web.server.LocalServerPort
    private int port;

    @Test
    void headerNamesMatchIgnoringCaseSpaceAndOrderAndUnknownColumnsAreWarnings() {
        upload("teams", " Team_Type ,TEAM_NAME,notes,team_id,Service\nassessment,North,hello,T1,Front Door\n")
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(1)
                .jsonPath("$.warnings[0]").isEqualTo("unknown column ignored: notes");
        assertThat(one("SELECT team_name || '|' || service || '|' || team_type FROM teams")).isEqualTo("North|Front Door|assessment");
    }

    @Test
    void aMissingRequiredColumnIsReportedBeforeAnyRowIsRead() {
        upload("teams", "team_id,team_name\nT1,North\nT2,\n").expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[0].line").isEqualTo(1)
                .jsonPath("$.errors[0].column").isEqualTo("service")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("required column is missing"))
                .jsonPath("$.errors[1].column").isEqualTo("team_type");
    }

    @Test
    void utf8WithAByteOrderMarkIsRead() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        upload("teams", concat(bom, "team_id,team_name,service,team_type\nT1,Équipe Nord,Front Door,assessment\n"
                .getBytes(StandardCharsets.UTF_8)))
                .expectStatus().isCreated().expectBody().jsonPath("$.encoding").isEqualTo("UTF-8");
        assertThat(one("SELECT team_name FROM teams WHERE team_id = 'T1'")).isEqualTo("Équipe Nord");
    }

    @Test
    void bytesThatAreNotUtf8AreReadAsWindows1252AndTheReceiptSaysSo() {
        byte[] file = "team_id,team_name,service,team_type\nT1,Caf\u00e9 \u2013 North,Front Door,assessment\n"
                .getBytes(TextDecoder.WINDOWS_1252);
        upload("teams", file).expectStatus().isCreated().expectBody().jsonPath("$.encoding").isEqualTo("Windows-1252");
        assertThat(one("SELECT team_name FROM teams")).isEqualTo("Café – North");
    }

    @Test
    void aFileWhoseFirstNonUtf8ByteFollowsUtf8LookingTextIsReadAgainAsWindows1252() {
        // "Ã©" in Windows-1252 is the two bytes C3 A9, which are also valid UTF-8 for "é": the file is only
        // known to be Windows-1252 when the lone E9 byte on the next line arrives.
        byte[] file = "team_id,team_name,service,team_type\nT1,Ã©cole,Front Door,assessment\nT2,Caf\u00e9,Front Door,assessment\n"
                .getBytes(TextDecoder.WINDOWS_1252);
        upload("teams", file).expectStatus().isCreated().expectBody()
                .jsonPath("$.encoding").isEqualTo("Windows-1252").jsonPath("$.rows").isEqualTo(2);
        assertThat(one("SELECT team_name FROM teams WHERE team_id = 'T1'")).isEqualTo("Ã©cole");
        assertThat(one("SELECT team_name FROM teams WHERE team_id = 'T2'")).isEqualTo("Café");
    }

    @Test
    void datesComeInIsoOrUkOrderAndBooleansInEveryAllowedForm() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,case_holding
                S1,T1,social_worker,permanent,1,05/01/2024,Y
                S2,T1,social_worker,permanent,1,2024-01-05,yes
                S3,T1,social_worker,permanent,1,2024-01-05,TRUE
                S4,T1,social_worker,permanent,1,2024-01-05,1
                S5,T1,social_worker,permanent,1,2024-01-05,n
                S6,T1,social_worker,permanent,1,2024-01-05,No
                S7,T1,social_worker,permanent,1,2024-01-05,false
                S8,T1,Social_Worker,PERMANENT,1,2024-01-05,0
                """).expectStatus().isCreated();
        assertThat(one("SELECT start_date FROM staff_spells WHERE staff_id = 'S1'")).isEqualTo("2024-01-05");
        assertThat(one("SELECT string_agg(case_holding::text, ',' ORDER BY staff_id) FROM staff_spells"))
                .isEqualTo("true,true,true,true,false,false,false,false");
        assertThat(one("SELECT role || ' ' || employment FROM staff_spells WHERE staff_id = 'S8'")).isEqualTo("social_worker permanent");
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaksAndLinesAreStillCountedRight() {
        String file = "team_id,team_name,service,team_type\r\n"
                + "T1,\"North, \"\"East\"\"\r\nand more\",Front Door,assessment\r\n"
                + "\r\n"
                + "T2,South,Front Door,nonsense\r\n";
        upload("teams", file).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].line").isEqualTo(5)
                .jsonPath("$.errors[0].column").isEqualTo("team_type");
        upload("teams", file.replace("nonsense", "assessment")).expectStatus().isCreated();
        assertThat(one("SELECT team_name FROM teams WHERE team_id = 'T1'")).isEqualTo("North, \"East\"\r\nand more");
    }

    @Test
    void malformedLinesAreLocated() {
        upload("teams", "team_id,team_name,service,team_type\nT1,North,Front Door\nT2,\"South,Front Door,assessment\n")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].line").isEqualTo(2)
                .jsonPath("$.errors[0].reason").isEqualTo("has 3 fields but the header has 4")
                .jsonPath("$.errors[1].line").isEqualTo(3)
                .jsonPath("$.errors[1].reason").value(r -> assertThat((String) r).contains("never closed"));
        upload("teams", "").expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("empty"));
    }

    @Test
    void everyErrorIsCountedButAtMostAThousandAreListed() {
        StringBuilder file = new StringBuilder("team_id,team_name,service,team_type\n");
        for (int i = 0; i < 1500; i++) {
            file.append("T").append(i).append(",Team,Service,bad\n");
        }
        upload("teams", file.toString()).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.error_count").isEqualTo(1500)
                .jsonPath("$.errors.length()").isEqualTo(1000)
                .jsonPath("$.errors[999].line").isEqualTo(1001);
    }

    @Test
    void badCellsAndAnUnknownTeamAreListedTogetherInOneAnswerAndNothingIsApplied() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date
                S1,T1,social_worker,permenant,1,2022-01-10,,,Y,2015-07-01
                S2,T99,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01
                S3,T1,social_worker,permanent,two,2022-01-10,,,Y,2015-07-01
                S4,T2,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01
                S4,T2,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.error_count").isEqualTo(4)
                .jsonPath("$.errors.length()").isEqualTo(4)
                .jsonPath("$.errors[0].line").isEqualTo(2)
                .jsonPath("$.errors[0].column").isEqualTo("employment")
                .jsonPath("$.errors[0].value").isEqualTo("permenant")
                .jsonPath("$.errors[1].line").isEqualTo(3)
                .jsonPath("$.errors[1].column").isEqualTo("team_id")
                .jsonPath("$.errors[1].value").isEqualTo("T99")
                .jsonPath("$.errors[1].reason").value(r -> assertThat((String) r).contains("no team with this team_id"))
                .jsonPath("$.errors[2].line").isEqualTo(4)
                .jsonPath("$.errors[2].column").isEqualTo("fte")
                .jsonPath("$.errors[2].value").isEqualTo("two")
                .jsonPath("$.errors[3].line").isEqualTo(6)
                .jsonPath("$.errors[3].reason").value(r -> assertThat((String) r).contains("duplicate key").contains("line 5"));
        assertThat(count("staff_spells")).isZero();
    }

    @Test
    void importingTheSameFileTwiceChangesNothingTheSecondTime() {
        upload("teams", TEAMS).expectStatus().isCreated();
        String before = one("SELECT string_agg(t::text, ';' ORDER BY team_id) FROM teams t");
        upload("teams", TEAMS).expectStatus().isCreated().expectBody()
                .jsonPath("$.rows").isEqualTo(2).jsonPath("$.inserted").isEqualTo(0)
                .jsonPath("$.updated").isEqualTo(0).jsonPath("$.unchanged").isEqualTo(2)
                .jsonPath("$.missing_from_extract.length()").isEqualTo(0);
        assertThat(one("SELECT string_agg(t::text, ';' ORDER BY team_id) FROM teams t")).isEqualTo(before);
    }

    @Test
    void rowsAreUpsertedByKey() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("teams", """
                team_id,team_name,service,team_type,parent_team_id
                T1,Assessment North and West,Front Door,assessment,
                T2,Out of Hours,Front Door,out_of_hours,T1
                T3,Safeguarding 1,Safeguarding,safeguarding,
                """).expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(1).jsonPath("$.updated").isEqualTo(1).jsonPath("$.unchanged").isEqualTo(1);
        assertThat(one("SELECT team_name FROM teams WHERE team_id = 'T1'")).isEqualTo("Assessment North and West");
    }

    @Test
    void aCurrentRecordMissingFromALaterFullExtractIsFlaggedNotErasedUntilConfirmed() {
        upload("teams", TEAMS).expectStatus().isCreated();
        String header = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding\n";
        String s1 = "S1,T1,social_worker,permanent,1,2022-01-10,,,Y\n";
        String s2 = "S2,T1,social_worker,permanent,1,2022-01-10,,,Y\n";
        String s3Ended = "S3,T1,social_worker,permanent,1,2020-01-10,2021-01-01,resigned,Y\n";
        upload("staff", header + s1 + s2 + s3Ended).expectStatus().isCreated();

        upload("staff", header + s1).expectStatus().isCreated().expectBody()
                .jsonPath("$.missing_from_extract_total").isEqualTo(1)
                .jsonPath("$.missing_from_extract[0].staff_id").isEqualTo("S2")
                .jsonPath("$.missing_from_extract[0].team_id").isEqualTo("T1")
                .jsonPath("$.missing_from_extract[0].start_date").isEqualTo("2022-01-10");
        assertThat(count("staff_spells")).isEqualTo(3);
        assertThat(one("SELECT coalesce(end_date::text, 'open') FROM staff_spells WHERE staff_id = 'S2'")).isEqualTo("open");

        upload("staff", header + s1).expectStatus().isCreated(); // the same extract again: still one flag
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS4,T1,asye,permanent,1,2024-09-01,Y\n"
                + "").expectStatus().isCreated();
        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.missing_from_latest_extract_total").isEqualTo(2)
                .jsonPath("$.missing_from_latest_extract[0].dataset").isEqualTo("staff")
                .jsonPath("$.missing_from_latest_extract[0].record.staff_id").isEqualTo("S2");

        long s2Flag = Long.parseLong(one("SELECT id FROM missing_records WHERE record_key->>'staff_id' = 'S2'"));
        web.post().uri("/api/data-quality/missing/" + s2Flag + "/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resolution", "left", "by", "hr.lead", "note", "left in October"))
                .exchange().expectStatus().isOk();
        // S1 was missing from the S4-only extract; back in a later extract, its flag clears by itself
        upload("staff", header + s1 + s2).expectStatus().isCreated();
        web.get().uri("/api/data-quality/missing").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].record.staff_id").isEqualTo("S4");
        assertThat(one("SELECT resolution FROM missing_records WHERE record_key->>'staff_id' = 'S1'")).isEqualTo("back_in_extract");
        assertThat(one("SELECT resolution || ' by ' || resolved_by FROM missing_records WHERE id = " + s2Flag)).isEqualTo("left by admin");
    }

    @Test
    void careLeaversKeepEveryVersionAnImportChanged() {
        for (String d : List.of("teams", "staff")) {
            upload(d, Fixtures.VALID.get(d)).expectStatus().isCreated();
        }
        String header = "child_id,date_of_birth,eligibility,pa_staff_id,in_touch,latest_contact_date\n";
        upload("care_leavers", header + "C5,2005-01-01,relevant,S1,yes,2024-09-01\n").expectStatus().isCreated();
        upload("care_leavers", header + "C5,2005-01-01,former_relevant,S1,yes,2024-10-01\n").expectStatus().isCreated()
                .expectBody().jsonPath("$.updated").isEqualTo(1);
        upload("care_leavers", header + "C5,2005-01-01,former_relevant,S1,yes,2024-10-01\n").expectStatus().isCreated()
                .expectBody().jsonPath("$.unchanged").isEqualTo(1);
        assertThat(one("SELECT string_agg(eligibility || '@' || latest_contact_date, ' then ' ORDER BY import_id)"
                + " FROM care_leaver_history WHERE child_id = 'C5'")).isEqualTo("relevant@2024-09-01 then former_relevant@2024-10-01");
        assertThat(one("SELECT eligibility FROM care_leavers WHERE child_id = 'C5'")).isEqualTo("former_relevant");
    }

    @Test
    void anImportInterruptedByAStopIsMarkedFailedAtTheNextStart() throws Exception {
        long id = importLog.start("teams", "full", "teams.csv").block();
        // older than the grace an import has to begin its transaction, and held by none
        db.sql("UPDATE imports SET started_at = now() - interval '10 minutes' WHERE id = " + id).then().block();
        abandoned.run(null);
        web.get().uri("/api/imports/" + id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("failed")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("nothing of it was applied"));
    }

    @Test
    void aPartialExtractFlagsNothing() {
        upload("teams", TEAMS).expectStatus().isCreated();
        web.post().uri("/api/imports/teams?extract=partial").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("team_id,team_name,service,team_type\nT3,New,Safeguarding,safeguarding\n").exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.extract").isEqualTo("partial")
                .jsonPath("$.missing_from_extract_total").isEqualTo(0);
        assertThat(count("missing_records")).isZero();
    }

    @Test
    void aMultipartUploadIsImportedAndItsFileNameKept() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("note", "monthly extract");
        form.part("file", new ByteArrayResource(TEAMS.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "teams-2024-11.csv";
            }
        }).contentType(MediaType.parseMediaType("text/csv"));
        web.post().uri("/api/imports/teams").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange()
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.file_name").isEqualTo("teams-2024-11.csv").jsonPath("$.inserted").isEqualTo(2);
    }

    @Test
    void theAnswerToAnUploadSaysWhenItStartedAndWhatFileItWasAsTheImportLogDoes() {
        for (String query : List.of("?file_name=teams-2024-11.csv", "")) {
            Map<?, ?> answer = web.post().uri("/api/imports/teams" + query).contentType(MediaType.parseMediaType("text/csv"))
                    .bodyValue(TEAMS).exchange().expectStatus().isCreated().expectBody(Map.class)
                    .returnResult().getResponseBody();
            assertThat(answer.get("started_at")).as(query).isNotNull();
            assertThat(java.time.Instant.parse((String) answer.get("started_at")))
                    .isBeforeOrEqualTo(java.time.Instant.parse((String) answer.get("finished_at")));
            Map<?, ?> logged = web.get().uri("/api/imports/" + answer.get("id")).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            for (String field : List.of("file_name", "started_at", "finished_at", "rows", "inserted")) {
                assertThat(answer.get(field)).as(query + " " + field).isEqualTo(logged.get(field));
            }
            assertThat(answer.get("file_name")).as(query).isEqualTo(query.isEmpty() ? null : "teams-2024-11.csv");
        }
    }

    @Test
    void everyImportIsRecordedWithItsReceiptOrItsErrors() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("teams", "team_id,team_name,service,team_type\nT9,X,Y,bad\n").expectStatus().isEqualTo(422);
        web.get().uri("/api/imports").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].status").isEqualTo("rejected")
                .jsonPath("$[1].status").isEqualTo("succeeded")
                .jsonPath("$[1].sha256").value(s -> assertThat((String) s).hasSize(64))
                .jsonPath("$[1].duration_ms").value(d -> assertThat(((Number) d).longValue()).isNotNegative());
        long rejected = Long.parseLong(one("SELECT id FROM imports WHERE status = 'rejected'"));
        web.get().uri("/api/imports/" + rejected).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.error_count").isEqualTo(1)
                .jsonPath("$.errors[0].column").isEqualTo("team_type");
        web.get().uri("/api/imports/999999").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith("application/problem+json");
    }

    @Test
    void anUnknownDatasetIsAProblemNamingTheDatasets() {
        upload("rosters", TEAMS).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("teams, staff, establishment"));
    }

    @Test
    void aRunningImportShowsTheRowsReadSoFar() throws Exception {
        Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();
        StringBuilder first = new StringBuilder("team_id,team_name,service,team_type\n");
        for (int i = 0; i < 5000; i++) {
            first.append("T").append(i).append(",Team ").append(i).append(",Service,assessment\n");
        }
        body.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap(first.toString().getBytes(StandardCharsets.UTF_8)));
        // WebTestClient waits for the answer before returning; this upload must stay open, so use WebClient
        var answer = WebClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.setBasicAuth("hr", PASSWORD))
                .build().post().uri("/api/imports/teams")
                .contentType(MediaType.parseMediaType("text/csv")).body(body.asFlux(), DataBuffer.class)
                .retrieve().toEntity(String.class).toFuture();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ImportReceipt> running = importLog.list("teams", 1).collectList().block();
            assertThat(running).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo("running");
                assertThat(r.rows()).isEqualTo(5000);
            });
        });
        body.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap("T5000,Last,Service,assessment\n".getBytes(StandardCharsets.UTF_8)));
        body.tryEmitComplete();
        var response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.getStatusCode().value()).isEqualTo(201);
        assertThat(response.getBody()).contains("\"rows\":5001");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
