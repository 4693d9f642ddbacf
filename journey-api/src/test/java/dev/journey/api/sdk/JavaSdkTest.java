package dev.journey.api.sdk;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.journey.api.support.TestProject;
import dev.journey.sdk.InAppMessage;
import dev.journey.sdk.JourneyClient;
import dev.journey.sdk.JourneyOptions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * Issue 19: the Java SDK (src/sdk/java) against this engine, over real HTTP with a publishable key, as an
 * Android app or a backend would use it. What the engine stored is read back with the project's secret key.
 */
@QuarkusTest
class JavaSdkTest {
    private static final Duration SOON = Duration.ofSeconds(30);

    @Test
    void everySeedDataTypeTagsAndTheUserArriveAsSent() throws IOException {
        TestProject shop = TestProject.create("JavaSdkTypes");
        shop.api().body(Map.of("id", "news", "name", "News")).post(shop.path("/topics")).then().statusCode(201);
        try (JourneyClient app = client(shop.newKey("publishable"), Files.createTempDirectory("journey-sdk"))) {
            String anonymous = app.trackEvent("app_open");
            app.setUserId("ann");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("product", "Shoes");
            data.put("price", 59.9);
            data.put("quantity", 2);
            data.put("paidAt", java.time.OffsetDateTime.parse("2024-04-19T14:23:56+09:00"));
            data.put("gift", true);
            data.put("sizes", List.of("42", "43"));
            data.put("ratings", new int[] {4, 5});
            data.put("coupon", null);
            String purchase = app.trackEvent("purchase", data);
            app.setTags(Map.of("plan", "gold", "age", 31, "beta", false));
            app.setSubscription("news", "email", false);
            assertThrows(IllegalArgumentException.class, () -> app.setSubscription("no spaces", null, true));
            assertThrows(IllegalArgumentException.class, () -> app.setSubscription("news", "fax", true));
            String refund = app.trackEventFor("dan", "refund", Map.of("amount", 12)); // a backend's way: the user per call
            assertThrows(IllegalArgumentException.class, () -> app.trackEvent("purchase", Map.of("items", List.of("a", 1))),
                    "the engine's rules are met at the call");
            assertTrue(app.flush(SOON));

            Map<String, Object> stored = event(shop, "userId=ann", purchase);
            assertEquals("user", stored.get("subjectType"));
            Map<?, ?> got = (Map<?, ?>) stored.get("data");
            assertEquals("Shoes", got.get("product"));
            assertEquals(59.9, ((Number) got.get("price")).doubleValue());
            assertEquals(2, ((Number) got.get("quantity")).intValue());
            assertEquals("2024-04-19T14:23:56+09:00", got.get("paidAt"));
            assertEquals(true, got.get("gift"));
            assertEquals(List.of("42", "43"), got.get("sizes"));
            assertEquals(List.of(4, 5), got.get("ratings"));
            assertTrue(got.containsKey("coupon") && got.get("coupon") == null, "null is kept: " + got);
            assertEquals(Set.copyOf(data.keySet()), Set.copyOf(got.keySet()));

            assertEquals(12, ((Number) ((Map<?, ?>) event(shop, "userId=dan", refund).get("data")).get("amount")).intValue());
            Map<String, Object> before = event(shop, "deviceId=" + app.deviceId(), anonymous);
            assertEquals("device", before.get("subjectType"), "tracked before setUserId: the device's");
            Map<?, ?> tags = shop.api().get(shop.path("/users/ann")).then().statusCode(200).extract().path("tags");
            assertEquals("gold", tags.get("plan"));
            assertEquals(31, ((Number) tags.get("age")).intValue());
            assertEquals(false, tags.get("beta"));
            io.restassured.path.json.JsonPath subscriptions = shop.api().get(shop.path("/users/ann/subscriptions")).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(Map.of("email", "unsubscribed"), subscriptions.getMap("topics[0].channels"));
            assertEquals("sdk", subscriptions.getString("subscriptions[0].source"));
        }
    }

