package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.TestPropertySource;
import org.workforcewatch.ApiTest;
import org.workforcewatch.CsvTable;

/**
 * The reports page and the charts' downloads and tables, and the authority page on a phone, in a real headless
 * Chromium on a small authority: T1 with one permanent and three agency social workers (agency rate red), T2 with two
 * permanent ones, one of them holding 30 children. One browser and one sign-in serve every step, in order.
 */
@TestPropertySource(properties = "workforce.history.from.all=2024-01-01")
class ReportsAndChartsBrowserTest extends InChromium {

    @TestFactory
    Stream<DynamicTest> reportsChartsAndThePhone() {
        authority();
        // each step carries on from the one before: the phone's page stays open from one step to the next
        return Stream.of(
                dynamicTest("signing in as a head of service opens the authority", this::signIn),
                dynamicTest("on a phone the authority page leads with what is red and the teams at risk, and the tiles are a compact list",
                        this::phoneLeadsWithRed),
                dynamicTest("on a phone choosing an indicator brings its charts into view, with the focus on them", this::choosingBringsCharts),
                dynamicTest("each chart is asked for at its box's width times the screen's pixel ratio: its text is never under 11 px",
                        this::chartsAtTheirSize),
                dynamicTest("a chart's figures are a download and a table whose rows are the CSV's", this::dataTable),
                dynamicTest("the reports page offers the months the pack can be made for, and its downloads answer a PDF and CSVs",
                        this::reportsPage));
    }

    private void authority() {
        upload("teams", """
                team_id,team_name,service,team_type
                T1,Assessment North,Front Door,assessment
                T2,Safeguarding East,Safeguarding,safeguarding
                """).expectStatus().isCreated();
        upload("staff", """
                staff_id,team_id,role,employment,fte,start_date,end_date,leaving_reason,case_holding,qualified_date,agency_name,agency_hourly_rate
                A1,T1,social_worker,permanent,1,2023-06-01,,,Y,2015-07-01,,
                A2,T1,social_worker,agency,1,2024-03-01,,,Y,2015-07-01,Hays,45
                A3,T1,social_worker,agency,1,2024-03-01,,,Y,2015-07-01,Hays,45
                A4,T1,social_worker,agency,1,2024-05-01,,,Y,2015-07-01,Reed,45
                B1,T2,social_worker,permanent,1,2023-01-01,,,Y,2015-07-01,,
                B2,T2,social_worker,permanent,1,2023-01-01,,,Y,2015-07-01,,
                """).expectStatus().isCreated();
        StringBuilder allocations = new StringBuilder("allocation_id,child_id,staff_id,case_type,start_date,end_date,change_reason\n");
        for (int c = 1; c <= 30; c++) {
            allocations.append("AL").append(c).append(",C").append(c).append(",B1,cin,2024-01-10,,\n");
        }
        for (int c = 31; c <= 40; c++) {
            allocations.append("AL").append(c).append(",C").append(c).append(",A").append(1 + c % 4).append(",cin,2024-01-10,,\n");
        }
        upload("allocations", allocations.toString()).expectStatus().isCreated();
    }

    private void signIn() {
        signInAs("/", "head");
        waitForAuthority();
    }

