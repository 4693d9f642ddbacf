package dev.journey.api.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/** The engine's background threads: named, daemon (they never keep a stopping JVM alive). */
public final class Threads {
    private static final Logger LOG = Logger.getLogger(Threads.class);

    private Threads() {}

    public static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> daemon(r, threads == 1 ? name : name + "-" + n.incrementAndGet()));
    }

    public static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A thread that runs {@code loop} and, when it dies of anything (an Error too) while
     * {@code running} still holds, logs it, tells {@code onRestart} and runs it again after
     * {@code backoff}: a background loop the engine depends on never ends silently.
     */
    public static Thread supervised(String name, Runnable loop, Duration backoff, BooleanSupplier running, Runnable onRestart) {
        return daemon(() -> {
            while (running.getAsBoolean()) {
                try {
                    loop.run();
                    return;
                } catch (Throwable t) {
                    if (!running.getAsBoolean()) {
                        return;
                    }
                    LOG.errorf(t, "%s died; restarting it in %s", name, backoff);
                    onRestart.run();
                    pause(backoff);
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
            }
        }, name);
    }

    /** Sleeps; an interrupt ends the sleep and stays set for the caller's loop to see. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
