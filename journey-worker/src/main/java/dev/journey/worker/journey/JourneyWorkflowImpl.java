package dev.journey.worker.journey;

import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.instance.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.BranchStep;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.EventMatch;
import dev.journey.worker.dsl.ExitStep;
import dev.journey.worker.dsl.FetchStep;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.MessageStep;
import dev.journey.worker.dsl.SplitStep;
import dev.journey.worker.dsl.Step;
import dev.journey.worker.dsl.UpdateTagsStep;
import dev.journey.worker.dsl.WaitForEventStep;
import dev.journey.worker.dsl.WaitForOutcomeStep;
import dev.journey.worker.dsl.WaitStep;
import dev.journey.worker.fetch.FetchActivities;
import dev.journey.worker.fetch.FetchActivitiesImpl;
import dev.journey.worker.fetch.FetchAnswer;
import dev.journey.worker.fetch.FetchCall;
import dev.journey.worker.message.Admission;
import dev.journey.worker.message.DeliveryActivities;
import dev.journey.worker.message.MessageActivities;
import dev.journey.worker.message.MessageOutcome;
import dev.journey.worker.message.MessageStatus;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.subject.SubjectActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;

/**
 * Walks a journey's steps for one subject. Deterministic: durable timers for waits, activities for
 * everything that touches the world, signals for the subject's events. A signal handler only
 * records the event (and whether it ends the journey); the main loop acts on it.
 */
