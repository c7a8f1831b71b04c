package org.workforcewatch.dashboard;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.openqa.selenium.By;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.workforcewatch.ApiTest;

/**
 * What every browser test of the dashboard shares: one headless Chromium per test class (started at the laptop
 * size), the service's address, and signing in and out through the form as a person does.
 */
abstract class InChromium extends ApiTest {

    /** How long a page may take to be drawn on a busy machine. */
    static final Duration READY = Duration.ofSeconds(30);
    /** Where screenshots are kept as test output. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 800);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /**
     * A step of a class's one browser run: it starts at the laptop size on a blank page, so no page, stream or timer of
     * the step before carries over.
     */
    static DynamicTest step(String name, Runnable check) {
        return DynamicTest.dynamicTest(name, () -> {
            browser.driver.get("about:blank");
            browser.resize(1280, 800);
            check.run();
        });
    }

    /** Opens an address of the service. */
    void open(String path) {
        browser.driver.get("http://localhost:" + port + path);
    }

    /** Waits until the page says it is drawn ({@code body[data-ready]}), showing its console if it never is. */
    void awaitReady() {
        try {
            await("the page").atMost(READY).pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.js("return document.body.dataset.ready === 'true'"), Boolean.TRUE::equals);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the page did not get ready; it shows \""
                    + browser.js("return document.getElementById('title')?.textContent") + "\"; its console:\n" + browser.console(), e);
        }
    }

    /**
     * Forgets whoever was signed in, opens the address, is sent to the sign-in page, signs in with the form, and
     * waits until it is back.
     */
    void signInAs(String path, String user) {
        open("/login");
        browser.driver.manage().deleteAllCookies();
        open(path);
        await("the sign-in page").atMost(READY).until(() -> browser.driver.getCurrentUrl().contains("/login"));
        browser.driver.findElement(By.id("username")).sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.driver.findElement(By.id("sign-in")).click();
        await("signed in as " + user).atMost(READY).until(() -> !browser.driver.getCurrentUrl().contains("/login"));
    }

    /** Signs out with the masthead's button. */
    void signOut() {
        await("the account shown").atMost(READY).until(() -> browser.driver.findElement(By.cssSelector(".account-sign-out")).isDisplayed());
        browser.driver.findElement(By.cssSelector(".account-sign-out")).click();
        await("signed out").atMost(READY).until(() -> browser.driver.getCurrentUrl().endsWith("/login?signed-out"));
    }
}
