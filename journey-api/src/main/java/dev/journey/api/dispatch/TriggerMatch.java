package dev.journey.api.dispatch;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.journey.worker.dsl.ConditionCheck;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.EventMatch;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.subject.ConditionContext;

/**
 * Whether a stored event enters a journey, before re-entry is asked: its type, the segment a
 * segment trigger names, the loop rule (a journey already in the event's {@code causedBy} chain is
 * not entered by it, so journeys cannot set each other off in a circle) and the trigger's
 * {@code where} with the user's tags and history when it reads them. The user and the history are
 * given lazily: most triggers need neither, and loading them is a query each.
 *
 * <p>The dispatcher's rules, for any caller that decides entries (the dry run replays them).
 */
public final class TriggerMatch {
    /** Why an event of the trigger's type does not enter. */
    public enum Refusal {
        /** A segment trigger, and the event is the entry into another segment. */
        SEGMENT,
        /** The journey's own steps caused the event. */
        LOOP,
        /** The trigger's {@code where} does not hold. */
        CONDITION
    }

    private TriggerMatch() {}

    /** Whether the event is of the type that starts this trigger (the event, or @segment_entered). */
    public static boolean typeMatches(EventMatch trigger, EntryEvent event) {
        return trigger.eventType().equals(event.type());
    }

    /** Whether an event of the trigger's type is one it takes: a segment trigger takes only its own segment's entries. */
    public static boolean takes(EventMatch trigger, EntryEvent event) {
        return trigger.segment() == null || trigger.segment().equals(event.data().get("segmentId"));
    }

    /** Null when an event of the trigger's type enters the journey; otherwise why not. */
    public static Refusal refusal(String journeyId, EventMatch trigger, EntryEvent event, Supplier<Map<String, Object>> user,
                                  Supplier<Facts> history) {
        return decide(journeyId, trigger, event, user, history).refusal();
    }

    /**
     * Why not, with the parts of the trigger's condition that decided ({@code checks}, placed under
     * {@code trigger.where}): what the user's "why not" shows.
     */
    public record Decision(Refusal refusal, List<ConditionCheck> checks) {
        static final Decision ENTERS = new Decision(null, List.of());
    }

    public static Decision decide(String journeyId, EventMatch trigger, EntryEvent event, Supplier<Map<String, Object>> user,
                                  Supplier<Facts> history) {
        if (!takes(trigger, event)) {
            return new Decision(Refusal.SEGMENT, List.of());
        }
        if (event.causedBy().contains(journeyId)) {
            return new Decision(Refusal.LOOP, List.of());
        }
        if (trigger.where() == null) {
            return Decision.ENTERS;
        }
        Map<String, Object> context = ConditionContext.of(event, Conditions.mentionsUser(trigger.where()) ? user.get() : null);
        Facts facts = Conditions.needsHistory(trigger.where()) ? history.get() : Facts.NONE;
        Conditions.Explained explained = Conditions.explain(trigger.where(), context, facts);
        return explained.result() ? Decision.ENTERS
                : new Decision(Refusal.CONDITION, explained.checks().stream().map(check -> check.under("trigger.where")).toList());
    }
}
