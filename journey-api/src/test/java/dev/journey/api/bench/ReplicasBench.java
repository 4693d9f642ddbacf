package dev.journey.api.bench;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
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

import dev.journey.api.support.WebhookReceiver;
import io.restassured.path.json.JsonPath;

/**
 * Two API processes and two worker processes on one external PostgreSQL and one Temporal service
 * reached over gRPC, all on this machine ({@link EngineCluster}): events tracked through both APIs,
 * journeys entered and messages handed off, then the proof — every event entered its journey once,
 * every message was recorded and handed off once — and each process's share of the work, from its
 * own metrics.
 *
 * <pre>src/bench/replicas.sh                (EVENTS=4000 by default)</pre>
 *
 * Each API runs the dispatcher (the outbox is shared through FOR UPDATE SKIP LOCKED) and no worker;
 * each worker polls the one task queue.
 */
public final class ReplicasBench {
    private ReplicasBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(System.getProperty("events", "4000"));
        long started = System.nanoTime();
        try (EngineCluster cluster = new EngineCluster(2, 2); WebhookReceiver receiver = new WebhookReceiver()) {
            List<EngineCluster.Api> apis = cluster.apis;
            System.out.printf("2 APIs and 2 workers up in %.1f s (PostgreSQL %s, Temporal %s)%n",
                    (System.nanoTime() - started) / 1e9, cluster.db.jdbcUrl().replaceAll("\\?.*", ""), cluster.temporalAddress);
            EngineCluster.Project project = cluster.project("Replicas");
            String key = project.key();
            String base = project.base();
            given().header("Authorization", "Bearer " + key).contentType("application/json")
                    .body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                    .post(apis.get(1).url() + base + "/channels").then().statusCode(201);
            String journey = given().header("Authorization", "Bearer " + key).contentType("application/json").body("""
                    {"name": "Order", "trigger": {"event": "order"}, "reentry": {"mode": "always"},
                     "steps": [{"id": "thanks", "type": "message", "channel": "webhook",
                                "template": {"body": "Thanks for order << entry_event.data.n >>"}, "next": null}]}""")
                    .post(apis.get(0).url() + base + "/journeys").then().statusCode(201).extract().path("id");
            given().header("Authorization", "Bearer " + key).post(apis.get(1).url() + base + "/journeys/" + journey + "/publish")
                    .then().statusCode(200);
            // The other API sees the publication once its cache of published journeys (2 s) has expired.
            Thread.sleep(2500);

            long sendStart = System.nanoTime();
            track(apis, base, key, "order", events);
            double trackSeconds = (System.nanoTime() - sendStart) / 1e9;
            long completed = awaitCompleted(apis.get(0), base, key, journey, events);
            double allSeconds = (System.nanoTime() - sendStart) / 1e9;
            System.out.printf("%d events tracked through 2 APIs in %.1f s; %d journeys completed %.1f s after the first event"
                    + " (%.0f journeys/s end to end)%n", events, trackSeconds, completed, allSeconds, completed / allSeconds);

            try (Connection c = cluster.connect(); Statement st = c.createStatement()) {
                long[] entries = longs(st, "SELECT count(*), count(DISTINCT entry_event_id) FROM journey_instance WHERE journey_id = '" + journey + "'");
                long[] messages = longs(st, "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM message WHERE journey_id = '" + journey + "'");
                long outbox = longs(st, "SELECT count(*) FROM dispatch_pending")[0];
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
            for (EngineCluster.Api api : apis) {
                String metrics = EngineCluster.get(api.url() + "/q/metrics");
                System.out.printf("  api-%d     events ingested %6.0f   journey entries dispatched %6.0f%n", api.n(),
                        sum(metrics, "journey_events_ingested_total"), sum(metrics, "journey_instances_entered_total"));
            }
            for (EngineCluster.Worker w : cluster.workers) {
                String metrics = EngineCluster.get("http://127.0.0.1:" + w.metricsPort() + "/metrics");
                System.out.printf("  worker-%d  messages sent     %6.0f   instances ended             %6.0f%n", w.n(),
                        sum(metrics, "journey_messages_total\\{[^}]*status=\"sent\""), sum(metrics, "journey_instances_ended_total"));
            }
        }
        System.exit(0);
    }

    /** {@code events} events of {@code type}, one user each, in batches of 100 alternating between the APIs, 8 at a time. */
    static void track(List<EngineCluster.Api> apis, String base, String key, String type, int events) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int from = 0, batch = 0; from < events; from += 100, batch++) {
                int start = from;
                EngineCluster.Api api = apis.get(batch % apis.size());
                sent.add(pool.submit(() -> {
                    StringBuilder body = new StringBuilder("{\"events\": [");
                    for (int i = start; i < Math.min(events, start + 100); i++) {
                        body.append(i == start ? "" : ",").append("{\"subjectType\": \"user\", \"subjectId\": \"user-").append(i)
                                .append("\", \"type\": \"").append(type).append("\", \"eventId\": \"").append(type).append('-').append(i)
                                .append("\", \"data\": {\"n\": ").append(i).append("}}");
                    }
                    body.append("]}");
                    given().header("Authorization", "Bearer " + key).contentType("application/json").body(body.toString())
                            .post(api.url() + base + "/track").then().statusCode(202);
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

    /** Polls the journey's stats until {@code expected} instances completed (10 minutes at most); returns how many did. */
    static long awaitCompleted(EngineCluster.Api api, String base, String key, String journey, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long completed = 0;
        while (System.nanoTime() < deadline) {
            completed = given().header("Authorization", "Bearer " + key).get(api.url() + base + "/journeys/" + journey + "/stats")
                    .then().statusCode(200).extract().jsonPath().getLong("completed");
            if (completed >= expected) {
                break;
            }
            Thread.sleep(250);
        }
        return completed;
    }

    /** The sum of every series of a Prometheus metric whose line starts with {@code pattern}. */
    static double sum(String metrics, String pattern) {
        Matcher m = Pattern.compile("(?m)^" + pattern + "[^\\n]* ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    static long[] longs(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long[] out = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.getLong(i + 1);
            }
            return out;
        }
    }
}
