package dev.journey.worker.consent;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.journey.worker.db.Sql;

/**
 * The {@code topic} and {@code subscription} tables: a project's topics, each subject's choices, and
 * the one rule a send applies ({@link #decide}). A choice for one channel outranks the choice for all
 * channels ({@link #ALL_CHANNELS}), which outranks the topic's default.
 */
public class ConsentStore {
    /** The channel value of a choice made for every channel at once. */
    public static final String ALL_CHANNELS = "*";

    /** One stored choice. */
    public record Subscription(String topicId, String channel, SubscriptionStatus status, String source, Instant updatedAt) {}

    /** A choice to store: {@code channel} a channel type or {@link #ALL_CHANNELS}. */
    public record Change(String topicId, String channel, SubscriptionStatus status) {}

    /** What set a decision: the subject's choice for the channel, their choice for all channels, or the topic's default. */
    public enum Source { CHANNEL, ALL_CHANNELS, DEFAULT }

    /**
     * What applies to a message on {@code channel} about a topic: {@code status}, and what set it.
     * {@code topicExists} false: the topic was deleted after the journey named it.
     */
    public record Decision(boolean topicExists, SubscriptionStatus status, Source from) {
        public boolean allowed() {
            return topicExists && status == SubscriptionStatus.SUBSCRIBED;
        }
    }

    private final Sql sql;

    public ConsentStore(Sql sql) {
        this.sql = sql;
    }

    public List<Topic> topics(String projectId) {
        return sql.list("SELECT topic_id, name, description, default_status FROM topic WHERE project_id = ? ORDER BY topic_id",
                ConsentStore::topic, projectId);
    }

    public Optional<Topic> topic(String projectId, String topicId) {
        return sql.first("SELECT topic_id, name, description, default_status FROM topic WHERE project_id = ? AND topic_id = ?",
                ConsentStore::topic, projectId, topicId);
    }

    /** False if the project has a topic with that id already. */
    public boolean create(String projectId, Topic t) {
        return sql.update("INSERT INTO topic (project_id, topic_id, name, description, default_status) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", projectId, t.id(), t.name(), t.description(), t.defaultStatus()) > 0;
    }

    /** False if there is no such topic. */
    public boolean update(String projectId, Topic t) {
        return sql.update("UPDATE topic SET name = ?, description = ?, default_status = ?, updated_at = now()"
                + " WHERE project_id = ? AND topic_id = ?", t.name(), t.description(), t.defaultStatus(), projectId, t.id()) > 0;
    }

    /** Deletes the topic and every choice made for it. False if there was none. */
    public boolean delete(String projectId, String topicId) {
        return sql.update("DELETE FROM topic WHERE project_id = ? AND topic_id = ?", projectId, topicId) > 0;
    }

    /** The subject's stored choices, by topic then channel. */
    public List<Subscription> subscriptions(String projectId, String subjectType, String subjectId) {
        return sql.list("SELECT topic_id, channel, status, source, updated_at FROM subscription"
                        + " WHERE project_id = ? AND subject_type = ? AND subject_id = ? ORDER BY topic_id, channel",
                rs -> new Subscription(rs.getString(1), rs.getString(2), SubscriptionStatus.of(rs.getString(3)).orElseThrow(),
                        rs.getString(4), Sql.instant(rs, "updated_at")), projectId, subjectType, subjectId);
    }

    /**
     * Stores the choices together (all or none). A choice for all channels replaces the subject's
     * per-channel choices for that topic, so "unsubscribe from everything" is not undone by an older
     * "subscribed on e-mail". {@code source}: who made it ({@code api}, {@code sdk}, {@code link}, {@code page}).
     */
    public List<Change> set(String projectId, String subjectType, String subjectId, List<Change> changes, String source) {
        return sql.inTransaction(c -> set(c, projectId, subjectType, subjectId, changes, source));
    }

