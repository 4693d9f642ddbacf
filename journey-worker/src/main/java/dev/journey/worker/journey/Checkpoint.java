package dev.journey.worker.journey;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What PostgreSQL keeps of a running instance, written as each step begins: enough for a fresh
 * workflow to take over when the one that wrote it is gone (the in-process Temporal service was
 * restarted or recycled, a worker crashed, an operator terminated it). Events are kept by id only;
 * the event table has the rest.
 *
 * @param stepId       the step that is beginning
 * @param wakeAtMillis when a wait or a wait for an event ends by itself (null for other steps), so a
 *                     resumed wait keeps its deadline instead of starting again from zero
 * @param seen         ids of the events heard so far (bounded, oldest dropped)
 * @param inbox        ids of heard events not yet used by a wait for an event
 * @param visits       how many times each step was passed before ({@link JourneyState#visits}), so a
 *                     resumed message step sends under the id of the visit it is in; null in
 *                     checkpoints written before visits were counted (every step then on its first).
 * @param sent         how each message step's latest message ended ({@link JourneyState#sent}); null in
 *                     checkpoints written before it was kept
 * @param fetched      the fetch steps' answers ({@link JourneyState#fetched}); null when none, and in
 *                     checkpoints written before fetch steps existed
 * Fields unknown to this version are ignored: a checkpoint written by a later version still resumes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Checkpoint(String stepId, Long wakeAtMillis, List<Long> seen, List<Long> inbox, Map<String, Integer> visits,
                         Map<String, String> sent, Map<String, Object> fetched) {
    public Checkpoint(String stepId, Long wakeAtMillis, List<Long> seen, List<Long> inbox) {
        this(stepId, wakeAtMillis, seen, inbox, null, null, null);
    }

    public Checkpoint(String stepId, Long wakeAtMillis, List<Long> seen, List<Long> inbox, Map<String, Integer> visits) {
        this(stepId, wakeAtMillis, seen, inbox, visits, null, null);
    }

    public Checkpoint(String stepId, Long wakeAtMillis, List<Long> seen, List<Long> inbox, Map<String, Integer> visits,
                      Map<String, String> sent) {
        this(stepId, wakeAtMillis, seen, inbox, visits, sent, null);
    }
}
