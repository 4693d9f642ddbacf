package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.JourneyDefinition;
import io.agroal.api.AgroalDataSource;

/**
 * The published journeys of each project by trigger event, kept in memory so the dispatcher does
 * not query per event. Dropped on publish, pause and archive in this process, and at most two
 * seconds stale for changes made through another API replica.
 */
@ApplicationScoped
public class PublishedJourneys {
    private static final long TTL_NANOS = 2_000_000_000L;

    public record Published(String journeyId, int version, JourneyDefinition definition) {}

    private record Snapshot(long loadedAt, Map<String, List<Published>> byTrigger) {}

    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    public List<Published> triggeredBy(Connection c, String projectId, String eventType) throws SQLException {
        Snapshot snapshot = cache.get(projectId);
        if (snapshot == null || System.nanoTime() - snapshot.loadedAt() > TTL_NANOS) {
            snapshot = load(c, projectId);
            cache.put(projectId, snapshot);
        }
        return snapshot.byTrigger().getOrDefault(eventType, List.of());
    }

    public void changed(String projectId) {
        cache.remove(projectId);
    }

    private Snapshot load(Connection c, String projectId) throws SQLException {
        Map<String, List<Published>> byTrigger = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT j.id, v.version, v.definition::text FROM journey j"
                + " JOIN journey_version v ON v.journey_id = j.id AND v.version = j.published_version"
                + " WHERE j.project_id = ? AND j.status = 'published'")) {
            st.setString(1, projectId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    JourneyDefinition definition = json.readValue(rs.getString(3), JourneyDefinition.class);
                    byTrigger.computeIfAbsent(definition.trigger().event(), k -> new ArrayList<>())
                            .add(new Published(rs.getString(1), rs.getInt(2), definition));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a published journey of " + projectId + " cannot be read: " + e.getMessage(), e);
        }
        return new Snapshot(System.nanoTime(), byTrigger);
    }
}
