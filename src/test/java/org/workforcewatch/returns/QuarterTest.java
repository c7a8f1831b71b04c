package org.workforcewatch.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A quarter of the agency return, as written in the request. */
class QuarterTest {

    @Test
    void aQuarterRunsFromTheFirstDayOfItsFirstMonthToTheLastDayOfItsThird() {
        AgencyReturn.Quarter q1 = AgencyReturn.Quarter.parse("2025-Q1");
        assertThat(q1.first()).hasToString("2025-01-01");
        assertThat(q1.last()).hasToString("2025-03-31");
        AgencyReturn.Quarter q4 = AgencyReturn.Quarter.parse(" 2024-q4 ");
        assertThat(q4.first()).hasToString("2024-10-01");
        assertThat(q4.last()).hasToString("2024-12-31");
        assertThat(AgencyReturn.Quarter.parse("2024-Q1").last()).hasToString("2024-03-31");
        assertThat(q4).hasToString("2024-Q4");
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsExpected() {
        for (String bad : new String[] {"2025-Q0", "2025-Q5", "2025Q1", "25-Q1", "2025-Q1x", "", null}) {
            assertThatThrownBy(() -> AgencyReturn.Quarter.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2025-Q1");
        }
        assertThatThrownBy(() -> AgencyReturn.Quarter.parse("1999-Q1")).hasMessageContaining("2000 to 2199");
    }
}
