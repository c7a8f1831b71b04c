package org.workforcewatch.ingest.census;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.Fixtures;

/** The annual workforce census return (CSWW XML): loading, checking, the snapshot and its DfE measures. */
class CensusImportTest extends ApiTest {

    private static final String SAMPLE = "/reference/csww-census/sample_2022.xml";
    /** Every stored row an import could change, with the import that last wrote it. */
    private static final String EVERYTHING_STORED = """
            SELECT (SELECT string_agg(concat_ws(' ', staff_id, team_id, start_date, role, employment, fte, end_date,
                                                leaving_reason, case_holding, import_id), ',' ORDER BY staff_id)
                    FROM staff_spells)
                || (SELECT string_agg(concat_ws(' ', staff_id, start_date, end_date, reason, working_days_lost, import_id),
                                      ',' ORDER BY staff_id) FROM absence)
                || (SELECT string_agg(concat_ws(' ', r.import_id, r.loaded_at, w.worker_index, w.swe_no, w.fte), ','
                                      ORDER BY w.worker_index) FROM census_returns r JOIN census_workers w ON w.return_id = r.id)
            """;

    @Test
    void theSampleLoadsAndItsMeasuresEqualAHandComputationFromTheXml() {
        byte[] xml = sample();
        postCensus(xml, "").expectStatus().isCreated().expectBody()
                .jsonPath("$.dataset").isEqualTo("census")
                .jsonPath("$.status").isEqualTo("succeeded")
                .jsonPath("$.rows").isEqualTo(30)
                .jsonPath("$.warnings[*]").value(w -> assertThat(w.toString()).contains("QualInst"));

        HandCount hand = HandCount.of(xml);
        WebTestClient.BodyContentSpec body = web.get().uri("/api/census/2022").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.reference_date").isEqualTo("2022-09-30")
                .jsonPath("$.la_code").isEqualTo("301")
                .jsonPath("$.workers").isEqualTo(30)
                .jsonPath("$.employed_fte").value(decimal(hand.employedFte))
                .jsonPath("$.agency_fte").value(decimal(hand.agencyFte))
                .jsonPath("$.measures.agency_rate.la_level_agency_fte").value(decimal(new BigDecimal("59.82")))
                .jsonPath("$.measures.agency_rate.la_level_agency_headcount").isEqualTo(71);
        assertMeasures(body, hand);
        assertThat(hand.employedFte).isPositive();
        assertThat(hand.caseHolderFte).isPositive();
    }

    @Test
    void aCorrectedFileForTheSameYearReplacesTheSnapshotAndItsSpells() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        postCensus(placed(sample(), "CC-North"), "").expectStatus().isCreated();
        assertThat(count("staff_spells WHERE staff_id = 'Oz2054309383'")).isEqualTo(1);
        assertThat(count("absence WHERE staff_id = 'Oz2054309383'")).isEqualTo(1);

        // the correction: three employed leavers left in the year (one of them moved within the authority),
        // and the first worker was not in the authority's workforce after all
        byte[] corrected = edit(placed(sample(), "CC-North"), doc -> {
            for (String swe : List.of("TB9669555723", "ZQ9393137749", "eW7601111729")) {
                node(doc, "/Message/CSWWWorker[SWENo='" + swe + "']/RoleEndDate").setTextContent("2022-03-28");
            }
            Node first = node(doc, "/Message/CSWWWorker[SWENo='Oz2054309383']");
            first.getParentNode().removeChild(first);
        });
        HandCount hand = HandCount.of(corrected);
        assertThat(hand.leaversFte).isPositive();

        postCensus(corrected, "").expectStatus().isCreated().expectBody()
                .jsonPath("$.rows").isEqualTo(29)
                .jsonPath("$.warnings[*]").value(w -> assertThat(w.toString()).contains("replaces the 2022 return"));
        assertMeasures(web.get().uri("/api/census/2022").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.workers").isEqualTo(29), hand);
        assertThat(count("census_returns")).isEqualTo(1);
        assertThat(count("census_workers")).isEqualTo(29);
        assertThat(count("staff_spells WHERE staff_id = 'Oz2054309383'")).isZero();
        assertThat(count("absence WHERE staff_id = 'Oz2054309383'")).isZero();
        assertThat(one("SELECT end_date || ' ' || leaving_reason FROM staff_spells WHERE staff_id = 'TB9669555723'"))
                .isNull(); // FTE 0 and no FTE30: no spell
        assertThat(one("SELECT end_date || ' ' || leaving_reason FROM staff_spells WHERE staff_id = 'ZQ9393137749'"))
                .isEqualTo("2022-03-28 resigned");
        assertThat(count("staff_spells")).isEqualTo(hand.spells);
    }

