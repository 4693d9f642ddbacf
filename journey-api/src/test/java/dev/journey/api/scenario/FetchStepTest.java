package dev.journey.api.scenario;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The fetch step against a real endpoint on loopback (the tests allow loopback): its JSON answer
 * read by a later message and branch as {@code fetched.<id>}, a POST with a rendered body, a 500
 * retried, the failures that take {@code onFailure} with their reason in the path, the checks on
 * save, and the dry run that calls nothing.
 */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
class FetchStepTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    /** What the endpoint saw of one request. */
    record Seen(String method, String path, String body, String idempotencyKey, String contentType, String accept) {}

    /** A small JSON API: /profile/{user}, /score (POST), /flaky (500 first), /missing, /slow, /text, /huge. */
    static final class Endpoint implements AutoCloseable {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(8);

        Endpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", this::handle);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<Seen> seen(String path) {
            return seen.stream().filter(s -> s.path().equals(path)).toList();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), path, body, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Accept")));
            int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.startsWith("/profile/")) {
                String user = path.substring("/profile/".length());
                answer(exchange, 200, "{\"name\": \"" + user.substring(0, 1).toUpperCase() + user.substring(1) + "\", \"tier\": \""
                        + (user.equals("ann") ? "gold" : "silver") + "\"}");
            } else if (path.equals("/score")) {
                answer(exchange, 200, "{\"score\": 42, \"echo\": " + body + "}");
            } else if (path.equals("/flaky")) {
                answer(exchange, hit == 1 ? 500 : 200, hit == 1 ? "down" : "{\"tries\": " + hit + "}");
            } else if (path.equals("/slow")) {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, 200, "{}");
            } else if (path.equals("/text")) {
                answer(exchange, 200, "hello, not JSON");
            } else if (path.equals("/huge")) {
                answer(exchange, 200, "{\"padding\": \"" + "x".repeat(20_000) + "\"}");
            } else {
                answer(exchange, 404, "{\"error\": \"no such thing\"}");
            }
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void anAnswerIsReadByALaterMessageAndBranch() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Fetch GET"); Endpoint endpoint = new Endpoint()) {
            String journey = s.publish("""
                    {"name": "Profile", "trigger": {"event": "visit"},
                     "steps": [{"id": "profile", "type": "fetch",
                                "request": {"url": "%s/profile/<< entry_event.subjectId >>", "headers": {"Accept": "application/json"}},
                                "next": "decide"},
                               {"id": "decide", "type": "branch",
                                "cases": [{"when": {"path": "fetched.profile.tier", "op": "eq", "value": "gold"}, "next": "gold"}],
                                "else": "plain"},
                               {"id": "gold", "type": "message", "channel": "webhook",
                                "template": {"body": "Hi << fetched.profile.name >>, you are << fetched.profile.tier >>"}, "next": null},
                               {"id": "plain", "type": "message", "channel": "webhook",
                                "template": {"body": "Hello << fetched.profile.name >> (<< fetched.profile.tier >>)"}, "next": null}]}"""
                    .formatted(endpoint.base()));
            s.track("ann", "visit", "{}");
            s.track("bob", "visit", "{}");
            List<ScenarioSupport.Delivered> delivered = s.awaitDelivered(2);
            Map<String, String> bodies = Map.of(delivered.get(0).subjectId(), delivered.get(0).body(), delivered.get(1).subjectId(), delivered.get(1).body());
            assertEquals(Map.of("ann", "Hi Ann, you are gold", "bob", "Hello Bob (silver)"), bodies);

            Seen asked = endpoint.seen("/profile/ann").get(0);
            assertEquals("GET", asked.method());
            assertEquals("application/json", asked.accept());
            assertTrue(asked.idempotencyKey().startsWith("fetch_"), asked.toString());
            JsonPath path = pathOf(s, journey, "ann", p -> p.getList("steps").size() == 3);
            assertEquals(List.of("fetch", "branch", "message"), path.getList("steps.type"));
            assertEquals(200, path.getInt("steps[0].status"));
            assertTrue(path.getBoolean("steps[0].ok"));
            assertEquals(1, path.getInt("steps[0].attempts"));
            assertEquals("decide", path.getString("steps[0].next"));
            assertEquals("fetched.profile.tier", path.getString("steps[1].checks[0].field"));
            assertEquals("gold", path.getString("steps[1].checks[0].actual"));
        }
    }

    @Test
    void aPostSendsItsRenderedBody() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Fetch POST"); Endpoint endpoint = new Endpoint()) {
            s.publish("""
                    {"name": "Score", "trigger": {"event": "purchase"},
                     "steps": [{"id": "score", "type": "fetch",
                                "request": {"method": "POST", "url": "%s/score",
                                            "body": "{\\"user\\": \\"<< entry_event.subjectId >>\\", \\"amount\\": << entry_event.data.amount >>}"},
                                "next": "tell"},
                               {"id": "tell", "type": "message", "channel": "webhook",
                                "template": {"body": "<< fetched.score.score >> for << fetched.score.echo.user >>"}, "next": null}]}"""
                    .formatted(endpoint.base()));
            s.track("cy", "purchase", "{\"amount\": 1250}");
            assertEquals("42 for cy", s.expect(SOON).body());
            Seen posted = endpoint.seen("/score").get(0);
            assertEquals("POST", posted.method());
            assertEquals("{\"user\": \"cy\", \"amount\": 1250}", posted.body());
            assertTrue(posted.contentType().startsWith("application/json"), posted.toString());
        }
    }

    @Test
    void aServerErrorIsRetriedAndOneAnswerIsUsed() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Fetch retry"); Endpoint endpoint = new Endpoint()) {
            String journey = s.publish("""
                    {"name": "Flaky", "trigger": {"event": "visit"},
                     "steps": [{"id": "flaky", "type": "fetch", "request": {"url": "%s/flaky"}, "retries": 2, "next": "tell",
                                "onFailure": "sorry"},
                               {"id": "tell", "type": "message", "channel": "webhook", "template": {"body": "after << fetched.flaky.tries >>"},
                                "next": null},
                               {"id": "sorry", "type": "message", "channel": "webhook", "template": {"body": "sorry"}, "next": null}]}"""
                    .formatted(endpoint.base()));
            s.track("dee", "visit", "{}");
            assertEquals("after 2", s.expect(SOON).body());
            List<Seen> tries = endpoint.seen("/flaky");
            assertEquals(2, tries.size());
            assertEquals(tries.get(0).idempotencyKey(), tries.get(1).idempotencyKey(), "one key on every attempt");
            JsonPath path = pathOf(s, journey, "dee", p -> p.getList("steps").size() == 2);
            assertEquals(2, path.getInt("steps[0].attempts"));
            assertEquals(200, path.getInt("steps[0].status"));
        }
    }

    @Test
    void failuresTakeOnFailureAndThePathSaysWhy() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Fetch failures"); Endpoint endpoint = new Endpoint()) {
            String host = endpoint.base().substring("http://".length());
            String journey = s.publish("""
                    {"name": "Failing", "trigger": {"event": "visit"},
                     "steps": [{"id": "ask", "type": "fetch", "request": {"url": "http://<< entry_event.data.host >>/<< entry_event.data.kind >>"},
                                "timeout": "PT1S", "retries": 0, "next": "tell", "onFailure": "fallback"},
                               {"id": "tell", "type": "message", "channel": "webhook", "template": {"body": "answered"}, "next": null},
                               {"id": "fallback", "type": "message", "channel": "webhook",
                                "template": {"body": "fallback << fetched.ask | default: 'with nothing fetched' >>"}, "next": null}]}""");
            Map<String, String> kinds = Map.of("u404", "missing", "uslow", "slow", "utext", "text", "uhuge", "huge", "uprivate", "x");
            kinds.forEach((user, kind) -> s.track(user, "visit", "{\"kind\": \"" + kind + "\", \"host\": \""
                    + (user.equals("uprivate") ? "10.0.0.1" : host) + "\"}"));
            List<ScenarioSupport.Delivered> delivered = s.awaitDelivered(kinds.size());
            delivered.forEach(d -> assertEquals("fallback with nothing fetched", d.body(), d.subjectId()));

            assertFailed(pathOf(s, journey, "u404", FetchStepTest::fetchEnded), 404, "HTTP 404 from the endpoint");
            assertFailed(pathOf(s, journey, "uslow", FetchStepTest::fetchEnded), null, "endpoint: timed out after 1 s");
            assertFailed(pathOf(s, journey, "utext", FetchStepTest::fetchEnded), 200, "the answer is not JSON");
            assertFailed(pathOf(s, journey, "uhuge", FetchStepTest::fetchEnded), 200, "the answer is larger than 16 KiB");
            assertFailed(pathOf(s, journey, "uprivate", FetchStepTest::fetchEnded), null,
                    "refused: endpoint host resolves to 10.0.0.1 (private)");
            assertEquals(1, endpoint.seen("/missing").size(), "a 404 is not retried");
        }
    }

    @Test
    void aBadFetchStepIsRefusedOnSaveWithThePathOfEachProblem() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Fetch checks")) {
            s.project.api().body("""
                    {"name": "Bad", "trigger": {"event": "visit"},
                     "steps": [{"id": "a", "type": "fetch", "request": {"method": "PUT", "url": "https://api.example.com/<< x | nope >>"},
                                "timeout": "PT2M", "retries": 99, "next": "b", "onFailure": "nowhere"},
                               {"id": "b", "type": "fetch", "request": {"headers": {"X": "1"}}, "timeout": "soon", "next": null}]}""")
                    .post(s.project.path("/journeys")).then().statusCode(422)
                    .body("details.path", hasItems("steps[0].request.method", "steps[0].request.url", "steps[0].timeout",
                            "steps[0].retries", "steps[0].onFailure", "steps[1].request.url", "steps[1].timeout"));
            s.project.api().body("""
                    {"name": "Metadata", "trigger": {"event": "visit"},
                     "steps": [{"id": "a", "type": "fetch", "request": {"url": "http://169.254.169.254/latest/meta-data"}, "next": null}]}""")
                    .post(s.project.path("/journeys")).then().statusCode(422)
                    .body("details.path", hasItems("steps[0].request.url"));
            s.project.api().body("""
                    {"name": "Wrong types", "trigger": {"event": "visit"},
                     "steps": [{"id": "a", "type": "fetch", "request": "GET it", "retries": "two", "next": null}]}""")
                    .post(s.project.path("/journeys")).then().statusCode(422)
                    .body("details.path", hasItems("steps[0].request", "steps[0].retries"));
        }
    }

    @Test
    void aDryRunCallsNoEndpointAndCountsTheFetch() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Fetch dry run"); Endpoint endpoint = new Endpoint()) {
            String id = s.project.api().body("""
                    {"name": "Dry", "trigger": {"event": "visit"},
                     "steps": [{"id": "profile", "type": "fetch", "request": {"url": "%s/profile/<< entry_event.subjectId >>"},
                                "next": "hello", "onFailure": null},
                               {"id": "hello", "type": "message", "channel": "webhook",
                                "template": {"body": "Hi << fetched.profile.name | default: 'there' >>"}, "next": null}]}"""
                    .formatted(endpoint.base()))
                    .post(s.project.path("/journeys")).then().statusCode(201).extract().path("id");
            s.track("eve", "visit", "{}");
            s.track("fay", "visit", "{}");
            JsonPath run = await().atMost(SOON).pollInterval(POLL).until(() -> s.project.api().body(Map.of("since", "P1D"))
                    .post(s.project.path("/journeys/" + id + "/dry-run")).then().statusCode(200).extract().jsonPath(),
                    r -> r.getInt("entries") == 2);
            assertEquals(Map.of("reached", 2), run.getMap("steps.profile"));
            assertEquals(Map.of("reached", 2), run.getMap("steps.hello"));
            assertEquals("Hi there", run.getString("samples[0].rendered.body"));
            assertEquals(List.of(), endpoint.seen, "a dry run calls no endpoint");
        }
    }

    private static boolean fetchEnded(JsonPath path) {
        return path.getList("steps").size() >= 1 && path.get("steps[0].leftAt") != null;
    }

    private static void assertFailed(JsonPath path, Integer status, String error) {
        assertEquals("fetch", path.getString("steps[0].type"));
        assertEquals(false, path.getBoolean("steps[0].ok"));
        assertEquals(status, path.get("steps[0].status"), path.prettify());
        assertEquals(error, path.getString("steps[0].error"), path.prettify());
        assertEquals(1, path.getInt("steps[0].attempts"));
        assertEquals("fallback", path.getString("steps[0].next"));
    }

    /** The path of the user's one instance of the journey, once {@code until} holds. */
    private static JsonPath pathOf(ScenarioSupport s, String journey, String user, java.util.function.Predicate<JsonPath> until) {
        String instance = s.awaitInstances(journey, "?userId=" + user, p -> p.getList("instances").size() == 1)
                .getString("instances[0].id");
        assertNotNull(instance);
        return await().atMost(SOON).pollInterval(POLL).until(() -> s.project.api()
                .get(s.project.path("/journeys/" + journey + "/instances/" + instance + "/path")).then().statusCode(200)
                .extract().jsonPath(), until);
    }
}
