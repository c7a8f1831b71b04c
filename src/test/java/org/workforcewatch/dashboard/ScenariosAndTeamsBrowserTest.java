package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.workforcewatch.ApiTest;

/**
 * The scenarios page, a team's workers, a team manager's landing and pinned teams, in a real headless Chromium
 * against the whole service with a small authority (two teams, five years of staffing, caseloads): one browser for
 * every step, the steps in order (the scenarios saved early are compared later).
 */
class ScenariosAndTeamsBrowserTest extends InChromium {

    private static final String FIRST = "Grow the front door";
    private static final String SECOND = "More demand";

    @TestFactory
    Stream<DynamicTest> scenariosWorkersLandingAndPins() {
        authority();
        return Stream.of(
                step("a viewer is refused the scenarios page and sees no workers on a team's page", this::viewer),
                step("a head of service builds and saves two scenarios, sees each beside the baseline as the API projects"
                        + " it, is told what to fix before saving and what the server refused, and compares the two", this::scenarios),
                step("a team's workers sort by caseload both ways, the workers over the limit are those the API says,"
                        + " and agency detail is shown only to HR", this::workers),
                step("a team manager opening the authority lands on their team, and sees no workers of another", this::landing),
                step("a pinned team is in the menu after a reload, and unpinning takes it out", this::pins),
                step("at 1280 and 390 px the scenarios and team pages fit without sideways scrolling", this::widths));
    }

