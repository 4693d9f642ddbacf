package dev.journey.api.dryrun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.BranchStep;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.EventMatch;
import dev.journey.worker.dsl.ExitStep;
import dev.journey.worker.dsl.FetchStep;
import dev.journey.worker.dsl.MessageStep;
import dev.journey.worker.dsl.SplitStep;
import dev.journey.worker.dsl.Step;
import dev.journey.worker.dsl.UpdateTagsStep;
import dev.journey.worker.dsl.WaitForEventStep;
import dev.journey.worker.dsl.WaitForOutcomeStep;
import dev.journey.worker.dsl.WaitStep;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.subject.ConditionContext;
import dev.journey.worker.subject.SubjectActivitiesImpl;

/**
 * One subject walking the draft in simulated time, step by step as {@code JourneyWorkflowImpl}
 * walks it: steps that do not wait run at once; a wait, a wait for an event and a message held by
 * quiet hours set a time at which they end ({@link #advance}); the subject's later events are
 * {@linkplain #hear heard} in time order — an exitOn or a goal ends the instance wherever it is, a
 * wait for an event takes the first match heard since entry (or since the previous wait for an
 * event), as the workflow's inbox does.
 */
final class SimulatedInstance {
    /** Steps one instance may pass without waiting; the validator refuses loops without a wait, this only guards. */
    private static final int MAX_STEPS_AT_ONCE = 1_000;
    /** The workflow's bound on heard, unused events. */
    private static final int MAX_INBOX = 100;
    /** The workflow follows moving quiet hours this many times, then fails the message. */
    private static final int MAX_HOLDS = 3;

    private enum Pending { WAIT, WAIT_FOR_EVENT, WAIT_FOR_OUTCOME, HELD }

    private final Simulation run;
    private final SimulatedSubject subject;
    private final EntryEvent entry;
    private final Map<String, Object> entryMap;
    private final List<EntryEvent> inbox = new ArrayList<>();
    private final Map<String, Integer> visits = new HashMap<>();
    /** How each message step's latest message was predicted to end, for waits on its outcome. */
    private final Map<String, MessagePrediction.Admission.Kind> sent = new HashMap<>();
    private String stepId;
    private Instant clock;
    private Pending pending;
    private Instant wakeAt;
    private int holds;
    private InstanceStatus end;

    SimulatedInstance(Simulation run, SimulatedSubject subject, EntryEvent entry) {
        this.run = run;
        this.subject = subject;
        this.entry = entry;
        this.entryMap = entry.asMap();
        this.stepId = run.journey().firstStepId();
        this.clock = Instant.parse(entry.timestamp());
    }

    boolean active() {
        return end == null;
    }

    void start() {
        steps();
    }

    /** Lets simulated time run to {@code t}: whatever ends before it ends (at {@code t} too, when {@code inclusive}). */
    void advance(Instant t, boolean inclusive) {
        while (end == null && wakeAt != null && (wakeAt.isBefore(t) || inclusive && wakeAt.equals(t))) {
            clock = wakeAt;
            wakeAt = null;
            Step step = run.journey().step(stepId);
            if (pending == Pending.WAIT) {
                run.tally().waitEnded(stepId);
                next(((WaitStep) step).next());
            } else if (pending == Pending.WAIT_FOR_OUTCOME) {
                run.tally().waitForEventEnded(stepId, false);
                next(((WaitForOutcomeStep) step).onTimeout());
            } else if (pending == Pending.WAIT_FOR_EVENT) {
                // Everything heard so far was received before the deadline: used up, as by the workflow's timeout.
                inbox.clear();
                run.tally().waitForEventEnded(stepId, false);
                next(((WaitForEventStep) step).onTimeout());
            } else {
                admitted(run.messages().admit(subject, (MessageStep) step, clock), (MessageStep) step);
            }
        }
    }

    /** An event of the subject, after this instance's entry event, at its time. */
    void hear(EntryEvent event) {
        if (end != null || event.id() <= entry.id() || !run.listensTo().contains(event.type())) {
            return;
        }
        inbox.add(event);
        if (inbox.size() > MAX_INBOX) {
            inbox.remove(0);
        }
        Instant at = Instant.parse(event.timestamp());
        InstanceStatus ending = ending(event);
        if (ending != null) {
            if (pending == Pending.HELD) {
                run.tally().failed();
            }
            clock = at;
            finish(ending);
            return;
        }
        if (pending == Pending.WAIT_FOR_EVENT) {
            WaitForEventStep step = (WaitForEventStep) run.journey().step(stepId);
            if (firstMatch(step) >= 0) {
                clock = at;
                wakeAt = null;
                tookMatch(step);
                next(step.onEvent());
            }
        }
    }

    /** At the end of the period: still waiting where it is. */
    void stillActive() {
        run.tally().stillWaiting(stepId);
    }

    private InstanceStatus ending(EntryEvent event) {
        EventMatch goal = run.journey().goal();
        if (goal != null && heard(goal, event)) {
            return InstanceStatus.CONVERTED;
        }
        for (EventMatch exit : run.journey().exitOnOrEmpty()) {
            if (heard(exit, event)) {
                return InstanceStatus.EXITED;
            }
        }
        return null;
    }

