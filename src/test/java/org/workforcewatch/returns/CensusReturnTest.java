package org.workforcewatch.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.workforcewatch.returns.CensusReturn.Gap;
import org.workforcewatch.returns.CensusReturn.Worker;
import org.workforcewatch.returns.CensusReturnStore.Authority;
import org.workforcewatch.returns.CensusReturnStore.Spell;

/** The census return built from spells, without a database: what each worker says, its gaps, and its schema validity. */
class CensusReturnTest {

    private static final OffsetDateTime BUILT = OffsetDateTime.of(2026, 10, 5, 9, 0, 0, 0, ZoneOffset.UTC);
    private static final Authority AUTHORITY = new Authority(new BigDecimal("3.456"), new BigDecimal("1.5"), 2, true, true);

    private static Spell spell(String id, String role, String employment, String start, String end, String reason,
                               boolean caseHolding, boolean inPost, Long cases, String daysLost, String absent,
                               boolean afterAgency, boolean first) {
        return new Spell(id, "T01", LocalDate.parse(start), end == null ? null : LocalDate.parse(end), role, employment,
                employment.equals("permanent") || employment.equals("fixed_term"), employment.equals("agency"), new BigDecimal("0.8000"), reason, caseHolding, inPost, cases, daysLost == null ? null : new BigDecimal(daysLost),
                absent, afterAgency, first, null);
    }

    private static final List<Spell> SPELLS = List.of(
            spell("S0001", "social_worker", "permanent", "2020-01-06", null, null, true, true, 14L, "3.125", "sickness", false, true),
            spell("S0002", "team_manager", "permanent", "2019-05-01", "2026-03-31", "resigned", false, false, null, "0", null, false, true),
            spell("S0003", "social_worker", "agency", "2026-02-02", null, null, true, true, 20L, null, null, false, true),
            spell("S0004", "asye", "permanent", "2026-01-05", null, null, true, true, 9L, "0", null, false, true),
            spell("S0005", "senior_practitioner", "unknown", "2024-01-05", null, null, true, true, 3L, "0", null, false, true),
            spell("SW0000012345", "social_worker", "fixed_term", "2026-06-01", null, null, true, true, 0L, "0", null, true, false));

    private final CensusReturn built = CensusReturn.of(2026, "873", BUILT, AUTHORITY, SPELLS);

    private Worker worker(String staffId) {
        return built.workers().stream().filter(w -> w.staffId().equals(staffId)).findFirst().orElseThrow();
    }

    private List<String> gapElements(String staffId) {
        return built.gaps().stream().filter(g -> staffId.equals(g.staffId())).map(Gap::element).toList();
    }

