package dev.journey.worker.journey;

import static dev.journey.worker.journey.WorkflowFakes.ABANDONED_CART;
import static dev.journey.worker.journey.WorkflowFakes.POST_PURCHASE;
import static dev.journey.worker.journey.WorkflowFakes.WITH_EXIT_AND_GOAL;
import static dev.journey.worker.journey.WorkflowFakes.WORKFLOW_ID;
import static dev.journey.worker.journey.WorkflowFakes.event;
import static dev.journey.worker.journey.WorkflowFakes.input;
import static dev.journey.worker.journey.WorkflowFakes.resumed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;


import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.fetch.FetchActivities;
import dev.journey.worker.fetch.FetchActivitiesImpl;
import dev.journey.worker.fetch.FetchAnswer;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.MessageActivities;
import dev.journey.worker.message.MessageOutcome;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.subject.SubjectActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;

/**
 * Writes the histories that {@link StoredHistoriesReplayTest} replays: representative journeys run
 * to their end on the time-skipping test server with the workflow code as it is now, one file per
 * journey in {@code src/test/resources/histories}. Run it before changing workflow code, so the
 * code that instances already running were started with is kept as histories (see the README
 * there). Off unless {@code -Drecord.histories=true}: a normal run must not rewrite them.
 *
 * <p>Files are named {@code <label>-<journey>.json}; the label is {@code -Drecord.label} or today's
 * date. An existing file is never overwritten: it is an earlier version's history.
 */
@EnabledIfSystemProperty(named = "record.histories", matches = "true")
class HistoryRecorderTest {

    private TestWorkflowEnvironment env;
    private volatile boolean failSends;
    private volatile String timezone = "UTC";
    /** What the delivery policy answers, given the workflow's clock. */
    private volatile LongFunction<Admission> admission = now -> new Admission(Admission.QUEUED, 0);

    private final MessageActivities messages = new MessageActivities() {
        @Override
        public MessageOutcome send(SendMessage m) {
            if (failSends) {
                throw ApplicationFailure.newNonRetryableFailure("HTTP 400: rejected", "Rejected");
            }
            return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
        }

        @Override
        public void markFailed(String messageId, String error) {}
    };

    private final InstanceActivities instances = new WorkflowFakes.Instances() {
        @Override
        public void stepReached(String workflowId, String stepId) {}

        @Override
        public void checkpoint(String workflowId, Checkpoint checkpoint) {}

        @Override
        public void ended(String workflowId, InstanceStatus status, String reason) {}

        @Override
        public JourneyDefinition definition(String projectId, String journeyId, int version) {
            return WorkflowFakes.structure(definition);
        }
    };
    /** The version the instance runs, read by reference as the API starts instances. */
    private volatile JourneyDefinition definition;

    private final SubjectActivities subject = new WorkflowFakes.Subject() {
        @Override
        public int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions) {
            return WorkflowFakes.firstMatch(entryEvent, conditions);
        }

        /** With something fetched, the conditions see it (as the real activity's do); without, as before. */
        @Override
        public CaseChosen chooseCase(String projectId, EntryEvent entryEvent, List<Condition> conditions, Map<String, Object> fetched) {
            if (fetched == null) {
                return super.chooseCase(projectId, entryEvent, conditions, null);
            }
            return dev.journey.worker.subject.SubjectActivitiesImpl.chooseCase(conditions,
                    dev.journey.worker.subject.ConditionContext.of(entryEvent, Map.of(), fetched), dev.journey.worker.dsl.Facts.NONE);
        }

