package org.workforcewatch.agency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.workforcewatch.agency.AgencySettings.PriceCap;

/** The region and price caps are checked at start-up, each bad entry named by its key; none are invented. */
class AgencySettingsTest {

    private static PriceCap cap(String category, String rate, String from) {
        return new PriceCap(category, rate == null ? null : new BigDecimal(rate), from == null ? null : LocalDate.parse(from));
    }

    @Test
    void withNothingConfiguredThereAreNoCapsSoThePriceCheckCannotBeJudged() {
        AgencySettings none = new AgencySettings(null, null);
        assertThat(none.capsOfRegion()).isEmpty();
        assertThat(none.capsJson()).isEqualTo("[]");
    }

    @Test
    void onlyTheCouncilsRegionsCapsApplyWrittenInPoundsAndPence() {
        AgencySettings s = new AgencySettings("london", Map.of(
                "london", List.of(cap("team_manager", "60", "2024-10-31"), cap("social_worker", "48.5", "2024-10-31")),
                "east_of_england", List.of(cap("social_worker", "40", "2024-10-31"))));
        assertThat(s.capsJson()).isEqualTo("[{\"role_category\": \"social_worker\", \"hourly_rate\": 48.50, \"from\": \"2024-10-31\"},"
                + " {\"role_category\": \"team_manager\", \"hourly_rate\": 60.00, \"from\": \"2024-10-31\"}]");
    }

    @Test
    void aBadEntryFailsStartUpNamingItsKey() {
        assertThatThrownBy(() -> new AgencySettings("narnia", Map.of())).hasMessageContaining("workforce.agency.region")
                .hasMessageContaining("east_of_england");
        assertThatThrownBy(() -> new AgencySettings("london", Map.of("london", List.of(cap("social_worker", "45", "2024-10-31"),
                cap("chief", "45", "2024-10-31"))))).hasMessageContaining("workforce.agency.price-caps.london[1].role-category");
        assertThatThrownBy(() -> new AgencySettings("london", Map.of("london", List.of(cap("social_worker", "0", "2024-10-31")))))
                .hasMessageContaining("workforce.agency.price-caps.london[0].hourly-rate must be above 0");
        assertThatThrownBy(() -> new AgencySettings("london", Map.of("london", List.of(cap("social_worker", "45.001", "2024-10-31")))))
                .hasMessageContaining("pounds and pence");
        assertThatThrownBy(() -> new AgencySettings("london", Map.of("london", List.of(cap("social_worker", "45", null)))))
                .hasMessageContaining("london[0].from is required");
        assertThatThrownBy(() -> new AgencySettings("london", Map.of("london", List.of(cap("social_worker", "45", "2024-10-31"),
                cap("social_worker", "46", "2024-10-31"))))).hasMessageContaining("a second cap for social_worker from 2024-10-31");
        assertThatThrownBy(() -> new AgencySettings(null, Map.of("london", List.of(cap("social_worker", "45", "2024-10-31")))))
                .hasMessageContaining("workforce.agency.region is required");
        assertThatThrownBy(() -> new AgencySettings("south_west", Map.of("london", List.of(cap("social_worker", "45", "2024-10-31")))))
                .hasMessageContaining("no caps for the region south_west");
        assertThatThrownBy(() -> new AgencySettings("london", Map.of("wessex", List.of())))
                .hasMessageContaining("workforce.agency.price-caps.wessex");
    }
}
