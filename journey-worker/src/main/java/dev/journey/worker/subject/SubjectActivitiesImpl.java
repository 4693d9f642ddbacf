package dev.journey.worker.subject;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.event.EntryEvent;

public class SubjectActivitiesImpl implements SubjectActivities {
    private final SubjectStore subjects;

    public SubjectActivitiesImpl(SubjectStore subjects) {
        this.subjects = subjects;
    }

    @Override
    public int firstMatch(String projectId, EntryEvent entryEvent, List<Condition> conditions) {
        Map<String, Object> context = ConditionContext.of(entryEvent, subjects.user(projectId, entryEvent.subjectType(),
                entryEvent.subjectId()));
        Facts history = subjects.history(projectId, entryEvent.subjectType(), entryEvent.subjectId(), entryEvent.asMap(),
                Instant.parse(entryEvent.timestamp()), Instant.now());
        return firstMatch(conditions, context, history);
    }

    /** The index of the first condition that holds (a branch's case), or -1. */
    public static int firstMatch(List<Condition> conditions, Map<String, Object> context, Facts history) {
        for (int i = 0; i < conditions.size(); i++) {
            if (Conditions.matches(conditions.get(i), context, history)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void updateTags(String projectId, String subjectType, String subjectId, Map<String, Object> tags, String eventId,
                           List<String> causedBy) {
        String userId = subjects.userId(projectId, subjectType, subjectId);
        if (userId != null) {
            subjects.mergeTags(projectId, userId, tags, eventId, causedBy);
        }
    }

    @Override
    public String timezone(String projectId, String subjectType, String subjectId) {
        return subjects.timezone(projectId, subjectType, subjectId);
    }
}
