package dev.journey.worker.segment;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Condition;

/**
 * The only SQL for {@code segment} and {@code segment_member}: a segment's definition, its
 * condition compiled by {@link SegmentSql} and run, and the members the dispatcher keeps for
 * segments that journeys enter on.
 */
public class SegmentStore {
    /** A segment as it is stored: its condition as JSON. */
    public record Segment(String id, String projectId, String name, String conditionJson, Instant createdAt, Instant updatedAt) {}

    private static final String COLUMNS = "id, project_id, name, condition::text, created_at, updated_at";

    /**
     * Whether one user is a member, or how often they did something: an indexed look at one user's
     * events, normally milliseconds. Bounded because it runs in dispatch and in journeys' branches,
     * where a runaway condition must fail (and be retried or parked) rather than hold everyone up.
     */
    public static final Duration ONE_USER_TIMEOUT = Duration.ofSeconds(5);
    /** Counting or listing a whole segment, asked for through the API. */
    public static final Duration WHOLE_SEGMENT_TIMEOUT = Duration.ofSeconds(30);

    private final Sql sql;
    private final Sql oneUser;
    private final Sql whole;
    private final ObjectMapper json;

    public SegmentStore(DataSource db, ObjectMapper json) {
        this.sql = new Sql(db);
        this.oneUser = sql.withTimeout(ONE_USER_TIMEOUT);
        this.whole = sql.withTimeout(WHOLE_SEGMENT_TIMEOUT);
        this.json = json;
    }

    public void create(String id, String projectId, String name, String conditionJson) {
        sql.update("INSERT INTO segment (id, project_id, name, condition) VALUES (?, ?, ?, ?::jsonb)", id, projectId, name, conditionJson);
    }

    public Optional<Segment> find(String projectId, String id) {
        return sql.first("SELECT " + COLUMNS + " FROM segment WHERE project_id = ? AND id = ?", SegmentStore::segment, projectId, id);
    }

    /** How many the project holds (bounded by the API, so its list is answered whole). */
    public long countIn(String projectId) {
        return sql.first("SELECT count(*) FROM segment WHERE project_id = ?", rs -> rs.getLong(1), projectId).orElse(0L);
    }

    public List<Segment> list(String projectId) {
        return sql.list("SELECT " + COLUMNS + " FROM segment WHERE project_id = ? ORDER BY created_at", SegmentStore::segment, projectId);
    }

    public void update(String id, String name, String conditionJson) {
        sql.update("UPDATE segment SET name = ?, condition = ?::jsonb, updated_at = now() WHERE id = ?", name, conditionJson, id);
    }

    public void delete(String id) {
        sql.update("DELETE FROM segment WHERE id = ?", id);
    }

    /** A segment's condition, or null when the project has no such segment. */
    public Condition condition(String projectId, String segmentId) {
        return sql.first("SELECT condition::text FROM segment WHERE project_id = ? AND id = ?", rs -> read(rs.getString(1)),
                projectId, segmentId).orElse(null);
    }

    /**
     * Why a condition about to be saved as segment {@code selfId} (null for a new one or a preview)
     * cannot be run, or null when it can: a chain of references that comes back to a segment on it,
     * or references and negations nested deeper than {@link SegmentSql} compiles. Checked at save,
     * so a stored segment always compiles.
     */
    public String referenceProblem(String projectId, String selfId, Condition condition) {
        String cycle = cycle(projectId, selfId, condition, new ArrayList<>(selfId == null ? List.of() : List.of(selfId)));
        if (cycle != null) {
            return cycle;
        }
        try {
            SegmentSql.users(projectId, condition, null, Instant.now(),
                    ref -> ref.equals(selfId) ? condition : condition(projectId, ref)).count();
            return null;
        } catch (IllegalArgumentException e) {
            return "segments refer to each other (or negate) more than " + SegmentSql.MAX_DEPTH + " levels deep";
        }
    }

