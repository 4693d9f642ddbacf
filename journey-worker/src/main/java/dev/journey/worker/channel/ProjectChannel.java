package dev.journey.worker.channel;

import java.time.Instant;

/** A channel a project configured: its type, an optional name, and what its provider needs. */
public record ProjectChannel(String id, String projectId, ChannelType type, String name, ChannelConfig config,
                             Instant createdAt, Instant updatedAt) {}
