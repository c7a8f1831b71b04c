package org.workforcewatch.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Risks grouped by team: the order, the filters and which service and authority risks add something. */
class TeamRisksTest {

    private static final LocalDate SINCE = LocalDate.of(2026, 3, 31);
    private static final Map<String, String> NAMES = Map.of("T1", "Assessment North", "T2", "Child Protection", "T3", "Looked After");

    private static Risk team(String team, String service, String indicator, String severity, double value, double threshold) {
        return new Risk(indicator, "team", team, service, severity, value, threshold, threshold, threshold, SINCE, "", "", 0);
    }

    private static Risk service(String service, String indicator, String severity, double value, double threshold) {
        return new Risk(indicator, "service", service, service, severity, value, threshold, threshold, threshold, SINCE, "", "", 0);
    }

    private static Risk authority(String indicator, String severity, double value, double threshold) {
        return new Risk(indicator, "authority", "authority", null, severity, value, threshold, threshold, threshold, SINCE, "", "", 0);
    }

    @Test
    void teamsWithAnyRedComeFirstThenByHowManyRedsAndAmbers() {
        List<Risk> risks = List.of(
                team("T1", "Front Door", "caseload_per_fte", "amber", 19, 18),
                team("T1", "Front Door", "agency_rate", "amber", 16, 15),
                team("T1", "Front Door", "vacancy_rate", "amber", 16, 15),
                team("T2", "Front Door", "turnover_rate", "red", 21, 20),
                team("T3", "Care", "caseload_per_fte", "red", 23, 22),
                team("T3", "Care", "agency_rate", "red", 30, 25));
        TeamRisks grouped = TeamRisks.of(risks, NAMES, TeamRisks.Filter.NONE);
        assertThat(grouped.teamIds()).containsExactly("T3", "T2", "T1");
        TeamRisks.Team t3 = grouped.teams().get(0);
        assertThat(t3.teamName()).isEqualTo("Looked After");
        assertThat(t3.service()).isEqualTo("Care");
        assertThat(t3.severity()).isEqualTo("red");
        assertThat(t3.red()).isEqualTo(2);
        assertThat(t3.amber()).isZero();
        assertThat(grouped.teams().get(2).severity()).isEqualTo("amber");
        assertThat(grouped.teams().get(2).amber()).isEqualTo(3);
    }

    @Test
    void theExcessIsRelativeToTheThresholdSoIndicatorsOfDifferentUnitsCompare() {
        // a caseload 1 over 22 (4.5%) is less far past than an agency rate 5 points over 25 (20%)
        List<Risk> risks = List.of(
                team("T1", "Front Door", "caseload_per_fte", "red", 23, 22),
                team("T1", "Front Door", "agency_rate", "red", 30, 25),
                team("T1", "Front Door", "vacancy_rate", "amber", 40, 15));
        TeamRisks.Team t1 = TeamRisks.of(risks, NAMES, TeamRisks.Filter.NONE).teams().get(0);
        assertThat(t1.risks()).extracting(TeamRisks.Entry::indicator)
                .as("red before amber, then the larger excess").containsExactly("agency_rate", "caseload_per_fte", "vacancy_rate");
        assertThat(t1.risks().get(0).past()).isCloseTo(0.2, within(1e-9));
        assertThat(t1.risks().get(1).past()).isCloseTo(1.0 / 22, within(1e-9));
        assertThat(t1.risks().get(0).threshold()).isEqualTo(25);
        assertThat(t1.risks().get(0).since()).isEqualTo(SINCE);
    }

    @Test
    void teamsEquallyBadAreOrderedByTheExcessOfTheirWorstIndicatorThenById() {
        List<Risk> risks = List.of(
                team("T1", "Front Door", "caseload_per_fte", "red", 23, 22),
                team("T2", "Front Door", "caseload_per_fte", "red", 33, 22),
                team("T3", "Care", "agency_rate", "red", 27.5, 25),
                team("T4", "Care", "agency_rate", "red", 27.5, 25));
        assertThat(TeamRisks.of(risks, NAMES, TeamRisks.Filter.NONE).teamIds()).containsExactly("T2", "T3", "T4", "T1");
    }

