package org.workforcewatch.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.workforcewatch.staffing.StaffRole;

/** Our roles and reasons to the Department's census codes. */
class CensusCodesTest {

    @Test
    void managersKeepTheirLevelAndPractitionersHoldingCasesAreCaseHolders() {
        assertThat(CensusCodes.orgRole(StaffRole.SERVICE_MANAGER, false)).isEqualTo(2);
        assertThat(CensusCodes.orgRole(StaffRole.TEAM_MANAGER, true)).isEqualTo(3);
        assertThat(CensusCodes.orgRole(StaffRole.SOCIAL_WORKER, true)).isEqualTo(5);
        assertThat(CensusCodes.orgRole(StaffRole.ASYE, true)).isEqualTo(5);
        assertThat(CensusCodes.orgRole(StaffRole.SOCIAL_WORKER, false)).isEqualTo(6);
    }

    @Test
    void seniorAndAdvancedPractitionersAreSeniorPractitionersWhateverTheirCaseload() {
        assertThat(CensusCodes.orgRole(StaffRole.SENIOR_PRACTITIONER, true)).isEqualTo(4);
        assertThat(CensusCodes.orgRole(StaffRole.ADVANCED_PRACTITIONER, true)).isEqualTo(4);
        assertThat(CensusCodes.orgRole(StaffRole.SENIOR_PRACTITIONER, false)).isEqualTo(4);
        assertThat(CensusCodes.orgRole(StaffRole.ADVANCED_PRACTITIONER, false)).isEqualTo(4);
        assertThat(CensusCodes.orgRole(StaffRole.ASYE, false)).isEqualTo(6);
    }

    @Test
    void everyChildrenAndFamilySocialWorkerHasAnOrgRoleAndNoOneElseHas() {
        for (StaffRole role : StaffRole.values()) {
            for (boolean cases : new boolean[] {true, false}) {
                Integer code = CensusCodes.orgRole(role, cases);
                if (role.cfsw()) {
                    assertThat(code).as(role + " holding cases: " + cases).isBetween(1, 6);
                } else {
                    assertThat(code).as(role.id()).isNull();
                }
            }
        }
    }

    @Test
    void leavingReasonsMapToReasonLeaveAndAnInternalMoveIsSeven() {
        assertThat(CensusCodes.reasonLeave("resigned")).isEqualTo(1);
        assertThat(CensusCodes.reasonLeave("dismissed")).isEqualTo(4);
        assertThat(CensusCodes.reasonLeave("retired")).isEqualTo(5);
        assertThat(CensusCodes.reasonLeave("internal_move")).isEqualTo(7);
        assertThat(CensusCodes.reasonLeave("end_of_contract")).isEqualTo(8);
        assertThat(CensusCodes.reasonLeave("other")).isEqualTo(8);
        assertThat(CensusCodes.reasonLeave(null)).as("ended with no reason: not known").isEqualTo(9);
    }

    @Test
    void onlyTheAsyeRoleGivesAKnowledgeAndSkillsStatus() {
        assertThat(Arrays.stream(StaffRole.values()).filter(r -> CensusCodes.cfkssStatus(r) != null))
                .containsExactly(StaffRole.ASYE);
        assertThat(CensusCodes.cfkssStatus(StaffRole.ASYE)).isEqualTo(1);
    }

    @Test
    void sicknessIsSicAndAnyOtherAbsenceIsOth() {
        assertThat(CensusCodes.reasonAbsence("sickness")).isEqualTo("SIC");
        assertThat(CensusCodes.reasonAbsence("other")).isEqualTo("OTH");
    }

    @Test
    void aStaffIdIsTakenAsSweNoOnlyInTheRegistrationNumbersFormAndAStandInCannotPassForOne() {
        assertThat(CensusCodes.isSweNo("SW1234567890")).isTrue();
        assertThat(CensusCodes.isSweNo("S0001")).isFalse();
        assertThat(CensusCodes.isSweNo("SW12345678901")).isFalse();
        assertThat(CensusCodes.standIn("S0001")).isEqualTo(CensusCodes.standIn("S0001")).isNotEqualTo(CensusCodes.standIn("S0002"))
                .matches("ZZ\\d{10}").satisfies(s -> assertThat(CensusCodes.isSweNo(s)).isTrue());
    }

    @Test
    void theLeaCodeIsLookedUpForTheAreaCodeUnlessConfigured() {
        assertThat(ReturnSettings.published("E10000003")).contains("873");
        assertThat(ReturnSettings.published("E99999999")).isEmpty();
        assertThat(new ReturnSettings("301").leaFor("E10000003")).isEqualTo(new ReturnSettings.Lea("301", null));
        assertThat(new ReturnSettings(null).leaFor("E10000003")).isEqualTo(new ReturnSettings.Lea("873", "E10000003"))
                .matches(ReturnSettings.Lea::lookedUp);
        assertThat(new ReturnSettings(null).leaFor("E99999999").code()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReturnSettings("87"))
                .hasMessageContaining("workforce.returns.lea '87'");
    }
}
