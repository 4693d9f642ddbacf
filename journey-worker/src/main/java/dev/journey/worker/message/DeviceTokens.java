package dev.journey.worker.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Push tokens from the {@code device} table that {@code POST .../devices} fills: the live tokens of
 * a user (or of one device, when the journey's subject is a device), and the one write delivery
 * makes there: a token the provider calls unregistered is marked dead and never tried again.
 */
public class DeviceTokens {
    public record Device(String deviceId, String platform, String token) {}

    private final DataSource db;

    public DeviceTokens(DataSource db) {
        this.db = db;
    }

    public List<Device> live(String projectId, String subjectType, String subjectId, String userId) throws SQLException {
        boolean device = "device".equals(subjectType);
        String who = device ? "device_id = ?" : "user_id = ?";
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT device_id, platform, push_token FROM device WHERE project_id = ? AND " + who
                        + " AND push_token IS NOT NULL AND push_token <> '' AND token_status = 'active' ORDER BY device_id")) {
            st.setString(1, projectId);
            st.setString(2, device ? subjectId : userId);
            List<Device> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Device(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    /** Only that token: a device that has since registered a new token keeps it live. */
    public void markDead(String projectId, String deviceId, String token) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "UPDATE device SET token_status = 'dead', updated_at = now() WHERE project_id = ? AND device_id = ? AND push_token = ?")) {
            st.setString(1, projectId);
            st.setString(2, deviceId);
            st.setString(3, token);
            st.executeUpdate();
        }
    }
}
