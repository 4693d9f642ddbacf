package dev.journey.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The retry policy, which the real engine cannot be made to exercise on demand (a 503, a 429 with
 * Retry-After): a scripted HTTP server answers in turn. The engine itself is journey-api's JavaSdkTest.
 */
class SenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HttpServer server;
    private final ConcurrentLinkedQueue<String[]> script = new ConcurrentLinkedQueue<>(); // {status, body, retryAfter}
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private JourneyClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void backoffIsFullJitterUnderAnExponentialCeilingAndRespectsRetryAfter() {
        assertEquals(0, Sender.backoffMillis(1, 60_000, 0, 0.0));
        assertEquals(999, Sender.backoffMillis(1, 60_000, 0, 0.999));
        assertEquals(3996, Sender.backoffMillis(3, 60_000, 0, 0.999));
        assertEquals(59_940, Sender.backoffMillis(40, 60_000, 0, 0.999), "capped, even where 2^n overflows");
        assertEquals(5000, Sender.backoffMillis(1, 60_000, 5000, 0.5), "Retry-After is a floor");
        assertEquals(5000, Sender.retryAfter(" 5 "));
        assertEquals(0, Sender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    }

    @Test
    void fiveHundredsAnd429AreRetriedWithTheSameEventIdUntilAccepted() throws IOException {
        script.add(new String[] {"503", "{}", null});
        script.add(new String[] {"429", "{\"error\": \"rate_limited\"}", "0"});
        script.add(new String[] {"202", "{\"accepted\": 1, \"duplicates\": 0}", null});
        client = start();
        String eventId = client.trackEvent("purchase");
        assertTrue(client.flush(Duration.ofSeconds(10)));
        assertEquals(3, received.size());
        for (JsonNode request : received) {
            assertEquals(eventId, request.path("events").get(0).path("eventId").asText());
        }
        assertEquals(0, client.rejectedCount());
    }

    @Test
    void aRefusedEventIsDroppedAndCountedAndTheRestOfItsBatchIsSent() throws IOException {
        script.add(new String[] {"400", "{\"error\": \"invalid\", \"details\": [{\"path\": \"events[1].type\", \"message\": \"bad\"}]}", null});
        script.add(new String[] {"202", "{\"accepted\": 2, \"duplicates\": 0}", null});
        client = start(Duration.ofSeconds(30)); // one batch: nothing is sent before the flush
        String a = client.trackEvent("a");
        client.trackEvent("b");
        String c = client.trackEvent("c");
        assertTrue(client.flush(Duration.ofSeconds(10)));
        assertEquals(2, received.size());
        assertEquals(3, received.get(0).path("events").size());
        JsonNode resent = received.get(1).path("events");
        assertEquals(2, resent.size());
        assertEquals(a, resent.get(0).path("eventId").asText());
        assertEquals(c, resent.get(1).path("eventId").asText());
        assertEquals(1, client.rejectedCount());
    }

    @Test
    void aRefusedKeyPausesSendingAndKeepsTheQueue() throws IOException {
        script.add(new String[] {"401", "{\"error\": \"unauthorized\", \"message\": \"unknown key\"}", null});
        client = start();
        client.trackEvent("a");
        assertFalse(client.flush(Duration.ofSeconds(10)));
        assertNotNull(client.pausedReason());
        assertEquals(1, client.pendingCount());
        assertEquals(1, received.size());
    }

    @Test
    void eventsTrackedFromManyThreadsAreEachSentOnce() throws Exception {
        for (int i = 0; i < 100; i++) {
            script.add(new String[] {"202", "{}", null});
        }
        client = start(Duration.ofMillis(5));
        Set<String> tracked = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    tracked.add(client.trackEvent("tap", Map.of("i", i)));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(client.flush(Duration.ofSeconds(30)));
        List<String> sent = new ArrayList<>();
        synchronized (received) {
            received.forEach(r -> r.path("events").forEach(e -> sent.add(e.path("eventId").asText())));
        }
        assertEquals(1000, tracked.size());
        assertEquals(1000, sent.size(), "no event sent twice");
        assertEquals(tracked, new HashSet<>(sent));
    }

    private JourneyClient start() throws IOException {
        return start(Duration.ZERO);
    }

    private JourneyClient start(Duration flushInterval) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(JSON.readTree(body));
            String[] answer = script.poll();
            if (answer == null) {
                answer = new String[] {"500", "{}", null};
            }
            if (answer[2] != null) {
                exchange.getResponseHeaders().add("Retry-After", answer[2]);
            }
            byte[] out = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        return new JourneyClient(JourneyOptions.builder().projectId("p1").key("jpk_test")
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).storageDirectory(dir)
                .flushInterval(flushInterval).maxBackoff(Duration.ofMillis(200)).build());
    }
}
