package dev.journey.api.broadcast;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.journey.worker.db.Sql;

/** The {@code broadcast} table: what was asked, where the sending stands, and the journey that carries its messages. */
class BroadcastStore {
    record Broadcast(String id, String projectId, String name, String segmentId, String journeyId, String status, Instant sendAt,
                     long audience, long enqueued, String afterUser, String error, Instant createdAt, Instant startedAt,
                     Instant finishedAt) {}

    static final String SCHEDULED = "scheduled";
    static final String SENDING = "sending";
    static final String SENT = "sent";
    static final String CANCELLED = "cancelled";
    static final String FAILED = "failed";

    private static final String COLUMNS = "id, project_id, name, segment_id, journey_id, status, send_at, audience, enqueued, after_user,"
            + " error, created_at, started_at, finished_at";

    private final Sql sql;

    BroadcastStore(Sql sql) {
        this.sql = sql;
    }

    void create(String id, String projectId, String name, String segmentId, String journeyId, Instant sendAt, long audience) {
        sql.update("INSERT INTO broadcast (id, project_id, name, segment_id, journey_id, status, send_at, audience)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, projectId, name, segmentId, journeyId, SCHEDULED, sendAt, audience);
    }

    Optional<Broadcast> find(String projectId, String id) {
        return sql.first("SELECT " + COLUMNS + " FROM broadcast WHERE project_id = ? AND id = ?", BroadcastStore::row, projectId, id);
    }

    long count(String projectId) {
        return sql.first("SELECT count(*) FROM broadcast WHERE project_id = ?", rs -> rs.getLong(1), projectId).orElse(0L);
    }

    List<Broadcast> list(String projectId) {
        return sql.list("SELECT " + COLUMNS + " FROM broadcast WHERE project_id = ? ORDER BY created_at DESC", BroadcastStore::row, projectId);
    }

    /** False unless it was {@code scheduled}, {@code sending}, or ({@code sentToo}) {@code sent}. */
    boolean cancel(String projectId, String id, boolean sentToo) {
        return sql.update("UPDATE broadcast SET status = ?, finished_at = now() WHERE project_id = ? AND id = ? AND status IN (?, ?, ?)",
                CANCELLED, projectId, id, SCHEDULED, SENDING, sentToo ? SENT : SCHEDULED) > 0;
    }

    /** The next broadcast due, locked for this transaction (another process skips it). */
    static Optional<Broadcast> due(Connection c) throws SQLException {
        return Sql.first(c, "SELECT " + COLUMNS + " FROM broadcast WHERE status IN (?, ?) AND send_at <= now()"
                + " ORDER BY send_at LIMIT 1 FOR UPDATE SKIP LOCKED", BroadcastStore::row, SCHEDULED, SENDING);
    }

    /** {@code added} more members were given their entry, up to {@code afterUser}; {@code done}: every member has one. */
    static void advance(Connection c, String id, String afterUser, int added, boolean done) throws SQLException {
        Sql.update(c, "UPDATE broadcast SET status = ?, after_user = ?, enqueued = enqueued + ?,"
                + " started_at = coalesce(started_at, now()), finished_at = CASE WHEN ? THEN now() END WHERE id = ?",
                done ? SENT : SENDING, afterUser, added, done, id);
    }

    static void fail(Connection c, String id, String error) throws SQLException {
        Sql.update(c, "UPDATE broadcast SET status = ?, error = ?, finished_at = now() WHERE id = ?", FAILED, error, id);
    }

    private static Broadcast row(ResultSet rs) throws SQLException {
        return new Broadcast(rs.getString("id"), rs.getString("project_id"), rs.getString("name"), rs.getString("segment_id"),
                rs.getString("journey_id"), rs.getString("status"), Sql.instant(rs, "send_at"), rs.getLong("audience"),
                rs.getLong("enqueued"), rs.getString("after_user"), rs.getString("error"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"));
    }
}
