package dev.journey.api.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.worker.Jdbc;
import io.agroal.api.AgroalDataSource;

/**
 * Stores a validated batch in one statement and one transaction: the events and their outbox
 * rows together, so an event is never stored without being dispatched later. Duplicated
 * {@code eventId}s (a client retry, or twice in one batch) are skipped by the unique index.
 */
@ApplicationScoped
public class EventStore {
    private static final String INSERT = """
            WITH batch AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                    WITH ORDINALITY AS b(event_id, subject_type, subject_id, type, data, occurred_at, n)
            ), stored AS (
                INSERT INTO event (project_id, event_id, subject_type, subject_id, type, data, occurred_at)
                SELECT ?, event_id, subject_type, subject_id, type, data::jsonb, occurred_at FROM batch ORDER BY n
                ON CONFLICT (project_id, event_id) WHERE event_id IS NOT NULL DO NOTHING
                RETURNING id
            )
            INSERT INTO dispatch_outbox (event_id) SELECT id FROM stored
            """;

    public record Stored(int accepted, int duplicates) {}

    @Inject
    AgroalDataSource db;

    public Stored store(String projectId, List<NewEvent> events) {
        try {
            return Jdbc.inTransaction(db, c -> store(c, projectId, events));
        } catch (SQLException e) {
            throw new IllegalStateException("events could not be stored: " + e.getMessage(), e);
        }
    }

    /** Stores within the caller's transaction (the dispatcher records @segment_entered with the batch that caused it). */
    public Stored store(Connection c, String projectId, List<NewEvent> events) throws SQLException {
        int n = events.size();
        String[] eventIds = new String[n];
        String[] subjectTypes = new String[n];
        String[] subjectIds = new String[n];
        String[] types = new String[n];
        String[] data = new String[n];
        Timestamp[] occurredAt = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            NewEvent e = events.get(i);
            eventIds[i] = e.eventId();
            subjectTypes[i] = e.subjectType();
            subjectIds[i] = e.subjectId();
            types[i] = e.type();
            data[i] = e.dataJson();
            occurredAt[i] = Timestamp.from(e.occurredAt());
        }
        try (PreparedStatement st = c.prepareStatement(INSERT)) {
            st.setArray(1, c.createArrayOf("text", eventIds));
            st.setArray(2, c.createArrayOf("text", subjectTypes));
            st.setArray(3, c.createArrayOf("text", subjectIds));
            st.setArray(4, c.createArrayOf("text", types));
            st.setArray(5, c.createArrayOf("text", data));
            st.setArray(6, c.createArrayOf("timestamptz", occurredAt));
            st.setString(7, projectId);
            int accepted = st.executeUpdate();
            return new Stored(accepted, n - accepted);
        }
    }
}