    /** Two teams in two services, with five years of staffing (the forecast reads the last 24 months) and caseloads in T01. */
    private void authority() {
        upload("teams", """
                team_id,team_name,service,team_type
                T01,Assessment North,Front Door,assessment
                T02,Safeguarding South,Safeguarding,safeguarding
                """).expectStatus().isCreated();
        StringBuilder staff = new StringBuilder("staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,"
                + "qualified_date,agency_name,agency_hourly_rate\n");
        for (int i = 1; i <= 6; i++) {
            staff.append("B").append(i).append(",T02,social_worker,permanent,1,2019-0").append(i).append("-01,,,Y,2015-07-01,,\n");
        }
        staff.append("S1,T01,social_worker,permanent,1,2019-01-01,,,Y,2012-07-01,,\n")
                .append("S2,T01,senior_practitioner,permanent,1,2019-03-01,,,Y,2010-07-01,,\n")
                .append("S3,T01,social_worker,permanent,0.5,2020-02-01,,,Y,2016-07-01,,\n")
                .append("S4,T01,social_worker,fixed_term,1,2021-05-01,,,Y,2014-07-01,,\n")
                .append("Y1,T01,asye,permanent,1,2026-01-05,,,Y,2025-07-01,,\n")
                .append("A1,T01,social_worker,agency,1,2022-01-01,,,Y,2010-07-01,Locum Co,55.5\n")
                .append("F1,T01,family_support,permanent,1,2020-01-01,,,N,,,\n")
                .append("S9,T01,social_worker,permanent,1,2019-01-01,2023-03-31,resigned,Y,2015-07-01,,\n")
                .append("B9,T02,social_worker,permanent,1,2019-01-01,2022-09-30,resigned,Y,2015-07-01,,\n");
        upload("staff", staff.toString()).expectStatus().isCreated();
        upload("establishment", """
                team_id,role,funded_fte,effective_from
                T01,social_worker,6,2019-01-01
                T02,social_worker,6,2019-01-01
                """).expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        int n = 0;
        // S1 over 20, S3 over 20 per FTE with 11 on half time, Y1 over the ASYE's 18; the others under
        for (String[] held : new String[][] {{"S1", "23"}, {"S2", "15"}, {"S3", "11"}, {"S4", "4"}, {"Y1", "19"}, {"A1", "8"}}) {
            for (int i = 0; i < Integer.parseInt(held[1]); i++) {
                n++;
                allocations.append("AL").append(n).append(",C").append(n).append(',').append(held[0]).append(",cin,")
                        .append(LocalDate.now().minusMonths(3)).append(",,\n");
            }
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
    }

    // ------------------------------------------------------------------ steps

    private void viewer() {
        signInAs("/scenarios", "viewer");
        awaitWorkPage();
        assertThat(browser.driver.findElement(By.cssSelector("#work .refused")).getText())
                .contains("This page is for heads of service, HR and administrators");
        assertThat(browser.driver.findElements(By.id("scn-form"))).isEmpty();
        assertThat(browser.axe()).as("axe on the refused page").isEmpty();

        open("/teams/T01");
        waitForTeam("T01");
        assertThat(browser.driver.findElement(By.id("team-workers")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("#workers-rows tr"))).isEmpty();
        assertThat(browser.axe()).as("axe on a team's page for a viewer").isEmpty();
    }

    private void scenarios() {
        signInAs("/scenarios", "head");
        awaitWorkPage();
        await("the form").atMost(READY).until(() -> !browser.driver.findElements(By.id("scn-form")).isEmpty());
        // the change types offered are those the API accepts
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> types = (List<Map<String, Object>>) get("/api/scenario-changes").get("types");
        assertThat(new Select(browser.driver.findElement(By.id("scn-add-type"))).getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(types.stream().map(t -> (String) t.get("type")).toList());
        assertThat(browser.axe()).as("axe on the empty scenarios page").isEmpty();

        // the first: recruit three social workers into T01
        browser.driver.findElement(By.id("scn-name")).sendKeys(FIRST);
        browser.driver.findElement(By.id("scn-description")).sendKeys("three more social workers");
        addChange("recruit");
        field(0, "count").sendKeys("3");
        browser.driver.findElement(By.id("scn-save")).click();
        awaitShown(FIRST);
        assertThat(savedNames()).containsExactly(FIRST);
        assertProjectionMatchesApi(By.id("scn-view"), FIRST, List.of("baseline", FIRST));
        assertThat(browser.driver.findElements(By.cssSelector("#scn-view .scn-chart img"))).hasSize(2)
                .allSatisfy(img -> assertThat(img.getAttribute("src")).contains("/api/charts/forecast.png?"));
        assertThat(browser.driver.findElement(By.cssSelector("#scn-view .scn-chart[data-scenario='" + FIRST + "'] img")).getAttribute("src"))
                .contains("scenario=Grow+the+front+door");
        assertThat(browser.axe()).as("axe with a scenario beside the baseline").isEmpty();

        // what is wrong is said before anything is sent: a bad name and a change without its count
        browser.driver.findElement(By.id("scn-new")).click();
        browser.driver.findElement(By.id("scn-name")).sendKeys("Bad name!");
        addChange("asye_cohort");
        browser.driver.findElement(By.id("scn-save")).click();
        await("the problems").atMost(READY).until(() -> !browser.driver.findElements(By.cssSelector("#scn-form-problem .problem")).isEmpty());
        assertThat(browser.driver.findElement(By.id("scn-name")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(field(0, "count").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver.findElement(By.id("scn-form-problem")).getText()).contains("Change 1").contains("How many people is needed");
        assertThat(count("scenarios")).isEqualTo(1);
        assertThat(browser.axe()).as("axe with the form's problems shown").isEmpty();

        // the server's refusal is shown as it says it: a name that is taken
        browser.driver.findElement(By.id("scn-new")).click();
        browser.driver.findElement(By.id("scn-name")).sendKeys(FIRST);
        browser.driver.findElement(By.id("scn-save")).click();
        await("the refusal").atMost(READY).until(() -> browser.driver.findElement(By.id("scn-form-problem")).getText(),
                text -> text.contains("exists already"));
        assertThat(count("scenarios")).isEqualTo(1);

        // the second: ten per cent more demand everywhere
        browser.driver.findElement(By.id("scn-new")).click();
        browser.driver.findElement(By.id("scn-name")).sendKeys(SECOND);
        addChange("demand");
        field(0, "percent").sendKeys("10");
        browser.driver.findElement(By.id("scn-save")).click();
        awaitShown(SECOND);
        assertThat(savedNames()).containsExactly(FIRST, SECOND);

        // compared side by side, with the baseline
        new Select(browser.driver.findElement(By.id("scn-compare-a"))).selectByValue(FIRST);
        new Select(browser.driver.findElement(By.id("scn-compare-b"))).selectByValue(SECOND);
        browser.driver.findElement(By.id("scn-compare")).click();
        await("the comparison").atMost(READY).until(() -> browser.driver.findElement(By.id("scn-compare-out")).getAttribute("data-compared"),
                (FIRST + "|" + SECOND)::equals);
        assertProjectionMatchesApi(By.id("scn-compare-out"), FIRST, List.of("baseline", FIRST));
        assertProjectionMatchesApi(By.id("scn-compare-out"), SECOND, List.of(SECOND));
        assertThat(browser.driver.findElements(By.cssSelector("#scn-compare-out .scn-chart")))
                .extracting(f -> f.getAttribute("data-scenario")).containsExactly(FIRST, SECOND);
        // more demand raises the caseload per FTE in 12 months above the baseline's
        assertThat(p50("#scn-compare-out", "caseload_per_fte", SECOND, 12)).isGreaterThan(p50("#scn-compare-out", "caseload_per_fte", "baseline", 12));
        assertThat(browser.axe()).as("axe with two scenarios compared").isEmpty();
    }

    private void workers() {
        signInAs("/teams/T01", "head");
        waitForTeam("T01");
        List<Map<String, Object>> api = workersOf("T01", "head");
        await("the workers").atMost(READY).until(() -> shownStaff().size() == api.size());
        assertThat(shownStaff()).isEqualTo(api.stream().map(w -> (String) w.get("staff_id")).toList());

        // over the limit: exactly the API's, said in words
        List<String> over = api.stream().filter(w -> Boolean.TRUE.equals(w.get("over_caseload"))).map(w -> (String) w.get("staff_id")).toList();
        assertThat(over).containsExactlyInAnyOrder("S1", "S3", "Y1");
        assertThat(browser.driver.findElements(By.cssSelector("#workers-rows tr[data-over='true']")))
                .extracting(tr -> tr.getAttribute("data-staff")).containsExactlyInAnyOrderElementsOf(over);
        for (String staff : over) {
            assertThat(row(staff).findElement(By.cssSelector("[data-key='caseload_per_fte']")).getText()).contains("Over the limit");
        }
        assertThat(row("S2").getText()).doesNotContain("Over the limit");
        for (Map<String, Object> w : api) {
            Object limit = w.get("caseload_limit");
            assertThat(row((String) w.get("staff_id")).findElement(By.cssSelector("[data-key='caseload_limit']")).getText()).as("limit of %s", w.get("staff_id"))
                    .isEqualTo(limit == null ? "—" : oneDecimal(((Number) limit).doubleValue()));
        }
        assertThat(api).filteredOn(w -> "Y1".equals(w.get("staff_id"))).extracting(w -> ((Number) w.get("caseload_limit")).doubleValue())
                .containsExactly(18.0);
        // a head of service does not see which agency supplies a worker
        assertThat(browser.driver.findElements(By.cssSelector("#workers-head th[data-key='agency_name']"))).isEmpty();
        assertThat(browser.driver.findElement(By.id("team-workers")).getText()).doesNotContain("Locum Co");

        // by caseload, up then down; those not holding cases last either way
        List<String> ascending = api.stream().filter(w -> Boolean.TRUE.equals(w.get("case_holding")))
                .sorted(Comparator.comparingLong(w -> ((Number) w.get("children")).longValue())).map(w -> (String) w.get("staff_id")).toList();
        sortBy("children");
        await("ascending").atMost(READY).untilAsserted(() -> assertThat(shownStaff()).startsWith(ascending.toArray(String[]::new)).endsWith("F1"));
        assertThat(browser.driver.findElement(By.cssSelector("#workers-head th[data-key='children']")).getAttribute("aria-sort")).isEqualTo("ascending");
        List<String> descending = new java.util.ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        sortBy("children");
        await("descending").atMost(READY).untilAsserted(() ->
                assertThat(shownStaff()).startsWith(descending.toArray(String[]::new)).endsWith("F1"));
        assertThat(browser.driver.findElement(By.cssSelector("#workers-head th[data-key='children']")).getAttribute("aria-sort")).isEqualTo("descending");
        assertThat(browser.driver.findElements(By.cssSelector("#workers-head th[aria-sort]"))).hasSize(1);
        assertThat(browser.axe()).as("axe on a team's workers, sorted").isEmpty();

        // HR sees the agency and its rate
        signInAs("/teams/T01", "hr");
        waitForTeam("T01");
        await("the workers for HR").atMost(READY).until(() -> shownStaff().size() == api.size());
        assertThat(row("A1").findElement(By.cssSelector("[data-key='agency_name']")).getText()).isEqualTo("Locum Co");
        assertThat(row("A1").findElement(By.cssSelector("[data-key='agency_hourly_rate']")).getText()).isEqualTo("£55.50");
    }

    private void landing() {
        signInAs("/", "manager");
        try {
            await("landed on T01").atMost(READY).until(() -> java.net.URI.create(browser.driver.getCurrentUrl()).getPath().equals("/teams/T01"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not on T01 but at " + browser.driver.getCurrentUrl() + "; console:\n" + browser.console(), e);
        }
        waitForTeam("T01");
        await("own team's workers").atMost(READY).until(() -> !shownStaff().isEmpty());
        assertThat(browser.driver.findElement(By.id("title")).getText()).isEqualTo("Assessment North");
        assertThat(browser.axe()).as("axe on a team manager's own team").isEmpty();

        // the authority stays reachable: its link does not send them back
        browser.driver.findElement(By.cssSelector("#breadcrumbs a[href='/']")).click();
        await("the authority").atMost(READY).until(() -> browser.js("return document.getElementById('tiles').dataset.scope"), "authority|authority"::equals);
        assertThat(java.net.URI.create(browser.driver.getCurrentUrl()).getPath()).isEqualTo("/");

        open("/teams/T02");
        waitForTeam("T02");
        assertThat(browser.driver.findElement(By.id("team-workers")).isDisplayed()).as("another team's workers").isFalse();
    }

    private void pins() {
        signInAs("/teams/T02", "manager");
        waitForTeam("T02");
        WebElement pin = browser.driver.findElement(By.id("pin-team"));
        assertThat(pin.getAttribute("aria-pressed")).isEqualTo("false");
        assertThat(browser.driver.findElements(By.cssSelector("#site-nav-list .nav-pin"))).isEmpty();
        pin.click();
        await("pinned").atMost(READY).until(() -> browser.driver.findElement(By.id("pin-team")).getAttribute("aria-pressed"), "true"::equals);
        assertThat(pinned("manager")).containsExactly("T02");

        browser.driver.navigate().refresh();
        waitForTeam("T02");
        assertThat(browser.driver.findElement(By.id("pin-team")).getAttribute("aria-pressed")).isEqualTo("true");
        WebElement link = browser.driver.findElement(By.cssSelector("#site-nav-list .nav-pin[data-team='T02'] a"));
        assertThat(link.getText()).contains("Safeguarding South");
        assertThat(link.getAttribute("href")).endsWith("/teams/T02");
        assertThat(browser.axe()).as("axe with a pinned team").isEmpty();

        // from another page, the pin is in the menu too, and leads to the team
        open("/reports");
        awaitWorkPage();
        browser.driver.findElement(By.cssSelector("#site-nav-list .nav-pin[data-team='T02'] a")).click();
        waitForTeam("T02");
        browser.driver.findElement(By.id("pin-team")).click();
        await("unpinned").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector("#site-nav-list .nav-pin")).isEmpty());
        assertThat(pinned("manager")).isEmpty();
    }

    private void widths() {
        signInAs("/scenarios", "head");
        awaitWorkPage();
        for (int width : new int[] {1280, 390}) {
            browser.resize(width, width == 390 ? 844 : 800);
            open("/scenarios");
            awaitWorkPage();
            await("the saved scenarios").atMost(READY).until(() -> savedNames().size() == 2);
            browser.driver.findElement(By.cssSelector(".scn-saved-item[data-name='" + FIRST + "'] .scn-open")).click();
            awaitShown(FIRST);
            browser.driver.findElement(By.id("scn-compare")).click();
            await("the comparison").atMost(READY).until(() -> browser.driver.findElement(By.id("scn-compare-out")).getAttribute("data-compared") != null);
            fits("scenarios", width);

            open("/teams/T01");
            waitForTeam("T01");
            await("the workers").atMost(READY).until(() -> !shownStaff().isEmpty());
            fits("team-workers", width);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void fits(String page, int width) {
        browser.loadLazyImages();
        assertThat(((Number) browser.js("return window.innerWidth")).intValue()).isEqualTo(width);
        long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
        assertThat(scrollWidth).as("%s at %d px scrolls sideways; too wide: %s", page, width, browser.js(
                "return [...document.querySelectorAll('body *')].filter((n) => n.getBoundingClientRect().right > arguments[0])"
                        + ".slice(0, 8).map((n) => n.tagName + '#' + n.id + '.' + n.className + ' ' + Math.round(n.getBoundingClientRect().right)).join('; ')",
                width)).isLessThanOrEqualTo(width);
        browser.screenshot(SCREENSHOTS.resolve(page + "-" + width + ".png"));
        assertThat(browser.axe()).as("axe on %s at %d px", page, width).isEmpty();
    }

    /** The shown figures of one scenario's forecast (and the baseline) are the API's, number for number. */
    @SuppressWarnings("unchecked")
    private void assertProjectionMatchesApi(By where, String scenario, List<String> series) {
        Map<String, Object> both = get("/api/scenarios/{name}/forecast?level=authority&months=12", scenario);
        WebElement container = browser.driver.findElement(where);
        int checked = 0;
        for (String s : series) {
            List<Map<String, Object>> months = (List<Map<String, Object>>) ((Map<String, Object>) both.get(s.equals("baseline") ? "baseline" : "scenario")).get("months");
            for (int horizon : new int[] {6, 12}) {
                Map<String, Object> month = months.get(horizon - 1);
                for (String measure : List.of("employed_fte", "caseload_per_fte", "vacancy_fte")) {
                    Map<String, Object> range = (Map<String, Object>) month.get(measure);
                    WebElement cell = container.findElement(By.cssSelector("tr[data-measure='" + measure + "'] td[data-series='" + s
                            + "'][data-horizon='" + horizon + "']"));
                    for (String p : List.of("p10", "p50", "p90")) {
                        assertThat(Double.parseDouble(cell.getAttribute("data-" + p))).as("%s %s %s in %d months", s, measure, p, horizon)
                                .isEqualTo(((Number) range.get(p)).doubleValue());
                    }
                    assertThat(cell.findElement(By.cssSelector(".scn-p50")).getText()).isEqualTo(oneDecimal(((Number) range.get("p50")).doubleValue()));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(series.size() * 6);
    }

    private double p50(String container, String measure, String series, int horizon) {
        return Double.parseDouble(browser.driver.findElement(By.cssSelector(container + " tr[data-measure='" + measure + "'] td[data-series='"
                + series + "'][data-horizon='" + horizon + "']")).getAttribute("data-p50"));
    }

    /** As the page writes a count or FTE: whole numbers as they are, others to one decimal place. */
    private static String oneDecimal(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.format(java.util.Locale.ROOT, "%.1f", Math.round(x * 10) / 10.0);
    }

    private void addChange(String type) {
        int before = browser.driver.findElements(By.cssSelector("#scn-changes > li")).size();
        new Select(browser.driver.findElement(By.id("scn-add-type"))).selectByValue(type);
        browser.driver.findElement(By.id("scn-add")).click();
        assertThat(browser.driver.findElements(By.cssSelector("#scn-changes > li"))).hasSize(before + 1);
    }

    private WebElement field(int change, String name) {
        return browser.driver.findElement(By.cssSelector("#scn-changes > li[data-index='" + change + "'] [data-field='" + name + "']"));
    }

    private void awaitShown(String name) {
        await("the scenario " + name + " beside the baseline").atMost(READY)
                .until(() -> name.equals(browser.driver.findElement(By.id("scn-view")).getAttribute("data-scenario"))
                        && !browser.driver.findElements(By.cssSelector("#scn-view tr[data-measure]")).isEmpty());
    }

    private List<String> savedNames() {
        return browser.driver.findElements(By.cssSelector(".scn-saved-item")).stream().map(li -> li.getAttribute("data-name")).toList();
    }

    private void sortBy(String key) {
        browser.driver.findElement(By.cssSelector("#workers-head th[data-key='" + key + "'] button")).click();
    }

    private List<String> shownStaff() {
        return browser.driver.findElements(By.cssSelector("#workers-rows tr")).stream().map(tr -> tr.getAttribute("data-staff")).toList();
    }

    private WebElement row(String staff) {
        return browser.driver.findElement(By.cssSelector("#workers-rows tr[data-staff='" + staff + "']"));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> workersOf(String team, String user) {
        Map<String, Object> body = as(user).get().uri("/api/teams/" + team + "/workers").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        return (List<Map<String, Object>>) body.get("workers");
    }

    @SuppressWarnings("unchecked")
    private List<String> pinned(String user) {
        Map<String, Object> body = as(user).get().uri("/api/me/pins").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("teams")).stream().map(t -> (String) t.get("team_id")).toList();
    }

    private Map<String, Object> get(String uri, Object... variables) {
        return web.get().uri(uri, variables).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private void awaitWorkPage() {
        await("the work page").atMost(READY).pollInterval(Duration.ofMillis(100))
                .until(() -> browser.js("return document.body.dataset.ready === 'true' && !document.getElementById('work').hidden"), Boolean.TRUE::equals);
    }

    private void waitForTeam(String team) {
        try {
            await("the page of team " + team).atMost(READY).pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.js("return document.body.dataset.ready === 'true'"
                            + " && document.getElementById('tiles').dataset.scope === arguments[0]", "team|" + team), Boolean.TRUE::equals);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the page of team " + team + " did not show; it shows \""
                    + browser.js("return document.getElementById('title').textContent") + "\"; its console:\n" + browser.console(), e);
        }
    }
}
