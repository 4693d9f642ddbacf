package dev.journey.worker.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.MessageStep;
import dev.journey.worker.dsl.Trigger;
import dev.journey.worker.dsl.WaitStep;
import dev.journey.worker.message.MessageActivities;
import dev.journey.worker.message.MessageOutcome;
import dev.journey.worker.message.SendMessage;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/** The interpreter under Temporal's time-skipping test server; activities record what the workflow asked of them. */
class JourneyWorkflowTest {
    private TestWorkflowEnvironment env;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean failSends;

    private final MessageActivities messages = new MessageActivities() {
        @Override
        public MessageOutcome send(SendMessage m) {
            calls.add("send " + m.stepId() + " at " + env.currentTimeMillis() + " key " + m.messageId());
            if (failSends) {
                throw ApplicationFailure.newNonRetryableFailure("HTTP 400: rejected", "Rejected");
            }
            return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
        }

        @Override
        public void markFailed(String messageId, String error) {
            calls.add("failed " + messageId + " " + error);
        }
    };

    private final InstanceActivities instances = new InstanceActivities() {
        @Override
        public void stepReached(String workflowId, String stepId) {
            calls.add("step " + stepId);
        }

        @Override
        public void ended(String workflowId, String status, String reason) {
            calls.add("ended " + status);
        }
    };

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(JourneyIds.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        worker.registerActivitiesImplementations(messages, instances);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private static JourneyInput postPurchase() {
        JourneyDefinition journey = new JourneyDefinition("Post-purchase", new Trigger("purchase", null), List.of(
                new MessageStep("thanks", "webhook", Map.of("body", "Thanks"), "pause"),
                new WaitStep("pause", "P3D", "remind"),
                new MessageStep("remind", "webhook", Map.of("body", "Review it?"), null)));
        EntryEvent event = new EntryEvent(7, "e-7", "purchase", "user", "u1", Map.of("amount", 10000), "2026-11-27T10:00:00Z");
        return new JourneyInput("demo", "j1", 1, journey, event);
    }

    private String run(JourneyInput input) {
        WorkflowClient client = env.getWorkflowClient();
        String id = JourneyIds.workflowId("j1", "user", "u1", 7);
        JourneyWorkflow workflow = client.newWorkflowStub(JourneyWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(JourneyIds.TASK_QUEUE).setWorkflowId(id).build());
        return workflow.run(input);
    }

    @Test
    void threeDayWaitCompletesInSecondsOfWallTime() {
        long wallStart = System.nanoTime();
        long testStart = env.currentTimeMillis();

        assertEquals("completed", run(postPurchase()));

        long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        assertTrue(wallMillis < 10_000, "took " + wallMillis + " ms of wall time");
        assertTrue(env.currentTimeMillis() - testStart >= Duration.ofDays(3).toMillis(), "test clock moved 3 days");
        List<String> sends = calls.stream().filter(c -> c.startsWith("send")).toList();
        assertEquals(2, sends.size(), calls.toString());
        long thanksAt = Long.parseLong(sends.get(0).split(" ")[3]);
        long remindAt = Long.parseLong(sends.get(1).split(" ")[3]);
        assertTrue(remindAt - thanksAt >= Duration.ofDays(3).toMillis(), "reminder 3 days after thanks: " + sends);
        assertEquals(List.of("step thanks", "step pause", "step remind", "ended completed"),
                calls.stream().filter(c -> c.startsWith("step") || c.startsWith("ended")).toList());
    }

    @Test
    void eachStepHasItsOwnStableMessageId() {
        run(postPurchase());
        String workflowId = JourneyIds.workflowId("j1", "user", "u1", 7);
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("send thanks") && c.endsWith(JourneyIds.messageId(workflowId, "thanks"))));
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("send remind") && c.endsWith(JourneyIds.messageId(workflowId, "remind"))));
        assertEquals(JourneyIds.messageId(workflowId, "thanks"), JourneyIds.messageId(workflowId, "thanks"));
    }

    @Test
    void aMessageThatFailsForGoodIsRecordedAndTheJourneyGoesOn() {
        failSends = true;
        assertEquals("completed", run(postPurchase()));
        assertEquals(2, calls.stream().filter(c -> c.startsWith("failed") && c.contains("HTTP 400")).count(), calls.toString());
        assertTrue(calls.contains("ended completed"));
    }
}
