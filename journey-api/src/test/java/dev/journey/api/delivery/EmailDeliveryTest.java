package dev.journey.api.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * E-mail through a real SMTP server in the test (GreenMail): the message as received, its headers,
 * its text and HTML parts; then its tracked link followed: a 302 to the original URL, the message
 * marked clicked and {@code @clicked} recorded with message, journey and step.
 */
@QuarkusTest
class EmailDeliveryTest {
    private static GreenMail smtp;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.setUser("shop@example.com", "mailer", "mailer-password");
        smtp.start();
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @Test
    void anEmailArrivesWithHeadersBothPartsAndATrackedLink() throws Exception {
        TestProject p = TestProject.create("Mail");
        p.api().body("{\"clickTracking\": {\"baseUrl\": \"http://localhost:" + io.restassured.RestAssured.port + "\"}}")
                .put(p.path("/delivery-settings")).then().statusCode(200);
        DeliverySupport.channel(p, Map.of("type", "email", "host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "tls", "none",
                "username", "mailer", "password", "mailer-password", "from", "Shop <shop@example.com>"));
        DeliverySupport.tags(p, "ann", Map.of("email", "ann@example.org"));
        String journey = DeliverySupport.journey(p, "signup", """
                {"id": "welcome", "type": "message", "channel": "email",
                 "template": {"subject": "Welcome, << entry_event.data.name >>",
                              "html": "<p>Hello << entry_event.data.name >>, <a href=\\"https://shop.example.com/start?a=1&amp;b=2\\">start</a></p><img src=\\"https://cdn.example.com/logo.png\\">",
                              "text": "Hello << entry_event.data.name >>, start at https://shop.example.com/start."},
                 "next": null}""");
        DeliverySupport.track(p, "ann", "signup", "{\"name\": \"Ann\"}");

        MimeMessage mail = mailTo("ann@example.org");
        JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "sent".equals(j.getString("messages[0].status")));
        String messageId = log.getString("messages[0].id");

        assertEquals("Welcome, Ann", mail.getSubject());
        assertEquals("Shop <shop@example.com>", mail.getHeader("From")[0]);
        assertEquals("ann@example.org", mail.getHeader("To")[0]);
        assertEquals("<" + messageId + "@journey>", mail.getMessageID());
        assertEquals(messageId, mail.getHeader("X-Journey-Message-Id")[0]);
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(text.startsWith("Hello Ann, start at http://localhost:"), text);
        assertTrue(text.endsWith("."), "trailing punctuation stays outside the link: " + text);
        assertTrue(html.contains("<img src=\"https://cdn.example.com/logo.png\">"), "images load directly: " + html);
        assertEquals(1, log.getInt("messages[0].attempts"));

        Matcher link = Pattern.compile("href=\"http://localhost:\\d+(/c/[^\"]+)\"").matcher(html);
        assertTrue(link.find(), html);
        given().redirects().follow(false).get(link.group(1)).then().statusCode(302)
                .header("Location", "https://shop.example.com/start?a=1&b=2");
        given().redirects().follow(false).get(link.group(1)).then().statusCode(302);
        given().redirects().follow(false).get(link.group(1).substring(0, link.group(1).length() - 2) + "xx").then().statusCode(404);
        given().redirects().follow(false).get("/c/garbage").then().statusCode(404);

        DeliverySupport.awaitMessage(p, journey, j -> "clicked".equals(j.getString("messages[0].status")));
        List<Map<String, Object>> clicks = DeliverySupport.events(p, "ann", "@clicked");
        assertEquals(1, clicks.size(), "a repeated click records nothing new");
        Map<?, ?> data = (Map<?, ?>) clicks.get(0).get("data");
        assertEquals(messageId, data.get("messageId"));
        assertEquals(journey, data.get("journeyId"));
        assertEquals("welcome", data.get("stepId"));
        assertEquals("https://shop.example.com/start?a=1&b=2", data.get("url"));

