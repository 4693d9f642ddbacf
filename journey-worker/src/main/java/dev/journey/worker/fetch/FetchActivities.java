package dev.journey.worker.fetch;

import io.temporal.activity.ActivityInterface;

/** A fetch step's request: the only place a journey's own HTTP call is made (never in workflow code). */
@ActivityInterface
public interface FetchActivities {
    /**
     * Renders the request, sends it and reads its JSON answer. A failure that may pass on a later
     * attempt (5xx, 408, 429, a timeout, no connection, the database unavailable) is thrown, for the
     * activity's retry policy; any other ends the call with an answer that is not {@code ok}.
     * The endpoint may see a request more than once (a retry after an answer that was lost): each
     * carries the same {@code Idempotency-Key}.
     */
    FetchAnswer fetch(FetchCall call);
}
