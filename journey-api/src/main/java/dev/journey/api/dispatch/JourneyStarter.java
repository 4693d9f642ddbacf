package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.worker.journey.EntryEvent;
import dev.journey.worker.journey.JourneyIds;
import dev.journey.worker.journey.JourneyInput;
import dev.journey.worker.journey.JourneyWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/**
 * Starts one journey instance for one entry event, at most once. Two guards: the instance row
 * (primary key: the workflow id) is inserted in the dispatcher's transaction, so a committed
 * dispatch is never repeated; and the workflow id is derived from (journey, subject, entry event)
 * and started with REJECT_DUPLICATE, so a dispatch repeated after a crash before its commit finds
 * the instance already started and leaves it alone.
 */
@ApplicationScoped
public class JourneyStarter {
    @Inject
    TemporalRuntime temporal;

    public boolean start(Connection tx, String projectId, PublishedJourneys.Published journey, EntryEvent event) throws SQLException {
        String workflowId = JourneyIds.workflowId(journey.journeyId(), event.subjectType(), event.subjectId(), event.id());
        try (PreparedStatement st = tx.prepareStatement("INSERT INTO journey_instance (workflow_id, project_id, journey_id,"
                + " journey_version, subject_type, subject_id, entry_event_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'active')"
                + " ON CONFLICT (workflow_id) DO NOTHING")) {
            st.setString(1, workflowId);
            st.setString(2, projectId);
            st.setString(3, journey.journeyId());
            st.setInt(4, journey.version());
            st.setString(5, event.subjectType());
            st.setString(6, event.subjectId());
            st.setLong(7, event.id());
            if (st.executeUpdate() == 0) {
                return false;
            }
        }
        JourneyWorkflow workflow = temporal.client().newWorkflowStub(JourneyWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(JourneyIds.TASK_QUEUE)
                .setWorkflowId(workflowId)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        try {
            WorkflowClient.start(workflow::run,
                    new JourneyInput(projectId, journey.journeyId(), journey.version(), journey.definition(), event));
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            // A dispatch that crashed before its commit started it already: exactly what we want.
        }
        return true;
    }
}
