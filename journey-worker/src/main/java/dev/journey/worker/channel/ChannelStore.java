package dev.journey.worker.channel;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.worker.db.Sql;

/**
 * The {@code channel} table. The configuration is stored as its provider's fields, with the
 * channel's {@code name} beside them. Every query names the project, so a project only ever
 * reaches its own channels.
 */
public class ChannelStore {
    private static final String COLUMNS = "id, project_id, type, config::text, created_at, updated_at";

    private final Sql sql;

    public ChannelStore(Sql sql) {
        this.sql = sql;
    }

    public ProjectChannel create(String projectId, String name, ChannelConfig config) {
        return sql.first("INSERT INTO channel (id, project_id, type, config) VALUES (?, ?, ?, ?::jsonb) RETURNING " + COLUMNS,
                ChannelStore::channel, RandomIds.hex("ch_", 8), projectId, config.type(), stored(name, config)).orElseThrow();
    }

    public Optional<ProjectChannel> find(String projectId, String id) {
        return sql.first("SELECT " + COLUMNS + " FROM channel WHERE project_id = ? AND id = ?", ChannelStore::channel, projectId, id);
    }

    /** Oldest first. */
    /** How many the project holds (bounded by the API, so its list is answered whole). */
    public long countIn(String projectId) {
        return sql.first("SELECT count(*) FROM channel WHERE project_id = ?", rs -> rs.getLong(1), projectId).orElse(0L);
    }

    public List<ProjectChannel> list(String projectId) {
        return sql.list("SELECT " + COLUMNS + " FROM channel WHERE project_id = ? ORDER BY created_at, id", ChannelStore::channel, projectId);
    }

    /** Replaces name and configuration (the type stays); empty when there is no such channel. */
    public Optional<ProjectChannel> replace(String projectId, String id, String name, ChannelConfig config) {
        return sql.first("UPDATE channel SET config = ?::jsonb, updated_at = now() WHERE project_id = ? AND id = ? AND type = ?"
                + " RETURNING " + COLUMNS, ChannelStore::channel, stored(name, config), projectId, id, config.type());
    }

    public boolean delete(String projectId, String id) {
        return sql.update("DELETE FROM channel WHERE project_id = ? AND id = ?", projectId, id) > 0;
    }

    /**
     * The channels a message may go through: the one it names, whatever its type (the sender checks
     * it), or else every channel of the type, oldest first.
     */
    public List<ProjectChannel> forMessage(String projectId, ChannelType type, String channelId) {
        return channelId != null
                ? find(projectId, channelId).stream().toList()
                : sql.list("SELECT " + COLUMNS + " FROM channel WHERE project_id = ? AND type = ? ORDER BY created_at, id",
                        ChannelStore::channel, projectId, type);
    }

    private static String stored(String name, ChannelConfig config) {
        ObjectNode json = config.toJson();
        if (name != null) {
            json.put("name", name);
        }
        return json.toString();
    }

    private static ProjectChannel channel(ResultSet rs) throws SQLException {
        String typeId = rs.getString("type");
        ChannelType type = ChannelType.of(typeId).orElseThrow(() -> new IllegalStateException("channel of unknown type " + typeId));
        JsonNode config = read(rs.getString("config"));
        JsonNode name = config.get("name");
        return new ProjectChannel(rs.getString("id"), rs.getString("project_id"), type, name == null ? null : name.asText(),
                ChannelConfig.fromJson(type, config), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static JsonNode read(String json) {
        try {
            return ConfigJson.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored channel could not be read: " + e.getOriginalMessage(), e);
        }
    }
}
