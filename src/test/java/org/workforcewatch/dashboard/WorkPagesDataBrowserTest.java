package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.workforcewatch.ApiTest;

/**
 * The thresholds and data-quality pages in a real headless Chromium: a head of service changes a threshold with a
 * reason and sees it in force on the dashboard's tile; HR confirms a record missing from a full extract with a reason;
 * the head reads the flags without answering them; a viewer and a team manager are refused both pages. Each page state
 * passes axe (WCAG 2.2 A/AA) and neither page scrolls sideways at phone width. One browser serves every step, in order.
 */
class WorkPagesDataBrowserTest extends InChromium {

    private static final String TEAMS = "team_id,team_name,service,team_type\nT01,North,Front Door,assessment\n"
            + "T02,South,Front Door,assessment\n";
    private static final String STAFF_HEADER = "staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding\n";
    private static final String S1 = "S1,T01,social_worker,permanent,1,2022-01-10,,,Y\n";
    private static final String S2 = "S2,T01,social_worker,permanent,1,2022-01-10,,,Y\n";
    private static final String S3 = "S3,T02,social_worker,permanent,1,2022-01-10,,,Y\n";

    /** The caseload threshold the head sets: red from here makes the authority's tile red. */
    private int newAmber;
    private int newRed;

    @TestFactory
    Stream<DynamicTest> thresholdsAndDataQualityPages() {
        upload("teams", TEAMS).expectStatus().isCreated();
        upload("staff", STAFF_HEADER + S1 + S2 + S3).expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        int[] cases = {20, 19, 16};
        for (int worker = 0; worker < cases.length; worker++) {
            for (int i = 0; i < cases[worker]; i++) {
                allocations.append("A").append(worker).append('-').append(i).append(",C").append(worker).append('-').append(i)
                        .append(",S").append(worker + 1).append(",cin,2026-01-05,,\n");
            }
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
        // a later full staff extract without S3: S3 stays in post and is flagged for a person to confirm
        upload("staff", STAFF_HEADER + S1 + S2).expectStatus().isCreated().expectBody().jsonPath("$.missing_from_extract_total")
                .isEqualTo(1);
        return Stream.of(
                step("the thresholds page shows every indicator's thresholds in force, accessible at both widths", this::thresholdsPage),
                step("the head changes a threshold in place, a reason required, and the history lists it", this::changeThreshold),
                step("the dashboard's tile is rated with the new threshold", this::tileFollows),
                step("the head sets a team's own thresholds, looser than the target (a warning, not a refusal), and the"
                        + " team's tile follows", this::teamThresholds),
                step("the head reads the data-quality flags without Confirm or Dismiss", this::headReadsFlags),
                step("HR confirms the missing record with a reason: the flag leaves the list and the answer is recorded", this::hrConfirms),
                step("a viewer and a team manager are refused both pages", this::refused));
    }

    private void thresholdsPage() {
        signInAs("/thresholds", "head");
        awaitReady();
        assertThat(browser.driver.findElement(By.id("title")).getText()).isEqualTo("Thresholds");
        Map<String, Object> inForce = body("/api/thresholds");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> general = (Map<String, Map<String, Object>>) inForce.get("general");
        assertThat(browser.driver.findElements(By.cssSelector("#thr-general-h ~ .thr-list > .thr-item"))).hasSize(general.size());
        WebElement caseload = item("caseload_per_fte|all|");
        assertThat(value(caseload, "amber")).isEqualTo(whole(general.get("caseload_per_fte").get("amber")) + " per FTE");
        assertThat(value(caseload, "red")).isEqualTo(whole(general.get("caseload_per_fte").get("red")) + " per FTE");
        assertThat(value(item("agency_rate|all|"), "amber")).isEqualTo(whole(general.get("agency_rate").get("amber")) + "%");
        assertThat(browser.driver.findElement(By.cssSelector("section[aria-labelledby='thr-history-h']")).getText())
                .contains("No threshold has been changed here yet");
        assertAccessible("thresholds");
        widths("thresholds");
    }

    private void changeThreshold() {
        open("/thresholds");
        awaitReady();
        double value = authorityCaseload();
        // red from just below the authority's value, amber below that: the tile must turn red
        newRed = (int) Math.floor(value) - 1;
        newAmber = newRed - 2;
        assertThat(value).as("the authority's caseload is amber with the defaults, so red shows the change").isBetween(18.0, 22.0);

        WebElement edit = item("caseload_per_fte|all|").findElement(By.cssSelector(".thr-edit"));
        edit.click();
        WebElement form = item("caseload_per_fte|all|").findElement(By.cssSelector("form"));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("name")).isEqualTo("amber");
        field(form, "amber", String.valueOf(newRed + 1));
        field(form, "red", String.valueOf(newRed));
        form.findElement(By.cssSelector("[type=submit]")).click();
        // amber beyond red and no reason: refused before anything is sent, each field saying why
        assertThat(form.findElement(By.cssSelector("[id$='-amber-error']")).getText()).contains("amber must be at most red");
        assertThat(form.findElement(By.cssSelector("[id$='-reason-error']")).getText()).contains("a reason is needed");
        assertThat(form.findElement(By.name("amber")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(count("threshold_changes")).isZero();
        assertAccessible("thresholds, a change refused in the form");

        field(form, "amber", String.valueOf(newAmber));
        field(form, "target", String.valueOf(newAmber - 3));
        assertThat(form.findElement(By.cssSelector(".thr-warning")).getText()).as("amber looser than the target warns")
                .contains("looser than the target");
        field(form, "target", String.valueOf(newAmber + 1));
        assertThat(form.findElement(By.cssSelector(".thr-warning")).isDisplayed()).as("amber within the target").isFalse();
        form.findElement(By.name("reason")).sendKeys("Improvement board: caseloads above " + newRed + " are red");
        form.findElement(By.cssSelector("[type=submit]")).click();

        await("saved").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector(".thr-saved")).size() == 1);
        assertThat(browser.driver.findElement(By.cssSelector(".thr-saved")).getText()).contains("Caseload per FTE for the whole authority")
                .contains("red from " + newRed + " per FTE");
        WebElement changed = item("caseload_per_fte|all|");
        assertThat(value(changed, "amber")).isEqualTo(newAmber + " per FTE");
        assertThat(value(changed, "red")).isEqualTo(newRed + " per FTE");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("class")).as("focus back on Edit").contains("thr-edit");

