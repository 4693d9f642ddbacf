package dev.journey.worker.journey;

import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.EntryEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.MessageActivities;
import dev.journey.worker.message.MessageOutcome;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.subject.SubjectActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * How the workflow applies the delivery policy: a held message sleeps on a durable timer until the
 * time the activity named and is admitted again then; capped messages are not sent; an instance
 * that exits while a message is held does not send it.
 */
class DeliveryWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUIET = Duration.ofHours(7);

    private TestWorkflowEnvironment env;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile long quietEndsAt;
    private volatile boolean capAll;

    private final DeliveryActivities delivery = new DeliveryActivities() {
        @Override
        public Admission admit(SendMessage m, long nowMillis) {
            calls.add("admit " + m.stepId() + " transactional=" + m.transactional());
            if (capAll) {
                return new Admission(Admission.CAPPED, 0);
            }
            return nowMillis < quietEndsAt && !m.transactional() ? new Admission(Admission.HELD, quietEndsAt)
                    : new Admission(Admission.QUEUED, 0);
        }
    };

    private final MessageActivities messages = new MessageActivities() {
        @Override
        public MessageOutcome send(SendMessage m) {
            calls.add("send " + m.stepId() + " at +" + (env.currentTimeMillis() - start) / 60_000 + "m");
            return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
        }

        @Override
        public void markFailed(String messageId, String error) {
            calls.add("failed " + error);
        }
    };

    private final InstanceActivities instances = new WorkflowFakes.Instances() {
        @Override
        public void stepReached(String workflowId, String stepId) {}

        @Override
        public void checkpoint(String workflowId, Checkpoint checkpoint) {}

        @Override
        public void ended(String workflowId, InstanceStatus status, String reason) {
            calls.add("ended " + status);
        }

        @Override
        public JourneyDefinition definition(String projectId, String journeyId, int version) {
            return WorkflowFakes.structure(definition);
        }
    };
    private volatile JourneyDefinition definition;

    private final SubjectActivities subject = new WorkflowFakes.Subject() {
        @Override
        public int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions) {
            return -1;
        }

        @Override
        public void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                               List<String> causedBy) {}

        @Override
        public String timezone(String projectId, String subjectType, String subjectId) {
            return "UTC";
        }
    };

    private long start;

    @BeforeEach
    void startEnv() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(JourneyIds.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        ((WorkflowFakes.Instances) instances).delivery = delivery;
        worker.registerActivitiesImplementations(messages, instances, subject, delivery);
        env.start();
        start = env.currentTimeMillis();
        quietEndsAt = start + QUIET.toMillis();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private WorkflowStub run(String steps, String exitOn) throws Exception {
        JourneyDefinition journey = JSON.readValue("{\"name\": \"D\", \"trigger\": {\"event\": \"order\"}" + exitOn
                + ", \"steps\": [" + steps + "]}", JourneyDefinition.class);
        definition = journey;
        JourneyInput input = new JourneyInput("demo", "j1", 1,
                new EntryEvent(7, "e-7", "order", "user", "u1", Map.of("orderId", "o1"), "2026-11-27T10:00:00Z"));
        JourneyWorkflow workflow = env.getWorkflowClient().newWorkflowStub(JourneyWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(JourneyIds.TASK_QUEUE)
                        .setWorkflowId(JourneyIds.workflowId("j1", "user", "u1", 7)).build());
        WorkflowClient.start(workflow::run, input);
        return WorkflowStub.fromTyped(workflow);
    }

    private static final String STEPS = """
            {"id": "receipt", "type": "message", "channel": "push", "transactional": true, "template": {"title": "r"}, "next": "promo"},
            {"id": "promo", "type": "message", "channel": "push", "template": {"title": "p"}, "next": null}""";

    @Test
    void aHeldMessageSleepsUntilTheQuietHoursEndAndIsAdmittedAgain() throws Exception {
        WorkflowStub stub = run(STEPS, "");
        assertEquals("completed", stub.getResult(String.class));
        assertEquals(List.of("admit receipt transactional=true", "send receipt at +0m", "admit promo transactional=false",
                "admit promo transactional=false", "send promo at +420m", "ended completed"), calls);
    }

    @Test
    void aCappedMessageIsNotSent() throws Exception {
        capAll = true;
        assertEquals("completed", run(STEPS, "").getResult(String.class));
        // Both messages reached the policy and the instance ran to its end: the missing sends are the cap at work.
        assertEquals(List.of("admit receipt transactional=true", "admit promo transactional=false", "ended completed"), calls);
    }

    @Test
    void anInstanceThatExitsWhileAMessageIsHeldDoesNotSendIt() throws Exception {
        WorkflowStub stub = run(STEPS, ", \"exitOn\": [{\"event\": \"refund\"}]");
        env.sleep(Duration.ofHours(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, new InboundEvent(8, "refund", Map.of(), "2026-11-27T11:00:00Z"));
        assertEquals("exited", stub.getResult(String.class));
        assertTrue(calls.contains("failed not sent: the journey ended while the message was held for quiet hours"), calls.toString());
        assertEquals(1, calls.stream().filter(c -> c.startsWith("send")).count(), calls.toString());
    }
}
