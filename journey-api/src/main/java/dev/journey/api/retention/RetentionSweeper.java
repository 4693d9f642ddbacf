package dev.journey.api.retention;

import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.runtime.Threads;
import dev.journey.worker.retention.RetentionJob;
import io.quarkus.runtime.Startup;

/**
 * Runs the retention pass ({@link RetentionJob}) right after start, then every
 * {@code journey.retention.interval}. The migration made this month and the next, so ingest does not
 * wait for the first pass. Every replica runs it; the pass's lock lets one work at a time and the
 * others skip. A failed pass is logged and tried again at the next interval.
 */
@Startup
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    @Inject
    RetentionJob job;

    @ConfigProperty(name = "journey.retention.interval")
    Duration interval;

    private volatile boolean running = true;
    private Thread loop;

    @PostConstruct
    void start() {
        loop = Threads.supervised("journey-retention", this::run, interval, () -> running, () -> { });
        loop.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                pass();
            } catch (RuntimeException e) {
                LOG.warnf("retention pass failed; next in %s: %s", interval, e.getMessage());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pass() {
        RetentionJob.Report report = job.run(Instant.now());
        if (!report.created().isEmpty() || !report.dropped().isEmpty() || report.keysRemoved() > 0 || report.instancesRemoved() > 0) {
            LOG.infof("retention: months created %s, dropped %s; %d eventIds past the dedup window forgotten; %d finished instances removed",
                    report.created(), report.dropped(), report.keysRemoved(), report.instancesRemoved());
        }
    }
}
