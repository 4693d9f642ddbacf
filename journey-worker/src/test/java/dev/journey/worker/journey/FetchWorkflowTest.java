package dev.journey.worker.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.fetch.FetchActivities;
import dev.journey.worker.fetch.FetchActivitiesImpl;
import dev.journey.worker.fetch.FetchAnswer;
import dev.journey.worker.fetch.FetchCall;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.MessageActivities;
import dev.journey.worker.message.MessageOutcome;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.subject.ConditionContext;
import dev.journey.worker.subject.SubjectActivitiesImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * The fetch step in the interpreter, on the time-skipping test server: its retries are the
 * activity's, its answer reaches a later branch and message as {@code fetched.<id>}, its failure
 * takes {@code onFailure}, and the path says how it went. The HTTP side is FetchStepTest's (journey-api).
 */
class FetchWorkflowTest {
    private static final String PROFILE = """
            {"name": "Profile", "trigger": {"event": "purchase"},
             "steps": [{"id": "profile", "type": "fetch", "request": {"url": "https://api.example.com/u/<< entry_event.subjectId >>"},
                        "timeout": "PT2S", "retries": 1, "next": "decide", "onFailure": "sorry"},
                       {"id": "decide", "type": "branch", "cases": [{"when": {"path": "fetched.profile.tier", "op": "eq", "value": "gold"},
                                                                     "next": "gold"}], "else": "plain"},
                       {"id": "gold", "type": "message", "channel": "webhook", "template": {"body": "Gold"}, "next": null},
                       {"id": "plain", "type": "message", "channel": "webhook", "template": {"body": "Plain"}, "next": null},
                       {"id": "sorry", "type": "message", "channel": "webhook", "template": {"body": "Sorry"}, "next": null}]}""";

    private TestWorkflowEnvironment env;
    private final List<SendMessage> sent = new CopyOnWriteArrayList<>();
    private final List<FetchCall> fetches = new CopyOnWriteArrayList<>();
    private final List<PathStep> path = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempt = new AtomicInteger();
    /** What the fake endpoint does on attempt n (from 1): answer, or throw as the real activity does. */
    private volatile IntFunction<FetchAnswer> endpoint;
    private volatile JourneyDefinition definition;

    @BeforeEach
    void start() {
        env = WorkflowFakes.environment();
        Worker worker = env.newWorker(JourneyIds.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        MessageActivities messages = new MessageActivities() {
            @Override
            public MessageOutcome send(SendMessage m) {
                sent.add(m);
                return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
            }

            @Override
            public void markFailed(String messageId, String error) {}
        };
        InstanceActivities instances = new WorkflowFakes.Instances() {
            @Override
            public void stepReached(String workflowId, String stepId) {}

            @Override
            public void checkpoint(String workflowId, Checkpoint checkpoint) {}

            @Override
            public void stepBegun(String workflowId, Checkpoint checkpoint, List<PathStep> steps) {
                path.addAll(steps.stream().filter(s -> s.leftAtMillis() != null).toList());
            }

            @Override
            public void finished(String workflowId, Ending ending, List<PathStep> steps) {
                path.addAll(steps);
            }

            @Override
            public void ended(String workflowId, InstanceStatus status, String reason) {}

            @Override
            public JourneyDefinition definition(String projectId, String journeyId, int version) {
                return WorkflowFakes.structure(definition);
            }
        };
        WorkflowFakes.Subject subject = new WorkflowFakes.Subject() {
            @Override
            public int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions) {
                throw new AssertionError("new runs choose cases with chooseCase");
            }

            @Override
            public CaseChosen chooseCase(String projectId, EntryEvent entryEvent, List<Condition> conditions, Map<String, Object> fetched) {
                return SubjectActivitiesImpl.chooseCase(conditions, ConditionContext.of(entryEvent, Map.of(), fetched), Facts.NONE);
            }

            @Override
            public void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                                   List<String> causedBy) {}

            @Override
            public String timezone(String projectId, String subjectType, String subjectId) {
                return "UTC";
            }
        };
        DeliveryActivities admitAll = (m, now) -> new Admission(Admission.QUEUED, 0);
        FetchActivities fetch = call -> {
            fetches.add(call);
            return endpoint.apply(attempt.incrementAndGet());
        };
        worker.registerActivitiesImplementations(messages, instances, subject, admitAll, fetch);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private String run() throws Exception {
        JourneyInput input = WorkflowFakes.input(PROFILE, Map.of());
        definition = input.journey();
        JourneyWorkflow workflow = env.getWorkflowClient().newWorkflowStub(JourneyWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(JourneyIds.TASK_QUEUE).setWorkflowId(WorkflowFakes.WORKFLOW_ID).build());
        WorkflowClient.start(workflow::run, WorkflowFakes.byReference(input));
        return io.temporal.client.WorkflowStub.fromTyped(workflow).getResult(String.class);
    }

    private static ApplicationFailure retryable(int status) {
        return ApplicationFailure.newFailure("HTTP " + status + " from the endpoint", FetchActivitiesImpl.RETRYABLE, status);
    }

    private Map<String, Object> outcomeOf(String stepId) {
        return path.stream().filter(s -> s.stepId().equals(stepId)).findFirst().orElseThrow().outcome();
    }

    @Test
    void aRetriedFetchAnswersOnceAndTheBranchAndTheMessageSeeIt() throws Exception {
        endpoint = n -> {
            if (n == 1) {
                throw retryable(500);
            }
            return new FetchAnswer(200, true, null, Map.of("tier", "gold"), n);
        };
        assertEquals("completed", run());
        assertEquals(2, fetches.size());
        assertEquals(JourneyIds.fetchKey(WorkflowFakes.WORKFLOW_ID, "profile", 1), fetches.get(0).idempotencyKey());
        assertEquals(fetches.get(0).idempotencyKey(), fetches.get(1).idempotencyKey(), "one key on every attempt");
        assertEquals(2000, fetches.get(0).timeoutMillis());
        assertEquals(List.of("gold"), sent.stream().map(SendMessage::stepId).toList());
        assertEquals(Map.of("profile", Map.of("tier", "gold")), sent.get(0).fetched());
        assertEquals(Map.of("status", 200, "ok", true, "attempts", 2, "next", "decide"), outcomeOf("profile"));
    }

    @Test
    void aFetchThatFailsAfterItsRetriesTakesOnFailureWithNothingFetched() throws Exception {
        endpoint = n -> {
            throw retryable(503);
        };
        assertEquals("completed", run());
        assertEquals(2, fetches.size(), "retries: 1");
        assertEquals(List.of("sorry"), sent.stream().map(SendMessage::stepId).toList());
        assertNull(sent.get(0).fetched());
        assertEquals(Map.of("status", 503, "ok", false, "error", "HTTP 503 from the endpoint", "attempts", 2, "next", "sorry"),
                outcomeOf("profile"));
    }

    @Test
    void anAnswerThatRetryingCannotCureIsNotRetried() throws Exception {
        endpoint = n -> FetchAnswer.failure(404, "HTTP 404 from the endpoint", n);
        assertEquals("completed", run());
        assertEquals(1, fetches.size());
        assertEquals(List.of("sorry"), sent.stream().map(SendMessage::stepId).toList());
        assertEquals(Map.of("status", 404, "ok", false, "error", "HTTP 404 from the endpoint", "attempts", 1, "next", "sorry"),
                outcomeOf("profile"));
    }
}