    @Test
    void reimportingTheSameFileChangesNothing() {
        uploadTeamsAndAConflictingSpell();
        byte[] xml = placed(sample(), "CC-North");
        Object first = postCensus(xml, "").expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
        String stored = one(EVERYTHING_STORED);
        long conflicts = count("source_conflicts");

        postCensus(xml, "").expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(0)
                .jsonPath("$.updated").isEqualTo(0);
        assertThat(one("SELECT import_id FROM census_returns")).isEqualTo(String.valueOf(first));
        assertThat(one(EVERYTHING_STORED)).isEqualTo(stored);
        assertThat(count("source_conflicts")).isEqualTo(conflicts).isPositive();
        assertThat(count("census_workers")).isEqualTo(30);
    }

    @Test
    void aSchemaInvalidFileIsRefusedWithEveryProblemLocatedAndNothingStored() {
        byte[] invalid = edit(sample(), doc -> {
            node(doc, "/Message/CSWWWorker[1]/AgencyWorker").setTextContent("7");
            Node swe = node(doc, "/Message/CSWWWorker[2]/SWENo");
            swe.getParentNode().removeChild(swe);
            node(doc, "/Message/CSWWWorker[3]/RoleStartDate").setTextContent("2014-13-26");
        });
        long id = ((Number) postCensus(invalid, "").expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody().get("import_id")).longValue();

        web.get().uri("/api/imports/" + id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("rejected")
                .jsonPath("$.error_count").isEqualTo(3)
                .jsonPath("$.errors[0].worker").isEqualTo(1)
                .jsonPath("$.errors[0].column").isEqualTo("AgencyWorker")
                .jsonPath("$.errors[0].value").isEqualTo("7")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("allowed values: 0, 1"))
                .jsonPath("$.errors[0].line").value(l -> assertThat(((Number) l).longValue()).isPositive())
                .jsonPath("$.errors[1].worker").isEqualTo(2)
                .jsonPath("$.errors[1].column").isEqualTo("SWENo")
                .jsonPath("$.errors[1].reason").value(r -> assertThat((String) r).contains("missing"))
                .jsonPath("$.errors[2].worker").isEqualTo(3)
                .jsonPath("$.errors[2].column").isEqualTo("RoleStartDate")
                .jsonPath("$.errors[2].value").isEqualTo("2014-13-26")
                .jsonPath("$.errors[2].reason").value(r -> assertThat((String) r).contains("not a date"));
        for (String table : List.of("census_returns", "census_workers", "staff_spells", "absence", "teams", "source_conflicts")) {
            assertThat(count(table)).as(table).isZero();
        }
    }