public class JourneyWorkflowImpl implements JourneyWorkflow {
    /** Backoff for deliveries: 1 s, 2 s, 4 s … up to 5 min between attempts, for about a day at most. */
    private static final RetryOptions DELIVERY_RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(5))
            .setMaximumAttempts(20)
            .build();
    /** Each attempt ends within 30 s (its provider budget is 20 s: MessageActivitiesImpl). */
    private static final Duration SEND_ATTEMPT = Duration.ofSeconds(30);
    private static final Duration SEND_TOTAL = Duration.ofHours(24);
    /** Runs recorded before sends were local, and what a send's failure records (rare). */
    private final MessageActivities messages = Workflow.newActivityStub(MessageActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(SEND_ATTEMPT)
                    .setScheduleToCloseTimeout(SEND_TOTAL)
                    .setRetryOptions(DELIVERY_RETRIES)
                    .build());
    /**
     * The hand-off itself, as a local activity, in the worker that runs the workflow: no activity task
     * through Temporal's queue and no second workflow task for its result — a one-message journey is one
     * workflow task instead of two plus an activity task. What makes a repeated attempt safe is the
     * message row's claim and its one idempotency key, as before; backoffs are durable timers.
     */
    private MessageActivities sends;

    /**
     * Bookkeeping (checkpoints, the subject's tags and timezone, quiet hours and caps) is short,
     * idempotent database work: it runs as local activities, in the worker that runs the workflow,
     * without a round trip through Temporal's task queues for each call — most of what an instance
     * costs Temporal. Runs recorded before checkpoints existed replay with the activities they used.
     */
    private final LocalActivityOptions localBookkeeping = LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(10))
            // The SDK retries a local activity only if it has a schedule-to-close timeout or a maximum
            // number of attempts: without one, the first failure (a database hiccup) failed the workflow.
            .setScheduleToCloseTimeout(Duration.ofDays(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
            .build();
    private final ActivityOptions bookkeeping = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(10))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
            .build();
    private InstanceActivities instances;
    private SubjectActivities subject;
    private DeliveryActivities delivery;
    /**
     * What a fetch attempt may take beyond the step's own timeout (which bounds the HTTP exchange):
     * reading the user and rendering the request.
     */
    private static final Duration FETCH_MARGIN = Duration.ofSeconds(10);
    /** Quiet hours that keep moving (the user changed timezone while held) are followed this many times, then the message fails. */
    private static final int MAX_HOLDS = 3;

    private JourneyInput input;
    /** The version's structure: the input's (runs started before references), else read by reference. */
    private JourneyDefinition journey;
    private JourneyState state;
    /**
     * Runs that began after the inbox was bounded in bytes and waits could continue as new; runs
     * begun before replay as they were written (an inbox that outgrew the bound, a wait that went
     * on past Temporal's suggestion).
     */
    private boolean boundedHistory;
    /** Runs that began after instance paths existed record each step they pass ("why"); older runs replay without. */
    private boolean paths;
    /** Signals delivered before run() began; run() hears them first. */
    private final List<InboundEvent> early = new ArrayList<>();
    private String earlyStop;

    /**
     * One version marker for every change made up to this day: runs begun since record it alone, not
     * one marker per change (a third of a one-message journey's history was version markers, each
     * kept by the in-process service and handled by the worker); runs recorded before it ask for each
     * change as they did ({@link #changed}). Under it too: a message step's beginning is recorded by
     * the call that admits its message ({@link InstanceActivities#messageStepBegun}). A later change
     * gets a marker of its own, as before.
     */
    private static final String ALL_CHANGES_TO_2026_12_04 = "all-changes-to-2026-12-04";
    private boolean allChangesTo20261204;

    /** A message step's beginning, not yet recorded: its first admission records it. */
    private record Begun(Checkpoint checkpoint, List<PathStep> path) {}
    private Begun begun;

    /** Whether this run has {@code changeId}: every run begun since {@link #ALL_CHANGES_TO_2026_12_04} does. */
    private boolean changed(String changeId) {
        return allChangesTo20261204 || Workflow.getVersion(changeId, Workflow.DEFAULT_VERSION, 1) >= 1;
    }

    @Override
    public String run(JourneyInput input) {
        this.input = input;
        allChangesTo20261204 = Workflow.getVersion(ALL_CHANGES_TO_2026_12_04, Workflow.DEFAULT_VERSION, 1) >= 1;
        // Runs recorded before checkpoints existed replay as they were written.
        boolean checkpoints = changed("checkpoints");
        if (checkpoints) {
            instances = Workflow.newLocalActivityStub(InstanceActivities.class, localBookkeeping);
            subject = Workflow.newLocalActivityStub(SubjectActivities.class, localBookkeeping);
            delivery = Workflow.newLocalActivityStub(DeliveryActivities.class, localBookkeeping);
        } else {
            instances = Workflow.newActivityStub(InstanceActivities.class, bookkeeping);
            subject = Workflow.newActivityStub(SubjectActivities.class, bookkeeping);
            delivery = Workflow.newActivityStub(DeliveryActivities.class, bookkeeping);
        }
        boundedHistory = changed("bounded-history");
        sends = changed("local-send")
                ? Workflow.newLocalActivityStub(MessageActivities.class, LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(SEND_ATTEMPT)
                        .setScheduleToCloseTimeout(SEND_TOTAL)
                        .setRetryOptions(DELIVERY_RETRIES)
                        // Every backoff is a durable timer, as an activity's would be: a provider that is down does not
                        // hold the workflow task open (nor a time-skipped test's clock) while the worker sleeps.
                        .setLocalRetryThreshold(Duration.ofSeconds(1))
                        .build())
                : messages;
        paths = checkpoints && changed("instance-path");
        // Decided by the input, so deterministic: only runs started with a reference read the version.
        journey = input.journey() != null ? input.journey()
                : instances.definition(input.projectId(), input.journeyId(), input.version());
        state = input.state() != null ? input.state()
                : new JourneyState(journey.firstStepId());
        Long resumedWakeAt = null;
        if (input.resume() != null) {
            resumedWakeAt = input.resume().wakeAtMillis();
            input.resume().events().forEach(this::event);
        }
        early.forEach(this::event);
        if (earlyStop != null) {
            stop(earlyStop);
        }
        String workflowId = Workflow.getInfo().getWorkflowId();
        while (state.stepId != null && state.endStatus == null) {
            if (Workflow.getInfo().isContinueAsNewSuggested()) {
                Workflow.await(Workflow::isEveryHandlerFinished);
                Workflow.continueAsNew(input.continuedWith(state));
            }
            Step step = journey.step(state.stepId);
            Long wakeAt;
            PathStep reached = PathStep.reached(state.stepsPassed(), step.id(), step.typeName(), Workflow.currentTimeMillis());
            if (checkpoints) {
                // A resumed step keeps the deadline it had; a new one sets its own before it is checkpointed.
                wakeAt = resumedWakeAt != null ? resumedWakeAt : wakeAt(step);
                resumedWakeAt = null;
                if (allChangesTo20261204 && step instanceof MessageStep) {
                    // Recorded by the call that admits the step's message (messageStepBegun): one local activity, not two.
                    begun = new Begun(state.checkpoint(wakeAt), unrecordedPathAnd(reached));
                } else if (paths) {
                    instances.stepBegun(workflowId, state.checkpoint(wakeAt), unrecordedPathAnd(reached));
                } else {
                    instances.checkpoint(workflowId, state.checkpoint(wakeAt));
                }
            } else {
                instances.stepReached(workflowId, step.id());
                wakeAt = wakeAt(step);
            }
            Map<String, Object> outcome = new LinkedHashMap<>();
            String next = execute(step, workflowId, wakeAt, outcome);
            if (paths) {
                outcome.put("next", next);
                state.unrecordedStep = reached.left(Workflow.currentTimeMillis(), outcome);
            }
            state.passed(step.id());
            state.stepId = next;
        }
        InstanceStatus status = state.endStatus != null ? state.endStatus : InstanceStatus.COMPLETED;
        if (paths) {
            instances.finished(workflowId, new InstanceActivities.Ending(status, state.endReason, state.endEventId),
                    unrecordedPathAnd(null));
        } else {
            instances.ended(workflowId, status, state.endReason);
        }
        return status.value();
    }

    /** The step left last, not yet in the path, then {@code reached} (if any): what the next bookkeeping call writes. */
    private List<PathStep> unrecordedPathAnd(PathStep reached) {
        List<PathStep> path = new ArrayList<>(2);
        if (state.unrecordedStep != null) {
            path.add(state.unrecordedStep);
            state.unrecordedStep = null;
        }
        if (reached != null) {
            path.add(reached);
        }
        return path;
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** What ended a wait that the instance's own end cut short: its goal or exitOn event, or a stop from outside. */
    private void endedByTheEnd(Map<String, Object> outcome) {
        outcome.put("endedBy", state.endStatus == InstanceStatus.CONVERTED ? "goal" : state.endEventId != null ? "exitOn" : "stop");
        if (state.endEventId != null) {
            outcome.put("eventId", String.valueOf(state.endEventId));
        }
    }

    /** When a waiting step ends by itself, on the workflow clock; null for steps that do not wait. */
    private Long wakeAt(Step step) {
        if (step instanceof WaitStep wait) {
            Duration pause = wait.duration() != null ? wait.asDuration() : untilNext(wait);
            return Workflow.currentTimeMillis() + pause.toMillis();
        }
        if (step instanceof WaitForEventStep waitFor) {
            return Workflow.currentTimeMillis() + waitFor.timeoutDuration().toMillis();
        }
        if (step instanceof WaitForOutcomeStep waitFor && !waitFor.knownAtSend()) {
            return Workflow.currentTimeMillis() + waitFor.withinDuration().toMillis();
        }
        return null;
    }

    private static Duration until(long wakeAtMillis) {
        return Duration.ofMillis(Math.max(0, wakeAtMillis - Workflow.currentTimeMillis()));
    }

    @Override
    public void event(InboundEvent event) {
        if (state == null) {
            early.add(event);
        } else if (state.hear(event, boundedHistory)) {
            checkEnd(event);
        }
    }

    @Override
    public void stop(String reason) {
        if (state == null) {
            earlyStop = reason;
        } else {
            state.end(InstanceStatus.EXITED, reason);
        }
    }

    /** A goal converts and ends; an exitOn event ends. Checked as each event arrives, wherever the instance waits. */
    private void checkEnd(InboundEvent event) {
        if (matches(journey.goal(), event)) {
            state.end(InstanceStatus.CONVERTED, "goal " + event.type(), event.id());
            return;
        }
        for (EventMatch exit : journey.exitOnOrEmpty()) {
            if (matches(exit, event)) {
                state.end(InstanceStatus.EXITED, "exitOn " + event.type(), event.id());
                return;
            }
        }
    }

    /** Returns the next step id (null: the journey is over); {@code outcome} receives what decided it, for the path. */
    private String execute(Step step, String workflowId, Long wakeAt, Map<String, Object> outcome) {
        if (step instanceof MessageStep message) {
            String messageId = JourneyIds.messageId(workflowId, message.id(), state.visit(message.id()));
            outcome.put("messageId", messageId);
            outcome.put("channel", message.channel());
            state.sent(message.id(), send(messageId, message).value());
            return message.next();
        }
        if (step instanceof WaitStep wait) {
            Duration pause = until(wakeAt);
            outcome.put("until", time(wakeAt));
            if (!pause.isZero()) {
                boolean woke = Workflow.await(pause, () -> ending() || continueWhileWaiting());
                if (woke && !ending()) {
                    continueWaiting(wakeAt);
                }
            }
            if (ending()) {
                endedByTheEnd(outcome);
            } else {
                outcome.put("endedBy", "timer");
            }
            return wait.next();
        }
        if (step instanceof WaitForEventStep waitFor) {
            return waitForEvent(waitFor, wakeAt, outcome);
        }
        if (step instanceof WaitForOutcomeStep waitFor) {
            return waitForOutcome(waitFor, workflowId, wakeAt, outcome);
        }
        if (step instanceof BranchStep branch) {
            List<Condition> conditions = new ArrayList<>();
            branch.cases().forEach(c -> conditions.add(c.when()));
            int chosen;
            if (paths) {
                SubjectActivities.CaseChosen decision = subject.chooseCase(input.projectId(), input.entryEvent(), conditions,
                        state.fetched);
                chosen = decision.index();
                outcome.put("case", chosen >= 0 ? chosen : "otherwise");
                outcome.put("checks", decision.checks());
            } else {
                chosen = subject.firstMatch(input.projectId(), input.entryEvent(), conditions);
            }
            return chosen >= 0 ? branch.cases().get(chosen).next() : branch.otherwise();
        }
        if (step instanceof SplitStep split) {
            SplitStep.Arm arm = split.armFor(input.journeyId(), input.entryEvent().subjectId());
            outcome.put("arm", arm.name());
            outcome.put("percent", arm.percent());
            return arm.next();
        }
        if (step instanceof UpdateTagsStep update) {
            EntryEvent e = input.entryEvent();
            String eventId = JourneyIds.systemEventId("@tags_changed", workflowId, update.id(), state.visit(update.id()));
            subject.updateTags(input.projectId(), e.subjectType(), e.subjectId(), update.tags(), eventId, causedBy());
            outcome.put("tags", new ArrayList<>(update.tags().keySet()));
            return update.next();
        }
        if (step instanceof FetchStep fetch) {
            return fetch(fetch, workflowId, outcome);
        }
        if (step instanceof ExitStep exit) {
            state.end(InstanceStatus.EXITED, "exit step " + exit.id());
            return null;
        }
        throw new IllegalStateException("unknown step " + step);
    }

    /**
     * One activity call: its retry policy makes the step's retries, each attempt bounded by the
     * step's timeout (and a margin for rendering). A success keeps the answer as
     * {@code fetched.<id>} and goes to {@code next}; a failure leaves nothing there and goes to
     * {@code onFailure} (else {@code next}).
     */
    private String fetch(FetchStep step, String workflowId, Map<String, Object> outcome) {
        int attempts = step.retriesOrDefault() + 1;
        FetchActivities fetches = Workflow.newActivityStub(FetchActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.timeoutDuration().plus(FETCH_MARGIN))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(attempts)
                        .build())
                .build());
        FetchCall call = new FetchCall(input.projectId(), input.journeyId(), journey.name(), input.version(), step.id(),
                JourneyIds.fetchKey(workflowId, step.id(), state.visit(step.id())), step.request(),
                step.timeoutDuration().toMillis(), input.entryEvent(), state.fetched);
        FetchAnswer answer;
        try {
            answer = fetches.fetch(call);
        } catch (ActivityFailure e) {
            answer = failedAfterRetries(e, attempts);
        }
        String error = answer.error();
        if (answer.ok() && !state.fetched(step.id(), answer.data())) {
            error = "the instance's fetched answers would exceed " + JourneyState.MAX_FETCHED_BYTES / 1024 + " KiB";
        }
        if (answer.status() > 0) {
            outcome.put("status", answer.status());
        }
        outcome.put("ok", error == null);
        if (error != null) {
            outcome.put("error", error);
        }
        if (answer.attempts() > 0) {
            outcome.put("attempts", answer.attempts());
        }
        if (error == null) {
            return step.next();
        }
        state.fetchFailed(step.id());
        return step.failureNext();
    }

    /** The last attempt's failure in our words: its HTTP status (a detail of our retryable failure) and message. */
    private static FetchAnswer failedAfterRetries(ActivityFailure e, int attempts) {
        int made = e.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED ? attempts : 0;
        if (e.getCause() instanceof ApplicationFailure failure && FetchActivitiesImpl.RETRYABLE.equals(failure.getType())) {
            int status = failure.getDetails().get(0, Integer.class);
            return FetchAnswer.failure(status, failure.getOriginalMessage(), made);
        }
        if (e.getCause() instanceof TimeoutFailure) {
            return FetchAnswer.failure(0, "an attempt did not end within the step's timeout", made);
        }
        return FetchAnswer.failure(0, "the fetch failed (" + (e.getCause() == null ? "unknown" : e.getCause().getClass().getSimpleName())
                + ")", made);
    }

    /**
     * Events heard since entry (or since the previous wait for an event) count, so one that raced
     * ahead of this step is not missed. Whatever was heard up to the match (or the timeout) is used
     * up. After a resume past the deadline, only events received before it count.
     */
    private String waitForEvent(WaitForEventStep step, long wakeAt, Map<String, Object> outcome) {
        outcome.put("deadline", time(wakeAt));
        EventMatch match = new EventMatch(step.event(), step.where());
        Boolean heard = awaitEvent(event -> matches(match, event), wakeAt, outcome);
        return heard == null ? null : heard ? step.onEvent() : step.onTimeout();
    }

    /**
     * What happened to the message an earlier step sent: a delivery or a failure is the send's own
     * result, known already; a click or a display is an engagement event carrying the message's id.
     */
    private String waitForOutcome(WaitForOutcomeStep step, String workflowId, Long wakeAt, Map<String, Object> outcome) {
        int visit = state.passedCount(step.message());
        String status = state.sentStatus(step.message());
        outcome.put("message", step.message());
        outcome.put("outcome", step.outcome());
        if (visit > 0) {
            outcome.put("messageId", JourneyIds.messageId(workflowId, step.message(), visit));
        }
        if (step.knownAtSend()) {
            outcome.put("status", status);
            boolean happened = WaitForOutcomeStep.DELIVERED.equals(step.outcome())
                    ? MessageStatus.SENT.value().equals(status) || MessageStatus.CLICKED.value().equals(status)
                    : MessageStatus.FAILED.value().equals(status);
            return happened ? step.onOutcome() : step.onTimeout();
        }
        outcome.put("deadline", time(wakeAt));
        Object messageId = outcome.get("messageId");
        Boolean heard = awaitEvent(event -> messageId != null && step.events().contains(event.type()) && event.data() != null
                && messageId.equals(event.data().get("messageId")), wakeAt, outcome);
        return heard == null ? null : heard ? step.onOutcome() : step.onTimeout();
    }

    /**
     * Waits until {@code wakeAt} for an event the instance heard that is {@code wanted}: true when
     * one came, false at the deadline, null when the instance's end cut the wait short. Events heard
     * since entry (or since the previous wait for an event) count, so one that raced ahead of this
     * step is not missed. Whatever was heard up to the match (or the deadline) is used up. After a
     * resume past the deadline, only events received before it count.
     */
    private Boolean awaitEvent(java.util.function.Predicate<InboundEvent> wanted, long wakeAt, Map<String, Object> outcome) {
        Duration timeout = until(wakeAt);
        boolean woke = timeout.isZero() ? ending() || firstMatch(wanted, wakeAt) >= 0
                : Workflow.await(timeout, () -> ending() || firstMatch(wanted, wakeAt) >= 0 || continueWhileWaiting());
        int match = firstMatch(wanted, wakeAt);
        if (match >= 0) {
            outcome.put("endedBy", "event");
            outcome.put("eventId", String.valueOf(state.inbox.get(match).id()));
            state.inbox.subList(0, match + 1).clear();
            return state.endStatus == null ? Boolean.TRUE : null;
        }
        if (woke && !ending()) {
            // Woken neither by an event nor by the end: only to continue as new.
            continueWaiting(wakeAt);
        }
        state.inbox.removeIf(e -> e.receivedBy(wakeAt));
        if (woke) {
            endedByTheEnd(outcome);
            return null;
        }
        outcome.put("endedBy", "timeout");
        return Boolean.FALSE;
    }

    /**
     * Temporal suggests a new run once a history grows long (many events signalled to a wait that
     * does not use them): a wait then wakes to continue as new instead of growing it for weeks.
     */
    private boolean continueWhileWaiting() {
        return boundedHistory && Workflow.getInfo().isContinueAsNewSuggested();
    }

    /** Continues as new in the middle of the current step's wait: the next run waits on until the same deadline, with this state. */
    private void continueWaiting(long wakeAtMillis) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        Workflow.continueAsNew(input.continuedWaiting(state, wakeAtMillis));
    }

    /**
     * The journeys that led to what this instance records: those its entry event was caused by
     * ({@code data.causedBy}, when it is a list of strings), then this one. A journey already in an
     * event's chain is not entered by it, so journeys cannot set each other off in a circle.
     */
    private List<String> causedBy() {
        List<String> chain = new ArrayList<>(input.entryEvent().causedBy());
        if (!chain.contains(input.journeyId())) {
            chain.add(input.journeyId());
        }
        return chain;
    }

    private int firstMatch(java.util.function.Predicate<InboundEvent> wanted, long wakeAt) {
        for (int i = 0; i < state.inbox.size(); i++) {
            InboundEvent event = state.inbox.get(i);
            if (event.receivedBy(wakeAt) && wanted.test(event)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(EventMatch match, InboundEvent event) {
        if (match == null || !match.eventType().equals(event.type())) {
            return false;
        }
        Map<String, Object> context = Map.of("data", event.data() == null ? Map.of() : event.data(),
                "entry_event", input.entryEvent().asMap(), "fetched", state.fetched == null ? Map.of() : state.fetched);
        return Conditions.matches(match.where(), context);
    }

    private boolean ending() {
        return state.endStatus != null;
    }

    /** How long until the next {@code until} time of day in the subject's timezone. */
    private Duration untilNext(WaitStep wait) {
        EntryEvent e = input.entryEvent();
        ZoneId zone = ZoneId.of(subject.timezone(input.projectId(), e.subjectType(), e.subjectId()));
        ZonedDateTime now = Instant.ofEpochMilli(Workflow.currentTimeMillis()).atZone(zone);
        ZonedDateTime next = now.with(wait.untilTime());
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Duration.between(now, next);
    }

    /**
     * Quiet hours and frequency caps are decided by an activity on the workflow's clock; a held
     * message waits here on a durable timer (so the wait survives worker restarts) and is admitted
     * again when the hours end. A message that finally fails is recorded as failed and the journey
     * goes on, as in Braze and Customer.io.
     */
    /** Returns how the message ended its step: sent, failed, or the status admission gave it (capped, suppressed …). */
    private MessageStatus send(String messageId, MessageStep step) {
        String workflowId = Workflow.getInfo().getWorkflowId();
        // An inline template is carried only by runs started with the whole definition; otherwise the send reads it.
        SendMessage message = new SendMessage(messageId, input.projectId(), input.journeyId(), journey.name(),
                input.version(), workflowId, step.id(), step.channel(), step.template(), input.entryEvent(), step.channelId(),
                step.isTransactional() || journey.isTransactional(), step.templateId(), journey.sendRate(), step.topic(), state.fetched);
        // Instances that started before delivery policies existed replay their histories unchanged.
        if (changed("delivery-policy")) {
            Admission admission = begun != null
                    ? instances.messageStepBegun(workflowId, begun.checkpoint(), begun.path(), message, Workflow.currentTimeMillis())
                    : delivery.admit(message, Workflow.currentTimeMillis());
            begun = null;
            // Only holds for quiet hours are counted: a message held for the journey's send rate waits its turn.
            int quietHolds = 0;
            while (admission.held()) {
                if (!admission.paced() && quietHolds++ == MAX_HOLDS) {
                    messages.markFailed(messageId, "still in quiet hours after " + MAX_HOLDS + " holds");
                    return MessageStatus.FAILED;
                }
                Workflow.await(Duration.ofMillis(Math.max(0, admission.holdUntilMillis() - Workflow.currentTimeMillis())),
                        this::ending);
                if (ending()) {
                    messages.markFailed(messageId, "not sent: the journey ended while the message was held"
                            + (admission.paced() ? " for its turn under the journey's send rate" : " for quiet hours"));
                    return MessageStatus.FAILED;
                }
                admission = delivery.admit(message, Workflow.currentTimeMillis());
            }
            if (!admission.queued()) {
                return admission.status();
            }
        }
        try {
            MessageOutcome sent = sends.send(message);
            return sent == null ? MessageStatus.SENT : sent.status();
        } catch (ActivityFailure e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            messages.markFailed(messageId, reason);
            return MessageStatus.FAILED;
        }
    }
}
