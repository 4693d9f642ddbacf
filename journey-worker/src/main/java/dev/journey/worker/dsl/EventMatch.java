package dev.journey.worker.dsl;

/** An event type and an optional condition on it: a trigger, an exitOn entry, a goal. */
public record EventMatch(String event, Condition where) {}
