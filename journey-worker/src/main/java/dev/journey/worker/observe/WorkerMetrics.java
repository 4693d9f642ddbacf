package dev.journey.worker.observe;

import java.time.Duration;

/**
 * What the worker's activities tell about journeys and messages, for metrics: {@link MicrometerWorkerMetrics}
 * in the API's registry ({@code /q/metrics}) or a standalone worker's ({@link MetricsEndpoint}), {@link #NONE}
 * when a worker serves no metrics. Called from activities only, never from workflow code (a workflow replays;
 * an activity runs once per attempt).
 *
 * <p>Labels stay bounded: a journey id (a project holds at most 1,000 journeys), a channel type, a status.
 * Never a user, message or instance id.
 */
public interface WorkerMetrics {
    WorkerMetrics NONE = new WorkerMetrics() {};

    /** An instance's end was recorded: completed, exited, goal, stopped, failed … (lower case). */
    default void instanceEnded(String journeyId, String status) {}

    /** A message reached a final status in this attempt: sent, failed, capped (lower case). */
    default void messageFinished(String channel, String status) {}

    /** A message was handed to its provider: the time from being recorded as queued to being recorded as sent. */
    default void handedOff(String channel, Duration queuedToSent) {}

    /** A message's template did not render (the message is recorded failed with the template error). */
    default void renderFailed(String channel) {}

    /** A message was rendered in its template's default because none of its translations served the user's locale. */
    default void translationMissing(String channel) {}
}
