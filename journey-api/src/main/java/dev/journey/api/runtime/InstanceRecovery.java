package dev.journey.api.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.observe.EngineMetrics;
import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.journey.Checkpoint;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.journey.JourneyInput;
import dev.journey.worker.journey.JourneyState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Makes every instance that PostgreSQL calls active run in Temporal, from its checkpoint.
 * <ul>
 * <li>At start-up with the in-process service (which remembers nothing): every active instance is
 *     started again, before the dispatcher signals any of them.</li>
 * <li>With a Temporal cluster: each active instance is looked up; one Temporal does not know is
 *     resumed, one it closed (an operator terminated it) is recorded as ended.</li>
 * <li>When a signal finds no workflow: that one instance, the same way.</li>
 * <li>With the in-process service, every two seconds: its closed workflows are dropped ({@link ClosedWorkflows}),
 *     so the heap does not grow with finished journeys. Only should that be off or impossible: once enough
 *     journeys have finished since the last time ({@link RecyclePolicy}: many more than are running, so the
 *     work stays small beside what it frees), the service is replaced with a fresh one and the running
 *     instances resumed on it.</li>
 * </ul>
 * A resumed step keeps its deadline, hears again the events it had not used and those that arrived
 * while nothing ran it, and a message step sends only what the message log does not call sent,
 * with the same idempotency key.
 */
@Startup
@ApplicationScoped
public class InstanceRecovery {
    private static final Logger LOG = Logger.getLogger(InstanceRecovery.class);
    private static final int PAGE = 500;
    /** A workflow is dropped at the second sweep that finds it closed: 2 to 4 s after it closed. */
    private static final Duration CLOSED_WORKFLOW_SWEEPS = Duration.ofSeconds(2);
    /** How one pass went. */
    record Pass(int resumed, int ended, int running, long millis) {}