        // The open pixel: the last thing of the HTML part, none in the text part; loading it records one @opened.
        Matcher pixel = Pattern.compile("<img src=\"http://localhost:\\d+(/o/[^\"]+)\" width=\"1\" height=\"1\" alt=\"\"").matcher(html);
        assertTrue(pixel.find(), html);
        assertTrue(html.substring(pixel.end()).matches("[^<]*>\\s*"), "nothing after the pixel: " + html);
        assertTrue(!text.contains("/o/"), text);
        given().get(pixel.group(1)).then().statusCode(200).contentType("image/gif")
                .header("Cache-Control", org.hamcrest.Matchers.containsString("no-store"));
        given().get(pixel.group(1)).then().statusCode(200);
        given().get(pixel.group(1).substring(0, pixel.group(1).length() - 2) + "xx").then().statusCode(404);
        given().get("/o/" + link.group(1).substring("/c/".length())).then().statusCode(404);
        List<Map<String, Object>> opens = DeliverySupport.events(p, "ann", "@opened");
        assertEquals(1, opens.size(), "a second load records nothing new");
        assertEquals(messageId, ((Map<?, ?>) opens.get(0).get("data")).get("messageId"));
        assertEquals("email", ((Map<?, ?>) opens.get(0).get("data")).get("channel"));
        JsonPath opened = DeliverySupport.awaitMessage(p, journey, j -> j.getString("messages[0].openedAt") != null);
        assertEquals("clicked", opened.getString("messages[0].status"), "an open after a click leaves it clicked");
    }

    @Test
    void withOpensOffTheLinksAreTrackedButTheEmailCarriesNoPixel() throws Exception {
        TestProject p = TestProject.create("MailNoOpens");
        p.api().body("{\"clickTracking\": {\"baseUrl\": \"http://localhost:" + io.restassured.RestAssured.port + "\", \"opens\": false}}")
                .put(p.path("/delivery-settings")).then().statusCode(200).body("clickTracking.opens", org.hamcrest.Matchers.equalTo(false));
        p.api().body("{\"clickTracking\": {\"baseUrl\": \"http://localhost:1\", \"opens\": \"no\"}}")
                .put(p.path("/delivery-settings")).then().statusCode(400).body("details[0].path", org.hamcrest.Matchers.equalTo("clickTracking.opens"));
        DeliverySupport.channel(p, Map.of("type", "email", "host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "tls", "none",
                "username", "mailer", "password", "mailer-password", "from", "shop@example.com"));
        DeliverySupport.tags(p, "bo", Map.of("email", "bo@example.org"));
        String journey = DeliverySupport.journey(p, "signup", """
                {"id": "welcome", "type": "message", "channel": "email",
                 "template": {"subject": "Hi", "html": "<body><a href=\\"https://shop.example.com\\">shop</a></body>"}, "next": null}""");
        DeliverySupport.track(p, "bo", "signup", "{}");
        JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "sent".equals(j.getString("messages[0].status")));
        String html = log.getString("messages[0].content.html");
        assertTrue(html.contains("/c/") && !html.contains("/o/") && !html.contains("<img"), html);
    }

    /** The e-mail that reached this address (the server is shared by the class's tests). */
    private static MimeMessage mailTo(String address) throws Exception {
        java.util.concurrent.atomic.AtomicReference<MimeMessage> found = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await("an e-mail to " + address).atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (address.equals(m.getHeader("To")[0])) {
                    found.set(m);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    @Test
    void aUserWithoutAnAddressIsAFailedMessageWithTheReason() throws Exception {
        TestProject p = TestProject.create("MailNoAddress");
        DeliverySupport.channel(p, Map.of("type", "email", "host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "tls", "none",
                "from", "shop@example.com"));
        String journey = DeliverySupport.journey(p, "signup", """
                {"id": "welcome", "type": "message", "channel": "email", "template": {"subject": "Hi", "text": "Hi"}, "next": null}""");
        DeliverySupport.track(p, "nobody", "signup", "{}");
        JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "failed".equals(j.getString("messages[0].status")));
        assertTrue(log.getString("messages[0].error").contains("\"email\" tag"), log.prettify());
    }
}
