package dev.journey.worker.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.journey.worker.db.Sql;
import dev.journey.worker.event.Outbox;
import dev.journey.worker.instance.InstanceStore;

/**
 * One pass of retention at a given moment: months created ahead, months older than every project's
 * window dropped, eventIds past the dedup window forgotten, finished instances past their project's
 * window removed. Any number of replicas may run it: a pass holds a session advisory lock, and one
 * that finds it taken leaves the work to the holder. Every step is idempotent (a second pass at the
 * same moment finds nothing to do) and bounded (at most {@link #MAX_BATCHES} batches of rows a
 * pass), so a pass after a long pause catches up over a few runs.
 */
public class RetentionJob {
    /** The pass's advisory lock: two keys, a class of its own (MessageStore's ids take class 21). */
    static final String LOCK = "22, 0";
    static final int MAX_BATCHES = 100;

    private final Sql sql;
    private final RetentionStore settings;
    private final MonthlyPartitions events = new MonthlyPartitions("event");
    private final MonthlyPartitions messages = new MonthlyPartitions("message");

    public RetentionJob(DataSource db, RetentionStore settings) {
        this.sql = new Sql(db);
        this.settings = settings;
    }

    /** What a pass did; {@code ran} is false when another replica's pass was under way. */
    public record Report(boolean ran, List<String> created, List<String> dropped, long keysRemoved, long instancesRemoved) {
        static Report skipped() {
            return new Report(false, List.of(), List.of(), 0, 0);
        }
    }

    public Report run(Instant now) {
        return sql.with(c -> {
            if (!Sql.first(c, "SELECT pg_try_advisory_lock(" + LOCK + ")", rs -> rs.getBoolean(1)).orElse(false)) {
                return Report.skipped();
            }
            try {
                List<String> created = new ArrayList<>();
                List<String> dropped = new ArrayList<>();
                RetentionConfig config = settings.config();
                createAhead(c, events, now, config.monthsAhead(), created);
                createAhead(c, messages, now, config.monthsAhead(), created);
                dropOlder(c, events, now.minus(settings.span(Retained.EVENTS).longest()), true, dropped);
                dropOlder(c, messages, now.minus(settings.span(Retained.MESSAGES).longest()), false, dropped);
                long keys = forgetKeys(c, now.minus(config.dedupWindow()), config.batch());
                long instances = removeInstances(c, now, config);
                Sql.update(c, "DELETE FROM event_kept k WHERE NOT EXISTS (SELECT 1 FROM journey_instance i"
                        + " WHERE i.project_id = k.project_id AND i.subject_type = k.subject_type AND i.subject_id = k.subject_id"
                        + " AND i.status = 'active' AND i.entry_event_id = k.id)");
                return new Report(true, created, dropped, keys, instances);
            } finally {
                Sql.first(c, "SELECT pg_advisory_unlock(" + LOCK + ")", rs -> true);
            }
        });
    }

    /**
     * The month of {@code now} and the next {@code ahead}, those after the newest month the table
     * has (the months before it exist, or the first month's open lower bound covers them).
     */
    private static void createAhead(Connection c, MonthlyPartitions table, Instant now, int ahead, List<String> created)
            throws SQLException {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<MonthlyPartitions.Month> existing = table.list(c);
        YearMonth newest = existing.isEmpty() ? null : existing.get(existing.size() - 1).month();
        for (int i = 0; i <= ahead; i++) {
            YearMonth month = current.plusMonths(i);
            if (newest == null || month.isAfter(newest)) {
                if (!table.create(c, month)) {
                    return; // no month after a missing one: the next pass goes on from here
                }
                created.add(table.name(month));
            }
        }
    }

    /**
     * The months that ended before {@code cutoff}. An event month first keeps the entry events of
     * running instances and takes its waiting outbox rows along. A month whose lock did not come in
     * time is left for the next pass.
     */
    private static void dropOlder(Connection c, MonthlyPartitions table, Instant cutoff, boolean eventMonths, List<String> dropped)
            throws SQLException {
        for (MonthlyPartitions.Month month : table.list(c)) {
            if (month.end().isAfter(cutoff)) {
                continue;
            }
            if (eventMonths) {
                keepEntryEvents(c, month.name());
            }
            if (table.drop(c, month)) {
                dropped.add(month.name());
            }
        }
    }

    /**
     * A running instance resumes with its entry event (InstanceStore reads event_kept too): those
     * in the month are copied before it goes, and the outbox forgets the month's events, in one
     * transaction. The drop follows in its own, short, so the parent's lock is held briefly.
     */
    private static void keepEntryEvents(Connection c, String month) throws SQLException {
        c.setAutoCommit(false);
        try {
            Sql.update(c, "INSERT INTO event_kept SELECT e.* FROM journey_instance i JOIN " + month + " e ON e.id = i.entry_event_id"
                    + " WHERE i.status = 'active' AND i.ended_at IS NULL ON CONFLICT (id) DO NOTHING");
            Outbox.forget(c, month);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** eventIds received before {@code before} are no longer recognised: a retry after that is a new event. */
    private static long forgetKeys(Connection c, Instant before, int batch) throws SQLException {
        long removed = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int n = Sql.update(c, "DELETE FROM event_key WHERE ctid = ANY(ARRAY(SELECT ctid FROM event_key WHERE received_at < ? LIMIT ?))",
                    before, batch);
            removed += n;
            if (n < batch) {
                break;
            }
        }
        return removed;
    }

    private long removeInstances(Connection c, Instant now, RetentionConfig config) throws SQLException {
        Duration shortest = settings.span(Retained.INSTANCES).shortest();
        long removed = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int n = InstanceStore.removeEnded(c, now, config.defaultOf(Retained.INSTANCES).toDays(), shortest.toDays(), config.batch());
            removed += n;
            if (n < config.batch()) {
                break;
            }
        }
        return removed;
    }
}
