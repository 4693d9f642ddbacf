package dev.journey.api.dryrun;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.message.DeliverySettings;
import dev.journey.worker.subject.SubjectStore;

/**
 * One subject during a dry run: its simulated instances, its entries (re-entry is decided from
 * these alone: the run starts as if the subject had never been in the journey), the messages
 * admitted to it (frequency caps count these, not the real message log), and what is read about
 * it from the database — the user and its timezone as they are now, its history — each read at
 * most once.
 */
final class SimulatedSubject {
    final String type;
    final String id;
    final List<SimulatedInstance> instances = new ArrayList<>(1);
    long entries;
    Instant lastEntry;
    private final Deque<Admitted> admitted = new ArrayDeque<>();
    private Map<String, Object> user;
    private ZoneId zone;
    private Facts facts;

    private record Admitted(Instant at, String channel) {}

    SimulatedSubject(String type, String id) {
        this.type = type;
        this.id = id;
    }

    Map<String, Object> user(SubjectStore subjects, String projectId) {
        if (user == null) {
            user = subjects.user(projectId, type, id);
        }
        return user;
    }

    /** The user's timezone as quiet hours and waits until a time of day read it; UTC when it is not a zone Java knows. */
    ZoneId zone(SubjectStore subjects, String projectId) {
        if (zone == null) {
            try {
                zone = ZoneId.of(subjects.timezone(projectId, type, id));
            } catch (RuntimeException e) {
                zone = ZoneId.of("UTC");
            }
        }
        return zone;
    }

    /**
     * The subject's history and segments as the dispatcher reads them, each answer remembered for
     * the rest of the run: a query per subject and condition, not per event. The first evaluation's
     * entry and moment decide it (documented as an approximation of the dry run).
     */
    Facts facts(SubjectStore subjects, String projectId, EntryEvent entry, Instant at) {
        if (facts == null) {
            Facts stored = subjects.history(projectId, type, id, entry.asMap(), Instant.parse(entry.timestamp()), at);
            Map<Condition.EventCount, Long> counts = new HashMap<>();
            Map<String, Boolean> segments = new HashMap<>();
            facts = new Facts() {
                @Override
                public long countEvents(Condition.EventCount condition) {
                    return counts.computeIfAbsent(condition, stored::countEvents);
                }

                @Override
                public boolean inSegment(String segmentId) {
                    return segments.computeIfAbsent(segmentId, stored::inSegment);
                }
            };
        }
        return facts;
    }

    long active() {
        return instances.stream().filter(SimulatedInstance::active).count();
    }

    /** Drops ended instances: a subject keeps only what can still change. */
    void forgetEnded() {
        instances.removeIf(i -> !i.active());
    }

    /** How many of the subject's admitted messages a cap counts at {@code now} (the window before it, on its channel). */
    long admittedWithin(DeliverySettings.Cap cap, Instant now) {
        Instant from = now.minus(cap.window());
        long used = 0;
        for (Admitted a : admitted) {
            if (a.at().isAfter(from) && cap.applies(a.channel())) {
                used++;
            }
        }
        return used;
    }

    /** Records an admission; admissions older than the longest cap window can never count again and are dropped. */
    void admit(Instant at, String channel) {
        admitted.addLast(new Admitted(at, channel));
        Instant horizon = at.minus(DeliverySettings.MAX_CAP_PERIOD);
        for (Iterator<Admitted> it = admitted.iterator(); it.hasNext(); ) {
            if (it.next().at().isBefore(horizon)) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
