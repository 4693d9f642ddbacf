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
 * channel's {@code name} beside them, and its secret fields sealed ({@link ChannelSecrets}). Every
 * query names the project, so a project only ever reaches its own channels.
 */
public class ChannelStore {
    private static final String COLUMNS = "id, project_id, type, config::text, created_at, updated_at";

    private final Sql sql;
    private final ChannelSecrets secrets;

    public ChannelStore(Sql sql, ChannelSecrets secrets) {
        this.sql = sql;
        this.secrets = secrets;
    }

    public ProjectChannel create(String projectId, String name, ChannelConfig config) {
        String id = RandomIds.hex("ch_", 8);
        return sql.first("INSERT INTO channel (id, project_id, type, config) VALUES (?, ?, ?, ?::jsonb) RETURNING " + COLUMNS,
                this::channel, id, projectId, config.type(), stored(projectId, id, name, config)).orElseThrow();
    }

    public Optional<ProjectChannel> find(String projectId, String id) {
        return sql.first("SELECT " + COLUMNS + " FROM channel WHERE project_id = ? AND id = ?", this::channel, projectId, id);
    }

    /** Oldest first. */
    /** How many the project holds (bounded by the API, so its list is answered whole). */
    public long countIn(String projectId) {
        return sql.first("SELECT count(*) FROM channel WHERE project_id = ?", rs -> rs.getLong(1), projectId).orElse(0L);
    }

    public List<ProjectChannel> list(String projectId) {
        return sql.list("SELECT " + COLUMNS + " FROM channel WHERE project_id = ? ORDER BY created_at, id", this::channel, projectId);
    }

    /** Replaces name and configuration (the type stays); empty when there is no such channel. */
    public Optional<ProjectChannel> replace(String projectId, String id, String name, ChannelConfig config) {
        return sql.first("UPDATE channel SET config = ?::jsonb, updated_at = now() WHERE project_id = ? AND id = ? AND type = ?"
                + " RETURNING " + COLUMNS, this::channel, stored(projectId, id, name, config), projectId, id, config.type());
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
                        this::channel, projectId, type);
    }

    /** What {@link #sealStoredSecrets()} did: channels sealed again, and those whose secrets no configured key opens. */
    public record Resealed(int sealed, List<String> unreadable) {}

    /**
     * Seals the secrets still stored in clear (written before sealing existed) or with a previous
     * key; run at start-up. A row changed meanwhile is left to its writer, which seals it anyway;
     * a row no configured key opens is left as it is (its sends fail, naming the key it needs).
     */
    public Resealed sealStoredSecrets() {
        int sealed = 0;
        List<String> unreadable = new java.util.ArrayList<>();
        for (StoredRow row : sql.list("SELECT id, project_id, type, config::text FROM channel", StoredRow::of)) {
            ChannelType type = ChannelType.of(row.type()).orElse(null);
            if (type == null || ChannelConfig.secretFields(type).stream()
                    .allMatch(f -> !row.config().hasNonNull(f) || secrets.sealedWithCurrentKey(row.config().get(f)))) {
                continue;
            }
            ObjectNode config;
            try {
                config = opened(row.projectId(), row.id(), type, row.config());
            } catch (IllegalStateException e) {
                unreadable.add(row.id());
                continue;
            }
            sealed += sql.update("UPDATE channel SET config = ?::jsonb WHERE id = ? AND config = ?::jsonb",
                    sealed(row.projectId(), row.id(), type, config).toString(), row.id(), row.config().toString());
        }
        return new Resealed(sealed, unreadable);
    }

    private record StoredRow(String id, String projectId, String type, ObjectNode config) {
        static StoredRow of(ResultSet rs) throws SQLException {
            return new StoredRow(rs.getString(1), rs.getString(2), rs.getString(3), (ObjectNode) read(rs.getString(4)));
        }
    }

    private String stored(String projectId, String id, String name, ChannelConfig config) {
        ObjectNode json = sealed(projectId, id, config.type(), config.toJson());
        if (name != null) {
            json.put("name", name);
        }
        return json.toString();
    }

    private ObjectNode sealed(String projectId, String id, ChannelType type, ObjectNode config) {
        for (String field : ChannelConfig.secretFields(type)) {
            if (config.hasNonNull(field)) {
                config.set(field, secrets.seal(projectId, id, field, config.get(field)));
            }
        }
        return config;
    }

    private ObjectNode opened(String projectId, String id, ChannelType type, ObjectNode config) {
        ObjectNode open = config.deepCopy();
        for (String field : ChannelConfig.secretFields(type)) {
            if (open.hasNonNull(field)) {
                open.set(field, secrets.open(projectId, id, field, open.get(field)));
            }
        }
        return open;
    }

    private ProjectChannel channel(ResultSet rs) throws SQLException {
        String typeId = rs.getString("type");
        ChannelType type = ChannelType.of(typeId).orElseThrow(() -> new IllegalStateException("channel of unknown type " + typeId));
        String id = rs.getString("id");
        String projectId = rs.getString("project_id");
        ObjectNode config = opened(projectId, id, type, (ObjectNode) read(rs.getString("config")));
        JsonNode name = config.remove("name");
        return new ProjectChannel(id, projectId, type, name == null ? null : name.asText(),
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
