package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.workforcewatch.ApiTest;
import org.workforcewatch.CsvTable;

/**
 * The imports page in a real headless Chromium: HR chooses a 200,000-row allocations file, the page recognises it
 * from its header and shows the rows the service has read advancing while it reads, checks and merges them, then
 * the receipt in words, with the database's numbers; a refused file shows every problem, and the CSV of them to
 * download holds the same rows; the import log lists both and its filters narrow it; the roles the page is not for
 * are refused it. One browser serves every step, in order.
 */
class ImportsPageBrowserTest extends InChromium {

    private static final int ROWS = 200_000;

    /** Where the generated file is written and the page's downloads land. */
    private static Path folder;

    @BeforeAll
    static void makeFolder() throws IOException {
        folder = Files.createTempDirectory("ww-imports-");
    }

    @AfterAll
    static void removeFolder() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @TestFactory
    Stream<DynamicTest> theImportsPage() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Care North,Children in Care,children_in_care\n").expectStatus().isCreated();
        upload("staff", "staff_id,team_id,role,employment,fte,start_date,case_holding\nS1,T1,social_worker,permanent,1,2020-01-01,true\n")
                .expectStatus().isCreated();
        return Stream.of(
                DynamicTest.dynamicTest("a viewer and a head of service are refused the page, with no link to it", this::refused),
                DynamicTest.dynamicTest("HR uploads 200,000 allocations, sees the rows read advance, then the receipt with the"
                        + " database's numbers", this::bigUpload),
                DynamicTest.dynamicTest("every dataset of the import contract is recognised from its own header, with only its"
                        + " required columns too", this::everyHeaderRecognised),
                DynamicTest.dynamicTest("a refused file shows each problem, and its CSV download holds the same rows", this::refusedFile),
                DynamicTest.dynamicTest("the import log lists both, its filters narrow it, and choosing one shows its receipt", this::log),
                DynamicTest.dynamicTest("the page fits a phone without sideways scrolling", this::phone));
    }

    private void refused() {
        for (String user : List.of("viewer", "head")) {
            signInAs("/imports", user);
            awaitReady();
            assertThat(browser.driver.findElement(By.id("work")).getText())
                    .contains("This page is for HR and administrators").contains("may not use it");
            assertThat(browser.driver.findElements(By.cssSelector("#site-nav a[href='/imports']"))).as(user).isEmpty();
            assertThat(browser.driver.findElements(By.id("imp-file"))).isEmpty();
            assertThat(browser.axe()).as(user).isEmpty();
            signOut();
        }
    }

    private void bigUpload() {
        Path csv = write("allocations.csv", allocations());
        signInAs("/imports", "hr");
        awaitReady();
        await("the page").atMost(READY).until(() -> !browser.driver.findElements(By.id("imp-file")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("#site-nav a[href='/imports']"))).hasSize(1);
        assertThat(browser.axe()).as("the page before an upload").isEmpty();

        browser.driver.findElement(By.id("imp-file")).sendKeys(csv.toString());
        await("recognised").atMost(READY).until(() -> text("imp-recognised").startsWith("Recognised as allocations"));
        assertThat(new Select(browser.driver.findElement(By.id("imp-dataset"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("allocations");
        // every value of rows read the page shows, in order, and the moment the receipt appears among them
        browser.js("""
                window.shownRows = [];
                const text = document.getElementById('imp-progress-text');
                new MutationObserver(() => window.shownRows.push(Number(text.dataset.rows)))
                    .observe(text, { attributes: true, attributeFilter: ['data-rows'] });
                new MutationObserver(() => { if (document.querySelector('#imp-result .imp-receipt')) window.shownRows.push('receipt'); })
                    .observe(document.getElementById('imp-result'), { childList: true });
                """);
        browser.driver.findElement(By.id("imp-upload")).click();
        await("the receipt").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> !browser.driver.findElements(By.cssSelector("#imp-result .imp-receipt[data-status='succeeded']")).isEmpty());

        List<?> shown = (List<?>) browser.js("return window.shownRows");
        int receiptAt = shown.indexOf("receipt");
        assertThat(receiptAt).as("the receipt appeared after the progress: %s", shown).isPositive();
        List<Long> before = shown.subList(0, receiptAt).stream().map(v -> ((Number) v).longValue()).toList();
        int increases = 0;
        for (int i = 1; i < before.size(); i++) {
            if (before.get(i) > before.get(i - 1)) {
                increases++;
            }
        }
        assertThat(increases).as("rows read advanced before the receipt: %s", before).isGreaterThanOrEqualTo(3);
        assertThat(before).as("never more than the file").allSatisfy(v -> assertThat(v).isBetween(0L, (long) ROWS));

        WebElement receipt = browser.driver.findElement(By.cssSelector("#imp-result .imp-receipt"));
        Map<String, Object> logged = db.sql("SELECT id, rows, inserted, updated, unchanged FROM imports WHERE dataset = 'allocations'")
                .fetch().one().block();
        assertThat(count("allocations")).isEqualTo(ROWS);
        for (String key : List.of("rows", "inserted", "updated", "unchanged")) {
            assertThat(Long.parseLong(receipt.findElement(By.cssSelector("[data-count='" + key + "']")).getAttribute("data-value")))
                    .as(key).isEqualTo(((Number) logged.get(key)).longValue());
        }
        assertThat(receipt.getAttribute("data-import-id")).isEqualTo(String.valueOf(logged.get("id")));
        assertThat(receipt.findElement(By.cssSelector(".imp-words")).getText())
                .isEqualTo("200,000 rows read: 200,000 inserted, 0 updated and 0 unchanged, with no warnings.");
        assertThat(text("imp-progress-text")).isEqualTo("Finished: 200,000 rows read.");
        assertThat(browser.axe()).as("the page with a receipt").isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("imports-1280.png"));
    }

    private void everyHeaderRecognised() {
        Object wrong = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                Promise.all([import('/pages/imports.js'), fetch('/api/datasets').then((r) => r.json())]).then(([page, datasets]) => {
                    const wrong = [];
                    for (const d of datasets) {
                        const all = d.columns.map((c) => c.name);
                        const required = d.columns.filter((c) => c.required).map((c) => c.name);
                        for (const header of [all.join(','), required.map((c) => `"${c.toUpperCase()} "`).join(',')]) {
                            const found = page.recognise(`\uFEFF${header}`, datasets).dataset;
                            if (found !== d.dataset) wrong.push(`${header} read as ${found}, not ${d.dataset}`);
                        }
                    }
                    done(wrong);
                }).catch((e) => done([String(e)]));
                """);
        assertThat((List<?>) wrong).isEmpty();
    }

    private void refusedFile() {
        Path csv = write("bad-allocations.csv", ("allocation_id,child_id,staff_id,case_type,start_date,end_date\n"
                + "B1,C1,S1,=SUM(A1),2024-01-01,\n"
                + "B2,C2,S1,cin,2024-13-01,\n"
                + "B3,C3,S1,cp,2024-02-01,\"2024-01-01, then\"\n").getBytes(StandardCharsets.UTF_8));
        browser.driver.findElement(By.id("imp-file")).sendKeys(csv.toString());
        await("recognised").atMost(READY).until(() -> text("imp-recognised").contains("bad-allocations.csv"));
        browser.driver.findElement(By.id("imp-upload")).click();
        await("the problems").atMost(READY)
                .until(() -> !browser.driver.findElements(By.cssSelector("#imp-result .imp-receipt[data-status='rejected'] tbody tr")).isEmpty());

        List<List<String>> table = new ArrayList<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("#imp-result .imp-problems-table tbody tr"))) {
            table.add(row.findElements(By.tagName("td")).stream().map(td -> td.getAttribute("textContent")).toList());
        }
        List<String> headings = browser.driver.findElements(By.cssSelector("#imp-result .imp-problems-table thead th")).stream()
                .map(WebElement::getText).toList();
        assertThat(headings).containsExactly("LINE", "COLUMN", "VALUE", "REASON");
        // as the service answers them, every one
        long id = Long.parseLong(browser.driver.findElement(By.cssSelector("#imp-result .imp-receipt")).getAttribute("data-import-id"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) as("hr").get().uri("/api/imports/" + id).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody().get("errors");
        assertThat(errors).hasSizeGreaterThanOrEqualTo(3);
        assertThat(table).containsExactlyElementsOf(errors.stream().map(e -> List.of(String.valueOf(e.get("line")),
                (String) e.get("column"), e.get("value") == null ? "" : (String) e.get("value"), (String) e.get("reason"))).toList());
        assertThat(table).anySatisfy(r -> assertThat(r).startsWith("2", "case_type", "=SUM(A1)"));

        // the CSV to download: the same rows, a value a spreadsheet would run kept as text
        WebElement link = browser.driver.findElement(By.cssSelector("#imp-result .imp-download"));
        assertThat(link.getText()).isEqualTo("Download problems (CSV)");
        String name = link.getAttribute("download");
        assertThat(name).isEqualTo("problems-allocations-import-" + id + ".csv");
        browser.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", folder.toString()));
        link.click();
        Path downloaded = folder.resolve(name);
        await("the download").atMost(READY).until(() -> Files.exists(downloaded) && Files.size(downloaded) > 0);
        String file = read(downloaded);
        assertThat(file).startsWith("line,column,value,reason\r\n").contains("\r\n2,case_type,'=SUM(A1),");
        List<Map<String, String>> rows = CsvTable.rows(file);
        assertThat(rows).extracting(r -> List.of(r.get("line"), r.get("column"), r.get("value").replaceFirst("^'(?=[=+@\\-])", ""),
                r.get("reason"))).containsExactlyElementsOf(table);
        assertThat(text("imp-progress-text")).startsWith("Ended:");
        assertThat(browser.axe()).as("the page with a refused file").isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("imports-refused-1280.png"));
    }

    private void log() {
        browser.driver.navigate().refresh();
        awaitReady();
        await("the log").atMost(READY).until(() -> logRows().size() == 4);
        assertThat(logRows()).extracting(r -> r.getAttribute("data-dataset") + " " + r.getAttribute("data-status"))
                .containsExactly("allocations rejected", "allocations succeeded", "staff succeeded", "teams succeeded");

        new Select(browser.driver.findElement(By.id("imp-log-status"))).selectByValue("rejected");
        await("only the refused").atMost(READY).until(() -> logRows().stream()
                .map(r -> r.getAttribute("data-status")).toList().equals(List.of("rejected")));
        new Select(browser.driver.findElement(By.id("imp-log-status"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("imp-log-dataset"))).selectByValue("teams");
        await("only teams").atMost(READY).until(() -> logRows().stream()
                .map(r -> r.getAttribute("data-dataset")).toList().equals(List.of("teams")));
        String today = one("SELECT CAST(CAST(now() AT TIME ZONE 'UTC' AS date) AS text)");
        new Select(browser.driver.findElement(By.id("imp-log-dataset"))).selectByValue("");
        setDate("imp-log-to", java.time.LocalDate.parse(today).minusDays(1).toString());
        await("none before today").atMost(READY).until(() -> logRows().isEmpty() && text("imp-log-count").equals("No import matches."));
        setDate("imp-log-to", today);
        await("all of today").atMost(READY).until(() -> logRows().size() == 4);

        WebElement big = logRows().get(1);
        String id = big.getAttribute("data-import-id");
        big.findElement(By.cssSelector("button.imp-show")).click();
        await("its receipt").atMost(READY).until(() -> !browser.driver.findElements(
                By.cssSelector("#imp-log-detail .imp-receipt[data-import-id='" + id + "']")).isEmpty());
        assertThat(browser.driver.findElement(By.cssSelector("#imp-log-detail .imp-words")).getText())
                .isEqualTo("200,000 rows read: 200,000 inserted, 0 updated and 0 unchanged, with no warnings.");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("class")).as("focus on the receipt").contains("imp-receipt-title");
        assertThat(browser.axe()).as("the log with a receipt").isEmpty();
    }

    private void phone() {
        browser.resize(390, 844);
        browser.driver.navigate().refresh();
        awaitReady();
        await("the log").atMost(READY).until(() -> logRows().size() == 4);
        logRows().get(0).findElement(By.cssSelector("button.imp-show")).click();
        await("the refused file's receipt").atMost(READY)
                .until(() -> !browser.driver.findElements(By.cssSelector("#imp-log-detail .imp-problems-table")).isEmpty());
        assertThat(((Number) browser.js("return window.innerWidth")).intValue()).isEqualTo(390);
        long scrollWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
        browser.screenshot(SCREENSHOTS.resolve("imports-390.png"));
        assertThat(scrollWidth).as("the page at 390 px scrolls sideways; wider than it: %s", browser.js("""
                return [...document.querySelectorAll('body *')].filter((n) => n.getBoundingClientRect().right > 390)
                    .slice(0, 8).map((n) => `${n.tagName}.${n.className}#${n.id} ${Math.round(n.getBoundingClientRect().right)}`).join(', ');
                """)).isLessThanOrEqualTo(390);
        assertThat(browser.axe()).as("the page at 390 px").isEmpty();
        browser.resize(1280, 800);
    }

    // ------------------------------------------------------------------ helpers

    private List<WebElement> logRows() {
        return browser.driver.findElements(By.cssSelector("#imp-log-rows tr"));
    }

    /** Sets a date input as a person picking a day would, and tells the page it changed. */
    private void setDate(String id, String isoDate) {
        browser.js("const i = document.getElementById(arguments[0]); i.value = arguments[1];"
                + " i.dispatchEvent(new Event('change', { bubbles: true }));", id, isoDate);
    }

    private String text(String id) {
        return browser.driver.findElement(By.id(id)).getText();
    }

    /** Teams and staff come first; then one allocation per child, of the one worker, closed long ago. */
    private static byte[] allocations() {
        StringBuilder csv = new StringBuilder(ROWS * 48).append("allocation_id,child_id,staff_id,case_type,start_date,end_date\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append('A').append(i).append(",C").append(i).append(",S1,cin,2019-01-01,2019-02-01\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Path write(String name, byte[] content) {
        try {
            Path file = folder.resolve(name);
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