        List<WebElement> rows = browser.driver.findElements(By.cssSelector(".thr-history tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("Caseload per FTE").contains("Whole authority").contains("head")
                .contains("Improvement board").contains("22 per FTE").contains(newRed + " per FTE");
        Map<String, Object> history = body("/api/thresholds/history");
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = ((List<Map<String, Object>>) history.get("changes")).get(0);
        assertThat(recorded).containsEntry("changed_by", "head").containsEntry("amber", (double) newAmber)
                .containsEntry("red", (double) newRed).containsEntry("target", (double) (newAmber + 1));
        assertAccessible("thresholds after a change");
        widths("thresholds");
    }

    private void tileFollows() {
        open("/");
        Map<String, Object> authority = authorityEntry();
        double value = number(authority.get("value"));
        String expected = value >= newRed ? "red" : value >= newAmber ? "amber" : "ok";
        assertThat(expected).isEqualTo("red");
        assertThat(authority).containsEntry("severity", expected).containsEntry("red", (double) newRed);
        await("the tile").atMost(READY).until(() -> browser.js("return document.body.dataset.ready === 'true'"
                + " && document.querySelector(\".tile[data-indicator='caseload_per_fte']\")?.dataset.severity", new Object[0]),
                expected::equals);
        assertThat(browser.driver.findElement(By.cssSelector(".tile[data-indicator='caseload_per_fte'] .tile-thresholds")).getText())
                .isEqualTo("Amber from " + newAmber + " · Red from " + newRed + " · Target " + (newAmber + 1));
    }

    private void teamThresholds() {
        open("/thresholds");
        awaitReady();
        browser.js("const s = document.getElementById(arguments[0]); s.value = 'team|T01'; s.dispatchEvent(new Event('change'))",
                browser.driver.findElement(By.cssSelector(".thr-add-fields select[id$='-scope']"))
                        .getAttribute("id"));
        browser.driver.findElement(By.xpath("//button[normalize-space()='Set thresholds']")).click();
        WebElement form = browser.driver.findElement(By.cssSelector(".thr-add-form form"));
        assertThat(browser.driver.findElement(By.cssSelector(".thr-add-form h4")).getText())
                .isEqualTo("Caseload per FTE for Team: North (T01)");
        assertThat(form.findElement(By.name("amber")).getAttribute("value")).as("what is in force there").isEqualTo(String.valueOf(newAmber));
        field(form, "amber", "20");
        field(form, "red", "25");
        assertThat(form.findElement(By.cssSelector(".thr-warning")).getText()).contains("Amber (20) is looser than the target");
        form.findElement(By.name("reason")).sendKeys("North holds the short assessments");
        form.findElement(By.cssSelector("[type=submit]")).click();
        await("saved").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector(".thr-item[data-key='caseload_per_fte|team|T01']")).size() == 1);
        WebElement team = item("caseload_per_fte|team|T01");
        assertThat(team.getText()).contains("Team: North (T01)");
        assertThat(value(team, "amber")).isEqualTo("20 per FTE");
        assertThat(browser.driver.findElements(By.cssSelector(".thr-history tbody tr"))).hasSize(2);
        assertAccessible("thresholds with a team's own");
        widths("thresholds");
        browser.resize(1280, 800);

