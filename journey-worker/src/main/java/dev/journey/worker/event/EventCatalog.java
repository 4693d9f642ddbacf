package dev.journey.worker.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

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

    private static final String COUNT = "INSERT INTO event_type AS t (project_id, name, source, first_seen_at, last_seen_at, count, properties)"
            + " SELECT project_id, type, CASE WHEN type LIKE '@%' THEN 'system' ELSE 'auto' END, min(received_at), max(received_at),"
            + " count(*), property_types_agg(event_property_types(data)) FROM event e WHERE id = ANY(?) GROUP BY project_id, type"
            + " HAVING EXISTS (SELECT 1 FROM event_type x WHERE x.project_id = e.project_id AND x.name = e.type)"
            + " OR (SELECT count(*) FROM event_type x WHERE x.project_id = e.project_id) < " + MAX_TYPES
            + " ON CONFLICT (project_id, name) DO UPDATE SET first_seen_at = least(t.first_seen_at, EXCLUDED.first_seen_at),"
            + " last_seen_at = greatest(t.last_seen_at, EXCLUDED.last_seen_at), count = t.count + EXCLUDED.count,"
            + " properties = merge_property_types(t.properties, EXCLUDED.properties)";

    private final Sql sql;

    public EventCatalog(DataSource db) {
        this.sql = new Sql(db);
    }

    /** Counts a dispatched batch, in the dispatch transaction: exactly once per event. */
    public static void count(Connection tx, List<Long> eventIds) throws SQLException {
        if (!eventIds.isEmpty()) {
            Sql.update(tx, COUNT, Sql.array("bigint", eventIds));
        }
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
