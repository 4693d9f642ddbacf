package dev.journey.worker.dsl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The first case whose condition holds decides the next step; {@code else} when none does. */
public record BranchStep(String id, List<Case> cases, @JsonProperty("else") String otherwise) implements Step {
    public record Case(Condition when, String next) {}

    @Override
    public List<String> successors() {
        List<String> next = new ArrayList<>();
        cases.forEach(c -> next.add(c.next()));
        next.add(otherwise);
        return next;
    }
}
