package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;

/**
 * Why a subject did not enter a journey the last time an event of its trigger type came: written by
 * the dispatcher in its batch's transaction (one row per journey and subject, replaced each time),
 * read by a user's profile. An entry writes nothing: the later of the two is the answer.
 */
@ApplicationScoped
public class NonEntries {
    /** The trigger's condition was false ({@code detail.checks}: the parts that decided it). */
    public static final String CONDITION = "condition";
    /** The re-entry rule refused ({@code detail.rule}, and when the subject last entered or how many instances run). */
    public static final String REENTRY = "reentry";
    /** The journey's entry limit was reached ({@code detail}: {@code max}, {@code per}, and the window). */
    public static final String LIMIT = "limit";
    /** The journey is paused. */
    public static final String PAUSED = "paused";
    /** The event was caused by this journey's own steps ({@code detail.causedBy}); entering would loop. */
    public static final String LOOP = "loop";

    /** One subject that did not enter one journey on one event. */
    public record NonEntry(String journeyId, String subjectType, String subjectId, long eventId, String reason,
                           Map<String, Object> detail) {}

    /** A non-entry as a user's profile shows it. */
    public record Shown(String journeyId, String journeyName, String eventId, String eventType, String reason,
                        Map<String, Object> detail, Instant at) {}

    @Inject
    Sql sql;
    @Inject
    ObjectMapper json;

    /** Writes a batch's non-entries; of several for one journey and subject, the latest event's wins. */
    public void write(Connection tx, List<NonEntry> nonEntries) throws SQLException {
        if (nonEntries.isEmpty()) {
            return;
        }
        Map<List<String>, NonEntry> latest = new LinkedHashMap<>();
        for (NonEntry n : nonEntries) {
            latest.merge(List.of(n.journeyId(), n.subjectType(), n.subjectId()), n, (a, b) -> a.eventId() >= b.eventId() ? a : b);
        }
        List<NonEntry> rows = new ArrayList<>(latest.values());
        List<String> details = new ArrayList<>();
        for (NonEntry row : rows) {
            details.add(text(row.detail()));
        }
        Sql.update(tx, "INSERT INTO journey_non_entry (journey_id, subject_type, subject_id, event_id, reason, detail)"
                        + " SELECT j, st, si, e, r, d::jsonb FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])"
                        + " AS n(j, st, si, e, r, d)"
                        + " ON CONFLICT (journey_id, subject_type, subject_id) DO UPDATE SET event_id = EXCLUDED.event_id,"
                        + " reason = EXCLUDED.reason, detail = EXCLUDED.detail, at = now()"
                        + " WHERE journey_non_entry.event_id < EXCLUDED.event_id",
                Sql.array("text", rows.stream().map(NonEntry::journeyId).toList()),
                Sql.array("text", rows.stream().map(NonEntry::subjectType).toList()),
                Sql.array("text", rows.stream().map(NonEntry::subjectId).toList()),
                Sql.array("int8", rows.stream().map(NonEntry::eventId).toList()),
                Sql.array("text", rows.stream().map(NonEntry::reason).toList()),
                Sql.array("text", details));
    }

    /** The user's non-entries that no later entry of the same journey answers, newest first. */
    public List<Shown> ofUser(String projectId, String userId) {
        return sql.list("SELECT n.journey_id, j.name, n.event_id, e.type, n.reason, n.detail::text, n.at"
                        + " FROM journey_non_entry n JOIN journey j ON j.id = n.journey_id LEFT JOIN event e ON e.id = n.event_id"
                        + " WHERE j.project_id = ? AND n.subject_type = 'user' AND n.subject_id = ?"
                        + " AND NOT EXISTS (SELECT 1 FROM journey_instance i WHERE i.journey_id = n.journey_id"
                        + " AND i.subject_type = n.subject_type AND i.subject_id = n.subject_id AND i.entry_event_id > n.event_id)"
                        + " ORDER BY n.at DESC",
                rs -> new Shown(rs.getString(1), rs.getString(2), String.valueOf(rs.getLong(3)), rs.getString(4), rs.getString(5),
                        map(rs.getString(6)), Sql.instant(rs, "at")), projectId, userId);
    }

    private String text(Map<String, Object> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("non-entry detail not serialisable", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored non-entry detail unreadable", e);
        }
    }
}
