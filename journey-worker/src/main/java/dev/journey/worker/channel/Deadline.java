package dev.journey.worker.channel;

import java.time.Duration;

/**
 * When one attempt at a provider must be over, whatever the provider does: every connect, request,
 * read and push device of the attempt takes its time from this one budget, so per-operation
 * timeouts can never add up past it. Measured on the monotonic clock.
 */
public final class Deadline {
    private final Duration budget;
    private final long endNanos;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    /** The whole budget, as it was given: for messages that say why an attempt stopped. */
    public Duration budget() {
        return budget;
    }

    /** What is left of the budget; zero once it is spent. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public boolean passed() {
        return remaining().isZero();
    }

    /** An operation's own timeout, shortened to what is left of the budget. */
    public Duration cap(Duration timeout) {
        Duration left = remaining();
        return timeout.compareTo(left) < 0 ? timeout : left;
    }

    /** "the attempt's 20 s": how an error names the budget that ran out. */
    String describe() {
        return "the attempt's " + (budget.toMillis() % 1000 == 0 ? budget.toSeconds() + " s" : budget.toMillis() + " ms");
    }
}
