package dev.journey.api.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.runtime.InstanceRecovery;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.db.Sql;
import dev.journey.worker.segment.SegmentStore;
import io.quarkus.runtime.Startup;

/**
 * Membership that changes with the clock alone ("3 purchases in the last 30 days" stops holding
 * when the oldest of them is 30 days old): every {@code journey.segments.reconcile-interval} it
 * takes the tracked users whose stored recheck time has come ({@code segment_recheck}, written at
 * each membership check) and asks only their membership again, entering or exiting them with the
 * same events as the dispatcher does and storing their next time. A pass costs the users whose
 * windows end, not the population; an idle pass is one indexed look. Replicas share the due rows
 * by leasing them (SKIP LOCKED, then a later time); a failure leaves a row due again after the lease.
 */
@Startup
@ApplicationScoped
public class SegmentReconciler {
    private static final Logger LOG = Logger.getLogger(SegmentReconciler.class);
    static final int PAGE = 500;
    /** How long a taken recheck is left to its taker before another replica may take it again. */
    static final Duration LEASE = Duration.ofMinutes(5);

    @Inject
    Sql sql;
    @Inject
    SegmentStore segments;
    @Inject
    SegmentMembership membership;
    @Inject
    PublishedJourneys journeys;
    @Inject
    Dispatcher dispatcher;
    @Inject
    InstanceRecovery recovery;

    @ConfigProperty(name = "journey.segments.reconcile-interval")
    Duration interval;

    private volatile boolean running = true;
    private Thread loop;

    @PostConstruct
    void start() {
        loop = Threads.supervised("journey-segment-reconciler", this::run, interval, () -> running, () -> { });
        loop.start();
    }

    private void run() {
        try {
            recovery.awaitReady();
            while (running) {
                try {
                    reconcile();
                } catch (RuntimeException e) {
                    LOG.warnf("segment rechecks could not be taken; next pass in %s: %s", interval, e.getMessage());
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass: every recheck due now, a page at a time. @return how many users entered or left */
    int reconcile() {
        int changed = 0;
        while (running) {
            List<SegmentStore.Recheck> due = segments.takeDue(Instant.now(), LEASE, PAGE);
            for (SegmentStore.Recheck recheck : due) {
                changed += recheck(recheck) ? 1 : 0;
            }
            if (changed > 0) {
                dispatcher.wake();
            }
            if (due.size() < PAGE) {
                return changed;
            }
        }
        return changed;
    }

    /** One user in its own short transaction, so it waits for no one else's and a failure is its own. */
    private boolean recheck(SegmentStore.Recheck recheck) {
        try {
            return sql.inTransaction(tx -> {
                // Losing this commit in a crash only leaves the row leased: it is asked again after the lease.
                Sql.commitWithoutWaitingForDisk(tx);
                boolean tracked = journeys.trackedSegments(tx, recheck.projectId()).stream().anyMatch(t -> t.id().equals(recheck.segmentId()));
                if (!tracked) {
                    // No journey enters or leaves on it any more: nobody needs its changes in time.
                    SegmentStore.recheckAt(tx, recheck.segmentId(), recheck.userId(), null);
                    return false;
                }
                return membership.check(tx, recheck.projectId(), recheck.segmentId(), recheck.userId(), SegmentMembership.Cause.TIME);
            });
        } catch (RuntimeException e) {
            LOG.warnf("segment %s of user %s could not be asked again; again in %s: %s", recheck.segmentId(), recheck.userId(), LEASE,
                    e.getMessage());
            return false;
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        loop.interrupt();
    }
}
