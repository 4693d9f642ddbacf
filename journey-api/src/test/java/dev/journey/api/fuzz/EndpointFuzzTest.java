package dev.journey.api.fuzz;

import static dev.journey.api.fuzz.FuzzValues.w;
import static dev.journey.api.fuzz.FuzzValues.weighted;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.api.support.TestProject;
import dev.journey.worker.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Issue 11, "no request answers 5xx for any input": every endpoint of the API gets requests that jqwik
 * generates from hostile values ({@code fuzz/hostile-values.txt}) and random ones — in path and query
 * parameters, in the Authorization and Content-Type headers, and in bodies (valid bodies with parts
 * replaced, removed or added, and raw bodies that are not JSON, not UTF-8 or nested 10,000 deep).
 *
 * <p>Each answer must be below 500; each 4xx must be the API's error JSON ({@code {"error", "message",
 * "details": [{"path", "message"}]}}); and a refused write must have changed nothing (the project's
 * journeys, segments, channels, templates, snippets, devices, tags, settings and events are the same
 * before and after).
 *
 * <p>The seed is fixed, so a run is reproducible: {@code -Dfuzz.seed=N} tries another, {@code
 * -Dfuzz.requests=N} sends more, {@code -Dfuzz.seconds=N} bounds the time. A failure names the seed, the
 * case number and the request (method, path, headers, body prefix) with the answer.
 */
