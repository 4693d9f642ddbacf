package dev.journey.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void aSupervisedLoopThatDiesOfAnErrorIsStartedAgainAndStopsWhenAskedTo() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch third = new CountDownLatch(1);
        Thread loop = Threads.supervised("test-loop", () -> {
            int n = runs.incrementAndGet();
            if (n == 1) {
                throw new StackOverflowError("an Error, not an Exception");
            }
            if (n == 2) {
                throw new IllegalStateException("and an exception");
            }
            third.countDown();
            while (running.get()) {
                Thread.onSpinWait();
            }
        }, Duration.ofMillis(10), running::get, restarts::incrementAndGet);
        loop.start();
        assertTrue(third.await(10, TimeUnit.SECONDS), "the loop was not started again");
        assertEquals(2, restarts.get());
        running.set(false);
        loop.join(10_000);
        assertEquals(false, loop.isAlive());
        assertEquals(3, runs.get());
    }
}
