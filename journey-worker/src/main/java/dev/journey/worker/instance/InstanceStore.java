package dev.journey.worker.instance;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.dsl.Reentry;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;

/**
 * The only SQL for {@code journey_instance} and {@code journey_entry}: the dispatcher writes an
 * instance row before its workflow starts, the workflow's activities record its progress, the API
 * and the runtime read it. An instance row is keyed by its workflow id.
 */
public class InstanceStore {
    /** A row the dispatcher writes, in its own transaction, before the workflow starts. */
    public record NewInstance(String workflowId, String projectId, String journeyId, int journeyVersion, String subjectType,
                              String subjectId, long entryEventId, List<String> listensTo, boolean heldOut) {
        public NewInstance(String workflowId, String projectId, String journeyId, int journeyVersion, String subjectType,
                           String subjectId, long entryEventId, List<String> listensTo) {
            this(workflowId, projectId, journeyId, journeyVersion, subjectType, subjectId, entryEventId, listensTo, false);
        }
    }

    /** One instance as the API lists it. */
    public record Instance(String workflowId, String journeyId, String journeyName, int journeyVersion, String subjectType,
                           String subjectId, long entryEventId, InstanceStatus status, String currentStep, String endReason,
                           Instant enteredAt, Instant endedAt) {}

    /** A running instance as the runtime resumes it: its checkpoint and what it listens to. */
    public record Active(String workflowId, String projectId, String journeyId, int journeyVersion, String checkpointJson,
                         List<String> listensTo, JourneyStatus journeyStatus, EntryEvent entryEvent) {}

    /** {@code activeAt}: the active instances per step they are at now (a wait, a message being sent). */
    public record Stats(long entered, long active, long completed, long exited, long converted,
                        Map<String, Long> exitedBy, Map<String, Long> convertedBy, Map<String, Long> activeAt,
                        long heldOutEntered, long heldOutConverted) {}

    private static final String COLUMNS = "i.workflow_id, i.journey_id, j.name, i.journey_version, i.subject_type, i.subject_id,"
            + " i.entry_event_id, i.status, i.current_step, i.end_reason, i.entered_at, i.ended_at, i.wake_at, i.end_event_id"
            + " FROM journey_instance i LEFT JOIN journey j ON j.id = i.journey_id";
    private static final String ACTIVE = "SELECT i.workflow_id, i.project_id, i.journey_id, i.journey_version, i.checkpoint::text,"
            + " i.listens_to, j.status, " + EventStore.ENTRY_COLUMNS + " FROM journey_instance i"
            + " JOIN journey j ON j.id = i.journey_id"
            // An entry event whose month was dropped while its instance ran is in event_kept (V22).
            + " JOIN (SELECT * FROM event UNION ALL SELECT * FROM event_kept) e ON e.id = i.entry_event_id"
            + " WHERE i.status = 'active' AND i.ended_at IS NULL";
    private static final String ENTER = "INSERT INTO journey_entry (journey_id, subject_type, subject_id, last_entered_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (journey_id, subject_type, subject_id) ";
    private static final String ALWAYS = ENTER + "DO UPDATE SET last_entered_at = EXCLUDED.last_entered_at,"
            + " entries = journey_entry.entries + 1";

    private final Sql sql;
    private final EventStore events;

    public InstanceStore(DataSource db, EventStore events) {
        this.sql = new Sql(db);
        this.events = events;
    }

    /**
     * Re-entry as one atomic upsert on {@code journey_entry}, timed by the events' own timestamps:
     * once inserts or does nothing, cooldown updates only when the last entry is old enough, always
     * always updates — unless the subject already has {@code maxActive} instances of the journey
     * running, so a burst of one user's events cannot start (and signal) instances without bound.
     * No row written means no entry.
     */
    public static boolean mayEnter(Connection tx, String projectId, String journeyId, String subjectType, String subjectId,
                                   Instant at, Reentry reentry, int maxActive) throws SQLException {
        return switch (reentry.mode()) {
            case "always" -> activeOf(tx, projectId, journeyId, subjectType, subjectId) < maxActive
                    && Sql.update(tx, ALWAYS, journeyId, subjectType, subjectId, at) > 0;
            case "cooldown" -> Sql.update(tx, ALWAYS + " WHERE journey_entry.last_entered_at <= EXCLUDED.last_entered_at"
                    + " - make_interval(secs => ?)", journeyId, subjectType, subjectId, at,
                    (double) reentry.cooldownDuration().toSeconds()) > 0;
            default -> Sql.update(tx, ENTER + "DO NOTHING", journeyId, subjectType, subjectId, at) > 0;
        };
    }

