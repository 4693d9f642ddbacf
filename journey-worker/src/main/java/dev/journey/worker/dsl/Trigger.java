package dev.journey.worker.dsl;

/** The event that enters a user into a journey, and an optional condition on it. */
public record Trigger(String event, Condition where) {}
