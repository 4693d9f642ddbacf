package dev.journey.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The outbound policy where connections are made: a refused address is never connected to,
 * whatever the host answered when the channel was saved; allowed ones are; redirects are not
 * followed; and what a peer says stays out of the error a message keeps.
 */
class OutboundConnectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    /** The host is public when the channel is saved and loopback when it sends: refused at connect, and nothing connects. */
    @Test
    void aHostThatRebindsToLoopbackAfterTheSaveCheckIsRefusedAtConnect() throws Exception {
        ConnectionCounter local = counter();
        AtomicInteger lookups = new AtomicInteger();
        OutboundPolicy policy = OutboundPolicy.strict().withResolver(host -> new InetAddress[] {
                InetAddress.getByAddress(host, lookups.getAndIncrement() == 0 ? new byte[] {93, (byte) 184, (byte) 216, 34} : new byte[] {127, 0, 0, 1})});
        WebhookConfig config = webhookConfig("http://rebind.test:" + local.port() + "/hook");

        assertEquals(List.of(), policy.problems(config), "at save the host resolved to a public address");
        SendResult result = webhook(policy).send(message(), List.of(channel(config)), Deadline.after(BUDGET));

        assertFalse(result.retryable(), "a refused destination fails the message");
        assertEquals("refused: webhook host resolves to 127.0.0.1 (loopback)", result.error());
        assertEquals(0, local.connections(), "nothing connected to loopback");
    }

    @Test
    void loopbackWrittenAnyWayIsRefusedAtSendWithoutConnecting() throws Exception {
        ConnectionCounter local = counter();
        for (String url : List.of("http://127.0.0.1:%d/", "http://[::1]:%d/", "http://[::ffff:127.0.0.1]:%d/", "http://localhost:%d/",
                "http://127.1:%d/")) {
            SendResult result = webhook(OutboundPolicy.strict()).send(message(), List.of(channel(webhookConfig(url.formatted(local.port())))),
                    Deadline.after(BUDGET));
            assertFalse(result.delivered() || result.retryable(), url + ": " + result);
            assertTrue(result.error().startsWith("refused: webhook host resolves to ") && result.error().endsWith("(loopback)"),
                    url + ": " + result.error());
        }
        assertEquals(0, local.connections(), "nothing connected to loopback");
    }

    @Test
    void anAllowListedRangeOrHostGoesThrough() throws Exception {
        AtomicInteger received = new AtomicInteger();
        String url = httpServer(200, "ok", received);
        OutboundPolicy byRange = OutboundPolicy.of(List.of("127.0.0.0/8"), Optional.of(false), false);
        assertTrue(webhook(byRange).send(message(), List.of(channel(webhookConfig(url))), Deadline.after(BUDGET)).delivered());

        OutboundPolicy byName = OutboundPolicy.of(List.of("hooks.intranet"), Optional.of(false), false)
                .withResolver(host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})});
        String port = url.substring(url.lastIndexOf(':') + 1);
        assertTrue(webhook(byName).send(message(), List.of(channel(webhookConfig("http://hooks.intranet:" + port))),
                Deadline.after(BUDGET)).delivered());
        SendResult other = webhook(byName).send(message(), List.of(channel(webhookConfig("http://other.intranet:" + port))),
                Deadline.after(BUDGET));
        assertEquals("refused: webhook host resolves to 127.0.0.1 (loopback)", other.error());
        assertEquals(2, received.get());
    }

    /** Even where loopback is allowed, a 3xx is an answer, not a direction: its Location (here loopback) is never visited. */
    @Test
    void aRedirectIsNotFollowed() throws Exception {
        AtomicInteger atTarget = new AtomicInteger();
        String target = httpServer(200, "ok", atTarget);
        HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", target + "/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirecting.start();
        opened.add(() -> redirecting.stop(0));

        SendResult result = webhook(OutboundPolicy.allowingLoopback()).send(message(),
                List.of(channel(webhookConfig("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook"))), Deadline.after(BUDGET));

        assertEquals("HTTP 302 from the webhook", result.error());
        assertFalse(result.retryable());
        assertEquals(0, atTarget.get(), "the redirect's target got no request");
    }

    @Test
    void anSmtpHostOnLoopbackIsRefusedAtConnect() throws Exception {
        ConnectionCounter local = counter();
        for (String host : List.of("127.0.0.1", "localhost")) {
            SendResult result = new EmailChannel(OutboundPolicy.strict()).send(mail(), List.of(channel(smtpConfig(host, local.port()))),
                    Deadline.after(BUDGET));
            assertFalse(result.delivered() || result.retryable(), host + ": " + result);
            assertTrue(result.error().startsWith("refused: SMTP host resolves to ") && result.error().endsWith("(loopback)"), result.error());
        }
        assertEquals(0, local.connections(), "nothing connected to loopback");
    }

    @Test
    void aWebhooksErrorBodyStaysOutOfTheError() throws Exception {
        String url = httpServer(500, "SECRET-INTERNAL-BODY", new AtomicInteger());
        SendResult result = webhook(OutboundPolicy.allowingLoopback()).send(message(), List.of(channel(webhookConfig(url))),
                Deadline.after(BUDGET));
        assertEquals("HTTP 500 from the webhook", result.error());
        assertTrue(result.retryable());
    }

    /** A port scanner's view: a service that is no HTTP server answers with its banner; the error names no more than the failure. */
    @Test
    void aNonHttpServicesBannerStaysOutOfTheError() throws Exception {
        int port = banner("SSH-2.0-internal-banner-xyz\r\n");
        SendResult result = webhook(OutboundPolicy.allowingLoopback()).send(message(),
                List.of(channel(webhookConfig("http://127.0.0.1:" + port + "/"))), Deadline.after(BUDGET));
        assertFalse(result.delivered());
        assertFalse(result.error().contains("internal-banner"), result.error());
        assertTrue(result.error().startsWith("webhook: "), result.error());
    }

    @Test
    void anSmtpServersWordsStayOutOfTheErrorButItsReplyCodeIsKept() throws Exception {
        int port = smtp("220 internal-banner-xyz ESMTP", "550 5.1.1 internal-banner-xyz: no such user here");
        SendResult refused = new EmailChannel(OutboundPolicy.allowingLoopback()).send(mail(), List.of(channel(smtpConfig("127.0.0.1", port))),
                Deadline.after(BUDGET));
        assertEquals("SMTP 550 (mailbox unavailable)", refused.error());
        assertFalse(refused.retryable());

        int greeter = smtp("554 internal-banner-xyz go away", null);
        SendResult badGreeting = new EmailChannel(OutboundPolicy.allowingLoopback()).send(mail(),
                List.of(channel(smtpConfig("127.0.0.1", greeter))), Deadline.after(BUDGET));
        assertFalse(badGreeting.error().contains("internal-banner"), badGreeting.error());
        assertEquals("SMTP 554 (transaction failed)", badGreeting.error());
    }

    private WebhookChannel webhook(OutboundPolicy policy) {
        return new WebhookChannel(new ProviderHttp(policy), JSON);
    }

    private static WebhookConfig webhookConfig(String url) {
        return new WebhookConfig(url, "a-secret-of-some-length", null, null);
    }

    private static EmailConfig smtpConfig(String host, int port) {
        return new EmailConfig(host, port, EmailConfig.Tls.NONE, null, null, "shop@example.com", "PT2S", 2000L);
    }

    private static ProjectChannel channel(ChannelConfig config) {
        return new ProjectChannel("ch-test", "p", config.type(), null, config, null, null);
    }

    private static Outgoing message() throws IOException {
        return new Outgoing("m-outbound", "p", "user", "ann", JSON.readTree("{\"body\": \"hi\"}"), Map.of(), Map.of("body", "hi"),
                PushProgress.NONE);
    }

    private static Outgoing mail() throws IOException {
        return new Outgoing("m-outbound-mail", "p", "user", "ann",
                JSON.readTree("{\"to\": \"ann@example.org\", \"subject\": \"Hi\", \"text\": \"Hello\"}"), Map.of(), Map.of(), PushProgress.NONE);
    }

    /** An HTTP server on loopback answering every request with {@code status} and {@code body}; its base URL. */
    private String httpServer(int status, String body, AtomicInteger received) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        opened.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private ConnectionCounter counter() throws IOException {
        ConnectionCounter c = new ConnectionCounter();
        opened.add(c);
        return c;
    }

    /** A service that writes {@code text} to whoever connects, then hangs up; its port. */
    private int banner(String text) throws IOException {
        return serve(client -> client.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * A scripted SMTP server: greets with {@code greeting}, answers EHLO/HELO and MAIL with 250, and
     * RCPT with {@code rcptReply}; its port.
     */
    private int smtp(String greeting, String rcptReply) throws IOException {
        return serve(client -> {
            OutputStream out = client.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            out.write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
                String reply = switch (command) {
                    case "RCPT" -> rcptReply;
                    case "QUIT" -> "221 internal-banner-xyz bye";
                    default -> "250 internal-banner-xyz ok";
                };
                out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (command.equals("QUIT")) {
                    return;
                }
            }
        });
    }

    private interface Conversation {
        void with(Socket client) throws IOException;
    }

    /** A loopback server running {@code conversation} with each client, one at a time; its port. */
    private int serve(Conversation conversation) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        opened.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    conversation.with(client);
                } catch (IOException e) {
                    // the client hung up, or the server was closed
                }
            }
        }, "scripted-peer");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /** A loopback port that counts who connects to it. */
    private static final class ConnectionCounter implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        ConnectionCounter() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "connection-counter");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
