package dev.journey.worker.message;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;

/**
 * The {@code message} table: one row per (instance, step), keyed by the message id. The worker
 * records, admits and delivers here; the API reads the log and the inbox and records what users do
 * with messages. The only SQL for this table.
 */
public class MessageStore {
    /** What the worker needs of a recorded message: where it is and what was rendered and reached. */
    public record Recorded(MessageStatus status, String content, int attempts, boolean admitted, String delivery) {}

    /** A message as engagement sees it: who got it, from which journey step, on which channel. */
    public record Summary(String id, String journeyId, String stepId, String subjectType, String subjectId, String channel,
                          MessageStatus status) {}

    /** An in-app message waiting in the user's inbox; {@code content} is the rendered fields as JSON. */
    public record InboxEntry(String messageId, String journeyId, String stepId, String content, Instant createdAt,
                             Instant displayedAt) {}

    /** One row of the message log; {@code content} and {@code delivery} are JSON. */
    public record Entry(String id, String journeyId, Integer journeyVersion, String stepId, String subjectType, String subjectId,
                        String channel, String content, MessageStatus status, int attempts, String error, Instant createdAt,
                        Instant updatedAt, Instant sentAt, String channelId, boolean transactional, Instant heldUntil,
                        String delivery, Instant displayedAt, Instant clickedAt, Instant closedAt, Instant openedAt, String locale,
                        String missingTranslation) {}

    /** The log's filters; null ones do not filter. {@code userId} means the subject is that user. */
    /** {@code missingTranslation}: only messages whose user's locale none of the template's locales served. */
    public record Filter(String userId, String journeyId, MessageStatus status, String channel, boolean missingTranslation) {}



    /** How many of a journey step's messages are in one status. */
    public record StepCount(String stepId, MessageStatus status, long count) {}

    /** What a user did with a message, each recorded the first time only. */
    public enum Interaction {
        DISPLAYED, CLICKED, CLOSED, OPENED;

        String column() {
            return name().toLowerCase(Locale.ROOT) + "_at";
        }
    }

    /** The advisory-lock class of message ids (two-key locks: apart from the one-key locks of caps). */
    private static final int ID_LOCK = 21;
    /** What {@link Recorded} is read from, in its order: selected, or returned by a write. */
    private static final String RECORDED_COLUMNS = "status, content::text, attempts, admitted_at IS NOT NULL, delivery::text";
    private static final String RECORDED = "SELECT " + RECORDED_COLUMNS + " FROM message WHERE id = ?";

    private final Sql sql;

    public MessageStore(Sql sql) {
        this.sql = sql;
    }

    /** Records the message unless it exists (a retry), then returns what is recorded. */
    public Recorded recordOnce(SendMessage m, String contentJson, MessageStatus status, String error) {
        return recordOnce(m, contentJson, status, error, null, null);
    }

    /**
     * @param locale             the locale of the template variant rendered (null: the template declares none)
     * @param missingTranslation the user's locale when none of the template's locales served it
     */
    public Recorded recordOnce(SendMessage m, String contentJson, MessageStatus status, String error, String locale,
                               String missingTranslation) {
        return sql.inTransaction(c -> {
            // The table is partitioned by month (V22), so no unique index can hold the id alone: the
            // id's lock makes a concurrent attempt wait until this one commits, then it finds the row.
            Sql.first(c, "SELECT pg_advisory_xact_lock(" + ID_LOCK + ", hashtext(?))", rs -> true, m.messageId());
            // The row this inserts, else the one there was: one round trip. (The lock is a statement of its own,
            // so this one's snapshot, taken after the lock, sees a row that the attempt it waited for committed.)
            return Sql.first(c, "WITH inserted AS (INSERT INTO message (id, project_id, journey_id, journey_version, workflow_id, step_id,"
                            + " subject_type, subject_id, channel, content, status, last_error, channel_id, transactional, locale,"
                            + " missing_translation) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?"
                            + " WHERE NOT EXISTS (SELECT 1 FROM message WHERE id = ?) RETURNING " + RECORDED_COLUMNS + ")"
                            + " SELECT * FROM inserted UNION ALL " + RECORDED + " AND NOT EXISTS (SELECT 1 FROM inserted)",
                    MessageStore::recorded, m.messageId(), m.projectId(), m.journeyId(), m.journeyVersion(), m.workflowId(), m.stepId(),
                    m.entryEvent().subjectType(), m.entryEvent().subjectId(), m.channel(), contentJson, status, error, m.channelId(),
                    m.transactional(), locale, missingTranslation, m.messageId(), m.messageId()).orElseThrow();
        });
    }

