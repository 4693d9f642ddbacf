package dev.journey.api.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import com.sun.net.httpserver.HttpServer;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both by path: Selenium Manager (which would
 * download a browser or driver) is never asked. Missing packages fail the test loudly — CI installs them
 * ({@code .ci/run}); a skipped browser test would hide a broken SDK or console. For the Web SDK's tests it also
 * serves the test page from its own origin (a JDK HttpServer on 127.0.0.1), so the SDK calls the engine
 * cross-origin as on a customer's site; the console's test opens the engine's own pages and serves none.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    public final ChromeDriver driver;
    private final ChromeDriverService service;
    private final HttpServer pages;
    private final Path profile;

    public HeadlessChromium(String pageHtml) throws IOException {
        this(pageHtml, 1024, 700);
    }

    /** {@code pageHtml} null: no test page is served. The window is {@code width} × {@code height} CSS pixels. */
    public HeadlessChromium(String pageHtml, int width, int height) throws IOException {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            fail("The Web SDK's browser tests need Debian's Chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver (.ci/run does it on CI)");
        }
        profile = Files.createTempDirectory("journey-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        // The page's console (script errors, Content-Security-Policy refusals), read by browserLog().
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // The driver given to the service: Selenium skips Selenium Manager ("path … specified in Service class"),
        // which would otherwise look for (and download) a driver and a browser.
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));

        if (pageHtml == null) {
            pages = null;
            return;
        }
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] html = pageHtml.getBytes(StandardCharsets.UTF_8);
        pages.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        pages.start();
    }

    /** The test page's origin: another port than the engine's, so every SDK call is cross-origin. */
    public String pageUrl(String query) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + "/shop.html?" + query;
    }

    /** A PNG of the viewport under target/screenshots/ (the test artifact CI keeps). */
    public Path screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** What the page wrote to its console since the last call. */
    public List<String> browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            if (pages != null) {
                pages.stop(0);
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
