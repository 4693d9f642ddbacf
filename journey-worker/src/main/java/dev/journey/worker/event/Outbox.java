package dev.journey.worker.event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;

/**
 * The only SQL for {@code dispatch_arrival}, {@code dispatch_outbox} and {@code dispatch_dead_letter}:
 * the stored events not yet dispatched. Each statement that stores events (a request, or a group
 * commit of several) leaves one arrival row with their ids, not one row per event (issue 13). A batch is claimed in the
 * dispatch transaction — arrival rows are deleted as they are taken, per-event rows locked (a
 * second dispatcher skips both) — and a rollback puts everything back. Events that start or signal
 * instances get a per-event row marked claimed, deleted once their workflows are started and
 * signalled; a claimed row a crash left behind is launched again.
 *
 * <p>An event whose dispatch fails is released with a later {@code not_before} (exponential
 * backoff) and tried again; after {@code maxAttempts} it is parked as a dead letter with its
 * reason, until someone retries it. Neither holds back any other event.
 */
public class Outbox {
    /** Kept of a failure's text: enough to diagnose, not a place for a stack trace. */
    private static final int MAX_ERROR_CHARS = 1000;

    /** A claimed event, as the dispatcher needs it to decide who enters, count it in the catalog and know its subject. */
    public record Claimed(long id, String projectId, String type, String subjectType, String subjectId, Instant receivedAt,
                          String dataJson) {}

    /** How failing events are retried: {@code backoff × 2^(attempt-1)}, at most {@code maxBackoff}, parked after {@code maxAttempts}. */
    public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {}

    /** A parked event and why. */
    public record DeadLetter(long eventId, String type, String subjectType, String subjectId, int attempts, String error,
                             Instant parkedAt) {}

    /** A project's dispatch backlog: events waiting (of which retrying after a failure), the oldest one's age, parked events. */
    public record Backlog(long pending, long retrying, Instant oldestReceivedAt, long parked) {}

    private static final String CLAIMED_COLUMNS = "e.id, e.project_id, e.type, e.subject_type, e.subject_id, e.received_at, e.data::text";
    /**
     * Locks the oldest due rows (SKIP LOCKED: another dispatcher takes the next ones) and reads their
     * events by the array of ids — not a join: the planner, guessing a few hundred rows, merged them
     * with a whole month's primary key (61 ms a batch of 500 at 140k events, against 3 ms). The rows
     * are only locked here; {@link #settle} decides what becomes of them in the same transaction.
     */
    private static final String CLAIM_RETRIED = "WITH claimed AS (SELECT event_id FROM dispatch_outbox WHERE claimed_at IS NULL"
            + " AND (not_before IS NULL OR not_before <= now()) ORDER BY event_id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " SELECT " + CLAIMED_COLUMNS + " FROM event e WHERE e.id = ANY(ARRAY(SELECT event_id FROM claimed)) ORDER BY e.id";
    /**
     * Takes the oldest arrival rows, as many as {@code ?} events fill (the first one whole, however
     * large), deletes them and reads their events, each with the number of rows locked. At most
     * {@link #ARRIVALS_PER_CLAIM} rows are locked; those beyond the count stay, locked until the
     * commit. SKIP LOCKED: a second dispatcher takes the rows after them.
     */
    private static final String CLAIM_ARRIVED = "WITH locked AS (SELECT id, events FROM dispatch_arrival ORDER BY id LIMIT "
            + Outbox.ARRIVALS_PER_CLAIM + " FOR UPDATE SKIP LOCKED),"
            + " taken AS (SELECT id FROM (SELECT id, sum(events) OVER (ORDER BY id) - events AS before FROM locked) l WHERE before < ?),"
            + " gone AS (DELETE FROM dispatch_arrival a USING taken t WHERE a.id = t.id RETURNING a.event_ids)"
            + " SELECT " + CLAIMED_COLUMNS + ", (SELECT count(*) FROM locked)"
            + " FROM event e WHERE e.id = ANY(ARRAY(SELECT unnest(event_ids) FROM gone)) ORDER BY e.id";
    /** Rows a claim locks at most: an arrival holds one request's events or a group commit's. */
    static final int ARRIVALS_PER_CLAIM = 64;
    private static final String CLAIMED_AFTER = "SELECT " + CLAIMED_COLUMNS
            + " FROM dispatch_outbox o JOIN event e ON e.id = o.event_id WHERE o.claimed_at IS NOT NULL AND o.event_id > ?"
            + " ORDER BY o.event_id LIMIT ?";
    /** An event from an arrival row has no row of its own yet: its first failure writes it. */
    private static final String RETRY_LATER = "INSERT INTO dispatch_outbox AS o (event_id, attempts, last_error, not_before)"
            + " VALUES (?, 1, ?, now() + make_interval(secs => least(?, ?)))"
            + " ON CONFLICT (event_id) DO UPDATE SET attempts = o.attempts + 1, claimed_at = NULL, last_error = EXCLUDED.last_error,"
            + " not_before = now() + make_interval(secs => least(?, ? * power(2, o.attempts))) RETURNING attempts";
    private static final String PARK = "WITH moved AS (DELETE FROM dispatch_outbox WHERE event_id = ? RETURNING event_id, attempts, last_error)"
            + " INSERT INTO dispatch_dead_letter (event_id, project_id, attempts, error)"
            + " SELECT m.event_id, e.project_id, m.attempts, coalesce(m.last_error, '') FROM moved m JOIN event e ON e.id = m.event_id"
            + " ON CONFLICT (event_id) DO UPDATE SET attempts = EXCLUDED.attempts, error = EXCLUDED.error, parked_at = now()";
    private static final String UNPARK = "WITH moved AS (DELETE FROM dispatch_dead_letter WHERE project_id = ? AND (?::bigint IS NULL OR event_id = ?)"
            + " RETURNING event_id) INSERT INTO dispatch_outbox (event_id) SELECT event_id FROM moved ON CONFLICT (event_id) DO NOTHING";

