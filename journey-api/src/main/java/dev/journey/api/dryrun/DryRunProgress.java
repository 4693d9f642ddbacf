package dev.journey.api.dryrun;

import java.time.Instant;

/** How far a running dry run has got: events read, entries so far, and the time of the last event read. */
public record DryRunProgress(long eventsRead, long entries, Instant readUntil) {}
