package dev.journey.worker.dsl;

import java.util.List;

/** Ends the journey here, recorded as an exit (not a completion). */
public record ExitStep(String id) implements Step {
    @Override
    public List<String> successors() {
        return List.of();
    }
}
