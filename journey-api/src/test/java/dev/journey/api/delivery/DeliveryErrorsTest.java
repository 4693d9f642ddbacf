package dev.journey.api.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.ProviderServer;
import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * What GET …/messages shows of a failed delivery: the status or reply code and our own words,
 * never what the peer wrote — its body, greeting or banner could be an internal service's.
 */
@QuarkusTest
class DeliveryErrorsTest {
    @Test
    void aWebhooksErrorBodyIsNotShown() throws Exception {
        try (ProviderServer hook = new ProviderServer(500, "SECRET-INTERNAL-BODY")) {
            TestProject p = TestProject.create("ErrorsWebhook");
            DeliverySupport.channel(p, Map.of("type", "webhook", "url", hook.baseUrl() + "/hook"));
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "hook", "type": "message", "channel": "webhook", "template": {"body": "hi"}, "next": null}""");
            DeliverySupport.track(p, "ann", "order", "{}");

            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> j.getString("messages[0].error") != null);
            assertEquals("HTTP 500 from the webhook", log.getString("messages[0].error"));
            assertFalse(p.api().get(p.path("/messages")).asString().contains("SECRET-INTERNAL-BODY"));
        }
    }

    @Test
    void anSmtpServersBannerIsNotShownButItsReplyCodeIs() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> converse(smtp), "banner-smtp");
            server.setDaemon(true);
            server.start();
            TestProject p = TestProject.create("ErrorsSmtp");
            DeliverySupport.channel(p, Map.of("type", "email", "host", "127.0.0.1", "port", smtp.getLocalPort(), "tls", "none",
                    "from", "shop@example.com"));
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "mail", "type": "message", "channel": "email",
                     "template": {"to": "ann@example.org", "subject": "Hi", "text": "Hello"}, "next": null}""");
            DeliverySupport.track(p, "ann", "order", "{}");

            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "failed".equals(j.getString("messages[0].status")));
            assertEquals("SMTP 550 (mailbox unavailable)", log.getString("messages[0].error"));
            assertFalse(p.api().get(p.path("/messages")).asString().contains("internal-banner-xyz"));
        }
    }

    /** Greets with a banner, accepts everything but the recipient, and says the banner in every reply. */
    private static void converse(ServerSocket smtp) {
        while (!smtp.isClosed()) {
            try (Socket client = smtp.accept()) {
                OutputStream out = client.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                out.write("220 internal-banner-xyz ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                for (String line; (line = in.readLine()) != null; ) {
                    String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                    String reply = command.equals("RCPT") ? "550 5.1.1 internal-banner-xyz: no such user"
                            : command.equals("QUIT") ? "221 internal-banner-xyz" : "250 internal-banner-xyz";
                    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (command.equals("QUIT")) {
                        break;
                    }
                }
            } catch (java.io.IOException e) {
                // the client hung up, or the test closed the server
            }
        }
    }
}
