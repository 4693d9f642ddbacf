package dev.journey.worker.dsl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.Translations;
import dev.journey.worker.db.Sql;

/**
 * The only SQL for {@code journey} and {@code journey_version} (the runtime's resume query reads
 * them too, joined with the instances it resumes): a journey's draft and life-cycle, and the
 * frozen versions that instances run. Publishing freezes the draft as the next version.
 */
public class JourneyStore {
    /** A journey as marketers edit it: the draft definition as JSON, its status, the version now published. */
    public record Journey(String id, String projectId, String name, JourneyStatus status, String definitionJson,
                          Integer publishedVersion, Instant createdAt, Instant updatedAt) {}

    /** A published version, read whole: what the dispatcher enters subjects into. */
    public record Published(String journeyId, int version, JourneyDefinition definition) {}

    /** A journey of {@code j} that carries no broadcast (those are listed and counted as broadcasts). */
    private static final String NOT_A_BROADCAST = "NOT EXISTS (SELECT 1 FROM broadcast b WHERE b.journey_id = j.id)";
    private static final String COLUMNS = "id, project_id, name, status, definition::text, published_version, created_at, updated_at";

    private final Sql sql;
    private final ObjectMapper json;

    public JourneyStore(DataSource db, ObjectMapper json) {
        this.sql = new Sql(db);
        this.json = json;
    }

    public void create(String id, String projectId, String name, String definitionJson) {
        sql.update("INSERT INTO journey (id, project_id, name, status, definition) VALUES (?, ?, ?, ?, ?::jsonb)",
                id, projectId, name, JourneyStatus.DRAFT, definitionJson);
    }

    public Optional<Journey> find(String projectId, String id) {
        return sql.first("SELECT " + COLUMNS + " FROM journey WHERE project_id = ? AND id = ?", JourneyStore::journey, projectId, id);
    }

    /** The journey, locked for the caller's transaction: status changes and publishing do not race. */
    public Optional<Journey> lock(String projectId, String id) {
        return sql.first("SELECT " + COLUMNS + " FROM journey WHERE project_id = ? AND id = ? FOR UPDATE", JourneyStore::journey,
                projectId, id);
    }

    /** How many the project holds, broadcasts' journeys apart (bounded by the API, so its list is answered whole). */
    public long countIn(String projectId) {
        return sql.first("SELECT count(*) FROM journey j WHERE project_id = ? AND " + NOT_A_BROADCAST, rs -> rs.getLong(1), projectId)
                .orElse(0L);
    }

    /** The project's journeys, without the ones that carry broadcasts (listed as broadcasts). */
    public List<Journey> list(String projectId) {
        return sql.list("SELECT " + COLUMNS + " FROM journey j WHERE project_id = ?"
                + " AND " + NOT_A_BROADCAST + " ORDER BY created_at DESC", JourneyStore::journey,
                projectId);
    }

    public void saveDraft(String id, String name, String definitionJson) {
        sql.update("UPDATE journey SET name = ?, definition = ?::jsonb, updated_at = now() WHERE id = ?", name, definitionJson, id);
    }

    /** Freezes the draft as the next version and publishes it; returns the version's number. Call it in a transaction. */
    public int publish(String id, String triggerEvent) {
        int version = sql.first("INSERT INTO journey_version (journey_id, version, definition)"
                + " SELECT id, coalesce(published_version, 0) + 1, definition FROM journey WHERE id = ? RETURNING version",
                rs -> rs.getInt(1), id).orElseThrow();
        sql.update("UPDATE journey SET published_version = ?, trigger_event = ?, status = ?, updated_at = now() WHERE id = ?",
                version, triggerEvent, JourneyStatus.PUBLISHED, id);
        return version;
    }

    public void setStatus(String id, JourneyStatus status) {
        sql.update("UPDATE journey SET status = ?, updated_at = now() WHERE id = ?", status, id);
    }

    /** Deletes the journey and its versions. */
    public void delete(String id) {
        sql.update("DELETE FROM journey WHERE id = ?", id);
    }

    /** The project's published journeys at their published version, within the dispatcher's transaction. */
    public List<Published> published(Connection c, String projectId) throws SQLException {
        return withPublishedVersion(c, projectId, JourneyStatus.PUBLISHED);
    }

