package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The pure rules of delivery: quiet-hour windows and tracked links. */
class DeliveryRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DeliverySettings quiet(String start, String end) throws Exception {
        return DeliverySettings.fromJson(JSON.readTree("{\"quietHours\": {\"start\": \"" + start + "\", \"end\": \"" + end + "\"}}"));
    }

    @Test
    void quietHoursOverMidnightInTheUsersZone() throws Exception {
        DeliverySettings p = quiet("21:00", "08:00");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 22:30 in Berlin (winter, UTC+1): held until 08:00 the next morning there.
        assertEquals(Instant.parse("2026-01-16T07:00:00Z"), p.quietUntil("push", berlin, Instant.parse("2026-01-15T21:30:00Z")));
        // 06:00 there: held until 08:00 the same day.
        assertEquals(Instant.parse("2026-01-16T07:00:00Z"), p.quietUntil("push", berlin, Instant.parse("2026-01-16T05:00:00Z")));
        assertNull(p.quietUntil("push", berlin, Instant.parse("2026-01-16T07:00:00Z")), "the end is not quiet any more");
        assertNull(p.quietUntil("push", berlin, Instant.parse("2026-01-16T12:00:00Z")));
        assertNull(p.quietUntil("webhook", berlin, Instant.parse("2026-01-15T21:30:00Z")), "webhooks interrupt nobody");
        // The night the clocks go forward still ends at 08:00 local time.
        assertEquals(Instant.parse("2026-03-29T06:00:00Z"), p.quietUntil("sms", berlin, Instant.parse("2026-03-29T00:30:00Z")));
        DeliverySettings day = quiet("12:00", "14:00");
        assertEquals(Instant.parse("2026-01-15T14:00:00Z"), day.quietUntil("email", ZoneId.of("UTC"), Instant.parse("2026-01-15T12:00:00Z")));
        assertNull(day.quietUntil("email", ZoneId.of("UTC"), Instant.parse("2026-01-15T11:59:59Z")));
        // Whether the user's timezone is needed at all (it is read only then).
        assertTrue(p.quietHoursApplyTo("push"));
        assertFalse(p.quietHoursApplyTo("webhook"));
        assertFalse(quiet("08:00", "08:00").quietHoursApplyTo("push"), "an empty window holds nothing");
        assertFalse(DeliverySettings.NONE.quietHoursApplyTo("push"));
    }

    @Test
    void trackedLinksAreSignedAndOnlyTheirOwnSecretOpensThem() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("subject", "See https://a.example/x");
        fields.put("html", "<a href=\"https://a.example/x?y=1&amp;z=2\">x</a> <img src=\"https://cdn.example/i.png\"> <a href='mailto:a@b'>m</a>");
        fields.put("text", "Go to https://a.example/x, now.");
        fields.put("image", "https://cdn.example/i.png");
        fields.put("deepLink", "shop://orders/1");
        Map<String, String> out = TrackedLinks.rewrite(fields, "https://t.example/", "s3cret", "p1", "msg_1");
        assertEquals("See https://a.example/x", out.get("subject"));
        assertEquals("https://cdn.example/i.png", out.get("image"));
        assertEquals("shop://orders/1", out.get("deepLink"));
        assertTrue(out.get("html").contains("<img src=\"https://cdn.example/i.png\">"));
        assertTrue(out.get("html").contains("href='mailto:a@b'"));
        assertTrue(out.get("text").matches("Go to https://t\\.example/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+, now\\."), out.get("text"));
        String token = out.get("html").replaceAll("(?s).*href=\"https://t\\.example/c/([^\"]+)\".*", "$1");
        assertEquals(new TrackedLinks.Link("p1", "msg_1", "https://a.example/x?y=1&z=2"), TrackedLinks.read(token));
        assertTrue(TrackedLinks.verify("s3cret", token));
        assertFalse(TrackedLinks.verify("other", token));
        String forged = TrackedLinks.token("guess", new TrackedLinks.Link("p1", "msg_1", "https://evil.example"));
        assertFalse(TrackedLinks.verify("s3cret", forged));
        assertNull(TrackedLinks.read("no-dot"));
    }

    @Test
    void linksAreFoundByAnHtmlParserAndOnlyTheirHrefChanges() {
        String html = "<!-- <a href=\"https://in.comment.example\"> --><link href=\"https://fonts.example/css\" rel=stylesheet>"
                + "<p>Café 😀</p><A HREF=https://a.example/q?x=1&amp;y=2>go</A>";
        String out = TrackedLinks.rewrite(Map.of("html", html), "https://t.example", "s3cret", "p1", "msg_2").get("html");
        String prefix = "<!-- <a href=\"https://in.comment.example\"> --><link href=\"https://fonts.example/css\" rel=stylesheet>"
                + "<p>Café 😀</p><A HREF=https://t.example/c/";
        assertTrue(out.startsWith(prefix) && out.endsWith(">go</A>"), out);
        String token = out.substring(prefix.length(), out.length() - ">go</A>".length());
        assertEquals(new TrackedLinks.Link("p1", "msg_2", "https://a.example/q?x=1&y=2"), TrackedLinks.read(token),
                "the link as the browser reads it, entities decoded");
    }
}
