package org.workforcewatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.workforcewatch.returns.AgencyReturnFixtures;

/**
 * The agency register page in a real headless Chromium, on the register of the 2025-Q1 return test: HR sees each
 * worker's row name the rule it fails, filters by a failing check, reads the summary per agency, and approves a breach
 * with a reason; each state passes axe (WCAG 2.2 A/AA).
 */
class AgencyPageBrowserTest extends InChromium {

    @TestFactory
    Stream<DynamicTest> agencyRegisterPage() {
        upload("teams", "team_id,team_name,service,team_type\nT1,Assessment North,Front Door,assessment\n").expectStatus().isCreated();
        upload("staff", AgencyReturnFixtures.STAFF).expectStatus().isCreated();
        upload("agency_assignments", AgencyReturnFixtures.REGISTER).expectStatus().isCreated();
        return Stream.of(
                step("a worker's row names the check it fails", this::failingCheckNamedInRow),
                step("filtering by a failing check leaves only the workers failing it", this::filterByFailingCheck),
                step("HR approves a breach with a reason and the row's approval check passes", this::approveBreach));
    }

    private WebElement row(String key) {
        return browser.driver.findElement(By.cssSelector("tr[data-key='" + key + "']"));
    }

    private void failingCheckNamedInRow() {
        signInAs("/agency", "hr");
        awaitReady();
        assertThat(browser.driver.findElement(By.id("title")).getText()).isEqualTo("Agency register");
        // A5 came back as agency 6 weeks after leaving a permanent post
        WebElement a5 = row("A5/2025-02-03");
        WebElement reengagement = a5.findElement(By.cssSelector("td[data-rule='reengagement']"));
        assertThat(reengagement.getText()).isEqualTo("Fails");
        String header = browser.driver.findElements(By.cssSelector(".ag-register thead th")).get(8).getText();
        assertThat(header).contains("re-engaged within 3 months");
        // A6 has no qualified date: not known, never a pass
        assertThat(row("A6/2024-11-04").findElement(By.cssSelector("td[data-rule='experience']")).getText()).isEqualTo("Not known");
        assertThat(browser.driver.findElement(By.cssSelector(".ag-summary tr[data-agency='Reed']")).getText()).contains("Reed");
        assertThat(browser.axe()).as("axe on the register").isEmpty();
        browser.resize(390, 844);
        assertThat(browser.js("return document.documentElement.scrollWidth")).as("page width at 390 px")
                .isEqualTo(browser.js("return document.documentElement.clientWidth"));
        assertThat(browser.axe()).as("axe on the register at phone width").isEmpty();
    }

    private void filterByFailingCheck() {
        signInAs("/agency", "hr");
        awaitReady();
        new Select(browser.driver.findElement(By.id("ag-failing"))).selectByValue("experience");
        browser.driver.findElement(By.cssSelector(".ag-filters button[type=submit]")).click();
        await("the filtered register").atMost(READY).until(() -> browser.driver.findElements(By.cssSelector(".ag-register tbody tr")).size() == 1);
        assertThat(browser.driver.findElement(By.cssSelector(".ag-register tbody tr")).getAttribute("data-key")).isEqualTo("A2/2025-01-06");
    }

    private void approveBreach() {
        signInAs("/agency", "hr");
        awaitReady();
        WebElement a4 = row("A4/2024-06-01");
        assertThat(a4.findElement(By.cssSelector("td[data-rule='breach_approved']")).getText()).isEqualTo("Fails");
        a4.findElement(By.cssSelector("[data-action='approve']")).click();
        WebElement form = a4.findElement(By.cssSelector("form.ag-approve"));
        form.findElement(By.name("reason")).sendKeys("Project team for the inspection backlog");
        assertThat(browser.axe()).as("axe with the approval form open").isEmpty();
        form.findElement(By.cssSelector("[type=submit]")).click();
        await("the approval recorded").atMost(READY).until(() -> row("A4/2024-06-01")
                .findElement(By.cssSelector("td[data-rule='breach_approved']")).getText().equals("Passes"));
        assertThat(row("A4/2024-06-01").findElement(By.cssSelector(".ag-approval")).getText())
                .contains("hr").contains("Project team for the inspection backlog");
        assertThat(browser.driver.findElement(By.cssSelector(".ag-saved")).getText()).contains("recorded by hr");
    }
}