@QuarkusTest
class EndpointFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 11L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1500);
    private static final long SECONDS = Long.getLong("fuzz.seconds", 40);
    private static final int GEN_SIZE = 1000;
    /** Marks a value resolved at send time: a real id, the project's key, … */
    private static final String REAL = "\uE000";
    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;
    @Inject
    Sql sql;

    /** An endpoint: method, path template (a parameter's name says what it holds), query parameters, body seed. */
    record Endpoint(String method, String path, List<String> query, String seed) {
        String name() {
            return method + " " + path;
        }

        List<String> pathParams() {
            List<String> names = new ArrayList<>();
            Matcher m = PARAM.matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        boolean writes() {
            return !method.equals("GET");
        }
    }

    private static Endpoint get(String path, String... query) {
        return new Endpoint("GET", path, List.of(query), null);
    }

    private static Endpoint call(String method, String path, String seed) {
        return new Endpoint(method, path, List.of(), seed);
    }

    private static final String P = "/v1/projects/{projectId}";

    /** Every resource method of journey-api (the *Resource classes and JourneyInstances), with every query parameter. */
    static final List<Endpoint> ENDPOINTS = List.of(
            call("POST", P + "/track", "track"),
            get(P + "/events", "userId", "deviceId", "type", "since", "until", "limit", "cursor"),
            get(P + "/event-types"),
            call("POST", P + "/event-types", "eventType"),
            call("POST", P + "/devices", "device"),
            call("PUT", P + "/users/{user}/tags", "tags"),
            get(P + "/users/{user}"),
            get(P + "/users/{user}/inapp"),
            call("POST", P + "/inapp/{message}/{action}", "click"),
            call("POST", P + "/journeys", "journey"),
            get(P + "/journeys"),
            get(P + "/journeys/{journey}"),
            call("PUT", P + "/journeys/{journey}", "journey"),
            call("DELETE", P + "/journeys/{journey}", null),
            call("POST", P + "/journeys/{journey}/publish", null),
            call("POST", P + "/journeys/{journey}/pause", null),
            call("POST", P + "/journeys/{journey}/resume", null),
            call("POST", P + "/journeys/{journey}/archive", null),
            get(P + "/journeys/{journey}/instances", "userId", "status", "limit", "cursor"),
            get(P + "/journeys/{journey}/stats"),
            new Endpoint("POST", P + "/journeys/{journey}/dry-run", List.of("wait"), "dryRun"),
            get(P + "/journeys/{journey}/dry-runs/{dryRun}"),
            call("POST", P + "/segments", "segment"),
            get(P + "/segments"),
            get(P + "/segments/{segment}"),
            call("PUT", P + "/segments/{segment}", "segment"),
            call("DELETE", P + "/segments/{segment}", null),
            get(P + "/segments/{segment}/count"),
            call("POST", P + "/segments/preview", "segmentPreview"),
            get(P + "/segments/{segment}/members", "limit", "cursor"),
            call("POST", P + "/templates", "template"),
            get(P + "/templates"),
            get(P + "/templates/{template}", "version"),
            call("PUT", P + "/templates/{template}", "template"),
            call("DELETE", P + "/templates/{template}", null),
            call("POST", P + "/templates/preview", "preview"),
            call("POST", P + "/snippets", "snippet"),
            get(P + "/snippets"),
            get(P + "/snippets/{snippet}", "version"),
            call("PUT", P + "/snippets/{snippet}", "snippet"),
            call("DELETE", P + "/snippets/{snippet}", null),
            call("POST", P + "/channels", "channel"),
            get(P + "/channels"),
            get(P + "/channels/{channel}"),
            call("PUT", P + "/channels/{channel}", "channelUpdate"),
            call("DELETE", P + "/channels/{channel}", null),
            get(P + "/delivery-settings"),
            call("PUT", P + "/delivery-settings", "deliverySettings"),
            get(P + "/messages", "userId", "journeyId", "status", "channel", "limit", "cursor"),
            get("/c/{token}"),
            get("/preferences/{token}"),
            call("POST", "/preferences/{token}", null),
            call("POST", P + "/topics", "topic"),
            get(P + "/topics"),
            get(P + "/topics/{topic}"),
            call("PUT", P + "/topics/{topic}", "topicUpdate"),
            call("DELETE", P + "/topics/{topic}", null),
            get(P + "/users/{user}/subscriptions"),
            call("POST", P + "/broadcasts", "broadcast"),
            get(P + "/broadcasts"),
            get(P + "/broadcasts/{broadcast}"),
            call("POST", P + "/broadcasts/{broadcast}/cancel", null),
            call("PUT", P + "/users/{user}/subscriptions", "subscriptions"),
            get("/sdk/web/v1/{file}"),
            call("POST", "/v1/admin/projects", "adminProject"),
            call("POST", P + "/api-keys", "apiKey"),
            get(P + "/api-keys", "limit", "cursor"),
            call("POST", P + "/api-keys/{apiKey}/rotate", "apiKeyRotate"),
            call("DELETE", P + "/api-keys/{apiKey}", null),
            get(P + "/dispatch"),
            get(P + "/dispatch/dead-letters", "limit", "cursor"),
            call("POST", P + "/dispatch/dead-letters/retry", null),
            call("POST", P + "/dispatch/dead-letters/{event}/retry", null));

    /** One generated request, before the values marked {@link #REAL} are resolved. */
    record Case(Endpoint endpoint, List<String> path, Map<String, String> query, Body body, boolean escapeBody, String auth,
                String contentType, String accept) {}

    sealed interface Body permits NoBody, Raw, Mutated {}

    record NoBody() implements Body {}

    record Raw(byte[] bytes) implements Body {}

    /** The endpoint's valid body with these changes. */
    record Mutated(List<Mutation> mutations) implements Body {}

    /**
     * At a node picked by {@code where} (0..1 over all nodes): 0 replace it, 1 remove it, 2 add a member beside or in
     * it. A replaced value is, when {@code sameKind}, one of the node's own kind: an extreme time for a time, a
     * duration for a duration, a number past every range for a number, other text for text.
     */
    record Mutation(double where, int op, String key, JsonNode value, boolean sameKind, Kinds kinds) {}

    record Kinds(String time, String duration, String timeOfDay, JsonNode number, String text) {}

    record Sent(String method, String uri, Map<String, String> headers, byte[] body) {}

    private final HostileCorpus corpus = HostileCorpus.load();
    private final FuzzValues values = new FuzzValues(corpus);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Fixtures fixtures;

    @Test
    void noRequestAnswers5xxAndEveryRefusalIsAnErrorJsonThatChangedNothing() throws Exception {
        fixtures = new Fixtures(TestProject.create("Fuzz"), TestProject.create("Fuzz other"));
        fixtures.createAll();
        // Generation runs in a jqwik session: jqwik's arbitraries outside a property, with this test's seeded Random.
        JqwikSession.start();
        try {
            fuzz();
        } finally {
            JqwikSession.finish();
        }
    }

    private void fuzz() throws InterruptedException {
        Random random = new Random(SEED);
        Map<Endpoint, RandomGenerator<Case>> generators = new LinkedHashMap<>();
        for (Endpoint e : ENDPOINTS) {
            generators.put(e, cases(e).generator(GEN_SIZE));
        }
        // Endpoints with a body get three turns for each turn of the others: their inputs are larger.
        List<Endpoint> schedule = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (int i = 0; i < (e.seed() != null ? 3 : 1); i++) {
                schedule.add(e);
            }
        }
        List<String> failures = new ArrayList<>();
        Map<String, Integer> failuresPerKind = new TreeMap<>();
        Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
        long started = System.nanoTime();
        int sent = 0;
        int unsendable = 0;
        for (int n = 0; n < REQUESTS && System.nanoTime() - started < SECONDS * 1_000_000_000L; n++) {
            Endpoint endpoint = schedule.get(n % schedule.size());
            Case c = generators.get(endpoint).next(random).value();
            Sent request;
            try {
                request = resolve(c, n);
            } catch (IllegalArgumentException headerTheClientRefuses) {
                unsendable++;
                continue;
            }
            String before = endpoint.writes() ? fixtures.fingerprint() : null;
            HttpResponse<byte[]> response;
            try {
                response = sendOnAFreshConnectionIfTheOldOneWasClosed(request);
            } catch (IllegalArgumentException headerTheClientRefuses) {
                unsendable++;
                continue;
            } catch (IOException e) {
                record(failures, failuresPerKind, endpoint.name() + " no answer", describe(n, request, null) + "\n    " + e);
                continue;
            }
            sent++;
            int status = response.statusCode();
            statuses.computeIfAbsent(endpoint.name(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
            String problem = null;
            if (status >= 500) {
                problem = "a " + status;
            } else if (status >= 400) {
                problem = transportLimit(request, status) ? null : errorShapeProblem(response);
                if (problem == null && before != null) {
                    String after = fixtures.fingerprint();
                    if (!before.equals(after)) {
                        problem = "refused with " + status + " but something was written:\n      before " + before + "\n      after  " + after;
                    }
                }
            } else if (status < 300) {
                fixtures.afterSuccess(endpoint, c);
            }
            if (problem != null) {
                record(failures, failuresPerKind, endpoint.name() + " " + status, describe(n, request, response) + "\n    " + problem);
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("EndpointFuzzTest: seed %d, %d requests sent (%d the HTTP client refused to send) to %d endpoints in %d s%n",
                SEED, sent, unsendable, ENDPOINTS.size(), seconds);
        statuses.forEach((e, s) -> System.out.println("  " + e + " " + s));
        assertTrue(statuses.size() == ENDPOINTS.size(), "every endpoint was called: " + statuses.keySet());
        if (!failures.isEmpty()) {
            fail(failures.size() + " failing requests (seed " + SEED + ", -Dfuzz.seed=" + SEED + " reproduces them); by kind "
                    + failuresPerKind + ":\n" + String.join("\n", failures));
        }
    }

    /** The requests fuzzing found answering 500 (or a 4xx not in the API's shape), each sent as it was found. */
    @Test
    void theCasesFuzzingFoundStayFixed() throws Exception {
        fixtures = new Fixtures(TestProject.create("Fuzz found"), TestProject.create("Fuzz found other"));
        fixtures.createAll();
        String p = "/v1/projects/" + fixtures.project.id();
        Map<String, String> key = Map.of("Authorization", "Bearer " + fixtures.project.key(), "Content-Type", "application/json");
        ObjectNode journey = (ObjectNode) fixtures.seed("journey", 0);
        journey.put("PT15H", "\uDC00\u0000\uDBFF\uDBFF:");
        ObjectNode preview = (ObjectNode) fixtures.seed("segmentPreview", 0);
        ((ObjectNode) preview.at("/condition/all/2/not")).put("to", "-2321773-01-24T00:00:11.000000001+03:30");
        String nulProjectToken = "cAAKbQAKaHR0cDovL3g.AAAA"; // "p\u0000\nm\u0000\nhttp://x", unsigned
        Map<Sent, String> found = new LinkedHashMap<>();
        found.put(new Sent("POST", p + "/inapp/%27%00%3E/clicked", key, null), "400 messageId");
        found.put(new Sent("GET", p + "/dispatch/dead-letters?cursor=LTE3ODUyOTkwMzE2NDA4LjE4ODM6LTk5OTk5OTk5OTk5OTk5", key, null), "400 cursor");
        found.put(new Sent("GET", p + "/messages?cursor=MTcwMDAwMDAwMC4wOgA", key, null), "400 cursor");
        found.put(new Sent("GET", p + "/events?type=a%00b", key, null), "400 type");
        found.put(new Sent("PUT", p + "/journeys/%00", key, serialize(fixtures.seed("journey", 0), true)), "400 id");
        found.put(new Sent("POST", p + "/journeys", key, serialize(journey, true)), "400 PT15H");
        found.put(new Sent("POST", p + "/segments/preview", key, serialize(preview, true)), "422 condition.all[2].not.to");
        found.put(new Sent("POST", p + "/templates/preview", key, "{\"template\": {\"body\": \"x\"}, \"eventId\": \"\\u0000\"}"
                .getBytes(StandardCharsets.UTF_8)), "400 eventId");
        found.put(new Sent("POST", "/v1/admin/projects", Map.of("Authorization", "Bearer " + TestProject.ADMIN_TOKEN, "Content-Type",
                "application/json"), "{\"name\": []}".getBytes(StandardCharsets.UTF_8)), "400 name");
        found.put(new Sent("GET", "/c/" + nulProjectToken, Map.of(), null), "404 -");
        Map<String, String> emptyAccept = new LinkedHashMap<>(key);
        emptyAccept.put("Accept", "");
        found.put(new Sent("POST", p + "/channels", emptyAccept, serialize(fixtures.seed("channel", 0), true)), "201 -");
        Map<String, String> badAccept = new LinkedHashMap<>(key);
        badAccept.put("Accept", "text");
        found.put(new Sent("POST", p + "/channels", badAccept, serialize(fixtures.seed("channel", 0), true)), "400 Accept");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Sent, String> c : found.entrySet()) {
            HttpResponse<byte[]> response = send(c.getKey());
            String[] expected = c.getValue().split(" ");
            String problem = response.statusCode() != Integer.parseInt(expected[0]) ? "expected " + expected[0]
                    : response.statusCode() >= 400 ? errorShapeProblem(response) : null;
            if (problem == null && !expected[1].equals("-")
                    && !JSON.readTree(response.body()).path("details").path(0).path("path").asText().equals(expected[1])) {
                problem = "expected the detail's path " + expected[1];
            }
            if (problem != null) {
                wrong.add(describe(-1, c.getKey(), response) + "\n    " + problem);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** Keeps the first three failures of each kind (endpoint and status), counting the rest. */
    private static void record(List<String> failures, Map<String, Integer> perKind, String kind, String text) {
        if (perKind.merge(kind, 1, Integer::sum) <= 3) {
            failures.add(text);
        }
    }

    // ----- generation -----

    private Arbitrary<Case> cases(Endpoint e) {
        List<Arbitrary<String>> pathValues = e.pathParams().stream().map(this::pathValue).toList();
        Arbitrary<List<String>> path = pathValues.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(pathValues).as(l -> l);
        Arbitrary<Map<String, String>> query = query(e);
        Arbitrary<Body> body = e.seed() != null ? weighted(
                w(2, Arbitraries.just(new Mutated(List.of()))),
                w(8, mutation().list().ofSize(1).map(Mutated::new)),
                w(4, mutation().list().ofSize(2).map(Mutated::new)),
                w(2, mutation().list().ofMinSize(3).ofMaxSize(5).map(Mutated::new)),
                w(2, Arbitraries.of(corpus.bodies()).map(Raw::new)),
                w(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Raw::new)))
                : weighted(w(9, Arbitraries.just(new NoBody())), w(1, Arbitraries.of(corpus.bodies()).map(Raw::new)));
        Arbitrary<String> auth = weighted(
                w(30, Arbitraries.just(REAL + "key")),
                w(1, Arbitraries.just((String) null)),
                w(1, Arbitraries.of(REAL + "otherKey", REAL + "admin", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer " + REAL + "raw",
                        "Bearer " + REAL + "raw" + " extra", "Bearer jk_" + "x".repeat(5000))),
                w(2, values.text(2000).map(t -> "Bearer " + t)));
        Arbitrary<String> contentType = weighted(
                w(24, Arbitraries.just("application/json")),
                w(1, Arbitraries.just((String) null)),
                w(2, Arbitraries.of("text/plain", "application/xml", "application/json; charset=ISO-8859-1", "application/json; charset=UTF-16",
                        "*/*", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;;;", "/", "")),
                w(1, values.text(100)));
        Arbitrary<String> accept = weighted(w(24, Arbitraries.just((String) null)),
                w(1, Arbitraries.of("application/xml", "text/html", "*/*", "application/json;q=0", "", " ", ",", ";", "/", "*", "a/b;c",
                        "application/json;q=x", "text/*;q=0.5, */*;q=0.1")),
                w(1, values.text(100)));
        return Combinators.combine(path, query, body, Arbitraries.of(true, false), auth, contentType, accept)
                .as((p, q, b, escape, a, ct, acc) -> new Case(e, p, q, b, escape, a, ct, acc));
    }

    private Arbitrary<String> pathValue(String name) {
        Arbitrary<String> hostile = values.text(1500);
        return switch (name) {
            case "projectId" -> weighted(w(30, Arbitraries.just(REAL + "project")), w(1, Arbitraries.just(REAL + "otherProject")), w(2, hostile));
            case "action" -> weighted(w(3, Arbitraries.of("displayed", "clicked", "closed")), w(2, hostile));
            case "file" -> weighted(w(3, Arbitraries.of("journey.js", "journey.mjs")), w(2, hostile));
            // Never a real key id: rotating or revoking the key the fuzzer sends would end the run with 401s.
            case "message", "token", "apiKey", "dryRun" -> hostile;
            case "event" -> weighted(w(2, Arbitraries.just(REAL + "event")), w(2, values.numberText()), w(2, hostile));
            default -> weighted(w(6, Arbitraries.just(REAL + name)), w(4, hostile));
        };
    }

    private Arbitrary<Map<String, String>> query(Endpoint e) {
        // About one hostile parameter per request, so that the others let it reach the code behind them.
        int hostile = e.query().size() <= 2 ? 4 : 1;
        List<Arbitrary<String>> params = e.query().stream().map(name -> weighted(
                w(4, Arbitraries.just((String) null)),
                w(3, plausible(name)),
                w(hostile, values.text(1500)))).toList();
        Arbitrary<List<String>> known = params.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(params).as(l -> l);
        Arbitrary<List<String>> unknown = weighted(w(9, Arbitraries.just(List.of())),
                w(1, Combinators.combine(values.text(50), values.text(50)).as(List::of)));
        return Combinators.combine(known, unknown).as((k, u) -> {
            Map<String, String> query = new LinkedHashMap<>();
            for (int i = 0; i < k.size(); i++) {
                if (k.get(i) != null) {
                    query.put(e.query().get(i), k.get(i));
                }
            }
            if (!u.isEmpty()) {
                query.putIfAbsent(u.get(0), u.get(1));
            }
            return query;
        });
    }

    private Arbitrary<String> plausible(String name) {
        return switch (name) {
            case "limit" -> weighted(w(4, Arbitraries.integers().between(1, 500).map(String::valueOf)),
                    w(1, Arbitraries.of("0", "-1", "501", "2147483648", "99999999999999999999999", "1e2", "", " 5")));
            case "cursor" -> values.cursor();
            case "since", "until" -> values.time();
            case "status" -> Arbitraries.of("active", "completed", "exited", "converted", "queued", "sent", "failed", "held", "skipped", "ACTIVE", "");
            case "channel" -> Arbitraries.of("webhook", "email", "push", "sms", "inapp", "");
            case "version" -> Arbitraries.of("1", "2", "0", "-1", "2147483648", " 1 ", "1.0", "");
            case "userId" -> Arbitraries.of("fz-user", "");
            case "deviceId" -> Arbitraries.of("fz-device", "");
            case "type" -> Arbitraries.of("fz_event", "@first_session", "");
            case "journeyId" -> Arbitraries.just(REAL + "journey");
            case "wait" -> Arbitraries.of("PT0S", "PT1S", "PT25S", "P1D", "-PT1S", "soon", "");
            default -> values.text(100);
        };
    }

    private Arbitrary<Mutation> mutation() {
        Arbitrary<Kinds> kinds = Combinators.combine(values.time(), values.duration(),
                        Arbitraries.of("24:00", "23:59:60", "-01:00", "9:00", "09:00:00.9999999999", "00:00", "23:59:59.999999999", "T09:00"),
                        values.numberText().filter(FuzzValues::isJsonNumber).map(FuzzValues::raw), values.text(300))
                .as(Kinds::new);
        Arbitrary<String> key = weighted(w(3, Arbitraries.of("name", "id", "type", "data", "events", "steps", "condition", "where", "x",
                "from", "to", "within", "since", "count", "timestamp", "value", "valueFrom", "duration", "timeout", "cooldown", "until",
                "eventId", "limit", "period", "segment", "templateId", "channelId", "all", "any", "not", "path", "op", "tags")),
                w(2, values.text(200)));
        // Mostly replacements, mostly of a leaf by a value of its own kind: that is what gets past the first check.
        Arbitrary<Integer> op = weighted(w(4, Arbitraries.just(0)), w(1, Arbitraries.just(1)), w(1, Arbitraries.just(2)));
        Arbitrary<Boolean> sameKind = weighted(w(3, Arbitraries.just(true)), w(2, Arbitraries.just(false)));
        return Combinators.combine(Arbitraries.doubles().between(0, 1), op, key, values.jsonValue(), sameKind, kinds).as(Mutation::new);
    }

    // ----- sending -----

    private Sent resolve(Case c, int n) {
        Endpoint e = c.endpoint();
        boolean admin = e.path().startsWith("/v1/admin");
        StringBuilder path = new StringBuilder();
        Matcher m = PARAM.matcher(e.path());
        int i = 0;
        while (m.find()) {
            m.appendReplacement(path, "");
            path.append(encode(fixtures.real(c.path().get(i++))));
        }
        m.appendTail(path);
        StringBuilder query = new StringBuilder();
        c.query().forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(encode(k)).append('=').append(encode(fixtures.real(v))));
        Map<String, String> headers = new LinkedHashMap<>();
        if (c.auth() != null) {
            String auth = c.auth().equals(REAL + "key") ? "Bearer " + (admin ? TestProject.ADMIN_TOKEN : fixtures.project.key())
                    : c.auth().equals(REAL + "otherKey") ? "Bearer " + fixtures.other.key()
                    : c.auth().equals(REAL + "admin") ? "Bearer " + TestProject.ADMIN_TOKEN
                    : c.auth().replace(REAL + "raw", fixtures.project.key());
            headers.put("Authorization", auth);
        }
        byte[] body = null;
        if (c.body() instanceof Raw raw) {
            body = raw.bytes();
        } else if (c.body() instanceof Mutated mutated) {
            body = serialize(mutate(fixtures.seed(e.seed(), n), mutated.mutations()), c.escapeBody());
        }
        if (body != null && c.contentType() != null) {
            headers.put("Content-Type", c.contentType());
        }
        if (c.accept() != null) {
            headers.put("Accept", c.accept());
        }
        return new Sent(e.method(), path + query.toString(), headers, body);
    }

    /**
     * The JDK client may pick a kept-alive connection the server has just closed (after an earlier
     * refusal) and then reads no bytes; it retries only GETs on its own. Once more, on a new
     * connection: a request the server really leaves unanswered fails twice.
     */
    private HttpResponse<byte[]> sendOnAFreshConnectionIfTheOldOneWasClosed(Sent s) throws IOException, InterruptedException {
        try {
            return send(s);
        } catch (IOException closed) {
            return send(s);
        }
    }

    private HttpResponse<byte[]> send(Sent s) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(s.uri())).timeout(Duration.ofSeconds(30));
        s.headers().forEach(request::header);
        request.method(s.method(), s.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(s.body()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Percent-encodes every byte but the unreserved characters; a lone surrogate goes out as invalid UTF-8. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : FuzzValues.Wtf8.bytes(value)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static byte[] serialize(JsonNode body, boolean escapeNonAscii) {
        try {
            if (escapeNonAscii) {
                return JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsBytes(body);
            }
            return FuzzValues.Wtf8.bytes(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies the mutations to a copy of the seed. */
    static JsonNode mutate(JsonNode seed, List<Mutation> mutations) {
        JsonNode root = seed.deepCopy();
        for (Mutation mutation : mutations) {
            List<JsonNode[]> nodes = new ArrayList<>(); // {parent, node}, the root's parent being null
            collect(null, root, nodes);
            double where = mutation.where();
            if (mutation.op() == 0 && mutation.sameKind()) {
                nodes.removeIf(n -> n[0] == null || n[1].isContainerNode());
                // Half the time a time, duration, time of day or number: the values with ranges to fall out of.
                List<JsonNode[]> typed = nodes.stream().filter(n -> !kindOf(n[1]).equals("text")).toList();
                if (where < 0.5 && !typed.isEmpty()) {
                    nodes = new ArrayList<>(typed);
                    where *= 2;
                } else if (where >= 0.5) {
                    where = (where - 0.5) * 2;
                }
                if (nodes.isEmpty()) {
                    continue;
                }
            }
            JsonNode[] picked = nodes.get((int) Math.min(nodes.size() - 1, where * nodes.size()));
            JsonNode parent = picked[0];
            JsonNode node = picked[1];
            if (parent == null) {
                if (node instanceof ObjectNode o) {
                    o.set(mutation.key(), mutation.value());
                }
                continue;
            }
            switch (mutation.op()) {
                case 0 -> replace(parent, node, mutation.sameKind() ? sameKind(node, mutation.kinds()) : mutation.value());
                case 1 -> remove(parent, node);
                default -> {
                    ContainerNode<?> target = node instanceof ContainerNode<?> container ? container : (ContainerNode<?>) parent;
                    if (target instanceof ObjectNode o) {
                        o.set(mutation.key(), mutation.value());
                    } else {
                        ((ArrayNode) target).add(mutation.value());
                    }
                }
            }
        }
        return root;
    }

    private static final Pattern ISO_TIME = Pattern.compile("[+-]?\\d{4,}-\\d\\d-\\d\\dT.*");
    private static final Pattern DURATION = Pattern.compile("-?P.*");
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\d\\d:\\d\\d.*");

    private static String kindOf(JsonNode node) {
        if (node.isNumber()) {
            return "number";
        }
        String text = node.asText();
        return ISO_TIME.matcher(text).matches() ? "time" : DURATION.matcher(text).matches() ? "duration"
                : TIME_OF_DAY.matcher(text).matches() ? "timeOfDay" : "text";
    }

    private static JsonNode sameKind(JsonNode node, Kinds kinds) {
        return switch (kindOf(node)) {
            case "number" -> kinds.number();
            case "time" -> JSON.getNodeFactory().textNode(kinds.time());
            case "duration" -> JSON.getNodeFactory().textNode(kinds.duration());
            case "timeOfDay" -> JSON.getNodeFactory().textNode(kinds.timeOfDay());
            default -> JSON.getNodeFactory().textNode(kinds.text());
        };
    }

    private static void collect(JsonNode parent, JsonNode node, List<JsonNode[]> nodes) {
        nodes.add(new JsonNode[] {parent, node});
        if (node instanceof ContainerNode<?>) {
            for (JsonNode child : node) {
                collect(node, child, nodes);
            }
        }
    }

    private static void replace(JsonNode parent, JsonNode node, JsonNode value) {
        if (parent instanceof ObjectNode o) {
            o.properties().stream().filter(f -> f.getValue() == node).findFirst().ifPresent(f -> o.set(f.getKey(), value));
        } else if (parent instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == node) {
                    a.set(i, value);
                    return;
                }
            }
        }
    }

    private static void remove(JsonNode parent, JsonNode node) {
        if (parent instanceof ObjectNode o) {
            o.properties().stream().filter(f -> f.getValue() == node).findFirst().ifPresent(f -> o.remove(f.getKey()));
        } else if (parent instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == node) {
                    a.remove(i);
                    return;
                }
            }
        }
    }

    // ----- checking -----

    /**
     * Vert.x refuses a request line longer than 4096 bytes (414) or headers beyond 20 KiB (431) before any of the
     * API's code runs, with an empty body: those refusals, for requests past those limits, are not the API's to shape.
     */
    static boolean transportLimit(Sent s, int status) {
        int headers = s.headers().entrySet().stream().mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
        return status == 414 && s.method().length() + s.uri().length() + 10 > 4096 || status == 431 && headers > 20 * 1024;
    }

    /** Null when the answer is the API's error JSON; otherwise what is wrong with it. */
    static String errorShapeProblem(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            return "the error is not JSON (Content-Type \"" + type + "\")";
        }
        JsonNode error;
        try {
            error = JSON.readTree(response.body());
        } catch (IOException e) {
            return "the error body does not parse: " + e.getMessage();
        }
        if (error == null || !error.isObject() || !error.path("error").isTextual() || error.path("error").asText().isEmpty()
                || !error.path("message").isTextual()) {
            return "the error has no \"error\" code and \"message\"";
        }
        JsonNode details = error.get("details");
        if (details != null) {
            if (!details.isArray()) {
                return "\"details\" is not an array";
            }
            for (JsonNode d : details) {
                if (!d.isObject() || !d.path("path").isTextual() || !d.path("message").isTextual()) {
                    return "a detail lacks \"path\" or \"message\": " + d;
                }
            }
        }
        return null;
    }

    private String describe(int n, Sent s, HttpResponse<byte[]> response) {
        StringBuilder out = new StringBuilder("  case #").append(n).append(" (seed ").append(SEED).append("): ")
                .append(s.method()).append(' ').append(prefix(s.uri(), 400));
        s.headers().forEach((k, v) -> out.append("\n    ").append(k).append(": ").append(printable(prefix(v, 120))));
        if (s.body() != null) {
            out.append("\n    body (").append(s.body().length).append(" bytes): ")
                    .append(printable(prefix(new String(s.body(), StandardCharsets.UTF_8), 400)));
        }
        if (response != null) {
            out.append("\n    → ").append(response.statusCode()).append(' ')
                    .append(response.headers().firstValue("Content-Type").orElse("(no Content-Type)")).append(' ')
                    .append(printable(prefix(new String(response.body(), StandardCharsets.UTF_8), 400)));
        }
        return out.toString();
    }

    private static String prefix(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " chars)";
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c == '\uFFFD' ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    // ----- the project under fuzz -----

    /** The fuzzed project, another one (for 403s), and real ids so that requests reach past "not found". */
    final class Fixtures {
        final TestProject project;
        final TestProject other;
        final Map<String, String> ids = new LinkedHashMap<>();

        Fixtures(TestProject project, TestProject other) {
            this.project = project;
            this.other = other;
        }

        void createAll() {
            ids.put("project", project.id());
            ids.put("otherProject", other.id());
            ids.put("user", "fz-user");
            project.api().body(seed("track", 0).toString()).post(project.path("/track")).then().statusCode(202);
            project.api().body(seed("device", 0).toString()).post(project.path("/devices")).then().statusCode(201);
            ids.put("event", project.api().get(project.path("/events?userId=fz-user")).then().statusCode(200).extract().path("events[0].id"));
            for (String kind : List.of("segment", "template", "snippet", "channel", "topic", "journey", "broadcast")) {
                create(kind);
            }
        }

        void create(String kind) {
            String seed = kind.equals("channel") ? "channel" : kind;
            ids.put(kind, project.api().body(seed(seed, -ids.size() - 1).toString()).post(project.path("/" + kind + "s"))
                    .then().statusCode(201).extract().path("id"));
        }

        /** A deleted or archived fixture is made again, so later requests still reach a real one. */
        void afterSuccess(Endpoint e, Case c) {
            if (!(e.method().equals("DELETE") || e.path().endsWith("/archive")) || c.path().size() < 2) {
                return;
            }
            String kind = e.pathParams().get(1);
            if (c.path().get(1).equals(REAL + kind)) {
                create(kind);
            }
        }

        String real(String value) {
            if (value.startsWith(REAL) && ids.containsKey(value.substring(1))) {
                return ids.get(value.substring(1));
            }
            return value;
        }

        /** The valid body an endpoint's requests start from ({@code n} keeps names unique). */
        JsonNode seed(String name, int n) {
            String json = switch (name) {
                case "track" -> """
                        {"events": [{"subjectType": "user", "subjectId": "fz-user", "type": "fz_event", "eventId": "fz-#N#-0",
                                     "timestamp": "2024-04-19T14:23:56+09:00",
                                     "data": {"amount": 10, "name": "x", "list": ["a", "b"], "at": "2024-01-01T00:00:00Z", "none": null}},
                                    {"subjectType": "device", "subjectId": "fz-device", "type": "fz_event", "eventId": "fz-#N#-1",
                                     "timestamp": 1681721331085, "data": {"ok": true}}]}""";
                case "eventType" -> """
                        {"name": "fz_type_#N#", "description": "declared by the fuzzer"}""";
                case "device" -> """
                        {"deviceId": "fz-device-#N#", "userId": "fz-user", "platform": "ios", "pushToken": "token-#N#", "timezone": "Asia/Seoul"}""";
                case "tags" -> """
                        {"tags": {"tier": "gold", "visits": 3, "colours": ["red", "blue"], "gone": null}}""";
                case "journey" -> n % 2 == 0 ? """
                        {"name": "Fuzz journey", "trigger": {"event": "fz_never", "where": {"path": "data.amount", "op": "gte", "value": 5000}},
                         "reentry": {"mode": "cooldown", "cooldown": "P1D"}, "exitOn": [{"event": "fz_stop", "where": {"path": "data.x", "op": "exists"}}],
                         "goal": {"event": "fz_goal"}, "transactional": false,
                         "steps": [{"id": "hi", "type": "message", "channel": "webhook", "topic": "#TOPIC#", "template": {"body": "Hi << user.id >>"},
                                    "next": "pause"},
                                   {"id": "pause", "type": "wait", "duration": "P3D", "next": "w"},
                                   {"id": "w", "type": "waitForEvent", "event": "fz_e", "timeout": "PT1H", "onEvent": "b", "onTimeout": "at"},
                                   {"id": "at", "type": "wait", "until": "09:00", "next": null},
                                   {"id": "b", "type": "branch", "cases": [{"when": {"path": "user.tags.tier", "op": "in", "value": ["gold"]}, "next": null},
                                                                           {"when": {"event": "fz_event", "within": "P30D", "count": {"gte": 2}}, "next": null}],
                                    "else": "s"},
                                   {"id": "s", "type": "split", "arms": [{"name": "A", "percent": 50, "next": null}, {"name": "B", "percent": 50, "next": "x"}]},
                                   {"id": "x", "type": "exit"}]}""" : """
                        {"name": "Fuzz segment journey", "trigger": {"segment": "#SEGMENT#"}, "reentry": {"mode": "once"},
                         "steps": [{"id": "t", "type": "message", "channel": "webhook", "templateId": "#TEMPLATE#", "transactional": true, "next": "x"},
                                   {"id": "x", "type": "exit"}]}""";
                case "segment" -> """
                        {"name": "Fuzz segment", "condition": #CONDITION#}""";
                case "segmentPreview" -> """
                        {"condition": #CONDITION#}""";
                case "template" -> """
                        {"name": "Fuzz template", "fields": {"title": "Hi", "body": "Hello << user.id >>{% if user.tags.tier %}!{% endif %}"}}""";
                case "preview" -> n % 2 == 0 ? """
                        {"template": {"body": "Hi << entry_event.data.name >>{% render 'p' %}"}, "partials": {"p": "partial << user.id >>"},
                         "context": {"entry_event": {"data": {"name": "x"}}, "user": {"id": "u"}}}""" : """
                        {"template": {"body": "Hi << entry_event.data.name | default: 'you' >>"}, "eventId": "#EVENT#"}""";
                case "snippet" -> """
                        {"name": "fz_snip_#N#", "source": "footer << user.id >>"}""";
                case "channel" -> """
                        {"type": "webhook", "name": "Fuzz hook", "url": "http://127.0.0.1:9/hook", "secret": "change-me-to-a-long-secret"}""";
                case "channelUpdate" -> """
                        {"name": "Fuzz hook", "url": "http://127.0.0.1:9/hook2"}""";
                case "deliverySettings" -> """
                        {"frequencyCaps": [{"channel": "push", "limit": 3, "period": "P1D"}], "quietHours": {"start": "21:00", "end": "08:00"},
                         "clickTracking": {"baseUrl": "http://localhost:1"}}""";
                case "adminProject" -> """
                        {"name": "Fuzz admin", "projectId": "fz-#SEED#-#N#"}""";
                case "apiKey" -> """
                        {"name": "fz-#N#", "scope": "publishable"}""";
                case "click" -> """
                        {"button": "button", "url": "https://shop.example/cart"}""";
                case "apiKeyRotate" -> """
                        {"expiresIn": "PT1H"}""";
                case "broadcast" -> """
                        {"name": "Fuzz broadcast", "segment": "#SEGMENT#", "sendAt": "#LATER#", "messagesPerMinute": 60,
                         "message": {"channel": "webhook", "topic": "#TOPIC#", "template": {"body": "Hi << user.id >>"}}}""";
                case "topic" -> """
                        {"id": "fz_topic_#N#", "name": "Fuzz topic", "description": "made by the fuzzer", "defaultStatus": "subscribed"}""";
                case "topicUpdate" -> """
                        {"name": "Fuzz topic", "defaultStatus": "unsubscribed"}""";
                case "subscriptions" -> """
                        {"subscriptions": [{"topic": "#TOPIC#", "channel": "email", "status": "unsubscribed"}, {"topic": "#TOPIC#", "status": "subscribed"}]}""";
                case "dryRun" -> """
                        {"since": "P30D", "until": "2099-01-01T00:00:00Z"}""";
                default -> throw new IllegalArgumentException(name);
            };
            json = json.replace("#CONDITION#", """
                    {"all": [{"path": "user.tags.tier", "op": "eq", "value": "gold"},
                             {"event": "fz_event", "within": "P30D", "count": {"gte": 1}, "where": {"path": "data.amount", "op": "gt", "value": 1}},
                             {"not": {"event": "fz_event", "from": "2024-01-01T00:00:00Z", "to": "2025-01-01T00:00:00+09:00"}}]}""")
                    .replace("#SEGMENT#", ids.getOrDefault("segment", "seg_none"))
                    .replace("#TEMPLATE#", ids.getOrDefault("template", "tpl_none"))
                    .replace("#TOPIC#", ids.getOrDefault("topic", "topic_none"))
                    .replace("#LATER#", java.time.Instant.now().plus(java.time.Duration.ofDays(30)).toString())
                    .replace("#EVENT#", ids.getOrDefault("event", "1"))
                    .replace("#SEED#", Long.toString(Math.abs(SEED) % 100_000))
                    .replace("#N#", Integer.toString(Math.abs(n)));
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * What a refused write must leave as it was: the project's documents (journeys and their versions, segments,
         * channels, templates, snippets, settings, declared event types), its devices and user tags, its events
         * (counted), and the number of projects. The dispatcher writes other tables (instances, catalog counts,
         * memberships) on its own schedule, so they are not part of it.
         */
        String fingerprint() {
            String p = project.id();
            return sql.first("""
                    SELECT concat_ws(' ',
                      (SELECT count(*) || ':' || coalesce(max(id), 0) FROM event WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM journey t WHERE project_id = ?),
                      (SELECT count(*) FROM journey_version v JOIN journey j ON j.id = v.journey_id WHERE j.project_id = ?),
                      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM segment t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM channel t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM message_template t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM snippet t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.device_id), '')) FROM device t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t.user_id || t.tags::text, ',' ORDER BY t.user_id), '')) FROM app_user t
                        WHERE project_id = ? AND tags <> '{}'::jsonb),
                      (SELECT md5(coalesce(string_agg(t.settings::text, ','), '')) FROM delivery_settings t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t.topic_id || t.name || t.default_status, ',' ORDER BY t.topic_id), '')) FROM topic t
                        WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t.subject_id || t.topic_id || t.channel || t.status, ',' ORDER BY t.subject_id, t.topic_id,
                        t.channel), '')) FROM subscription t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t.id || t.name, ',' ORDER BY t.id), '')) FROM broadcast t WHERE project_id = ?),
                      (SELECT md5(coalesce(string_agg(t.name || coalesce(t.description, ''), ',' ORDER BY t.name), '')) FROM event_type t
                        WHERE project_id = ? AND source = 'manual'),
                      (SELECT count(*) FROM project))""", rs -> rs.getString(1), p, p, p, p, p, p, p, p, p, p, p, p, p, p).orElseThrow();
        }
    }
}
