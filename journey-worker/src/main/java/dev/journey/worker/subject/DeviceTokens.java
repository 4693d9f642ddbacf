package dev.journey.worker.subject;

import java.util.List;

import dev.journey.worker.channel.PushTargets;
import dev.journey.worker.db.Sql;

/**
 * Push tokens from the {@code device} table that {@code POST .../devices} fills: the live tokens of
 * a user (or of one device, when the journey's subject is a device), and the one write delivery
 * makes there: a token the provider calls unregistered is marked dead and never tried again.
 */
public class DeviceTokens implements PushTargets {
    private final Sql sql;

    public DeviceTokens(Sql sql) {
        this.sql = sql;
    }

    @Override
    public List<Device> live(String projectId, String subjectType, String subjectId, String userId) {
        boolean device = "device".equals(subjectType);
        return sql.list("SELECT device_id, platform, push_token FROM device WHERE project_id = ? AND "
                        + (device ? "device_id = ?" : "user_id = ?")
                        + " AND push_token IS NOT NULL AND push_token <> '' AND token_status = 'active' ORDER BY device_id",
                rs -> new Device(rs.getString(1), rs.getString(2), rs.getString(3)), projectId, device ? subjectId : userId);
    }

    @Override
    public void markDead(String projectId, String deviceId, String token) {
        sql.update("UPDATE device SET token_status = 'dead', updated_at = now() WHERE project_id = ? AND device_id = ? AND push_token = ?",
                projectId, deviceId, token);
    }
}
