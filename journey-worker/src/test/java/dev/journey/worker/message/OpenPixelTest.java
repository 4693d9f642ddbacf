package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class OpenPixelTest {
    private static final Pattern SRC = Pattern.compile("<img src=\"https://t\\.example\\.com/o/([^\"]+)\" width=\"1\" height=\"1\"");

    @Test
    void thePixelIsTheLastThingInTheBodyAndItsTokenNamesTheMessage() {
        String html = OpenPixel.add("<html><BODY><p>Hi</p></BODY></html>", "https://t.example.com/", "s3cret", "shop", "wf-1:hello");
        assertTrue(html.startsWith("<html><BODY><p>Hi</p><img src=\"https://t.example.com/o/"), html);
        assertTrue(html.endsWith("border:0\"></BODY></html>"), html);
        Matcher m = SRC.matcher(html);
        assertTrue(m.find(), html);
        String token = m.group(1);
        assertEquals(new OpenPixel.Open("shop", "wf-1:hello"), OpenPixel.read(token));
        assertTrue(OpenPixel.verify("s3cret", token));
        assertFalse(OpenPixel.verify("another project's secret", token));
        assertFalse(OpenPixel.verify("s3cret", token.substring(0, token.length() - 2) + "xx"));

        assertTrue(OpenPixel.add("<p>no body tag</p>", "https://t.example.com", "s3cret", "shop", "m").startsWith("<p>no body tag</p><img "));
    }

    @Test
    void aClickOrUnsubscribeTokenIsNoOpenAndAnOpenIsNoClick() {
        String click = TrackedLinks.token("s3cret", new TrackedLinks.Link("shop", "m", "https://shop.example.com"));
        assertNull(OpenPixel.read(click), "three parts read as two would name the message \"m\\nhttps://…\"");
        assertFalse(OpenPixel.verify("s3cret", click) && OpenPixel.read(click) != null);
        String open = OpenPixel.url("https://t.example.com", "s3cret", "shop", "m").substring("https://t.example.com/o/".length());
        assertNull(TrackedLinks.read(open));
        assertFalse(TrackedLinks.verify("s3cret", open));
    }
}
