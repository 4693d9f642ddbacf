package dev.journey.worker.subject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.worker.event.Outbox;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.segment.SegmentSql;
import dev.journey.worker.segment.SegmentStore;

/**
 * What the engine knows about a subject — users and devices, their tags and timezone, and the
 * event history conditions such as "purchased since entering" ask about. The only SQL for
 * {@code app_user} and {@code device}, with {@link DeviceTokens} (the push tokens a send reads and retires).
 */
public class SubjectStore {
    /** Recorded once per device, when it is first registered. */
    public static final String FIRST_SESSION = "@first_session";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** The most events one history condition reads; enough for "did X" and "did X n times" in journeys. */
    static final int HISTORY_SCAN_LIMIT = 10_000;

    /** A user's profile as the API shows it. */
    public record Profile(Map<String, Object> tags, String timezone, Instant createdAt) {}

    /** A device as the API shows it (the token itself is never shown). */
    public record Device(String deviceId, String platform, boolean hasPushToken, String tokenStatus, String timezone, Instant createdAt) {}

    private final Sql sql;
    private final ObjectMapper json;
    private final EventStore events;
    private final SegmentStore segments;

    public SubjectStore(DataSource db, ObjectMapper json, EventStore events, SegmentStore segments) {
        this.sql = new Sql(db);
        this.json = json;
        this.events = events;
        this.segments = segments;
    }

    /** The user a subject stands for: the user itself, or the user a device is registered to (null if none). */
    public String userId(String projectId, String subjectType, String subjectId) {
        if ("user".equals(subjectType)) {
            return subjectId;
        }
        return sql.first("SELECT user_id FROM device WHERE project_id = ? AND device_id = ?", rs -> rs.getString(1),
                projectId, subjectId).orElse(null);
    }

    public Map<String, Object> tags(String projectId, String userId) {
        if (userId == null) {
            return Map.of();
        }
        return sql.first("SELECT tags::text FROM app_user WHERE project_id = ? AND user_id = ?", rs -> map(rs.getString(1)),
                projectId, userId).orElse(Map.of());
    }

    /**
     * {@code user} as templates and conditions see it — {id, tags, timezone and locale when the user has them}:
     * the one place that builds it, for real sends, previews and conditions alike (the {@code date}
     * filter renders in {@code user.timezone}).
     */
    public Map<String, Object> user(String projectId, String subjectType, String subjectId) {
        String userId = userId(projectId, subjectType, subjectId);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", userId);
        user.put("tags", Map.of());
        if (userId != null) {
            profile(projectId, userId).ifPresent(p -> {
                user.put("tags", p.tags());
                if (p.timezone() != null) {
                    user.put("timezone", p.timezone());
                }
                // Templates pick their translation by user.locale, which the user's "locale" tag sets (SDKs: setTags).
                if (p.tags().get("locale") instanceof String locale && !locale.isBlank()) {
                    user.put("locale", locale.strip());
                }
            });
        }
        return user;
    }

    public Optional<Profile> profile(String projectId, String userId) {
        return sql.first("SELECT tags::text, timezone, created_at FROM app_user WHERE project_id = ? AND user_id = ?",
                rs -> new Profile(map(rs.getString(1)), rs.getString(2), Sql.instant(rs, "created_at")), projectId, userId);
    }

    public List<Device> devices(String projectId, String userId) {
        return sql.list("SELECT device_id, platform, push_token IS NOT NULL, token_status, timezone, created_at FROM device"
                        + " WHERE project_id = ? AND user_id = ? ORDER BY created_at",
                rs -> new Device(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getString(5),
                        Sql.instant(rs, "created_at")), projectId, userId);
    }

    /**
     * Registers or updates a device; true when this call created it, and then records the device's
     * {@code @first_session} (the caller wakes the dispatcher). A user it names is created if
     * unknown; a new push token makes the token active again.
     */
    public boolean registerDevice(String projectId, String deviceId, String userId, String platform, String pushToken, String timezone) {
        return sql.inTransaction(c -> {
            boolean inserted = Sql.first(c, "INSERT INTO device (project_id, device_id, user_id, platform, push_token, timezone)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, device_id) DO UPDATE SET"
                    + " user_id = coalesce(EXCLUDED.user_id, device.user_id), platform = EXCLUDED.platform,"
                    + " push_token = coalesce(EXCLUDED.push_token, device.push_token),"
                    + " token_status = CASE WHEN EXCLUDED.push_token IS DISTINCT FROM device.push_token AND EXCLUDED.push_token IS NOT NULL"
                    + "   THEN 'active' ELSE device.token_status END,"
                    + " timezone = coalesce(EXCLUDED.timezone, device.timezone), updated_at = now()"
                    + " RETURNING (xmax = 0)", rs -> rs.getBoolean(1), projectId, deviceId, userId, platform, pushToken, timezone)
                    .orElseThrow();
            if (userId != null) {
                Sql.update(c, "INSERT INTO app_user (project_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", projectId, userId);
            }
            if (inserted) {
                // In the device's transaction: a device is never stored without its first session, nor the other way round.
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("platform", platform);
                data.put("userId", userId);
                events.store(c, projectId, List.of(new NewEvent(FIRST_SESSION + ":" + deviceId, "device", deviceId, FIRST_SESSION,
                        write(data), Instant.now())));
            }
            return inserted;
        });
    }

