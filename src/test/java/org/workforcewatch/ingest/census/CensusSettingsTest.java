package org.workforcewatch.ingest.census;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The census team mapping checks what it can at start-up, and matches cost centres as people write them. */
class CensusSettingsTest {

    @Test
    void costCentresAreMatchedWithoutRegardToCaseOrSurroundingSpaces() {
        CensusSettings settings = new CensusSettings(Map.of(" Front Door North ", " T01 ", "CC-4101", "T07"));
        assertThat(settings.teamMapping()).containsOnly(Map.entry("front door north", "T01"), Map.entry("cc-4101", "T07"));
        assertThat(new CensusSettings(null).teamMapping()).isEmpty();
    }

    @Test
    void aBlankTeamOrOneCostCentreMappedToTwoTeamsStopsStartUpNamingTheSetting() {
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("CC-4101", "T07");
        twice.put("cc-4101", "T08");
        assertThatThrownBy(() -> new CensusSettings(twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workforce.census.team-mapping maps the cost centre 'cc-4101' to both T07 and T08");
        assertThatThrownBy(() -> new CensusSettings(Map.of("CC-4101", " "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workforce.census.team-mapping.[CC-4101] names no team id");
        assertThatThrownBy(() -> new CensusSettings(Map.of("  ", "T01"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank cost centre");
        // the same team twice under two spellings is no conflict
        Map<String, String> same = new LinkedHashMap<>();
        same.put("CC-4101", "T07");
        same.put("cc-4101 ", "T07");
        assertThat(new CensusSettings(same).teamMapping()).containsOnly(Map.entry("cc-4101", "T07"));
    }
}
