package dev.journey.worker.subject;

import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.ConditionCheck;
import dev.journey.worker.event.EntryEvent;
import io.temporal.activity.ActivityInterface;

/** What a journey reads or writes about its subject: history and tags for branches, tags, timezone. */
@ActivityInterface
public interface SubjectActivities {
    /**
     * The index of the first condition that holds (they may look at tags and event history), or -1.
     * "Since entry" counts events from the entry event's own time, the clock every event carries.
     */
    int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions);

    /**
     * The case a branch takes, with the parts of each condition evaluated up to it (their {@code at}
     * begins with {@code cases[i].when}), for the instance's path. Runs that began before paths
     * were recorded call {@link #firstMatch}. {@code fetched}: the instance's fetch answers by step
     * id, which conditions read as {@code fetched.<stepId>}; null for none (and in calls recorded
     * before fetch steps existed, which had three arguments).
     */
    CaseChosen chooseCase(String projectId, EntryEvent entryEvent, List<Condition> conditions, Map<String, Object> fetched);

    /** @param index the first case whose condition holds, or -1 (otherwise) */
    record CaseChosen(int index, List<ConditionCheck> checks) {}

    /**
     * Merges tags into the user's ({@code null} deletes); a device subject updates its user, if known.
     * The {@code @tags_changed} event it records has the client event id {@code eventId}, the same on
     * every attempt, so a retry stores it once, and carries {@code causedBy} (the journeys that led
     * to it) in its data. Histories recorded before both existed called it with four arguments; a
     * call with them (nulls here) records the event as before, without id or cause.
     */
    void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                    List<String> causedBy);

    /** The user's timezone, else the project's default. */
    String timezone(String projectId, String subjectType, String subjectId);
}
