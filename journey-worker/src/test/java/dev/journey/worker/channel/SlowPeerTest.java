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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * Peers that answer, but slowly: one attempt still ends by its deadline, and what it did not
 * finish is a retryable result. The budgets are short here so the tests are quick; in a send
 * they are MessageActivitiesImpl.ATTEMPT_BUDGET.
 */
class SlowPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUDGET = Duration.ofSeconds(2);
    /** What a loaded machine may add to a budget before the attempt has returned. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    /**
     * An SMTP server that greets, then answers EHLO one byte every 300 ms: every read gets a byte
     * well within the 1 s read timeout, so only a deadline over the whole conversation ends it.
     */
    @Test
    void anSmtpServerThatDribblesItsAnswerIsCutAtTheAttemptsDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> dribble(server), "dribbling-smtp");
            peer.setDaemon(true);
            peer.start();
            EmailConfig config = new EmailConfig("127.0.0.1", server.getLocalPort(), EmailConfig.Tls.NONE, null, null,
                    "shop@example.com", "PT1S", 1000L);
            Outgoing mail = new Outgoing("m-slow-smtp", "p", "user", "ann",
                    JSON.readTree("{\"to\": \"ann@example.org\", \"subject\": \"Hi\", \"text\": \"Hello\"}"), Map.of(), Map.of(), PushProgress.NONE);

            long start = System.nanoTime();
            SendResult result = new EmailChannel(OutboundPolicy.allowingLoopback()).send(mail, List.of(channel(ChannelType.EMAIL, config)), Deadline.after(BUDGET));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(BUDGET.plus(SLACK)) < 0, "one attempt took " + took.toMillis() + " ms");
            assertFalse(result.delivered());
            assertTrue(result.retryable(), result.error());
            assertTrue(result.error().contains("did not finish within the attempt's 2 s"), result.error());
        }
    }

    /**
     * Three devices; FCM answers the first at once and holds the second until released. The
     * attempt gives up on the second at its deadline and never starts the third; the next
     * attempt goes on with the second and third only.
     */
    @Test
    void pushDevicesNotReachedWithinTheBudgetAreLeftForTheNextAttempt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> tokens = new CopyOnWriteArrayList<>();
        HttpServer fcm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        fcm.setExecutor(threads);
        fcm.createContext("/", exchange -> {
            String token = JSON.readTree(exchange.getRequestBody()).path("message").path("token").asText();
            tokens.add(token);
            if (token.equals("tok-2")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"name\": \"projects/shop/messages/1\"}".getBytes(StandardCharsets.UTF_8);
            try (exchange) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException gone) {
                // the sender stopped waiting
            }
        });
        fcm.start();
        try {
            List<PushTargets.Device> devices = List.of(new PushTargets.Device("d1", "android", "tok-1"),
                    new PushTargets.Device("d2", "android", "tok-2"), new PushTargets.Device("d3", "android", "tok-3"));
            PushChannel push = new PushChannel(new PushTargets() {
                @Override
                public List<Device> live(String projectId, String subjectType, String subjectId, String userId) {
                    return devices;
                }

                @Override
                public void markDead(String projectId, String deviceId, String token) {}
            }, new ProviderHttp(OutboundPolicy.allowingLoopback()), JSON);
            Map<String, String> outcomes = new ConcurrentHashMap<>();
            PushProgress progress = new PushProgress() {
                @Override
                public Map<String, String> outcomes() {
                    return Map.copyOf(outcomes);
                }

                @Override
                public void record(String deviceId, String outcome) {
                    outcomes.put(deviceId, outcome);
                }
            };
            Outgoing o = new Outgoing("m-slow-push", "p", "user", "ann", JSON.readTree("{\"title\": \"Hi\", \"body\": \"Hello\"}"),
                    Map.of("id", "ann"), Map.of(), progress);
            FcmConfig config = new FcmConfig("http://127.0.0.1:" + fcm.getAddress().getPort(), "shop", "fixed-token", null);
            List<ProjectChannel> configured = List.of(channel(ChannelType.PUSH, config));

            long start = System.nanoTime();
            SendResult first = push.send(o, configured, Deadline.after(BUDGET));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(BUDGET.plus(SLACK)) < 0, "one attempt took " + took.toMillis() + " ms");
            assertTrue(first.retryable(), String.valueOf(first.error()));
            assertEquals(Map.of("d1", "sent"), outcomes, "the first device's outcome is kept; the one in flight has none");
            assertEquals(List.of("tok-1", "tok-2"), tokens, "the third device was not started after the deadline");

            release.countDown();
            SendResult second = push.send(o, configured, Deadline.after(BUDGET));
            assertTrue(second.delivered(), String.valueOf(second.error()));
            assertEquals(Map.of("devices", 3), second.details());
            assertEquals(List.of("tok-1", "tok-2", "tok-2", "tok-3"), tokens, "the next attempt went on where the first stopped");
        } finally {
            release.countDown();
            fcm.stop(0);
            threads.shutdownNow();
        }
    }

    private static ProjectChannel channel(ChannelType type, ChannelConfig config) {
        return new ProjectChannel("ch-test", "p", type, null, config, null, null);
    }

    /** Greets, reads EHLO, then writes its answer one byte at a time until the client hangs up. */
    private static void dribble(ServerSocket server) {
        try (Socket client = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write("220 slow.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            byte[] answer = "250-slow.example greets you, one byte at a time, for as long as you listen\r\n".getBytes(StandardCharsets.US_ASCII);
            for (long i = 0; i < 200; i++) {
                out.write(answer[(int) (i % answer.length)]);
                out.flush();
                Thread.sleep(300);
            }
        } catch (IOException | InterruptedException e) {
            // the client hung up: the dribble is over
        }
    }
}