    /**
     * Segments count over the project's users: everyone who sent an event is one (within the
     * dispatch transaction). From the claimed rows the dispatcher already holds, not a second read of
     * {@code event}.
     */
    public static void usersOf(Connection tx, List<Outbox.Claimed> events) throws SQLException {
        List<Outbox.Claimed> users = events.stream().filter(e -> "user".equals(e.subjectType())).toList();
        if (!users.isEmpty()) {
            Sql.update(tx, "INSERT INTO app_user (project_id, user_id) SELECT DISTINCT * FROM unnest(?::text[], ?::text[])"
                            + " ORDER BY 1, 2 ON CONFLICT DO NOTHING",
                    Sql.array("text", users.stream().map(Outbox.Claimed::projectId).toList()),
                    Sql.array("text", users.stream().map(Outbox.Claimed::subjectId).toList()));
        }
    }

    /**
     * Merges tags (a null value deletes the tag) and records the system event {@code @tags_changed}
     * in the same transaction, so segments that look at tags are re-evaluated like after any event.
     * Idempotent in effect: a retried activity sets the same values again.
     */
    public void mergeTags(String projectId, String userId, Map<String, Object> tags) {
        mergeTags(projectId, userId, tags, null, null);
    }

    /**
     * Merges tags as {@link #mergeTags(String, String, Map)} does, for a journey step: the
     * {@code @tags_changed} event gets the client event id {@code eventId} (null: none), so doing it
     * again with the same id stores the event once (the merge itself is idempotent), and its data
     * names the journeys that caused it ({@code "causedBy": [...]}, left out when null).
     */
    public void mergeTags(String projectId, String userId, Map<String, Object> tags, String eventId, List<String> causedBy) {
        String patch = write(tags);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changed", tags.keySet());
        if (causedBy != null) {
            data.put(EntryEvent.CAUSED_BY, causedBy);
        }
        String changed = write(data);
        sql.inTransaction(c -> {
            Sql.update(c, "INSERT INTO app_user (project_id, user_id, tags) VALUES (?, ?, jsonb_strip_nulls(?::jsonb))"
                    + " ON CONFLICT (project_id, user_id) DO UPDATE SET tags = jsonb_strip_nulls(app_user.tags || ?::jsonb),"
                    + " updated_at = now()", projectId, userId, patch, patch);
            return events.store(c, projectId, List.of(new NewEvent(eventId, "user", userId, "@tags_changed", changed, Instant.now())));
        });
    }

    /** The user's timezone, else that of their most recently updated device, else the project's default, else UTC. */
    public String timezone(String projectId, String subjectType, String subjectId) {
        String userId = userId(projectId, subjectType, subjectId);
        String deviceId = "device".equals(subjectType) ? subjectId : null;
        return sql.first("SELECT coalesce((SELECT timezone FROM app_user WHERE project_id = ? AND user_id = ?),"
                        + " (SELECT timezone FROM device WHERE project_id = ? AND (device_id = ? OR user_id = ?)"
                        + "  AND timezone IS NOT NULL ORDER BY (device_id = ?) DESC, updated_at DESC LIMIT 1),"
                        + " (SELECT timezone FROM project WHERE id = ?), 'UTC')",
                rs -> rs.getString(1), projectId, userId, projectId, deviceId, userId, deviceId, projectId).orElse("UTC");
    }

    /**
     * The subject's history and segments as {@link Facts}: "since entry" counts from
     * {@code enteredAt}, a duration counts back from {@code now}. Both are read by the SQL that
     * segments use ({@link SegmentSql}), so a journey and a segment never disagree.
     */
    public Facts history(String projectId, String subjectType, String subjectId, Map<String, Object> entryEvent,
                         Instant enteredAt, Instant now) {
        return new Facts() {
            @Override
            public long countEvents(Condition.EventCount condition) {
                return segments.queryLong(SegmentSql.eventCount(projectId, subjectType, subjectId, condition, enteredAt, now,
                        HISTORY_SCAN_LIMIT));
            }

            @Override
            public boolean inSegment(String segmentId) {
                String userId = userId(projectId, subjectType, subjectId);
                Condition condition = segments.condition(projectId, segmentId);
                return userId != null && condition != null && segments.contains(projectId, condition, userId, now);
            }
        };
    }

    private Map<String, Object> map(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
