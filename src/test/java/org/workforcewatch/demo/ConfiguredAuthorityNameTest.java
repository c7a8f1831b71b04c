package org.workforcewatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import org.workforcewatch.ApiTest;

/** An authority named in the settings is a real one: its name wins over the demo's label, even over the demo's data. */
@TestPropertySource(properties = "workforce.authority.name=Fenland Council")
class ConfiguredAuthorityNameTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void theConfiguredNameIsShownAndNothingIsCalledSynthetic() {
        DemoData.load(context);

        Map<?, ?> authority = web.get().uri("/api/authority").exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(authority.get("name")).isEqualTo("Fenland Council");
        assertThat(authority.get("synthetic")).isEqualTo(false);
        assertThat(authority.get("area_code")).isEqualTo("E10000003");
        assertThat(authority.get("notice")).isNull();
        assertThat(anonymous().get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).doesNotContainIgnoringCase("synthetic");
    }
}
