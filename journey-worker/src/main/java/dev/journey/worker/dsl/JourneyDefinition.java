package dev.journey.worker.dsl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A journey as the marketer defines it: what starts it, who may enter again, what ends it early,
 * what counts as success, and the steps. Immutable once published; a workflow receives its version
 * as input and never reads it again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JourneyDefinition(String name, EventMatch trigger, Reentry reentry, List<EventMatch> exitOn,
                                EventMatch goal, Boolean transactional, List<Step> steps, Limits limits) {
    public JourneyDefinition(String name, EventMatch trigger, Reentry reentry, List<EventMatch> exitOn, EventMatch goal,
                             Boolean transactional, List<Step> steps) {
        this(name, trigger, reentry, exitOn, goal, transactional, steps, null);
    }

    /** The entry limit, if the journey has one. */
    public Limits.Entries entryLimit() {
        return limits == null ? null : limits.entries();
    }

    /** Messages per minute the journey may hand off, if limited. */
    public Integer sendRate() {
        return limits == null ? null : limits.messagesPerMinute();
    }

    /** A transactional journey (receipts, password resets) opts every message out of caps and quiet hours. */
    public boolean isTransactional() {
        return Boolean.TRUE.equals(transactional);
    }

    public Step step(String id) {
        for (Step step : steps) {
            if (step.id().equals(id)) {
                return step;
            }
        }
        return null;
    }

    public String firstStepId() {
        return steps == null || steps.isEmpty() ? null : steps.get(0).id();
    }

    public Reentry reentryOrDefault() {
        return reentry == null || reentry.mode() == null ? Reentry.ONCE : reentry;
    }

    public List<EventMatch> exitOnOrEmpty() {
        return exitOn == null ? List.of() : exitOn;
    }

    /** The event types a running instance must hear about: what it waits for, exits on, or converts on. */
    @JsonIgnore
    public Set<String> listensTo() {
        Set<String> types = new LinkedHashSet<>();
        exitOnOrEmpty().forEach(m -> types.add(m.eventType()));
        if (goal != null) {
            types.add(goal.eventType());
        }
        for (Step step : steps) {
            if (step instanceof WaitForEventStep wait) {
                types.add(wait.event());
            }
            if (step instanceof WaitForOutcomeStep outcome) {
                types.addAll(outcome.events());
            }
        }
        types.remove(null);
        return types;
    }

    @JsonIgnore
    public List<String> stepIds() {
        List<String> ids = new ArrayList<>();
        steps.forEach(s -> ids.add(s.id()));
        return ids;
    }
}