    /** The recorded message; empty before its first attempt. */
    public Optional<Recorded> find(String messageId) {
        return sql.first(RECORDED, MessageStore::recorded, messageId);
    }

    /** The user is in the project's hold-out group: a marketing message not admitted yet is not sent, and says why. */
    public void heldOut(String messageId) {
        notSent(messageId, MessageStatus.HELD_OUT, "not sent: the user is in the project's hold-out group (no marketing messages)");
    }

    /** The user is not subscribed to the message's topic on its channel: not sent, and the reason says which choice decided. */
    public void suppressed(String messageId, String reason) {
        notSent(messageId, MessageStatus.SUPPRESSED, reason);
    }

    /** A message not admitted yet ends, unsent, with {@code status} and why. */
    private void notSent(String messageId, MessageStatus status, String reason) {
        sql.update("UPDATE message SET status = ?, held_until = NULL, last_error = ?, updated_at = now()"
                + " WHERE id = ? AND status IN (?, ?) AND admitted_at IS NULL", status, reason, messageId,
                MessageStatus.QUEUED, MessageStatus.HELD);
    }

    /** Quiet hours: held until then. Only a message not yet admitted can be held (a retry after admission is not held again). */
    public void hold(String messageId, Instant until) {
        sql.update("UPDATE message SET status = ?, held_until = ?, updated_at = now()"
                + " WHERE id = ? AND status IN (?, ?) AND admitted_at IS NULL",
                MessageStatus.HELD, until, messageId, MessageStatus.QUEUED, MessageStatus.HELD);
    }

    /**
     * The message's turn under its journey's send rate: reserved once per message (kept in
     * {@code rate_slot}, so asking again after the hold gives the same turn), as the journey's next
     * free slot — one every {@code 60 s / ratePerMinute}, never before {@code now}. One statement
     * per row, so concurrent workflows (or workers) never share a slot.
     */
    public Instant turn(String messageId, String journeyId, int ratePerMinute, Instant now) {
        return sql.inTransaction(c -> {
            Optional<Instant> reserved = Sql.first(c, "SELECT rate_slot FROM message WHERE id = ? FOR UPDATE",
                    rs -> Sql.instant(rs, "rate_slot"), messageId);
            if (reserved.isPresent()) {
                return reserved.get();
            }
            double gapMillis = 60_000.0 / ratePerMinute;
            Instant turn = Sql.first(c, "INSERT INTO journey_send_rate (journey_id, next_slot) VALUES (?, ?::timestamptz"
                            + " + ? * interval '1 millisecond') ON CONFLICT (journey_id) DO UPDATE SET next_slot ="
                            + " greatest(journey_send_rate.next_slot, ?::timestamptz) + ? * interval '1 millisecond'"
                            + " RETURNING next_slot - ? * interval '1 millisecond'",
                    rs -> rs.getTimestamp(1).toInstant(), journeyId, now, gapMillis, now, gapMillis, gapMillis).orElseThrow();
            Sql.update(c, "UPDATE message SET rate_slot = ? WHERE id = ?", turn, messageId);
            return turn;
        });
    }

