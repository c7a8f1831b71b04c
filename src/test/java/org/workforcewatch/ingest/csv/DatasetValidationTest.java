package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.Fixtures;

/** Every dataset loads its valid file, and a bad value of each kind of column is refused and located. */
class DatasetValidationTest extends ApiTest {

    private void loadUpTo(String dataset) {
        for (Map.Entry<String, String> e : Fixtures.VALID.entrySet()) {
            if (e.getKey().equals(dataset)) {
                return;
            }
            upload(e.getKey(), e.getValue()).expectStatus().isCreated();
        }
    }

    @Test
    void everyDatasetLoadsItsValidFileInOrder() {
        for (Map.Entry<String, String> e : Fixtures.VALID.entrySet()) {
            long lines = e.getValue().lines().count() - 1;
            upload(e.getKey(), e.getValue()).expectStatus().isCreated()
                    .expectBody().jsonPath("$.rows").isEqualTo((int) lines).jsonPath("$.inserted").isEqualTo((int) lines);
        }
        assertThat(count("staff_spells")).isEqualTo(3);
        assertThat(one("SELECT kind FROM supervision WHERE supervision_date = '2024-11-01'")).isEqualTo("formal");
        assertThat(one("SELECT agency_hourly_rate FROM staff_spells WHERE staff_id = 'S2'")).isEqualTo("48.50");
        assertThat(one("SELECT case_holding FROM staff_spells WHERE staff_id = 'S3'")).isEqualTo("false");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                // dataset, column, bad value, words the reason must contain
                Arguments.of("teams", "team_type", "social_care", "assessment, safeguarding"),
                Arguments.of("teams", "team_id", "X".repeat(65), "longer than 64"),
                Arguments.of("teams", "team_name", "", "required value is blank"),
                Arguments.of("staff", "fte", "1.2", "greater than 0 and at most 1"),
                Arguments.of("staff", "fte", "0", "greater than 0"),
                Arguments.of("staff", "fte", "full", "not a number"),
                Arguments.of("staff", "role", "manager", "social_worker, senior_practitioner"),
                Arguments.of("staff", "employment", "locum", "permanent, fixed_term, agency"),
                Arguments.of("staff", "start_date", "12/31/2023", "not a date"),
                Arguments.of("staff", "case_holding", "maybe", "Y/N"),
                Arguments.of("staff", "agency_hourly_rate", "-1", "at least 0"),
                Arguments.of("establishment", "funded_fte", "-0.5", "at least 0"),
                Arguments.of("establishment", "role", "director", "allowed values"),
                Arguments.of("allocations", "case_type", "adult", "assessment, cin, cp, cla"),
                Arguments.of("allocations", "change_reason", "LEFT", "MANAGE, FCONTA, LEFTRL"),
                Arguments.of("allocations", "start_date", "2024-02-30", "not a date"),
                Arguments.of("referrals", "referral_date", "yesterday", "not a date"),
                Arguments.of("children_in_care", "date_of_birth", "", "required value is blank"),
                Arguments.of("care_leavers", "eligibility", "former relevant", "eligible, relevant, former_relevant"),
                Arguments.of("care_leavers", "in_touch", "REFU", "yes, no, died, refused"),
                Arguments.of("supervision", "kind", "one-to-one", "formal, reflective, group"),
                Arguments.of("training", "completed_date", "2024-13-01", "not a date"),
                Arguments.of("absence", "reason", "holiday", "sickness, other"),
                Arguments.of("absence", "working_days_lost", "two", "not a number"),
                Arguments.of("shift_requirements", "required_staff", "1.5", "whole number"),
                Arguments.of("shift_requirements", "required_staff", "0", "at least 1"),
                Arguments.of("shifts", "shift_date", "25-11-2024", "not a date"),
                Arguments.of("benchmarks", "geographic_level", "county", "national, regional, local_authority"),
                Arguments.of("benchmarks", "measure", "caseload", "turnover_rate"),
                Arguments.of("benchmarks", "year", "twenty", "whole number"),
                Arguments.of("agency_assignments", "role_category", "social worker", "senior_social_worker, advanced_practitioner"),
                Arguments.of("agency_assignments", "hourly_rate", "0", "greater than 0"),
                Arguments.of("agency_assignments", "swe_number", "SW12345", "two letters then ten digits"),
                Arguments.of("agency_assignments", "notice_weeks", "-1", "at least 0"));
    }

    @ParameterizedTest(name = "{0}.{1} = \"{2}\" is refused")
    @MethodSource("badValues")
    void aBadValueIsRefusedWithLineColumnValueAndReason(String dataset, String column, String bad, String reasonWords) {
        loadUpTo(dataset);
        String file = withValue(Fixtures.VALID.get(dataset), column, bad);
        // the fixture's second team names the first as its parent: with the first one's id bad, that reference
        // resolves to nothing, and is reported in the same answer
        int problems = dataset.equals("teams") && column.equals("team_id") ? 2 : 1;
        upload(dataset, file).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(problems)
                .jsonPath("$.errors[0].line").isEqualTo(2)
                .jsonPath("$.errors[0].column").isEqualTo(column)
                .jsonPath("$.errors[0].value").isEqualTo(bad.isEmpty() ? "" : bad)
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains(reasonWords));
        assertThat(count(Datasets.byName(dataset).orElseThrow().table())).isZero();
    }

    /** The same file with {@code column} of its first data row set to {@code value}. */
    static String withValue(String csv, String column, String value) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(",", -1));
        String[] row = lines.get(1).split(",", -1);
        row[header.indexOf(column)] = value;
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n').append(String.join(",", row)).append('\n');
        for (int i = 2; i < lines.size(); i++) {
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    @Test
    void referencesMustExist() {
        upload("teams", Fixtures.VALID.get("teams")).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,case_holding
                S1,T1,social_worker,permanent,1,2022-01-10,Y
                S9,T404,social_worker,permanent,1,2022-01-10,Y
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].line").isEqualTo(3)
                .jsonPath("$.errors[0].column").isEqualTo("team_id")
                .jsonPath("$.errors[0].value").isEqualTo("T404")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("no team").contains("load teams first"));
        assertThat(count("staff_spells")).isZero();
    }

    @Test
    void anAllocationsWorkerAndAShiftsRequirementMustExist() {
        loadUpTo("allocations");
        upload("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date
                A1,C1,S404,cin,2024-01-05
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].column").isEqualTo("staff_id")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("no staff member"));
        upload("shift_requirements", Fixtures.VALID.get("shift_requirements")).expectStatus().isCreated();
        upload("shifts", """
                shift_date,team_id,shift,staff_id
                2024-11-25,T2,weekend_day,S3
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].column").isEqualTo("shift")
                .jsonPath("$.errors[0].value").isEqualTo("T2 / weekend_day")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("no shift requirement"));
    }

    @Test
    void aParentTeamMayBeInTheSameFile() {
        upload("teams", """
                team_id,team_name,service,team_type,parent_team_id
                T3,Child,Safeguarding,safeguarding,T4
                T4,Parent,Safeguarding,safeguarding,
                T5,Orphan,Safeguarding,safeguarding,T404
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(4)
                .jsonPath("$.errors[0].value").isEqualTo("T404");
    }

    @Test
    void crossFieldRulesAreChecked() {
        loadUpTo("staff");
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,agency_name
                S1,T1,social_worker,permanent,1,2022-01-10,2021-01-01,resigned,Y,
                S2,T1,social_worker,permanent,1,2022-01-10,,resigned,Y,
                S3,T1,social_worker,permanent,1,2022-01-10,,,Y,Hays
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors.length()").isEqualTo(3)
                .jsonPath("$.errors[0].column").isEqualTo("end_date")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("before start_date"))
                .jsonPath("$.errors[1].column").isEqualTo("leaving_reason")
                .jsonPath("$.errors[2].column").isEqualTo("agency_name");
    }

    @Test
    void aKeyRepeatedInTheFileIsAnError() {
        loadUpTo("allocations");
        upload("allocations", """
                allocation_id,child_id,staff_id,case_type,start_date
                A1,C1,S1,cin,2024-01-05
                A2,C2,S1,cin,2024-01-05
                A1,C3,S1,cp,2024-02-05
                """).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].line").isEqualTo(4)
                .jsonPath("$.errors[0].value").isEqualTo("A1")
                .jsonPath("$.errors[0].reason").value(r -> assertThat((String) r).contains("duplicate key").contains("line 2"));
    }
}