    @Inject
    TemporalRuntime temporal;
    @Inject
    EngineMetrics metrics;
    @Inject
    InstanceStore instances;
    @Inject
    EventStore events;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "journey.temporal.recycle-after")
    long recycleAfter;
    @ConfigProperty(name = "journey.temporal.recycle-ratio")
    long recycleRatio;
    @ConfigProperty(name = "journey.temporal.recycle-at-most")
    long recycleAtMost;
    @ConfigProperty(name = "journey.recovery.concurrency")
    int concurrency;
    private RecyclePolicy recycle;

    private final CountDownLatch ready = new CountDownLatch(1);
    private ExecutorService pool;
    private volatile boolean running = true;
    private Thread thread;

    @PostConstruct
    void start() {
        // Built here, so a wrong journey.temporal.recycle-* value fails the start rather than a background thread.
        recycle = new RecyclePolicy(recycleAfter, recycleRatio, recycleAtMost);
        pool = Threads.pool("journey-recovery", concurrency);
        thread = Threads.daemon(this::run, "journey-recovery");
        thread.start();
    }

    /** Blocks until the start-up pass is done: the dispatcher signals instances only once they run again. */
    public void awaitReady() throws InterruptedException {
        ready.await();
    }

    private void run() {
        Pass startUp = null;
        while (running && startUp == null) {
            try {
                startUp = pass(this::reconcile);
                if (startUp.resumed() + startUp.ended() > 0) {
                    LOG.infof("resumed %d running journey instance(s), ended %d, in %d ms", startUp.resumed(), startUp.ended(),
                            startUp.millis());
                }
            } catch (RuntimeException e) {
                LOG.warnf("resuming journey instances failed, retrying: %s", e.getMessage());
                LOG.debug("resume failure", e);
                Threads.pause(Duration.ofSeconds(2));
            }
        }
        ready.countDown();
        if (temporal.dropsClosedWorkflows()) {
            dropClosedWorkflows();
        } else if (temporal.inProcess() && !temporal.timeSkipping() && recycle.enabled()) {
            long endedBefore = temporal.instancesEnded();
            while (running) {
                Threads.pause(Duration.ofSeconds(2));
                long ended = temporal.instancesEnded() - endedBefore;
                try {
                    if (recycle.replaceNow(ended, instances::countActive)) {
                        endedBefore = temporal.instancesEnded();
                        replaceService(ended);
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("replacing the in-process Temporal service failed: %s", e.getMessage());
                    LOG.debug("replace failure", e);
                }
            }
        }
    }

    /** Keeps the in-process service holding only the workflows that run, and those closed in the last seconds. */
    private void dropClosedWorkflows() {
        while (running) {
            Threads.pause(CLOSED_WORKFLOW_SWEEPS);
            try {
                metrics.workflowsDropped(temporal.dropClosedWorkflows());
            } catch (RuntimeException e) {
                LOG.warnf("dropping closed workflows from the in-process Temporal service failed: %s", e.getMessage());
            }
        }
    }

    /** Replaces the in-process service and resumes the running journeys on the new one ({@code ended}: for the log). */
    void replaceService(long ended) {
        long t0 = System.nanoTime();
        Pass[] pass = new Pass[1];
        TemporalRuntime.Replacement took = temporal.replaceInProcessService(starter -> {
            // Stopping ends the retries: the database may already be gone, and the next start resumes everyone anyway.
            while (pass[0] == null && running) {
                try {
                    pass[0] = resumeAll(starter);
                } catch (RuntimeException e) {
                    LOG.warnf("resuming on the new Temporal service failed, retrying: %s", e.getMessage());
                    Threads.pause(Duration.ofSeconds(1));
                }
            }
        }, Duration.ofSeconds(30));
        if (pass[0] == null) {
            return;
        }
        LOG.infof("replaced the in-process Temporal service: %d finished journeys dropped from memory, %d running ones resumed,"
                + " in %d ms (new service %d, old worker's drain %d, resume %d; new journeys went to the new service throughout)",
                ended, pass[0].resumed(), (System.nanoTime() - t0) / 1_000_000, took.newServiceMillis(), took.drainMillis(),
                took.refillMillis());
    }

    /** Starts every active instance again from its checkpoint (Temporal is known to have none of them). */
    Pass resumeAll(TemporalRuntime.Starter starter) {
        return pass(instance -> resume(instance, starter));
    }

    private Pass pass(java.util.function.Function<InstanceStore.Active, Outcome> action) {
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicIntegerArray outcomes = new java.util.concurrent.atomic.AtomicIntegerArray(Outcome.values().length);
        forEachActive(instance -> outcomes.incrementAndGet(action.apply(instance).ordinal()));
        return new Pass(outcomes.get(Outcome.RESUMED.ordinal()), outcomes.get(Outcome.ENDED.ordinal()),
                outcomes.get(Outcome.RUNNING.ordinal()), (System.nanoTime() - t0) / 1_000_000);
    }

    /** One instance a signal could not reach: resumed if it should run, recorded as ended if Temporal ended it. */
    public void recover(String workflowId) {
        instances.active(workflowId).ifPresent(this::reconcile);
    }

    private enum Outcome { RESUMED, ENDED, RUNNING }

    /**
     * The in-process service knows nothing it was not told since this start: resume. A cluster is
     * asked: what it does not know is resumed, what it closed is recorded as ended.
     */
    private Outcome reconcile(InstanceStore.Active instance) {
        return temporal.inProcess() ? resume(instance, temporal::start) : repair(instance);
    }

    private Outcome repair(InstanceStore.Active instance) {
        return switch (temporal.presence(instance.workflowId())) {
            case RUNNING -> Outcome.RUNNING;
            case UNKNOWN -> resume(instance, temporal::start);
            case COMPLETED -> end(instance, InstanceStatus.COMPLETED, null);
            case CLOSED_OTHERWISE -> end(instance, InstanceStatus.EXITED, "ended in Temporal (terminated, failed or timed out)");
        };
    }

    private Outcome resume(InstanceStore.Active instance, TemporalRuntime.Starter starter) {
        if (instance.journeyStatus() == JourneyStatus.ARCHIVED) {
            // The archive's stop signal found nothing running: end it as the signal would have.
            return end(instance, InstanceStatus.EXITED, "archived");
        }
        if (!starter.start(instance.workflowId(), input(instance))) {
            return Outcome.RUNNING;
        }
        instances.resumed(instance.workflowId());
        return Outcome.RESUMED;
    }

    private Outcome end(InstanceStore.Active instance, InstanceStatus status, String reason) {
        if (instances.end(instance.workflowId(), status, reason)) {
            metrics.endedOutsideItsWorkflow(instance.workflowId(), status);
        }
        return Outcome.ENDED;
    }

    /** The version by reference, as new starts carry it: the workflow reads the version itself. */
    JourneyInput input(InstanceStore.Active instance) {
        Checkpoint checkpoint = instance.checkpointJson() == null ? null : read(instance.checkpointJson(), Checkpoint.class);
        JourneyState state = checkpoint == null ? null : JourneyState.resumedFrom(checkpoint);
        List<InboundEvent> missed = missed(instance, checkpoint, state);
        return new JourneyInput(instance.projectId(), instance.journeyId(), instance.journeyVersion(), null, instance.entryEvent(),
                state, new JourneyInput.Resume(checkpoint == null ? null : checkpoint.wakeAtMillis(), missed));
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " could not be read: " + e.getOriginalMessage(), e);
        }
    }

    /** Events it listens to that it has not heard (or heard and not used), oldest first. */
    private List<InboundEvent> missed(InstanceStore.Active instance, Checkpoint checkpoint, JourneyState state) {
        if (instance.listensTo().isEmpty()) {
            return List.of();
        }
        long after = instance.entryEvent().id();
        List<Long> heard = state == null ? List.of() : state.seen;
        // Once the seen list is full its oldest ids have been dropped: everything before what it still holds was heard.
        if (checkpoint != null && checkpoint.seen().size() >= JourneyState.MAX_SEEN) {
            after = Math.max(after, checkpoint.seen().stream().mapToLong(Long::longValue).min().orElse(after) - 1);
        }
        EntryEvent entry = instance.entryEvent();
        return events.since(instance.projectId(), entry.subjectType(), entry.subjectId(), instance.listensTo(), after, heard,
                JourneyState.MAX_SEEN);
    }

    private interface RowAction {
        void accept(InstanceStore.Active instance);
    }

    /** Pages through the active instances by workflow id, a page at a time handled concurrently. */
    private void forEachActive(RowAction action) {
        String after = "";
        while (true) {
            List<InstanceStore.Active> page = instances.active(after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            after = page.get(page.size() - 1).workflowId();
            List<Future<?>> done = new ArrayList<>();
            for (InstanceStore.Active instance : page) {
                done.add(pool.submit(() -> action.accept(instance)));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while resuming instances", e);
                } catch (ExecutionException e) {
                    LOG.warnf("an instance could not be resumed: %s", e.getCause().getMessage());
                }
            }
        }
    }

    /**
     * Before any bean is destroyed: a resume pass gives up and the loop's pauses end, so stopping the runtime
     * cannot wait on them. A replacement's drain of the old worker goes on (the stop waits for it as well,
     * {@link TemporalRuntime#drain}); the signals waiting for that hand-over are let go once it ends.
     */
    void stopping(@Observes ShutdownEvent event) {
        running = false;
        thread.interrupt();
    }

    @PreDestroy
    void stop() {
        running = false;
        thread.interrupt();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