    /**
     * Admits the message at {@code now} unless a cap is full. The check and the admission are one
     * transaction under a lock per subject, so two journeys sending to one user at once cannot both
     * take the last place; a message that no cap counts (transactional, or no cap on its channel) takes
     * no place and is admitted without the lock. Returns the status the message has afterwards.
     */
    public MessageStatus admit(SendMessage m, Instant now, List<DeliverySettings.Cap> caps) {
        List<DeliverySettings.Cap> applying = m.transactional() ? List.of() : caps.stream().filter(cap -> cap.applies(m.channel())).toList();
        if (applying.isEmpty()) {
            // No cap counts this message, so none needs the subject's lock: admitted in one statement.
            if (sql.update("UPDATE message SET status = ?, admitted_at = ?, held_until = NULL, updated_at = now()"
                    + " WHERE id = ? AND admitted_at IS NULL AND status IN (?, ?)", MessageStatus.QUEUED, now, m.messageId(),
                    MessageStatus.QUEUED, MessageStatus.HELD) == 1) {
                return MessageStatus.QUEUED;
            }
            return find(m.messageId()).orElseThrow().status();
        }
        return sql.inTransaction(c -> {
            Sql.first(c, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> true,
                    "caps/" + m.projectId() + "/" + m.entryEvent().subjectType() + "/" + m.entryEvent().subjectId());
            Recorded row = recorded(c, m.messageId());
            if (row.admitted() || !row.status().open()) {
                return row.status();
            }
            for (DeliverySettings.Cap cap : applying) {
                long used = admittedSince(c, m, cap, now);
                if (used >= cap.limit()) {
                    Sql.update(c, "UPDATE message SET status = ?, held_until = NULL, last_error = ?, updated_at = now() WHERE id = ?",
                            MessageStatus.CAPPED, "frequency cap: at most " + cap.limit() + " " + cap.channel() + " message(s) per "
                                    + cap.window() + " for this user; " + used + " already", m.messageId());
                    return MessageStatus.CAPPED;
                }
            }
            Sql.update(c, "UPDATE message SET status = ?, admitted_at = ?, held_until = NULL, updated_at = now() WHERE id = ?",
                    MessageStatus.QUEUED, now, m.messageId());
            return MessageStatus.QUEUED;
        });
    }