    private boolean heard(EventMatch match, EntryEvent event) {
        return match.matchesHeard(event.type(), event.data(), entryMap);
    }

    private void next(String next) {
        pending = null;
        stepId = next;
        steps();
    }

    /** Runs steps from {@link #stepId} at {@link #clock} until one waits or the journey ends. */
    private void steps() {
        for (int passed = 0; end == null; passed++) {
            if (stepId == null) {
                finish(InstanceStatus.COMPLETED);
                return;
            }
            if (passed == MAX_STEPS_AT_ONCE) {
                throw new IllegalStateException("step " + stepId + " is in a loop that never waits");
            }
            Step step = run.journey().step(stepId);
            run.tally().reached(stepId);
            int visit = visits.merge(stepId, 1, Integer::sum);
            if (step instanceof MessageStep message) {
                holds = 0;
                if (!admitted(run.messages().first(subject, entry, message, visit, clock), message)) {
                    return;
                }
            } else if (step instanceof WaitStep wait) {
                Instant ends = wait.endsAt(clock, run.zone(subject));
                if (ends.isAfter(clock)) {
                    waitUntil(Pending.WAIT, ends);
                    return;
                }
                run.tally().waitEnded(stepId);
                stepId = wait.next();
            } else if (step instanceof WaitForEventStep wait) {
                if (firstMatch(wait) < 0) {
                    waitUntil(Pending.WAIT_FOR_EVENT, clock.plus(wait.timeoutDuration()));
                    return;
                }
                tookMatch(wait);
                stepId = wait.onEvent();
            } else if (step instanceof WaitForOutcomeStep wait) {
                if (!wait.knownAtSend()) {
                    // A click or a display is the user's to make, which a replay of stored events cannot know:
                    // predicted as not happening, so the instance takes onTimeout after `within`.
                    waitUntil(Pending.WAIT_FOR_OUTCOME, clock.plus(wait.withinDuration()));
                    return;
                }
                MessagePrediction.Admission.Kind kind = sent.get(wait.message());
                boolean happened = WaitForOutcomeStep.DELIVERED.equals(wait.outcome())
                        ? kind == MessagePrediction.Admission.Kind.SENT : kind == MessagePrediction.Admission.Kind.FAILED;
                stepId = happened ? wait.onOutcome() : wait.onTimeout();
            } else if (step instanceof BranchStep branch) {
                List<Condition> conditions = branch.cases().stream().map(BranchStep.Case::when).toList();
                int chosen = SubjectActivitiesImpl.chooseCase(conditions, ConditionContext.of(entry, run.user(subject)),
                        run.facts(subject, entry, clock)).index();
                run.tally().branch(stepId, chosen);
                stepId = chosen >= 0 ? branch.cases().get(chosen).next() : branch.otherwise();
            } else if (step instanceof SplitStep split) {
                SplitStep.Arm arm = split.armFor(run.journeyId(), entry.subjectId());
                run.tally().arm(stepId, arm.name());
                stepId = arm.next();
            } else if (step instanceof UpdateTagsStep update) {
                // Nothing is written in a dry run: later conditions see the tags as they are now.
                stepId = update.next();
            } else if (step instanceof FetchStep fetch) {
                // No endpoint is called in a dry run: the fetch is predicted to succeed with nothing fetched,
                // so later templates and conditions see fetched.<id> absent.
                stepId = fetch.next();
            } else if (step instanceof ExitStep) {
                finish(InstanceStatus.EXITED);
            } else {
                throw new IllegalStateException("unknown step " + step);
            }
        }
    }

    /**
     * Goes on after an admission: true when the step is done (sent, capped or failed) and
     * {@link #stepId} is the next one; false when the message is held and the instance waits.
     */
    private boolean admitted(MessagePrediction.Admission admission, MessageStep step) {
        if (admission.kind() == MessagePrediction.Admission.Kind.HELD) {
            if (holds == 0) {
                run.tally().held();
            }
            if (holds == MAX_HOLDS) {
                run.tally().failed();
                sent.put(step.id(), MessagePrediction.Admission.Kind.FAILED);
            } else {
                holds++;
                waitUntil(Pending.HELD, admission.until());
                return false;
            }
        }
        if (admission.kind() != MessagePrediction.Admission.Kind.HELD) {
            sent.put(step.id(), admission.kind());
        }
        if (pending == Pending.HELD) {
            // Woken from a hold by advance(): the steps go on from here.
            next(step.next());
            return false;
        }
        stepId = step.next();
        return true;
    }

    private void waitUntil(Pending what, Instant until) {
        pending = what;
        wakeAt = until;
    }

    private int firstMatch(WaitForEventStep step) {
        EventMatch match = new EventMatch(step.event(), step.where());
        for (int i = 0; i < inbox.size(); i++) {
            if (heard(match, inbox.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private void tookMatch(WaitForEventStep step) {
        inbox.subList(0, firstMatch(step) + 1).clear();
        run.tally().waitForEventEnded(step.id(), true);
    }

    private void finish(InstanceStatus status) {
        end = status;
        pending = null;
        wakeAt = null;
        run.tally().ended(status);
    }
}
