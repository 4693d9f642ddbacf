package dev.journey.worker.journey;

import static dev.journey.worker.journey.WorkflowFakes.ABANDONED_CART;
import static dev.journey.worker.journey.WorkflowFakes.POST_PURCHASE;
import static dev.journey.worker.journey.WorkflowFakes.WITH_EXIT_AND_GOAL;
import static dev.journey.worker.journey.WorkflowFakes.WORKFLOW_ID;
import static dev.journey.worker.journey.WorkflowFakes.event;
import static dev.journey.worker.journey.WorkflowFakes.input;
import static dev.journey.worker.journey.WorkflowFakes.resumed;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.EntryEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


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
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * The interpreter on Temporal's time-skipping test server, one test per step type and per way a
 * journey ends. The activities record what the workflow asked of them.
 */
class JourneyWorkflowTest {

    private TestWorkflowEnvironment env;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> handedOff = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean failSends;
    private volatile String timezone = "UTC";
    private volatile long endedAt;
    private volatile Checkpoint lastCheckpoint;
    /** The version the started instance runs: what the definition activity answers. */
    private volatile JourneyDefinition definition;

    private final MessageActivities messages = new MessageActivities() {
        @Override
        public MessageOutcome send(SendMessage m) {
            // As the real activity: a message id is handed off once. A local activity runs again when the workflow
            // task that ran it fails (its result was never recorded); under a loaded test server that happens.
            if (!failSends && !handedOff.add(m.messageId())) {
                return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
            }
            calls.add("send " + m.stepId() + " at " + env.currentTimeMillis() + " key " + m.messageId());
            calls.add("template " + m.stepId() + " " + m.template());
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

    private final InstanceActivities instances = new WorkflowFakes.Instances() {
        @Override
        public void stepReached(String workflowId, String stepId) {
            calls.add("step " + stepId);
        }

        @Override
        public void checkpoint(String workflowId, Checkpoint checkpoint) {
            lastCheckpoint = checkpoint;
            calls.add("step " + checkpoint.stepId());
        }

        @Override
        public void ended(String workflowId, InstanceStatus status, String reason) {
            endedAt = env.currentTimeMillis();
            calls.add("ended " + status + (reason == null ? "" : " (" + reason + ")"));
        }

        @Override
        public JourneyDefinition definition(String projectId, String journeyId, int version) {
            calls.add("definition " + journeyId + " v" + version);
            return WorkflowFakes.structure(definition);
        }
    };

    private final SubjectActivities subject = new WorkflowFakes.Subject() {
        @Override
        public int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions) {
            return WorkflowFakes.firstMatch(entryEvent, conditions);
        }

        @Override
        public void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                               List<String> causedBy) {
            calls.add("tags " + subjectId + " " + new java.util.TreeMap<>(tags));
            calls.add("tags event " + eventId + " causedBy " + causedBy);
        }

        @Override
        public String timezone(String projectId, String subjectType, String subjectId) {
            return timezone;
        }
    };

    @BeforeEach
    void start() {
        env = WorkflowFakes.environment();
        Worker worker = env.newWorker(JourneyIds.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        // No delivery policy here (DeliveryWorkflowTest has it): every message is admitted at once.
        DeliveryActivities admitAll = new DeliveryActivities() {
            @Override
            public Admission admit(SendMessage m, long nowMillis) {
                return new Admission(Admission.QUEUED, 0);
            }
        };
        worker.registerActivitiesImplementations(messages, instances, subject, admitAll);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    /** Starts the instance as the API does: by reference (the definition activity answers with the input's definition). */
    private WorkflowStub start(JourneyInput input) {
        definition = input.journey();
        return startWith(WorkflowFakes.byReference(input));
    }

    /** Starts with exactly this input (one carrying its definition, as runs were started before references). */
    private WorkflowStub startWith(JourneyInput input) {
        JourneyWorkflow workflow = env.getWorkflowClient().newWorkflowStub(JourneyWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(JourneyIds.TASK_QUEUE).setWorkflowId(WORKFLOW_ID).build());
        WorkflowClient.start(workflow::run, input);
        return WorkflowStub.fromTyped(workflow);
    }

    private String run(JourneyInput input) {
        return start(input).getResult(String.class);
    }

    private List<String> sends() {
        return calls.stream().filter(c -> c.startsWith("send")).map(c -> c.split(" ")[1]).collect(Collectors.toList());
    }

    private long sentAt(String stepId) {
        return calls.stream().filter(c -> c.startsWith("send " + stepId + " ")).map(c -> Long.parseLong(c.split(" ")[3]))
                .findFirst().orElseThrow();
    }

    @Test
    void messageAndThreeDayWaitCompleteInSecondsOfWallTime() throws Exception {
        long wallStart = System.nanoTime();
        long testStart = env.currentTimeMillis();

        assertEquals("completed", run(input(POST_PURCHASE, Map.of())));

        long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        assertTrue(wallMillis < 10_000, "took " + wallMillis + " ms of wall time");
        assertTrue(env.currentTimeMillis() - testStart >= Duration.ofDays(3).toMillis(), "test clock moved 3 days");
        assertEquals(List.of("thanks", "remind"), sends());
        assertTrue(sentAt("remind") - sentAt("thanks") >= Duration.ofDays(3).toMillis());
        assertEquals(List.of("step thanks", "step pause", "step remind", "ended completed"),
                calls.stream().filter(c -> c.startsWith("step") || c.startsWith("ended")).toList());
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("send thanks") && c.endsWith(JourneyIds.messageId(WORKFLOW_ID, "thanks"))));
    }

