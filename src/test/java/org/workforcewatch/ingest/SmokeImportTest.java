package org.workforcewatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.workforcewatch.ApiTest;

class SmokeImportTest extends ApiTest {

    @Test
    void teamsFileLoadsAndAnswersAReceipt() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n")
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.dataset").isEqualTo("teams")
                .jsonPath("$.rows").isEqualTo(1)
                .jsonPath("$.inserted").isEqualTo(1)
                .jsonPath("$.format_version").isEqualTo("1.0");
        assertThat(count("teams")).isEqualTo(1);
    }
}
