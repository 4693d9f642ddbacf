package dev.journey.api.bench;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.journey.api.support.WebhookReceiver;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/**
 * What one event, one journey entry with its message, and one further step and message cost —
 * measured, for the capacity model of {@code src/docs/scaling.md}: PostgreSQL write transactions (transaction ids
 * assigned: reads do not count), rows
 * inserted/updated/deleted and WAL bytes (from {@code pg_stat_database} and the WAL position, the
 * idle engine's own background work measured and subtracted), and the Temporal history of an
 * instance (events by type), on one API process and one worker against an external PostgreSQL and a
 * Temporal service over gRPC ({@link EngineCluster}).
 *
 * <pre>src/bench/cost.sh                   (N=2000 per phase)</pre>
 */
public final class CostBench {
    private record Sample(long nanos, long commits, long inserted, long updated, long deleted, long walBytes) {
        Sample minus(Sample o) {
            return new Sample(nanos - o.nanos, commits - o.commits, inserted - o.inserted, updated - o.updated, deleted - o.deleted,
                    walBytes - o.walBytes);
        }

        /** This sample less {@code idle}'s background work for as long as this one lasted. */
        Sample lessIdle(Sample idle) {
            double f = (double) nanos / idle.nanos;
            return new Sample(nanos, commits - Math.round(idle.commits * f), inserted - Math.round(idle.inserted * f),
                    updated - Math.round(idle.updated * f), deleted - Math.round(idle.deleted * f), walBytes - Math.round(idle.walBytes * f));
        }
    }

    private CostBench() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(System.getProperty("n", "2000"));
        try (EngineCluster cluster = new EngineCluster(1, 1); WebhookReceiver receiver = new WebhookReceiver();
             Connection c = cluster.connect(); Statement st = c.createStatement()) {
            EngineCluster.Api api = cluster.apis.get(0);
            EngineCluster.Project p = cluster.project("Cost");
            given().header("Authorization", "Bearer " + p.key()).contentType("application/json")
                    .body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                    .post(api.url() + p.base() + "/channels").then().statusCode(201);
            String one = publish(api, p, """
                    {"name": "One message", "trigger": {"event": "one"},
                     "steps": [{"id": "hi", "type": "message", "channel": "webhook", "template": {"body": "Hi << entry_event.data.n >>"}, "next": null}]}""");
            String two = publish(api, p, """
                    {"name": "Two messages and a wait", "trigger": {"event": "two"},
                     "steps": [{"id": "hi", "type": "message", "channel": "webhook", "template": {"body": "Hi << entry_event.data.n >>"}, "next": "pause"},
                               {"id": "pause", "type": "wait", "duration": "PT1S", "next": "bye"},
                               {"id": "bye", "type": "message", "channel": "webhook", "template": {"body": "Bye"}, "next": null}]}""");

            Sample idle = idle(st);
            System.out.printf("idle engine: %.1f write transactions/s, %.0f WAL bytes/s (subtracted from each phase below)%n",
                    idle.commits / (idle.nanos / 1e9), idle.walBytes / (idle.nanos / 1e9));

            Sample before = sample(st);
            ReplicasBench.track(cluster.apis, p.base(), p.key(), "none", n);
            awaitOutboxEmpty(st);
            Sample events = settle(st).minus(before).lessIdle(idle);

            before = sample(st);
            ReplicasBench.track(cluster.apis, p.base(), p.key(), "one", n);
            ReplicasBench.awaitCompleted(api, p.base(), p.key(), one, n);
            Sample entries = settle(st).minus(before).lessIdle(idle);

            before = sample(st);
            ReplicasBench.track(cluster.apis, p.base(), p.key(), "two", n);
            ReplicasBench.awaitCompleted(api, p.base(), p.key(), two, n);
            Sample longer = settle(st).minus(before).lessIdle(idle);

            System.out.printf("%nPostgreSQL, per unit (%d of each; transaction ids assigned, rows from pg_stat_database, WAL from its position):%n", n);
            System.out.println("| unit | write transactions | rows inserted | rows updated | rows deleted | WAL bytes |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            row("an event no journey listens to", events, n, null, 0);
            row("an event that enters a journey and its one message (webhook)", entries, n, null, 0);
            row("… of which the entry and the message, less the event", entries, n, events, 1);
            row("a journey of message, wait, message (whole instance, event included)", longer, n, null, 0);
            row("… a wait step and a second message (less the one-message instance)", longer, n, entries, 1);

            System.out.println();
            System.out.println("Temporal, per instance (history events by type, from 5 instances of each journey):");
            WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(cluster.temporalAddress).build());
            WorkflowClient client = WorkflowClient.newInstance(service);
            for (String journey : List.of(one, two)) {
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT workflow_id FROM journey_instance WHERE journey_id = '" + journey + "' LIMIT 5")) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                Map<String, Integer> byType = new TreeMap<>();
                int total = 0;
                for (String id : ids) {
                    for (HistoryEvent e : client.fetchHistory(id).getEvents()) {
                        byType.merge(e.getEventType().name().replace("EVENT_TYPE_", "").toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                        total++;
                    }
                }
                StringBuilder types = new StringBuilder();
                byType.forEach((type, count) -> types.append(types.length() == 0 ? "" : ", ").append(type).append(' ')
                        .append(String.format("%.1f", count / (double) ids.size())));
                System.out.printf("  %s: %.1f history events — %s%n", journey.equals(one) ? "one message" : "message, wait, message",
                        total / (double) ids.size(), types);
            }
            service.shutdown();
        }
        System.exit(0);
    }

    private static void row(String unit, Sample s, int n, Sample less, int lessPerUnit) {
        Sample x = less == null ? s : s.minus(less);
        System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.0f |%n", unit, x.commits / (double) n, x.inserted / (double) n,
                x.updated / (double) n, x.deleted / (double) n, x.walBytes / (double) n);
    }

    private static String publish(EngineCluster.Api api, EngineCluster.Project p, String definition) {
        String id = given().header("Authorization", "Bearer " + p.key()).contentType("application/json").body(definition)
                .post(api.url() + p.base() + "/journeys").then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + p.key()).post(api.url() + p.base() + "/journeys/" + id + "/publish").then().statusCode(200);
        return id;
    }

    /** The idle engine's background work (dispatcher polls, health, key usage) over 20 s. */
    private static Sample idle(Statement st) throws Exception {
        Sample start = settle(st);
        Thread.sleep(20_000);
        return settle(st).minus(start);
    }

    /** A sample once the backends have flushed their statistics (PostgreSQL does so at most once a second). */
    private static Sample settle(Statement st) throws Exception {
        Thread.sleep(2_000);
        return sample(st);
    }

    private static Sample sample(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT pg_stat_clear_snapshot(), pg_snapshot_xmax(pg_current_snapshot())::text::bigint, tup_inserted, tup_updated,"
                + " tup_deleted,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return new Sample(System.nanoTime(), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
        }
    }

    private static void awaitOutboxEmpty(Statement st) throws Exception {
        while (true) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM dispatch_pending")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
            Thread.sleep(200);
        }
    }
}