    @Test
    void aNewRunRecordsOneVersionMarkerAndAdmitsEachMessageInTheCallThatBeginsItsStep() throws Exception {
        assertEquals("completed", run(input(POST_PURCHASE, Map.of())));
        List<String> versions = new ArrayList<>();
        List<String> localActivities = new ArrayList<>();
        for (io.temporal.api.history.v1.HistoryEvent e : env.getWorkflowClient().fetchHistory(WORKFLOW_ID).getEvents()) {
            if (e.hasMarkerRecordedEventAttributes()) {
                io.temporal.api.history.v1.MarkerRecordedEventAttributes marker = e.getMarkerRecordedEventAttributes();
                String key = marker.getMarkerName().equals("Version") ? "changeId" : "type";
                String value = marker.getDetailsOrThrow(key).getPayloads(0).getData().toStringUtf8().replace("\"", "");
                (key.equals("changeId") ? versions : localActivities).add(value);
            }
        }
        // Before: checkpoints, bounded-history, local-send, instance-path and delivery-policy, one marker each.
        assertEquals(List.of("all-changes-to-2026-12-04"), versions);
        // Before: StepBegun then Admit for each message step.
        assertEquals(List.of("Definition", "MessageStepBegun", "Send", "StepBegun", "MessageStepBegun", "Send", "Finished"),
                localActivities);
        assertEquals(List.of("step thanks", "step pause", "step remind", "ended completed"),
                calls.stream().filter(c -> c.startsWith("step") || c.startsWith("ended")).toList(), "every step still checkpointed");
    }

    @Test
    void aMessageThatFailsForGoodIsRecordedAndTheJourneyGoesOn() throws Exception {
        failSends = true;
        assertEquals("completed", run(input(POST_PURCHASE, Map.of())));
        assertEquals(2, calls.stream().filter(c -> c.startsWith("failed") && c.contains("HTTP 400")).count(), calls.toString());
    }

    @Test
    void waitUntilATimeOfDayInTheUsersTimezone() throws Exception {
        timezone = "Asia/Seoul";
        long before = env.currentTimeMillis();
        run(input("""
                {"name": "Morning", "trigger": {"event": "purchase"},
                 "steps": [{"id": "morning", "type": "wait", "until": "09:00", "next": "hello"},
                           {"id": "hello", "type": "message", "channel": "webhook", "template": {"body": "Good morning"}, "next": null}]}""",
                Map.of()));
        ZonedDateTime at = Instant.ofEpochMilli(sentAt("hello")).atZone(ZoneId.of("Asia/Seoul"));
        assertEquals(9, at.getHour());
        assertTrue(sentAt("hello") - before <= Duration.ofDays(1).toMillis(), "the next 09:00, not a later one");
    }

