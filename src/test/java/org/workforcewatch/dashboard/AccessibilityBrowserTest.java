package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.workforcewatch.ApiTest;

/**
 * WCAG 2.2 AA in a real headless Chromium: axe-core (bundled in the test resources), run for WCAG 2.0 to 2.2 A and
 * AA and its own best practices, finds no violation on the sign-in page and on every page each role opens (the
 * authority, a service, a team whose people the role may or may not see, the not-found page, each work page it may
 * use and the refusal of one it may not), at laptop and phone widths; and keyboard focus on the masthead
 * navigation is visible. One browser and one small authority (two teams, their workers, posts and cases) serve
 * every step.
 */
class AccessibilityBrowserTest extends InChromium {

    private static final List<String> WORK_PAGES = List.of("/imports", "/data-quality", "/thresholds", "/scenarios", "/agency",
        "/reports");
    private static final Map<String, List<String>> MAY_USE = Map.of(
            "admin", WORK_PAGES,
            "head", List.of("/data-quality", "/thresholds", "/scenarios", "/reports"),
            "hr", List.of("/imports", "/data-quality", "/scenarios", "/agency", "/reports"),
            "manager", List.of("/reports"),
            "viewer", List.of("/reports"));
    private static final int[][] WIDTHS = {{1280, 800}, {390, 844}};
    /** WCAG 2.0, 2.1 and 2.2 at A and AA, and axe's best practices (landmarks, heading order, a level-one heading…). */
    private static final String RULES = "{ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',"
            + " 'best-practice'] } }";

    @TestFactory
    Stream<DynamicTest> everyPageOfEveryRoleHasNoWcagViolation() {
        loadSmallAuthority();
        List<DynamicTest> steps = new ArrayList<>();
        steps.add(DynamicTest.dynamicTest("the engine reports an image without alternative text and faint words put on a page",
                this::engineFindsViolations));
        steps.add(DynamicTest.dynamicTest("the sign-in page, signed out, has no violation at either width", this::signInPage));
        for (String user : List.of("admin", "head", "hr", "manager", "viewer")) {
            steps.add(DynamicTest.dynamicTest(user + ": every page it opens and one it may not has no violation at either width",
                    () -> pagesOf(user)));
        }
        steps.add(DynamicTest.dynamicTest("keyboard focus on the masthead navigation links is visible", this::navigationFocus));
        return steps.stream();
    }