    /** When the subject last entered the journey (re-entry's own record), if ever. */
    public static Optional<Instant> lastEntered(Connection tx, String journeyId, String subjectType, String subjectId) throws SQLException {
        return Sql.first(tx, "SELECT last_entered_at FROM journey_entry WHERE journey_id = ? AND subject_type = ? AND subject_id = ?",
                rs -> Sql.instant(rs, "last_entered_at"), journeyId, subjectType, subjectId);
    }

    public static long activeOf(Connection tx, String projectId, String journeyId, String subjectType, String subjectId)
            throws SQLException {
        return Sql.first(tx, "SELECT count(*) FROM journey_instance WHERE project_id = ? AND subject_type = ? AND subject_id = ?"
                + " AND status = 'active' AND journey_id = ?", rs -> rs.getLong(1), projectId, subjectType, subjectId, journeyId).orElse(0L);
    }

    /** Writes the row of a new instance; false when it exists (the same entry dispatched again). */
    public static boolean insert(Connection tx, NewInstance i) throws SQLException {
        return Sql.update(tx, "INSERT INTO journey_instance (workflow_id, project_id, journey_id, journey_version, subject_type,"
                        + " subject_id, entry_event_id, status, listens_to, holdout) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)"
                        + " ON CONFLICT (workflow_id) DO NOTHING", i.workflowId(), i.projectId(), i.journeyId(), i.journeyVersion(),
                i.subjectType(), i.subjectId(), i.entryEventId(), Sql.array("text", i.listensTo()), i.heldOut()) > 0;
    }

    /** An event for a running instance of its subject that listens to its type. */
    public record Listener(String workflowId, long eventId) {}

    /** A batch's events as (id, project, subject type, subject id, type). */
    public record Heard(long id, String projectId, String subjectType, String subjectId, String type) {}

    /**
     * Running instances of each event's subject that listen to its type — including those the same
     * batch just started, but never with their own entry event.
     */
    public static List<Listener> listeners(Connection tx, List<Heard> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        return Sql.list(tx, "SELECT i.workflow_id, c.id FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])"
                        + " AS c(id, project_id, subject_type, subject_id, type) JOIN journey_instance i ON i.project_id = c.project_id"
                        + " AND i.subject_type = c.subject_type AND i.subject_id = c.subject_id AND i.status = 'active'"
                        + " AND c.type = ANY(i.listens_to) AND c.id > i.entry_event_id ORDER BY c.id",
                rs -> new Listener(rs.getString(1), rs.getLong(2)),
                Sql.array("bigint", events.stream().map(Heard::id).toList()),
                Sql.array("text", events.stream().map(Heard::projectId).toList()),
                Sql.array("text", events.stream().map(Heard::subjectType).toList()),
                Sql.array("text", events.stream().map(Heard::subjectId).toList()),
                Sql.array("text", events.stream().map(Heard::type).toList()));
    }

    /** Idempotent progress updates: each returns false when the instance has already ended (stopped from outside). */
    public boolean stepReached(String workflowId, String stepId) {
        return sql.update("UPDATE journey_instance SET current_step = ?, status = 'active' WHERE workflow_id = ? AND ended_at IS NULL",
                stepId, workflowId) > 0;
    }

    /** One step of an instance's path as stored ({@code instance_step}); times are null where unknown yet. */
    public record PathRow(int seq, String stepId, String type, Instant reachedAt, Instant leftAt, String outcomeJson) {}

    /** The latest steps of a path kept per instance; older ones are dropped as new ones come. */
    public static final int MAX_PATH_STEPS = 200;

    /**
     * Writes path rows of the instance named by the statement's {@code instance} CTE: a row written
     * again (a step repeated after a restart) keeps its first arrival and gains what it lacked.
     */
    private static final String PATH_UPSERT = ", path AS (INSERT INTO instance_step (workflow_id, seq, step_id, step_type, reached_at,"
            + " left_at, outcome) SELECT i.workflow_id, s.seq, s.step_id, s.step_type, s.reached_at::timestamptz, s.left_at::timestamptz,"
            + " s.outcome::jsonb FROM instance i CROSS JOIN unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS s(seq, step_id, step_type, reached_at, left_at, outcome)"
            + " ON CONFLICT (workflow_id, seq) DO UPDATE SET reached_at = LEAST(instance_step.reached_at, EXCLUDED.reached_at),"
            + " left_at = COALESCE(EXCLUDED.left_at, instance_step.left_at), outcome = COALESCE(EXCLUDED.outcome, instance_step.outcome))";

    /** The checkpoint of a step that begins and the path rows that come with it, in one statement. */
    public boolean checkpoint(String workflowId, String stepId, String checkpointJson, Instant wakeAt, List<PathRow> path) {
        return withPath("UPDATE journey_instance SET current_step = ?, checkpoint = ?::jsonb, wake_at = ?, checkpointed_at = now()"
                + " WHERE workflow_id = ? AND ended_at IS NULL", workflowId, path, stepId, checkpointJson, wakeAt, workflowId);
    }

