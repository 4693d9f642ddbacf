package dev.journey.api.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.observe.EngineMetrics;
import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.Outbox;
import dev.journey.worker.instance.InstanceStatus;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.journey.JourneyInput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * What a committed dispatch batch asks of Temporal: start the instances it entered, then signal
 * the running instances that listen to its events, then take the batch out of the outbox.
 *
 * <p>Off the dispatch transaction's critical path and concurrent ({@code journey.dispatch.launch-concurrency}
 * calls at once), but batch after batch in order, so an instance is started before the signals
 * of later events reach it. Back-pressure: while {@code journey.dispatch.batches-ahead} batches wait
 * here, {@link #launch} blocks the dispatcher, so a burst waits in the outbox (durable), not in memory.
 * The in-process Temporal service holds the journeys started and not yet begun in memory: while
 * {@code journey.dispatch.max-starts-waiting} wait there, a batch waits before it starts its instances.
 *
 * <p>A crash before the end leaves the batch's outbox rows claimed: the next start sends their
 * signals again (duplicates are dropped by the workflow), and its instances, active in PostgreSQL
 * but unknown to Temporal, are resumed by {@link dev.journey.api.runtime.InstanceRecovery}.
 */
@ApplicationScoped
public class InstanceLauncher {
    private static final Logger LOG = Logger.getLogger(InstanceLauncher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration ROOM_POLL = Duration.ofMillis(20);

    public record Start(String workflowId, JourneyInput input) {}

    public record Delivery(String workflowId, InboundEvent event) {}

    @Inject
    TemporalRuntime temporal;
    @Inject
    EngineMetrics metrics;
    @Inject
    InstanceSignals signals;
    @Inject
    Outbox outbox;
    @Inject
    InstanceStore instances;

    @ConfigProperty(name = "journey.dispatch.launch-concurrency")
    int concurrency;
    @ConfigProperty(name = "journey.dispatch.batches-ahead")
    int batchesAhead;
    @ConfigProperty(name = "journey.dispatch.max-starts-waiting")
    int maxStartsWaiting;

    private ExecutorService calls;
    private ExecutorService batches;
    private Semaphore room;
    private volatile boolean running = true;

    @PostConstruct
    void start() {
        calls = Threads.pool("journey-launch", concurrency);
        batches = Threads.pool("journey-launch-batches", 1);
        room = new Semaphore(batchesAhead);
    }

    /** Queues a committed batch; blocks while {@code batches-ahead} batches are queued already. */
    public void launch(List<Long> outboxIds, List<Start> starts, List<Delivery> deliveries) throws InterruptedException {
        room.acquire();
        try {
            batches.execute(() -> {
                try {
                    run(outboxIds, starts, deliveries);
                } finally {
                    room.release();
                }
            });
        } catch (RuntimeException rejected) {
            room.release();
            throw rejected;
        }
    }

    private void run(List<Long> outboxIds, List<Start> starts, List<Delivery> deliveries) {
        awaitRoomFor(starts.size());
        concurrently(starts, this::start);
        // One instance's events go in the order they happened; instances in parallel.
        Map<String, List<InboundEvent>> byInstance = new LinkedHashMap<>();
        deliveries.forEach(d -> byInstance.computeIfAbsent(d.workflowId(), k -> new ArrayList<>()).add(d.event()));
        concurrently(new ArrayList<>(byInstance.entrySet()),
                e -> e.getValue().forEach(event -> retrying("signal " + e.getKey(), () -> signals.event(e.getKey(), event))));
        retrying("outbox", () -> done(outboxIds));
    }

    private void start(Start s) {
        try {
            retrying("start " + s.workflowId(), () -> temporal.start(s.workflowId(), s.input()));
            metrics.entered(s.input().journeyId());
        } catch (PermanentFailure e) {
            LOG.warnf("journey instance %s could not start: %s", s.workflowId(), e.getMessage());
            if (instances.end(s.workflowId(), InstanceStatus.EXITED, "could not start: " + e.getMessage())) {
                metrics.endedOutsideItsWorkflow(s.workflowId(), InstanceStatus.EXITED);
            }
        }
    }

    private void awaitRoomFor(int starts) {
        awaitRoom(temporal::workflowTasksWaiting, starts, maxStartsWaiting, () -> running);
    }

    /**
     * Waits while {@code waiting} journeys not yet begun leave no room for {@code starts} more under {@code max} (a batch
     * larger than {@code max} goes once none wait). With a cluster nothing waits in this process: never.
     */
    static void awaitRoom(IntSupplier waiting, int starts, int max, BooleanSupplier running) {
        int now = waiting.getAsInt();
        while (running.getAsBoolean() && !Thread.currentThread().isInterrupted() && now > 0 && now + starts > max) {
            Threads.pause(ROOM_POLL);
            now = waiting.getAsInt();
        }
    }

    private <T> void concurrently(List<T> items, Consumer<T> action) {
        List<Future<?>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(calls.submit(() -> action.accept(item)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warnf("launch step failed: %s", e.getCause().getMessage());
            }
        }
    }

    private static final class PermanentFailure extends RuntimeException {
        PermanentFailure(String message) {
            super(message);
        }
    }

    /** Runs the call until it succeeds; a transient failure (Temporal or PostgreSQL unavailable) is retried with backoff. */
    private void retrying(String what, Attempt attempt) {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                attempt.run();
                return;
            } catch (Exception e) {
                StatusRuntimeException grpc = grpcCause(e);
                if (grpc != null && permanent(grpc.getStatus().getCode())) {
                    throw new PermanentFailure(grpc.getStatus().getCode() + ": " + grpc.getStatus().getDescription());
                }
                if (!running) {
                    LOG.infof("%s left for the next start: %s", what, e.getMessage());
                    return;
                }
                LOG.warnf("%s failed, retrying in %s: %s", what, backoff, e.getMessage());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = java.util.Collections.min(List.of(backoff.multipliedBy(2), MAX_BACKOFF));
            }
        }
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static StatusRuntimeException grpcCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                return s;
            }
        }
        return null;
    }

    private static boolean permanent(Status.Code code) {
        return code == Status.Code.INVALID_ARGUMENT || code == Status.Code.FAILED_PRECONDITION
                || code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNIMPLEMENTED;
    }

    private void done(List<Long> outboxIds) {
        if (!outboxIds.isEmpty()) {
            outbox.delete(outboxIds);
        }
    }

    /** Lets queued batches finish for a moment; what is left is picked up at the next start. */
    @PreDestroy
    void stop() {
        batches.shutdown();
        try {
            batches.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        batches.shutdownNow();
        calls.shutdownNow();
    }
}