    /** Paused journeys with the version they ran: entries they refuse are explained ("why not"). */
    public List<Published> paused(Connection c, String projectId) throws SQLException {
        return withPublishedVersion(c, projectId, JourneyStatus.PAUSED);
    }

    private List<Published> withPublishedVersion(Connection c, String projectId, JourneyStatus status) throws SQLException {
        return Sql.list(c, "SELECT j.id, v.version, v.definition::text FROM journey j"
                        + " JOIN journey_version v ON v.journey_id = j.id AND v.version = j.published_version"
                        + " WHERE j.project_id = ? AND j.status = ?",
                rs -> new Published(rs.getString(1), rs.getInt(2), definition(projectId, rs.getString(3))), projectId, status);
    }

    /** One version of one of the project's journeys, whole (inline templates included); empty if there is none. */
    public Optional<JourneyDefinition> version(String projectId, String journeyId, int version) {
        return sql.first("SELECT v.definition::text FROM journey_version v JOIN journey j ON j.id = v.journey_id"
                        + " WHERE j.project_id = ? AND v.journey_id = ? AND v.version = ?",
                rs -> definition(projectId, rs.getString(1)), projectId, journeyId, version);
    }

    /** The inline template of the step whose id is {@code $id}, if it is an object (jsonpath, passed as a parameter). */
    private static final String INLINE_TEMPLATE = "$.steps[*] ? (@.id == $id).template ? (@.type() == \"object\")";

    /**
     * The inline template (field name to Liquid source) of one message step of one version, read
     * alone from the stored version: what a send renders, since workflows carry no template bodies.
     * Empty when the step does not exist or has no inline template. Static, for the message
     * recorder, which has a {@link Sql} of its own.
     */
    public static Optional<Map<String, String>> inlineTemplate(Sql sql, String projectId, String journeyId, int version,
                                                                String stepId) {
        List<Map.Entry<String, String>> rows = sql.list("SELECT f.key, f.value FROM journey_version v"
                        + " JOIN journey j ON j.id = v.journey_id"
                        + " CROSS JOIN LATERAL jsonb_each_text(coalesce(jsonb_path_query_first(v.definition, ?::jsonpath,"
                        + "   jsonb_build_object('id', ?::text)), '{}'::jsonb)) AS f(key, value)"
                        + " WHERE j.project_id = ? AND v.journey_id = ? AND v.version = ?",
                rs -> new AbstractMap.SimpleEntry<>(rs.getString(1), rs.getString(2)), INLINE_TEMPLATE, stepId, projectId, journeyId, version);
        Map<String, String> fields = new LinkedHashMap<>();
        rows.forEach(f -> fields.put(f.getKey(), f.getValue()));
        return fields.isEmpty() ? Optional.empty() : Optional.of(Collections.unmodifiableMap(fields));
    }

    /** The message step whose id is {@code $id} (jsonpath, passed as a parameter). */
    private static final String STEP = "$.steps[*] ? (@.id == $id)";

    /**
     * The translations of one message step's inline template in one version ({@link Translations#NONE}
     * when it has none), read like {@link #inlineTemplate}. Checked when the version was saved.
     */
    public static Translations inlineTranslations(Sql sql, String projectId, String journeyId, int version, String stepId) {
        return sql.first("SELECT s::text FROM journey_version v JOIN journey j ON j.id = v.journey_id"
                        + " CROSS JOIN LATERAL jsonb_path_query_first(v.definition, ?::jsonpath, jsonb_build_object('id', ?::text)) AS s"
                        + " WHERE j.project_id = ? AND v.journey_id = ? AND v.version = ?",
                rs -> TranslationsJson.read(rs.getString(1)), STEP, stepId, projectId, journeyId, version).orElse(Translations.NONE);
    }

    private JourneyDefinition definition(String projectId, String text) {
        try {
            return json.readValue(text, JourneyDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a published journey of " + projectId + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static Journey journey(ResultSet rs) throws SQLException {
        return new Journey(rs.getString(1), rs.getString(2), rs.getString(3), JourneyStatus.of(rs.getString(4)), rs.getString(5),
                Sql.integer(rs, "published_version"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
