package dev.journey.worker.journey;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Names shared by the API that starts journeys and the worker that runs them. */
public final class JourneyIds {
    public static final String TASK_QUEUE = "journeys";

    private JourneyIds() {}

    /**
     * One workflow per (journey, subject, entry event). Started with a reject-duplicate id policy,
     * this id is what makes a redelivered event or a re-run dispatcher unable to start a second
     * instance for the same entry: Temporal refuses the second start.
     */
    public static String workflowId(String journeyId, String subjectType, String subjectId, long entryEventId) {
        return "journey/" + journeyId + "/" + subjectType + "/" + subjectId + "/" + entryEventId;
    }

    /** The journey id inside a {@link #workflowId}, or null for another kind of id. */
    public static String journeyOf(String workflowId) {
        if (workflowId == null || !workflowId.startsWith("journey/")) {
            return null;
        }
        int end = workflowId.indexOf('/', 8);
        return end < 0 ? null : workflowId.substring(8, end);
    }

    /**
     * The message of one step of one instance, the same on every attempt: it is the idempotency
     * key the receiver sees, and the message log's primary key. The first visit of the step.
     */
    public static String messageId(String workflowId, String stepId) {
        return "msg_" + hash(workflowId + "#" + stepId);
    }

    /**
     * The message of one visit of a step (a loop may pass a message step again): the first visit
     * keeps {@link #messageId(String, String)}, so messages recorded before visits were counted keep
     * their ids; later ones are {@code <that id>:2}, {@code :3} …
     */
    public static String messageId(String workflowId, String stepId, int visit) {
        String first = messageId(workflowId, stepId);
        return visit <= 1 ? first : first + ":" + visit;
    }

    /**
     * The {@code Idempotency-Key} of one visit of a fetch step, the same on every attempt, so an
     * endpoint that sees a request twice (a retry after a lost answer) can tell.
     */
    public static String fetchKey(String workflowId, String stepId, int visit) {
        String first = "fetch_" + hash(workflowId + "#" + stepId);
        return visit <= 1 ? first : first + ":" + visit;
    }

    /**
     * The client-side event id of a system event a step records ({@code @tags_changed}): the same on
     * every attempt of the activity, so the event store's unique (project, event id) keeps one.
     * Prefixed with the type, as the API's other system events are ({@code @first_session:…}).
     */
    public static String systemEventId(String type, String workflowId, String stepId, int visit) {
        return type + ":" + hash(workflowId + "#" + stepId + "#" + visit);
    }

    private static String hash(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