        @Override
        public void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                               List<String> causedBy) {}

        @Override
        public String timezone(String projectId, String subjectType, String subjectId) {
            return timezone;
        }
    };

    private final DeliveryActivities delivery = new DeliveryActivities() {
        @Override
        public Admission admit(SendMessage m, long nowMillis) {
            return m.transactional() ? new Admission(Admission.QUEUED, 0) : admission.apply(nowMillis);
        }
    };

    /** The fetch endpoint: a 500 on the first attempt of each fetch, then {"tier": "gold"} (or a 404 for a "missing" URL). */
    private final java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final FetchActivities fetches = call -> {
        if (call.request().url().contains("missing")) {
            return FetchAnswer.failure(404, "HTTP 404 from the endpoint", 1);
        }
        if (failedOnce.add(call.idempotencyKey())) {
            throw ApplicationFailure.newFailure("HTTP 500 from the endpoint", FetchActivitiesImpl.RETRYABLE, 500);
        }
        return new FetchAnswer(200, true, null, Map.of("tier", "gold"), 2);
    };

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(JourneyIds.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        ((WorkflowFakes.Instances) instances).delivery = delivery;
        worker.registerActivitiesImplementations(messages, instances, subject, delivery, fetches);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private static final String TWO_PURCHASES = """
            {"name": "Two purchases", "trigger": {"event": "signup"},
             "steps": [{"id": "hello", "type": "wait", "duration": "PT5M", "next": "first"},
                       {"id": "first", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "second", "onTimeout": null},
                       {"id": "second", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "vip", "onTimeout": "one"},
                       {"id": "vip", "type": "message", "channel": "webhook", "template": {"body": "VIP"}, "next": null},
                       {"id": "one", "type": "message", "channel": "webhook", "template": {"body": "Just one"}, "next": null}]}""";

    private static final String RECEIPT_AND_PROMO = """
            {"name": "Order", "trigger": {"event": "order"}, "exitOn": [{"event": "refund"}],
             "steps": [{"id": "receipt", "type": "message", "channel": "push", "transactional": true, "template": {"title": "r"}, "next": "promo"},
                       {"id": "promo", "type": "message", "channel": "push", "template": {"title": "p"}, "next": null}]}""";

    @Test
    void messageWaitMessage() throws Exception {
        record("message-wait-message", start(input(POST_PURCHASE, Map.of())), "completed");
    }

    @Test
    void waitUntilATimeOfDayInTheUsersTimezone() throws Exception {
        timezone = "Asia/Seoul";
        record("wait-until-time-of-day", start(input("""
                {"name": "Morning", "trigger": {"event": "purchase"},
                 "steps": [{"id": "morning", "type": "wait", "until": "09:00", "next": "hello"},
                           {"id": "hello", "type": "message", "channel": "webhook", "template": {"body": "Good morning"}, "next": null}]}""",
                Map.of())), "completed");
    }

    @Test
    void waitForEventMet() throws Exception {
        WorkflowStub stub = start(input(ABANDONED_CART, Map.of("cartId", "c1")));
        env.sleep(Duration.ofMinutes(10));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(20, "purchase", Map.of("cartId", "other")));
        env.sleep(Duration.ofMinutes(10));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(21, "purchase", Map.of("cartId", "c1")));
        record("wait-for-event-met", stub, "completed");
    }

    @Test
    void waitForEventTimesOut() throws Exception {
        record("wait-for-event-timeout", start(input(ABANDONED_CART, Map.of("cartId", "c1"))), "completed");
    }

    @Test
    void anEarlyEventAndADuplicate() throws Exception {
        WorkflowStub stub = start(input(TWO_PURCHASES, Map.of()));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(30, "purchase", Map.of()));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(30, "purchase", Map.of()));
        record("early-event-and-duplicate", stub, "completed");
    }

    @Test
    void branch() throws Exception {
        record("branch", start(input("""
                {"name": "Branch", "trigger": {"event": "purchase"},
                 "steps": [{"id": "b", "type": "branch",
                            "cases": [{"when": {"path": "entry_event.data.amount", "op": "gte", "value": 50000}, "next": "big"},
                                      {"when": {"path": "user.tags.tier", "op": "eq", "value": "gold"}, "next": "gold"}],
                            "else": "other"},
                           {"id": "big", "type": "message", "channel": "webhook", "template": {"body": "big"}, "next": null},
                           {"id": "gold", "type": "message", "channel": "webhook", "template": {"body": "gold"}, "next": null},
                           {"id": "other", "type": "message", "channel": "webhook", "template": {"body": "other"}, "next": null}]}""",
                Map.of("amount", 10000))), "completed");
    }

    @Test
    void split() throws Exception {
        record("split", start(input("""
                {"name": "AB", "trigger": {"event": "purchase"},
                 "steps": [{"id": "ab", "type": "split", "arms": [{"name": "A", "percent": 50, "next": "a"}, {"name": "B", "percent": 50, "next": "b"}]},
                           {"id": "a", "type": "message", "channel": "webhook", "template": {"body": "A"}, "next": null},
                           {"id": "b", "type": "message", "channel": "webhook", "template": {"body": "B"}, "next": null}]}""",
                Map.of())), "completed");
    }

    @Test
    void updateTagsAndExitStep() throws Exception {
        record("update-tags-and-exit-step", start(input("""
                {"name": "Tag", "trigger": {"event": "purchase"},
                 "steps": [{"id": "t", "type": "updateTags", "tags": {"tier": "gold", "trial": null}, "next": "out"},
                           {"id": "out", "type": "exit"}]}""", Map.of())), "exited");
    }

    @Test
    void exitOnAnEventWhileWaiting() throws Exception {
        WorkflowStub stub = start(input(WITH_EXIT_AND_GOAL, Map.of("orderId", "o1")));
        env.sleep(Duration.ofHours(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(40, "refund", Map.of("orderId", "o2")));
        env.sleep(Duration.ofHours(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(41, "refund", Map.of("orderId", "o1")));
        record("exit-on-event", stub, "exited");
    }

    @Test
    void goal() throws Exception {
        WorkflowStub stub = start(input(WITH_EXIT_AND_GOAL, Map.of("orderId", "o1")));
        env.sleep(Duration.ofDays(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(50, "review_written", Map.of()));
        record("goal", stub, "converted");
    }

    @Test
    void stoppedByAnArchive() throws Exception {
        WorkflowStub stub = start(input(WITH_EXIT_AND_GOAL, Map.of("orderId", "o1")));
        env.sleep(Duration.ofHours(2));
        stub.signal(JourneyWorkflow.STOP_SIGNAL, "archived");
        record("stop-signal", stub, "exited");
    }

    @Test
    void resumedWaitFromACheckpoint() throws Exception {
        long now = env.currentTimeMillis();
        Checkpoint checkpoint = new Checkpoint("pause", now + Duration.ofHours(2).toMillis(), List.of(), List.of());
        record("resumed-wait", start(resumed(input(POST_PURCHASE, Map.of()), checkpoint, List.of())), "completed");
    }

    @Test
    void resumedWaitForEventWithTheEventsItHadHeard() throws Exception {
        String twoPurchases = """
                {"name": "Two purchases", "trigger": {"event": "signup"},
                 "steps": [{"id": "first", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "second", "onTimeout": null},
                           {"id": "second", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": "vip", "onTimeout": "one"},
                           {"id": "vip", "type": "message", "channel": "webhook", "template": {"body": "VIP"}, "next": null},
                           {"id": "one", "type": "message", "channel": "webhook", "template": {"body": "Just one"}, "next": null}]}""";
        // Purchase 30 took it past "first"; 31 was heard and not yet used; both come back from the event table.
        long wakeAt = env.currentTimeMillis() + Duration.ofHours(12).toMillis();
        Checkpoint checkpoint = new Checkpoint("second", wakeAt, List.of(30L, 31L), List.of(31L));
        record("resumed-wait-for-event", start(resumed(input(twoPurchases, Map.of()), checkpoint,
                List.of(event(30, "purchase", Map.of()), event(31, "purchase", Map.of())))), "completed");
    }

    @Test
    void heldForQuietHoursThenSent() throws Exception {
        long quietEndsAt = env.currentTimeMillis() + Duration.ofHours(7).toMillis();
        admission = now -> now < quietEndsAt ? new Admission(Admission.HELD, quietEndsAt) : new Admission(Admission.QUEUED, 0);
        record("held-for-quiet-hours", start(input(RECEIPT_AND_PROMO, Map.of())), "completed");
    }

    @Test
    void exitWhileAMessageIsHeld() throws Exception {
        long quietEndsAt = env.currentTimeMillis() + Duration.ofHours(7).toMillis();
        admission = now -> now < quietEndsAt ? new Admission(Admission.HELD, quietEndsAt) : new Admission(Admission.QUEUED, 0);
        WorkflowStub stub = start(input(RECEIPT_AND_PROMO, Map.of()));
        env.sleep(Duration.ofHours(1));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(8, "refund", Map.of()));
        record("exit-while-held", stub, "exited");
    }

    @Test
    void capped() throws Exception {
        admission = now -> new Admission(Admission.CAPPED, 0);
        record("capped", start(input(RECEIPT_AND_PROMO, Map.of())), "completed");
    }

    @Test
    void aLoopThroughAMessageStep() throws Exception {
        WorkflowStub stub = start(input("""
                {"name": "Nudge", "trigger": {"event": "signup"},
                 "steps": [{"id": "wait", "type": "waitForEvent", "event": "click", "timeout": "P1D", "onEvent": "nudge", "onTimeout": null},
                           {"id": "nudge", "type": "message", "channel": "webhook", "template": {"body": "Hi"}, "next": "wait"}]}""",
                Map.of("causedBy", List.of("j0"))));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(60, "click", Map.of()));
        env.sleep(Duration.ofHours(2));
        stub.signal(JourneyWorkflow.EVENT_SIGNAL, event(61, "click", Map.of()));
        record("loop-through-message", stub, "completed");
    }

    @Test
    void aSendThatFailsForGood() throws Exception {
        failSends = true;
        record("failed-send", start(input(POST_PURCHASE, Map.of())), "completed");
    }

    @Test
    void aFetchRetriedThenUsedByABranchAndAFetchThatFails() throws Exception {
        record("fetch", start(input("""
                {"name": "Fetch", "trigger": {"event": "purchase"},
                 "steps": [{"id": "profile", "type": "fetch", "request": {"url": "https://api.example.com/u/<< entry_event.subjectId >>"},
                            "retries": 2, "next": "decide", "onFailure": null},
                           {"id": "decide", "type": "branch",
                            "cases": [{"when": {"path": "fetched.profile.tier", "op": "eq", "value": "gold"}, "next": "gold"}], "else": null},
                           {"id": "gold", "type": "message", "channel": "webhook", "template": {"body": "<< fetched.profile.tier >>"},
                            "next": "missing"},
                           {"id": "missing", "type": "fetch", "request": {"url": "https://api.example.com/missing"}, "retries": 0,
                            "next": null, "onFailure": "sorry"},
                           {"id": "sorry", "type": "message", "channel": "webhook", "template": {"body": "sorry"}, "next": null}]}""",
                Map.of())), "completed");
    }

    // --- helpers

    private WorkflowStub start(JourneyInput input) {
        definition = input.journey();
        JourneyWorkflow workflow = env.getWorkflowClient().newWorkflowStub(JourneyWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(JourneyIds.TASK_QUEUE).setWorkflowId(WORKFLOW_ID).build());
        WorkflowClient.start(workflow::run, WorkflowFakes.byReference(input));
        return WorkflowStub.fromTyped(workflow);
    }

    /**
     * Runs the instance to its end, checks it ended as the journey says (a history of a journey gone
     * wrong would guard the wrong behaviour), replays it once, and writes it.
     */
    private void record(String name, WorkflowStub stub, String expectedEnd) throws Exception {
        assertEquals(expectedEnd, stub.getResult(String.class), name);
        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WORKFLOW_ID);
        WorkflowReplayer.replayWorkflowExecution(history, JourneyWorkflowImpl.class);
        Path file = directory().resolve(label() + "-" + name + ".json");
        if (Files.exists(file)) {
            throw new AssertionError(file + " exists: it is an earlier version's history, keep it;"
                    + " record under another label (-Drecord.label=...)");
        }
        Files.writeString(file, history.toJson(true) + "\n", StandardCharsets.UTF_8);
        System.out.println("recorded " + file);
    }

    private static Path directory() throws Exception {
        // The source folder, not target/test-classes: the files are meant to be committed.
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/histories");
        return Files.createDirectories(dir);
    }

    private static String label() {
        String label = System.getProperty("record.label", "");
        return label.isBlank() ? LocalDate.now(ZoneOffset.UTC).toString() : label;
    }
}
