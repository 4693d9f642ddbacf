package dev.journey.worker.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends each user down one arm, by percentages that add up to 100. The arm is a pure function of
 * (journey, step, user): the same user always lands in the same arm — on a retry, on a replay, on
 * re-entry — and no randomness enters workflow code.
 */
public record SplitStep(String id, List<Arm> arms) implements Step {
    public record Arm(String name, int percent, String next) {}

    public Arm armFor(String journeyId, String subjectId) {
        int bucket = Buckets.of(journeyId + "/" + id + "/" + subjectId);
        int upTo = 0;
        for (Arm arm : arms) {
            upTo += arm.percent();
            if (bucket < upTo) {
                return arm;
            }
        }
        return arms.get(arms.size() - 1);
    }

    @Override
    public List<String> successors() {
        List<String> next = new ArrayList<>();
        arms.forEach(a -> next.add(a.next()));
        return next;
    }
}
