package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.journey.worker.dsl.Reentry;
import dev.journey.worker.event.EntryEvent;
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
    private static final String ENTER = "INSERT INTO journey_entry (journey_id, subject_type, subject_id, last_entered_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (journey_id, subject_type, subject_id) ";
    private static final String ONCE = ENTER + "DO NOTHING";
    private static final String ALWAYS = ENTER + "DO UPDATE SET last_entered_at = EXCLUDED.last_entered_at,"
            + " entries = journey_entry.entries + 1";
    private static final String COOLDOWN = ALWAYS
            + " WHERE journey_entry.last_entered_at <= EXCLUDED.last_entered_at - make_interval(secs => ?)";

    /** Returns the start to make after the commit, or null when the subject does not enter. */
    public InstanceLauncher.Start enter(Connection tx, String projectId, PublishedJourneys.Published journey, EntryEvent event)
            throws SQLException {
        if (!mayEnter(tx, journey, event)) {
            return null;
        }
        String workflowId = JourneyIds.workflowId(journey.journeyId(), event.subjectType(), event.subjectId(), event.id());
        try (PreparedStatement st = tx.prepareStatement("INSERT INTO journey_instance (workflow_id, project_id, journey_id,"
                + " journey_version, subject_type, subject_id, entry_event_id, status, listens_to)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?) ON CONFLICT (workflow_id) DO NOTHING")) {
            st.setString(1, workflowId);
            st.setString(2, projectId);
            st.setString(3, journey.journeyId());
            st.setInt(4, journey.version());
            st.setString(5, event.subjectType());
            st.setString(6, event.subjectId());
            st.setLong(7, event.id());
            st.setArray(8, tx.createArrayOf("text", journey.definition().listensTo().toArray()));
            if (st.executeUpdate() == 0) {
                return null;
            }
        }
        return new InstanceLauncher.Start(workflowId,
                new JourneyInput(projectId, journey.journeyId(), journey.version(), journey.definition(), event));
    }

    private static boolean mayEnter(Connection tx, PublishedJourneys.Published journey, EntryEvent event) throws SQLException {
        Reentry reentry = journey.definition().reentryOrDefault();
        String sql = switch (reentry.mode()) {
            case "always" -> ALWAYS;
            case "cooldown" -> COOLDOWN;
            default -> ONCE;
        };
        try (PreparedStatement st = tx.prepareStatement(sql)) {
            st.setString(1, journey.journeyId());
            st.setString(2, event.subjectType());
            st.setString(3, event.subjectId());
            st.setTimestamp(4, Timestamp.from(Instant.parse(event.timestamp())));
            if (sql == COOLDOWN) {
                st.setDouble(5, reentry.cooldownDuration().toSeconds());
            }
            return st.executeUpdate() > 0;
        }
    }
}