    /**
     * The same in the caller's transaction. Returns the choices that changed something: a choice the
     * subject had not made, or made otherwise (a choice repeated as it was keeps its source and time).
     */
    public static List<Change> set(Connection c, String projectId, String subjectType, String subjectId, List<Change> changes,
                                   String source) throws SQLException {
        List<Change> changed = new ArrayList<>();
        for (Change change : changes) {
            int replaced = 0;
            if (ALL_CHANNELS.equals(change.channel())) {
                replaced = Sql.update(c, "DELETE FROM subscription WHERE project_id = ? AND subject_type = ? AND subject_id = ? AND topic_id = ?"
                        + " AND channel <> ?", projectId, subjectType, subjectId, change.topicId(), ALL_CHANNELS);
            }
            int written = Sql.update(c, "INSERT INTO subscription (project_id, subject_type, subject_id, topic_id, channel, status, source)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, subject_type, subject_id, topic_id, channel)"
                    + " DO UPDATE SET status = excluded.status, source = excluded.source, updated_at = now()"
                    + " WHERE subscription.status IS DISTINCT FROM excluded.status",
                    projectId, subjectType, subjectId, change.topicId(), change.channel(), change.status(), source);
            if (written + replaced > 0) {
                changed.add(change);
            }
        }
        return changed;
    }

    /** Whether a message about {@code topicId} on {@code channel} may go to the subject: one statement. */
    public Decision decide(String projectId, String subjectType, String subjectId, String topicId, String channel) {
        return sql.first(DECISIONS + " AND t.topic_id = ?", ConsentStore::decision, subjectType, subjectId, channel, ALL_CHANNELS,
                ALL_CHANNELS, projectId, topicId).orElse(new Decision(false, null, null));
    }

    /** What applies on {@code channel} for every topic of the project, by topic id in id order: the preference page's view. */
    public Map<String, Decision> decisions(String projectId, String subjectType, String subjectId, String channel) {
        Map<String, Decision> out = new LinkedHashMap<>();
        sql.list(DECISIONS + " ORDER BY t.topic_id", rs -> out.put(rs.getString("topic_id"), decision(rs)), subjectType, subjectId,
                channel, ALL_CHANNELS, ALL_CHANNELS, projectId);
        return out;
    }

    /** The subject's choice for the channel, else for all channels ({@code s.channel = '*'} sorts last), else the topic's default. */
    private static final String DECISIONS = "SELECT t.topic_id, t.default_status, s.status, s.channel FROM topic t"
            + " LEFT JOIN LATERAL (SELECT status, channel FROM subscription s WHERE s.project_id = t.project_id"
            + "   AND s.subject_type = ? AND s.subject_id = ? AND s.topic_id = t.topic_id AND s.channel IN (?, ?)"
            + "   ORDER BY s.channel = ? LIMIT 1) s ON true"
            + " WHERE t.project_id = ?";

    private static Decision decision(java.sql.ResultSet rs) throws java.sql.SQLException {
        String chosen = rs.getString("status");
        if (chosen == null) {
            return new Decision(true, SubscriptionStatus.of(rs.getString("default_status")).orElseThrow(), Source.DEFAULT);
        }
        return new Decision(true, SubscriptionStatus.of(chosen).orElseThrow(),
                ALL_CHANNELS.equals(rs.getString("channel")) ? Source.ALL_CHANNELS : Source.CHANNEL);
    }

    /** The topics that exist among {@code topicIds}. */
    public List<String> existing(String projectId, List<String> topicIds) {
        if (topicIds.isEmpty()) {
            return new ArrayList<>();
        }
        return sql.list("SELECT topic_id FROM topic WHERE project_id = ? AND topic_id = ANY(?)", rs -> rs.getString(1), projectId,
                Sql.array("text", topicIds));
    }

    private static Topic topic(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Topic(rs.getString(1), rs.getString(2), rs.getString(3), SubscriptionStatus.of(rs.getString(4)).orElseThrow());
    }
}
