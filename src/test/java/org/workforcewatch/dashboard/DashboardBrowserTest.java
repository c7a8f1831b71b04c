package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.workforcewatch.ApiTest;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorEngine;

/**
 * The dashboard in a real headless Chromium against the whole service with the demo authority: the figures it
 * shows are the API's, drill-down and deep links work, it is usable at phone and laptop widths and by keyboard,
 * and a live event turns a tile without a reload. One browser and one load of the demo serve every check (the
 * database is emptied before each test method, and loading the demo with its five years of history is the slow
 * part), so the checks run in order as the steps of one test, the one that changes the data last.
 */
class DashboardBrowserTest extends InChromium {

    private static final Set<String> NOT_SOCIAL_WORKERS = Set.of("personal_adviser", "family_support", "other");

    @Autowired
    private ApplicationContext context;

    @Autowired
    private IndicatorEngine engine;

    @Autowired
    private Clock clock;

    @TestFactory
    Stream<DynamicTest> theDashboardWithTheDemoAuthority() {
        DemoData.load(context);
        awaitHistory();
        return Stream.of(
                step("a team's address asks a head of service to sign in, then opens that team with its people's chart", this::signIn),
                step("the authority page shows every indicator as the API answers it", this::authorityPage),
                step("the authority page names the teams at risk in the API's order, its filters narrow them, and its teams by"
                        + " indicator table shows each team's RAG", this::teamsAtRisk),
                step("drilling down to a team shows its figures without reloading, and survives a reload", this::drillDown),
                step("a team's address, as an alert links it, opens that team; an unknown team says not found", this::deepLink),
                step("a chart with nothing to show says why in its box", this::missingChart),
                step("the outlook says in words whether the authority will be short of social work FTE, as the forecast answers",
                        this::outlookGap),
                step("the outlook gives the authority's forecast by the methods its backtest chose, as the forecast answers",
                        this::outlookRefereed),
                step("the keyboard reaches the first service link with visible focus, and Enter opens it", this::keyboard),
                step("phone and laptop widths render without horizontal scrolling, with readable badges", this::widths),
                step("an event pushing a team over its caseload threshold turns the tile red within 5 s without a reload", this::live),
                step("signing out, then in as a viewer, shows the team without its people's chart", this::viewer));
    }