    @Test
    void registeringTheDeviceTwiceAndFromAReopenedClientRecordsOneFirstSession() throws IOException {
        TestProject shop = TestProject.create("JavaSdkDevice");
        TestProject key = shop.newKey("publishable");
        Path dir = Files.createTempDirectory("journey-sdk");
        String deviceId;
        try (JourneyClient app = client(key, dir)) {
            deviceId = app.deviceId();
            app.registerDevice("android", "fcm-token-1");
            app.registerDevice("android", "fcm-token-2");
            assertTrue(app.flush(SOON));
        }
        try (JourneyClient restarted = client(key, dir)) {
            assertEquals(deviceId, restarted.deviceId(), "the device id is kept in the storage directory");
            restarted.registerDevice("android", "fcm-token-2");
            restarted.setUserId("bea"); // registers the device again, for bea
            assertTrue(restarted.flush(SOON));
        }
        List<Map<String, Object>> sessions = events(shop, "deviceId=" + deviceId + "&type=@first_session");
        assertEquals(1, sessions.size(), "one @first_session per device: " + sessions);
        Map<?, ?> user = shop.api().get(shop.path("/users/bea")).then().statusCode(200).extract().as(Map.class);
        assertTrue(String.valueOf(user.get("devices")).contains(deviceId), "the device is bea's: " + user);
    }

    @Test
    void anInAppMessageFromAJourneyIsFetchedAndEachReportIsRecordedOnceEvenIfSentTwice() throws IOException {
        TestProject shop = TestProject.create("JavaSdkInApp");
        shop.api().body(Map.of("type", "inapp")).post(shop.path("/channels")).then().statusCode(201);
        String journey = shop.api().body("""
                        {"name": "welcome", "trigger": {"event": "visit"}, "reentry": {"mode": "always"},
                         "steps": [{"id": "banner", "type": "message", "channel": "inapp",
                                    "template": {"title": "Hi << user.id >>", "body": "Half price today"}, "next": null}]}""")
                .post(shop.path("/journeys")).then().statusCode(201).extract().path("id");
        shop.api().post(shop.path("/journeys/" + journey + "/publish")).then().statusCode(200);

        try (JourneyClient app = client(shop.newKey("publishable"), Files.createTempDirectory("journey-sdk"))) {
            app.setUserId("cid");
            app.trackEvent("visit");
            app.flush();
            AtomicReference<List<InAppMessage>> inbox = new AtomicReference<>();
            await().atMost(SOON).pollInterval(Duration.ofMillis(100)).until(() -> {
                inbox.set(app.inbox());
                return !inbox.get().isEmpty();
            });
            InAppMessage message = inbox.get().get(0);
            assertEquals("Hi cid", message.text("title"));
            assertEquals(journey, message.journeyId());
            assertNull(message.displayedAt());

            app.displayed(message);
            app.displayed(message);
            assertTrue(app.flush(SOON));
            assertNotNull(app.inbox().get(0).displayedAt(), "displayed, still in the inbox until clicked or closed");
            app.clicked(message, "primary", "https://shop.example/sale");
            app.clicked(message, "primary", null);
            app.closed(message);
            app.closed(message);
            assertTrue(app.flush(SOON));
            assertEquals(0, app.rejectedCount());
            assertTrue(app.inbox().isEmpty());

            for (String type : List.of("@iam_displayed", "@iam_clicked", "@iam_closed")) {
                List<Map<String, Object>> recorded = events(shop, "userId=cid&type=" + type);
                assertEquals(1, recorded.size(), type + ": " + recorded);
                assertEquals(message.messageId(), ((Map<?, ?>) recorded.get(0).get("data")).get("messageId"));
            }
            Map<?, ?> click = (Map<?, ?>) events(shop, "userId=cid&type=@iam_clicked").get(0).get("data");
            assertEquals("https://shop.example/sale", click.get("url"));
        }
    }

