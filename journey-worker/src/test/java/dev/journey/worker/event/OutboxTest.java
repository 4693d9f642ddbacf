package dev.journey.worker.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;

class OutboxTest {
    private final Sql sql = TestDatabase.sql();
    private final EventStore events = new EventStore(TestDatabase.get(), new ObjectMapper());
    private final Outbox outbox = new Outbox(TestDatabase.get());
    private final String project = TestProjects.create();
    private final Outbox.RetryPolicy policy = new Outbox.RetryPolicy(3, Duration.ofHours(1), Duration.ofHours(2));

    private static NewEvent event() {
        return new NewEvent(null, "user", "u1", "purchase", "{}", Instant.now());
    }

    private long stored(String eventId) {
        events.store(project, List.of(new NewEvent(eventId, "user", "u1", "purchase", "{}", Instant.now())));
        return events.find(project, eventId).orElseThrow().id();
    }

    /** What a claim would take now, without keeping the claim (the shared test database holds other tests' rows). */
    private List<Long> claimable() {
        return inRolledBack(c -> Claims.all(c).stream().map(Outbox.Claimed::id).toList());
    }

    private <T> T inRolledBack(Sql.Work<T> work) {
        return sql.with(c -> {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
    }

    /** One failed attempt; true when it parked the event. */
    private boolean failed(long eventId, String reason) {
        return sql.inTransaction(c -> Outbox.retryLater(c, eventId, reason, policy));
    }

    @Test
    void aFailedEventWaitsForItsBackoffThenIsParkedAfterTheLastAttemptAndCanBeRequeued() {
        long poison = stored("poison");
        long good = stored("good");
        // As the dispatcher does: a claim takes both, the poisoned one fails, the other is dispatched.
        assertTrue(sql.inTransaction(c -> {
            List<Long> claimed = Claims.all(c).stream().map(Outbox.Claimed::id).toList();
            assertFalse(Outbox.retryLater(c, poison, "IllegalArgumentException: boom", policy));
            Outbox.settle(c, List.of(), List.of(good));
            return claimed;
        }).containsAll(List.of(poison, good)));
        long later = stored("later");
        List<Long> now = claimable();
        assertFalse(now.contains(poison), "not due before its backoff");
        assertFalse(now.contains(good), "dispatched");
        assertTrue(now.contains(later), "the others are not held back");
        Outbox.Backlog backlog = outbox.backlog(project);
        assertEquals(2, backlog.pending());
        assertEquals(1, backlog.retrying());
        assertEquals(0, backlog.parked());

        assertFalse(failed(poison, "second"));
        assertTrue(failed(poison, "third and last"));
        Outbox.Backlog afterParking = outbox.backlog(project);
        assertEquals(List.of(1L, 0L, 1L), List.of(afterParking.pending(), afterParking.retrying(), afterParking.parked()));
        Outbox.DeadLetter parked = outbox.deadLetters(project, null, 10).items().get(0);
        assertEquals(poison, parked.eventId());
        assertEquals(3, parked.attempts());
        assertEquals("third and last", parked.error());
        assertEquals("purchase", parked.type());

        assertEquals(0, outbox.retryParked("another-project", poison), "one project cannot requeue another's");
        assertEquals(1, outbox.retryParked(project, poison));
        assertTrue(claimable().contains(poison), "requeued with a fresh count, due at once");
        assertEquals(0, outbox.deadLetters(project, null, 10).items().size());
    }

    /** One arrival row per request; a claim takes whole rows, as many as its limit fills, and a rollback gives them back. */
    @Test
    void aClaimTakesWholeArrivalsUpToItsLimitAndARollbackPutsThemBack() {
        List<Integer> sizes = inRolledBack(c -> {
            // The other tests' rows, out of the way in this transaction and given back by its rollback.
            Claims.all(c);
            Sql.update(c, "DELETE FROM dispatch_outbox");
            for (int i = 0; i < 3; i++) {
                events.store(c, project, List.of(event(), event(), event()));
            }
            return List.of(Outbox.claim(c, 4).size(), Outbox.claim(c, 1).size(), Outbox.claim(c, 10).size());
        });
        assertEquals(List.of(6, 3, 0), sizes, "4 → two rows of 3 (the second began under the limit); 1 → a whole row");

        List<Long> ids = List.of(stored("r1"), stored("r2"));
        assertTrue(claimable().containsAll(ids), "rolled back: still there");
        assertEquals(2, outbox.backlog(project).pending());
    }

    /** SKIP LOCKED: what one dispatcher's open transaction took, another does not see until it rolls back. */
    @Test
    void aSecondDispatcherSkipsTheArrivalsAnotherHasTaken() {
        long id = stored("taken-once");
        List<Long> seenBySecond = inRolledBack(first -> {
            assertTrue(Claims.all(first).stream().anyMatch(c -> c.id() == id));
            return claimable();
        });
        assertFalse(seenBySecond.contains(id));
        assertTrue(claimable().contains(id), "given back by the first one's rollback");
    }

    @Test
    void theBackoffDoublesFromAttemptToAttemptUpToItsMaximum() {
        long id = stored("slow");
        Outbox.RetryPolicy seconds = new Outbox.RetryPolicy(10, Duration.ofSeconds(10), Duration.ofSeconds(30));
        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sql.inTransaction(c -> Outbox.retryLater(c, id, "x", seconds));
            delays.add(sql.first("SELECT round(extract(epoch FROM not_before - now()))::bigint FROM dispatch_outbox WHERE event_id = ?",
                    rs -> rs.getLong(1), id).orElseThrow());
        }
        assertEquals(List.of(10L, 20L, 30L), delays);
    }

    @Test
    void aVeryLongReasonIsCut() {
        long id = stored("long");
        sql.inTransaction((Connection c) -> Outbox.retryLater(c, id, "x".repeat(5000), new Outbox.RetryPolicy(1, Duration.ZERO, Duration.ZERO)));
        assertEquals(1000, outbox.deadLetters(project, null, 10).items().get(0).error().length());
    }
}
