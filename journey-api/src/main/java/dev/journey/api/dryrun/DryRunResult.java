package dev.journey.api.dryrun;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a dry run predicts for a journey over a period of stored events: who would have entered,
 * how far they would have got (the funnel), what would have been sent, and what would have gone
 * wrong. {@code truncated}: the run stopped early ({@code truncatedBy} "events" or "time") and
 * {@code readUntil} says how far into the period it got.
 */
@org.eclipse.microprofile.openapi.annotations.media.Schema(name = "DryRun")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DryRunResult(String id, String journeyId, Instant since, Instant until, long eventsRead, long entries,
                           Map<String, Long> notEntered, Map<String, StepCounts> steps, Messages messages, Ended ended,
                           List<Sample> samples, List<TemplateProblem> templateErrors, boolean truncated, String truncatedBy,
                           Instant readUntil, long millis) {

    /**
     * One step's counts: {@code reached} for every step, and what its type adds — a wait or a wait
     * for an event: how many ended by the event, by the timeout, by time ({@code ended}) or are still
     * waiting; a branch: per case (in order) and {@code else}; a split: per arm.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepCounts(long reached, Long waiting, Long ended, Long endedByEvent, Long endedByTimeout, List<Long> cases,
                             @com.fasterxml.jackson.annotation.JsonProperty("else") Long otherwise, Map<String, Long> arms) {}

    /** Messages that would have been handed to a channel, by channel type; capped, held by quiet hours (counted again where they ended), failed. */
    public record Messages(Map<String, Long> byChannel, long capped, long held, long failed, long suppressed) {}

    /** How the instances would have ended; {@code stillActive}: waiting when the period ends. */
    public record Ended(long completed, long exited, long converted, long stillActive) {}

    /** One message as it would have been rendered for one user. */
    public record Sample(String userId, String stepId, String channel, String locale, Map<String, String> rendered) {}

    /** A template error of a message step, with the first users it would hit and how many messages in all. */
    public record TemplateProblem(String stepId, String field, Integer line, Integer column, String message, List<String> users,
                                  long count) {}
}
