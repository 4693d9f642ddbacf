package dev.journey.api.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.journey.api.support.HeadlessChromium;
import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The preference page as a person sees it, in headless Chromium: opened from the unsubscribe link a
 * real message carried, the message's topic unsubscribed with one button, then the other topics
 * chosen and saved. Screenshots under target/screenshots/ (preferences-*.png).
 */
@QuarkusTest
class PreferencePageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aUserUnsubscribesFromOneTopicAndChoosesTheOthers() throws Exception {
        TestProject p = TestProject.create("Preferences");
        p.api().body("{\"unsubscribeLinks\": {\"baseUrl\": \"http://localhost:" + RestAssured.port + "\"}}")
                .put(p.path("/delivery-settings")).then().statusCode(200);
        topic(p, "news", "News", "What is new in the shop, once a month", "subscribed");
        topic(p, "offers", "Offers", "Discounts and sales", "subscribed");
        topic(p, "beta", "Beta programme", "Try features first (you must sign up)", "unsubscribed");
        String url;
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            p.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                    .post(p.path("/channels")).then().statusCode(201);
            String journey = p.api().body("""
                    {"name": "Letter", "trigger": {"event": "issue"},
                     "steps": [{"id": "letter", "type": "message", "channel": "webhook", "topic": "news",
                                "template": {"body": "Unsubscribe: << message.unsubscribe_url >>"}, "next": null}]}""")
                    .post(p.path("/journeys")).then().statusCode(201).extract().path("id");
            p.api().post(p.path("/journeys/" + journey + "/publish")).then().statusCode(200);
            p.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"ann\", \"type\": \"issue\", \"data\": {}}]}")
                    .post(p.path("/track")).then().statusCode(202);
            WebhookReceiver.Received message = receiver.next(WAIT);
            assertTrue(message != null, "no message");
            JsonPath body = new JsonPath(message.body());
            url = body.getString("unsubscribeUrl");
            assertEquals("Unsubscribe: " + url, body.getString("content.body"));
        }

        try (HeadlessChromium chromium = new HeadlessChromium(null, 800, 700)) {
            WebDriver driver = chromium.driver;
            driver.get(url);
            assertEquals("Your webhook preferences", driver.findElement(By.tagName("h1")).getText());
            assertTrue(driver.findElement(By.id("topic-news")).isSelected());
            assertTrue(driver.findElement(By.id("topic-offers")).isSelected());
            assertFalse(driver.findElement(By.id("topic-beta")).isSelected(), "an opt-in topic starts unchecked");
            shot(chromium, "preferences-opened");

            driver.findElement(By.id("unsubscribe")).click();
            new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
                    "You are unsubscribed from News."));
            assertFalse(driver.findElement(By.id("topic-news")).isSelected());
            assertEquals(List.of("unsubscribed", "subscribed", "unsubscribed"), channelStatuses(p, "news", "offers", "beta"));

            driver.findElement(By.id("topic-beta")).click();
            driver.findElement(By.id("topic-offers")).click();
            driver.findElement(By.id("save")).click();
            new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
                    "Your preferences are saved."));
            assertTrue(driver.findElement(By.id("topic-beta")).isSelected());
            assertFalse(driver.findElement(By.id("topic-offers")).isSelected());
            shot(chromium, "preferences-saved");
            assertEquals(List.of("unsubscribed", "unsubscribed", "subscribed"), channelStatuses(p, "news", "offers", "beta"));
            assertEquals(List.of(), chromium.browserLog().stream().filter(l -> l.contains("SEVERE")).toList(), "the page's console");
        }
        JsonPath view = p.api().get(p.path("/users/ann/subscriptions")).then().statusCode(200).extract().jsonPath();
        assertTrue(view.getList("subscriptions.source").stream().allMatch("page"::equals), view.prettify());
    }

    private static void topic(TestProject p, String id, String name, String description, String defaultStatus) {
        p.api().body(Map.of("id", id, "name", name, "description", description, "defaultStatus", defaultStatus))
                .post(p.path("/topics")).then().statusCode(201);
    }

    /** What applies to ann on the webhook channel, topic by topic. */
    private static List<String> channelStatuses(TestProject p, String... topics) {
        JsonPath view = p.api().get(p.path("/users/ann/subscriptions")).then().statusCode(200).extract().jsonPath();
        return java.util.Arrays.stream(topics).map(t -> {
            String channel = view.getString("topics.find { it.topic == '" + t + "' }.channels.webhook");
            return channel != null ? channel : view.getString("topics.find { it.topic == '" + t + "' }.status");
        }).toList();
    }

    private static void shot(HeadlessChromium chromium, String name) throws Exception {
        ((JavascriptExecutor) chromium.driver).executeAsyncScript("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))");
        Path file = chromium.screenshot(name);
        assertTrue(Files.size(file) > 5_000, "screenshot " + file);
    }
}