    private void phoneLeadsWithRed() {
        browser.resize(390, 844);
        open("/");
        waitForAuthority();
        await("the teams at risk").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector("#at-risk-list > li")).size(), n -> n > 0);

        List<String> red = indicators().stream().filter(e -> "red".equals(e.get("severity")))
                .map(e -> (String) e.get("indicator")).toList();
        assertThat(red).as("red indicators of the fixture").isNotEmpty();
        WebElement redFirst = browser.driver.findElement(By.id("red-first"));
        assertThat(redFirst.isDisplayed()).isTrue();
        List<WebElement> items = redFirst.findElements(By.cssSelector(".red-first-item"));
        assertThat(items).hasSize(red.size());
        for (String id : red) {
            String label = browser.driver.findElement(By.cssSelector(".tile[data-indicator='" + id + "'] .tile-name")).getText();
            assertThat(items).anyMatch(i -> i.getText().contains(label));
        }

        double tilesTop = top("#tiles");
        assertThat(top("#red-first")).as("what is red, before the tiles").isLessThan(tilesTop);
        assertThat(top("#at-risk-list")).as("the teams at risk, before the tiles").isLessThan(tilesTop);
        assertThat(top("#red-first")).as("what is red, on the first screen").isLessThan(844);
        assertThat(browser.driver.findElement(By.cssSelector("#at-risk-list > li")).getText()).contains("Assessment North");

        browser.loadLazyImages();
        browser.screenshot(SCREENSHOTS.resolve("phone-authority-390.png"));
        // the tiles are a compact list: a line each with the name, the value and the RAG word, their details not shown
        List<WebElement> tiles = browser.driver.findElements(By.cssSelector("#tiles .tile"));
        assertThat(tiles).hasSizeGreaterThan(5);
        for (WebElement tile : tiles) {
            // one row: no taller than its name (which may wrap on a narrow screen) and the tile's padding
            int name = tile.findElement(By.cssSelector(".tile-heading")).getSize().getHeight();
            assertThat(tile.getSize().getHeight()).as(tile.getAttribute("data-indicator")).isLessThanOrEqualTo(Math.max(name, 30) + 20);
            assertThat(name).as(tile.getAttribute("data-indicator") + ": the name in at most three lines").isLessThanOrEqualTo(64);
            assertThat(tile.findElement(By.cssSelector(".tile-basis")).isDisplayed()).isFalse();
            assertThat(tile.findElement(By.cssSelector(".tile-value")).isDisplayed()).isTrue();
            assertThat(tile.findElement(By.cssSelector(".badge")).getText()).isIn("Red", "Amber", "Green", "No data");
        }
        assertNoSidewaysScroll(390);
        assertThat(browser.axe()).as("accessibility of the authority page on a phone").isEmpty();
    }

    private void choosingBringsCharts() {
        String chosen = indicators().stream().map(e -> (String) e.get("indicator"))
                .filter(id -> !id.equals(browser.driver.findElement(By.cssSelector(".tile.selected")).getAttribute("data-indicator")))
                .filter("agency_rate"::equals).findFirst().orElseThrow();
        assertThat(top("#charts")).as("the charts start below the first screen").isGreaterThan(844);
        WebElement button = browser.driver.findElement(By.cssSelector(".tile[data-indicator='" + chosen + "'] .tile-select"));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
        await("the charts of the chosen indicator in view").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    double top = top("#charts-heading");
                    return top >= 0 && top < 844 / 2.0 && browser.driver.findElement(By.id("charts-heading")).getText().equals("Charts: Agency rate");
                });
        assertThat(browser.js("return document.activeElement.id")).isEqualTo("charts-heading");
        assertThat(browser.driver.findElement(By.cssSelector("[data-chart='trend'] img")).getAttribute("src"))
                .contains("/api/charts/indicators/agency_rate/trend.png");
    }

    private void chartsAtTheirSize() {
        for (int[] screen : new int[][]{{390, 844, 2}, {1280, 800, 1}}) {
            browser.resize(screen[0], screen[1]);
            ((org.openqa.selenium.chrome.ChromeDriver) browser.driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", screen[0], "height", screen[1], "deviceScaleFactor", screen[2], "mobile", false));
            open("/?indicator=agency_rate");
            waitForAuthority();
            browser.loadLazyImages();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> charts = (List<Map<String, Object>>) browser.js("""
                    return [...document.querySelectorAll('#chart-grid figure.chart img')].filter((img) => img.naturalWidth > 0)
                      .map((img) => ({ chart: img.closest('figure').dataset.chart, src: img.getAttribute('src'), alt: img.alt,
                                       shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
                                       svg: img.closest('figure').querySelector('.chart-link-svg').getAttribute('href') }));
                    """);
            assertThat(charts).as("charts drawn at %d px", screen[0]).hasSizeGreaterThanOrEqualTo(3);
            for (Map<String, Object> c : charts) {
                String what = screen[0] + " px, " + c.get("chart");
                double shown = ((Number) c.get("shown")).doubleValue();
                Map<String, String> query = query((String) c.get("src"));
                int asked = Integer.parseInt(query.get("width"));
                assertThat((double) asked).as(what + ": width asked for against width shown").isCloseTo(Math.floor(shown), org.assertj.core.data.Offset.offset(1.0));
                assertThat(((Number) c.get("natural")).intValue()).as(what + ": image pixels").isEqualTo(Math.round(asked * screen[2]));
                // the chart's smallest text, in the units it is laid out in (the same size's SVG says), as the screen shows it
                String svg = web.get().uri((String) c.get("svg")).exchange().expectStatus().isOk().expectBody(String.class)
                        .returnResult().getResponseBody();
                double smallest = java.util.regex.Pattern.compile("font-size: ?([\\d.]+)px").matcher(svg).results()
                        .mapToDouble(m -> Double.parseDouble(m.group(1))).min().orElseThrow();
                assertThat(smallest * shown / asked).as(what + ": smallest text on the screen, CSS px").isGreaterThanOrEqualTo(11 - 0.05);
            }
            Map<String, Object> trend = charts.stream().filter(c -> "trend".equals(c.get("chart"))).findFirst().orElseThrow();
            assertThat((String) trend.get("alt")).contains("Agency rate", "Latest value", "Red");
            await("the trend's text alternative with the latest figures").atMost(READY).until(() -> browser.driver
                    .findElement(By.cssSelector("[data-chart='trend'] img")).getAttribute("alt"), alt -> alt.contains("Latest, "));
            assertNoSidewaysScroll(screen[0]);
        }
        browser.resize(1280, 800);
    }

    private void dataTable() {
        open("/?indicator=agency_rate");
        waitForAuthority();
        WebElement figure = browser.driver.findElement(By.cssSelector("[data-chart='trend']"));
        WebElement toggle = figure.findElement(By.cssSelector(".chart-toggle"));
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", toggle);
        toggle.click();
        WebElement table = await("the figures as a table").atMost(READY)
                .until(() -> figure.findElements(By.cssSelector("table.chart-data")), l -> !l.isEmpty()).get(0);
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(table.findElement(By.tagName("caption")).getText()).startsWith("Agency rate: monthly trend");

        String csvLink = figure.findElement(By.cssSelector(".chart-link-csv")).getAttribute("href");
        Map<String, Object> fetched = fetch(csvLink);
        assertThat(fetched.get("status")).isEqualTo(200L);
        assertThat((String) fetched.get("type")).startsWith("text/csv");
        List<Map<String, String>> csv = CsvTable.rows((String) fetched.get("text"));
        List<String> header = table.findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList();
        assertThat(header).containsExactlyElementsOf(csv.get(0).keySet().stream().skip(1).toList());
        List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSameSizeAs(csv);
        for (int i = 0; i < rows.size(); i++) {
            WebElement row = rows.get(i);
            List<String> expected = csv.get(i).values().stream().skip(1).toList();
            assertThat(row.findElement(By.cssSelector("th[scope='row']")).getText()).isEqualTo(expected.get(0));
            List<String> cells = row.findElements(By.tagName("td")).stream().map(td -> td.getAttribute("data-value")).toList();
            assertThat(cells).isEqualTo(expected.subList(1, expected.size()));
        }
        for (String format : List.of("png", "svg")) {
            Map<String, Object> picture = fetch(figure.findElement(By.cssSelector(".chart-link-" + format)).getAttribute("href"));
            assertThat(picture.get("status")).as(format).isEqualTo(200L);
            assertThat((String) picture.get("type")).as(format).startsWith(format.equals("png") ? "image/png" : "image/svg+xml");
        }
        browser.loadLazyImages();
        browser.screenshot(SCREENSHOTS.resolve("charts-1280.png"));
        assertThat(browser.axe()).as("accessibility with a chart's table open").isEmpty();
        toggle.click();
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(figure.findElements(By.cssSelector("table.chart-data")).stream().noneMatch(WebElement::isDisplayed)).isTrue();
    }

    @SuppressWarnings("unchecked")
    private void reportsPage() {
        Map<String, Object> offer = web.get().uri("/api/reports/workforce-profile/months").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        List<String> months = (List<String>) offer.get("months");
        assertThat(months).hasSizeGreaterThan(12);
        for (int width : new int[]{1280, 390}) {
            browser.resize(width, 800);
            open("/reports");
            await("the reports page").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector("#rep-downloads a")).size(), n -> n == 4);
            Select picker = new Select(browser.driver.findElement(By.id("rep-month")));
            assertThat(picker.getOptions()).extracting(o -> o.getAttribute("value")).containsExactlyElementsOf(months);
            assertThat(picker.getFirstSelectedOption().getAttribute("value")).isEqualTo(offer.get("default"));
            assertNoSidewaysScroll(width);
            browser.screenshot(SCREENSHOTS.resolve("reports-" + width + ".png"));
            assertThat(browser.axe()).as("accessibility of the reports page at %d px", width).isEmpty();
        }
        browser.resize(1280, 800);
        Select picker = new Select(browser.driver.findElement(By.id("rep-month")));
        String month = months.get(3);
        picker.selectByValue(month);
        List<WebElement> links = browser.driver.findElements(By.cssSelector("#rep-downloads a"));
        for (WebElement link : links) {
            String href = link.getAttribute("href");
            assertThat(href).contains("month=" + month);
            assertThat(link.getAttribute("download")).isNotBlank();
            Map<String, Object> answer = fetch(href);
            boolean pdf = "pdf".equals(link.getAttribute("data-kind"));
            assertThat(answer.get("status")).as(href).isEqualTo(200L);
            assertThat((String) answer.get("type")).as(href).startsWith(pdf ? "application/pdf" : "text/csv");
            if (!pdf) {
                List<Map<String, String>> rows = CsvTable.rows((String) answer.get("text"));
                assertThat(rows).as(href).allSatisfy(r -> assertThat(r.get("month")).isEqualTo(month));
            } else {
                assertThat(((String) answer.get("text"))).startsWith("%PDF-");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private void waitForAuthority() {
        await("the authority page").atMost(READY).pollInterval(Duration.ofMillis(100))
                .until(() -> browser.js("return document.body.dataset.ready === 'true'"
                        + " && document.getElementById('tiles').dataset.scope === 'authority|authority'"
                        + " && document.querySelectorAll('#tiles .tile').length > 0"), Boolean.TRUE::equals);
    }

    private double top(String css) {
        return ((Number) browser.js("return document.querySelector(arguments[0]).getBoundingClientRect().top", css)).doubleValue();
    }

    private void assertNoSidewaysScroll(int width) {
        long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
        assertThat(scrollWidth).as("the page at %d px scrolls sideways", width).isLessThanOrEqualTo(width);
    }

    /** A link followed by the page's own fetch, with its session: the status, content type and text. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> fetch(String href) {
        return (Map<String, Object>) ((JavascriptExecutor) browser.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(async (r) => done({ status: r.status, type: r.headers.get('Content-Type'),
                                                            text: (await r.text()) }))
                  .catch((e) => done({ status: -1, type: '', text: String(e) }));
                """, href);
    }

    private static Map<String, String> query(String src) {
        Map<String, String> out = new java.util.HashMap<>();
        String q = src.substring(src.indexOf('?') + 1);
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> indicators() {
        return (List<Map<String, Object>>) web.get().uri("/api/indicators?level=authority").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody().get("indicators");
    }
}
