package org.workforcewatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.ImportReceipt;

/** The demo authority goes through the same import checks as a council's own files, and passes them. */
class DemoLoaderTest extends ApiTest {

    @Autowired
    private DemoLoader loader;

    @Test
    void theDemoAuthorityLoadsIntoAnEmptyDatabaseAndPassesItsOwnImportValidation() throws java.io.IOException {
        List<ImportReceipt> receipts = loader.loadIfEmpty().block();

        List<String> expected = new java.util.ArrayList<>(DemoAuthority.DATASETS);
        expected.add("benchmarks"); // then the Department's published file, for ranks among all authorities
        assertThat(receipts).extracting(ImportReceipt::dataset).containsExactlyElementsOf(expected);
        ImportReceipt published = receipts.remove(receipts.size() - 1);
        assertThat(published.status()).isEqualTo("succeeded");
        assertThat(published.warnings()).first().isEqualTo("read as the Department for Education's published workforce indicators file");
        // one line per area and year gives a row per figure: the receipt counts rows in one unit and says so
        long lines;
        try (java.io.InputStream in = DemoLoader.class.getResourceAsStream(DemoLoader.PUBLISHED_FILE)) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().count() - 1;
        }
        assertThat(published.warnings()).element(1).isEqualTo(lines + " lines of the file gave " + published.rows()
                + " benchmarks rows (one per figure with a value): rows, inserted, updated and unchanged count those");
        assertThat(published.rows()).isGreaterThan(lines)
                .isEqualTo(published.inserted() + published.updated() + published.unchanged());
        assertThat(published.startedAt()).isNotNull().isBeforeOrEqualTo(published.finishedAt());
        assertThat(one("SELECT count(DISTINCT area_code) FROM benchmarks WHERE geographic_level = 'local_authority'"))
                .satisfies(n -> assertThat(Long.parseLong(n)).isGreaterThan(150));
        Map<String, String> files = DemoAuthority.generate(LocalDate.now(), 42).files();
        for (ImportReceipt r : receipts) {
            assertThat(r.status()).as(r.dataset()).isEqualTo("succeeded");
            assertThat(r.warnings()).as(r.dataset()).isEmpty();
            assertThat(r.rows()).as(r.dataset()).isEqualTo(files.get(r.dataset()).lines().count() - 1);
            assertThat(r.inserted()).as(r.dataset()).isEqualTo(r.rows());
            assertThat(r.startedAt()).as(r.dataset()).isNotNull().isBeforeOrEqualTo(r.finishedAt());
            assertThat(r.fileName()).as(r.dataset()).isEqualTo("demo/" + r.dataset() + ".csv");
        }
        assertThat(count("teams")).isBetween(18L, 22L);
        assertThat(one("SELECT count(DISTINCT service) FROM teams")).isEqualTo("5");
        assertThat(one("SELECT count(DISTINCT staff_id) FROM staff_spells")).satisfies(n -> assertThat(Long.parseLong(n)).isBetween(330L, 480L));
        assertThat(one("SELECT min(start_date) <= current_date - interval '5 years' FROM staff_spells")).isEqualTo("true");
        // the agency register, each assignment judged on its last day: some gave the notice the rules ask and some did
        // not, and no price cap is configured for the demo, so no cap is passed or failed
        assertThat(one("""
                SELECT concat_ws(' ', count(*) FILTER (WHERE c.notice = 'pass'), count(*) FILTER (WHERE c.notice = 'fail') > 0,
                                 count(*) FILTER (WHERE c.price_cap IN ('pass', 'fail')))
                FROM agency_assignments a CROSS JOIN LATERAL agency_assignment_checks(a, coalesce(a.end_date, current_date),
                                                                                      '[]'::jsonb) c"""))
                .satisfies(s -> assertThat(s).matches("[1-9][0-9]* t 0"));
    }

    @Test
    void theDemoIsNotLoadedOverExistingData() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Our team,Our service,assessment\n").expectStatus().isCreated();
        assertThat(loader.loadIfEmpty().block()).isEmpty();
        assertThat(count("teams")).isEqualTo(1);
    }
}