    private static long admittedSince(Connection c, SendMessage m, DeliverySettings.Cap cap, Instant now) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(m.projectId(), m.entryEvent().subjectType(), m.entryEvent().subjectId(),
                now.minus(cap.window()), MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.CLICKED, m.messageId()));
        if (!cap.allChannels()) {
            params.add(cap.channel());
        }
        return Sql.first(c, "SELECT count(*) FROM message WHERE project_id = ? AND subject_type = ? AND subject_id = ?"
                        // No upper bound: concurrent workflows' clocks differ by a little, and an admission
                        // stamped a few ms after this one's "now" still takes a place in the window.
                        + " AND admitted_at IS NOT NULL AND NOT transactional AND admitted_at > ?"
                        + " AND status IN (?, ?, ?) AND id <> ?" + (cap.allChannels() ? "" : " AND channel = ?"),
                rs -> rs.getLong(1), params.toArray()).orElse(0L);
    }

    /**
     * Takes a queued message for one attempt at its provider, for {@code hold} from now, unless
     * another attempt's lease is still running; {@code attempt} names this attempt. Answers the row
     * as claimed (its attempts counted when {@code counted}: it goes to the provider), or empty when
     * this attempt may not call the provider (not recorded, not queued, or leased). Only one attempt
     * can win: the check and the claim are one statement on the row.
     */
    public Optional<Recorded> claim(String messageId, String attempt, Duration hold, boolean counted) {
        return sql.first("UPDATE message SET attempt_holder = ?, attempt_until = now() + ? * interval '1 millisecond',"
                + " attempts = attempts + ?, updated_at = now()"
                + " WHERE id = ? AND status = ? AND (attempt_until IS NULL OR attempt_until < now()) RETURNING " + RECORDED_COLUMNS,
                MessageStore::recorded, attempt, hold.toMillis(), counted ? 1 : 0, messageId, MessageStatus.QUEUED);
    }

    /**
     * Gives back every lease: only for a process that is the one sender there is and has not started
     * sending yet, so every lease belongs to a dead process (the embedded engine after a crash),
     * whose messages need not wait for their leases to run out.
     *
     * @return how many leases were given back
     */
    public int releaseEveryLease() {
        return sql.update("UPDATE message SET attempt_holder = NULL, attempt_until = NULL WHERE attempt_until IS NOT NULL");
    }

    /** Gives back {@code attempt}'s lease (if it still holds it), so the next attempt need not wait for it to run out. */
    public void release(String messageId, String attempt) {
        sql.update("UPDATE message SET attempt_holder = NULL, attempt_until = NULL WHERE id = ? AND attempt_holder = ?", messageId, attempt);
    }

    /** Sent, with what the provider told (merged into {@code delivery}). In-app messages are "sent" once stored for the user. */
    public Optional<Duration> sent(String messageId, String deliveryJson) {
        // Returns how long the message waited from being recorded queued to being sent (the hand-off latency metric).
        return sql.first("UPDATE message SET status = ?, last_error = NULL, sent_at = now(), updated_at = now(),"
                + " delivery = delivery || ?::jsonb WHERE id = ? AND status = ?"
                + " RETURNING (extract(epoch FROM sent_at - created_at) * 1000)::bigint",
                rs -> Duration.ofMillis(rs.getLong(1)), MessageStatus.SENT, deliveryJson, messageId, MessageStatus.QUEUED);
    }

    public void retrying(String messageId, String error) {
        sql.update("UPDATE message SET last_error = ?, updated_at = now() WHERE id = ?", error, messageId);
    }

    /** One push device's outcome, written as soon as it is known so a retry skips the devices done. */
    public void tokenDone(String messageId, String deviceId, String outcome) {
        sql.update("UPDATE message SET delivery = jsonb_set(delivery, '{tokens}',"
                + " coalesce(delivery->'tokens', '{}'::jsonb) || jsonb_build_object(?::text, ?::text)), updated_at = now() WHERE id = ?",
                deviceId, outcome, messageId);
    }

    /** A message already sent stays sent: a late failure report does not overwrite it. */
    public void failed(String messageId, String error) {
        failed(messageId, error, "{}");
    }

    public void failed(String messageId, String error, String deliveryJson) {
        sql.update("UPDATE message SET status = ?, last_error = ?, delivery = delivery || ?::jsonb, updated_at = now()"
                + " WHERE id = ? AND status NOT IN (?, ?)", MessageStatus.FAILED, error, deliveryJson, messageId,
                MessageStatus.SENT, MessageStatus.CLICKED);
    }

    /** A message of the project, as engagement sees it. */
    public Optional<Summary> summary(String projectId, String messageId) {
        return sql.first("SELECT id, journey_id, step_id, subject_type, subject_id, channel, status FROM message WHERE project_id = ? AND id = ?",
                rs -> new Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), status(rs.getString(7))), projectId, messageId);
    }

    /** Records the first time of an interaction; a click also marks a handed-off (or still queued) message clicked. */
    public void interacted(String projectId, String messageId, Interaction action) {
        String column = action.column();
        if (action == Interaction.CLICKED) {
            sql.update("UPDATE message SET clicked_at = coalesce(clicked_at, now()),"
                    + " status = CASE WHEN status IN (?, ?) THEN ? ELSE status END, updated_at = now() WHERE project_id = ? AND id = ?",
                    MessageStatus.SENT, MessageStatus.QUEUED, MessageStatus.CLICKED, projectId, messageId);
        } else {
            sql.update("UPDATE message SET " + column + " = coalesce(" + column + ", now()), updated_at = now() WHERE project_id = ? AND id = ?",
                    projectId, messageId);
        }
    }

    /** A user's in-app inbox: sent in-app messages neither clicked nor closed, newest first. */
    public List<InboxEntry> inbox(String projectId, String userId, int limit) {
        // 'inapp' is written out so the planner can use the partial index message_inapp.
        return sql.list("SELECT id, journey_id, step_id, content::text, created_at, displayed_at FROM message"
                        + " WHERE project_id = ? AND subject_id = ? AND subject_type = 'user' AND channel = 'inapp'"
                        + " AND status = ? AND closed_at IS NULL AND clicked_at IS NULL ORDER BY created_at DESC, id DESC LIMIT ?",
                rs -> new InboxEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "displayed_at")), projectId, userId, MessageStatus.SENT, limit);
    }

    /** The project's message log, newest first, from after {@code after} (null: the start). */
    public Keyset.Page<Entry> list(String projectId, Filter filter, Keyset.Position after, int limit) {
        return list(projectId, filter, null, after, limit);
    }

    /** {@code retainedFrom}: the project's retention start (null: none); older messages are not shown, dropped or not. */
    public Keyset.Page<Entry> list(String projectId, Filter filter, Instant retainedFrom, Keyset.Position after, int limit) {
        return Keyset.select("SELECT id, journey_id, journey_version, step_id, subject_type, subject_id,"
                        + " channel, content::text, status, attempts, last_error, created_at, updated_at, sent_at,"
                        + " channel_id, transactional, held_until, delivery::text, displayed_at, clicked_at, closed_at, opened_at,"
                        + " locale, missing_translation FROM message WHERE project_id = ?", projectId)
                .and("subject_type = 'user' AND subject_id = ?", filter.userId())
                .and("journey_id = ?", filter.journeyId())
                .and("status = ?", filter.status())
                .and("channel = ?", filter.channel())
                .and("missing_translation IS NOT NULL AND ?::boolean", filter.missingTranslation() ? Boolean.TRUE : null)
                .and("created_at >= ?", retainedFrom)
                .page(sql, "created_at", "id", after, limit, MessageStore::entry, e -> new Keyset.Position(e.createdAt(), e.id()));
    }

    /** Where a message stands, as an instance's path shows it. */
    public record Outcome(String id, String channel, MessageStatus status, String error, Instant sentAt) {}

    /** The messages of these ids (an instance's path), by id. */
    public Map<String, Outcome> outcomes(List<String> ids) {
        Map<String, Outcome> found = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            sql.list("SELECT id, channel, status, last_error, sent_at FROM message WHERE id = ANY(?::text[])",
                    rs -> found.put(rs.getString(1), new Outcome(rs.getString(1), rs.getString(2), status(rs.getString(3)),
                            rs.getString(4), Sql.instant(rs, "sent_at"))), Sql.array("text", ids));
        }
        return found;
    }

    /** A journey's messages counted by step and status, ordered by step id, then status. */
    public List<StepCount> countsByStep(String journeyId) {
        return sql.list("SELECT step_id, status, count(*) FROM message WHERE journey_id = ? GROUP BY step_id, status ORDER BY step_id, status",
                rs -> new StepCount(rs.getString(1), status(rs.getString(2)), rs.getLong(3)), journeyId);
    }

    private static Recorded recorded(Connection c, String messageId) throws SQLException {
        return Sql.first(c, RECORDED, MessageStore::recorded, messageId).orElseThrow();
    }

    private static Recorded recorded(ResultSet rs) throws SQLException {
        return new Recorded(status(rs.getString(1)), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getString(5));
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getString("id"), rs.getString("journey_id"), Sql.integer(rs, "journey_version"), rs.getString("step_id"),
                rs.getString("subject_type"), rs.getString("subject_id"), rs.getString("channel"), rs.getString("content"),
                status(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"), Sql.instant(rs, "sent_at"), rs.getString("channel_id"), rs.getBoolean("transactional"),
                Sql.instant(rs, "held_until"), rs.getString("delivery"), Sql.instant(rs, "displayed_at"), Sql.instant(rs, "clicked_at"),
                Sql.instant(rs, "closed_at"), Sql.instant(rs, "opened_at"), rs.getString("locale"), rs.getString("missing_translation"));
    }

    private static MessageStatus status(String stored) {
        return MessageStatus.of(stored).orElseThrow(() -> new IllegalStateException("unknown message status " + stored));
    }
}
