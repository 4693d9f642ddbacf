package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.worker.journey.InboundEvent;
import dev.journey.worker.journey.JourneyWorkflow;
import io.agroal.api.AgroalDataSource;
import io.temporal.client.WorkflowNotFoundException;

/**
 * Signals running instances. An instance that Temporal no longer knows (the in-process service
 * lost its state in a restart) is marked as ended, so the API stops showing it as active.
 */
@ApplicationScoped
public class InstanceSignals {
    private static final Logger LOG = Logger.getLogger(InstanceSignals.class);

    @Inject
    TemporalRuntime temporal;
    @Inject
    AgroalDataSource db;

    public void event(String workflowId, InboundEvent event) {
        send(workflowId, JourneyWorkflow.EVENT_SIGNAL, event);
    }

    public void stop(String workflowId, String reason) {
        send(workflowId, JourneyWorkflow.STOP_SIGNAL, reason);
    }

    private void send(String workflowId, String signal, Object payload) {
        try {
            temporal.client().newUntypedWorkflowStub(workflowId).signal(signal, payload);
        } catch (WorkflowNotFoundException gone) {
            LOG.infof("instance %s is gone from Temporal; marking it ended", workflowId);
            try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                    "UPDATE journey_instance SET status = 'exited', end_reason = 'lost: not running in Temporal',"
                            + " current_step = NULL, ended_at = now() WHERE workflow_id = ? AND ended_at IS NULL")) {
                st.setString(1, workflowId);
                st.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
