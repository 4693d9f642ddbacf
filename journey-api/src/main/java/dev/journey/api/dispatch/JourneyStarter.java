package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Limits;
import dev.journey.worker.dsl.Reentry;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.journey.JourneyIds;
import dev.journey.worker.journey.JourneyInput;

/**
 * Enters one subject into one journey for one entry event, at most once, and only if re-entry
 * allows: writes the instance row in the dispatcher's transaction and returns the workflow start
 * that {@link InstanceLauncher} makes once that transaction has committed. The row is there
 * before the workflow runs, so none of the workflow's bookkeeping can miss it; a crash between
 * the commit and the start leaves an active row that {@link dev.journey.api.runtime.InstanceRecovery}
 * starts at the next start-up.
 *
 * <p>At most once: the row's primary key is the workflow id, derived from (journey, subject, entry
 * event), and Temporal refuses a second start of that id (REJECT_DUPLICATE).
 *
 * <p>Re-entry is one atomic upsert on {@code journey_entry}, timed by the events' own timestamps:
 * {@code once} inserts or does nothing, {@code cooldown} updates only when the last entry is old
 * enough, {@code always} always updates. No row written means no entry.
 */
@ApplicationScoped
public class JourneyStarter {
    /** Re-entry {@code always}: instances of one journey one subject may have running at once; entries beyond are refused. */
    @ConfigProperty(name = "journey.entry.max-active-per-subject")
    int maxActivePerSubject;

    /**
     * What entering came to: the start to make after the commit, or why the subject did not enter
     * ({@code refused}: the re-entry rule and what it saw), or neither (the same entry dispatched again).
     */
    public record Entry(InstanceLauncher.Start start, String refusedBy, Map<String, Object> refused) {}

    /** @param heldOut the subject is in the project's hold-out group (recorded on the instance for the stats) */
    public Entry enter(Connection tx, String projectId, JourneyStore.Published journey, EntryEvent event, boolean heldOut)
            throws SQLException {
        Limits.Entries limit = journey.definition().entryLimit();
        Instant window = limit == null ? null : windowStart(Instant.now(), limit.perDuration());
        if (limit != null && !takePlace(tx, journey.journeyId(), window, limit.max())) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("max", limit.max());
            detail.put("per", limit.per());
            detail.put("windowStart", window.toString());
            detail.put("windowEnd", window.plus(limit.perDuration()).toString());
            return new Entry(null, NonEntries.LIMIT, detail);
        }
        Reentry reentry = journey.definition().reentryOrDefault();
        Instant at = Instant.parse(event.timestamp());
        if (!InstanceStore.mayEnter(tx, projectId, journey.journeyId(), event.subjectType(), event.subjectId(), at, reentry,
                maxActivePerSubject)) {
            if (limit != null) {
                // The place taken above goes back: this subject did not enter.
                Sql.update(tx, "UPDATE journey_entry_window SET entries = entries - 1 WHERE journey_id = ? AND window_start = ?",
                        journey.journeyId(), window);
            }
            return new Entry(null, NonEntries.REENTRY, refusal(tx, projectId, journey.journeyId(), event, reentry));
        }
        String workflowId = JourneyIds.workflowId(journey.journeyId(), event.subjectType(), event.subjectId(), event.id());
        if (!InstanceStore.insert(tx, new InstanceStore.NewInstance(workflowId, projectId, journey.journeyId(), journey.version(),
                event.subjectType(), event.subjectId(), event.id(), List.copyOf(journey.definition().listensTo()), heldOut))) {
            return new Entry(null, null, null);
        }
        // A reference to the version, not the definition: the workflow reads what it needs (inline templates stay in PostgreSQL).
        return new Entry(new InstanceLauncher.Start(workflowId, new JourneyInput(projectId, journey.journeyId(), journey.version(), event)),
                null, null);
    }

    /** The start of the window {@code now} falls in: windows of length {@code per} from the epoch (a day is a UTC day). */
    static Instant windowStart(Instant now, Duration per) {
        long length = per.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), length) * length);
    }

    /** Takes one of the window's places if one is left: one conditional upsert, so concurrent dispatchers cannot both take the last. */
    private static boolean takePlace(Connection tx, String journeyId, Instant window, int max) throws SQLException {
        return Sql.update(tx, "INSERT INTO journey_entry_window (journey_id, window_start, entries) VALUES (?, ?, 1)"
                + " ON CONFLICT (journey_id, window_start) DO UPDATE SET entries = journey_entry_window.entries + 1"
                + " WHERE journey_entry_window.entries < ?", journeyId, window, max) > 0;
    }

    /** What the re-entry rule saw when it refused: the last entry (once, cooldown) or the instances running (always). */
    private Map<String, Object> refusal(Connection tx, String projectId, String journeyId, EntryEvent event, Reentry reentry)
            throws SQLException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("rule", reentry.mode());
        if ("always".equals(reentry.mode())) {
            detail.put("active", InstanceStore.activeOf(tx, projectId, journeyId, event.subjectType(), event.subjectId()));
            detail.put("maxActive", maxActivePerSubject);
        } else {
            InstanceStore.lastEntered(tx, journeyId, event.subjectType(), event.subjectId())
                    .ifPresent(last -> detail.put("lastEnteredAt", last.toString()));
            if ("cooldown".equals(reentry.mode())) {
                detail.put("cooldown", reentry.cooldownDuration().toString());
            }
        }
        return detail;
    }
}
