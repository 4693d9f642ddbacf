package dev.journey.api.dryrun;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.error.ApiException;
import dev.journey.api.project.ApiKeys;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.message.MessageRenderer;
import dev.journey.worker.message.ProjectTemplates;
import dev.journey.worker.retention.Retained;
import dev.journey.worker.retention.RetentionStore;
import dev.journey.worker.subject.SubjectStore;

/**
 * Runs dry runs off the request thread and keeps them in memory for a while, so a long one can be
 * followed by its id. Bounded: at most {@code journey.dry-run.concurrency} run at once (a small pool,
 * as a run keeps a core busy), a few more wait for a place, one per journey at a time, and a
 * finished run is kept for {@code journey.dry-run.keep} and among the last
 * {@code journey.dry-run.max-kept} only. Runs do not survive a restart.
 */
@ApplicationScoped
public class DryRuns {
    private static final Logger LOG = Logger.getLogger(DryRuns.class);
    /** Runs that may wait for a place in the pool; more are refused. */
    private static final int QUEUE = 8;

    /** One run: its journey, its simulation (for progress) and what it becomes. */
    public record Run(String id, String projectId, String journeyId, Simulation simulation, CompletableFuture<DryRunResult> result,
                      Instant startedAt) {
        DryRunStatus status() {
            if (!result.isDone()) {
                return new DryRunStatus(id, "running", simulation.progress(), null, null);
            }
            try {
                return new DryRunStatus(id, "done", simulation.progress(), result.join(), null);
            } catch (RuntimeException e) {
                return new DryRunStatus(id, "failed", simulation.progress(), null, "the dry run failed; the engine's log says why");
            }
        }
    }

    @Inject
    EventStore events;
    @Inject
    SubjectStore subjects;
    @Inject
    TemplateRenderer renderer;
    @Inject
    ProjectTemplates templates;
    @Inject
    DeliverySettingsStore settings;
    @Inject
    ConsentStore consent;
    @Inject
    RetentionStore retention;

    @ConfigProperty(name = "journey.dry-run.max-events")
    long maxEvents;
    @ConfigProperty(name = "journey.dry-run.max-time")
    Duration maxTime;
    @ConfigProperty(name = "journey.dry-run.wait")
    Duration maxWait;
    @ConfigProperty(name = "journey.dry-run.keep")
    Duration keep;
    @ConfigProperty(name = "journey.dry-run.max-kept")
    int maxKept;
    @ConfigProperty(name = "journey.entry.max-active-per-subject")
    int maxActivePerSubject;

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private ThreadPoolExecutor pool;

    @Inject
    void pool(@ConfigProperty(name = "journey.dry-run.concurrency") int concurrency) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "journey-dry-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Duration maxWait() {
        return maxWait;
    }

    /**
     * Starts a run of a definition over {@code [since, until)}, reading at most {@code askedMaxEvents}
     * events (null: the configured most, which also bounds what is asked); 409 while another run of the journey is going.
     */
    public synchronized Run start(String projectId, String journeyId, int version, JourneyDefinition journey, Instant since,
                                  Instant until, Long askedMaxEvents) {
        forgetOld();
        for (Run other : runs.values()) {
            if (other.journeyId().equals(journeyId) && other.projectId().equals(projectId) && !other.result().isDone()) {
                throw new ApiException(409, "conflict", "a dry run of this journey is running: GET .../journeys/" + journeyId
                        + "/dry-runs/" + other.id() + " follows it");
            }
        }
        String id = ApiKeys.newSecret("dry_").substring(0, 20);
        Instant retainedFrom = retention.retainedFrom(projectId, Retained.EVENTS, Instant.now());
        Simulation simulation = new Simulation(new Simulation.Plan(id, projectId, journeyId, version, journey, since, until, retainedFrom,
                askedMaxEvents == null ? maxEvents : Math.min(askedMaxEvents, maxEvents), maxTime, maxActivePerSubject),
                new Simulation.Reads(events, subjects, new MessageRenderer(renderer), templates, settings, consent));
        CompletableFuture<DryRunResult> result = new CompletableFuture<>();
        Run run = new Run(id, projectId, journeyId, simulation, result, Instant.now());
        try {
            pool.execute(() -> {
                try {
                    result.complete(simulation.run());
                } catch (RuntimeException | Error e) {
                    LOG.warnf(e, "dry run %s of journey %s failed", id, journeyId);
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "busy", "too many dry runs at once; try again in a minute");
        }
        runs.put(id, run);
        return run;
    }

    /** Waits up to {@code wait} for the run's answer; empty when it is still running. */
    public Optional<DryRunResult> await(Run run, Duration wait) {
        try {
            return Optional.of(run.result().get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("dry run " + run.id() + " failed", e.getCause());
        }
    }

    public Optional<Run> find(String projectId, String journeyId, String runId) {
        forgetOld();
        Run run = runs.get(runId);
        return run != null && run.projectId().equals(projectId) && run.journeyId().equals(journeyId) ? Optional.of(run) : Optional.empty();
    }

    /** Finished runs older than {@code keep}, then the oldest finished beyond {@code max-kept}. */
    private synchronized void forgetOld() {
        Instant expired = Instant.now().minus(keep);
        runs.values().removeIf(r -> r.result().isDone() && r.startedAt().isBefore(expired));
        while (runs.size() > maxKept) {
            Optional<Run> oldest = runs.values().stream().filter(r -> r.result().isDone())
                    .min(java.util.Comparator.comparing(Run::startedAt));
            if (oldest.isEmpty()) {
                return;
            }
            runs.remove(oldest.get().id());
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