    private String cycle(String projectId, String selfId, Condition condition, List<String> chain) {
        for (String ref : SegmentSql.references(condition)) {
            if (chain.contains(ref)) {
                List<String> loop = new ArrayList<>(chain.subList(chain.indexOf(ref), chain.size()));
                loop.add(ref);
                return "segments refer to each other in a circle: " + String.join(" → ", loop);
            }
            Condition next = ref.equals(selfId) ? condition : condition(projectId, ref);
            if (next != null && chain.size() <= SegmentSql.MAX_DEPTH) {
                chain.add(ref);
                String found = cycle(projectId, selfId, next, chain);
                chain.remove(chain.size() - 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Who matches a condition now, one page in user-id order after {@code afterUserId} ("" for the first). */
    public List<String> members(String projectId, Condition condition, String afterUserId, int limit) {
        SegmentSql.Query users = SegmentSql.users(projectId, condition, null, Instant.now(), ref -> condition(projectId, ref));
        List<Object> params = new ArrayList<>(users.params());
        params.add(afterUserId);
        params.add(limit);
        return whole.list("SELECT user_id FROM (" + users.sql() + ") members WHERE user_id COLLATE \"C\" > ? ORDER BY user_id COLLATE \"C\" LIMIT ?",
                rs -> rs.getString(1), params.toArray());
    }

    /** How many of the project's users match a condition now. */
    public long count(String projectId, Condition condition) {
        return queryLong(whole, SegmentSql.users(projectId, condition, null, Instant.now(), ref -> condition(projectId, ref)).count());
    }

    /** Whether one user matches a condition now. */
    public boolean contains(String projectId, Condition condition, String userId, Instant now) {
        return queryLong(SegmentSql.users(projectId, condition, userId, now, ref -> condition(projectId, ref)).exists()) == 1;
    }

    /**
     * When one user's membership in a condition could next change with nothing but the clock
     * ({@link SegmentSql#nextChange}), or null when it cannot: no relative window, or no counted
     * event left to age out. One indexed look at the user's events per windowed part.
     */
    public Instant nextChange(String projectId, Condition condition, String userId, Instant now) {
        SegmentSql.Query query = SegmentSql.nextChange(projectId, condition, userId, now, ref -> condition(projectId, ref));
        if (query == null) {
            return null;
        }
        return oneUser.first(query.sql(), rs -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant(), query.params().toArray()).orElse(null);
    }

    /** Whether a condition can change by the clock alone (a relative window somewhere in it): only then are rechecks stored. */
    public boolean changesWithTime(String projectId, Condition condition) {
        return SegmentSql.changesWithTime(condition, ref -> condition(projectId, ref));
    }

    /** A tracked user and segment whose membership is due to be asked again. */
    public record Recheck(String projectId, String segmentId, String userId) {}

    /**
     * Sets (or, with null, clears) when a tracked user's membership is to be asked again, in the
     * caller's transaction: the reconciler takes the row when that time has come.
     */
    public static void recheckAt(Connection tx, String segmentId, String userId, Instant at) throws SQLException {
        if (at == null) {
            Sql.update(tx, "DELETE FROM segment_recheck WHERE segment_id = ? AND user_id = ?", segmentId, userId);
        } else {
            Sql.update(tx, "INSERT INTO segment_recheck (segment_id, user_id, at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (segment_id, user_id) DO UPDATE SET at = excluded.at", segmentId, userId, Timestamp.from(at));
        }
    }

    /**
     * Takes up to {@code limit} rechecks due at {@code now}, earliest first, and leases them: their
     * time moves to {@code now + lease} and commits at once, so other replicas skip them (SKIP
     * LOCKED while this runs, the later time after) and no lock is held while they are evaluated.
     * Each evaluation sets the row's next time; one that fails or dies with its process is simply
     * due again when the lease ends.
     */
    public List<Recheck> takeDue(Instant now, Duration lease, int limit) {
        return sql.list("""
                WITH due AS (
                    SELECT segment_id, user_id FROM segment_recheck WHERE at <= ?
                    ORDER BY at LIMIT ? FOR UPDATE SKIP LOCKED)
                UPDATE segment_recheck r SET at = ? FROM due, segment s
                WHERE r.segment_id = due.segment_id AND r.user_id = due.user_id AND s.id = r.segment_id
                RETURNING s.project_id, r.segment_id, r.user_id""",
                rs -> new Recheck(rs.getString(1), rs.getString(2), rs.getString(3)),
                Timestamp.from(now), limit, Timestamp.from(now.plus(lease)));
    }

    /** Runs a one-value query about one user (a count, or EXISTS as 0/1), within the membership timeout. */
    public long queryLong(SegmentSql.Query query) {
        return queryLong(oneUser, query);
    }

    private static long queryLong(Sql sql, SegmentSql.Query query) {
        return sql.first(query.sql(), rs -> {
            Object value = rs.getObject(1);
            return value instanceof Boolean b ? (b ? 1L : 0L) : ((Number) value).longValue();
        }, query.params().toArray()).orElseThrow();
    }

    /** Records that a user entered a tracked segment, in the dispatcher's transaction; false when already a member. */
    public static boolean enter(Connection tx, String segmentId, String userId) throws SQLException {
        return Sql.update(tx, "INSERT INTO segment_member (segment_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", segmentId, userId) == 1;
    }

    /** Records that a user left a tracked segment, in the dispatcher's transaction; false when they were not a member. */
    public static boolean leave(Connection tx, String segmentId, String userId) throws SQLException {
        return Sql.update(tx, "DELETE FROM segment_member WHERE segment_id = ? AND user_id = ?", segmentId, userId) == 1;
    }

    private Condition read(String text) {
        try {
            return json.readValue(text, Condition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored segment condition could not be read: " + e.getOriginalMessage(), e);
        }
    }

    private static Segment segment(ResultSet rs) throws SQLException {
        return new Segment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
