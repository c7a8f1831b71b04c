package org.workforcewatch.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkedContentReference;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDMarkedContent;
import org.apache.pdfbox.text.PDFMarkedContentExtractor;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.workforcewatch.ApiTest;

/**
 * The board pack is a tagged PDF that assistive technology can read: marked as tagged, with a structure tree in
 * reading order (title, section headings, tables of header and data cells, figures), every chart a figure with
 * its values in words as alternative text, every word on a page either in that structure or marked as page
 * furniture, the document's language set and its title shown by viewers. Checked with PDFBox (ISO 32000-1, 14.8);
 * a full PDF/UA-1 validation (veraPDF) is not available to the build.
 */
class BoardPackAccessibilityTest extends ApiTest {

    @Test
    void theBoardPackIsATaggedPdfInReadingOrderWithAlternativeTextOnEveryChart() throws Exception {
        byte[] pdf = pack();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDDocumentCatalog catalog = document.getDocumentCatalog();
            String title = "Children's social care workforce profile, June 2024";

            // tagged, in British English, titled: the title is what a viewer's window shows, and is in the XMP too
            assertThat(catalog.getMarkInfo()).as("MarkInfo").isNotNull();
            assertThat(catalog.getMarkInfo().isMarked()).as("Marked").isTrue();
            assertThat(catalog.getLanguage()).isEqualTo("en-GB");
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo(title);
            assertThat(catalog.getViewerPreferences()).as("viewer preferences").isNotNull();
            assertThat(catalog.getViewerPreferences().displayDocTitle()).as("DisplayDocTitle").isTrue();
            assertThat(catalog.getMetadata()).as("XMP metadata").isNotNull();
            String xmp = new String(catalog.getMetadata().toByteArray(), StandardCharsets.UTF_8);
            assertThat(xmp).contains("dc:title").contains("workforce profile, June 2024");

            // the text of each page's marked content, and no word outside marked content (the structure or an artifact)
            Map<String, String> marked = new HashMap<>();
            int pageIndex = 0;
            for (PDPage page : document.getPages()) {
                Extractor extractor = new Extractor();
                extractor.processPage(page);
                assertThat(extractor.unmarked).as("text outside marked content on page " + (pageIndex + 1)).isEmpty();
                for (PDMarkedContent mc : extractor.getMarkedContents()) {
                    collect(mc, pageIndex, marked);
                }
                pageIndex++;
            }

            assertThat(catalog.getStructureTreeRoot()).as("StructTreeRoot").isNotNull();
            List<Object> top = catalog.getStructureTreeRoot().getKids();
            assertThat(top).hasSize(1).first().isInstanceOf(PDStructureElement.class);
            PDStructureElement root = (PDStructureElement) top.get(0);
            assertThat(root.getStructureType()).isEqualTo("Document");

            List<Node> order = new ArrayList<>();
            walk(document, root, marked, order);
            List<String> types = order.stream().map(Node::type).toList();
            assertThat(types.get(0)).isEqualTo("H1");
            assertThat(order.get(0).text()).isEqualTo("Children's social care workforce profile");
            assertThat(order.stream().filter(n -> n.type().equals("H2")).map(Node::text).toList())
                    .as("the sections in reading order")
                    .containsExactly("Summary: every indicator at the authority", "Teams at risk at 30 June 2024", "Teams by service",
                            "Key charts");

            // tables: rows of cells, header cells first, the summary's first header the indicator's
            List<Node> tables = order.stream().filter(n -> n.type().equals("Table")).toList();
            assertThat(tables).as("summary, key, risks and a table per service").hasSizeGreaterThanOrEqualTo(4);
            for (Node table : tables) {
                assertThat(table.kids()).as("a table's parts").isNotEmpty()
                        .allSatisfy(k -> assertThat(k.type()).isIn("TR", "Caption"));
                table.kids().stream().filter(k -> k.type().equals("TR"))
                        .forEach(tr -> assertThat(tr.kids()).isNotEmpty().allSatisfy(c -> assertThat(c.type()).isIn("TH", "TD")));
            }
            Node summary = tables.get(0);
            assertThat(summary.kids().get(0).kids().get(0)).extracting(Node::type, Node::text).containsExactly("TH", "Indicator");
            assertThat(summary.kids().get(1).kids().get(0)).extracting(Node::type, Node::text).containsExactly("TD", "Caseload per FTE");
            assertThat(tables).filteredOn(t -> t.kids().get(0).type().equals("Caption")).extracting(t -> t.kids().get(0).text())
                    .contains("Front Door", "Children in Care");

            // every chart is a figure whose alternative text says what it shows, with numbers; each under its heading
            List<Node> figures = order.stream().filter(n -> n.type().equals("Figure")).toList();
            assertThat(figures).as("the charts drawn").isNotEmpty();
            for (Node figure : figures) {
                assertThat(figure.alt()).as("alternative text").isNotBlank().containsPattern("\\d");
            }
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).equals("Figure")) {
                    assertThat(types.get(i - 1)).as("before a figure, its heading").isEqualTo("H3");
                }
            }
            assertThat(figures.stream().map(Node::alt)).anySatisfy(alt -> assertThat(alt).contains("Caseload per FTE"));
            assertThat(order.stream().filter(n -> n.type().equals("H3")).map(Node::text))
                    .contains("Caseload per FTE at the authority: monthly, with thresholds and benchmarks",
                            "Starters and leavers per month");
        }
    }

    @Test
    void theBoardPackPassesPdfUa1() throws Exception {
        byte[] pdf = pack();
        // kept for a person to open with a screen reader or another checker
        Path file = Path.of("target", "reports", "board-pack-pdfua.pdf");
        Files.createDirectories(file.getParent());
        Files.write(file, pdf);
        VeraGreenfieldFoundryProvider.initialise();
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), PDFAFlavour.PDFUA_1)) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFUA_1, false);
            ValidationResult result = validator.validate(parser);
            List<String> failed = result.getTestAssertions().stream().filter(t -> t.getStatus() == TestAssertion.Status.FAILED)
                    .map(t -> t.getRuleId().getClause() + "-" + t.getRuleId().getTestNumber() + ": " + t.getMessage())
                    .distinct().toList();
            assertThat(failed).as("PDF/UA-1 rules failed:\n" + String.join("\n", failed)).isEmpty();
            assertThat(result.isCompliant()).isTrue();
        }
    }

    /** The board pack of June 2024 for two teams, their workers, posts and cases. */
    private byte[] pack() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Care North,Children in Care,children_in_care
                """).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date
                S1,T1,social_worker,permanent,1,2022-01-10,,,Y,2015-07-01
                S2,T1,social_worker,agency,1,2023-03-01,,,Y,2022-07-01
                S3,T2,social_worker,permanent,1,2020-05-01,2024-03-31,resigned,Y,2010-07-01
                S4,T2,social_worker,permanent,0.8,2021-05-01,,,Y,2019-07-01
                """).expectStatus().isCreated();
        upload("establishment", """
                team_id,role,funded_fte,effective_from
                T1,social_worker,3,2022-01-01
                T2,social_worker,2,2022-01-01
                """).expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        for (int c = 1; c <= 40; c++) {
            allocations.append("A").append(c).append(",C").append(c).append(',').append(c <= 24 ? "S1" : c <= 34 ? "S2" : "S4")
                    .append(",cin,2023-0").append(1 + c % 9).append("-05\n");
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();

        return web.get().uri("/api/reports/workforce-profile?month=2024-06").exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    /** A structure element as read: its type, its own text (from its marked content), its alternative text, its kids. */
    private record Node(String type, String text, String alt, List<Node> kids) {
    }

    /** The Document element's descendants depth first, in the order of the tree: the reading order. */
    private static void walk(PDDocument document, PDStructureElement root, Map<String, String> marked, List<Node> order) {
        node(document, root, marked).kids().forEach(k -> flatten(k, order));
    }

    private static Node node(PDDocument document, PDStructureElement element, Map<String, String> marked) {
        StringBuilder text = new StringBuilder();
        List<Node> kids = new ArrayList<>();
        for (Object kid : element.getKids()) {
            if (kid instanceof PDStructureElement child) {
                kids.add(node(document, child, marked));
            } else if (kid instanceof Integer mcid) {
                text.append(marked.getOrDefault(key(document, element.getPage(), mcid), ""));
            } else if (kid instanceof PDMarkedContentReference ref) {
                text.append(marked.getOrDefault(key(document, ref.getPage() != null ? ref.getPage() : element.getPage(), ref.getMCID()), ""));
            }
        }
        return new Node(element.getStructureType(), text.toString().replaceAll("\\s+", " ").trim(),
                element.getAlternateDescription(), kids);
    }

    private static void flatten(Node node, List<Node> into) {
        into.add(node);
        node.kids().forEach(k -> flatten(k, into));
    }

    private static String key(PDDocument document, PDPage page, int mcid) {
        return document.getPages().indexOf(page) + "/" + mcid;
    }

    private static void collect(PDMarkedContent mc, int page, Map<String, String> into) {
        if (mc.getMCID() >= 0) {
            StringBuilder text = new StringBuilder();
            for (Object c : mc.getContents()) {
                if (c instanceof TextPosition t) {
                    text.append(t.getUnicode());
                }
            }
            into.merge(page + "/" + mc.getMCID(), text.toString(), String::concat);
        }
        for (Object c : mc.getContents()) {
            if (c instanceof PDMarkedContent inner) {
                collect(inner, page, into);
            }
        }
    }

    /** Marked content of a page, and the text drawn outside any. */
    private static final class Extractor extends PDFMarkedContentExtractor {
        final StringBuilder unmarked = new StringBuilder();
        private int depth;

        @Override
        public void beginMarkedContentSequence(COSName tag, COSDictionary properties) {
            depth++;
            super.beginMarkedContentSequence(tag, properties);
        }

        @Override
        public void endMarkedContentSequence() {
            depth--;
            super.endMarkedContentSequence();
        }

        @Override
        protected void processTextPosition(TextPosition text) {
            if (depth == 0) {
                unmarked.append(text.getUnicode());
            }
            super.processTextPosition(text);
        }
    }
}
