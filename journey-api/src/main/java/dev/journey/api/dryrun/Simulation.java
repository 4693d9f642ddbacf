package dev.journey.api.dryrun;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.journey.api.dispatch.TriggerMatch;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.Reentry;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.message.MessageRenderer;
import dev.journey.worker.message.ProjectTemplates;
import dev.journey.worker.subject.SubjectStore;

/**
 * One dry run: the project's stored events of the period, read once in time order, replayed
 * through a journey definition in memory. Each event first lets its subject's instances catch up to
 * its time and hears them, then may enter the subject (trigger, loop rule, re-entry); at the end,
 * every instance runs on to the end of the period. Nothing is written; the only reads besides the
 * events are the subjects' users, timezones and history, each once per subject.
 */
final class Simulation {
    /** What to replay, and the bounds: events read at most, and wall-clock time. */
    /** {@code retainedFrom}: the project's events retention start; events received before it are not replayed. */
    record Plan(String runId, String projectId, String journeyId, int version, JourneyDefinition journey, Instant since,
                Instant until, Instant retainedFrom, long maxEvents, Duration maxTime, int maxActivePerSubject) {}

    /** The stores a run reads. */
    record Reads(EventStore events, SubjectStore subjects, MessageRenderer renderer, ProjectTemplates templates,
                 DeliverySettingsStore settings, ConsentStore consent) {}

    private final Plan plan;
    private final Reads reads;
    private final Tally tally;
    private final MessagePrediction messages;
    private final Set<String> listensTo;
    private final Map<String, SimulatedSubject> subjects = new HashMap<>();
    private volatile Instant readUntil;
    private String truncatedBy;

    Simulation(Plan plan, Reads reads) {
        this.plan = plan;
        this.reads = reads;
        this.tally = new Tally(plan.journey());
        this.messages = new MessagePrediction(plan.projectId(), plan.journeyId(), plan.journey().name(), plan.version(),
                plan.journey().isTransactional(), reads.renderer(), reads.templates(), reads.settings().get(plan.projectId()),
                reads.subjects(), reads.consent(), tally);
        this.listensTo = plan.journey().listensTo();
    }

    JourneyDefinition journey() {
        return plan.journey();
    }

    String journeyId() {
        return plan.journeyId();
    }

    Set<String> listensTo() {
        return listensTo;
    }

    Tally tally() {
        return tally;
    }

    MessagePrediction messages() {
        return messages;
    }

    Map<String, Object> user(SimulatedSubject subject) {
        return subject.user(reads.subjects(), plan.projectId());
    }

    ZoneId zone(SimulatedSubject subject) {
        return subject.zone(reads.subjects(), plan.projectId());
    }

    Facts facts(SimulatedSubject subject, EntryEvent entry, Instant at) {
        return subject.facts(reads.subjects(), plan.projectId(), entry, at);
    }

    /** Progress while it runs: events read, entries, and the time of the last event read. */
    DryRunProgress progress() {
        return new DryRunProgress(tally.eventsRead.get(), tally.entries.get(), readUntil);
    }

    DryRunResult run() {
        long started = System.nanoTime();
        long deadline = started + plan.maxTime().toNanos();
        Set<String> types = new LinkedHashSet<>();
        types.add(plan.journey().trigger().eventType());
        types.addAll(listensTo);
        reads.events().replay(plan.projectId(), List.copyOf(types), plan.since(), plan.until(), plan.retainedFrom(),
                plan.maxEvents() + 1, event -> {
            if (tally.eventsRead.get() == plan.maxEvents()) {
                truncatedBy = "events";
                return false;
            }
            if (System.nanoTime() > deadline) {
                truncatedBy = "time";
                return false;
            }
            Instant at = Instant.parse(event.timestamp());
            event(event, at);
            readUntil = at;
            tally.eventsRead.incrementAndGet();
            return true;
        });
        // A run cut short knows the events only up to where it stopped: instances go on to there, not further.
        Instant horizon = truncatedBy == null ? plan.until() : readUntil;
        long stillActive = 0;
        for (SimulatedSubject subject : subjects.values()) {
            for (SimulatedInstance instance : subject.instances) {
                if (horizon != null) {
                    instance.advance(horizon, truncatedBy == null);
                }
                if (instance.active()) {
                    instance.stillActive();
                    stillActive++;
                }
            }
        }
        return tally.result(plan.runId(), plan.journeyId(), plan.journey(), plan.since(), plan.until(), truncatedBy,
                truncatedBy == null ? plan.until() : readUntil, (System.nanoTime() - started) / 1_000_000, stillActive);
    }

    private void event(EntryEvent event, Instant at) {
        String key = event.subjectType() + "/" + event.subjectId();
        SimulatedSubject subject = subjects.get(key);
        if (subject != null && !subject.instances.isEmpty()) {
            for (SimulatedInstance instance : new ArrayList<>(subject.instances)) {
                instance.advance(at, false);
                instance.hear(event);
            }
            subject.forgetEnded();
        }
        if (!TriggerMatch.typeMatches(plan.journey().trigger(), event)) {
            return;
        }
        if (subject == null) {
            subject = new SimulatedSubject(event.subjectType(), event.subjectId());
            subjects.put(key, subject);
        }
        SimulatedSubject who = subject;
        TriggerMatch.Refusal refusal = TriggerMatch.refusal(plan.journeyId(), plan.journey().trigger(), event,
                () -> user(who), () -> facts(who, event, at));
        if (refusal != null) {
            tally.notEntered(refusal);
        } else if (!mayEnter(subject, at)) {
            tally.notEnteredByReentry();
        } else {
            subject.entries++;
            subject.lastEntry = at;
            tally.entries.incrementAndGet();
            SimulatedInstance instance = new SimulatedInstance(this, subject, event);
            subject.instances.add(instance);
            instance.start();
            subject.forgetEnded();
        }
    }

    /** Re-entry as {@code InstanceStore.mayEnter} decides it, from this run's entries alone. */
    private boolean mayEnter(SimulatedSubject subject, Instant at) {
        Reentry reentry = plan.journey().reentryOrDefault();
        return switch (reentry.mode()) {
            case "always" -> subject.active() < plan.maxActivePerSubject();
            case "cooldown" -> subject.lastEntry == null || !subject.lastEntry.isAfter(at.minus(reentry.cooldownDuration()));
            default -> subject.entries == 0;
        };
    }
}