    @Test
    void theReturnIsValidAgainstTheDepartments2022Schema() throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/reference/csww-census/social_work_workforce_2022.xsd"));
        byte[] xml = built.xml();
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).contains("<LEA>873</LEA>", "<NumberOfVacancies>3.46</NumberOfVacancies>",
                "<NoAgencyFTE>1.50</NoAgencyFTE>", "<NoAgencyHeadcount>2</NoAgencyHeadcount>",
                "<DateTime>2026-10-05T09:00:00Z</DateTime>");
        assertThat(built.fileName()).isEqualTo("csww-873-2026.xml");
    }

    @Test
    void withoutAnLeaCodeTheSourceIsLeftOutAndTheReturnIsStillValid() throws Exception {
        CensusReturn noLea = CensusReturn.of(2026, (String) null, BUILT, AUTHORITY, SPELLS);
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/reference/csww-census/social_work_workforce_2022.xsd"));
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(noLea.xml())));
        assertThat(new String(noLea.xml(), StandardCharsets.UTF_8)).doesNotContain("<Source>");
        assertThat(noLea.gaps()).anyMatch(g -> g.staffId() == null && g.element().equals("LEA"));
    }

    @Test
    void aWorkerWithNoQualificationDataIsListedAndTheirQualInstIsLeftEmpty() {
        assertThat(gapElements("S0001")).contains("QualInst", "SWENo");
        assertThat(built.gaps().stream().filter(g -> g.element().equals("QualInst")).count())
                .isEqualTo(built.workers().size());
        assertThat(new String(built.xml(), StandardCharsets.UTF_8)).contains("<QualInst></QualInst>");
    }

    @Test
    void aWorkerKnownByRegistrationNumberKeepsItAndOthersGetDistinctStandIns() {
        assertThat(worker("SW0000012345").sweNo()).isEqualTo("SW0000012345");
        assertThat(gapElements("SW0000012345")).doesNotContain("SWENo");
        assertThat(built.workers().stream().map(Worker::sweNo).filter(s -> s.startsWith("ZZ")).distinct().count())
                .isEqualTo(4);
    }

    @Test
    void aRegistrationNumberHeldForTheWorkerIsWrittenInsteadOfAStandInAndIsNoGap() {
        Spell held = new Spell("S0009", "T01", LocalDate.parse("2025-01-06"), null, "social_worker", "agency", false, true,
                new BigDecimal("1"), null, true, true, 5L, null, null, false, true, "SW1234567890");
        CensusReturn withHeld = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(SPELLS.get(0), held));
        assertThat(withHeld.workers()).filteredOn(w -> w.staffId().equals("S0009")).extracting(Worker::sweNo)
                .containsExactly("SW1234567890");
        assertThat(withHeld.gaps()).filteredOn(g -> "S0009".equals(g.staffId())).extracting(Gap::element)
                .doesNotContain("SWENo");
        assertThat(withHeld.workers()).filteredOn(w -> w.staffId().equals("S0001")).extracting(Worker::sweNo)
                .containsExactly(CensusCodes.standIn("S0001"));
    }

    @Test
    void aWorkersStandInIsTheSameWhateverElseIsInTheYear() {
        String alone = CensusReturn.of(2025, "873", BUILT, AUTHORITY, List.of(SPELLS.get(0))).workers().get(0).sweNo();
        assertThat(worker("S0001").sweNo()).isEqualTo(alone).matches("ZZ\\d{10}");
        CensusReturn withOthers = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(
                spell("A0001", "social_worker", "permanent", "2020-01-06", null, null, true, true, 1L, "0", null, false, true),
                spell("A0002", "social_worker", "permanent", "2020-01-06", null, null, true, true, 1L, "0", null, false, true),
                SPELLS.get(0)));
        assertThat(withOthers.workers()).filteredOn(w -> w.staffId().equals("S0001")).extracting(Worker::sweNo)
                .containsExactly(alone);
        assertThat(withOthers.gaps()).filteredOn(g -> g.element().equals("SWENo") && "S0001".equals(g.staffId()))
                .extracting(Gap::sweNo).containsExactly(alone);
    }

    @Test
    void twoStaffIdsWhoseStandInsMeetAreToldApartTheSameWayEveryTime() {
        String a = CensusCodes.standIn("S0001");
        // the number S0001 would take is already taken: it moves on to the next, and the same happens each time
        var first = CensusCodes.standIns(List.of("S0002", "S0001"), java.util.Set.of(a));
        var again = CensusCodes.standIns(List.of("S0001", "S0002"), java.util.Set.of(a));
        assertThat(first).isEqualTo(again);
        assertThat(first.get("S0001")).isNotEqualTo(a).matches("ZZ\\d{10}");
        assertThat(first.get("S0002")).isEqualTo(CensusCodes.standIn("S0002"));
        assertThat(first.values()).doesNotHaveDuplicates();
    }

    @Test
    void aLeaverHasFte0AndFte30AndAReasonAndTheirDestinationIsAGap() {
        Worker leaver = worker("S0002");
        assertThat(leaver.fte()).isZero();
        assertThat(leaver.fte30()).isEqualByComparingTo("0.8");
        assertThat(leaver.roleEndDate()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(leaver.reasonLeave()).isEqualTo(1);
        assertThat(leaver.orgRole()).isEqualTo(3);
        assertThat(leaver.cases30()).isNull();
        assertThat(gapElements("S0002")).contains("LeaverDestination");
    }

    @Test
    void anAgencyWorkerHasContractWeeksInTheYearAndNoDaysLost() {
        Worker agency = worker("S0003");
        assertThat(agency.agency()).isTrue();
        // 2 February to 30 September 2026: 241 days
        assertThat(agency.contractWeeks()).isEqualByComparingTo("34.4");
        assertThat(agency.workingDaysLost()).isNull();
        assertThat(agency.cases30()).isEqualTo(20);
    }

    @Test
    void absenceOnTheReferenceDateAndDaysLostAreGivenForEmployedWorkers() {
        Worker sick = worker("S0001");
        assertThat(sick.absentAt30Sept()).isTrue();
        assertThat(sick.reasonAbsence()).isEqualTo("SIC");
        assertThat(sick.workingDaysLost()).isEqualByComparingTo("3.13");
        assertThat(worker("S0004").absentAt30Sept()).isFalse();
    }

    @Test
    void startOriginIsGivenOnlyWhereTheDataSaysIt() {
        assertThat(worker("S0004").startOrigin()).as("first spell as ASYE: newly qualified").isEqualTo(1);
        assertThat(worker("S0004").cfkssStatus()).isEqualTo(1);
        assertThat(worker("SW0000012345").startOrigin()).as("employed after our own agency spell").isEqualTo(4);
        assertThat(worker("S0003").startOrigin()).isNull();
        assertThat(gapElements("S0003")).contains("StartOrigin");
        assertThat(worker("S0001").startOrigin()).as("started before the year: not a starter").isNull();
        assertThat(gapElements("S0001")).doesNotContain("StartOrigin");
    }

    @Test
    void aYearWhoseEverySpellIsLeftOutIsRefusedWithTheReasonAndNeverWrittenWithoutAWorker() {
        CensusReturn none = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(
                spell("S0005", "senior_practitioner", "unknown", "2024-01-05", null, null, true, true, 3L, "0", null, false, true),
                spell("S0006", "social_worker", "unknown", "2025-01-05", null, null, true, true, 3L, "0", null, false, true)));
        assertThat(none.workers()).isEmpty();
        assertThat(none.unwritable()).contains("no worker can be written", "2 spells of unknown employment");
        assertThat(none.gapsByElement()).containsEntry("AgencyWorker", 2L);
        org.assertj.core.api.Assertions.assertThatThrownBy(none::xml).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 spells of unknown employment");
    }

    private static Spell moved(String id, String team, String role, String start, String end, String reason, boolean inPost,
                               Long cases, String daysLost, BigDecimal fte) {
        return new Spell(id, team, LocalDate.parse(start), end == null ? null : LocalDate.parse(end), role, "permanent",
                true, false, fte, reason, true, inPost, cases, new BigDecimal(daysLost), null, false, false, null);
    }

    @Test
    void aMoveBetweenTwoTeamsInTheSameRoleIsOneContinuingWorkerAndNoLeaver() throws Exception {
        CensusReturn r = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(
                moved("S0010", "T01", "social_worker", "2019-01-07", "2026-03-31", "internal_move", false, null, "2", BigDecimal.ONE),
                moved("S0010", "T02", "social_worker", "2026-04-01", null, null, true, 11L, "1.5", new BigDecimal("0.6"))));
        assertThat(r.workers()).singleElement().satisfies(w -> {
            assertThat(w.roleStartDate()).as("the role did not change: its first start").isEqualTo(LocalDate.of(2019, 1, 7));
            assertThat(w.roleEndDate()).isNull();
            assertThat(w.reasonLeave()).isNull();
            assertThat(w.fte()).isEqualByComparingTo("0.6");
            assertThat(w.cases30()).isEqualTo(11);
            assertThat(w.startOrigin()).isNull();
            assertThat(w.workingDaysLost()).as("sickness in both teams").isEqualByComparingTo("3.50");
        });
        assertThat(r.gapsByElement()).doesNotContainKeys("StartOrigin", "LeaverDestination");
        schemaValid(r);
    }

    @Test
    void aMoveIntoAnotherRoleStartsTheRoleOnTheDayWithNoStartOriginGapAndASameDayStartCountsToo() {
        CensusReturn r = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(
                moved("S0011", "T01", "social_worker", "2019-01-07", "2026-03-31", "internal_move", false, null, "0", BigDecimal.ONE),
                moved("S0011", "T02", "senior_practitioner", "2026-03-31", null, null, true, 4L, "0", BigDecimal.ONE)));
        assertThat(r.workers()).singleElement().satisfies(w -> {
            assertThat(w.roleStartDate()).isEqualTo(LocalDate.of(2026, 3, 31));
            assertThat(w.orgRole()).isEqualTo(4);
            assertThat(w.reasonLeave()).isNull();
            assertThat(w.startOrigin()).isNull();
        });
        assertThat(r.gapsByElement()).doesNotContainKeys("StartOrigin", "LeaverDestination");
    }

    @Test
    void aRoleTakenUpByAMoveAndKeptThroughAnotherMoveStartsOnItsFirstDayWithNoStartOrigin() {
        CensusReturn r = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(
                moved("S0015", "T01", "social_worker", "2019-01-07", "2025-12-31", "internal_move", false, null, "0", BigDecimal.ONE),
                moved("S0015", "T02", "senior_practitioner", "2026-01-01", "2026-05-31", "internal_move", false, null, "0", BigDecimal.ONE),
                moved("S0015", "T03", "senior_practitioner", "2026-06-01", null, null, true, 4L, "0", BigDecimal.ONE)));
        assertThat(r.workers()).singleElement().satisfies(w -> {
            assertThat(w.roleStartDate()).isEqualTo(LocalDate.of(2026, 1, 1));
            assertThat(w.startOrigin()).isNull();
        });
        assertThat(r.gapsByElement()).doesNotContainKeys("StartOrigin", "LeaverDestination");
    }

    @Test
    void aMoveOutOfChildrenAndFamilySocialWorkIsALeaverWithReasonSevenAndAGapLaterIsNoMove() {
        CensusReturn r = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(
                moved("S0012", "T01", "social_worker", "2019-01-07", "2026-03-31", "internal_move", false, null, "0", BigDecimal.ONE),
                moved("S0013", "T01", "social_worker", "2019-01-07", "2026-03-31", "internal_move", false, null, "0", BigDecimal.ONE),
                moved("S0013", "T02", "social_worker", "2026-04-02", null, null, true, 4L, "0", BigDecimal.ONE)));
        assertThat(r.workers()).filteredOn(w -> w.staffId().equals("S0012")).singleElement()
                .satisfies(w -> assertThat(w.reasonLeave()).isEqualTo(7));
        assertThat(r.workers()).filteredOn(w -> w.staffId().equals("S0013")).extracting(Worker::reasonLeave)
                .as("starting two days later is a leaver and a starter").containsExactly(7, null);
    }

    @Test
    void aStarterInTheYearWhoMovesTeamKeepsTheirStartAndWhereTheyCameFrom() {
        Spell asye = new Spell("S0014", "T01", LocalDate.parse("2025-11-03"), LocalDate.parse("2026-02-27"), "asye", "permanent",
                true, false, BigDecimal.ONE, "internal_move", true, false, null, BigDecimal.ZERO, null, false, true, null);
        CensusReturn r = CensusReturn.of(2026, "873", BUILT, AUTHORITY, List.of(asye,
                moved("S0014", "T02", "asye", "2026-02-28", null, null, true, 6L, "0", BigDecimal.ONE)));
        assertThat(r.workers()).singleElement().satisfies(w -> {
            assertThat(w.roleStartDate()).isEqualTo(LocalDate.of(2025, 11, 3));
            assertThat(w.startOrigin()).isEqualTo(CensusCodes.NEWLY_QUALIFIED);
        });
    }

    @Test
    void anLeaTakenFromTheAreaCodeIsWrittenAndListedSoHrSetsTheirOwn() {
        CensusReturn r = CensusReturn.of(2026, new ReturnSettings.Lea("873", "E10000003"), BUILT, AUTHORITY, SPELLS);
        assertThat(new String(r.xml(), StandardCharsets.UTF_8)).contains("<LEA>873</LEA>");
        assertThat(r.gaps()).filteredOn(g -> g.element().equals("LEA")).singleElement().satisfies(g -> {
            assertThat(g.staffId()).isNull();
            assertThat(g.why()).contains("LEA 873 taken from workforce.authority.area-code E10000003",
                    "set workforce.returns.lea to your own");
        });
        assertThat(built.gaps()).as("configured: nothing to say").noneMatch(g -> g.element().equals("LEA"));
    }

    private static void schemaValid(CensusReturn r) throws Exception {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(CensusReturnTest.class.getResource("/reference/csww-census/social_work_workforce_2022.xsd"))
                .newValidator().validate(new StreamSource(new ByteArrayInputStream(r.xml())));
    }

    @Test
    void aSpellOfUnknownEmploymentIsLeftOutAndListed() {
        assertThat(built.workers()).noneMatch(w -> w.staffId().equals("S0005"));
        assertThat(gapElements("S0005")).containsExactly("AgencyWorker");
    }

    @Test
    void withoutAbsenceDataNoAbsenceElementIsWrittenAndOneGapSaysSo() {
        CensusReturn none = CensusReturn.of(2026, "873", BUILT,
                new Authority(BigDecimal.ZERO, BigDecimal.ZERO, 0, false, true), SPELLS);
        assertThat(new String(none.xml(), StandardCharsets.UTF_8)).doesNotContain("WorkingDaysLost", "Absat30Sept");
        assertThat(none.gaps()).filteredOn(g -> g.element().equals("WorkingDaysLost")).hasSize(1)
                .allMatch(g -> g.staffId() == null);
    }
}
