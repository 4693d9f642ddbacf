package dev.journey.api.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecyclePolicyTest {
    private final RecyclePolicy policy = new RecyclePolicy(2_000, 10, 20_000);

    @Test
    void midBurstTheServiceIsKeptRatherThanResumingThousandsOfJourneysThatAreAboutToEnd() {
        // Where the old rule (at least as many finished as running) replaced it in a 20,000 burst and resumed 6,204.
        assertFalse(policy.replaceNow(6_659, () -> 6_204));
        assertFalse(policy.replaceNow(15_000, () -> 5_000));
    }

    @Test
    void itIsReplacedOnceTheFinishedOutnumberTheRunningByTheRatio() {
        assertTrue(policy.replaceNow(18_200, () -> 1_800));
        assertTrue(policy.replaceNow(2_000, () -> 0));
        assertFalse(policy.replaceNow(1_999, () -> 0), "not before recycle-after have finished");
        assertFalse(policy.replaceNow(1_999, () -> {
            throw new AssertionError("the running journeys are not counted before recycle-after have finished");
        }));
    }

    @Test
    void atMostBoundsTheFinishedHeldHoweverManyRun() {
        assertTrue(policy.replaceNow(20_000, () -> 100_000), "100,000 waiting journeys do not let finished ones pile up without end");
    }

    @Test
    void zeroTurnsReplacementsOffAndNonsenseIsRefused() {
        RecyclePolicy off = new RecyclePolicy(0, 10, 20_000);
        assertFalse(off.enabled());
        assertFalse(off.replaceNow(1_000_000, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new RecyclePolicy(2_000, 0, 20_000));
        assertThrows(IllegalArgumentException.class, () -> new RecyclePolicy(2_000, 10, 1_000));
    }
}