    @Test
    void aPushTheAppReportsOpenedIsRecordedOnceForItsMessage() throws Exception {
        TestProject shop = TestProject.create("JavaSdkPushOpened");
        try (dev.journey.api.support.ProviderServer fcm = new dev.journey.api.support.ProviderServer(200, "{\"name\": \"m\"}")) {
            shop.api().body(Map.of("type", "push", "provider", "fcm", "baseUrl", fcm.baseUrl(), "fcmProjectId", "app", "accessToken", "token"))
                    .post(shop.path("/channels")).then().statusCode(201);
            String journey = shop.api().body("""
                            {"name": "nudge", "trigger": {"event": "visit"},
                             "steps": [{"id": "nudge", "type": "message", "channel": "push",
                                        "template": {"title": "Back soon?", "body": "Your cart"}, "next": null}]}""")
                    .post(shop.path("/journeys")).then().statusCode(201).extract().path("id");
            shop.api().post(shop.path("/journeys/" + journey + "/publish")).then().statusCode(200);

            try (JourneyClient app = client(shop.newKey("publishable"), Files.createTempDirectory("journey-sdk"))) {
                app.setUserId("pat");
                app.registerDevice("android", "tok-pat");
                app.trackEvent("visit");
                assertTrue(app.flush(SOON));
                dev.journey.api.support.ProviderServer.Request push = fcm.next(SOON);
                assertNotNull(push, "the push reached FCM");
                String messageId = io.restassured.path.json.JsonPath.from(push.body()).getString("message.data.messageId");

                app.pushOpened(messageId);
                app.pushOpened(messageId);
                app.pushOpened("not-a-message");
                assertThrows(IllegalArgumentException.class, () -> app.pushOpened(""));
                assertTrue(app.flush(SOON));
                List<Map<String, Object>> opened = events(shop, "userId=pat&type=@opened");
                assertEquals(1, opened.size(), opened.toString());
                assertEquals(messageId, ((Map<?, ?>) opened.get(0).get("data")).get("messageId"));
                assertEquals("push", ((Map<?, ?>) opened.get(0).get("data")).get("channel"));
                assertEquals(1, app.rejectedCount(), "the unknown message, dropped");
            }
        }
    }

    @Test
    void anUnreachableEngineThrowsNothingAndTheNextClientSendsWhatWasQueued() throws IOException {
        TestProject shop = TestProject.create("JavaSdkOffline");
        TestProject key = shop.newKey("publishable");
        Path dir = Files.createTempDirectory("journey-sdk");
        String eventId;
        try (JourneyClient offline = offline(shop, key, dir)) {
            eventId = offline.trackEvent("offline_event");
            assertFalse(offline.flush(Duration.ofSeconds(1)), "nothing can be sent, and nothing is thrown");
            assertEquals(1, offline.pendingCount());
        }
        try (JourneyClient online = client(key, dir)) {
            assertTrue(online.flush(SOON));
        }
        assertEquals(eventId, event(shop, "type=offline_event", eventId).get("eventId"));
    }

    @Test
    void anEventTheEngineRefusesIsDroppedAndCountedWhileTheRestOfItsBatchIsStored() throws IOException {
        TestProject shop = TestProject.create("JavaSdkRefused");
        Path dir = Files.createTempDirectory("journey-sdk");
        // A queue as a client with looser rules (an older version) would have left it: the middle event breaks the
        // engine's rules, which this client would have refused at trackEvent.
        StringBuilder queue = new StringBuilder();
        for (String[] e : new String[][] {{"ok-1", "signup"}, {"bad-1", "@forged"}, {"ok-2", "signup"}}) {
            queue.append("{\"add\":{\"kind\":\"event\",\"id\":\"item-").append(e[0]).append("\",\"event\":{\"eventId\":\"")
                    .append(e[0]).append("\",\"subjectType\":\"user\",\"subjectId\":\"eve\",\"type\":\"").append(e[1])
                    .append("\",\"data\":{}}}}\n");
        }
        Files.writeString(dir.resolve("queue.log"), queue);
        try (JourneyClient app = client(shop.newKey("publishable"), dir)) {
            assertTrue(app.flush(SOON));
            assertEquals(1, app.rejectedCount());
        }
        assertEquals(List.of("ok-2", "ok-1"), events(shop, "userId=eve").stream().map(e -> e.get("eventId")).toList());
    }

    @Test
    void aKeyTheEngineRefusesPausesSendingAndKeepsTheQueue() throws IOException {
        TestProject shop = TestProject.create("JavaSdkBadKey");
        try (JourneyClient app = client(new TestProject(shop.id(), "jpk_not-a-key-of-this-project"), Files.createTempDirectory("journey-sdk"))) {
            app.trackEvent("lost_key");
            assertFalse(app.flush(SOON));
            assertTrue(app.pausedReason().contains("401"), app.pausedReason());
            assertEquals(1, app.pendingCount());
        }
    }

