package dev.journey.worker.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import dev.journey.worker.db.Sql;

/**
 * The only SQL for {@code dispatch_outbox}: a row per stored event not yet dispatched. A batch is
 * claimed (marked, so a second dispatcher skips it) in the dispatch transaction, and deleted once
 * its workflows are started and signalled; a claimed row a crash left behind is launched again.
 */
public class Outbox {
    /** A claimed event, as the dispatcher needs it before deciding whether to read it whole. */
    public record Claimed(long id, String projectId, String type, String subjectType, String subjectId) {}

    private static final String CLAIM = "WITH claimed AS (UPDATE dispatch_outbox SET claimed_at = now() WHERE event_id IN"
            + " (SELECT event_id FROM dispatch_outbox WHERE claimed_at IS NULL ORDER BY event_id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING event_id)"
            + " SELECT e.id, e.project_id, e.type, e.subject_type, e.subject_id FROM claimed c JOIN event e ON e.id = c.event_id"
            + " ORDER BY e.id";
    private static final String CLAIMED_AFTER = "SELECT e.id, e.project_id, e.type, e.subject_type, e.subject_id"
            + " FROM dispatch_outbox o JOIN event e ON e.id = o.event_id WHERE o.claimed_at IS NOT NULL AND o.event_id > ?"
            + " ORDER BY o.event_id LIMIT ?";

    private final Sql sql;

    public Outbox(DataSource db) {
        this.sql = new Sql(db);
    }

    /** Claims the oldest unclaimed rows; the caller's rollback releases them. */
    public static List<Claimed> claim(Connection tx, int limit) throws SQLException {
        return Sql.list(tx, CLAIM, Outbox::claimed, limit);
    }

    /** Rows claimed by a dispatch that committed but whose launch a crash cut short, after an event id. */
    public List<Claimed> claimedAfter(long afterId, int limit) {
        return sql.list(CLAIMED_AFTER, Outbox::claimed, afterId, limit);
    }

    public void delete(List<Long> eventIds) {
        sql.update("DELETE FROM dispatch_outbox WHERE event_id = ANY(?)", Sql.array("bigint", eventIds));
    }

    private static Claimed claimed(java.sql.ResultSet rs) throws SQLException {
        return new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
    }
}
