package dev.journey.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/** A fetch step's request under the rules of every provider request: the policy, no redirects, a bounded answer, our own words. */
class FetchHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HttpServer server;
    private final List<Headers> heard = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            heard.add(exchange.getRequestHeaders());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String path = exchange.getRequestURI().getPath();
            paths.add(path);
            int status = path.startsWith("/status/") ? Integer.parseInt(path.substring("/status/".length())) : 200;
            if (status == 302) {
                exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + exchange.getLocalAddress().getPort() + "/ok");
            }
            byte[] answer = (path.equals("/big") ? "[\"" + "x".repeat(2_000) + "\"]" : "{\"a\": 1}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static FetchHttp loopbackAllowed() {
        return new FetchHttp(OutboundPolicy.allowingLoopback());
    }

    @Test
    void aGetCarriesItsHeadersAndTheIdempotencyKeyAndReadsTheAnswer() {
        FetchHttp.Result r = loopbackAllowed().send("GET", url("/ok"), Map.of("Accept", "application/json"), null, "fetch_1", TIMEOUT, 1024);
        assertTrue(r.ok(), r.toString());
        assertEquals(200, r.status());
        assertEquals("{\"a\": 1}", r.body());
        assertEquals("application/json", heard.get(0).getFirst("Accept"));
        assertEquals("fetch_1", heard.get(0).getFirst("Idempotency-Key"));
    }

    @Test
    void aPostSendsItsBodyAsJsonUnlessToldOtherwise() {
        assertTrue(loopbackAllowed().send("POST", url("/ok"), Map.of(), "{\"id\": 1}", "k", TIMEOUT, 1024).ok());
        assertTrue(loopbackAllowed().send("POST", url("/ok"), Map.of("Content-Type", "text/plain"), "id=1", "k", TIMEOUT, 1024).ok());
        assertEquals(List.of("{\"id\": 1}", "id=1"), bodies);
        assertTrue(heard.get(0).getFirst("Content-Type").startsWith("application/json"));
        assertTrue(heard.get(1).getFirst("Content-Type").startsWith("text/plain"));
    }

    @Test
    void whatMayPassLaterIsRetryableAndTheRestIsNot() {
        FetchHttp http = loopbackAllowed();
        for (int status : new int[] {500, 503, 408, 429}) {
            FetchHttp.Result r = http.send("GET", url("/status/" + status), Map.of(), null, "k", TIMEOUT, 1024);
            assertEquals(new FetchHttp.Result(status, null, "HTTP " + status + " from the endpoint", true, false), r);
        }
        for (int status : new int[] {400, 401, 404}) {
            assertFalse(http.send("GET", url("/status/" + status), Map.of(), null, "k", TIMEOUT, 1024).retryable());
        }
        FetchHttp.Result redirect = http.send("GET", url("/status/302"), Map.of(), null, "k", TIMEOUT, 1024);
        assertEquals(new FetchHttp.Result(302, null, "HTTP 302 from the endpoint", false, false), redirect);
        assertEquals("/status/302", paths.get(paths.size() - 1), "the redirect's Location was not visited: " + paths);
        // OkHttp itself repeats a request answered 408 once (with the same Idempotency-Key); nothing else is repeated.
        assertEquals(9, paths.size(), paths.toString());
    }

    @Test
    void aLongerAnswerIsAFailureAndARefusedAddressIsNeverContacted() {
        FetchHttp.Result big = loopbackAllowed().send("GET", url("/big"), Map.of(), null, "k", TIMEOUT, 1024);
        assertEquals(new FetchHttp.Result(200, null, "the answer is larger than 1 KiB", false, true), big);
        FetchHttp.Result refused = new FetchHttp(OutboundPolicy.strict()).send("GET", url("/ok"), Map.of(), null, "k", TIMEOUT, 1024);
        assertEquals(new FetchHttp.Result(0, null, "refused: endpoint host resolves to 127.0.0.1 (loopback)", false, false), refused);
        assertEquals(1, heard.size(), "only the allowed request arrived");
    }

    @Test
    void aUrlOrHeaderThatDoesNotRenderToHttpIsAFailureInOurWords() {
        FetchHttp.Result notHttp = loopbackAllowed().send("GET", "ftp://example.com/x", Map.of(), null, "k", TIMEOUT, 1024);
        assertEquals("the rendered URL is not an absolute http or https URL", notHttp.error());
        FetchHttp.Result badHeader = loopbackAllowed().send("GET", url("/ok"), Map.of("X-Name", "a\nInjected: yes"), null, "k", TIMEOUT, 1024);
        assertEquals("a rendered header is not a valid HTTP header", badHeader.error());
        assertNull(badHeader.body());
        assertTrue(heard.isEmpty());
    }
}
