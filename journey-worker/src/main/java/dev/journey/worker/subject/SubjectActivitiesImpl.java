package dev.journey.worker.subject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.ConditionCheck;
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
        return chooseCase(projectId, entryEvent, conditions, null).index();
    }

    @Override
    public CaseChosen chooseCase(String projectId, EntryEvent entryEvent, List<Condition> conditions, Map<String, Object> fetched) {
        Map<String, Object> context = ConditionContext.of(entryEvent, subjects.user(projectId, entryEvent.subjectType(),
                entryEvent.subjectId()), fetched);
        Facts history = subjects.history(projectId, entryEvent.subjectType(), entryEvent.subjectId(), entryEvent.asMap(),
                Instant.parse(entryEvent.timestamp()), Instant.now());
        return chooseCase(conditions, context, history);
    }

    /** The case a branch takes (its index, or -1) with the checks that decided it: the one rule for workflows and dry runs. */
    public static CaseChosen chooseCase(List<Condition> conditions, Map<String, Object> context, Facts history) {
        List<ConditionCheck> checks = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            Conditions.Explained explained = Conditions.explain(conditions.get(i), context, history);
            String at = "cases[" + i + "].when";
            explained.checks().forEach(c -> checks.add(c.under(at)));
            if (explained.result()) {
                return new CaseChosen(i, checks);
            }
        }
        return new CaseChosen(-1, checks);
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
