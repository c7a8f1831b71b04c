package org.workforcewatch.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.IndicatorEngine;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.planning.SyntheticAuthority;

/**
 * The census return built from a loaded authority is valid against the Department's 2022 schema, and imported back
 * through the census import it gives the same Department measures as the live data gives on the reference date: on the
 * demo authority and on generated authorities of other shapes, so that nothing is tuned to one set of data.
 */
class CensusReturnRoundTripTest extends ApiTest {

    @Autowired
    private ApplicationContext context;
    @Autowired
    private IndicatorEngine indicators;
    @Autowired
    private Clock clock;

    /** The latest census reference date on or before today. */
    private int latestYear() {
        LocalDate today = LocalDate.now(clock);
        return today.isBefore(LocalDate.of(today.getYear(), 9, 30)) ? today.getYear() - 1 : today.getYear();
    }

    @Test
    void theDemoAuthoritysReturnImportsBackToTheSameMeasures() throws Exception {
        DemoData.load(context);
        roundTrip(latestYear(), true);
    }

    @Test
    void aGrowingGeneratedAuthoritysReturnImportsBackToTheSameMeasures() throws Exception {
        load(SyntheticAuthority.generate(SyntheticAuthority.Shape.GROWING, LocalDate.now(clock), 23));
        roundTrip(latestYear(), false);
    }

    @Test
    void aShrinkingGeneratedAuthoritysEarlierReturnImportsBackToTheSameMeasures() throws Exception {
        load(SyntheticAuthority.generate(SyntheticAuthority.Shape.SHRINKING, LocalDate.now(clock), 5));
        roundTrip(latestYear() - 1, false);
    }

    private void load(SyntheticAuthority authority) {
        authority.files().forEach((dataset, csv) -> upload(dataset, csv).expectStatus().isCreated());
    }

