package dev.journey.worker.dsl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;

/**
 * Checks a definition before it is saved or published and lists every problem with its path, so a
 * marketer fixes them all at once rather than one per attempt.
 */
public final class JourneyValidator {
    /** Channels a message step can use today. */
    public static final Set<String> CHANNELS = Set.of("webhook");

    private final TemplateRenderer templates;

    public JourneyValidator(TemplateRenderer templates) {
        this.templates = templates;
    }

    public List<Problem> validate(JourneyDefinition journey) {
        List<Problem> problems = new ArrayList<>();
        if (journey.name() == null || journey.name().isBlank()) {
            problems.add(new Problem("name", "is required"));
        }
        if (journey.trigger() == null || journey.trigger().event() == null || journey.trigger().event().isBlank()) {
            problems.add(new Problem("trigger.event", "is required: the event type that enters a user"));
        }
        List<Step> steps = journey.steps() == null ? List.of() : journey.steps();
        if (steps.isEmpty()) {
            problems.add(new Problem("steps", "a journey needs at least one step"));
            return problems;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String path = "steps[" + i + "]";
            if (step == null) {
                problems.add(new Problem(path, "is empty"));
                continue;
            }
            if (step.id() == null || step.id().isBlank()) {
                problems.add(new Problem(path + ".id", "is required"));
            } else if (index.putIfAbsent(step.id(), i) != null) {
                problems.add(new Problem(path + ".id", "duplicate step id \"" + step.id() + "\""));
            }
            checkStep(step, path, problems);
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step != null && step.next() != null && !index.containsKey(step.next())) {
                problems.add(new Problem("steps[" + i + "].next", "unknown step id \"" + step.next() + "\""));
            }
        }
        checkReachability(steps, index, problems);
        return problems;
    }

    private void checkStep(Step step, String path, List<Problem> problems) {
        if (step instanceof MessageStep message) {
            if (message.channel() == null || !CHANNELS.contains(message.channel())) {
                problems.add(new Problem(path + ".channel", "must be one of " + CHANNELS));
            }
            if (message.template() == null || message.template().isEmpty()) {
                problems.add(new Problem(path + ".template", "is required: an object of field name to Liquid source"));
            } else {
                for (TemplateError error : templates.validate(message.template())) {
                    problems.add(new Problem(path + ".template." + error.field(),
                            "line " + error.line() + ", column " + error.column() + ": " + error.message()));
                }
            }
        } else if (step instanceof WaitStep wait) {
            try {
                if (wait.asDuration().isNegative() || wait.asDuration().isZero()) {
                    problems.add(new Problem(path + ".duration", "must be longer than zero"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(path + ".duration", e.getMessage()));
            }
        }
    }

    /** Every step must be reachable from the first, and a loop must pass through a wait (else it spins forever). */
    private static void checkReachability(List<Step> steps, Map<String, Integer> index, List<Problem> problems) {
        Set<String> seen = new HashSet<>();
        List<String> walk = new ArrayList<>();
        String current = steps.get(0) == null ? null : steps.get(0).id();
        while (current != null && index.containsKey(current) && seen.add(current)) {
            walk.add(current);
            current = steps.get(index.get(current)).next();
        }
        if (current != null && seen.contains(current)) {
            List<String> loop = walk.subList(walk.indexOf(current), walk.size());
            boolean waits = loop.stream().anyMatch(id -> steps.get(index.get(id)) instanceof WaitStep);
            if (!waits) {
                problems.add(new Problem("steps[" + index.get(current) + "]",
                        "steps " + loop + " form a loop without a wait"));
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step != null && step.id() != null && !seen.contains(step.id()) && index.get(step.id()) == i) {
                problems.add(new Problem("steps[" + i + "]", "step \"" + step.id() + "\" is unreachable from the first step"));
            }
        }
    }
}
