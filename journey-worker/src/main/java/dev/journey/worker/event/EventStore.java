package dev.journey.worker.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;

/**
 * The only SQL for {@code event}: a validated batch stored with its outbox
 * row in one statement (an event is never stored without being dispatched later), events read
 * back as journeys and lists see them. Duplicated
 * {@code eventId}s (a client retry within the dedup window, or twice in one batch) are skipped by
 * the keys of {@code event_key}. The table is partitioned by month of {@code received_at}
 * ({@code dev.journey.worker.retention}); lookups by id search every month.
 */
public class EventStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /**
     * The events of one or more requests (a group commit), in one statement: the first occurrence
     * of each (project, eventId) claims its key in {@code event_key} (a retry, or a repeat later in
     * the statement, finds it taken); the events without an eventId and those whose key was claimed
     * here are stored, with one outbox row for all of them ({@code dispatch_arrival}). Answers the duplicates of each request. One
     * statement for a whole group, not one a request: rows routed into a partitioned table (V22)
     * cost a set-up per statement. Keys are claimed in (project, eventId) order, so two groups
     * sharing eventIds wait for each other rather than deadlock; the key table's unique index makes
     * a concurrent retry wait for this transaction and then skip, as the event table's own index did
     * before it was partitioned.
     */
    private static final String INSERT = """
            WITH batch AS (
                SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                    WITH ORDINALITY AS b(request, project_id, event_id, subject_type, subject_id, type, data, occurred_at, n)
            ), firsts AS (
                SELECT DISTINCT ON (project_id, event_id) project_id, event_id, n FROM batch WHERE event_id IS NOT NULL
                ORDER BY project_id, event_id, n
            ), keyed AS (
                INSERT INTO event_key (project_id, event_id)
                SELECT project_id, event_id FROM firsts ORDER BY project_id, event_id
                ON CONFLICT (project_id, event_id) DO NOTHING
                RETURNING project_id, event_id
            ), claimed AS (
                SELECT f.n FROM firsts f JOIN keyed k ON k.project_id = f.project_id AND k.event_id = f.event_id
            ), stored AS (
                INSERT INTO event (project_id, event_id, subject_type, subject_id, type, data, occurred_at)
                SELECT b.project_id, b.event_id, b.subject_type, b.subject_id, b.type, b.data::jsonb, b.occurred_at FROM batch b
                WHERE b.event_id IS NULL OR b.n IN (SELECT n FROM claimed)
                ORDER BY b.n
                RETURNING id
            ), arrival AS (
                INSERT INTO dispatch_arrival (event_ids, events) SELECT array_agg(id ORDER BY id), count(*) FROM stored HAVING count(*) > 0
            )
            SELECT b.request, count(*) FILTER (WHERE b.event_id IS NOT NULL AND b.n NOT IN (SELECT n FROM claimed))
            FROM batch b GROUP BY b.request
            """;
    /** The columns {@link #entryEvent} reads, of an {@code event} aliased {@code e}. */
    public static final String ENTRY_COLUMNS = "e.id, e.event_id, e.type, e.subject_type, e.subject_id, e.data::text, e.occurred_at";
    public record Stored(int accepted, int duplicates) {}

    /** An event as the recent-events list shows it. */
    public record Listed(long id, String eventId, String subjectType, String subjectId, String type, String dataJson,
                         Instant occurredAt, Instant receivedAt) {}

    private final Sql sql;
    private final ObjectMapper json;

    public EventStore(DataSource db, ObjectMapper json) {
        this.sql = new Sql(db);
        this.json = json;
    }

    /** Stores a batch in a transaction of its own. */
    public Stored store(String projectId, List<NewEvent> events) {
        return sql.inTransaction(c -> store(c, projectId, events));
    }

    /** Stores within the caller's transaction (the dispatcher records @segment_entered with the batch that caused it). */
    public Stored store(Connection c, String projectId, List<NewEvent> events) throws SQLException {
        return insert(c, List.of(new Request(projectId, events))).get(0);
    }

    /** A project's validated events, as one request gave them. */
    public record Request(String projectId, List<NewEvent> events) {}

    /**
     * Stores several requests in one transaction of its own and one statement: one commit for all
     * (the track API's group commit). What each request stored, in their order. Any failure rolls
     * all of them back.
     */
    public List<Stored> storeAll(List<Request> requests) {
        return sql.inTransaction(c -> insert(c, requests));
    }

    private static List<Stored> insert(Connection c, List<Request> requests) throws SQLException {
        List<Integer> request = new ArrayList<>();
        List<String> project = new ArrayList<>();
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            for (NewEvent e : requests.get(i).events()) {
                request.add(i);
                project.add(requests.get(i).projectId());
                events.add(e);
            }
        }
        int[] duplicates = new int[requests.size()];
        Sql.list(c, INSERT, rs -> duplicates[rs.getInt(1)] = rs.getInt(2),
                Sql.array("int", request), Sql.array("text", project),
                Sql.array("text", events.stream().map(NewEvent::eventId).toList()),
                Sql.array("text", events.stream().map(NewEvent::subjectType).toList()),
                Sql.array("text", events.stream().map(NewEvent::subjectId).toList()),
                Sql.array("text", events.stream().map(NewEvent::type).toList()),
                Sql.array("text", events.stream().map(NewEvent::dataJson).toList()),
                Sql.array("timestamptz", events.stream().map(NewEvent::occurredAt).toList()));
        List<Stored> stored = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int size = requests.get(i).events().size();
            stored.add(new Stored(size - duplicates[i], duplicates[i]));
        }
        return stored;
    }

    /** The events with these ids, whole, as journeys see them. */
    public Map<Long, EntryEvent> load(Connection c, List<Long> ids) throws SQLException {
        Map<Long, EntryEvent> events = new HashMap<>();
        if (!ids.isEmpty()) {
            Sql.list(c, "SELECT " + ENTRY_COLUMNS + " FROM event e WHERE e.id = ANY(?) ORDER BY e.id",
                    rs -> events.put(rs.getLong(1), entryEvent(rs, 1)), Sql.array("bigint", ids));
        }
        return events;
    }

    /** Takes replayed events one at a time; false stops the replay. */
    public interface Replay {
        boolean next(EntryEvent event);
    }

    /** Rows fetched per round trip while replaying: enough to keep the reader busy, little enough to stay small in memory. */
    private static final int REPLAY_FETCH = 2_000;

    /**
     * The project's events of these types in {@code [since, until)}, oldest first (by time, then
     * id), at most {@code limit}, handed to {@code each} as they stream in — one query read in
     * batches through a cursor (a read-only transaction with a fetch size), so a run over millions
     * of events holds only one batch. Answers how many were handed over.
     */
    public long replay(String projectId, List<String> types, Instant since, Instant until, long limit, Replay each) {
        return replay(projectId, types, since, until, null, limit, each);
    }

    /** {@code retainedFrom}: the project's retention start (null: none); events received before it are not replayed. */
    public long replay(String projectId, List<String> types, Instant since, Instant until, Instant retainedFrom, long limit,
                       Replay each) {
        return sql.inTransaction(c -> {
            Sql.update(c, "SET TRANSACTION READ ONLY");
            try (PreparedStatement st = Sql.prepare(c, "SELECT " + ENTRY_COLUMNS + " FROM event e WHERE e.project_id = ?"
                            + " AND e.type = ANY(?) AND e.occurred_at >= ? AND e.occurred_at < ? AND e.received_at >= ?"
                            + " ORDER BY e.occurred_at, e.id LIMIT ?",
                    projectId, Sql.array("text", types), since, until, retainedFrom == null ? Instant.EPOCH : retainedFrom, limit)) {
                st.setFetchSize(REPLAY_FETCH);
                long read = 0;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        if (!each.next(entryEvent(rs, 1))) {
                            break;
                        }
                    }
                }
                return read;
            }
        });
    }

    /** An event of the project by its client-given {@code eventId} or by the engine's numeric id. */
    public Optional<EntryEvent> find(String projectId, String eventIdOrId) {
        return find(projectId, eventIdOrId, null);
    }

    /** {@code retainedFrom}: the project's retention start (null: none); an event received before it is not found. */
    public Optional<EntryEvent> find(String projectId, String eventIdOrId, Instant retainedFrom) {
        long numericId = eventIdOrId.matches("\\d{1,18}") ? Long.parseLong(eventIdOrId) : -1;
        return sql.first("SELECT " + ENTRY_COLUMNS + " FROM event e WHERE e.project_id = ? AND (e.event_id = ? OR e.id = ?)"
                + " AND e.received_at >= ? ORDER BY e.id LIMIT 1", rs -> entryEvent(rs, 1), projectId, eventIdOrId, numericId,
                retainedFrom == null ? Instant.EPOCH : retainedFrom);
    }

    /** Reads {@link #ENTRY_COLUMNS} starting at column {@code first}. */
    public EntryEvent entryEvent(ResultSet rs, int first) throws SQLException {
        return new EntryEvent(rs.getLong(first), rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3),
                rs.getString(first + 4), data(rs.getString(first + 5)), rs.getTimestamp(first + 6).toInstant().toString());
    }

    /**
     * Events of a subject with one of these types after an event id, leaving out those already
     * heard, oldest first: what a resumed instance listens to and has not used.
     */
    public List<InboundEvent> since(String projectId, String subjectType, String subjectId, List<String> types, long afterId,
                                    List<Long> heard, int limit) {
        return sql.list("SELECT id, type, data::text, occurred_at, received_at FROM event WHERE project_id = ? AND subject_type = ?"
                        + " AND subject_id = ? AND type = ANY(?) AND id > ? AND NOT (id = ANY(?)) ORDER BY id LIMIT ?",
                rs -> new InboundEvent(rs.getLong(1), rs.getString(2), data(rs.getString(3)), rs.getTimestamp(4).toInstant().toString(),
                        rs.getTimestamp(5).getTime()),
                projectId, subjectType, subjectId, Sql.array("text", types), afterId, Sql.array("bigint", heard), limit);
    }

    /** Filters of the recent-events list; null means any. A user's events include those of the devices registered to them. */
    public record Filter(String userId, String deviceId, String type, Instant since, Instant until) {}

    public Keyset.Page<Listed> recent(String projectId, Filter f, Keyset.Position after, int limit) {
        return recent(projectId, f, null, after, limit);
    }

    /**
     * {@code retainedFrom}: the project's retention start (null: none); events received before it
     * are not shown, though their month may not be dropped yet (it also spares the older months a look).
     */
    public Keyset.Page<Listed> recent(String projectId, Filter f, Instant retainedFrom, Keyset.Position after, int limit) {
        if (f.userId() == null && f.deviceId() == null && f.type() == null) {
            return recentOfEveryType(projectId, f, retainedFrom, after, limit);
        }
        return Keyset.select("SELECT " + LISTED_COLUMNS + " FROM event WHERE project_id = ?", projectId)
                .and("((subject_type = 'user' AND subject_id = ?) OR (subject_type = 'device' AND subject_id IN"
                        + " (SELECT device_id FROM device WHERE project_id = ? AND user_id = ?)))", f.userId(), projectId, f.userId())
                .and("subject_type = 'device' AND subject_id = ?", f.deviceId())
                .and("type = ?", f.type())
                .and("occurred_at >= ?", f.since())
                .and("occurred_at < ?", f.until())
                .and("received_at >= ?", retainedFrom)
                .page(sql, "occurred_at", "id", after, limit, EventStore::listed, EventStore::positionOf);
    }

    private static final String LISTED_COLUMNS = "id, event_id, subject_type, subject_id, type, data::text AS data, occurred_at, received_at";

    /**
     * The list without a subject or type: no index orders all of a project's events by time (one cost
     * every insert enough to take ~20 % off batch ingest: README, "Measuring"), so each of the project's
     * types found in {@code event_by_type} (a skip scan: one probe per type and month) gives its newest
     * page and those are merged. Its cost grows with the number of types, not of events.
     */
    private Keyset.Page<Listed> recentOfEveryType(String projectId, Filter f, Instant retainedFrom, Keyset.Position after, int limit) {
        Keyset ofOneType = Keyset.select("SELECT " + LISTED_COLUMNS + " FROM event WHERE project_id = ? AND type = types.type", projectId)
                .and("occurred_at >= ?", f.since())
                .and("occurred_at < ?", f.until())
                .and("received_at >= ?", retainedFrom);
        return Keyset.select("""
                WITH RECURSIVE types(type) AS (
                    SELECT min(type) FROM event WHERE project_id = ?
                    UNION ALL
                    SELECT (SELECT min(e.type) FROM event e WHERE e.project_id = ? AND e.type > types.type)
                    FROM types WHERE types.type IS NOT NULL)
                SELECT e.* FROM types CROSS JOIN LATERAL (%s) e WHERE types.type IS NOT NULL""", projectId, projectId)
                .pageOfPages(sql, ofOneType, "occurred_at", "id", after, limit, EventStore::listed, EventStore::positionOf);
    }

    private static Listed listed(ResultSet rs) throws SQLException {
        return new Listed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Sql.instant(rs, "occurred_at"), Sql.instant(rs, "received_at"));
    }

    private static Keyset.Position positionOf(Listed e) {
        return new Keyset.Position(e.occurredAt(), e.id());
    }

    private Map<String, Object> data(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