    private void roundTrip(int year, boolean absenceLoaded) throws Exception {
        LocalDate ref = LocalDate.of(year, 9, 30);
        var answer = as("hr").get().uri("/api/returns/census?year=" + year).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_XML)
                .expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"csww-873-" + year + "\\.xml\"")
                .expectBody(byte[].class).returnResult();
        byte[] xml = answer.getResponseBody();
        long gaps = Long.parseLong(answer.getResponseHeaders().getFirst("X-Census-Gaps"));

        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/reference/csww-census/social_work_workforce_2022.xsd"))
                .newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));

        Map<String, IndicatorValue> live = indicators.at(ref, "authority").collectMap(IndicatorValue::indicator, Function.identity())
                .block(Duration.ofMinutes(2));
        String spellsBefore = one("SELECT string_agg(concat_ws(' ', staff_id, team_id, start_date, fte, end_date), ','"
                + " ORDER BY staff_id, team_id, start_date) FROM staff_spells");

        web.post().uri("/api/imports/census?file_name=csww.xml").contentType(MediaType.APPLICATION_XML).bodyValue(xml).exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.status").isEqualTo("succeeded");
        Map<?, ?> census = web.get().uri("/api/census/" + year).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        Map<?, ?> measures = (Map<?, ?>) census.get("measures");

        long workers = ((Number) census.get("workers")).longValue();
        assertThat(workers).isPositive();
        assertThat(census.get("la_code")).isEqualTo("873");
        // every worker has a QualInst gap, and nothing else was left out of the return
        Map<?, ?> gapList = as("hr").get().uri("/api/returns/census/gaps?year=" + year).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Number) gapList.get("count")).longValue()).isEqualTo(gaps);
        @SuppressWarnings("unchecked")
        Map<String, Object> byElement = (Map<String, Object>) gapList.get("by_element");
        assertThat(((Number) byElement.get("QualInst")).longValue()).isEqualTo(workers);
        assertThat(byElement).doesNotContainKeys("AgencyWorker", "RoleStartDate");

        double employedFte = number(census.get("employed_fte"));
        same("turnover_rate", measures, live.get("turnover_rate"), 0.000001);
        same("agency_rate", measures, live.get("agency_rate"), 0.000001);
        // vacancies are written to 2 decimal places
        same("vacancy_rate", measures, live.get("vacancy_rate"), 0.005);
        assertThat(live.get("turnover_rate").denominator()).isCloseTo(employedFte, within(0.000001));
        // the authority has leavers, agency cover and vacancies in the year: the comparisons above are not of zeros
        assertThat(live.get("turnover_rate").numerator()).isPositive();
        assertThat(live.get("agency_rate").numerator()).isPositive();
        assertThat(live.get("vacancy_rate").denominator()).isPositive();
        Map<?, ?> absence = (Map<?, ?>) measures.get("absence_rate");
        if (absenceLoaded) {
            // days lost are written per worker to 2 decimal places
            same("absence_rate", measures, live.get("absence_rate"), 0.005 * workers);
            assertThat(number(absence.get("numerator"))).isPositive();
        } else {
            assertThat(number(absence.get("numerator"))).isZero();
        }

        // caseload: the Department's definition (cases held on the reference date by case holders in post ÷ their FTE),
        // applied to the live tables here
        Map<String, Object> caseload = db.sql("""
                        WITH sp AS (SELECT s.*, (SELECT count(DISTINCT a.child_id) FROM allocations a WHERE a.staff_id = s.staff_id
                                                 AND open_on(a.start_date, a.end_date, :ref)) AS cases
                                    FROM staff_spells_v s WHERE s.cfsw AND (s.employed OR s.agency)
                                    AND open_on(s.start_date, s.end_date, :ref)),
                        -- case holders: holding cases on the day, or OrgRole 5 (a case-holding social worker or ASYE;
                        -- managers and senior or advanced practitioners have their own OrgRole whatever their caseload)
                        holders AS (SELECT * FROM sp WHERE cases > 0
                                    OR (case_holding AND role IN ('social_worker', 'asye')))
                        SELECT coalesce(sum(cases), 0)::numeric AS cases, coalesce(sum(fte), 0) AS fte FROM holders
                        """).bind("ref", ref).fetch().one().block();
        Map<?, ?> load = (Map<?, ?>) measures.get("caseload_per_fte");
        assertThat(number(load.get("numerator"))).isEqualTo(((BigDecimal) caseload.get("cases")).doubleValue());
        assertThat(number(load.get("denominator"))).isCloseTo(((BigDecimal) caseload.get("fte")).doubleValue(), within(0.000001));
        assertThat(number(load.get("numerator"))).isPositive();

        // a move between two children and family social work teams is one continuing worker: ReasonLeave 7 only for
        // the moves out of children and family social work
        String text = new String(xml, java.nio.charset.StandardCharsets.UTF_8);
        long reasonSeven = text.split("<ReasonLeave>7</ReasonLeave>", -1).length - 1;
        String moves = """
                SELECT count(*) FILTER (WHERE NOT cont) AS out_of_cfsw, count(*) FILTER (WHERE cont) AS within
                FROM (SELECT EXISTS (SELECT 1 FROM staff_spells_v n WHERE n.staff_id = s.staff_id AND n.cfsw
                                     AND n.employment = s.employment AND n.start_date BETWEEN s.end_date AND s.end_date + 1
                                     AND n.start_date > s.start_date) AS cont
                      FROM staff_spells_v s
                      WHERE s.cfsw AND s.leaving_reason = 'internal_move' AND s.employment <> 'unknown'
                        AND s.end_date > :after AND s.end_date <= :ref) m
                """;
        Map<String, Object> moved = db.sql(moves).bind("ref", ref).bind("after", ref.minusYears(1)).fetch().one().block();
        assertThat(reasonSeven).isEqualTo(((Number) moved.get("out_of_cfsw")).longValue());
        if (absenceLoaded) {
            assertThat(((Number) moved.get("within")).longValue()).as("the demo has moves between teams").isPositive();
        }

        // the return's workers are not placed in any team: the live data is as it was
        assertThat(one("SELECT string_agg(concat_ws(' ', staff_id, team_id, start_date, fte, end_date), ','"
                + " ORDER BY staff_id, team_id, start_date) FROM staff_spells")).isEqualTo(spellsBefore);
    }

    /** The census measure and the live indicator agree: value exactly, numerator within the rounding of the file. */
    private static void same(String name, Map<?, ?> measures, IndicatorValue live, double numeratorTolerance) {
        Map<?, ?> measure = (Map<?, ?>) measures.get(name);
        assertThat(live).as(name + " live").isNotNull();
        assertThat(number(measure.get("numerator"))).as(name + " numerator").isCloseTo(live.numerator(), within(numeratorTolerance));
        assertThat(number(measure.get("denominator"))).as(name + " denominator")
                .isCloseTo(live.denominator(), within(numeratorTolerance + 0.000001));
        Double expected = live.denominator() == 0 ? null
                : BigDecimal.valueOf(100 * live.numerator() / live.denominator()).setScale(1, java.math.RoundingMode.HALF_UP).doubleValue();
        Object value = measure.get("value");
        assertThat(value == null ? null : number(value)).as(name + " value").isEqualTo(expected);
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }
}
