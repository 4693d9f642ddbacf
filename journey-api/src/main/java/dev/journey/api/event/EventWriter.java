package dev.journey.api.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.error.ApiException;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;

/**
 * Group commit for the track API: requests that arrive together are stored together, in one
 * transaction with one commit, and each is answered only once that commit is done — so nothing is
 * acknowledged before it is durable, and a thousand one-event requests a second cost tens of
 * commits instead of a thousand (measured in src/bench/ingest.sh). A few writer threads take
 * whatever is waiting, up to {@code journey.ingest.group-events} events; when a group fails, each
 * of its requests is stored again on its own, so one request's failure is never another's.
 */
@ApplicationScoped
public class EventWriter {
    private static final Logger LOG = Logger.getLogger(EventWriter.class);

    @Inject
    EventStore store;

    @ConfigProperty(name = "journey.ingest.writers")
    int writers;
    @ConfigProperty(name = "journey.ingest.group-events")
    int groupEvents;
    @ConfigProperty(name = "journey.ingest.queue")
    int queueSize;
    @ConfigProperty(name = "journey.ingest.timeout")
    Duration timeout;

    private record Pending(EventStore.Request request, CompletableFuture<EventStore.Stored> stored) {}

    private BlockingQueue<Pending> queue;
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    @PostConstruct
    void start() {
        queue = new LinkedBlockingQueue<>(queueSize);
        for (int i = 1; i <= writers; i++) {
            Thread t = Threads.supervised("journey-event-writer-" + i, this::run, Duration.ofSeconds(1), () -> running, () -> {});
            threads.add(t);
            t.start();
        }
    }

    /**
     * Stores one request's events durably: the answer completes once they are committed, or fails with a 503
     * when the queue is full or the commit takes longer than {@code journey.ingest.timeout}. Never blocks the caller.
     */
    public CompletableFuture<EventStore.Stored> store(String projectId, List<NewEvent> events) {
        Pending pending = new Pending(new EventStore.Request(projectId, events), new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            return CompletableFuture.failedFuture(busy("the engine is storing as fast as it can; retry shortly"));
        }
        CompletableFuture<EventStore.Stored> answer = new CompletableFuture<>();
        pending.stored().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((stored, failure) -> {
            if (failure == null) {
                answer.complete(stored);
            } else if (failure instanceof TimeoutException) {
                answer.completeExceptionally(busy("storing took longer than " + timeout.toSeconds()
                        + " s and is not confirmed; retry with the same eventIds"));
            } else {
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    /** Requests waiting for a writer (not those being written). */
    public int waiting() {
        return queue.size();
    }

    private static ApiException busy(String message) {
        return new ApiException(503, "unavailable", message);
    }

    private void run() {
        Pending carried = null;
        while (running) {
            List<Pending> group = new ArrayList<>();
            try {
                Pending first = carried != null ? carried : queue.take();
                carried = null;
                group.add(first);
                int events = first.request().events().size();
                Pending next;
                while (events < groupEvents && (next = queue.poll()) != null) {
                    if (events + next.request().events().size() > groupEvents) {
                        carried = next;
                        break;
                    }
                    group.add(next);
                    events += next.request().events().size();
                }
            } catch (InterruptedException e) {
                return;
            }
            write(group);
        }
    }

    private void write(List<Pending> group) {
        try {
            List<EventStore.Stored> stored = store.storeAll(group.stream().map(Pending::request).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).stored().complete(stored.get(i));
            }
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).stored().completeExceptionally(e);
                return;
            }
            LOG.debugf("a group of %d requests failed to store (%s); storing each on its own", group.size(), e.getMessage());
            for (Pending p : group) {
                write(List.of(p));
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Pending p; (p = queue.poll()) != null; ) {
            p.stored().completeExceptionally(busy("the engine is stopping; nothing of this request was stored, retry"));
        }
    }
}
