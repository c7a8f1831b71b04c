package org.workforcewatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.workforcewatch.ApiTest;
import org.workforcewatch.WorkforceWatchApplication;
import org.workforcewatch.ingest.ImportReceipt;
import org.workforcewatch.ingest.csv.Importer;
import reactor.core.publisher.Flux;

/**
 * The demo users (password "demo", admin among them) exist only while the database holds the demo authority this
 * service loaded and nothing else, and not on a database the service was pointed at unless that is asked for. Here
 * the demo is enabled and the configured (real) user is j.smith, an HR officer, so that admin is only ever the demo's.
 */
class DemoUsersTest extends ApiTest {

    private static final String REAL = "j.smith";
    private static final String REAL_PASSWORD = "not-the-demo";

    @DynamicPropertySource
    static void demoEnabledWithOneRealUser(DynamicPropertyRegistry registry) {
        registry.add("workforce.demo.enabled", () -> "true");
        // the suite also runs against a PostgreSQL given by WORKFORCE_DATABASE_URL: there the demo users need asking for
        String external = System.getenv("WORKFORCE_DATABASE_URL");
        registry.add("workforce.demo.on-external-database", () -> String.valueOf(external != null && !external.isBlank()));
        realUser().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The configured users replaced by one HR officer (a list set here replaces the test users of config/application.yml). */
    private static java.util.Map<String, String> realUser() {
        return java.util.Map.of("workforce.security.users[0].username", REAL,
                "workforce.security.users[0].password", "{noop}" + REAL_PASSWORD,
                "workforce.security.users[0].roles[0]", "hr");
    }

    @Autowired
    private DemoLoader loader;

    @Autowired
    private Importer importer;

    @Autowired
    private Environment environment;

    private WebTestClient signedIn(WebTestClient client, String user, String password) {
        return client.mutate().defaultHeaders(h -> h.setBasicAuth(user, password)).build();
    }

    private WebTestClient demo(String user) {
        return signedIn(anonymous(), user, "demo");
    }

    private WebTestClient real() {
        return signedIn(anonymous(), REAL, REAL_PASSWORD);
    }

    /** A small authority loaded the way the demo loader loads its files. */
    private void smallDemo() {
        demoFile("teams", "team_id,team_name,service,team_type\nT01,Assessment North,Front Door,assessment\n");
        demoFile("staff", "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,"
                + "agency_name,agency_hourly_rate\nS1,T01,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n");
        awaitIndicatorsCurrent();
    }

    private void demoFile(String dataset, String csv) {
        ImportReceipt receipt = importer.importDemoCsv(dataset, Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                csv.getBytes(StandardCharsets.UTF_8))), "demo/" + dataset + ".csv").block(Duration.ofMinutes(1));
        assertThat(receipt.status()).isEqualTo("succeeded");
    }

    @Test
    void theDemoUsersSignInOnTheFreshDemoAndEndTheMomentARealUserImportsAFile() {
        List<ImportReceipt> receipts = loader.loadIfEmpty().block(Duration.ofMinutes(5));
        assertThat(receipts).isNotEmpty().allMatch(r -> r.status().equals("succeeded"));

        demo("admin").get().uri("/api/me").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("admin").jsonPath("$.roles[0]").isEqualTo("admin");
        demo("viewer").get().uri("/api/indicators?level=authority").exchange().expectStatus().isOk();
        // the configured user a configured password, not the demo's
        real().get().uri("/api/me").exchange().expectStatus().isOk();
        signedIn(anonymous(), REAL, "demo").get().uri("/api/me").exchange().expectStatus().isUnauthorized();

        real().post().uri("/api/imports/teams?extract=partial").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("team_id,team_name,service,team_type\nT99,Our own team,Our service,assessment\n")
                .exchange().expectStatus().isCreated();

        // at once: admin's credentials were just accepted (and are remembered a few minutes), head's never were
        demo("admin").get().uri("/api/me").exchange().expectStatus().isUnauthorized().expectBody()
                .jsonPath("$.type").isEqualTo("https://workforcewatch.org/problems/not-signed-in");
        demo("head").get().uri("/api/me").exchange().expectStatus().isUnauthorized();
        demo("viewer").get().uri("/api/indicators?level=authority").exchange().expectStatus().isUnauthorized();
        demo("admin").get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        real().get().uri("/api/me").exchange().expectStatus().isOk();
    }

    @Test
    void aLiveEventFromARealSystemEndsTheDemoUsersToo() {
        smallDemo();
        demo("hr").get().uri("/api/imports").exchange().expectStatus().isOk();

        real().post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\": \"supervision_recorded\", \"occurred_at\": \"" + LocalDate.now() + "T09:00:00Z\","
                        + " \"staff_id\": \"S1\", \"supervision_date\": \"" + LocalDate.now() + "\", \"kind\": \"reflective\"}")
                .exchange().expectStatus().is2xxSuccessful();

        demo("hr").get().uri("/api/imports").exchange().expectStatus().isUnauthorized();
        demo("admin").get().uri("/api/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aFileARealUserImportsBeforeTheDemoKeepsTheDemoUsersOff() {
        real().post().uri("/api/imports/benchmarks").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("not,a,benchmarks,file\n").exchange().expectStatus().isEqualTo(422);
        // a refused file changes nothing: still no data at all, so no demo and no demo users
        demo("admin").get().uri("/api/me").exchange().expectStatus().isUnauthorized();
        real().post().uri("/api/imports/teams").contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("team_id,team_name,service,team_type\nT99,Our own team,Our service,assessment\n")
                .exchange().expectStatus().isCreated();
        demoFile("staff", "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,"
                + "agency_name,agency_hourly_rate\nS1,T99,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n");
        awaitIndicatorsCurrent();

        demo("admin").get().uri("/api/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void onADatabaseTheServiceWasPointedAtTheDemoUsersAreOffUnlessTurnedOn() {
        smallDemo();
        List<String> pointedAt = new ArrayList<>(List.of("--server.port=0", "--workforce.demo.enabled=true",
                "--workforce.database.url=" + environment.getProperty("spring.r2dbc.url"),
                "--workforce.database.username=" + environment.getProperty("spring.r2dbc.username")));
        String password = environment.getProperty("spring.r2dbc.password");
        if (password != null) {
            pointedAt.add("--workforce.database.password=" + password);
        }
        realUser().forEach((key, value) -> pointedAt.add("--" + key + "=" + value));

        try (ConfigurableApplicationContext external = start(pointedAt)) {
            WebTestClient client = client(external);
            signedIn(client, REAL, REAL_PASSWORD).get().uri("/api/me").exchange().expectStatus().isOk();
            signedIn(client, "admin", "demo").get().uri("/api/me").exchange().expectStatus().isUnauthorized();
        }

        pointedAt.add("--workforce.demo.on-external-database=true");
        try (ConfigurableApplicationContext asked = start(pointedAt)) {
            signedIn(client(asked), "admin", "demo").get().uri("/api/me").exchange().expectStatus().isOk();
        }
    }

    private static ConfigurableApplicationContext start(List<String> arguments) {
        // (its network threads are its own, as every context's here: see faults.Instance.OwnNetworkThreads)
        return new SpringApplicationBuilder(WorkforceWatchApplication.class).run(arguments.toArray(String[]::new));
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofMinutes(1)).build();
    }
}
