import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A journey's dry run over stored events (issue 16). Starts the packaged engine (embedded
 * PostgreSQL, in-process Temporal) on a throw-away data directory, tracks EVENTS events of USERS
 * users spread over the last 7 days, waits until the dispatcher has taken them all, saves a draft
 * (a trigger with a condition, cooldown re-entry, a 1-day wait, a wait for an event, a branch on
 * the user's event, two message steps, exitOn) and times POST …/dry-run {"since": "P7D"} twice:
 * the first run (cold JIT) and the second. Prints events, users, entries, and seconds.
 *
 * Run with a JDK only: java src/bench/DryRunBench.java
 * Settings by environment: EVENTS (100000), USERS (10000), HEAP (1g), PORT (18082), JAR.
 */
public class DryRunBench {
    static final String KEY = "bench-key-0123456789abcdef0123";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Each user's ten events: every one of a type the journey reads (trigger, wait for an event, exitOn). */
    static final String[] TYPES = {"view", "view", "view", "view", "open", "open", "open", "open", "open", "purchase"};
    static String base;
    static Process engine;
    static Path log;

    public static void main(String[] args) throws Exception {
        int events = intEnv("EVENTS", 100_000);
        int users = intEnv("USERS", 10_000);
        int port = intEnv("PORT", 18082);
        base = "http://127.0.0.1:" + port + "/v1/projects/demo";
        Path data = Files.createTempDirectory("journey-dry-run-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(DryRunBench::stopQuietly));
        try {
            start(data, System.getenv().getOrDefault("HEAP", "1g"), port);
            long t0 = System.nanoTime();
            track(events, users);
            System.out.printf("tracked %,d events of %,d users over the last 7 days in %.1f s%n", events, users, (System.nanoTime() - t0) / 1e9);
            awaitDispatched(events, Duration.ofMinutes(10));
            System.out.printf("all dispatched after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String id = field(post("/journeys", """
                    {"name": "Bench", "trigger": {"event": "view", "where": {"path": "data.n", "op": "gte", "value": 0}},
                     "reentry": {"mode": "cooldown", "cooldown": "P2D"}, "exitOn": [{"event": "purchase", "where": {"path": "data.amount", "op": "gte", "value": 9000}}],
                     "steps": [{"id": "pause", "type": "wait", "duration": "P1D", "next": "opened"},
                               {"id": "opened", "type": "waitForEvent", "event": "open", "timeout": "P2D", "onEvent": "route", "onTimeout": "route"},
                               {"id": "route", "type": "branch", "cases": [{"when": {"path": "entry_event.data.plan", "op": "eq", "value": "pro"}, "next": "pro"}], "else": "basic"},
                               {"id": "pro", "type": "message", "channel": "webhook", "template": {"body": "Hi << user.id >>, your << entry_event.data.plan >> plan: << entry_event.data.n | plus: 1 >> views"}, "next": null},
                               {"id": "basic", "type": "message", "channel": "webhook", "template": {"body": "Hello << user.id | upcase >>{% if user.tags.vip %} VIP{% endif %}"}, "next": null}]}"""), "id");
            for (String which : List.of("first (cold)", "second")) {
                long r0 = System.nanoTime();
                String answer = post("/journeys/" + id + "/dry-run", "{\"since\": \"P7D\"}");
                double seconds = (System.nanoTime() - r0) / 1e9;
                System.out.printf("dry run, %s: events read %s, users %,d, entries %s, messages %s, truncated %s; %.2f s (engine's own figure %s ms)%n",
                        which, field(answer, "eventsRead"), users, field(answer, "entries"), object(answer, "byChannel"),
                        field(answer, "truncated"), seconds, field(answer, "millis"));
            }
        } finally {
            stopQuietly();
        }
    }

    /** EVENTS events: each user's tenth are spread at random (seeded) over the last 7 days, sent 1,000 a request, 4 requests at a time. */
    static void track(int events, int users) throws Exception {
        Random random = new Random(16);
        Instant now = Instant.now();
        long week = Duration.ofDays(7).toMillis() - 60_000;
        List<String> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < events; i++) {
            if (i % 1000 == 0) {
                if (body.length() > 0) {
                    bodies.add(body.append("]}").toString());
                }
                body = new StringBuilder("{\"events\": [");
            } else {
                body.append(',');
            }
            int user = i % users;
            String type = TYPES[(i / users) % TYPES.length];
            Instant at = now.minusMillis(1 + (long) (random.nextDouble() * week));
            body.append("{\"subjectType\": \"user\", \"subjectId\": \"user-").append(user).append("\", \"type\": \"").append(type)
                    .append("\", \"timestamp\": \"").append(at).append("\", \"data\": {\"n\": ").append(i)
                    .append(", \"plan\": \"").append(user % 3 == 0 ? "pro" : "basic").append("\", \"amount\": ").append(random.nextInt(10_000))
                    .append("}}");
        }
        bodies.add(body.append("]}").toString());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> sent = new ArrayList<>();
        for (String b : bodies) {
            sent.add(pool.submit(() -> post("/track", b)));
        }
        for (Future<String> f : sent) {
            f.get();
        }
        pool.shutdown();
    }

    /** The catalog counts each event once the dispatcher has taken it. */
    static void awaitDispatched(int events, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(get("/event-types"));
            long counted = 0;
            while (m.find()) {
                counted += Long.parseLong(m.group(1));
            }
            if (counted >= events) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the dispatcher did not take all events within " + timeout);
    }

    static void start(Path data, String heap, int port) throws Exception {
        Path jar = Path.of(System.getenv().getOrDefault("JAR", "journey-api/target/quarkus-app/quarkus-run.jar"));
        log = data.resolve("engine.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JOURNEY_DATA_DIR", data.toString());
        pb.environment().put("JOURNEY_DEMO_API_KEY", KEY);
        pb.environment().put("JOURNEY_ADMIN_TOKEN", "bench-admin-token-0123456789abcdef");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // The answer is timed in full: the POST waits for it however long it takes.
        pb.environment().put("JOURNEY_DRY_RUN_WAIT", "PT10M");
        engine = pb.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.readString(log).contains("Journey engine is running")) {
            if (!engine.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the engine did not start; log " + log);
            }
            Thread.sleep(100);
        }
    }

    static void stopQuietly() {
        if (engine != null && engine.isAlive()) {
            engine.destroy();
            try {
                engine.waitFor();
            } catch (InterruptedException ignored) {
            }
        }
    }

    static String post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    static String object(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\{[^}]*})").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v);
    }
}
