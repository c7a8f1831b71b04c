package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.Fixtures;

/** A large file with one problem near its end changes nothing anywhere. */
class AtomicityTest extends ApiTest {

    private static final int ROWS = 200_000;

    @BeforeEach
    void loadEveryDataset() {
        for (Map.Entry<String, String> e : Fixtures.VALID.entrySet()) {
            upload(e.getKey(), e.getValue()).expectStatus().isCreated();
        }
    }

    /** A fingerprint of every stored row of every table. */
    private String everything() {
        StringBuilder all = new StringBuilder();
        for (String table : new String[] {"teams", "staff_spells", "establishment", "allocations", "referrals",
            "children_in_care", "care_leavers", "care_leaver_history", "supervision", "training", "absence",
            "shift_requirements", "shifts", "benchmarks", "missing_records"}) {
            all.append(table).append('=').append(one("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    + " FROM " + table + " t")).append('\n');
        }
        return all.toString();
    }

    private static String allocations(int rows, int badLine, String badRow) {
        StringBuilder file = new StringBuilder(rows * 40).append("allocation_id,child_id,staff_id,case_type,start_date,end_date\n");
        for (int i = 0; i < rows; i++) {
            if (i + 2 == badLine) {
                file.append(badRow).append('\n');
            } else {
                file.append("B").append(i).append(",C").append(i % 5000).append(',').append(i % 2 == 0 ? "S1" : "S2")
                        .append(",cin,2024-01-0").append(1 + i % 9).append(",\n");
            }
        }
        return file.toString();
    }

    @Test
    void aBadValueOnTheLastButOneLineLeavesEveryTableUnchanged() {
        String before = everything();
        upload("allocations", allocations(ROWS, ROWS, "X1,C1,S1,cin,2024-02-31,")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].line").isEqualTo(ROWS).jsonPath("$.rows").isEqualTo(ROWS);
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void anUnknownWorkerNearTheEndFoundOnlyAfterCopyingLeavesEveryTableUnchanged() {
        String before = everything();
        upload("allocations", allocations(ROWS, ROWS - 10, "X1,C1,S404,cin,2024-02-01,")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(ROWS - 10).jsonPath("$.errors[0].value").isEqualTo("S404");
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void theSameLargeFileWithoutTheProblemLoadsWhole() {
        upload("allocations", allocations(ROWS, -1, null)).expectStatus().isCreated()
                .expectBody().jsonPath("$.rows").isEqualTo(ROWS).jsonPath("$.inserted").isEqualTo(ROWS)
                .jsonPath("$.missing_from_extract_total").isEqualTo(1); // A1 of the fixtures is open and not in this file
        assertThat(count("allocations")).isEqualTo(ROWS + 2);
    }
}
