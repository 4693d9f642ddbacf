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

    /**
     * The message of one step of one instance, the same on every attempt: it is the idempotency
     * key the receiver sees, and the message log's primary key.
     */
    public static String messageId(String workflowId, String stepId) {
        return "msg_" + UUID.nameUUIDFromBytes((workflowId + "#" + stepId).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }
}
