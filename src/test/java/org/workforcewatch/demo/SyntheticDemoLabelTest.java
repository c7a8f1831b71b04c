package org.workforcewatch.demo;

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

/**
 * The demo is a made-up council and says so on every page and in the board pack, while it still compares itself
 * with a real authority's published figures, named as such. A real authority's own data never says synthetic.
 */
class SyntheticDemoLabelTest extends ApiTest {

    /** The authority the demo's benchmarks are (workforce.authority.area-code, E10000003 by default). */
    private static final String REAL = "Cambridgeshire";
    private static final String REAL_CODE = "E10000003";

    @Autowired
    private ApplicationContext context;

    @Test
    void theDemoSaysItIsSyntheticOnThePagesAndInThePackAndNamesTheRealAuthorityOnlyAsItsComparison() throws Exception {
        DemoData.load(context);

        Map<?, ?> authority = web.get().uri("/api/authority").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(authority.get("name")).isEqualTo("Northbridge (synthetic demo)");
        assertThat(authority.get("synthetic")).isEqualTo(true);
        assertThat(authority.get("area_code")).isEqualTo(DemoIdentity.CODE);
        assertThat(authority.get("compared_with")).isEqualTo(Map.of("area_code", REAL_CODE, "name", REAL));
        assertThat((String) authority.get("notice")).contains("synthetic demo authority")
                .contains("not an ONS code").contains("compared with " + REAL + "'s published figures");
        // the benchmarks are still the real authority's
        List<?> indicators = (List<?>) web.get().uri("/api/indicators?level=authority").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("indicators");
        assertThat(indicators).anySatisfy(i -> assertThat(((Map<?, ?>) i).get("benchmark")).isNotNull());
        // the published figures are named as the real authority's, not the demo's own
        Map<?, ?> benchmarks = web.get().uri("/api/benchmarks").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(benchmarks.get("area_code")).isEqualTo(DemoIdentity.CODE);
        assertThat(benchmarks.get("synthetic")).isEqualTo(true);
        assertThat(benchmarks.get("compared_with")).isEqualTo(Map.of("area_code", REAL_CODE, "name", REAL));

        String signIn = signInPage();
        assertThat(signIn).contains("Northbridge is a synthetic demo authority").doesNotContain(REAL);
        String dashboard = web.get().uri("/").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(dashboard).contains("id=\"demo-notice\"").contains("id=\"demo-footer\"");

        YearMonth month = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1);
        byte[] pdf = web.get().uri("/api/reports/workforce-profile?month=" + month).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            String all = stripper.getText(document).replaceAll("\\s+", " ");
            assertThat(all).contains("Northbridge (synthetic demo) — " + new java.text.DateFormatSymbols(java.util.Locale.UK)
                    .getMonths()[month.getMonthValue() - 1]);
            assertThat(all).contains("Benchmarks: compared with " + REAL + "'s published figures");
            // the real authority is named only as the comparison, never as the authority the pack is about
            assertThat(all.split(REAL, -1).length - 1).isEqualTo(all.split(REAL + "'s published figures", -1).length - 1)
                    .isPositive();
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                assertThat(stripper.getText(document)).as("page %d", page).contains("(synthetic demo)");
            }
        }
    }

    @Test
    void anAuthoritysOwnDataIsNotCalledSynthetic() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Our team,Our service,assessment\n").expectStatus().isCreated();
        upload("benchmarks", """
                year,area_code,area_name,geographic_level,measure,value
                2024,E92000001,England,national,turnover_rate,13.9
                2024,E10000003,Cambridgeshire,local_authority,turnover_rate,15.2
                """).expectStatus().isCreated();

        Map<?, ?> authority = web.get().uri("/api/authority").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(authority.get("name")).isEqualTo(REAL);
        assertThat(authority.get("synthetic")).isEqualTo(false);
        assertThat(authority.get("notice")).isNull();
        assertThat(signInPage()).doesNotContainIgnoringCase("synthetic").doesNotContain("Northbridge");
    }

    @Test
    void realDataImportedOverTheDemoIsNoLongerCalledSynthetic() throws Exception {
        DemoData.load(context);
        // the authority's own teams file, uploaded as any real extract is (not by the demo loader)
        StringBuilder teams = new StringBuilder("team_id,team_name,service,team_type\n");
        db.sql("SELECT team_id, team_name, service, team_type FROM teams ORDER BY team_id").map(r -> String.join(",",
                        r.get("team_id", String.class), r.get("team_name", String.class), r.get("service", String.class),
                        r.get("team_type", String.class))).all().doOnNext(line -> teams.append(line).append('\n'))
                .then().block(java.time.Duration.ofSeconds(30));
        upload("teams", teams.toString()).expectStatus().isCreated();
        assertThat(one("SELECT count(*) FROM imports WHERE source = 'demo' AND status = 'succeeded'")).isNotEqualTo("0");

        Map<?, ?> authority = web.get().uri("/api/authority").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(authority.get("name")).isEqualTo(REAL);
        assertThat(authority.get("area_code")).isEqualTo(REAL_CODE);
        assertThat(authority.get("synthetic")).isEqualTo(false);
        assertThat(authority.get("notice")).isNull();
        assertThat(authority.get("compared_with")).isEqualTo(Map.of("area_code", REAL_CODE, "name", REAL));
        Map<?, ?> benchmarks = web.get().uri("/api/benchmarks").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(benchmarks.get("area_code")).isEqualTo(REAL_CODE);
        assertThat(benchmarks.get("synthetic")).isEqualTo(false);
        assertThat(signInPage()).doesNotContainIgnoringCase("synthetic").doesNotContain("Northbridge");

        YearMonth month = YearMonth.now(ZoneId.of("Europe/London")).minusMonths(1);
        byte[] pdf = web.get().uri("/api/reports/workforce-profile?month=" + month).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String all = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            assertThat(all).contains(REAL + " — ").doesNotContainIgnoringCase("synthetic").doesNotContain("Northbridge");
        }
    }

    private String signInPage() {
        return anonymous().get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
    }
}
