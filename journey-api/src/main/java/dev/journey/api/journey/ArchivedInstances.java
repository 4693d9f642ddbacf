package dev.journey.api.journey;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.dispatch.InstanceSignals;
import dev.journey.api.runtime.InstanceRecovery;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.instance.InstanceStore;
import io.quarkus.runtime.Startup;

/**
 * Stops the instances of archived journeys, off the request thread. Archiving only records the
 * journey's status (the request answers at once, however many users are inside); this loop then
 * signals every instance still active — right after an archive, and again every
 * {@code journey.archive.sweep-interval} — until each has ended. A signal that fails, or a crash in
 * the middle, only leaves the rest for the next sweep: no instance of an archived journey runs on.
 */
@Startup
@ApplicationScoped
public class ArchivedInstances {
    private static final Logger LOG = Logger.getLogger(ArchivedInstances.class);
    private static final int PAGE = 500;

    @Inject
    InstanceStore instances;
    @Inject
    InstanceSignals signals;
    @Inject
    InstanceRecovery recovery;

    @ConfigProperty(name = "journey.archive.sweep-interval")
    Duration interval;

    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running = true;
    private Thread loop;

    @PostConstruct
    void start() {
        loop = Threads.supervised("journey-archive", this::run, interval, () -> running, () -> { });
        loop.start();
    }

    /** A journey was archived: stop its instances now rather than at the next sweep. */
    public void wake() {
        wakeUps.release();
    }

    private void run() {
        try {
            recovery.awaitReady();
            while (running) {
                sweep();
                wakeUps.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sweep() {
        String after = "";
        while (running) {
            List<String> page;
            try {
                page = instances.activeOfArchived(after, PAGE);
            } catch (RuntimeException e) {
                LOG.warnf("instances of archived journeys could not be listed; next sweep in %s: %s", interval, e.getMessage());
                return;
            }
            for (String workflowId : page) {
                try {
                    signals.stop(workflowId, "archived");
                } catch (RuntimeException e) {
                    LOG.warnf("instance %s of an archived journey could not be stopped yet: %s", workflowId, e.getMessage());
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        loop.interrupt();
    }
}