    @Test
    void aZeroThresholdGivesThePlainDifference() {
        Risk r = team("T1", "Front Door", "allocation_wait", "amber", 3, 0);
        assertThat(r.past()).isEqualTo(3.0);
    }

    @Test
    void filtersKeepTheMatchingRisksAndTheTeamsLeftWithOne() {
        List<Risk> risks = List.of(
                team("T1", "Front Door", "caseload_per_fte", "amber", 19, 18),
                team("T2", "Front Door", "caseload_per_fte", "red", 23, 22),
                team("T2", "Front Door", "agency_rate", "amber", 16, 15),
                team("T3", "Care", "agency_rate", "red", 30, 25));
        assertThat(TeamRisks.of(risks, NAMES, new TeamRisks.Filter("Front Door", null, null)).teamIds()).containsExactly("T2", "T1");
        assertThat(TeamRisks.of(risks, NAMES, new TeamRisks.Filter(null, "red", null)).teamIds()).containsExactly("T3", "T2");
        TeamRisks agency = TeamRisks.of(risks, NAMES, new TeamRisks.Filter(null, null, "agency_rate"));
        assertThat(agency.teamIds()).containsExactly("T3", "T2");
        assertThat(agency.teams().get(1).risks()).extracting(TeamRisks.Entry::indicator).containsExactly("agency_rate");
        assertThat(agency.teams().get(1).severity()).as("judged on what the filter keeps").isEqualTo("amber");
        assertThat(TeamRisks.of(risks, NAMES, new TeamRisks.Filter("Front Door", "amber", "agency_rate")).teamIds()).containsExactly("T2");
        assertThat(TeamRisks.of(risks, NAMES, new TeamRisks.Filter("Nowhere", null, null)).teams()).isEmpty();
    }

    @Test
    void aServiceOrAuthorityRiskAddsSomethingOnlyWhereNoTeamUnderItIsAsBadForThatIndicator() {
        List<Risk> risks = List.of(
                team("T1", "Front Door", "caseload_per_fte", "red", 23, 22),
                service("Front Door", "caseload_per_fte", "amber", 19, 18), // T1 says more: adds nothing
                authority("caseload_per_fte", "amber", 18.5, 18), // adds nothing
                team("T2", "Front Door", "agency_rate", "amber", 16, 15),
                service("Front Door", "agency_rate", "red", 26, 25), // red over amber teams: adds
                service("Front Door", "vacancy_rate", "amber", 16, 15), // no team at risk: adds
                service("Care", "caseload_per_fte", "amber", 18.5, 18), // T1 is in another service: adds
                authority("agency_rate", "red", 25.5, 25), // a service is as bad already: adds nothing
                authority("ooh_cover_gap", "amber", 1, 1)); // only at this level: adds
        TeamRisks grouped = TeamRisks.of(risks, NAMES, TeamRisks.Filter.NONE);
        assertThat(grouped.wider()).extracting(r -> r.level() + " " + r.scope() + " " + r.indicator()).containsExactly(
                "service Front Door agency_rate",
                "authority authority ooh_cover_gap",
                "service Front Door vacancy_rate",
                "service Care caseload_per_fte");
        assertThat(TeamRisks.of(risks, NAMES, new TeamRisks.Filter("Front Door", null, null)).wider())
                .extracting(Risk::indicator).containsExactly("agency_rate", "vacancy_rate");
        assertThat(TeamRisks.of(risks, NAMES, new TeamRisks.Filter(null, "amber", "agency_rate")).wider())
                .as("the rule is decided before the filters: the amber team does not make the red service vanish or an amber one appear")
                .isEmpty();
    }

    @Test
    void noRisksNoTeams() {
        TeamRisks grouped = TeamRisks.of(List.of(), NAMES, TeamRisks.Filter.NONE);
        assertThat(grouped.teams()).isEmpty();
        assertThat(grouped.wider()).isEmpty();
    }
}
