package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.journey.worker.dsl.JourneyStore;
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

    /** Returns the start to make after the commit, or null when the subject does not enter. */
    public InstanceLauncher.Start enter(Connection tx, String projectId, JourneyStore.Published journey, EntryEvent event)
            throws SQLException {
        if (!mayEnter(tx, projectId, journey, event)) {
            return null;
        }
        String workflowId = JourneyIds.workflowId(journey.journeyId(), event.subjectType(), event.subjectId(), event.id());
        if (!InstanceStore.insert(tx, new InstanceStore.NewInstance(workflowId, projectId, journey.journeyId(), journey.version(),
                event.subjectType(), event.subjectId(), event.id(), List.copyOf(journey.definition().listensTo())))) {
            return null;
        }
        // A reference to the version, not the definition: the workflow reads what it needs (inline templates stay in PostgreSQL).
        return new InstanceLauncher.Start(workflowId, new JourneyInput(projectId, journey.journeyId(), journey.version(), event));
    }

    private boolean mayEnter(Connection tx, String projectId, JourneyStore.Published journey, EntryEvent event) throws SQLException {
        return InstanceStore.mayEnter(tx, projectId, journey.journeyId(), event.subjectType(), event.subjectId(),
                Instant.parse(event.timestamp()), journey.definition().reentryOrDefault(), maxActivePerSubject);
    }
}
