package org.workforcewatch.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.workforcewatch.ApiTest;

/** The planned_starters dataset of docs/DATA-FORMATS.md: offers and planned starts, under the general import rules. */
class PlannedStartersImportTest extends ApiTest {

    private static final String HEADER = "planned_id,team_id,role,employment,fte,start_date,status,notes\n";
    private static final String NEXT_MONTH = LocalDate.now().plusMonths(1).withDayOfMonth(1).toString();
    private static final String VALID = HEADER
            + "P1,T1,social_worker,permanent,1," + NEXT_MONTH + ",accepted,\n"
            + "P2,T1,asye,permanent,0.8," + NEXT_MONTH + ",offer,\"from the spring cohort, references pending\"\n"
            + "P3,T2,senior_practitioner,agency,1,01/02/2031,accepted,\n";

    @BeforeEach
    void teams() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Out of Hours,Front Door,out_of_hours
                """).expectStatus().isCreated();
    }

    @Test
    void aValidFileIsImportedWithAReceiptAndItsRowsStored() {
        upload("planned_starters", VALID).expectStatus().isCreated().expectBody()
                .jsonPath("$.dataset").isEqualTo("planned_starters")
                .jsonPath("$.status").isEqualTo("succeeded")
                .jsonPath("$.rows").isEqualTo(3)
                .jsonPath("$.inserted").isEqualTo(3)
                .jsonPath("$.updated").isEqualTo(0);
        assertThat(count("planned_starters")).isEqualTo(3);
        assertThat(one("SELECT team_id || '|' || role || '|' || employment || '|' || fte || '|' || start_date || '|' || status"
                + " || '|' || notes FROM planned_starters WHERE planned_id = 'P2'"))
                .isEqualTo("T1|asye|permanent|0.8000|" + NEXT_MONTH + "|offer|from the spring cohort, references pending");
        assertThat(one("SELECT start_date FROM planned_starters WHERE planned_id = 'P3'")).isEqualTo("2031-02-01");
        assertThat(one("SELECT notes IS NULL FROM planned_starters WHERE planned_id = 'P1'")).isEqualTo("true");
    }

    @Test
    void theDatasetIsListedInLoadOrderAfterTheTeamsItRefersTo() {
        String body = web.get().uri("/api/datasets").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("\"planned_starters\"");
        assertThat(body.indexOf("\"planned_starters\"")).isGreaterThan(body.indexOf("\"establishment\""));
    }

    @Test
    void importingTheSameFileTwiceChangesNothingTheSecondTime() {
        upload("planned_starters", VALID).expectStatus().isCreated();
        String before = one("SELECT string_agg(p::text, '|' ORDER BY planned_id) FROM"
                + " (SELECT planned_id, team_id, role, employment, fte, start_date, status, notes FROM planned_starters) p");
        upload("planned_starters", VALID).expectStatus().isCreated().expectBody()
                .jsonPath("$.rows").isEqualTo(3).jsonPath("$.inserted").isEqualTo(0)
                .jsonPath("$.updated").isEqualTo(0).jsonPath("$.unchanged").isEqualTo(3);
        assertThat(one("SELECT string_agg(p::text, '|' ORDER BY planned_id) FROM"
                + " (SELECT planned_id, team_id, role, employment, fte, start_date, status, notes FROM planned_starters) p"))
                .isEqualTo(before);
    }

    @Test
    void anOfferThatIsAcceptedLaterIsUpdatedInPlace() {
        upload("planned_starters", VALID).expectStatus().isCreated();
        upload("planned_starters", VALID.replace(",offer,", ",accepted,")).expectStatus().isCreated().expectBody()
                .jsonPath("$.updated").isEqualTo(1).jsonPath("$.inserted").isEqualTo(0);
        assertThat(one("SELECT status FROM planned_starters WHERE planned_id = 'P2'")).isEqualTo("accepted");
    }

    @Test
    void aFuturePlannedStartMissingFromALaterFullExtractIsFlaggedNotDeleted() {
        upload("planned_starters", VALID).expectStatus().isCreated();
        upload("planned_starters", HEADER + "P1,T1,social_worker,permanent,1," + NEXT_MONTH + ",accepted,\n"
                + "P3,T2,senior_practitioner,agency,1,2031-02-01,accepted,\n")
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.missing_from_extract_total").isEqualTo(1)
                .jsonPath("$.missing_from_extract[0].planned_id").isEqualTo("P2");
        assertThat(count("planned_starters")).isEqualTo(3);
    }

    static Stream<Arguments> refusedRows() {
        String next = NEXT_MONTH;
        return Stream.of(
                // the bad line, its column, its value, words the reason must contain
                Arguments.of("P9,T1,director,permanent,1," + next + ",offer,", "role", "director", "social_worker, senior_practitioner"),
                Arguments.of("P9,T1,social_worker,permanent,1.5," + next + ",offer,", "fte", "1.5", "greater than 0 and at most 1"),
                Arguments.of("P9,T1,social_worker,permanent,0," + next + ",offer,", "fte", "0", "greater than 0"),
                Arguments.of("P9,T1,social_worker,locum,1," + next + ",offer,", "employment", "locum", "permanent, fixed_term, agency"),
                Arguments.of("P9,T1,social_worker,permanent,1," + next + ",maybe,", "status", "maybe", "offer, accepted"),
                Arguments.of("P9,T1,social_worker,permanent,1,2031-02-30,offer,", "start_date", "2031-02-30", "not a date"),
                Arguments.of("P9,T1,social_worker,permanent,1,,offer,", "start_date", "", "required value is blank"),
                Arguments.of("P9,T404,social_worker,permanent,1," + next + ",offer,", "team_id", "T404", "no team with this team_id"),
                Arguments.of("P1,T1,social_worker,permanent,1," + next + ",offer,", "planned_id", "P1", "duplicate key (planned_id)"));
    }

    @ParameterizedTest(name = "{1} = ''{2}''")
    @MethodSource("refusedRows")
    void aBadRowIsRefusedWithItsLineColumnAndReasonAndNothingIsImported(String badLine, String column, String value,
                                                                         String reason) {
        upload("planned_starters", VALID + badLine + "\n").expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody()
                .jsonPath("$.dataset").isEqualTo("planned_starters")
                .jsonPath("$.error_count").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(5)
                .jsonPath("$.errors[0].column").isEqualTo(column)
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains(reason))
                .jsonPath("$.errors[0]").value(e -> assertThat(((java.util.Map<?, ?>) e).get("value"))
                        .isEqualTo(value.isEmpty() ? ((java.util.Map<?, ?>) e).get("value") : value));
        assertThat(count("planned_starters")).isZero();
    }
}
