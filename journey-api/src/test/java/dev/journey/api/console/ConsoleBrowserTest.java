package dev.journey.api.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.journey.api.support.HeadlessChromium;
import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Issue 16: the web console at /console/ in a real browser (Debian's headless Chromium, as the Web SDK's tests)
 * against the real engine, on a laptop-sized window. A marketer signs in with the keyboard, creates a journey,
 * publishes it; events sent through the API show up as counts in its funnel and as its instances; the template
 * editor marks an error at its line, then previews the fixed template live; a user's events, the event catalog
 * and the message log show what happened; a dry run of the draft predicts the same three entries and messages. A
 * screenshot of each page is kept under target/screenshots/.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    HeadlessChromium chromium;
    WebDriver driver;

    @BeforeAll
    void startBrowser() throws IOException {
        chromium = new HeadlessChromium(null, 1440, 1000);
        driver = chromium.driver;
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theConsoleIsServedWithASecurityPolicyAndNoScriptOfItsOwnInline() {
        String html = given().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .extract().asString();
        assertTrue(html.contains("<script type=\"module\" src=\"console.js\"></script>"), html);
        assertTrue(!html.contains("<script>") && !html.contains("style="), "no inline script or style: " + html);
        given().get("/console/console.js").then().statusCode(200).contentType(containsString("javascript"))
                .header("Content-Security-Policy", containsString("default-src 'self'"));
        // The script never writes API data as HTML.
        String js = given().get("/console/console.js").then().extract().asString();
        assertTrue(!js.contains("innerHTML") && !js.contains("insertAdjacentHTML") && !js.contains("document.write"), "HTML sinks in console.js");
    }

    @Test
    void aMarketerCreatesPublishesAndWatchesAJourney() throws Exception {
        TestProject shop = TestProject.create("Console");
        shop.api().body(Map.of("type", "inapp")).post(shop.path("/channels")).then().statusCode(201);
        String console = "http://127.0.0.1:" + RestAssured.port + "/console/";

        // Sign in, keyboard only: the project id field has the focus, Tab to the key, Enter submits.
        // A wrong key first: refused, said so.
        driver.get(console);
        WebElement project = waitFor(By.id("project"));
        assertEquals(project, driver.switchTo().activeElement());
        project.sendKeys(shop.id(), Keys.TAB, "jk_not-a-key", Keys.ENTER);
        waitForText(By.id("sign-in-error"), "That key is not valid.");
        assertEquals(driver.findElement(By.id("key")), driver.switchTo().activeElement());
        shot("console-sign-in");
        WebElement key = driver.findElement(By.id("key"));
        key.clear();
        key.sendKeys(shop.key(), Keys.ENTER);
        waitFor(By.cssSelector("nav a[aria-current=page][href='#/journeys']"));
        waitForText(By.tagName("h1"), "Journeys");

        // Last week's purchases, before the journey exists: what its dry run replays.
        for (String user : List.of("ann", "bob", "cy")) {
            shop.api().body(Map.of("events", List.of(Map.of("subjectType", "user", "subjectId", user, "type", "purchase",
                    "data", Map.of("productName", "Blue mug", "amount", 1250))))).post(shop.path("/track")).then().statusCode(202);
        }

        // Create a draft from the JSON editor, dry-run it, then publish it from its page.
        driver.findElement(By.cssSelector("details.card summary")).click();
        WebElement definition = waitFor(By.id("definition"));
        setValue(definition, """
                {"name": "Thank buyers", "trigger": {"event": "purchase"}, "reentry": {"mode": "always"},
                 "steps": [
                   {"id": "thanks", "type": "message", "channel": "inapp",
                    "template": {"title": "Thanks, {{ user.id | capitalize }}", "body": "Enjoy your {{ entry_event.data.productName }}."},
                    "next": "pause"},
                   {"id": "pause", "type": "wait", "duration": "P1D", "next": null}]}""");
        driver.findElement(By.xpath("//button[.='Create draft']")).click();
        waitForText(By.tagName("h1"), "Thank buyers");
        waitForText(By.id("journey-status"), "draft");
        String journeyId = driver.getCurrentUrl().replaceAll(".*#/journeys/", "");
        // Before publishing: a dry run of the draft over the last week predicts the last week's three purchases entering.
        WebElement since = driver.findElement(By.id("dry-run-since"));
        since.clear();
        since.sendKeys("P7D");
        click(By.xpath("//button[.='Dry run the draft']"));
        waitForText(By.id("dry-run-summary"), "3 events read · 3 entries");
        waitForText(By.cssSelector("tr[data-dry-step=thanks] [data-count=reached]"), "3");
        waitForText(By.cssSelector("tr[data-dry-step=pause]"), "still waiting 3");
        waitForText(By.id("dry-run-messages"), "Messages: inapp 3 · capped 0 · suppressed 0 · held 0 · failed 0");
        waitForText(By.cssSelector("tr[data-sample=ann]"), "Thanks, Ann");
        // The results are below the live funnel: the screenshot shows them.
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("document.getElementById('dry-run-h').scrollIntoView()");
        shot("console-dry-run");

        click(By.xpath("//button[.='Publish']"));
        waitForText(By.id("journey-status"), "published");
        waitForText(By.id("status"), "version 1");

        // Three purchases through the API: the page (refreshing on its own) shows them entered, their messages
        // handed off at "thanks", all three waiting at "pause", and the three instances.
        for (String user : List.of("ann", "bob", "cy")) {
            shop.api().body(Map.of("events", List.of(Map.of("subjectType", "user", "subjectId", user, "type", "purchase",
                    "data", Map.of("productName", "Blue mug", "amount", 1250))))).post(shop.path("/track")).then().statusCode(202);
        }
        waitForText(By.cssSelector("[data-stat=entered] .num"), "3");
        waitForText(By.cssSelector("tr[data-step=pause] [data-count=here]"), "3");
        waitForText(By.cssSelector("tr[data-step=thanks] [data-count=messages]"), " 3");
        // Stats and instances are two reads: the table may show a step behind the funnel until its next refresh.
        until(d -> d.findElements(By.cssSelector("tr[data-instance]")).stream().filter(r -> r.getText().contains("active pause")).count() == 3);
        String instances = driver.findElement(By.xpath("//section[h2='Instances']")).getText();
        for (String user : List.of("ann", "bob", "cy")) {
            assertTrue(instances.contains("/user/" + user + "/"), instances);
        }
        shot("console-journey");


        // Why: an instance's id opens its path — the message handed off at "thanks", waiting at "pause" now.
        click(By.xpath("//tr[@data-instance][contains(., '/user/ann/')]/th/a"));
        waitForText(By.tagName("h1"), "Path of ann");
        waitForText(By.cssSelector("tr[data-path-step=thanks] .why"), "inapp · sent");
        WebElement thanks = driver.findElement(By.cssSelector("tr[data-path-step=thanks]"));
        assertTrue(thanks.getText().contains("message") && thanks.getText().endsWith("pause"), thanks.getText());
        WebElement waiting = driver.findElement(By.cssSelector("tr[data-path-step=pause]"));
        assertTrue(waiting.getText().contains("here now") && waiting.getText().contains("waiting until"), waiting.getText());
        assertEquals("Still running.", driver.findElement(By.id("instance-end")).getText());
        assertFalse(driver.findElement(By.tagName("main")).getText().contains("null"), "nothing printed as null");
        shot("console-path");
        driver.navigate().back();
        waitForText(By.tagName("h1"), "Thank buyers");

        // The list: the journey, published, with its counts.
        driver.findElement(By.linkText("Journeys")).click();
        WebElement row = waitFor(By.xpath("//tr[th/a[.='Thank buyers']]"));
        until(d -> row.getText().contains("published"));
        assertTrue(row.getText().matches(".*published 1 3 3 0 0 0.*"), row.getText());
        shot("console-journeys");

        // The template editor: an unclosed tag on line 2 of the body is marked at that line; fixed, it previews.
        driver.findElement(By.linkText("Templates")).click();
        WebElement body = waitFor(By.id("tpl-body"));
        body.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        body.sendKeys("Hello {{ user.tags.name }},", Keys.ENTER, "{% if user.tags.tier == 'gold' %}thanks for staying gold.");
        waitForText(By.cssSelector("#template-problems .errors"), "body, line 2");
        assertEquals("2", waitFor(By.cssSelector(".lined .gutter .bad")).getText());
        assertEquals("true", body.getAttribute("aria-invalid"));
        shot("console-template-error");
        // The error's line is a button that takes the caret there.
        driver.findElement(By.cssSelector("#template-problems .errors button")).click();
        assertEquals(body, driver.switchTo().activeElement());
        body.sendKeys(Keys.END, "{% endif %}");
        until(d -> d.findElements(By.cssSelector("#template-problems .errors")).isEmpty());
        waitForText(By.cssSelector("#preview [data-field=body] pre"), "Hello Ann,\nthanks for staying gold.");
        waitForText(By.cssSelector("#preview [data-field=title] pre"), "Thanks, Ann!");
        assertEquals("false", body.getAttribute("aria-invalid"));
        WebElement name = driver.findElement(By.id("template-name"));
        name.clear();
        name.sendKeys("Gold thanks");
        driver.findElement(By.xpath("//button[.='Save template']")).click();
        waitForText(By.id("status"), "Saved \"Gold thanks\" as version 1.");
        shop.api().get(shop.path("/templates")).then().statusCode(200).body("[0].name", org.hamcrest.Matchers.equalTo("Gold thanks"))
                .body("[0].fields.body", containsString("{% endif %}"));
        shot("console-template-preview");

        // A user's recent events (from an instance's user link), then the catalog with property types.
        driver.get(console + "#/journeys/" + journeyId);
        until(d -> d.findElements(By.cssSelector("tr[data-instance]")).size() == 3);
        click(By.xpath("//tr[@data-instance]//a[.='ann']"));
        waitForText(By.tagName("h1"), "Events");
        assertEquals("ann", driver.findElement(By.id("events-user")).getAttribute("value"));
        WebElement purchase = waitFor(By.cssSelector("tr[data-type=purchase]"));
        assertTrue(purchase.getText().contains("user ann") && purchase.getText().contains("\"productName\":\"Blue mug\""), purchase.getText());
        shot("console-events");

        // The catalog fills a few seconds after the first event: reload until it is there.
        driver.findElement(By.linkText("Event catalog")).click();
        until(d -> {
            if (d.findElements(By.cssSelector("tr[data-type=purchase]")).isEmpty()) {
                d.navigate().refresh();
                return false;
            }
            return true;
        });
        String catalog = driver.findElement(By.cssSelector("tr[data-type=purchase]")).getText();
        assertTrue(catalog.contains("productName string") && catalog.contains("amount number"), catalog);
        shot("console-catalog");

        // The message log: the three in-app messages, rendered.
        driver.findElement(By.linkText("Message log")).click();
        until(d -> d.findElements(By.cssSelector("tr[data-message]")).size() == 3);
        String messages = driver.findElement(By.tagName("table")).getText();
        assertTrue(messages.contains("Thanks, Ann") && messages.contains("Enjoy your Blue mug.") && messages.contains("inapp"), messages);
        shot("console-messages");
        Path readme = Path.of("..", "src", "docs", "console.png");
        if (Boolean.getBoolean("console.updateDocsScreenshot")) {
            // Refreshed on request only (-Dconsole.updateDocsScreenshot=true): the README's picture is committed.
            Files.copy(Path.of("target", "screenshots", "console-journey.png"), readme, StandardCopyOption.REPLACE_EXISTING);
        }

        // Nothing went wrong in the page: no script error, nothing the Content-Security-Policy refused.
        List<String> log = chromium.browserLog();
        assertTrue(log.stream().noneMatch(l -> l.contains("Content Security Policy") || l.contains("Uncaught")), log.toString());
    }

    // ------------------------------------------------------------------------------------------------------

    private WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    private void waitForText(By by, String text) {
        try {
            until(d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no " + by + " with \"" + text + "\"; there is: "
                    + driver.findElements(by).stream().map(WebElement::getText).toList(), e);
        }
    }

    private void until(ExpectedCondition<Boolean> condition) {
        new WebDriverWait(driver, WAIT).pollingEvery(Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    /** Clicks what {@code by} finds, found again if the page redrew it meanwhile (the journey page refreshes). */
    private void click(By by) {
        until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** A long text into a field at once (typing it key by key adds nothing but time), as a paste would. */
    private void setValue(WebElement field, String text) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", field, text);
    }

    private void shot(String name) throws Exception {
        // Let a just-drawn page settle (fonts, the status box) before the picture.
        ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))");
        Path file = chromium.screenshot(name);
        assertTrue(Files.size(file) > 10_000, "screenshot " + file);
    }
}