    private void loadSmallAuthority() {
        upload("teams", """
                team_id,team_name,service,team_type
                T01,Assessment North,Front Door,assessment
                T02,Care North,Children in Care,children_in_care
                """).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,case_holding,qualified_date
                S1,T01,social_worker,permanent,1,2020-01-01,Y,2010-07-01
                S2,T01,social_worker,agency,1,2023-01-01,Y,2015-07-01
                S3,T02,social_worker,permanent,0.8,2021-03-01,Y,2018-07-01
                S4,T02,team_manager,permanent,1,2019-01-01,N,2005-07-01
                """).expectStatus().isCreated();
        upload("establishment", """
                team_id,role,funded_fte,effective_from
                T01,social_worker,3,2019-01-01
                T02,social_worker,2,2019-01-01
                """).expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date\n");
        int child = 0;
        for (String[] holder : new String[][] {{"S1", "24"}, {"S2", "18"}, {"S3", "12"}}) {
            for (int k = 0; k < Integer.parseInt(holder[1]); k++) {
                child++;
                allocations.append("A").append(child).append(",C").append(child).append(',').append(holder[0]).append(",cin,2024-01-01\n");
            }
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
    }

    /** Zero violations below means something only if the engine, run as below, finds them where they are. */
    private void engineFindsViolations() {
        browser.driver.manage().deleteAllCookies();
        open("/login");
        await("the sign-in form").atMost(READY).until(() -> !browser.driver.findElements(By.id("username")).isEmpty());
        browser.js("""
                const img = document.createElement('img');
                img.src = '/favicon.svg';
                const faint = document.createElement('p');
                faint.textContent = 'Faint words';
                faint.style.color = '#d8d8d8';
                document.querySelector('main').append(img, faint);
                """);
        List<String> found = browser.axe(RULES);
        assertThat(found).anySatisfy(v -> assertThat(v).startsWith("image-alt"))
                .anySatisfy(v -> assertThat(v).startsWith("color-contrast"));
    }

    private void signInPage() {
        browser.driver.manage().deleteAllCookies();
        List<String> found = new ArrayList<>();
        open("/login");
        await("the sign-in form").atMost(READY).until(() -> !browser.driver.findElements(By.id("username")).isEmpty());
        checkAtBothWidths("sign-in", "/login", found);
        open("/login?error");
        await("the sign-in error").atMost(READY).until(() -> !browser.driver.findElements(By.cssSelector(".sign-in-error")).isEmpty());
        checkAtBothWidths("sign-in-error", "/login?error", found);
        assertThat(found).as("violations:\n" + String.join("\n", found)).isEmpty();
    }

    private void pagesOf(String user) {
        signInAs("/login", user);
        List<String> found = new ArrayList<>();
        List<String> pages = new ArrayList<>(List.of("/", "/services/Front%20Door", "/teams/T01", "/teams/T02", "/teams/NOPE"));
        pages.addAll(MAY_USE.get(user));
        // one work page the role may not use: its refusal
        WORK_PAGES.stream().filter(p -> !MAY_USE.get(user).contains(p)).findFirst().ifPresent(pages::add);
        for (String page : pages) {
            open(page);
            awaitReady(page);
            String name = page.equals("/") ? "authority" : page.substring(1).replace('/', '-').replace("%20", "-");
            checkAtBothWidths(user + "-" + name, page, found);
        }
        assertThat(found).as("violations for " + user + ":\n" + String.join("\n", found)).isEmpty();
    }

    /** Runs the engine at the laptop width, then at the phone width (where nothing may scroll sideways), with screenshots. */
    private void checkAtBothWidths(String name, String page, List<String> found) {
        for (int[] size : WIDTHS) {
            browser.resize(size[0], size[1]);
            browser.loadLazyImages();
            browser.axe(RULES).forEach(v -> found.add(page + " at " + size[0] + " px: " + v));
            long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
            if (scrollWidth > size[0]) {
                found.add(page + " at " + size[0] + " px scrolls sideways (" + scrollWidth + " px wide)");
            }
            browser.screenshot(SCREENSHOTS.resolve("a11y-" + name + "-" + size[0] + ".png"));
        }
        browser.resize(WIDTHS[0][0], WIDTHS[0][1]);
    }

    private void navigationFocus() {
        signInAs("/login", "admin");
        open("/");
        awaitReady("/");
        List<WebElement> links = browser.driver.findElements(By.cssSelector("#site-nav a"));
        assertThat(links).as("the masthead navigation").hasSize(1 + WORK_PAGES.size());
        for (WebElement link : links) {
            int presses = 0;
            while (!link.equals(browser.driver.switchTo().activeElement()) && presses < 30) {
                new Actions(browser.driver).sendKeys(Keys.TAB).perform();
                presses++;
            }
            assertThat(browser.driver.switchTo().activeElement()).as("%s reached by Tab", link.getText()).isEqualTo(link);
            @SuppressWarnings("unchecked")
            Map<String, Object> focus = (Map<String, Object>) browser.js("""
                    const s = getComputedStyle(arguments[0]);
                    const r = arguments[0].getBoundingClientRect();
                    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                    return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                             visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight,
                             unobscured: top === arguments[0] || arguments[0].contains(top) };
                    """, link);
            assertThat(focus).as(link.getText()).containsEntry("outline", "solid").containsEntry("visible", true)
                    .containsEntry("unobscured", true);
            assertThat(((Number) focus.get("width")).doubleValue()).as(link.getText() + " outline width").isGreaterThanOrEqualTo(2);
        }
    }

    private void awaitReady(String page) {
        try {
            await("the page " + page).atMost(READY).pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.js("return document.body.dataset.ready === 'true'"), Boolean.TRUE::equals);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(page + " did not become ready; it shows \""
                    + browser.js("return document.getElementById('title')?.textContent") + "\"; its console:\n" + browser.console(), e);
        }
    }
}