        @SuppressWarnings("unchecked")
        Map<String, Object> north = ((List<Map<String, Object>>) body("/api/indicators?level=team").get("indicators")).stream()
                .filter(e -> "T01".equals(e.get("scope")) && "caseload_per_fte".equals(e.get("indicator"))).findFirst().orElseThrow();
        double value = number(north.get("value"));
        String expected = value >= 25 ? "red" : value >= 20 ? "amber" : "ok";
        assertThat(north).containsEntry("severity", expected).containsEntry("amber", 20.0);
        open("/teams/T01");
        await("the team's tile").atMost(READY).until(() -> browser.js("return document.body.dataset.ready === 'true'"
                + " && document.getElementById('tiles').dataset.scope === 'team|T01'"
                + " && document.querySelector(\".tile[data-indicator='caseload_per_fte']\")?.dataset.severity"), expected::equals);
        assertThat(browser.driver.findElement(By.cssSelector(".tile[data-indicator='caseload_per_fte'] .tile-thresholds")).getText())
                .startsWith("Amber from 20 · Red from 25");
    }

    private void headReadsFlags() {
        open("/data-quality");
        awaitReady();
        List<WebElement> flags = browser.driver.findElements(By.cssSelector(".dq-flag[data-kind='missing']"));
        assertThat(flags).hasSize(1);
        assertThat(flags.get(0).findElement(By.cssSelector("h3")).getText()).isEqualTo("Staff record: staff id S3");
        assertThat(flags.get(0).findElements(By.cssSelector(".dq-fact")).stream()
                .map(f -> f.findElement(By.tagName("dt")).getText() + " " + f.findElement(By.tagName("dd")).getText()).toList())
                .startsWith("staff id S3", "team id T02", "start date 2022-01-10");
        assertThat(flags.get(0).findElement(By.cssSelector(".dq-confirm")).getText()).startsWith("To confirm:")
                .contains("confirm it has ended");
        assertThat(flags.get(0).findElements(By.cssSelector("button"))).as("no answers for the head").isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector(".dq-read-only")).getText()).contains("for HR and administrators");
        assertAccessible("data quality, read only");
        widths("data-quality");
    }

    private void hrConfirms() {
        open("/");
        signOut();
        signInAs("/data-quality", "hr");
        awaitReady();
        assertThat(browser.driver.findElements(By.cssSelector(".dq-read-only"))).isEmpty();
        WebElement flag = browser.driver.findElement(By.cssSelector(".dq-flag[data-kind='missing']"));
        flag.findElement(By.cssSelector("[data-action='confirm']")).click();
        WebElement form = flag.findElement(By.cssSelector("form"));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("name")).isEqualTo("reason");
        assertThat(form.findElement(By.cssSelector("label")).getText()).contains("Reason for confirming");
        form.findElement(By.cssSelector("[type=submit]")).click();
        assertThat(form.findElement(By.cssSelector(".dq-error")).getText()).contains("Give a reason");
        assertThat(count("missing_records WHERE resolved_at IS NOT NULL")).isZero();
        assertAccessible("data quality, a confirmation without a reason");
        widths("data-quality");

        form.findElement(By.name("reason")).sendKeys("Left on 30 November; the leaver form is late");
        form.findElement(By.cssSelector("[type=submit]")).click();
        await("confirmed").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector(".dq-saved")).size() == 1);
        assertThat(browser.driver.findElements(By.cssSelector(".dq-flag[data-kind='missing']"))).isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector(".dq-saved")).getText()).contains("Confirmed").contains("S3")
                .contains("by hr");
        assertThat(browser.driver.findElement(By.cssSelector(".dq-answered tbody tr")).getText()).contains("staff id S3")
                .contains("ended").contains("hr").contains("Left on 30 November");
        assertThat(one("SELECT resolution || ' by ' || resolved_by || ': ' || note FROM missing_records"))
                .isEqualTo("ended by hr: Left on 30 November; the leaver form is late");
        assertAccessible("data quality after a confirmation");
    }

    private void refused() {
        for (String user : List.of("viewer", "manager")) {
            open("/");
        signOut();
            signInAs("/thresholds", user);
            for (String page : List.of("/thresholds", "/data-quality")) {
                as(user).get().uri(page).exchange().expectStatus().isForbidden();
                open(page);
                awaitReady();
                assertThat(browser.driver.findElement(By.cssSelector("#work .refused")).getText()).as(user + " " + page)
                        .contains("This page is for").contains("may not use it");
                assertThat(browser.driver.findElements(By.cssSelector("#work form, #work .thr-item, #work .dq-flag"))).isEmpty();
                assertAccessible(user + " refused " + page);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void widths(String page) {
        for (int width : new int[] {390, 1280}) {
            browser.resize(width, width == 390 ? 844 : 800);
            long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
            assertThat(scrollWidth).as("%s at %d px scrolls sideways", page, width).isLessThanOrEqualTo(width);
            if (width == 390) {
                assertAccessible(page + " at 390 px");
            }
            browser.screenshot(SCREENSHOTS.resolve(page + "-" + width + ".png"));
        }
    }

    private void assertAccessible(String state) {
        assertThat(browser.axe()).as("axe on " + state).isEmpty();
    }

    private WebElement item(String key) {
        return browser.driver.findElement(By.cssSelector(".thr-item[data-key='" + key + "']"));
    }

    private static String value(WebElement item, String key) {
        return item.findElement(By.cssSelector("dd[data-value='" + key + "']")).getText();
    }

    private void field(WebElement form, String name, String text) {
        WebElement input = form.findElement(By.name(name));
        input.clear();
        input.sendKeys(text);
    }

    private double authorityCaseload() {
        return number(authorityEntry().get("value"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> authorityEntry() {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) body("/api/indicators?level=authority").get("indicators");
        return entries.stream().filter(e -> "caseload_per_fte".equals(e.get("indicator"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> body(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** A whole number as the page shows it (18, not 18.0). */
    private static String whole(Object value) {
        double d = ((Number) value).doubleValue();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

}
