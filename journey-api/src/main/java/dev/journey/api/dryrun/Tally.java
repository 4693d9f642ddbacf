package dev.journey.api.dryrun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.journey.api.dispatch.TriggerMatch;
import dev.journey.templates.TemplateError;
import dev.journey.worker.dsl.BranchStep;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.SplitStep;
import dev.journey.worker.dsl.Step;
import dev.journey.worker.dsl.WaitForEventStep;
import dev.journey.worker.dsl.WaitStep;
import dev.journey.worker.instance.InstanceStatus;

/**
 * The counts of one dry run as it goes. Only the run's own thread writes; the progress fields are
 * read by others while it runs, so they are atomic.
 */
final class Tally {
    /** Rendered messages kept as samples, each of another user. */
    static final int SAMPLES = 5;
    /** Users named per template error. */
    static final int USERS_PER_ERROR = 5;

    final AtomicLong eventsRead = new AtomicLong();
    final AtomicLong entries = new AtomicLong();
    private final Map<String, Long> notEntered = new LinkedHashMap<>();
    private final Map<String, long[]> steps = new LinkedHashMap<>();
    private final Map<String, long[]> branches = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> arms = new LinkedHashMap<>();
    private final Map<String, Long> byChannel = new LinkedHashMap<>();
    private long capped;
    private long suppressed;
    private long held;
    private long failed;
    private final long[] ends = new long[3];
    private final List<DryRunResult.Sample> samples = new ArrayList<>();
    private final Set<String> sampledUsers = new HashSet<>();
    private final Map<List<Object>, ErrorCount> errors = new LinkedHashMap<>();

    private static final int REACHED = 0;
    private static final int WAITING = 1;
    private static final int ENDED_BY_TIME = 2;
    private static final int BY_EVENT = 3;
    private static final int BY_TIMEOUT = 4;

    private static final class ErrorCount {
        final List<String> users = new ArrayList<>();
        long count;
    }

    Tally(JourneyDefinition journey) {
        for (Step step : journey.steps()) {
            steps.put(step.id(), new long[5]);
            if (step instanceof BranchStep branch) {
                branches.put(step.id(), new long[branch.cases().size() + 1]);
            } else if (step instanceof SplitStep split) {
                Map<String, Long> counts = new LinkedHashMap<>();
                split.arms().forEach(a -> counts.put(a.name(), 0L));
                arms.put(step.id(), counts);
            }
        }
    }

    void notEntered(TriggerMatch.Refusal why) {
        notEntered.merge(why.name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    }

    void notEnteredByReentry() {
        notEntered.merge("reentry", 1L, Long::sum);
    }

    void reached(String stepId) {
        steps.get(stepId)[REACHED]++;
    }

    void waitEnded(String stepId) {
        steps.get(stepId)[ENDED_BY_TIME]++;
    }

    void waitForEventEnded(String stepId, boolean byEvent) {
        steps.get(stepId)[byEvent ? BY_EVENT : BY_TIMEOUT]++;
    }

    /** {@code chosen}: the case's index, or -1 for {@code else}. */
    void branch(String stepId, int chosen) {
        long[] counts = branches.get(stepId);
        counts[chosen < 0 ? counts.length - 1 : chosen]++;
    }

    void arm(String stepId, String arm) {
        arms.get(stepId).merge(arm, 1L, Long::sum);
    }

    void sent(String channel) {
        byChannel.merge(channel, 1L, Long::sum);
    }

    void suppressed() {
        suppressed++;
    }

    void capped() {
        capped++;
    }

    void held() {
        held++;
    }

    void failed() {
        failed++;
    }

    void rendered(String userId, String stepId, String channel, String locale, Map<String, String> fields) {
        if (samples.size() < SAMPLES && sampledUsers.add(userId)) {
            samples.add(new DryRunResult.Sample(userId, stepId, channel, locale, fields));
        }
    }

    void templateError(String stepId, TemplateError error, String userId) {
        ErrorCount count = errors.computeIfAbsent(List.of(stepId, String.valueOf(error.field()), error.line(), error.column(),
                String.valueOf(error.message())), k -> new ErrorCount());
        count.count++;
        if (count.users.size() < USERS_PER_ERROR && !count.users.contains(userId)) {
            count.users.add(userId);
        }
    }

    void ended(InstanceStatus status) {
        switch (status) {
            case COMPLETED -> ends[0]++;
            case EXITED -> ends[1]++;
            case CONVERTED -> ends[2]++;
            default -> throw new IllegalStateException("a simulated instance cannot end " + status);
        }
    }

    /** An instance still waiting at {@code stepId} when the period ends. */
    void stillWaiting(String stepId) {
        steps.get(stepId)[WAITING]++;
    }

    DryRunResult result(String id, String journeyId, JourneyDefinition journey, Instant since, Instant until, String truncatedBy,
                        Instant readUntil, long millis, long stillActive) {
        Map<String, DryRunResult.StepCounts> perStep = new LinkedHashMap<>();
        for (Step step : journey.steps()) {
            long[] c = steps.get(step.id());
            boolean waits = step instanceof WaitStep || step instanceof WaitForEventStep;
            List<Long> cases = null;
            Long otherwise = null;
            if (step instanceof BranchStep) {
                long[] b = branches.get(step.id());
                cases = new ArrayList<>();
                for (int i = 0; i < b.length - 1; i++) {
                    cases.add(b[i]);
                }
                otherwise = b[b.length - 1];
            }
            perStep.put(step.id(), new DryRunResult.StepCounts(c[REACHED], waits ? c[WAITING] : null,
                    step instanceof WaitStep ? c[ENDED_BY_TIME] : null,
                    step instanceof WaitForEventStep ? c[BY_EVENT] : null, step instanceof WaitForEventStep ? c[BY_TIMEOUT] : null,
                    cases, otherwise, arms.get(step.id())));
        }
        List<DryRunResult.TemplateProblem> problems = new ArrayList<>();
        errors.forEach((key, count) -> problems.add(new DryRunResult.TemplateProblem((String) key.get(0), (String) key.get(1),
                (Integer) key.get(2), (Integer) key.get(3), (String) key.get(4), List.copyOf(count.users), count.count)));
        return new DryRunResult(id, journeyId, since, until, eventsRead.get(), entries.get(), Map.copyOf(notEntered), perStep,
                new DryRunResult.Messages(Map.copyOf(byChannel), capped, held, failed, suppressed),
                new DryRunResult.Ended(ends[0], ends[1], ends[2], stillActive), List.copyOf(samples), problems,
                truncatedBy != null, truncatedBy, readUntil, millis);
    }
}
