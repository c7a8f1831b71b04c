package org.workforcewatch.ingest.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which imports count as news of a dataset: its own file, the SSD tables and child records written into the same rows. */
class DataFreshnessTest {

    @Test
    void theCaseDatasetsAreFedByTheirFileTheirSsdTableAndTheChildRecords() {
        assertThat(DataFreshness.fedBy("allocations")).containsExactly("allocations", "ssd_involvements", "csc_api");
        assertThat(DataFreshness.fedBy("referrals")).containsExactly("referrals", "ssd_cin_episodes", "csc_api");
        assertThat(DataFreshness.fedBy("children_in_care")).containsExactly("children_in_care", "csc_api");
        assertThat(DataFreshness.fedBy("care_leavers")).containsExactly("care_leavers", "ssd_care_leavers", "csc_api");
    }

    @Test
    void staffIsFedByItsFileAndTheSsdProfessionalsButNotByChildRecords() {
        assertThat(DataFreshness.fedBy("staff")).containsExactly("staff", "ssd_professionals");
        assertThat(DataFreshness.fedBy("supervision")).containsExactly("supervision");
    }
}
