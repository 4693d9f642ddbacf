package dev.journey.worker.journey;

import dev.journey.worker.instance.InstanceStatus;

import dev.journey.worker.event.InboundEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an instance carries across continue-as-new: where it is, the events
 * it has heard and not yet used, the ids it has seen (so a redelivered event is ignored), and how
 * often it has passed each step. Bounded, so history stays bounded however long the user stays.
 */
public class JourneyState {
    public static final int MAX_INBOX = 100;
    /**
     * The inbox is also bounded in bytes (an estimate of its events' JSON, {@link InboxSize}): it
     * travels in every continue-as-new input, which Temporal refuses above 2 MB, and an event's data
     * may hold up to 32 KiB ({@code journey.track.max-event-bytes}), so 100 events could reach
     * 3.2 MB. 256 KiB still holds at least eight events of the largest size and leaves the input
     * (entry event of up to 32 KiB, {@value #MAX_SEEN} seen ids, visits) far below the limit.
     * The oldest events are dropped first, as for the count.
     */
    public static final int MAX_INBOX_BYTES = 256 * 1024;
    public static final int MAX_SEEN = 500;
    /**
     * What fetch steps' answers may take together (a deterministic estimate of their JSON,
     * {@link InboxSize#json}): they travel in every continue-as-new input and in every send's
     * input. One answer may hold 16 KiB, so at least four fit whole.
     */
    public static final int MAX_FETCHED_BYTES = 64 * 1024;

    public String stepId;
    public List<InboundEvent> inbox = new ArrayList<>();
    public List<Long> seen = new ArrayList<>();
    /**
     * How many times each step has been passed (begun and left); the visit a step is in is one more.
     * A step left for a continue-as-new or a resume is not counted, so the next run repeats its
     * visit. Absent in states written before visits were counted: none then.
     */
    public Map<String, Integer> visits = new LinkedHashMap<>();
    /** Set when a goal, an exitOn event or an archive ends the instance: CONVERTED or EXITED. */
    public InstanceStatus endStatus;
    public String endReason;
    /**
     * How each message step's latest message ended when its step did ({@code sent}, {@code failed},
     * {@code capped} …), for waits on a message's outcome. Absent in states written before those existed.
     */
    public Map<String, String> sent = new LinkedHashMap<>();
    /** The goal or exitOn event that ended the instance, when one did. */
    public Long endEventId;
    /**
     * The step just left, with its outcome, until the next step's checkpoint (or the end) writes it
     * to the instance's path; carried across continue-as-new, which can come in between.
     */
    public PathStep unrecordedStep;
    /**
     * The JSON answer of each fetch step that succeeded on its latest visit, by step id: what
     * templates and conditions read as {@code fetched.<stepId>}. Null until one does (and in
     * states written before fetch steps existed).
     */
    public Map<String, Object> fetched;

    public JourneyState() {}

    public JourneyState(String stepId) {
        this.stepId = stepId;
    }

    /**
     * The state a resumed run starts from: the checkpoint's step, and its seen ids minus the inbox,
     * whose events are heard again from the event table with anything the old run missed.
     */
    public static JourneyState resumedFrom(Checkpoint checkpoint) {
        JourneyState state = new JourneyState(checkpoint.stepId());
        state.seen.addAll(checkpoint.seen());
        state.seen.removeAll(checkpoint.inbox());
        if (checkpoint.visits() != null) {
            state.visits.putAll(checkpoint.visits());
        }
        if (checkpoint.sent() != null) {
            state.sent.putAll(checkpoint.sent());
        }
        if (checkpoint.fetched() != null && !checkpoint.fetched().isEmpty()) {
            state.fetched = new LinkedHashMap<>(checkpoint.fetched());
        }
        return state;
    }

    Checkpoint checkpoint(Long wakeAtMillis) {
        return new Checkpoint(stepId, wakeAtMillis, List.copyOf(seen), inbox.stream().map(InboundEvent::id).toList(),
                new LinkedHashMap<>(visitsOrEmpty()), sent == null ? null : new LinkedHashMap<>(sent),
                fetched == null ? null : new LinkedHashMap<>(fetched));
    }

    /**
     * Keeps a fetch step's answer (replacing its earlier visit's), unless the answers together
     * would then exceed {@link #MAX_FETCHED_BYTES}: false, and nothing changes.
     */
    boolean fetched(String stepId, Object answer) {
        long others = 0;
        if (fetched != null) {
            for (Map.Entry<String, Object> e : fetched.entrySet()) {
                if (!e.getKey().equals(stepId)) {
                    others += InboxSize.json(e.getValue());
                }
            }
        }
        if (others + InboxSize.json(answer) > MAX_FETCHED_BYTES) {
            return false;
        }
        if (fetched == null) {
            fetched = new LinkedHashMap<>();
        }
        fetched.put(stepId, answer);
        return true;
    }

    /** A fetch step that failed leaves nothing: an earlier visit's answer would be taken for this one's. */
    void fetchFailed(String stepId) {
        if (fetched != null) {
            fetched.remove(stepId);
        }
    }

    /** How many times the step has been passed (its latest visit's number; 0: never). */
    int passedCount(String stepId) {
        return visitsOrEmpty().getOrDefault(stepId, 0);
    }

    void sent(String stepId, String status) {
        if (sent == null) {
            sent = new LinkedHashMap<>();
        }
        sent.put(stepId, status);
    }

    /** The status the latest message of the step ended its step with; null if it never sent one. */
    String sentStatus(String stepId) {
        return sent == null ? null : sent.get(stepId);
    }

    /** The visit of {@code stepId} that is beginning: 1 the first time. */
    int visit(String stepId) {
        return visitsOrEmpty().getOrDefault(stepId, 0) + 1;
    }

    /** Counts a visit of {@code stepId} as passed. */
    void passed(String stepId) {
        if (visits == null) {
            visits = new LinkedHashMap<>();
        }
        visits.merge(stepId, 1, Integer::sum);
    }

    private Map<String, Integer> visitsOrEmpty() {
        return visits == null ? Map.of() : visits;
    }

    /** Adds an event unless it was seen already; false for a duplicate. The inbox is bounded by count only. */
    boolean hear(InboundEvent event) {
        return hear(event, false);
    }

    /**
     * Adds an event unless it was seen already; false for a duplicate. With {@code boundBytes}, the
     * oldest events are also dropped while the inbox is over {@link #MAX_INBOX_BYTES} (the newest
     * event always stays).
     */
    boolean hear(InboundEvent event, boolean boundBytes) {
        if (seen.contains(event.id())) {
            return false;
        }
        seen.add(event.id());
        if (seen.size() > MAX_SEEN) {
            seen.remove(0);
        }
        inbox.add(event);
        if (inbox.size() > MAX_INBOX) {
            inbox.remove(0);
        }
        if (boundBytes) {
            long bytes = InboxSize.of(inbox);
            while (bytes > MAX_INBOX_BYTES && inbox.size() > 1) {
                bytes -= InboxSize.of(inbox.remove(0));
            }
        }
        return true;
    }

    void end(InstanceStatus status, String reason) {
        end(status, reason, null);
    }

    void end(InstanceStatus status, String reason, Long eventId) {
        if (endStatus == null) {
            endStatus = status;
            endReason = reason;
            endEventId = eventId;
        }
    }

    /** Steps passed so far: the sequence number of the step that begins now. */
    int stepsPassed() {
        return visitsOrEmpty().values().stream().mapToInt(Integer::intValue).sum();
    }
}
