package dev.journey.api.bench;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.journey.api.runtime.EmbeddedDatabase;
import dev.journey.api.support.WebhookReceiver;
import io.restassured.path.json.JsonPath;
import io.temporal.testserver.TestServer;

/**
 * Two API processes and two worker processes on one external PostgreSQL and one Temporal service
 * reached over gRPC, all on this machine: events tracked through both APIs, journeys entered and
 * messages handed off, then the proof — every event entered its journey once, every message was
 * recorded and handed off once — and each process's share of the work, from its own metrics.
 *
 * <pre>src/bench/replicas.sh                (EVENTS=4000 by default)</pre>
 *
 * Each API runs the dispatcher (the outbox is shared through FOR UPDATE SKIP LOCKED) and no worker;
 * each worker polls the one task queue. The webhook receiver, PostgreSQL and Temporal's test server
 * run in this JVM's process tree; every address is loopback.
 */
public final class ReplicasBench {
    private static final String ADMIN = "jadm_replicas_bench_0123456789abcdef0123";
    private static final String SECRETS_KEY = "cmVwbGljYXMtYmVuY2gtY2hhbm5lbC1rZXktMzJieXQ=";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ReplicasBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(System.getProperty("events", "4000"));
        Path dir = Files.createTempDirectory("journey-replicas");
        List<Process> processes = new ArrayList<>();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("postgres"), false, EmbeddedDatabase.newPassword());
             WebhookReceiver receiver = new WebhookReceiver()) {
            int temporalPort = freePort();
            TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(temporalPort, true);
            try {
                String temporalAddress = "127.0.0.1:" + temporalPort;
                Map<String, String> shared = new HashMap<>();
                shared.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
                shared.put("QUARKUS_DATASOURCE_USERNAME", db.username());
                shared.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
                shared.put("TEMPORAL_ADDRESS", temporalAddress);
                shared.put("JOURNEY_CHANNEL_SECRETS_KEY", SECRETS_KEY);
                shared.put("JOURNEY_OUTBOUND_ALLOW_LOOPBACK", "true");
                // Temporal's test server keeps a stopped worker's sticky tasks (a real cluster moves them on).
                shared.put("JOURNEY_WORKER_STICKY", "false");

                long started = System.nanoTime();
                List<Api> apis = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    apis.add(startApi(i, dir, shared, processes));
                    if (i == 1) {
                        awaitReady(apis.get(0)); // one process migrates the schema first
                    }
                }
                List<Worker> workers = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    workers.add(startWorker(i, dir, shared, processes));
                }
                for (Api api : apis) {
                    awaitReady(api);
                }
                System.out.printf("2 APIs and 2 workers up in %.1f s (PostgreSQL %s, Temporal %s)%n",
                        (System.nanoTime() - started) / 1e9, db.jdbcUrl().replaceAll("\\?.*", ""), temporalAddress);

                JsonPath project = given().header("Authorization", "Bearer " + ADMIN).contentType("application/json")
                        .body(Map.of("name", "Replicas")).post(apis.get(0).url + "/v1/admin/projects").then().statusCode(201).extract().jsonPath();
                String projectId = project.getString("projectId");
                String key = project.getString("apiKey");
                String base = "/v1/projects/" + projectId;
                given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                        .post(apis.get(1).url + base + "/channels").then().statusCode(201);
                String journey = given().header("Authorization", "Bearer " + key).contentType("application/json").body("""
                        {"name": "Order", "trigger": {"event": "order"}, "reentry": {"mode": "always"},
                         "steps": [{"id": "thanks", "type": "message", "channel": "webhook",
                                    "template": {"body": "Thanks for order << entry_event.data.n >>"}, "next": null}]}""")
                        .post(apis.get(0).url + base + "/journeys").then().statusCode(201).extract().path("id");
                given().header("Authorization", "Bearer " + key).post(apis.get(1).url + base + "/journeys/" + journey + "/publish")
                        .then().statusCode(200);
                // The other API sees the publication once its cache of published journeys (2 s) has expired.
                Thread.sleep(2500);

                long sendStart = System.nanoTime();
                track(apis, base, key, events);
                double trackSeconds = (System.nanoTime() - sendStart) / 1e9;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                long completed = 0;
                while (System.nanoTime() < deadline) {
                    completed = given().header("Authorization", "Bearer " + key).get(apis.get(0).url + base + "/journeys/" + journey + "/stats")
                            .then().statusCode(200).extract().jsonPath().getLong("completed");
                    if (completed >= events) {
                        break;
                    }
                    Thread.sleep(250);
                }
                double allSeconds = (System.nanoTime() - sendStart) / 1e9;
                System.out.printf("%d events tracked through 2 APIs in %.1f s; %d journeys completed %.1f s after the first event"
                        + " (%.0f journeys/s end to end)%n", events, trackSeconds, completed, allSeconds, completed / allSeconds);

                try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password()); Statement st = c.createStatement()) {
                    long[] entries = longs(st, "SELECT count(*), count(DISTINCT entry_event_id) FROM journey_instance WHERE journey_id = '" + journey + "'");
                    long[] messages = longs(st, "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM message WHERE journey_id = '" + journey + "'");
                    long outbox = longs(st, "SELECT count(*) FROM dispatch_outbox")[0];
                    Map<String, Integer> byKey = new HashMap<>();
                    receiver.all().forEach(r -> byKey.merge(new JsonPath(r.body()).getString("messageId"), 1, Integer::sum));
                    long repeated = byKey.values().stream().filter(n -> n > 1).count();
                    System.out.printf("exactly once: %d instances for %d distinct entry events (of %d tracked); %d messages, %d sent;"
                                    + " %d webhook requests for %d message ids, %d repeated; outbox left: %d%n",
                            entries[0], entries[1], events, messages[0], messages[1], receiver.all().size(), byKey.size(), repeated, outbox);
                    boolean ok = entries[0] == events && entries[1] == events && messages[0] == events && messages[1] == events
                            && byKey.size() == events && repeated == 0 && outbox == 0;
                    System.out.println(ok ? "RESULT: every event dispatched once, every message handed off once"
                            : "RESULT: FAILED — see the counts above");
                }
                System.out.println("share of the work, from each process's own metrics:");
                for (Api api : apis) {
                    String metrics = get(api.url + "/q/metrics");
                    System.out.printf("  api-%d     events ingested %6.0f   journey entries dispatched %6.0f%n", api.n,
                            sum(metrics, "journey_events_ingested_total"), sum(metrics, "journey_instances_entered_total"));
                }
                for (Worker w : workers) {
                    String metrics = get("http://127.0.0.1:" + w.metricsPort + "/metrics");
                    System.out.printf("  worker-%d  messages sent     %6.0f   instances ended             %6.0f%n", w.n,
                            sum(metrics, "journey_messages_total\\{[^}]*status=\"sent\""), sum(metrics, "journey_instances_ended_total"));
                }
            } finally {
                for (Process p : processes) {
                    p.destroy();
                }
                for (Process p : processes) {
                    p.waitFor();
                }
                temporal.close();
            }
        }
        System.out.println("logs: " + dir);
        System.exit(0);
    }

    private record Api(int n, String url, Process process) {}

    private record Worker(int n, int metricsPort, Process process) {}

    private static Api startApi(int n, Path dir, Map<String, String> shared, List<Process> processes) throws IOException {
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-jar",
                Path.of("journey-api/target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("api-" + n + ".log").toFile());
        pb.environment().putAll(shared);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("JOURNEY_WORKER_ENABLED", "false");
        pb.environment().put("JOURNEY_ADMIN_TOKEN", ADMIN);
        pb.environment().put("JOURNEY_DATA_DIR", dir.resolve("api-" + n).toString());
        Process p = pb.start();
        processes.add(p);
        return new Api(n, "http://127.0.0.1:" + port, p);
    }

    private static Worker startWorker(int n, Path dir, Map<String, String> shared, List<Process> processes) throws IOException {
        int metricsPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.journey.worker.WorkerMain")
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + n + ".log").toFile());
        pb.environment().putAll(shared);
        pb.environment().put("JOURNEY_WORKER_METRICS_PORT", String.valueOf(metricsPort));
        Process p = pb.start();
        processes.add(p);
        return new Worker(n, metricsPort, p);
    }

    /** Batches of 100, alternating between the APIs, 8 at a time. */
    private static void track(List<Api> apis, String base, String key, int events) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int from = 0, batch = 0; from < events; from += 100, batch++) {
                int start = from;
                Api api = apis.get(batch % apis.size());
                sent.add(pool.submit(() -> {
                    StringBuilder body = new StringBuilder("{\"events\": [");
                    for (int i = start; i < Math.min(events, start + 100); i++) {
                        body.append(i == start ? "" : ",").append("{\"subjectType\": \"user\", \"subjectId\": \"user-").append(i)
                                .append("\", \"type\": \"order\", \"eventId\": \"order-").append(i).append("\", \"data\": {\"n\": ").append(i).append("}}");
                    }
                    body.append("]}");
                    given().header("Authorization", "Bearer " + key).contentType("application/json").body(body.toString())
                            .post(api.url + base + "/track").then().statusCode(202);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void awaitReady(Api api) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!api.process.isAlive()) {
                throw new IllegalStateException("api-" + api.n + " exited; see its log");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(api.url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("api-" + api.n + " was not ready within 3 minutes");
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of every series of a Prometheus metric whose line starts with {@code pattern}. */
    private static double sum(String metrics, String pattern) {
        Matcher m = Pattern.compile("(?m)^" + pattern + "[^\\n]* ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static long[] longs(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long[] out = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.getLong(i + 1);
            }
            return out;
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
