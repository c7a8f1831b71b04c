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
        CensusReturn noLea = CensusReturn.of(2026, null, BUILT, AUTHORITY, SPELLS);
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
                .containsExactly("ZZ0000000001");
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
