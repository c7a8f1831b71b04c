package org.workforcewatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

/** What a request is, for the audit, is read from the path the handlers match, however the path was written. */
class AuditActionTest {

    private static String action(HttpMethod method, String rawPath) {
        return AuditFilter.action(method, AuditFilter.matched(PathContainer.parsePath(rawPath)));
    }

    @Test
    void aPercentEncodedLetterDoesNotTakeAPersonLevelViewPastTheAudit() {
        assertThat(action(HttpMethod.GET, "/api/returns/censu%73")).isEqualTo("person_export");
        assertThat(action(HttpMethod.GET, "/api/returns/agenc%79")).isEqualTo("agency_return");
        assertThat(action(HttpMethod.GET, "/api/agenc%79/assignments")).isEqualTo("person_view");
        assertThat(action(HttpMethod.GET, "/api/teams/T01/worker%73")).isEqualTo("person_view");
    }

    @Test
    void matrixParametersAreNotPartOfThePathMatched() {
        assertThat(action(HttpMethod.GET, "/api/returns/census;x=1")).isEqualTo("person_export");
        assertThat(action(HttpMethod.GET, "/api/data-quality;a=b")).isEqualTo("person_view");
    }

    @Test
    void anAggregateReadIsNotAudited() {
        assertThat(action(HttpMethod.GET, "/api/indicators")).isNull();
        assertThat(action(HttpMethod.GET, "/api/indicator%73")).isNull();
    }
}