    @Test
    void waitForEventTakesTheEventPath() throws Exception {
        WorkflowStub stub = start(input(ABANDONED_CART, Map.of("cartId", "c1")));
        env.sleep(Duration.ofMinutes(10));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(20, "purchase", Map.of("cartId", "other")));
        env.sleep(Duration.ofMinutes(10));
        long signalledAt = env.currentTimeMillis();
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(21, "purchase", Map.of("cartId", "c1")));
        assertEquals("completed", stub.getResult(String.class));
        assertEquals(List.of("thanks"), sends());
        assertTrue(sentAt("thanks") - signalledAt < 1000, "reacted at once");
    }

    @Test
    void waitForEventTimesOut() throws Exception {
        long started = env.currentTimeMillis();
        assertEquals("completed", run(input(ABANDONED_CART, Map.of("cartId", "c1"))));
        assertEquals(List.of("remind"), sends());
        assertTrue(sentAt("remind") - started >= Duration.ofHours(1).toMillis());
    }

    @Test
    void anEventThatArrivedBeforeTheWaitStillCountsAndADuplicateCountsOnce() throws Exception {
        WorkflowStub stub = start(input("""
                {"name": "Two purchases", "trigger": {"event": "signup"},
                 "steps": [{"id": "hello", "type": "wait", "duration": "PT5M", "next": "first"},
                           {"id": "first", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "second", "onTimeout": null},
                           {"id": "second", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "vip", "onTimeout": "one"},
                           {"id": "vip", "type": "message", "channel": "webhook", "template": {"body": "VIP"}, "next": null},
                           {"id": "one", "type": "message", "channel": "webhook", "template": {"body": "Just one"}, "next": null}]}""", Map.of()));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(30, "purchase", Map.of()));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(30, "purchase", Map.of()));
        assertEquals("completed", stub.getResult(String.class));
        assertEquals(List.of("one"), sends(), "the early event counted once, the duplicate not at all");
    }

    @Test
    void branchTakesTheFirstCaseThatHoldsElseTheElse() throws Exception {
        String branch = """
                {"name": "Branch", "trigger": {"event": "purchase"},
                 "steps": [{"id": "b", "type": "branch",
                            "cases": [{"when": {"path": "entry_event.data.amount", "op": "gte", "value": 50000}, "next": "big"},
                                      {"when": {"path": "user.tags.tier", "op": "eq", "value": "gold"}, "next": "gold"}],
                            "else": "other"},
                           {"id": "big", "type": "message", "channel": "webhook", "template": {"body": "big"}, "next": null},
                           {"id": "gold", "type": "message", "channel": "webhook", "template": {"body": "gold"}, "next": null},
                           {"id": "other", "type": "message", "channel": "webhook", "template": {"body": "other"}, "next": null}]}""";
        run(input(branch, Map.of("amount", 10000)));
        assertEquals(List.of("gold"), sends());
    }

    @Test
    void branchElse() throws Exception {
        run(input("""
                {"name": "Branch", "trigger": {"event": "purchase"},
                 "steps": [{"id": "b", "type": "branch",
                            "cases": [{"when": {"path": "entry_event.data.amount", "op": "gte", "value": 50000}, "next": "big"}], "else": "other"},
                           {"id": "big", "type": "message", "channel": "webhook", "template": {"body": "big"}, "next": null},
                           {"id": "other", "type": "message", "channel": "webhook", "template": {"body": "other"}, "next": null}]}""",
                Map.of("amount", 10)));
        assertEquals(List.of("other"), sends());
    }

    @Test
    void splitSendsTheUserDownTheArmItsHashPicks() throws Exception {
        String split = """
                {"name": "AB", "trigger": {"event": "purchase"},
                 "steps": [{"id": "ab", "type": "split", "arms": [{"name": "A", "percent": 50, "next": "a"}, {"name": "B", "percent": 50, "next": "b"}]},
                           {"id": "a", "type": "message", "channel": "webhook", "template": {"body": "A"}, "next": null},
                           {"id": "b", "type": "message", "channel": "webhook", "template": {"body": "B"}, "next": null}]}""";
        JourneyInput in = input(split, Map.of());
        run(in);
        String expected = ((dev.journey.worker.dsl.SplitStep) in.journey().step("ab")).armFor("j1", "u1").next();
        assertEquals(List.of(expected), sends());
    }

    @Test
    void updateTagsAndExit() throws Exception {
        assertEquals("exited", run(input("""
                {"name": "Tag", "trigger": {"event": "purchase"},
                 "steps": [{"id": "t", "type": "updateTags", "tags": {"tier": "gold", "trial": null}, "next": "out"},
                           {"id": "out", "type": "exit"}]}""", Map.of())));
        assertTrue(calls.contains("tags u1 {tier=gold, trial=null}"), calls.toString());
        assertTrue(calls.contains("ended exited (exit step out)"), calls.toString());
    }

    @Test
    void anExitOnEventEndsTheInstanceWhileItWaits() throws Exception {
        WorkflowStub stub = start(input(WITH_EXIT_AND_GOAL, Map.of("orderId", "o1")));
        env.sleep(Duration.ofHours(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(40, "refund", Map.of("orderId", "o2")));
        env.sleep(Duration.ofHours(1));
        long refundAt = env.currentTimeMillis();
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(41, "refund", Map.of("orderId", "o1")));
        assertEquals("exited", stub.getResult(String.class));
        assertEquals(List.of(), sends());
        assertTrue(calls.contains("ended exited (exitOn refund)"), calls.toString());
        // Measured when the instance recorded its end: once the workflow is over, the test server's clock runs free.
        long after = endedAt - refundAt;
        assertTrue(after < Duration.ofMinutes(1).toMillis(), "ended at once, not after the 3-day wait: " + after + " ms later");
    }

    @Test
    void theGoalConvertsAndEnds() throws Exception {
        WorkflowStub stub = start(input(WITH_EXIT_AND_GOAL, Map.of("orderId", "o1")));
        env.sleep(Duration.ofDays(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(50, "review_written", Map.of()));
        assertEquals("converted", stub.getResult(String.class));
        assertTrue(calls.contains("ended converted (goal review_written)"), calls.toString());
    }

    /** A run that takes over from a checkpoint, as InstanceRecovery builds it after a restart. */
    @Test
    void eachStepIsCheckpointedWithTheDeadlineOfItsWait() throws Exception {
        WorkflowStub stub = start(input(POST_PURCHASE, Map.of()));
        env.sleep(Duration.ofHours(1));
        Checkpoint atPause = lastCheckpoint;
        assertEquals("pause", atPause.stepId());
        long remaining = atPause.wakeAtMillis() - env.currentTimeMillis();
        assertTrue(Math.abs(remaining - Duration.ofDays(3).minusHours(1).toMillis()) < Duration.ofMinutes(1).toMillis(),
                "deadline 3 days after the step began: " + remaining);
        stub.getResult(String.class);
    }

    @Test
    void aResumedWaitKeepsTheTimeItHadLeftAndTheStepsBeforeItAreNotRepeated() throws Exception {
        long now = env.currentTimeMillis();
        Checkpoint checkpoint = new Checkpoint("pause", now + Duration.ofHours(2).toMillis(), List.of(), List.of());
        assertEquals("completed", run(resumed(input(POST_PURCHASE, Map.of()), checkpoint, List.of())));
        assertEquals(List.of("remind"), sends(), "the message before the wait was sent by the run that checkpointed");
        long waited = sentAt("remind") - now;
        assertTrue(waited >= Duration.ofHours(2).toMillis() && waited < Duration.ofHours(3).toMillis(),
                "waited what was left (2 h), not the whole 3 days again: " + waited + " ms");
    }

    @Test
    void aResumedWaitForEventSeesAnEventThatArrivedWhileNothingRanIt() throws Exception {
        long now = env.currentTimeMillis();
        Checkpoint checkpoint = new Checkpoint("wait", now - Duration.ofMinutes(10).toMillis(), List.of(), List.of());
        InboundEvent beforeDeadline = new InboundEvent(80, "purchase", Map.of("cartId", "c1"), "2026-11-27T10:30:00Z",
                now - Duration.ofMinutes(20).toMillis());
        assertEquals("completed", run(resumed(input(ABANDONED_CART, Map.of("cartId", "c1")), checkpoint, List.of(beforeDeadline))));
        assertEquals(List.of("thanks"), sends());
    }

    @Test
    void aResumedWaitForEventPastItsDeadlineIgnoresAnEventReceivedAfterIt() throws Exception {
        long now = env.currentTimeMillis();
        Checkpoint checkpoint = new Checkpoint("wait", now - Duration.ofMinutes(10).toMillis(), List.of(), List.of());
        InboundEvent late = new InboundEvent(81, "purchase", Map.of("cartId", "c1"), "2026-11-27T10:30:00Z",
                now - Duration.ofMinutes(5).toMillis());
        long started = env.currentTimeMillis();
        assertEquals("completed", run(resumed(input(ABANDONED_CART, Map.of("cartId", "c1")), checkpoint, List.of(late))));
        assertEquals(List.of("remind"), sends(), "timed out at its deadline, before the purchase");
        assertTrue(sentAt("remind") - started < Duration.ofMinutes(1).toMillis(), "at once: the deadline had passed");
    }

    @Test
    void aResumedRunHearsItsUnusedEventsAgainButNotTheOnesItUsed() throws Exception {
        String twoPurchases = """
                {"name": "Two purchases", "trigger": {"event": "signup"},
                 "steps": [{"id": "first", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "second", "onTimeout": null},
                           {"id": "second", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "vip", "onTimeout": "one"},
                           {"id": "vip", "type": "message", "channel": "webhook", "template": {"body": "VIP"}, "next": null},
                           {"id": "one", "type": "message", "channel": "webhook", "template": {"body": "Just one"}, "next": null}]}""";
        long wakeAt = env.currentTimeMillis() + Duration.ofHours(12).toMillis();
        // Purchase 30 took it past "first"; 31 was heard and not yet used; both come back from the event table.
        Checkpoint checkpoint = new Checkpoint("second", wakeAt, List.of(30L, 31L), List.of(31L));
        run(resumed(input(twoPurchases, Map.of()), checkpoint, List.of(event(30, "purchase", Map.of()), event(31, "purchase", Map.of()))));
        assertEquals(List.of("vip"), sends());
        assertEquals(List.of(30L, 31L), lastCheckpoint.seen());
    }

    @Test
    void stopEndsItWhereverItIs() throws Exception {
        WorkflowStub stub = start(input(WITH_EXIT_AND_GOAL, Map.of("orderId", "o1")));
        env.sleep(Duration.ofHours(2));
        stub.signal(JourneyWorkflow.STOP_SIGNAL, "archived");
        assertEquals("exited", stub.getResult(String.class));
        assertTrue(calls.contains("ended exited (archived)"), calls.toString());
    }

    // --- issue 11: references, visits, bounded waits, system events

    private static final String NUDGE_LOOP = """
            {"name": "Nudge", "trigger": {"event": "signup"},
             "steps": [{"id": "wait", "type": "waitForEvent", "event": "click", "timeout": "P1D", "onEvent": "nudge", "onTimeout": null},
                       {"id": "nudge", "type": "message", "channel": "webhook", "template": {"body": "Hi"}, "next": "wait"}]}""";

    private List<String> keys(String stepId) {
        return calls.stream().filter(c -> c.startsWith("send " + stepId + " ")).map(c -> c.substring(c.indexOf(" key ") + 5)).toList();
    }

    @Test
    void aStartByReferenceReadsTheVersionOnceAndSendsCarryNoTemplateBody() throws Exception {
        assertEquals("completed", run(input(POST_PURCHASE, Map.of())));
        assertEquals(List.of("definition j1 v1"), calls.stream().filter(c -> c.startsWith("definition")).toList());
        assertEquals(List.of("template thanks null", "template remind null"),
                calls.stream().filter(c -> c.startsWith("template")).toList(), "the send reads the step's template itself");
    }

    @Test
    void anInputThatCarriesItsDefinitionAsRunsStartedBeforeReferencesStillRunsWithIt() throws Exception {
        assertEquals("completed", startWith(input(POST_PURCHASE, Map.of())).getResult(String.class));
        assertEquals(List.of(), calls.stream().filter(c -> c.startsWith("definition")).toList(), "the version was not read");
        assertEquals(List.of("template thanks {body=Thanks}", "template remind {body=Review it?}"),
                calls.stream().filter(c -> c.startsWith("template")).toList());
    }

    @Test
    void aMessageStepPassedAgainInALoopSendsAgainUnderTheIdOfThatVisit() throws Exception {
        WorkflowStub stub = start(input(NUDGE_LOOP, Map.of()));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(60, "click", Map.of()));
        env.sleep(Duration.ofHours(2));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(61, "click", Map.of()));
        env.sleep(Duration.ofHours(2));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(62, "click", Map.of()));
        assertEquals("completed", stub.getResult(String.class));
        String first = JourneyIds.messageId(WORKFLOW_ID, "nudge");
        assertEquals(List.of(first, first + ":2", first + ":3"), keys("nudge"), "the first visit keeps the id it always had");
        assertEquals(Map.of("wait", 3, "nudge", 3), lastCheckpoint.visits(), "the last wait began after three passes of each");
    }

    @Test
    void aResumedRunSendsUnderTheIdOfTheVisitTheCheckpointWasIn() throws Exception {
        // The dead run checkpointed "nudge" on its second visit: one pass of each step before it.
        Checkpoint checkpoint = new Checkpoint("nudge", null, List.of(60L, 61L), List.of(), Map.of("wait", 2, "nudge", 1));
        assertEquals("completed", run(resumed(input(NUDGE_LOOP, Map.of()), checkpoint, List.of())));
        assertEquals(List.of(JourneyIds.messageId(WORKFLOW_ID, "nudge") + ":2"), keys("nudge"));
    }

    private static final String LONG_WAIT_FOR_PURCHASE = """
            {"name": "Come back", "trigger": {"event": "cart_updated"},
             "steps": [{"id": "wait", "type": "waitForEvent", "event": "purchase",
                        "where": {"path": "data.cartId", "op": "eq", "valueFrom": "entry_event.data.cartId"},
                        "timeout": "P30D", "onEvent": "thanks", "onTimeout": "remind"},
                       {"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": null},
                       {"id": "remind", "type": "message", "channel": "webhook", "template": {"body": "Forgot something?"}, "next": null}]}""";

    /**
     * Purchases of other carts, each with data at the track API's limit (32 KiB), spread over a week:
     * enough history for Temporal's test server to suggest continue-as-new (it does past 4 MiB).
     */
    private void signalUnusedPurchases(WorkflowStub stub) {
        String filler = "x".repeat(32 * 1024 - 64);
        for (int i = 0; i < 160; i++) {
            stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(1000 + i, "purchase", Map.of("cartId", "other-" + i, "notes", filler)));
            if (i % 20 == 19) {
                env.sleep(Duration.ofDays(1));
            }
        }
    }

    /** How the instance's current run began (a continued run names the run it continues). */
    private io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes currentRunStart() {
        return env.getWorkflowClient().fetchHistory(WORKFLOW_ID).getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
    }

    @Test
    void aWaitThatHearsManyEventsItDoesNotUseContinuesAsNewAndStillTakesTheEventPath() throws Exception {
        long started = env.currentTimeMillis();
        start(input(LONG_WAIT_FOR_PURCHASE, Map.of("cartId", "c1")));
        WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID);
        signalUnusedPurchases(stub);

        io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes run = currentRunStart();
        assertTrue(!run.getContinuedExecutionRunId().isEmpty(), "the waiting instance continued as new");
        long input = run.getInput().getSerializedSize();
        assertTrue(input < JourneyState.MAX_INBOX_BYTES + 64 * 1024, "its input holds a bounded inbox: " + input + " bytes");

        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(2000, "purchase", Map.of("cartId", "c1")));
        assertEquals("completed", stub.getResult(60, java.util.concurrent.TimeUnit.SECONDS, String.class));
        assertEquals(List.of("thanks"), sends());
        assertTrue(sentAt("thanks") - started < Duration.ofDays(30).toMillis());
    }

    @Test
    void aWaitThatContinuedAsNewKeepsItsDeadline() throws Exception {
        long started = env.currentTimeMillis();
        start(input(LONG_WAIT_FOR_PURCHASE, Map.of("cartId", "c1")));
        WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID);
        signalUnusedPurchases(stub);
        assertTrue(!currentRunStart().getContinuedExecutionRunId().isEmpty(), "the waiting instance continued as new");

        assertEquals("completed", stub.getResult(60, java.util.concurrent.TimeUnit.SECONDS, String.class));
        assertEquals(List.of("remind"), sends());
        long waited = sentAt("remind") - started;
        assertTrue(Math.abs(waited - Duration.ofDays(30).toMillis()) < Duration.ofMinutes(1).toMillis(),
                "timed out 30 days after the wait began, not 30 days after the new run began: " + Duration.ofMillis(waited));
    }

    @Test
    void anUpdateTagsStepNamesItsEventAndItsCause() throws Exception {
        String tagging = """
                {"name": "Tag", "trigger": {"event": "purchase"},
                 "steps": [{"id": "t", "type": "updateTags", "tags": {"tier": "gold"}, "next": null}]}""";
        run(input(tagging, Map.of("causedBy", List.of("j0", "j7"))));
        assertTrue(calls.contains("tags event " + JourneyIds.systemEventId("@tags_changed", WORKFLOW_ID, "t", 1) + " causedBy [j0, j7, j1]"),
                calls.toString());
    }

    @Test
    void aCausedByThatIsNotAListOfStringsIsIgnored() throws Exception {
        String tagging = """
                {"name": "Tag", "trigger": {"event": "purchase"},
                 "steps": [{"id": "t", "type": "updateTags", "tags": {"tier": "gold"}, "next": null}]}""";
        run(input(tagging, Map.of("causedBy", List.of("j0", 5))));
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("tags event @tags_changed:") && c.endsWith(" causedBy [j1]")), calls.toString());
    }
}