    /** Ends a running instance from its workflow, with the event that ended it and the last path row. */
    public boolean end(String workflowId, InstanceStatus status, String reason, Long endEventId, List<PathRow> path) {
        return withPath("UPDATE journey_instance SET status = ?, end_reason = ?, end_event_id = ?, current_step = NULL, wake_at = NULL,"
                + " ended_at = now() WHERE workflow_id = ? AND ended_at IS NULL", workflowId, path, status, reason, endEventId, workflowId);
    }

    private boolean withPath(String update, String workflowId, List<PathRow> path, Object... updateParams) {
        List<Object> params = new ArrayList<>(Arrays.asList(updateParams));
        StringBuilder statement = new StringBuilder("WITH instance AS (").append(update).append(" RETURNING workflow_id)").append(PATH_UPSERT);
        params.add(Sql.array("int4", path.stream().map(PathRow::seq).toList()));
        params.add(Sql.array("text", path.stream().map(PathRow::stepId).toList()));
        params.add(Sql.array("text", path.stream().map(PathRow::type).toList()));
        params.add(Sql.array("text", path.stream().map(r -> text(r.reachedAt())).toList()));
        params.add(Sql.array("text", path.stream().map(r -> text(r.leftAt())).toList()));
        params.add(Sql.array("text", path.stream().map(PathRow::outcomeJson).toList()));
        int newest = path.stream().mapToInt(PathRow::seq).max().orElse(0);
        if (newest >= MAX_PATH_STEPS) {
            statement.append(", trimmed AS (DELETE FROM instance_step WHERE workflow_id = ? AND seq <= ?)");
            params.add(workflowId);
            params.add(newest - MAX_PATH_STEPS);
        }
        statement.append(" SELECT count(*) FROM instance");
        return sql.first(statement.toString(), rs -> rs.getLong(1), params.toArray()).orElse(0L) > 0;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    /**
     * An instance of a journey with its path, oldest step first: {@code wakeAt} is when the step it
     * waits in ends by itself, {@code endEventId} the goal or exitOn event that ended it.
     */
    public record Path(Instance instance, Instant wakeAt, Long endEventId, List<PathRow> steps) {}

    public Optional<Path> path(String journeyId, String workflowId) {
        return sql.with(c -> {
            Optional<Path> head = Sql.first(c, "SELECT " + COLUMNS + " WHERE i.journey_id = ? AND i.workflow_id = ?", rs -> new Path(
                    instance(rs), Sql.instant(rs, "wake_at"), (Long) rs.getObject("end_event_id"), null), journeyId, workflowId);
            if (head.isEmpty()) {
                return head;
            }
            List<PathRow> steps = Sql.list(c, "SELECT seq, step_id, step_type, reached_at, left_at, outcome::text FROM instance_step"
                    + " WHERE workflow_id = ? ORDER BY seq", rs -> new PathRow(rs.getInt(1), rs.getString(2), rs.getString(3),
                    Sql.instant(rs, "reached_at"), Sql.instant(rs, "left_at"), rs.getString(6)), workflowId);
            return Optional.of(new Path(head.get().instance(), head.get().wakeAt(), head.get().endEventId(), steps));
        });
    }

    /** Ends a running instance: by its workflow, or by the runtime for one no workflow will end. */
    public boolean end(String workflowId, InstanceStatus status, String reason) {
        return sql.update("UPDATE journey_instance SET status = ?, end_reason = ?, current_step = NULL, wake_at = NULL,"
                + " ended_at = now() WHERE workflow_id = ? AND ended_at IS NULL", status, reason, workflowId) > 0;
    }

    public void resumed(String workflowId) {
        sql.update("UPDATE journey_instance SET resumes = resumes + 1 WHERE workflow_id = ?", workflowId);
    }

    public boolean exists(String workflowId) {
        return sql.first("SELECT 1 FROM journey_instance WHERE workflow_id = ?", rs -> true, workflowId).isPresent();
    }

    public List<String> activeWorkflowIds(String journeyId) {
        return sql.list("SELECT workflow_id FROM journey_instance WHERE journey_id = ? AND status = 'active'",
                rs -> rs.getString(1), journeyId);
    }

    /** Active instances of archived journeys (they are being stopped), in workflow-id order after {@code afterWorkflowId}. */
    public List<String> activeOfArchived(String afterWorkflowId, int limit) {
        return sql.list("SELECT i.workflow_id FROM journey_instance i JOIN journey j ON j.id = i.journey_id"
                + " WHERE j.status = 'archived' AND i.status = 'active' AND i.workflow_id > ? ORDER BY i.workflow_id LIMIT ?",
                rs -> rs.getString(1), afterWorkflowId, limit);
    }

    public long countActive() {
        return sql.first("SELECT count(*) FROM journey_instance WHERE status = 'active'", rs -> rs.getLong(1)).orElse(0L);
    }

    /** Running instances after a workflow id, in workflow-id order: the runtime pages through them to resume them. */
    public List<Active> active(String afterWorkflowId, int limit) {
        return sql.list(ACTIVE + " AND i.workflow_id > ? ORDER BY i.workflow_id LIMIT ?", this::active, afterWorkflowId, limit);
    }

    public Optional<Active> active(String workflowId) {
        return sql.first(ACTIVE + " AND i.workflow_id = ?", this::active, workflowId);
    }

    /** A journey's instances, newest first, optionally of one user and in one status. */
    public Keyset.Page<Instance> list(String journeyId, String userId, InstanceStatus status, Keyset.Position after, int limit) {
        return Keyset.select("SELECT " + COLUMNS + " WHERE i.journey_id = ?", journeyId)
                .and("i.subject_type = 'user' AND i.subject_id = ?", userId)
                .and("i.status = ?", status)
                .page(sql, "i.entered_at", "i.workflow_id", after, limit, InstanceStore::instance,
                        i -> new Keyset.Position(i.enteredAt(), i.workflowId()));
    }

    /** A user's latest instances across journeys. */
    public List<Instance> ofUser(String projectId, String userId, int limit) {
        return sql.list("SELECT " + COLUMNS + " WHERE i.project_id = ? AND i.subject_type = 'user' AND i.subject_id = ?"
                + " ORDER BY i.entered_at DESC LIMIT ?", InstanceStore::instance, projectId, userId, limit);
    }

    public Stats stats(String journeyId) {
        return sql.with(c -> {
            long[] n = Sql.first(c, "SELECT count(*), count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'completed'),"
                    + " count(*) FILTER (WHERE status = 'exited'), count(*) FILTER (WHERE status = 'converted'),"
                    + " count(*) FILTER (WHERE holdout), count(*) FILTER (WHERE holdout AND status = 'converted')"
                    + " FROM journey_instance WHERE journey_id = ?",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7)}, journeyId).orElseThrow();
            Map<String, Long> activeAt = new LinkedHashMap<>();
            Sql.list(c, "SELECT current_step, count(*) FROM journey_instance WHERE journey_id = ? AND status = 'active'"
                    + " AND current_step IS NOT NULL GROUP BY current_step ORDER BY current_step",
                    rs -> activeAt.put(rs.getString(1), rs.getLong(2)), journeyId);
            return new Stats(n[0], n[1], n[2], n[3], n[4], endReasons(c, journeyId, InstanceStatus.EXITED),
                    endReasons(c, journeyId, InstanceStatus.CONVERTED), activeAt, n[5], n[6]);
        });
    }

    /**
     * Removes at most {@code limit} instances that ended longer ago than their project's window
     * ({@code retention_settings.instances_days}, else {@code defaultDays}), oldest end first, with
     * their paths; answers how many. Re-entry records ({@code journey_entry}) stay: "once" means once.
     */
    public static int removeEnded(Connection c, Instant now, long defaultDays, long shortestDays, int limit) throws SQLException {
        return Sql.update(c, "DELETE FROM journey_instance WHERE workflow_id IN (SELECT i.workflow_id FROM journey_instance i"
                + " LEFT JOIN retention_settings r ON r.project_id = i.project_id"
                + " WHERE i.ended_at < ?::timestamptz - ? * interval '1 day'"
                + " AND i.ended_at < ?::timestamptz - coalesce(r.instances_days, ?) * interval '1 day'"
                + " ORDER BY i.ended_at LIMIT ?)", now, shortestDays, now, defaultDays, limit);
    }

    private static Map<String, Long> endReasons(Connection c, String journeyId, InstanceStatus status) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        Sql.list(c, "SELECT end_reason, count(*) FROM journey_instance WHERE journey_id = ? AND status = ?"
                + " GROUP BY end_reason ORDER BY end_reason", rs -> counts.put(rs.getString(1), rs.getLong(2)), journeyId, status);
        return counts;
    }

    private static Instance instance(ResultSet rs) throws SQLException {
        return new Instance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6),
                rs.getLong(7), InstanceStatus.of(rs.getString(8)), rs.getString(9), rs.getString(10), Sql.instant(rs, "entered_at"),
                Sql.instant(rs, "ended_at"));
    }

    private Active active(ResultSet rs) throws SQLException {
        Array listens = rs.getArray(6);
        return new Active(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                listens == null ? List.of() : List.of((String[]) listens.getArray()), JourneyStatus.of(rs.getString(7)),
                events.entryEvent(rs, 8));
    }
}
