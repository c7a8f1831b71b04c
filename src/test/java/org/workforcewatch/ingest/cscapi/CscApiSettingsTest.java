package org.workforcewatch.ingest.cscapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The records' settings stop start-up naming the bad key, and never accept a guessable ingest token. */
class CscApiSettingsTest {

    private static CscApiSettings settings(String basePath, String laCode, String token) {
        return new CscApiSettings(basePath, laCode, token, "", 100_000, DataSize.ofMegabytes(512));
    }

    @Test
    void theDefaultsGiveThePipelinesAddressAndAcceptNoSharedToken() {
        CscApiSettings s = settings("/api/csc", "E10000003", "");
        assertThat(s.childrenPath()).isEqualTo("/api/csc/children_social_care_data/{laCode}/children");
        assertThat(s.ingestToken()).isEmpty();
    }

    @Test
    void aBasePathThatIsNotAPathOrIsAnotherPartOfTheServiceStopsStartUp() {
        for (String bad : new String[] {"api/csc", "/api/csc/", "/api/c sc", "/api", "/actuator/csc", "", "/api/imports",
            "/api/events", "/teams", "/pages/csc", "/logout", "/agency", "/csc"}) {
            assertThatThrownBy(() -> settings(bad, "873", "")).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("workforce.csc-api.base-path");
        }
    }

    @Test
    void theRecordsMayHaveAnAddressOfTheirOwnUnderApiCscOrOutsideTheService() {
        for (String good : new String[] {"/api/csc", "/api/csc/v1", "/dfe/csc-api", "/apis/csc"}) {
            assertThat(settings(good, "873", "").basePath()).isEqualTo(good);
        }
    }

    @Test
    void aShortIngestTokenOrAnOddAuthorityCodeStopsStartUp() {
        assertThatThrownBy(() -> settings("/api/csc", "873", "x".repeat(CscApiSettings.MIN_TOKEN_LENGTH - 1)))
                .hasMessageContaining("workforce.csc-api.ingest-token").hasMessageContaining("32");
        assertThat(settings("/api/csc", "873", "x".repeat(CscApiSettings.MIN_TOKEN_LENGTH)).ingestToken()).hasSize(32);
        assertThatThrownBy(() -> settings("/api/csc", "8/73", "")).hasMessageContaining("workforce.csc-api.la-code");
        assertThatThrownBy(() -> settings("/api/csc", "", "")).hasMessageContaining("workforce.csc-api.la-code");
    }
}
