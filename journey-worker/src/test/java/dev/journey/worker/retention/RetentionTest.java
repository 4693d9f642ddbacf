package dev.journey.worker.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.message.MessageStatus;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.segment.SegmentSql;
import dev.journey.worker.segment.SegmentStore;

/**
 * Time moved forward over several months without sleeping: rows are written with the times of
 * past months (as the engine would have written them then), and the pass runs with a chosen now.
 * A database of its own, as months are dropped.
 */
class RetentionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events 60 days, messages 90, finished instances 30; eventIds recognised 30 days; batches of 2 rows. */
    private static final RetentionConfig CONFIG = new RetentionConfig(Map.of(Retained.EVENTS, Duration.ofDays(60),
            Retained.MESSAGES, Duration.ofDays(90), Retained.INSTANCES, Duration.ofDays(30)),
            Duration.ofDays(1095), Duration.ofDays(30), 2, 2);

    private DataSource db;
    private Sql sql;
    private EventStore events;
    private RetentionStore settings;
    private RetentionJob job;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void freshDatabase() {
        db = TestDatabase.fresh("retention_time", null);
        sql = new Sql(db);
        events = new EventStore(db, JSON);
        settings = new RetentionStore(sql, CONFIG);
        job = new RetentionJob(db, settings);
        for (String p : List.of("p1", "p2", "p3")) {
            sql.update("INSERT INTO project (id, name) VALUES (?, ?)", p, p);
        }
        sql.update("INSERT INTO journey (id, project_id, name, status, definition) VALUES ('j1', 'p1', 'J', 'published', '{}')");
        // The months of the last 120 days, as the engine would have made them ahead of their time.
        sql.with(c -> {
            for (YearMonth m = month(now.minus(Duration.ofDays(120))); m.isBefore(month(now)); m = m.plusMonths(1)) {
                new MonthlyPartitions("event").create(c, m);
                new MonthlyPartitions("message").create(c, m);
            }
            return null;
        });
    }

    @Test
    void listsAndCountsReadAcrossMonthsAndRetriesAreRecognisedAcrossABoundary() throws Exception {
        event("p1", null, "u1", "purchase", daysAgo(50));
        event("p1", "d", "u1", "purchase", daysAgo(15));
        event("p1", null, "u2", "purchase", daysAgo(14));
        event("p1", null, "u1", "view", daysAgo(90)); // older than p1's 60 days: gone for reads already
        events.store("p1", List.of(new NewEvent(null, "user", "u1", "purchase", "{}", now.minusSeconds(1))));
        assertTrue(!month(daysAgo(50)).equals(month(daysAgo(15))), "the list spans two months at least");

        // The recent list, one per page, newest first across the months; the 90-day-old one is beyond the window.
        Instant retainedFrom = settings.retainedFrom("p1", Retained.EVENTS, now);
        List<String> seen = new ArrayList<>();
        Keyset.Position after = null;
        do {
            Keyset.Page<EventStore.Listed> page = events.recent("p1", new EventStore.Filter(null, null, null, null, null), retainedFrom, after, 1);
            page.items().forEach(e -> seen.add(e.subjectId() + "@" + Duration.between(e.receivedAt(), now).toDays()));
            after = page.next();
        } while (after != null);
        assertEquals(List.of("u1@0", "u2@14", "u1@15", "u1@50"), seen);
        // One user's events, across the same months.
        assertEquals(3, events.recent("p1", new EventStore.Filter("u1", null, null, null, null), retainedFrom, null, 10).items().size());

        // A segment counting over a window that spans two (or three) months.
        for (String u : List.of("u1", "u2")) {
            sql.update("INSERT INTO app_user (project_id, user_id) VALUES ('p1', ?)", u);
        }
        SegmentStore segments = new SegmentStore(db, JSON);
        assertEquals(1, segments.queryLong(SegmentSql.users("p1", condition("{\"event\": \"purchase\", \"within\": \"P59D\", \"count\": {\"gte\": 3}}"),
                null, now, id -> null).count()));
        assertEquals(2, segments.queryLong(SegmentSql.users("p1", condition("{\"event\": \"purchase\", \"within\": \"P20D\", \"count\": {\"gte\": 1}}"),
                null, now, id -> null).count()));

        // A retry of "d" now, a month (or more) after the first: recognised, not stored again.
        EventStore.Stored retry = events.store("p1", List.of(new NewEvent("d", "user", "u1", "purchase", "{}", daysAgo(15))));
        assertEquals(new EventStore.Stored(0, 1), retry);
        assertEquals(1L, count("SELECT count(*) FROM event WHERE project_id = 'p1' AND event_id = 'd'"));

        // A message recorded 40 days ago, in an earlier month: recording it again finds it.
        sql.update("INSERT INTO message (id, project_id, subject_type, subject_id, channel, status, created_at)"
                + " VALUES ('m1', 'p1', 'user', 'u1', 'webhook', 'sent', ?)", daysAgo(40));
        MessageStore.Recorded again = new MessageStore(sql).recordOnce(send("m1"), "{}", MessageStatus.QUEUED, null);
        assertEquals(MessageStatus.SENT, again.status());
        assertEquals(1L, count("SELECT count(*) FROM message WHERE id = 'm1'"));
        new MessageStore(sql).recordOnce(send("m2"), "{}", MessageStatus.QUEUED, null);
        new MessageStore(sql).recordOnce(send("m2"), "{}", MessageStatus.QUEUED, null);
        assertEquals(1L, count("SELECT count(*) FROM message WHERE id = 'm2'"));

        // A project that keeps less sees less, though the rows share months with the others.
        settings.put("p1", new RetentionSettings(Map.of(Retained.EVENTS, Duration.ofDays(13))));
        Instant shorter = settings.retainedFrom("p1", Retained.EVENTS, now);
        assertEquals(now.minus(Duration.ofDays(13)), shorter);
        assertEquals(1, events.recent("p1", new EventStore.Filter(null, null, null, null, null), shorter, null, 10).items().size());
        assertEquals(5L, count("SELECT count(*) FROM event WHERE project_id = 'p1'"), "still there until their month goes");
    }

    @Test
    void aPassDropsWholeMonthsOlderThanEveryProjectsWindowAndNothingTwice() throws Exception {
        long old = event("p1", "a", "u1", "purchase", daysAgo(100));
        event("p1", null, "u1", "purchase", daysAgo(45));
        event("p1", "recent", "u1", "purchase", daysAgo(5));
        // Waiting to be dispatched: on its own (a retry) and in its arrival row.
        sql.update("INSERT INTO dispatch_outbox (event_id) VALUES (?)", old);
        sql.update("INSERT INTO dispatch_arrival (event_ids, events, received_at) VALUES (ARRAY[?::bigint], 1, ?)", old, daysAgo(100));
        // An instance still running on the 100-day-old event, one that ended long ago, one that ended lately.
        instance("running", old, null);
        instance("ended-long-ago", old, daysAgo(100));
        Instant later = now.plus(Duration.ofDays(30));
        instance("ended-lately", old, later.minus(Duration.ofDays(10)));
        sql.update("INSERT INTO message (id, project_id, subject_type, subject_id, channel, status, created_at)"
                + " VALUES ('m-old', 'p1', 'user', 'u1', 'webhook', 'sent', ?)", daysAgo(118));

        // One project keeping events 1000 days holds every month of events.
        settings.put("p3", new RetentionSettings(Map.of(Retained.EVENTS, Duration.ofDays(1000))));
        RetentionJob.Report held = job.run(later);
        assertTrue(held.ran());
        assertTrue(held.dropped().stream().noneMatch(n -> n.startsWith("event_")), held.toString());
        assertTrue(held.created().contains("event_p" + month(later).plusMonths(2).toString().replace("-", "")), held.toString());
        // Finished instances go by their own window: the one that ended 30 days before the pass or earlier.
        assertEquals(1, held.instancesRemoved(), held.toString());
        // eventIds older than the 30-day window at the pass are forgotten: "a" and "recent" (35 days before it).
        assertEquals(2, held.keysRemoved(), held.toString());

        // Without it, the months that ended 60 days before the pass go, as wholes.
        settings.put("p3", RetentionSettings.NONE);
        RetentionJob.Report report = job.run(later);
        Instant cutoff = later.minus(Duration.ofDays(60));
        assertTrue(report.dropped().contains("event_p" + month(daysAgo(100)).toString().replace("-", "")), report.toString());
        for (String table : List.of("event", "message")) {
            for (MonthlyPartitions.Month m : sql.with(c -> new MonthlyPartitions(table).list(c))) {
                assertTrue(m.end().isAfter(later.minus(Duration.ofDays(table.equals("event") ? 60 : 90))), m + " should have gone");
            }
        }
        assertEquals(0L, count("SELECT count(*) FROM event WHERE received_at < date_trunc('month', '" + cutoff + "'::timestamptz, 'UTC')"));
        assertEquals(1L, count("SELECT count(*) FROM event WHERE event_id = 'recent'"));
        assertEquals(0L, count("SELECT count(*) FROM dispatch_pending WHERE event_id = " + old), "the outbox forgets dropped events");
        assertEquals(0L, count("SELECT count(*) FROM message WHERE id = 'm-old'"));
        // The running instance still resumes with its entry event.
        InstanceStore instances = new InstanceStore(db, events);
        EntryEvent entry = instances.active("running").orElseThrow().entryEvent();
        assertEquals(old, entry.id());
        assertEquals("a", entry.eventId());
        // Finished instances: the one past 30 days is gone, the recent one stays.
        assertEquals(0L, count("SELECT count(*) FROM journey_instance WHERE workflow_id = 'ended-long-ago'"));
        assertEquals(1L, count("SELECT count(*) FROM journey_instance WHERE workflow_id = 'ended-lately'"));
        assertEquals(0L, count("SELECT count(*) FROM event_key"));

        // The same pass again finds nothing to do.
        RetentionJob.Report again = job.run(later);
        assertEquals(new RetentionJob.Report(true, List.of(), List.of(), 0, 0), again);

        // The instance ends and is removed later: its kept entry event goes with it.
        sql.update("UPDATE journey_instance SET status = 'completed', ended_at = ? WHERE workflow_id = 'running'", later);
        job.run(later.plus(Duration.ofDays(31)));
        assertEquals(0L, count("SELECT count(*) FROM event_kept"));
    }

    @Test
    void twoReplicasRunningAtOnceDoEachThingOnce() throws Exception {
        event("p1", null, "u1", "purchase", daysAgo(100));
        Instant later = now.plus(Duration.ofDays(200));
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<RetentionJob.Report>> passes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RetentionJob replica = new RetentionJob(db, new RetentionStore(new Sql(db), CONFIG));
            passes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return replica.run(later);
            }));
        }
        List<String> dropped = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (CompletableFuture<RetentionJob.Report> pass : passes) {
            RetentionJob.Report r = pass.get();
            dropped.addAll(r.dropped());
            created.addAll(r.created());
        }
        assertEquals(dropped.stream().distinct().count(), dropped.size(), "no month dropped twice: " + dropped);
        assertEquals(created.stream().distinct().count(), created.size(), "no month created twice: " + created);
        assertTrue(dropped.contains("event_p" + month(daysAgo(100)).toString().replace("-", "")), dropped.toString());
        for (int ahead = 0; ahead <= 2; ahead++) {
            String name = "event_p" + month(later).plusMonths(ahead).toString().replace("-", "");
            assertEquals(1L, count("SELECT count(*) FROM pg_class WHERE relname = '" + name + "'"), name);
        }

        // While one replica's pass holds the lock, another's skips.
        sql.with(c -> {
            Sql.first(c, "SELECT pg_advisory_lock(" + RetentionJob.LOCK + ")", rs -> true);
            try {
                assertFalse(job.run(later).ran());
            } finally {
                Sql.first(c, "SELECT pg_advisory_unlock(" + RetentionJob.LOCK + ")", rs -> true);
            }
            return null;
        });
        assertTrue(job.run(later).ran());
    }

    private long event(String project, String eventId, String user, String type, Instant at) {
        return sql.inTransaction(c -> {
            if (eventId != null) {
                Sql.update(c, "INSERT INTO event_key (project_id, event_id, received_at) VALUES (?, ?, ?)", project, eventId, at);
            }
            return Sql.first(c, "INSERT INTO event (project_id, event_id, subject_type, subject_id, type, occurred_at, received_at)"
                    + " VALUES (?, ?, 'user', ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1), project, eventId, user, type, at, at).orElseThrow();
        });
    }

    private void instance(String workflowId, long entryEventId, Instant endedAt) {
        sql.update("INSERT INTO journey_instance (workflow_id, project_id, journey_id, journey_version, subject_type, subject_id,"
                + " entry_event_id, status, entered_at, ended_at) VALUES (?, 'p1', 'j1', 1, 'user', 'u1', ?, ?, ?, ?)",
                workflowId, entryEventId, endedAt == null ? "active" : "completed", daysAgo(100), endedAt);
    }

    private SendMessage send(String id) {
        EntryEvent entry = new EntryEvent(1, null, "purchase", "user", "u1", Map.of(), now.toString());
        return new SendMessage(id, "p1", "j1", "J", 1, "wf", "s", "webhook", Map.of("body", "hi"), entry, null, false, null, null);
    }

    private Condition condition(String json) throws Exception {
        return JSON.readValue(json, Condition.class);
    }

    private long count(String query) {
        return sql.first(query, rs -> rs.getLong(1)).orElseThrow();
    }

    private Instant daysAgo(int days) {
        return now.minus(Duration.ofDays(days));
    }

    private static YearMonth month(Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC));
    }
}
