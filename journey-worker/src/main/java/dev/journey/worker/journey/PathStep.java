package dev.journey.worker.journey;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One step of an instance's path, as the workflow records it: when it was reached and left (on the
 * workflow's clock) and what decided the way on ({@code outcome}: {@code next}, and per step type
 * the case and checks of a branch, the arm of a split, what ended a wait, the message's id).
 *
 * @param seq how many steps the instance had passed before this one: stable across restarts and
 *            continue-as-new, so a repeated step writes the same row again
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PathStep(int seq, String stepId, String type, long reachedAtMillis, Long leftAtMillis, Map<String, Object> outcome) {
    static PathStep reached(int seq, String stepId, String type, long atMillis) {
        return new PathStep(seq, stepId, type, atMillis, null, null);
    }

    PathStep left(long atMillis, Map<String, Object> outcome) {
        return new PathStep(seq, stepId, type, reachedAtMillis, atMillis, outcome);
    }
}
