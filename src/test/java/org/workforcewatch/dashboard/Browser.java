package org.workforcewatch.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium over WebDriver, using the system's browser and driver only (Debian packages
 * {@code chromium} and {@code chromium-driver}). Both paths are given explicitly, so Selenium Manager, which
 * would otherwise look for (and download) a browser and driver, never runs; {@link #start} checks that it did not.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Selenium Manager logs here whenever it runs (held, so its level is not lost to garbage collection). */
    private static final Logger MANAGER_LOG = Logger.getLogger("org.openqa.selenium.manager");

    /**
     * Selenium warns when it bundles no DevTools classes for this exact Chromium version. No DevTools connection
     * is opened here (the two Chromium commands go through chromedriver), so the version does not matter.
     */
    private static final Logger CDP_VERSION_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A fresh browser with its own empty profile, at the given window size. */
    static Browser start(int width, int height) {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: the browser tests need the Debian packages chromium and"
                        + " chromium-driver (apt-get install chromium chromium-driver); no browser is ever downloaded");
            }
        }
        CDP_VERSION_LOG.setLevel(Level.SEVERE);
        ManagerWatch watch = new ManagerWatch();
        MANAGER_LOG.setLevel(Level.ALL);
        MANAGER_LOG.addHandler(watch);
        Path profile;
        try {
            profile = Files.createTempDirectory("ww-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--disable-extensions", "--disable-domain-reliability", "--disable-breakpad", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-GB",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        // the page's console, so a failing test can show what the page reported
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } finally {
            MANAGER_LOG.removeHandler(watch);
        }
        if (!watch.records.isEmpty()) {
            driver.quit();
            throw new IllegalStateException("Selenium Manager ran (it may download browsers): " + watch.records);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Browser browser = new Browser(driver, profile);
        browser.resize(width, height);
        return browser;
    }

    /**
     * Sets the viewport (not the window) to exactly this size, as a phone or a laptop screen would have it:
     * headless Chromium's window can be narrower than a desktop window may be.
     */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** What the page wrote to its console since the last call (errors, warnings, logs). */
    String console() {
        StringBuilder out = new StringBuilder();
        driver.manage().logs().get("browser").forEach(e -> out.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n'));
        return out.toString();
    }

    /**
     * Loads every lazily loaded image at once and waits (up to the script timeout) until each has loaded or
     * failed, so a screenshot shows the charts.
     */
    void loadLazyImages() {
        ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const images = [...document.images];
                images.forEach((img) => { img.loading = 'eager'; });
                Promise.all(images.map((img) => img.complete ? null
                        : new Promise((resolve) => { img.addEventListener('load', resolve); img.addEventListener('error', resolve); })))
                    .then(() => done());
                """);
    }

    /** The bundled accessibility engine (src/test/resources/axe, axe-core from the npm registry), read once. */
    private static String axeSource;

    /**
     * Runs axe-core on the page as it is now, for WCAG 2.0, 2.1 and 2.2 A and AA, and answers each violation as
     * "rule (impact): help, at selectors" (empty when there are none). The engine is injected by the driver, which
     * the page's content security policy does not govern; nothing is fetched.
     */
    List<String> axe() {
        return axe("{ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }");
    }

    /** As {@link #axe()}, with these options of axe.run (a JavaScript object literal: which rules or tags to run). */
    List<String> axe(String options) {
        if (axeSource == null) {
            try (var in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
                axeSource = new String(java.util.Objects.requireNonNull(in, "axe/axe.min.js is missing from the test resources")
                        .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!Boolean.TRUE.equals(js("return typeof window.axe === 'object'"))) {
            js(axeSource);
        }
        Object found = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, %s)
                    .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}, at `
                            + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; '))))
                    .catch((e) => done([`axe failed: ${e}`]));
                """.formatted(options));
        List<String> violations = new ArrayList<>();
        ((List<?>) found).forEach(v -> violations.add(String.valueOf(v)));
        return violations;
    }

    /** The whole page, not just the viewport, as PNG. */
    void screenshot(Path file) {
        Number width = (Number) js("return document.documentElement.clientWidth");
        Number height = (Number) js("return document.documentElement.scrollHeight");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }

    private static final class ManagerWatch extends Handler {
        final List<String> records = new ArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
