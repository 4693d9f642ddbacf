package dev.journey.api.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The launcher starts a batch only when the in-process service has room for it: the journeys started
 * and not begun wait in its memory, so a burst beyond the bound waits in the outbox instead.
 */
class StartRoomTest {

    @Test
    void aBatchWaitsUntilTheJourneysNotYetBegunLeaveRoomForIt() {
        AtomicInteger waiting = new AtomicInteger(1000);
        AtomicInteger looks = new AtomicInteger();
        // The worker begins 100 journeys between two looks.
        InstanceLauncher.awaitRoom(() -> {
            looks.incrementAndGet();
            return waiting.getAndAdd(-100);
        }, 500, 1200, () -> true);
        assertEquals(4, looks.get(), "1000, 900, 800 leave no room for 500 under 1200; 700 does");
    }

    @Test
    void aBatchGoesAtOnceWhenThereIsRoomOrNothingWaits() {
        AtomicInteger looks = new AtomicInteger();
        InstanceLauncher.awaitRoom(() -> {
            looks.incrementAndGet();
            return 100;
        }, 50, 200, () -> true);
        assertEquals(1, looks.get());
        // Larger than the bound: it goes once nothing waits (with a cluster nothing ever waits here).
        InstanceLauncher.awaitRoom(() -> 0, 5000, 200, () -> true);
    }

    @Test
    void aStopEndsTheWait() {
        AtomicInteger looks = new AtomicInteger();
        InstanceLauncher.awaitRoom(() -> 10_000, 1, 100, () -> looks.incrementAndGet() < 3);
        assertEquals(3, looks.get());
    }
}