    @Test
    void aFileThatIsNotXmlIsRefusedClearly() {
        web.post().uri("/api/imports/census").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("team_id,team_name\nT1,North\n".getBytes(StandardCharsets.UTF_8)).exchange()
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.dataset").isEqualTo("census")
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(1)
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).startsWith("not an XML file"));
        postCensus("<?xml version=\"1.0\"?>\n<Children><Child/></Children>".getBytes(StandardCharsets.UTF_8), "")
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].column").isEqualTo("Children")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("not a workforce census return"));
        postCensus(new byte[0], "").expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("empty"));
        assertThat(count("census_returns")).isZero();
    }

    /** XXE and entity expansion: a document type declaration is refused before any entity is read or expanded. */
    @Test
    void aFileWithADocumentTypeIsRefusedSoNoEntityIsReadOrExpanded() throws java.io.IOException {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("census-xxe", ".txt");
        java.nio.file.Files.writeString(secret, "SECRET-FROM-THE-SERVER");
        String original = new String(sample(), StandardCharsets.UTF_8);
        String body = original.substring(original.indexOf("?>") + 2);
        String external = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + body.replaceFirst("<LEA>([^<]*)</LEA>", "<LEA>&xxe;</LEA>");
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]>").append(body.replaceFirst("<LEA>([^<]*)</LEA>", "<LEA>&lol9;</LEA>"));
        for (String hostile : List.of(external, laughs.toString())) {
            postCensus(hostile.getBytes(StandardCharsets.UTF_8), "").expectStatus().isEqualTo(422).expectBody()
                    .jsonPath("$.dataset").isEqualTo("census")
                    .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).containsIgnoringCase("DOCTYPE"))
                    .consumeWith(answer -> assertThat(new String(answer.getResponseBodyContent(), StandardCharsets.UTF_8))
                            .doesNotContain("SECRET-FROM-THE-SERVER").doesNotContain("lollollol"));
        }
        assertThat(count("census_returns")).isZero();
        java.nio.file.Files.delete(secret);
    }

    @Test
    void elementsOfLaterCollectionYearsAreWarningsNotErrors() {
        byte[] later = edit(sample(), doc -> {
            Element extra = doc.createElement("PractitionerLevel2025");
            extra.setTextContent("3");
            node(doc, "/Message/CSWWWorker[5]").appendChild(extra);
        });
        postCensus(later, "").expectStatus().isCreated().expectBody()
                .jsonPath("$.warnings[*]").value(w -> assertThat(w.toString())
                        .contains("worker 5, line").contains("PractitionerLevel2025: element not in the 2022 census schema"));
        assertThat(count("census_workers")).isEqualTo(30);
    }

    @Test
    void workersWhoseCostCentreIsMappedEnterTheirTeamAndTheOthersWaitInDataQuality() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        // the mapping (test config): CC-North → T1, Out of Hours → T2, CC-Closed → T9 (not a stored team)
        byte[] xml = edit(sample(), doc -> {
            costCentre(doc, "Aj9242652291", " out of HOURS ");
            costCentre(doc, "ZQ9393137749", "Out of Hours");
            costCentre(doc, "QK8499162867", "Out of Hours");
            costCentre(doc, "Pv9093835426", "Out of Hours");
            costCentre(doc, "Oz2054309383", "CC-Closed");
            costCentre(doc, "Yk7226043359", "Somewhere Else");
        });
        HandCount all = HandCount.of(xml);
        postCensus(xml, "").expectStatus().isCreated().expectBody()
                .jsonPath("$.inserted").isEqualTo(4 + 4) // four spells, each with sickness absence
                .jsonPath("$.warnings[*]").value(w -> assertThat(w.toString()).contains("4 of 30 workers placed in teams"
                        + " by workforce.census.team-mapping; 26 not placed (24 without a CostCentre, 1 with a cost centre"
                        + " workforce.census.team-mapping does not name, 1 mapped to a team that is not stored)"));

        assertThat(count("staff_spells")).isEqualTo(4);
        assertThat(count("staff_spells WHERE team_id = 'T2' AND source = 'census'")).isEqualTo(4);
        assertThat(count("teams")).isEqualTo(2);
        // OrgRole 1 → service manager, employed, FTE as given, case holder because it holds cases
        assertThat(spell("Aj9242652291")).isEqualTo("service_manager permanent 0.8592 true");
        // a leaver: FTE 0, so FTE30; ReasonLeave 1 → resigned
        assertThat(spell("ZQ9393137749")).isEqualTo("social_worker permanent 0.8216 2023-03-28 resigned false");
        // OrgRole 6 with CFKSSstatus 1 → ASYE, not case holding without cases; ReasonLeave 9 → other
        assertThat(spell("QK8499162867")).isEqualTo("asye agency 0.0785 2023-03-28 other false");
        // OrgRole 6 but holding cases at 30 September
        assertThat(spell("Pv9093835426")).isEqualTo("asye agency 0.5620 true");
        assertThat(one("SELECT string_agg(staff_id, ' ' ORDER BY staff_id) FROM absence"))
                .isEqualTo("Aj9242652291 Pv9093835426 QK8499162867 ZQ9393137749");
        assertThat(one("SELECT start_date || ' ' || end_date || ' ' || reason || ' ' || working_days_lost FROM absence"
                + " WHERE staff_id = 'Aj9242652291'")).isEqualTo("2021-10-01 2022-09-30 sickness 98.22");

        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.census_workers_not_placed_total").isEqualTo(26)
                .jsonPath("$.census_workers_not_placed[?(@.swe_no == 'Oz2054309383')].to_confirm").value(t -> assertThat(
                        ((List<?>) t).get(0).toString()).contains("cost centre \"CC-Closed\" is mapped to team T9, which is not among the stored teams"))
                .jsonPath("$.census_workers_not_placed[?(@.swe_no == 'Yk7226043359')].to_confirm").value(t -> assertThat(
                        ((List<?>) t).get(0).toString()).contains("which team is cost centre \"Somewhere Else\"?"))
                .jsonPath("$.census_workers_not_placed[?(@.swe_no == 'iP8098309864')].to_confirm").value(t -> assertThat(
                        ((List<?>) t).get(0).toString()).contains("no CostCentre"))
                .jsonPath("$.census_workers_not_placed[?(@.swe_no == 'Aj9242652291')]").isEmpty();
        // the census figures still count every worker
        web.get().uri("/api/census/2022").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.workers").isEqualTo(30)
                .jsonPath("$.placed_in_teams").isEqualTo(4)
                .jsonPath("$.employed_fte").value(decimal(all.employedFte));
        web.get().uri("/api/census").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].collection_year").isEqualTo(2022)
                .jsonPath("$[0].placed_in_teams").isEqualTo(4)
                .jsonPath("$[0].workers").isEqualTo(30);
    }

    @Test
    void withoutACostCentreNoWorkerEntersTheLiveTablesAndNoTeamIsMadeForThem() {
        postCensus(sample(), "?team_id=T1").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("workforce.census.team-mapping"));

        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(sample()) {
            @Override
            public String getFilename() {
                return "csww_2022.xml";
            }
        });
        web.post().uri("/api/imports/census").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange()
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.file_name").isEqualTo("csww_2022.xml")
                .jsonPath("$.inserted").isEqualTo(0);
        for (String table : List.of("teams", "staff_spells", "absence")) {
            assertThat(count(table)).as(table).isZero();
        }
        assertThat(count("census_workers")).isEqualTo(30);
        web.get().uri("/api/data-quality").exchange().expectBody()
                .jsonPath("$.census_workers_not_placed_total").isEqualTo(30)
                .jsonPath("$.census_workers_not_placed[0].collection_year").isEqualTo(2022)
                .jsonPath("$.census_workers_not_placed[0].worker").isEqualTo(1)
                .jsonPath("$.census_workers_not_placed[0].swe_no").isEqualTo("Oz2054309383");
        web.get().uri("/api/imports?dataset=census").exchange().expectBody()
                .jsonPath("$[0].status").isEqualTo("succeeded")
                .jsonPath("$.length()").isEqualTo(1);
        web.get().uri("/api/census/1999").exchange().expectStatus().isNotFound();
    }

    @Test
    void aConflictingNativeSpellIsKeptAndTheDifferenceListedInDataQuality() {
        uploadTeamsAndAConflictingSpell();
        postCensus(placed(sample(), "CC-North"), "").expectStatus().isCreated().expectBody()
                .jsonPath("$.warnings[*]").value(w -> assertThat(w.toString()).contains("differ from this return in 2 field(s)"));

        assertThat(spell("Aj9242652291")).isEqualTo("team_manager permanent 1.0000 true");
        assertThat(one("SELECT source FROM staff_spells WHERE staff_id = 'Aj9242652291'")).isEqualTo("file");
        web.get().uri("/api/data-quality").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.source_conflicts_total").isEqualTo(2)
                .jsonPath("$.source_conflicts[0].dataset").isEqualTo("staff")
                .jsonPath("$.source_conflicts[0].source").isEqualTo("census")
                .jsonPath("$.source_conflicts[0].record.staff_id").isEqualTo("Aj9242652291")
                .jsonPath("$.source_conflicts[0].record.team_id").isEqualTo("T1")
                .jsonPath("$.source_conflicts[0].record.start_date").isEqualTo("2003-09-12")
                .jsonPath("$.source_conflicts[?(@.field == 'role')].stored_value").isEqualTo(List.of("team_manager"))
                .jsonPath("$.source_conflicts[?(@.field == 'role')].incoming_value").isEqualTo(List.of("service_manager"))
                .jsonPath("$.source_conflicts[?(@.field == 'fte')].stored_value").isEqualTo(List.of("1"))
                .jsonPath("$.source_conflicts[?(@.field == 'fte')].incoming_value").isEqualTo(List.of("0.8592"));
    }

    @Test
    void anOlderYearLoadedAfterANewerOneDoesNotTurnBackTheSpellsTheNewerOneEnded() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        byte[] year2023 = edit(placed(sample(), "CC-North"), doc -> {
            node(doc, "/Message/Header/CollectionDetails/Year").setTextContent("2023");
            node(doc, "/Message/Header/CollectionDetails/ReferenceDate").setTextContent("2023-09-30");
            Node worker = node(doc, "/Message/CSWWWorker[SWENo='Aj9242652291']");
            node(doc, "/Message/CSWWWorker[SWENo='Aj9242652291']/FTE").setTextContent("0");
            Element end = doc.createElement("RoleEndDate");
            end.setTextContent("2023-06-30");
            Element reason = doc.createElement("ReasonLeave");
            reason.setTextContent("5");
            Node startOrigin = node(doc, "/Message/CSWWWorker[SWENo='Aj9242652291']/StartOrigin");
            worker.insertBefore(end, startOrigin.getNextSibling());
            worker.insertBefore(reason, end.getNextSibling());
        });
        postCensus(year2023, "").expectStatus().isCreated();
        assertThat(spell("Aj9242652291")).isEqualTo("service_manager permanent 0.3205 2023-06-30 retired true");

        postCensus(placed(sample(), "CC-North"), "").expectStatus().isCreated();
        assertThat(spell("Aj9242652291")).isEqualTo("service_manager permanent 0.3205 2023-06-30 retired true");
        assertThat(one("SELECT string_agg(start_date || '..' || end_date, ' ' ORDER BY start_date) FROM absence"
                + " WHERE staff_id = 'Aj9242652291'")).isEqualTo("2021-10-01..2022-09-30 2022-10-01..2023-09-30");
        web.get().uri("/api/census").exchange().expectBody()
                .jsonPath("$[*].collection_year").isEqualTo(List.of(2023, 2022));
        web.get().uri("/api/census/2023").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.year_start").isEqualTo("2022-10-01");
    }

    // ---- helpers ----

    private void uploadTeamsAndAConflictingSpell() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding
                Aj9242652291,T1,team_manager,permanent,1,2003-09-12,,,Y
                """).expectStatus().isCreated();
    }

    /** Every worker of the return in the cost centre given. */
    private static byte[] placed(byte[] xml, String costCentre) {
        return edit(xml, doc -> {
            NodeList workers = doc.getElementsByTagName("CSWWWorker");
            for (int i = 0; i < workers.getLength(); i++) {
                Element centre = doc.createElement("CostCentre");
                centre.setTextContent(costCentre);
                workers.item(i).appendChild(centre);
            }
        });
    }

    private static void costCentre(Document doc, String sweNo, String costCentre) {
        Element centre = doc.createElement("CostCentre");
        centre.setTextContent(costCentre);
        node(doc, "/Message/CSWWWorker[SWENo='" + sweNo + "']").appendChild(centre);
    }

    private String spell(String staffId) {
        return one("SELECT concat_ws(' ', role, employment, fte, end_date, leaving_reason, case_holding::text) FROM staff_spells"
                + " WHERE staff_id = '" + staffId + "'");
    }

    private WebTestClient.ResponseSpec postCensus(byte[] xml, String query) {
        return web.post().uri("/api/imports/census" + query).contentType(MediaType.APPLICATION_XML).bodyValue(xml).exchange();
    }

    private static void assertMeasures(WebTestClient.BodyContentSpec body, HandCount hand) {
        body.jsonPath("$.measures.turnover_rate.value").value(decimal(hand.rate(hand.leaversFte, hand.employedFte)))
                .jsonPath("$.measures.turnover_rate.numerator").value(decimal(hand.leaversFte))
                .jsonPath("$.measures.turnover_rate.denominator").value(decimal(hand.employedFte))
                .jsonPath("$.measures.agency_rate.value").value(decimal(hand.rate(hand.agencyFte,
                        hand.agencyFte.add(hand.employedFte))))
                .jsonPath("$.measures.vacancy_rate.value").value(decimal(hand.rate(hand.vacancies,
                        hand.vacancies.add(hand.employedFte))))
                .jsonPath("$.measures.caseload_per_fte.value").value(decimal(hand.cases.divide(hand.caseHolderFte,
                        MathContext.DECIMAL64).setScale(1, RoundingMode.HALF_UP)))
                .jsonPath("$.measures.caseload_per_fte.numerator").value(decimal(hand.cases))
                .jsonPath("$.measures.caseload_per_fte.denominator").value(decimal(hand.caseHolderFte))
                .jsonPath("$.measures.absence_rate.value").value(decimal(hand.rate(hand.daysLost,
                        hand.employedFte.multiply(BigDecimal.valueOf(253)))));
    }

    private static Consumer<Object> decimal(BigDecimal expected) {
        return actual -> assertThat(new BigDecimal(actual.toString())).isEqualByComparingTo(expected);
    }

    private static byte[] sample() {
        try (InputStream in = CensusImportTest.class.getResourceAsStream(SAMPLE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] edit(byte[] xml, Consumer<Document> change) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            change.accept(doc);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Node node(Document doc, String path) {
        try {
            Node n = (Node) XPathFactory.newInstance().newXPath().evaluate(path, doc, XPathConstants.NODE);
            assertThat(n).as(path).isNotNull();
            return n;
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The DfE measures computed by hand from the XML itself (DOM and XPath, nothing of the importer), as
     * docs/DOMAIN.md defines them: in post at the reference date = FTE > 0, started on or before it (or no
     * start given), not ended before it; leavers = employed workers whose RoleEndDate falls in the 12
     * months to the reference date, ReasonLeave 7 excluded, weighted by FTE30.
     */
    private static final class HandCount {
        BigDecimal employedFte = BigDecimal.ZERO;
        BigDecimal agencyFte = BigDecimal.ZERO;
        BigDecimal leaversFte = BigDecimal.ZERO;
        BigDecimal cases = BigDecimal.ZERO;
        BigDecimal caseHolderFte = BigDecimal.ZERO;
        BigDecimal daysLost = BigDecimal.ZERO;
        BigDecimal vacancies;
        long spells;
        long absences;

        static HandCount of(byte[] xml) {
            try {
                Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
                XPath xp = XPathFactory.newInstance().newXPath();
                HandCount h = new HandCount();
                LocalDate ref = LocalDate.parse(xp.evaluate("/Message/Header/CollectionDetails/ReferenceDate", doc));
                LocalDate yearStart = ref.minusYears(1).plusDays(1);
                h.vacancies = new BigDecimal(xp.evaluate("/Message/LALevelVacancies/NumberOfVacancies", doc));
                NodeList workers = (NodeList) xp.evaluate("/Message/CSWWWorker", doc, XPathConstants.NODESET);
                Set<String> absent = new HashSet<>();
                for (int i = 0; i < workers.getLength(); i++) {
                    Node w = workers.item(i);
                    boolean agency = "1".equals(xp.evaluate("AgencyWorker", w));
                    BigDecimal fte = number(xp.evaluate("FTE", w));
                    BigDecimal fte30 = number(xp.evaluate("FTE30", w));
                    String start = xp.evaluate("RoleStartDate", w);
                    String end = xp.evaluate("RoleEndDate", w);
                    boolean inPost = fte.signum() > 0 && (start.isEmpty() || !LocalDate.parse(start).isAfter(ref))
                            && (end.isEmpty() || !LocalDate.parse(end).isBefore(ref));
                    if (inPost && agency) {
                        h.agencyFte = h.agencyFte.add(fte);
                    } else if (inPost) {
                        h.employedFte = h.employedFte.add(fte);
                    }
                    if (!agency && !end.isEmpty() && !LocalDate.parse(end).isBefore(yearStart)
                            && !LocalDate.parse(end).isAfter(ref) && !"7".equals(xp.evaluate("ReasonLeave", w))) {
                        h.leaversFte = h.leaversFte.add(xp.evaluate("FTE30", w).isEmpty() ? fte : fte30);
                    }
                    BigDecimal cases = number(xp.evaluate("Cases30", w));
                    if (inPost && ("5".equals(xp.evaluate("OrgRole", w)) || cases.signum() > 0)) {
                        h.cases = h.cases.add(cases);
                        h.caseHolderFte = h.caseHolderFte.add(fte);
                    }
                    BigDecimal lost = number(xp.evaluate("WorkingDaysLost", w));
                    if (!agency) {
                        h.daysLost = h.daysLost.add(lost);
                    }
                    if (!start.isEmpty() && (fte.signum() > 0 || fte30.signum() > 0)) {
                        h.spells++;
                    }
                    if (lost.signum() > 0) {
                        absent.add(xp.evaluate("SWENo", w));
                    }
                }
                h.absences = absent.size();
                return h;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        BigDecimal rate(BigDecimal numerator, BigDecimal denominator) {
            return numerator.multiply(BigDecimal.valueOf(100)).divide(denominator, MathContext.DECIMAL64)
                    .setScale(1, RoundingMode.HALF_UP);
        }

        private static BigDecimal number(String s) {
            return s.isBlank() ? BigDecimal.ZERO : new BigDecimal(s.strip());
        }
    }
}
