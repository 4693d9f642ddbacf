package dev.journey.worker.dsl;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A journey as the marketer defines it: what starts it and the steps it walks. Immutable once
 * published; a workflow receives its version as input and never reads it again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JourneyDefinition(String name, Trigger trigger, List<Step> steps) {

    public Step step(String id) {
        for (Step step : steps) {
            if (step.id().equals(id)) {
                return step;
            }
        }
        return null;
    }

    public String firstStepId() {
        return steps == null || steps.isEmpty() ? null : steps.get(0).id();
    }
}
