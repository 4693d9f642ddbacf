package dev.journey.worker.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.worker.message.MessageStatus;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.message.SendMessage;

/** An existing data directory upgraded to V22: the rows written before are kept and keep their meaning. */
class PartitioningMigrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rowsWrittenBeforeV22AreKeptAndStillDeduplicate() {
        DataSource db = TestDatabase.fresh("upgrade_v21", "20");
        Sql sql = new Sql(db);
        Instant now = Instant.now();
        // Written by the engine before V22: events (two with eventIds, one of them 40 days old), an outbox row, a message.
        // (as that engine's EventStore wrote them: the event, and its outbox row in the same statement)
        sql.update("WITH stored AS (INSERT INTO event (project_id, event_id, subject_type, subject_id, type, data, occurred_at)"
                + " VALUES ('p', 'recent', 'user', 'u1', 'purchase', '{\"amount\": 5}', now()), ('p', null, 'user', 'u1', 'view', '{}', now())"
                + " ON CONFLICT (project_id, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING id)"
                + " INSERT INTO dispatch_outbox (event_id) SELECT id FROM stored");
        sql.update("INSERT INTO event (project_id, event_id, subject_type, subject_id, type, occurred_at, received_at)"
                + " VALUES ('p', 'old', 'user', 'u1', 'purchase', ?, ?)", now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(40)));
        sql.update("INSERT INTO message (id, project_id, subject_type, subject_id, channel, status) VALUES ('m1', 'p', 'user', 'u1', 'webhook', 'sent')");
        long maxId = count(sql, "SELECT max(id) FROM event");

        TestDatabase.migrate(db, null);

        assertEquals(3L, count(sql, "SELECT count(*) FROM event"));
        assertEquals(maxId, count(sql, "SELECT max(id) FROM event"), "ids are kept");
        assertEquals(2L, count(sql, "SELECT count(*) FROM dispatch_outbox"));
        assertEquals(1L, count(sql, "SELECT count(*) FROM message"));
        assertEquals(2L, count(sql, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
                + " WHERE c.relname IN ('event', 'message')"));
        // The old table is this month's partition, open below; the next month is there too.
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        List<MonthlyPartitions.Month> months = sql.with(c -> new MonthlyPartitions("event").list(c));
        assertEquals(List.of(month, month.plusMonths(1)), months.stream().map(MonthlyPartitions.Month::month).toList());
        assertTrue(sql.first("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = ?", rs -> rs.getString(1),
                months.get(0).name()).orElseThrow().contains("MINVALUE"));

        // A retry of an eventId of the dedup window is recognised; one older than it is a new event.
        EventStore events = new EventStore(db, JSON);
        assertEquals(new EventStore.Stored(0, 1), events.store("p", List.of(new NewEvent("recent", "user", "u1", "purchase", "{}", now))));
        assertEquals(new EventStore.Stored(1, 0), events.store("p", List.of(new NewEvent("old", "user", "u1", "purchase", "{}", now))));
        assertTrue(count(sql, "SELECT max(id) FROM event") > maxId, "the sequence goes on");
        assertEquals(5, events.find("p", "recent").orElseThrow().data().get("amount"));

        // The message recorded before is found again by its id.
        EntryEvent entry = new EntryEvent(1, null, "purchase", "user", "u1", Map.of(), now.toString());
        MessageStore.Recorded recorded = new MessageStore(sql).recordOnce(
                new SendMessage("m1", "p", "j", "J", 1, "wf", "s", "webhook", Map.of("body", "x"), entry, null, false, null, null),
                "{}", MessageStatus.QUEUED, null);
        assertEquals(MessageStatus.SENT, recorded.status());
        assertEquals(1L, count(sql, "SELECT count(*) FROM message"));
    }

    private static long count(Sql sql, String query) {
        return sql.first(query, rs -> rs.getLong(1)).orElseThrow();
    }
}
