package dev.journey.api.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The in-process service forgets a workflow once it has closed (at the second sweep that finds it
 * closed), and only then: a running workflow, one closed since the last sweep, and a run that continued
 * as new under the same id stay. Before, it kept every closed workflow until it was replaced.
 */
class ClosedWorkflowsTest {
    private static final String QUEUE = "closed-workflows";

    @WorkflowInterface
    public interface Hold {
        @WorkflowMethod
        String run(int continuations, boolean hold);

        @SignalMethod
        void release();
    }

    public static class HoldImpl implements Hold {
        private boolean released;

        @Override
        public String run(int continuations, boolean hold) {
            if (continuations > 0) {
                Workflow.continueAsNew(continuations - 1, hold);
            }
            if (hold) {
                Workflow.await(() -> released);
            }
            return "done";
        }

        @Override
        public void release() {
            released = true;
        }
    }

    @WorkflowInterface
    public interface Remind {
        @WorkflowMethod
        String run(boolean leaveTimer);

        @SignalMethod
        void release();
    }

    public static class RemindImpl implements Remind {
        private boolean released;

        @Override
        public String run(boolean leaveTimer) {
            if (leaveTimer) {
                Workflow.newTimer(Duration.ofHours(1)); // still pending when the workflow ends
                return "done";
            }
            Workflow.await(Duration.ofHours(1), () -> released); // its timer is cancelled once released
            return "done";
        }

        @Override
        public void release() {
            released = true;
        }
    }

    private TestWorkflowEnvironment env;
    private ClosedWorkflows closed;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(HoldImpl.class, RemindImpl.class);
        env.start();
        closed = ClosedWorkflows.of(env).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void aClosedWorkflowIsDroppedAtTheSecondSweepThatFindsItClosed() {
        assertEquals("done", hold("quick").run(0, false));
        WorkflowClient.start(hold("waiting")::run, 0, true);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status("waiting"));

        assertEquals(0, closed.sweep(), "the first sweep only notes it closed");
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status("quick"));
        assertEquals(1, closed.sweep());
        assertEquals(Status.Code.NOT_FOUND, describeFailure("quick"));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status("waiting"), "a running one stays");

        // The service still runs workflows, the one it dropped included (what makes an entry happen once is the instance row).
        assertEquals("done", hold("quick").run(0, false));
        WorkflowStub waiting = env.getWorkflowClient().newUntypedWorkflowStub("waiting");
        waiting.signal("release");
        assertEquals("done", waiting.getResult(String.class));
        assertEquals(0, closed.sweep(), "closed since the last sweep: kept until the next");
        assertEquals(2, closed.sweep());
        assertEquals(Status.Code.NOT_FOUND, describeFailure("waiting"));
    }

    @Test
    void aRunThatContinuedAsNewIsDroppedAndTheRunningOneUnderTheSameIdStays() {
        WorkflowClient.start(hold("chain")::run, 2, true);
        WorkflowStub chain = env.getWorkflowClient().newUntypedWorkflowStub("chain");
        // Once the last run waits, the two before it are closed.
        AtomicInteger dropped = new AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).until(() -> dropped.addAndGet(closed.sweep()) == 2);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status("chain"));
        chain.signal("release");
        assertEquals("done", chain.getResult(String.class));
        closed.sweep();
        assertEquals(1, closed.sweep());
        assertEquals(Status.Code.NOT_FOUND, describeFailure("chain"));
    }

    @Test
    void theTimersOfADroppedWorkflowLeaveTheQueueThoughNotDue() throws Exception {
        Remind leaving = remind("leaves-a-timer");
        Remind released = remind("released");
        WorkflowClient.start(leaving::run, true);
        WorkflowClient.start(released::run, false);
        assertEquals("done", WorkflowStub.fromTyped(leaving).getResult(String.class));
        await().atMost(Duration.ofSeconds(10)).until(() -> env.getWorkflowClient().fetchHistory("released").getEvents().stream()
                .anyMatch(HistoryEvent::hasTimerStartedEventAttributes));
        WorkflowStub.fromTyped(released).signal("release");
        assertEquals("done", WorkflowStub.fromTyped(released).getResult(String.class));
        assertTrue(timerTasks().size() >= 2, "the hour-long timer, and the one cancelled, wait in the service's queue until due");

        closed.sweep();
        assertEquals(2, closed.sweep());
        // Before, both stayed until the hour was up, each holding its workflow's state (what dropping it is to free).
        assertEquals(0, timerTasks().size());
    }

    private java.util.Collection<?> timerTasks() throws ReflectiveOperationException {
        Object timer = TestServiceInternals.read(TestServiceInternals.read(env, "service"), "selfAdvancingTimer");
        return (java.util.Collection<?>) TestServiceInternals.read(timer, "tasks");
    }

    private Remind remind(String id) {
        return env.getWorkflowClient().newWorkflowStub(Remind.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    }

    private Hold hold(String id) {
        return env.getWorkflowClient().newWorkflowStub(Hold.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    }

    private WorkflowExecutionStatus status(String id) {
        return env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(describe(id))
                .getWorkflowExecutionInfo().getStatus();
    }

    private Status.Code describeFailure(String id) {
        return assertThrows(StatusRuntimeException.class,
                () -> env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(describe(id))).getStatus().getCode();
    }

    private DescribeWorkflowExecutionRequest describe(String id) {
        return DescribeWorkflowExecutionRequest.newBuilder().setNamespace(env.getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build();
    }
}
