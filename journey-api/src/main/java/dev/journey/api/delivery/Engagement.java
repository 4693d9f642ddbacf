package dev.journey.api.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.api.event.SystemEvents;
import io.agroal.api.AgroalDataSource;

/**
 * What users do with messages: in-app displays, clicks and closes, and clicks on tracked links.
 * Each is written on the message (first time only) and recorded as a system event through the
 * normal store and dispatcher, so journeys can start or branch on it. The event id is derived from
 * the message and the action, so a repeated call records nothing new.
 */
@ApplicationScoped
public class Engagement {
    public record Message(String id, String journeyId, String stepId, String subjectType, String subjectId, String channel,
                          String status) {}

    @Inject
    AgroalDataSource db;
    @Inject
    SystemEvents events;

    public Message find(String projectId, String messageId) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT id, journey_id, step_id, subject_type, subject_id, channel, status FROM message WHERE project_id = ? AND id = ?")) {
            st.setString(1, projectId);
            st.setString(2, messageId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("message could not be read: " + e.getMessage(), e);
        }
    }

    /** displayed, clicked or closed; returns whether this was the first time. */
    public boolean inApp(String projectId, Message m, String action) {
        String column = switch (action) {
            case "displayed" -> "displayed_at";
            case "clicked" -> "clicked_at";
            default -> "closed_at";
        };
        String status = action.equals("clicked") ? ", status = CASE WHEN status IN ('sent', 'queued') THEN 'clicked' ELSE status END" : "";
        update("UPDATE message SET " + column + " = coalesce(" + column + ", now())" + status + ", updated_at = now()"
                + " WHERE project_id = ? AND id = ?", projectId, m.id());
        return events.record(projectId, m.subjectType(), m.subjectId(), "@iam_" + action, data(m, null),
                "@iam_" + action + ":" + m.id());
    }

    /** A tracked link was followed: the message is clicked, and {@code @clicked} is recorded once per (message, link). */
    public boolean clicked(String projectId, Message m, String url) {
        update("UPDATE message SET clicked_at = coalesce(clicked_at, now()),"
                + " status = CASE WHEN status IN ('sent', 'queued') THEN 'clicked' ELSE status END, updated_at = now()"
                + " WHERE project_id = ? AND id = ?", projectId, m.id());
        return events.record(projectId, m.subjectType(), m.subjectId(), "@clicked", data(m, url),
                "@clicked:" + m.id() + ":" + shortHash(url));
    }

    private static Map<String, Object> data(Message m, String url) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", m.id());
        data.put("journeyId", m.journeyId());
        data.put("stepId", m.stepId());
        data.put("channel", m.channel());
        if (url != null) {
            data.put("url", url);
        }
        return data;
    }

    private void update(String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("message could not be updated: " + e.getMessage(), e);
        }
    }

    private static String shortHash(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