    @Test
    void aClientKilledMidSendLosesNothingAndTheReopenedOneStoresEachEventOnce() throws Exception {
        TestProject shop = TestProject.create("JavaSdkKill");
        TestProject key = shop.newKey("publishable");
        Path dir = Files.createTempDirectory("journey-sdk");
        int count = 300;
        // The child's second track request reaches the engine, which stores it; its answer is held back and the
        // child is killed: the worst moment, stored but never acknowledged.
        try (HoldingProxy proxy = new HoldingProxy(baseUrl(), 2)) {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JavaSdkChild.class.getName(),
                    proxy.baseUrl(), shop.id(), key.key(), dir.toString(), String.valueOf(count)).redirectErrorStream(true).start();
            List<String> queued = new ArrayList<>();
            List<String> output = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null && !line.equals("queued"); ) {
                    output.add(line);
                    if (line.startsWith("event ")) {
                        queued.add(line.substring(6));
                    }
                }
                assertTrue(proxy.held.await(30, TimeUnit.SECONDS), () -> "the second batch never came: " + String.join("\n", output));
                child.destroyForcibly();
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(count, queued.size(), () -> "the child did not queue everything: " + String.join("\n", output));
            assertTrue(output.contains("half-sent") && output.stream().noneMatch(l -> l.startsWith("error")), () -> String.join("\n", output));

            // Looked at through a client that cannot reach the engine, so that it sends nothing meanwhile.
            try (JourneyClient offline = offline(shop, key, dir)) {
                assertEquals(count, eventIds(shop, offline.deviceId()).size(), "the engine stored both batches before the kill");
                assertEquals(count - count / 2, offline.pendingCount(), "the second batch was never acknowledged");
            }
            try (JourneyClient reopened = client(key, dir)) {
                assertTrue(reopened.flush(SOON));
                assertEquals(0, reopened.pendingCount());
                List<Map<String, Object>> stored = events(shop, "deviceId=" + reopened.deviceId() + "&type=kill_test&limit=500");
                List<String> ids = stored.stream().map(e -> (String) e.get("eventId")).toList();
                assertEquals(count, ids.size(), "sent again, stored once");
                assertEquals(new HashSet<>(queued), new HashSet<>(ids));
                assertEquals(0, reopened.droppedCount() + reopened.rejectedCount());
            }
        }
    }

    /**
     * Passes requests on to the engine and its answers back, except the answer to the {@code holdNth} track
     * request: the engine has handled it, but the client never hears so (until the proxy closes).
     */
    private static final class HoldingProxy implements AutoCloseable {
        final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicInteger tracks = new AtomicInteger();
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpClient http = HttpClient.newHttpClient();

        HoldingProxy(String engine, int holdNth) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                try {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engine + exchange.getRequestURI()))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                    for (String header : List.of("Authorization", "Content-Type")) {
                        String value = exchange.getRequestHeaders().getFirst(header);
                        if (value != null) {
                            request.header(header, value);
                        }
                    }
                    HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (exchange.getRequestURI().getPath().endsWith("/track") && tracks.incrementAndGet() == holdNth) {
                        held.countDown();
                        release.await();
                        return;
                    }
                    exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                    exchange.getResponseBody().write(answer.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private static JourneyClient client(TestProject key, Path dir) {
        return new JourneyClient(JourneyOptions.builder().projectId(key.id()).key(key.key()).baseUrl(baseUrl())
                .storageDirectory(dir).flushInterval(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(500)).build());
    }

    /** A client of the project whose engine address is a closed port. */
    private static JourneyClient offline(TestProject shop, TestProject key, Path dir) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        return new JourneyClient(JourneyOptions.builder().projectId(shop.id()).key(key.key()).baseUrl("http://127.0.0.1:" + closedPort)
                .storageDirectory(dir).flushInterval(Duration.ZERO).maxBackoff(Duration.ofMillis(200)).build());
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    private static List<Map<String, Object>> events(TestProject shop, String query) {
        // Decimals as doubles: RestAssured's default, float, would not read 59.9 back as 59.9.
        return shop.api().get(shop.path("/events?" + query)).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE)).getList("events");
    }

    private static Set<String> eventIds(TestProject shop, String deviceId) {
        Set<String> ids = new HashSet<>();
        events(shop, "deviceId=" + deviceId + "&type=kill_test&limit=500").forEach(e -> ids.add((String) e.get("eventId")));
        return ids;
    }

    /** The one stored event with this eventId among those the query lists. */
    private static Map<String, Object> event(TestProject shop, String query, String eventId) {
        List<Map<String, Object>> found = events(shop, query + "&limit=500").stream().filter(e -> eventId.equals(e.get("eventId"))).toList();
        assertEquals(1, found.size(), () -> eventId + " in " + events(shop, query));
        return found.get(0);
    }
}
