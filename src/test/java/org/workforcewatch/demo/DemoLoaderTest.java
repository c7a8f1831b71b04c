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
    void theDemoAuthorityLoadsIntoAnEmptyDatabaseAndPassesItsOwnImportValidation() {
        List<ImportReceipt> receipts = loader.loadIfEmpty().block();

        List<String> expected = new java.util.ArrayList<>(DemoAuthority.DATASETS);
        expected.add("benchmarks"); // then the Department's published file, for ranks among all authorities
        assertThat(receipts).extracting(ImportReceipt::dataset).containsExactlyElementsOf(expected);
        ImportReceipt published = receipts.remove(receipts.size() - 1);
        assertThat(published.status()).isEqualTo("succeeded");
        assertThat(published.warnings()).containsExactly("read as the Department for Education's published workforce indicators file");
        assertThat(one("SELECT count(DISTINCT area_code) FROM benchmarks WHERE geographic_level = 'local_authority'"))
                .satisfies(n -> assertThat(Long.parseLong(n)).isGreaterThan(150));
        Map<String, String> files = DemoAuthority.generate(LocalDate.now(), 42).files();
        for (ImportReceipt r : receipts) {
            assertThat(r.status()).as(r.dataset()).isEqualTo("succeeded");
            assertThat(r.warnings()).as(r.dataset()).isEmpty();
            assertThat(r.rows()).as(r.dataset()).isEqualTo(files.get(r.dataset()).lines().count() - 1);
            assertThat(r.inserted()).as(r.dataset()).isEqualTo(r.rows());
        }
        assertThat(count("teams")).isBetween(18L, 22L);
        assertThat(one("SELECT count(DISTINCT service) FROM teams")).isEqualTo("5");
        assertThat(one("SELECT count(DISTINCT staff_id) FROM staff_spells")).satisfies(n -> assertThat(Long.parseLong(n)).isBetween(330L, 480L));
        assertThat(one("SELECT min(start_date) <= current_date - interval '5 years' FROM staff_spells")).isEqualTo("true");
    }

    @Test
    void theDemoIsNotLoadedOverExistingData() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Our team,Our service,assessment\n").expectStatus().isCreated();
        assertThat(loader.loadIfEmpty().block()).isEmpty();
        assertThat(count("teams")).isEqualTo(1);
    }
}