    private final Sql sql;

    public Outbox(DataSource db) {
        this.sql = new Sql(db);
    }

    /**
     * Takes up to about {@code limit} events for this transaction: first those due for another
     * attempt, then the oldest arrivals. The caller's rollback releases them all.
     */
    public static List<Claimed> claim(Connection tx, int limit) throws SQLException {
        List<Claimed> claimed = new ArrayList<>(Sql.list(tx, CLAIM_RETRIED, Outbox::claimed, limit));
        int[] locked = {ARRIVALS_PER_CLAIM};
        // Many small arrivals (one-event requests) fill a batch in several rounds: a batch short of
        // its limit tells the dispatcher that nothing more is waiting.
        while (claimed.size() < limit && locked[0] == ARRIVALS_PER_CLAIM) {
            locked[0] = 0;
            claimed.addAll(Sql.list(tx, CLAIM_ARRIVED, rs -> {
                locked[0] = rs.getInt(8);
                return claimed(rs);
            }, limit - claimed.size()));
        }
        return claimed;
    }

    /**
     * Ends the claim of a dispatched batch, in its transaction: rows whose events start or signal
     * instances after the commit are marked claimed (deleted once launched, relaunched after a crash),
     * the others — most events trigger nothing and nobody waits for them — leave the outbox now.
     */
    public static void settle(Connection tx, List<Long> toLaunch, List<Long> done) throws SQLException {
        if (!toLaunch.isEmpty()) {
            Sql.update(tx, "INSERT INTO dispatch_outbox (event_id, claimed_at) SELECT unnest(?::bigint[]), now()"
                    + " ON CONFLICT (event_id) DO UPDATE SET claimed_at = now()", Sql.array("bigint", toLaunch));
        }
        if (!done.isEmpty()) {
            Sql.update(tx, "DELETE FROM dispatch_outbox WHERE event_id = ANY(?)", Sql.array("bigint", done));
        }
    }

    /**
     * Releases a claimed event whose dispatch failed, to be tried again after a backoff, or parks
     * it when it has failed {@code maxAttempts} times. In the caller's transaction.
     *
     * @return true when the event was parked
     */
    public static boolean retryLater(Connection tx, long eventId, String error, RetryPolicy policy) throws SQLException {
        String reason = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
        double max = (double) policy.maxBackoff().toMillis() / 1000;
        double backoff = (double) policy.backoff().toMillis() / 1000;
        int attempts = Sql.first(tx, RETRY_LATER, rs -> rs.getInt(1), eventId, reason, max, backoff, max, backoff).orElse(0);
        if (attempts < policy.maxAttempts()) {
            return false;
        }
        Sql.update(tx, PARK, eventId);
        return true;
    }

