package dev.journey.worker.message;

import java.util.Map;

import dev.journey.worker.event.EntryEvent;

/**
 * One visit of a message step of one journey instance, to render and hand off. {@code channelId} is
 * null for "the project's channel of that type"; {@code transactional} messages skip caps and quiet
 * hours. {@code templateId} names a stored template; otherwise the step's inline template is
 * {@code template} in runs started with the whole definition, and null in runs started with a
 * reference (all new ones): the recorder then reads it from the stored version by
 * ({@code journeyId}, {@code journeyVersion}, {@code stepId}), so activity inputs stay small.
 * {@code ratePerMinute}: the journey's send rate ({@link dev.journey.worker.dsl.Limits}), null for none. {@code topic}: the
 * subscription topic it is about, null for none (and in histories written before consent existed).
 * {@code fetched}: what the instance's fetch steps answered so far, by step id (templates read
 * {@code fetched.<stepId>}); null for none, as in every send recorded before fetch steps existed.
 */
public record SendMessage(String messageId, String projectId, String journeyId, String journeyName, int journeyVersion,
                          String workflowId, String stepId, String channel, Map<String, String> template,
                          EntryEvent entryEvent, String channelId, boolean transactional, String templateId,
                          Integer ratePerMinute, String topic, Map<String, Object> fetched) {
    public SendMessage(String messageId, String projectId, String journeyId, String journeyName, int journeyVersion, String workflowId,
                       String stepId, String channel, Map<String, String> template, EntryEvent entryEvent, String channelId,
                       boolean transactional, String templateId, Integer ratePerMinute) {
        this(messageId, projectId, journeyId, journeyName, journeyVersion, workflowId, stepId, channel, template, entryEvent, channelId,
                transactional, templateId, ratePerMinute, null, null);
    }

    public SendMessage(String messageId, String projectId, String journeyId, String journeyName, int journeyVersion, String workflowId,
                       String stepId, String channel, Map<String, String> template, EntryEvent entryEvent, String channelId,
                       boolean transactional, String templateId) {
        this(messageId, projectId, journeyId, journeyName, journeyVersion, workflowId, stepId, channel, template, entryEvent, channelId,
                transactional, templateId, null, null, null);
    }
}
