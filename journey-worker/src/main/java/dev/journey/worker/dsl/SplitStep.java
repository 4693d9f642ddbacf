package dev.journey.worker.dsl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        int bucket = bucket(journeyId + "/" + id + "/" + subjectId);
        int upTo = 0;
        for (Arm arm : arms) {
            upTo += arm.percent();
            if (bucket < upTo) {
                return arm;
            }
        }
        return arms.get(arms.size() - 1);
    }

    /** 0..99 from the first 8 bytes of SHA-256: uniform, and the same on every JVM. */
    static int bucket(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xff);
            }
            return (int) Long.remainderUnsigned(value, 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> successors() {
        List<String> next = new ArrayList<>();
        arms.forEach(a -> next.add(a.next()));
        return next;
    }
}
