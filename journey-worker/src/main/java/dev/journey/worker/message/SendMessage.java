package dev.journey.worker.message;

import java.util.Map;

import dev.journey.worker.event.EntryEvent;

/**
 * One message step of one journey instance, to render and hand off. {@code channelId} is null for
 * "the project's channel of that type"; {@code transactional} messages skip caps and quiet hours;
 * {@code template} is null when the step names a stored template ({@code templateId}).
 */
public record SendMessage(String messageId, String projectId, String journeyId, String journeyName, int journeyVersion,
                          String workflowId, String stepId, String channel, Map<String, String> template,
                          EntryEvent entryEvent, String channelId, boolean transactional, String templateId) {}
