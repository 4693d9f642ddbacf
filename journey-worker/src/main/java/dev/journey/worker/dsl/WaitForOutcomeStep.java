package dev.journey.worker.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Goes one way or the other on what happened to a message an earlier step of the same instance sent
 * — Braze's action paths, Knock's step conditions: "push; if not clicked within 2 h, send an SMS",
 * "e-mail failed → in-app". {@code delivered} and {@code failed} are known as soon as the message
 * step ends (it waits for the hand-off), so they decide at once; {@code opened}, {@code clicked} and
 * {@code displayed} come later from the user, and are waited for up to {@code within}.
 *
 * @param message the id of the message step whose message (its latest visit's) is meant
 */
public record WaitForOutcomeStep(String id, String message, String outcome, String within, String onOutcome,
                                 String onTimeout) implements Step {
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String CLICKED = "clicked";
    public static final String DISPLAYED = "displayed";
    public static final String OPENED = "opened";
    public static final List<String> OUTCOMES = List.of(DELIVERED, FAILED, OPENED, CLICKED, DISPLAYED);

    /**
     * The engagement events that report an outcome the user makes (an e-mail's open pixel or a push
     * the app reports opened; a tracked link or in-app click; an in-app display).
     */
    private static final Map<String, Set<String>> EVENTS = Map.of(
            OPENED, Set.of("@opened"),
            CLICKED, Set.of("@clicked", "@iam_clicked"),
            DISPLAYED, Set.of("@iam_displayed"));

    /** The channels whose messages can report each outcome the user makes; the others never would. */
    private static final Map<String, Set<String>> CHANNELS = Map.of(
            OPENED, Set.of("email", "push"),
            CLICKED, Set.of("email", "push", "inapp"),
            DISPLAYED, Set.of("inapp"));

    /** Whether the outcome is known when the message step ends (the send's own result), not reported later. */
    public boolean knownAtSend() {
        return DELIVERED.equals(outcome) || FAILED.equals(outcome);
    }

    /** The event types that report this outcome (each carries the message's id as {@code data.messageId}). */
    public Set<String> events() {
        return EVENTS.getOrDefault(outcome, Set.of());
    }

    /** Whether a message on this channel can ever have this outcome (sends can always be delivered or fail). */
    public static boolean reportable(String outcome, String channel) {
        Set<String> channels = CHANNELS.get(outcome);
        return channels == null || channels.contains(channel);
    }

    /** The channels that report this outcome, for a message saying which. */
    public static Set<String> channelsReporting(String outcome) {
        return CHANNELS.getOrDefault(outcome, Set.of());
    }

    public java.time.Duration withinDuration() {
        return within == null ? java.time.Duration.ZERO : Durations.stored(within);
    }

    @Override
    public List<String> successors() {
        return Arrays.asList(onOutcome, onTimeout);
    }

    @Override
    public boolean waits() {
        return !knownAtSend();
    }
}
