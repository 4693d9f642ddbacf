package dev.journey.worker.message;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;

/**
 * The {@code delivery_settings} table: a project's settings and the secret that signs its tracked
 * links (made by PostgreSQL when the row is first written, so API and workers share it without
 * configuration).
 */
public class DeliverySettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql;

    public DeliverySettingsStore(Sql sql) {
        this.sql = sql;
    }

    /** The project's settings; {@link DeliverySettings#NONE} when none were ever set. */
    public DeliverySettings get(String projectId) {
        return sql.first("SELECT settings::text FROM delivery_settings WHERE project_id = ?", rs -> read(rs.getString(1)), projectId)
                .orElse(DeliverySettings.NONE);
    }

    /** The key of the project's tracked links; empty before its settings were first written. */
    public Optional<String> linkSecret(String projectId) {
        return sql.first("SELECT link_secret FROM delivery_settings WHERE project_id = ?", rs -> rs.getString(1), projectId);
    }

    /** Replaces the settings as a whole; the link secret stays. */
    public void put(String projectId, DeliverySettings settings) {
        sql.update("INSERT INTO delivery_settings (project_id, settings) VALUES (?, ?::jsonb)"
                + " ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = now()",
                projectId, settings.toJson().toString());
    }

    private static DeliverySettings read(String json) {
        try {
            return DeliverySettings.fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored delivery settings could not be read: " + e.getOriginalMessage(), e);
        }
    }
}