    /** Rows claimed by a dispatch that committed but whose launch a crash cut short, after an event id. */
    public List<Claimed> claimedAfter(long afterId, int limit) {
        return sql.list(CLAIMED_AFTER, Outbox::claimed, afterId, limit);
    }

    public void delete(List<Long> eventIds) {
        sql.update("DELETE FROM dispatch_outbox WHERE event_id = ANY(?)", Sql.array("bigint", eventIds));
    }

    /** A project's parked events, the last parked first. */
    public Keyset.Page<DeadLetter> deadLetters(String projectId, Keyset.Position after, int limit) {
        return Keyset.select("SELECT d.event_id, e.type, e.subject_type, e.subject_id, d.attempts, d.error, d.parked_at"
                        + " FROM dispatch_dead_letter d JOIN event e ON e.id = d.event_id WHERE d.project_id = ?", projectId)
                .page(sql, "d.parked_at", "d.event_id", after, limit,
                        rs -> new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                                rs.getString(6), Sql.instant(rs, "parked_at")),
                        d -> new Keyset.Position(d.parkedAt(), d.eventId()));
    }

    /**
     * Puts parked events back into the outbox with a fresh count of attempts: one (by id) or all of
     * a project's (id null). Returns how many.
     */
    public int retryParked(String projectId, Long eventId) {
        return sql.update(UNPARK, projectId, eventId, eventId);
    }

    /**
     * Before a month of events is dropped (retention): its events that are still waiting or parked
     * leave the outbox, as the events themselves are going — dispatching them now would start
     * journeys on events older than every project keeps.
     */
    public static void forget(java.sql.Connection c, String eventsMonth) throws SQLException {
        Sql.update(c, "DELETE FROM dispatch_arrival a WHERE EXISTS (SELECT 1 FROM " + eventsMonth + " e WHERE e.id = ANY(a.event_ids))");
        Sql.update(c, "DELETE FROM dispatch_outbox o WHERE EXISTS (SELECT 1 FROM " + eventsMonth + " e WHERE e.id = o.event_id)");
        Sql.update(c, "DELETE FROM dispatch_dead_letter d WHERE EXISTS (SELECT 1 FROM " + eventsMonth + " e WHERE e.id = d.event_id)");
    }

    public Backlog backlog(String projectId) {
        // Each pending event looked up by its id (a subquery per row): the same as a join took 420 ms
        // after a load of 500k events with nothing pending (the planner cannot tell how few they are), this 3 ms.
        return sql.first("SELECT count(*), count(*) FILTER (WHERE attempts > 0), min(received_at),"
                        + " (SELECT count(*) FROM dispatch_dead_letter WHERE project_id = ?)"
                        + " FROM (SELECT p.attempts, (SELECT e.received_at FROM event e WHERE e.id = p.event_id AND e.project_id = ?) AS received_at"
                        + " FROM dispatch_pending p) w WHERE received_at IS NOT NULL",
                Outbox::backlog, projectId, projectId).orElseThrow();
    }

    /** The backlog of all projects together, for metrics: without reading the arrivals' ids, as it is polled. */
    public Backlog backlog() {
        return sql.first("SELECT (SELECT count(*) FROM dispatch_outbox) + (SELECT coalesce(sum(events), 0) FROM dispatch_arrival),"
                        + " (SELECT count(*) FROM dispatch_outbox WHERE attempts > 0),"
                        + " least((SELECT min(e.received_at) FROM dispatch_outbox o JOIN event e ON e.id = o.event_id),"
                        + " (SELECT min(received_at) FROM dispatch_arrival)), (SELECT count(*) FROM dispatch_dead_letter)",
                Outbox::backlog).orElseThrow();
    }

    private static Backlog backlog(ResultSet rs) throws SQLException {
        java.sql.Timestamp oldest = rs.getTimestamp(3);
        return new Backlog(rs.getLong(1), rs.getLong(2), oldest == null ? null : oldest.toInstant(), rs.getLong(4));
    }

    private static Claimed claimed(ResultSet rs) throws SQLException {
        return new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Sql.instant(rs, "received_at"), rs.getString(7));
    }
}
