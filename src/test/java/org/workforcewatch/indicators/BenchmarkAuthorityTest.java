package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.workforcewatch.WorkforceWatchApplication;

/** Which areas the authority is compared with: defaults, normalised codes, and settings that stop start-up. */
class BenchmarkAuthorityTest {

    /** Every message in the cause chain: start-up wraps the settings' own message in Spring's. */
    private static String messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(String.valueOf(c.getMessage()));
        }
        return String.join(" | ", out);
    }

    @Test
    void aNeighbourThatIsNoAreaCodeStopsStartUpSayingWhich() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(WorkforceWatchApplication.class)
                .run("--workforce.authority.statistical-neighbours=nonsense", "--server.port=0").close())
                .satisfies(e -> assertThat(messages(e)).contains(
                        "workforce.authority.statistical-neighbours: 'nonsense' is not an ONS area code (a letter and 8 digits"));
    }

    @Test
    void anEmptyNeighbourListStopsStartUp() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(WorkforceWatchApplication.class)
                .run("--workforce.authority.statistical-neighbours=", "--server.port=0").close())
                .satisfies(e -> assertThat(messages(e)).contains("workforce.authority.statistical-neighbours is empty"));
    }

    @Test
    void unsetNeighboursAreTheDepartmentsCurrentModelForTheReferenceAuthority() {
        BenchmarkAuthority defaults = new BenchmarkAuthority("E10000003", "E12000006", null);

        assertThat(defaults.statisticalNeighbours()).hasSize(10).containsExactlyElementsOf(BenchmarkFigures.neighbours())
                .startsWith("E10000025"); // Oxfordshire, the closest
    }

    @Test
    void anotherAuthorityWithoutNeighboursIsRefusedRatherThanComparedWithTheReferenceAuthoritysNeighbours() {
        assertThatThrownBy(() -> new BenchmarkAuthority("E10000025", "E12000008", null))
                .hasMessageContaining("workforce.authority.statistical-neighbours is not set")
                .hasMessageContaining("E10000025");
    }

    @Test
    void codesAreTrimmedAndUpperCasedAndRepeatsOrTheAuthorityItselfAreRefused() {
        assertThat(new BenchmarkAuthority(" e10000003", "E12000006", List.of(" e10000025 ", "E10000015")))
                .extracting(BenchmarkAuthority::areaCode, BenchmarkAuthority::statisticalNeighbours)
                .containsExactly("E10000003", List.of("E10000025", "E10000015"));
        assertThatThrownBy(() -> new BenchmarkAuthority("E10000003", "E12000006", List.of("E10000025", "e10000025")))
                .hasMessageContaining("names E10000025 twice");
        assertThatThrownBy(() -> new BenchmarkAuthority("E10000003", "E12000006", List.of("E10000025", "E10000003")))
                .hasMessageContaining("names the authority itself (E10000003)");
        assertThatThrownBy(() -> new BenchmarkAuthority("E10000003", "East", List.of("E10000025")))
                .hasMessageContaining("workforce.authority.region-code: 'East' is not an ONS area code");
    }
}