    /**
     * Waits until the monthly history behind the demo is computed: the trend arrows and SPC verdicts come from
     * it, and while it is being computed the indicators wait for it.
     */
    private void awaitHistory() {
        List<LocalDate> history = engine.historyDates(LocalDate.now(clock)).block();
        await("the monthly history").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> engine.allStored(history).block());
    }

    private void authorityPage() {
        open("/");
        waitForScope("authority", "authority");

        List<Map<String, Object>> api = indicators("level=authority");
        assertThat(api).hasSize(Indicator.values().length);
        assertTilesMatch(api);

        // trend arrows against the last month end, as the API answers it
        LocalDate asOf = LocalDate.parse((String) body("/api/indicators?level=authority").get("as_of"));
        LocalDate lastMonthEnd = asOf.withDayOfMonth(1).minusDays(1);
        Map<String, Map<String, Object>> before = indicators("level=authority&as_of=" + lastMonthEnd).stream()
                .collect(Collectors.toMap(e -> (String) e.get("indicator"), e -> e));
        await("trend arrows").atMost(READY).untilAsserted(() -> {
            for (Map<String, Object> entry : api) {
                String id = (String) entry.get("indicator");
                assertThat(attribute(".tile[data-indicator='" + id + "'] .tile-trend", "data-trend")).as(id)
                        .isEqualTo(expectedTrend(id, number(entry.get("value")), before.containsKey(id) ? number(before.get(id).get("value")) : null));
            }
        });

        // each tile shows the SPC verdict the API gives
        Map<String, Object> spc = body("/api/spc?level=authority");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> verdicts = (Map<String, Map<String, Object>>) spc.get("indicators");
        assertThat(verdicts).isNotEmpty();
        await("SPC verdicts").atMost(READY).untilAsserted(() -> verdicts.forEach((id, verdict) ->
                assertThat(attribute(".tile[data-indicator='" + id + "']", "data-spc")).as(id).isEqualTo(verdict.get("variation"))));

        // the benchmark of each published measure is on its tile
        for (Map<String, Object> entry : api) {
            @SuppressWarnings("unchecked")
            Map<String, Object> benchmark = (Map<String, Object>) entry.get("benchmark");
            if (benchmark != null && benchmark.get("england") != null) {
                String text = tile((String) entry.get("indicator")).findElement(By.cssSelector(".tile-compare")).getText();
                assertThat(text).contains("England " + oneDecimal(number(benchmark.get("england"))));
            }
        }
    }

    private void teamsAtRisk() {
        open("/");
        waitForScope("authority", "authority");
        List<String> all = teamsAtRisk("");
        assertThat(all).as("the demo has more teams at risk than the page shows at first").hasSizeGreaterThan(6);
        // no flat list of every team, service and authority risk: the service and authority risks that add to the teams' follow them
        assertThat(browser.driver.findElement(By.id("team-risks")).isDisplayed()).as("a flat list of every risk").isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("#risks tr"))).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> wider = (List<Map<String, Object>>) body("/api/risks?group=team").get("wider");
        assertThat(wider).as("the demo has service or authority risks that no team shows as badly").isNotEmpty();
        assertThat(browser.driver.findElement(By.id("at-risk-wider")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElements(By.cssSelector("#at-risk-wider-list li")).stream()
                .map(li -> li.getAttribute("data-indicator") + " " + li.getAttribute("data-severity")).toList())
                .isEqualTo(wider.stream().map(r -> r.get("indicator") + " " + r.get("severity")).toList());
        assertThat(browser.driver.findElement(By.id("at-risk-wider-list")).getText())
                .contains(wider.stream().filter(r -> "service".equals(r.get("level"))).map(r -> r.get("scope") + ": ").toList());
        // the worst first, the rest a button away
        assertThat(shownTeamsAtRisk()).isEqualTo(all.subList(0, Math.min(6, all.size())));
        browser.driver.findElement(By.id("at-risk-more")).click();
        await("teams at risk").atMost(READY).untilAsserted(() -> assertThat(shownTeamsAtRisk()).isEqualTo(all));
        assertThat(browser.js("return document.activeElement.closest('li')?.dataset.team")).as("focus on the first team revealed")
                .isEqualTo(all.get(6));
        // named, linked to their page, with their red and amber indicators in words
        @SuppressWarnings("unchecked")
        Map<String, Object> worst = ((List<Map<String, Object>>) body("/api/risks?group=team").get("teams")).get(0);
        WebElement first = browser.driver.findElement(By.cssSelector("#at-risk-list li[data-team='" + worst.get("team") + "']"));
        assertThat(first.findElement(By.cssSelector("a")).getText()).contains((String) worst.get("team_name"));
        assertThat(first.findElement(By.cssSelector("a")).getAttribute("href")).endsWith("/teams/" + worst.get("team"));
        assertThat(first.getText()).contains(worst.get("severity").equals("red") ? "Red" : "Amber");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> itsRisks = (List<Map<String, Object>>) worst.get("risks");
        assertThat(first.findElements(By.cssSelector(".at-risk-indicator"))).hasSize(itsRisks.size());

        // the filters narrow the list as the API does, and stay in the address
        browser.js("const s = document.getElementById('at-risk-severity'); s.value = 'red'; s.dispatchEvent(new Event('change'))");
        List<String> red = teamsAtRisk("&severity=red");
        await("red only").atMost(READY).untilAsserted(() -> assertThat(shownTeamsAtRisk()).isEqualTo(red));
        assertThat(browser.driver.getCurrentUrl()).contains("risk_severity=red");
        browser.js("const s = document.getElementById('at-risk-service'); s.value = 'Safeguarding'; s.dispatchEvent(new Event('change'))");
        List<String> redSafeguarding = teamsAtRisk("&severity=red&service=Safeguarding");
        await("red in Safeguarding").atMost(READY).untilAsserted(() -> assertThat(shownTeamsAtRisk()).isEqualTo(redSafeguarding));
        browser.js("const s = document.getElementById('at-risk-indicator'); s.value = 'caseload_per_fte'; s.dispatchEvent(new Event('change'))");
        List<String> caseloads = teamsAtRisk("&severity=red&service=Safeguarding&indicator=caseload_per_fte");
        await("red caseloads in Safeguarding").atMost(READY).untilAsserted(() -> assertThat(shownTeamsAtRisk()).isEqualTo(caseloads));

        // teams in rows, indicators in columns, each cell the API's RAG for that team; headers for assistive technology
        @SuppressWarnings("unchecked")
        Map<String, Object> cells = (Map<String, Object>) browser.js("return Object.fromEntries([...document.querySelectorAll('#matrix-rows td')]"
                + ".map((td) => [td.closest('tr').dataset.team + '|' + td.dataset.indicator, td.dataset.severity]))");
        int checked = 0;
        for (Map<String, Object> e : teamIndicatorsAll()) {
            if (e.get("value") != null) {
                assertThat(cells.get(e.get("scope") + "|" + e.get("indicator"))).as(e.get("scope") + " " + e.get("indicator"))
                        .isEqualTo(e.get("severity"));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(browser.driver.findElements(By.cssSelector("#matrix-rows th[scope='row'] a"))).hasSize(
                browser.driver.findElements(By.cssSelector("#matrix-rows tr")).size());
        assertThat(browser.driver.findElements(By.cssSelector("#matrix-head th[scope='col']")).size()).isGreaterThan(10);
        assertThat(browser.driver.findElement(By.cssSelector(".matrix-wrap")).getAttribute("tabindex")).isEqualTo("0");

        // a service's page: its own teams at risk, and its teams in the table
        open("/services/Safeguarding");
        waitForScope("service", "Safeguarding");
        List<String> safeguarding = teamsAtRisk("&service=Safeguarding");
        browser.js("const b = document.getElementById('at-risk-more'); if (!b.hidden) b.click()");
        await("Safeguarding's teams at risk").atMost(READY).untilAsserted(() -> assertThat(shownTeamsAtRisk()).isEqualTo(safeguarding));
        assertThat(browser.driver.findElement(By.id("at-risk-service")).isDisplayed()).as("the service is the page's own").isFalse();
        assertThat(browser.driver.findElement(By.id("team-risks")).isDisplayed()).as("a flat list of the service's risks").isFalse();
        long teams = teamIndicatorsAll().stream().filter(e -> "Safeguarding".equals(e.get("service"))).map(e -> e.get("scope")).distinct().count();
        assertThat(browser.driver.findElements(By.cssSelector("#matrix-rows tr"))).hasSize((int) teams);
    }

    /** The team ids GET /api/risks?group=team lists, in its order, for these filters. */
    @SuppressWarnings("unchecked")
    private List<String> teamsAtRisk(String filters) {
        return ((List<Map<String, Object>>) body("/api/risks?group=team" + filters).get("teams")).stream()
                .map(t -> (String) t.get("team")).toList();
    }

    /** The teams the list shows, read in one script so that a redraw of the list cannot come between two reads. */
    @SuppressWarnings("unchecked")
    private List<String> shownTeamsAtRisk() {
        return (List<String>) browser.js("return [...document.querySelectorAll('#at-risk-list li.at-risk-team')].map((li) => li.dataset.team)");
    }

    private void drillDown() {
        open("/");
        waitForScope("authority", "authority");
        browser.js("window.sameDocument = true");

        browser.driver.findElement(By.cssSelector("#drill-list li[data-scope='Safeguarding'] a")).click();
        waitForScope("service", "Safeguarding");
        assertThat(browser.driver.getCurrentUrl()).contains("/services/Safeguarding");
        assertTilesMatch(indicators("level=service").stream().filter(e -> "Safeguarding".equals(e.get("scope"))).toList());

        WebElement team = browser.driver.findElement(By.cssSelector("#drill-list .drill-item a"));
        String teamId = team.findElement(By.xpath("ancestor::li")).getAttribute("data-scope");
        team.click();
        waitForScope("team", teamId);
        assertThat(browser.driver.getCurrentUrl()).contains("/teams/" + teamId);
        assertThat(browser.js("return window.sameDocument === true")).as("navigated without reloading the page").isEqualTo(true);
        assertThat(browser.driver.findElement(By.id("breadcrumbs")).getText()).contains("Safeguarding");
        assertTilesMatch(teamIndicators(teamId));

        browser.driver.navigate().refresh();
        waitForScope("team", teamId);
        assertThat(browser.js("return window.sameDocument === undefined")).as("the reload happened").isEqualTo(true);
        assertThat(browser.driver.getCurrentUrl()).contains("/teams/" + teamId);
        assertTilesMatch(teamIndicators(teamId));
    }

    private void deepLink() {
        String name = (String) body("/api/teams/T07/workers").get("team_name");
        open("/teams/T07");
        waitForScope("team", "T07");
        assertThat(browser.driver.findElement(By.id("title")).getText()).isEqualTo(name);
        assertTilesMatch(teamIndicators("T07"));
        // a team's page lists the team's own risks, and only those
        assertThat(browser.driver.findElement(By.id("team-risks")).isDisplayed()).isTrue();
        @SuppressWarnings("unchecked")
        long own = ((List<Map<String, Object>>) body("/api/risks").get("risks")).stream()
                .filter(r -> "team".equals(r.get("level")) && "T07".equals(r.get("scope"))).count();
        assertThat(browser.driver.findElements(By.cssSelector("#risks tr"))).hasSize((int) Math.min(own, 10)).allSatisfy(row ->
                assertThat(row.getAttribute("data-scope")).isEqualTo("T07"));

        web.get().uri("/teams/T99").exchange().expectStatus().isNotFound();
        open("/teams/T99");
        await("not found").atMost(READY).until(() -> browser.driver.findElement(By.id("title")).getText(), t -> t.contains("not found"));
        assertThat(browser.driver.findElement(By.id("not-found")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("not-found-text")).getText()).contains("T99");
        assertThat(browser.driver.findElement(By.id("content")).isDisplayed()).isFalse();
    }

    private void missingChart() {
        // the first team (by id) without a caseload per FTE to project: its outlook chart answers a problem saying why
        String team = null;
        for (String t : indicators("level=team").stream().map(v -> (String) v.get("scope")).distinct().sorted().toList()) {
            if (web.get().uri("/api/charts/forecast.png?measure=caseload_per_fte&level=team&scope=" + t).exchange()
                    .returnResult(byte[].class).getStatus().value() == 404) {
                team = t;
                break;
            }
        }
        assertThat(team).as("a demo team without a caseload per FTE to project").isNotNull();
        open("/teams/" + team);
        waitForScope("team", team);
        WebElement figure = await("the caseload outlook's box").atMost(READY)
                .until(() -> browser.driver.findElements(By.cssSelector("[data-chart='outlook-caseload_per_fte']")), l -> !l.isEmpty())
                .get(0);
        var answer = web.get().uri(figure.getAttribute("data-src")).exchange().expectStatus().isNotFound()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        String expected = "Chart not available: " + answer.get("detail");
        // charts load lazily: bring the box into view
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView()", figure);
        await("the reason in the chart's box").atMost(READY).until(figure::getText, text -> text.contains(expected));
    }

    @SuppressWarnings("unchecked")
    private void outlookGap() {
        open("/");
        waitForScope("authority", "authority");
        // the page asks for the same projection: the same question gets the same runs
        List<Map<String, Object>> months = (List<Map<String, Object>>) body("/api/forecast?level=authority&months=12").get("months");
        WebElement row = await("the outlook's gap row").atMost(READY).until(() -> browser.driver.findElements(
                        By.xpath("//tbody[@id='outlook-rows']/tr[th[starts-with(., 'Social work FTE gap')]]")), l -> !l.isEmpty())
                .get(0);
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells).hasSize(2);
        for (int i = 0; i < 2; i++) {
            double median = number(((Map<String, Object>) months.get(i == 0 ? 5 : 11).get("fte_gap")).get("p50"));
            String words = median > 0 ? "short by " + jsNumber(median) + " FTE" : median < 0 ? "covered, " + jsNumber(-median)
                    + " FTE to spare" : "exactly covered";
            assertThat(cells.get(i).getText()).startsWith(words + " (");
        }
        assertThat(browser.driver.findElements(By.cssSelector("[data-chart='outlook-fte_needed']"))).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private void outlookRefereed() {
        open("/");
        waitForScope("authority", "authority");
        // the first forecast of the day may say its backtest is being computed: the page asks again until it is there
        WebElement first = await("the refereed forecast in the outlook").atMost(java.time.Duration.ofMinutes(2)).until(
                () -> browser.driver.findElements(By.cssSelector("#outlook-refereed li")), l -> l.size() == 3).get(0);
        Map<String, Object> fte = ((List<Map<String, Object>>) body("/api/forecast?level=authority&months=12").get("refereed")).get(0);
        assertThat(fte.get("measure")).isEqualTo("fte");
        Map<String, Object> sixth = ((List<Map<String, Object>>) fte.get("months")).get(5);
        String method = Map.of("naive", "no change", "ets", "exponential smoothing", "simulation", "the simulation",
                "combination", "a combination weighted by past skill").get((String) sixth.get("method"));
        assertThat(first.getText()).startsWith("FTE in post: " + jsNumber(number(sixth.get("p50"))) + " ("
                + jsNumber(number(sixth.get("p10"))) + "–" + jsNumber(number(sixth.get("p90"))) + ") in 6 months by " + method);
    }

    /** A number as the dashboard writes it: whole numbers as they are, others to one decimal. */
    private static String jsNumber(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.format(java.util.Locale.ROOT, "%.1f", Math.round(x * 10) / 10.0);
    }

    private void live() {
        Map<String, Object> entry = teamIndicatorsAll().stream()
                .filter(e -> "caseload_per_fte".equals(e.get("indicator")) && "ok".equals(e.get("severity")))
                .filter(e -> ((Number) e.get("denominator")).doubleValue() > 0)
                .findFirst().orElseThrow(() -> new AssertionError("the demo has no team whose caseload is ok"));
        String teamId = (String) entry.get("scope");
        double children = ((Number) entry.get("numerator")).doubleValue();
        double fte = ((Number) entry.get("denominator")).doubleValue();
        double red = ((Number) entry.get("red")).doubleValue();
        int extra = (int) Math.ceil(red * fte - children) + 1;
        String worker = caseHoldingSocialWorker(teamId);

        open("/teams/" + teamId);
        waitForScope("team", teamId);
        assertThat(attribute(".tile[data-indicator='caseload_per_fte']", "data-severity")).isEqualTo("ok");
        browser.js("window.sameDocument = true");
        await("live connection").atMost(READY).until(() -> attribute("#live", "data-state"), "live"::equals);

        LocalDate today = LocalDate.now(clock);
        StringBuilder events = new StringBuilder();
        for (int c = 1; c <= extra; c++) {
            events.append("{\"type\":\"allocation_started\",\"occurred_at\":\"").append(today).append("T09:00:00Z\",\"event_id\":\"live-")
                    .append(c).append("\",\"allocation_id\":\"LIVE").append(c).append("\",\"child_id\":\"LIVE-C").append(c)
                    .append("\",\"staff_id\":\"").append(worker).append("\",\"case_type\":\"cin\",\"start_date\":\"").append(today)
                    .append("\"}\n");
        }
        web.post().uri("/api/events").contentType(MediaType.parseMediaType("application/x-ndjson")).bodyValue(events.toString())
                .exchange().expectStatus().isOk();
        long posted = System.nanoTime();

        await("the caseload tile turning red").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> attribute(".tile[data-indicator='caseload_per_fte']", "data-severity"), "red"::equals);
        System.out.printf("caseload tile of %s turned red %d ms after the events were accepted%n", teamId,
                Duration.ofNanos(System.nanoTime() - posted).toMillis());

        assertThat(browser.js("return window.sameDocument === true")).as("the page was not reloaded").isEqualTo(true);
        double shown = Double.parseDouble(attribute(".tile[data-indicator='caseload_per_fte'] [data-value]", "data-value"));
        assertThat(shown).isGreaterThanOrEqualTo(red).isCloseTo((children + extra) / fte, Offset.offset(1e-9));
        assertThat(browser.driver.findElement(By.id("announcer")).getAttribute("textContent")).contains("Caseload per FTE").contains("Red");
        await("the new risk listed").atMost(Duration.ofSeconds(5)).until(() -> browser.driver
                .findElements(By.cssSelector("#risks tr[data-indicator='caseload_per_fte'][data-severity='red']")).size(), n -> n == 1);
    }

    private void widths() {
        for (int[] size : new int[][] {{390, 844}, {1280, 800}}) {
            browser.resize(size[0], size[1]);
            for (String[] page : new String[][] {{"/", "authority", "authority"}, {"/teams/T07", "team", "T07"}}) {
                open(page[0]);
                waitForScope(page[1], page[2]);
                browser.loadLazyImages();
                assertThat(((Number) browser.js("return window.innerWidth")).intValue()).isEqualTo(size[0]);
                long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
                assertThat(scrollWidth).as("page %s at %d px scrolls sideways", page[0], size[0]).isLessThanOrEqualTo(size[0]);

                Path file = SCREENSHOTS.resolve(page[1] + "-" + size[0] + ".png");
                browser.screenshot(file);
                BufferedImage image = read(file);
                assertThat(image.getWidth()).isEqualTo(size[0]);
                assertThat(image.getHeight()).isGreaterThanOrEqualTo(size[1]);

                // WCAG AA: the words on every RAG badge, trend and note against their own background
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> contrasts = (List<Map<String, Object>>) browser.js(CONTRAST);
                assertThat(contrasts).isNotEmpty().allSatisfy(c ->
                        assertThat(((Number) c.get("ratio")).doubleValue()).as(String.valueOf(c)).isGreaterThanOrEqualTo(4.5));
            }
        }
    }

    private void signIn() {
        open("/teams/T01");
        await("the sign-in page").atMost(READY).until(() -> browser.driver.getCurrentUrl().contains("/login"));
        assertThat(browser.driver.findElement(By.cssSelector(".sign-in")).getText()).contains("synthetic demo authority");
        signInAs("/teams/T01", "head");
        waitForScope("team", "T01");
        // the demo says it is synthetic in the header and the footer of every page, and is never named after a real council
        for (String id : List.of("demo-notice", "demo-footer")) {
            WebElement notice = browser.driver.findElement(By.id(id));
            assertThat(notice.isDisplayed()).as(id).isTrue();
            assertThat(notice.getText()).as(id).contains("synthetic demo authority").contains("Cambridgeshire's published figures");
        }
        assertThat(browser.driver.findElement(By.id("authority-name")).getText()).startsWith("Northbridge (synthetic demo)");
        assertThat(browser.driver.getCurrentUrl()).as("back where the link pointed").contains("/teams/T01");
        await("the account").atMost(READY).until(() -> browser.driver.findElement(By.id("account-name")).getText(),
                name -> name.equals("head (head of service)"));
        await("the caseload chart").atMost(READY).until(() -> !browser.driver.findElements(By.cssSelector("[data-chart='caseloads']")).isEmpty());
    }

    private void viewer() {
        open("/");
        waitForScope("authority", "authority");
        await("the account shown").atMost(READY).until(() -> browser.driver.findElement(By.cssSelector(".account-sign-out")).isDisplayed());
        browser.driver.findElement(By.cssSelector(".account-sign-out")).click();
        await("signed out").atMost(READY).until(() -> browser.driver.getCurrentUrl().endsWith("/login?signed-out"));
        signInAs("/teams/T01", "viewer");
        waitForScope("team", "T01");
        await("the account").atMost(READY).until(() -> browser.driver.findElement(By.id("account-name")).getText(),
                name -> name.equals("viewer (viewer)"));
        // the charts are drawn in the same pass as the tiles: the composition chart is there, the people's chart is not
        assertThat(browser.driver.findElements(By.cssSelector("[data-chart='composition']"))).isNotEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("[data-chart='caseloads']"))).isEmpty();
    }

    private void keyboard() {
        open("/");
        waitForScope("authority", "authority");
        WebElement first = browser.driver.findElement(By.cssSelector("#drill-list .drill-link"));
        String service = first.findElement(By.xpath("ancestor::li")).getAttribute("data-scope");

        new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        assertThat(browser.js("return document.activeElement.className")).as("the skip link comes first").isEqualTo("skip-link");
        int presses = 1;
        while (!first.equals(browser.driver.switchTo().activeElement()) && presses < 15) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            presses++;
        }
        assertThat(browser.driver.switchTo().activeElement()).as("focus after %d tabs", presses).isEqualTo(first);
        assertThat(browser.js("return getComputedStyle(arguments[0].closest('li')).outlineStyle", first)).as("visible focus").isEqualTo("solid");

        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        waitForScope("service", service);
        assertThat(browser.driver.findElement(By.id("title")).getText()).isEqualTo(service);
    }

    // ------------------------------------------------------------------ helpers

    /** Each badge's text colour against its background, and each tile's words against white. */
    private static final String CONTRAST = """
            const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                                 return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
            const background = (node) => { for (let n = node; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor;
                                            if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
            return [...document.querySelectorAll('.badge, .trend, .tile-basis, .tile-thresholds, .spc, .drill-note, .hint, .subtitle, .risks .muted, .risk-finding, .freshness summary, .live-text')].map((n) => ({
                what: n.className + ' ' + n.textContent.trim().slice(0, 30),
                ratio: ratio(getComputedStyle(n).color, background(n)) }));
            """;

    /** Waits until the page shows this scope, its tiles filled; says what the page reported if it does not. */
    private void waitForScope(String level, String scope) {
        try {
            await("the page for " + level + " " + scope).atMost(READY).pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.js("return document.body.dataset.ready === 'true'"
                            + " && document.getElementById('tiles').dataset.scope === arguments[0]"
                            + " && document.querySelectorAll('#tiles .tile').length > 0", level + "|" + scope), Boolean.TRUE::equals);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the page did not show " + level + " " + scope + "; it shows \""
                    + browser.js("return document.getElementById('title').textContent + ' / ' + document.getElementById('subtitle').textContent")
                    + "\"; its console:\n" + browser.console() + "requests answered:\n"
                    + browser.js("return performance.getEntriesByType('resource').map((r) => r.name).join('\\n')"), e);
        }
    }

    private String attribute(String css, String name) {
        return browser.driver.findElement(By.cssSelector(css)).getAttribute(name);
    }

    private WebElement tile(String indicator) {
        return browser.driver.findElement(By.cssSelector(".tile[data-indicator='" + indicator + "']"));
    }

    /** One tile per API entry, each with its value (the same number), its text, and its severity; no other tiles. */
    private void assertTilesMatch(List<Map<String, Object>> entries) {
        assertThat(entries).isNotEmpty();
        List<WebElement> tiles = browser.driver.findElements(By.cssSelector("#tiles .tile"));
        assertThat(tiles).extracting(t -> t.getAttribute("data-indicator"))
                .containsExactlyInAnyOrderElementsOf(entries.stream().map(e -> (String) e.get("indicator")).toList());
        Map<String, WebElement> byIndicator = new HashMap<>();
        tiles.forEach(t -> byIndicator.put(t.getAttribute("data-indicator"), t));
        for (Map<String, Object> entry : entries) {
            String id = (String) entry.get("indicator");
            WebElement tile = byIndicator.get(id);
            Double value = number(entry.get("value"));
            WebElement shown = tile.findElement(By.cssSelector("[data-value]"));
            if (value == null) {
                assertThat(shown.getAttribute("data-value")).as(id).isEmpty();
                assertThat(tile.getAttribute("data-severity")).as(id).isEqualTo("none");
            } else {
                assertThat(Double.parseDouble(shown.getAttribute("data-value"))).as(id).isEqualTo(value);
                assertThat(shown.getText()).as(id).isEqualTo(formatted(Indicator.byId(id).orElseThrow(), value));
                assertThat(tile.getAttribute("data-severity")).as(id).isEqualTo(entry.get("severity"));
                assertThat(tile.findElement(By.cssSelector(".badge")).getText()).as(id)
                        .isEqualTo(Map.of("red", "Red", "amber", "Amber", "ok", "Green").get(entry.get("severity")));
            }
        }
    }

    /** As the page shows a value: one decimal place, counts as whole numbers (rounding the exact binary value half up, as toFixed does). */
    private static String formatted(Indicator indicator, double value) {
        int places = indicator.unit() == Indicator.Unit.COUNT && value == Math.rint(value) ? 0 : 1;
        return new BigDecimal(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }

    private static BufferedImage read(Path png) {
        try {
            return ImageIO.read(png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Double number(Object json) {
        return json == null ? null : ((Number) json).doubleValue();
    }

    private static String oneDecimal(double value) {
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static String expectedTrend(String id, Double now, Double before) {
        if (now == null || before == null) {
            return "none";
        }
        Indicator indicator = Indicator.byId(id).orElseThrow();
        int cmp = new BigDecimal(formatted(indicator, now)).compareTo(new BigDecimal(formatted(indicator, before)));
        return cmp > 0 ? "up" : cmp < 0 ? "down" : "same";
    }

    private Map<String, Object> body(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> indicators(String query) {
        return (List<Map<String, Object>>) body("/api/indicators?" + query).get("indicators");
    }

    private List<Map<String, Object>> teamIndicatorsAll() {
        return indicators("level=team");
    }

    private List<Map<String, Object>> teamIndicators(String teamId) {
        return teamIndicatorsAll().stream().filter(e -> teamId.equals(e.get("scope"))).toList();
    }

    /** A case-holding children and family social worker in post in the team: new cases of theirs count in its caseload. */
    @SuppressWarnings("unchecked")
    private String caseHoldingSocialWorker(String teamId) {
        List<Map<String, Object>> workers = (List<Map<String, Object>>) body("/api/teams/" + teamId + "/workers").get("workers");
        return workers.stream()
                .filter(w -> Boolean.TRUE.equals(w.get("case_holding")) && !NOT_SOCIAL_WORKERS.contains(w.get("role")))
                .map(w -> (String) w.get("staff_id")).findFirst()
                .orElseThrow(() -> new AssertionError("team " + teamId + " has no case-holding social worker"));
    }
}
