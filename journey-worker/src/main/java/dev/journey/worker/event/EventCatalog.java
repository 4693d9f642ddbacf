package dev.journey.worker.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;

/**
 * The only SQL for {@code event_type}, the catalog that fills itself: each dispatched batch is
 * counted (source {@code auto}, or {@code system} for {@code @} events) with first and last seen
 * and the type of each data property; types can also be declared by hand (source {@code manual}).
 */
public class EventCatalog {
    /**
     * Types a project's catalog holds. Events of further types are stored, listed and dispatched as
     * usual but not catalogued: a client that puts ids into event names cannot grow the catalog
     * (and the list that shows it whole) without bound.
     */
    public static final int MAX_TYPES = 1000;

    /** One type of event; {@code propertiesJson} maps each data property to the types seen. */
    public record EventType(String name, String source, String description, Instant firstSeenAt, Instant lastSeenAt, long count,
                            String propertiesJson) {}

    /**
     * One statement per dispatched batch, one row per (project, type): counts, first and last seen,
     * and each property's type over the batch ({@link PropertyKinds}, from the data the claim read),
     * merged into what is stored. Typing each event's properties in SQL (jsonb_each, a pattern per
     * string, a merge function per event) cost the database more than storing the event did
     * (pg_stat_statements under src/bench/ingest.sh); the engine's JVM had cores to spare.
     */
    private static final String COUNT = "INSERT INTO event_type AS t (project_id, name, source, first_seen_at, last_seen_at, count, properties)"
            + " SELECT c.project_id, c.type, CASE WHEN c.type LIKE '@%' THEN 'system' ELSE 'auto' END, c.first_seen_at, c.last_seen_at,"
            + " c.n, c.kinds::jsonb FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::text[])"
            + " AS c(project_id, type, first_seen_at, last_seen_at, n, kinds)"
            + " WHERE EXISTS (SELECT 1 FROM event_type x WHERE x.project_id = c.project_id AND x.name = c.type)"
            + " OR (SELECT count(*) FROM event_type x WHERE x.project_id = c.project_id) < " + MAX_TYPES
            + " ORDER BY c.project_id, c.type"
            + " ON CONFLICT (project_id, name) DO UPDATE SET first_seen_at = least(t.first_seen_at, EXCLUDED.first_seen_at),"
            + " last_seen_at = greatest(t.last_seen_at, EXCLUDED.last_seen_at), count = t.count + EXCLUDED.count,"
            + " properties = merge_property_types(t.properties, EXCLUDED.properties)";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a batch adds to one type of one project. */
    private static final class Seen {
        final String projectId;
        final String type;
        Instant first;
        Instant last;
        long count;
        final Map<String, String> kinds = new TreeMap<>();

        Seen(String projectId, String type) {
            this.projectId = projectId;
            this.type = type;
        }
    }

    private final Sql sql;

    public EventCatalog(DataSource db) {
        this.sql = new Sql(db);
    }

    /** Counts a dispatched batch, in the dispatch transaction: exactly once per event. */
    public static void count(Connection tx, List<Outbox.Claimed> events) throws SQLException {
        Map<List<String>, Seen> seen = new LinkedHashMap<>();
        for (Outbox.Claimed e : events) {
            Seen s = seen.computeIfAbsent(List.of(e.projectId(), e.type()), k -> new Seen(e.projectId(), e.type()));
            s.count++;
            s.first = s.first == null || e.receivedAt().isBefore(s.first) ? e.receivedAt() : s.first;
            s.last = s.last == null || e.receivedAt().isAfter(s.last) ? e.receivedAt() : s.last;
            try {
                PropertyKinds.add(s.kinds, JSON.readTree(e.dataJson()));
            } catch (JsonProcessingException ex) {
                throw new SQLException("event " + e.id() + " has data that is not JSON", ex);
            }
        }
        if (seen.isEmpty()) {
            return;
        }
        List<String> kinds = new ArrayList<>();
        for (Seen s : seen.values()) {
            try {
                kinds.add(JSON.writeValueAsString(s.kinds));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        Sql.update(tx, COUNT, Sql.array("text", seen.values().stream().map(s -> s.projectId).toList()),
                Sql.array("text", seen.values().stream().map(s -> s.type).toList()),
                Sql.array("timestamptz", seen.values().stream().map(s -> s.first).toList()),
                Sql.array("timestamptz", seen.values().stream().map(s -> s.last).toList()),
                Sql.array("bigint", seen.values().stream().map(s -> s.count).toList()),
                Sql.array("text", kinds));
    }

    public List<EventType> list(String projectId) {
        return sql.list("SELECT name, source, description, first_seen_at, last_seen_at, count, properties::text FROM event_type"
                        + " WHERE project_id = ? ORDER BY name",
                rs -> new EventType(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "first_seen_at"),
                        Sql.instant(rs, "last_seen_at"), rs.getLong(6), rs.getString(7)), projectId);
    }

    public enum Declared { CREATED, EXISTS, CATALOG_FULL }

    /** Declares a type by hand, unless the project has it already or has {@link #MAX_TYPES} types. */
    public Declared declare(String projectId, String name, String description) {
        int created = sql.update("INSERT INTO event_type (project_id, name, source, description) SELECT ?, ?, 'manual', ?"
                + " WHERE (SELECT count(*) FROM event_type WHERE project_id = ?) < " + MAX_TYPES + " ON CONFLICT DO NOTHING",
                projectId, name, description, projectId);
        if (created > 0) {
            return Declared.CREATED;
        }
        return sql.first("SELECT 1 FROM event_type WHERE project_id = ? AND name = ?", rs -> 1, projectId, name).isPresent()
                ? Declared.EXISTS : Declared.CATALOG_FULL;
    }
}
