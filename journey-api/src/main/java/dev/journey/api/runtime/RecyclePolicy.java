package dev.journey.api.runtime;

import java.util.function.LongSupplier;

/**
 * When the in-process Temporal service is replaced by a fresh one. A replacement frees the memory
 * of the journeys that finished on it, and costs a new start and a replay of every journey still
 * running there (they resume from their checkpoints): so it waits until the finished ones
 * outnumber the running ones {@code ratio} times, unless {@code atMost} finished journeys are held,
 * which bounds the memory whatever runs.
 *
 * <p>A burst is why the ratio is large: while 20,000 journeys were entered and ended, a ratio of one
 * replaced the service three times and resumed 14,500 journeys that would have ended on their own
 * seconds later — as much work again as the burst itself (src/bench/RuntimeBench.java prints how many).
 *
 * @param after  finished journeys before any replacement ({@code journey.temporal.recycle-after}; 0: never)
 * @param ratio  finished journeys dropped for every running one resumed ({@code journey.temporal.recycle-ratio})
 * @param atMost finished journeys held at most, however many run ({@code journey.temporal.recycle-at-most})
 */
record RecyclePolicy(long after, long ratio, long atMost) {
    RecyclePolicy {
        if (after < 0 || ratio < 1 || atMost < after) {
            throw new IllegalArgumentException("journey.temporal.recycle-*: after (" + after + ") must be at least 0, ratio (" + ratio
                    + ") at least 1, at-most (" + atMost + ") at least after");
        }
    }

    boolean enabled() {
        return after > 0;
    }

    /**
     * Whether to replace now, with {@code finished} journeys held by the service and {@code running} ones on it
     * (counted in the database, so only asked once enough have finished).
     */
    boolean replaceNow(long finished, LongSupplier running) {
        return enabled() && finished >= after && (finished >= atMost || finished >= ratio * running.getAsLong());
    }
}
