package dev.journey.worker.message;

import java.util.Map;

import dev.journey.worker.journey.EntryEvent;

/** One message step of one journey instance, to render and hand off. */
public record SendMessage(String messageId, String projectId, String journeyId, String journeyName, int journeyVersion,
                          String workflowId, String stepId, String channel, Map<String, String> template,
                          EntryEvent entryEvent) {}
