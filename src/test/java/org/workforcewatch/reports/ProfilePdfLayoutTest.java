package org.workforcewatch.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;

/** How the board pack is laid out over its pages: headings stay with what they head. */
class ProfilePdfLayoutTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void everyServiceHeadingIsOnThePageOfItsTableDirectlyAboveItsColumnHeadings() throws Exception {
        DemoData.load(context);
        List<?> services = (List<?>) web.get().uri("/api/authority").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody().get("services");
        YearMonth month = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1);
        byte[] pdf = web.get().uri("/api/reports/workforce-profile?month=" + month).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        int headings = 0;
        boolean inTeams = false;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            assertThat(stripper.getText(document).replaceAll("\\s+", " ")).contains("Region 2025 Neighbours 2025");
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                List<String> lines = stripper.getText(document).lines().map(String::strip).toList();
                List<String> names = services.stream().map(s -> (String) ((Map<?, ?>) s).get("service")).toList();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    inTeams = line.equals("Teams by service") || inTeams && !line.equals("Key charts");
                    boolean heading = inTeams && names.stream().anyMatch(s -> line.equals(s) || line.equals(s + " (continued)"));
                    if (heading && i + 1 < lines.size() && lines.get(i + 1).startsWith("Indicator Service")) {
                        headings++;
                    }
                    // a heading is never the last thing on a page, its table on the next
                    if (heading && (i + 1 == lines.size() || lines.get(i + 1).startsWith("Workforce profile,"))) {
                        throw new AssertionError("the heading " + line + " ends page " + page);
                    }
                }
            }
        }
        assertThat(headings).isGreaterThanOrEqualTo(services.size());
    }
}
