package dev.journey.api.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.JourneyWorker;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.db.Sql;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.journey.JourneyIds;
import dev.journey.worker.journey.JourneyInput;
import dev.journey.worker.journey.JourneyWorkflow;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.grpc.health.v1.HealthCheckResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.journey.api.observe.EngineMetrics;
import dev.journey.worker.observe.WorkerMetrics;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/**
 * The Temporal client (and, unless switched off, a journey worker) of this process. Without
 * TEMPORAL_ADDRESS it runs Temporal in-process (temporal-testing's service, real time). That
 * service keeps everything in memory, finished workflows included, and nothing across a restart:
 * {@link InstanceRecovery} resumes running instances from their checkpoints in PostgreSQL after
 * a start, and from time to time replaces the service with a fresh one (see {@link #replaceInProcessService})
 * so finished workflows do not pile up in the heap.
 *
 * <p>Every call to Temporal goes through here under a read lock; a replacement takes the write lock
 * only to switch to the new service (already started, with its worker polling), so new journeys
 * never wait for the old worker to drain. A signal that finds nothing on the new service while the
 * running journeys are being handed over waits for the hand-over and is sent again.
 */
@Startup
@ApplicationScoped
public class TemporalRuntime {
    private static final Logger LOG = Logger.getLogger(TemporalRuntime.class);
    /** How long a stop waits for the activities under way. */
    private static final Duration DRAIN = Duration.ofSeconds(15);
    /** After the other ShutdownEvent observers (default priority), InstanceRecovery's among them. */
    static final int DRAIN_PRIORITY = jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000;

    /** Starts one workflow; false when a workflow with that id already runs (or ran) there. */
    public interface Starter {
        boolean start(String workflowId, JourneyInput input);
    }

    /** What Temporal knows of a workflow id. */
    public enum Presence { RUNNING, COMPLETED, CLOSED_OTHERWISE, UNKNOWN }

    private final String namespace;
    private final boolean workerEnabled;
    private final boolean timeSkipping;
    private final boolean dropClosedWorkflows;
    private final AgroalDataSource db;
    private final TemplateRenderer templates;
    private final ObjectMapper json;
    private final ChannelSecrets secrets;
    private final OutboundPolicy outbound;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong instancesEnded = new AtomicLong();
    private final int workflowTasks;
    private volatile WorkflowClient client;
    private volatile WorkerFactory workers;
    private volatile TestWorkflowEnvironment inProcess;
    /** How many workflow tasks wait in the in-process service's queues (0 when not known, or with a cluster, which keeps them durably). */
    private volatile IntSupplier workflowTasksWaiting = () -> 0;
    /** The in-process service's closed workflows, when they can be dropped (else null: it is replaced from time to time). */
    private volatile ClosedWorkflows closedWorkflows;
    private WorkflowServiceStubs service;
    private final String description;
    private final WorkerMetrics workerMetrics;
    /** The Temporal SDK's own metrics (requests, long polls, task latencies …) reported into Micrometer: temporal_* at /q/metrics. */
    private final Scope sdkMetrics;
    /** Set while a replacement hands the running journeys over: counted down once they run on the new service. */
    private volatile CountDownLatch handingOver;
    /** The replaced service's worker while it drains, which a stop waits for too. */
    private volatile WorkerFactory draining;

    @Inject
    public TemporalRuntime(@ConfigProperty(name = "journey.temporal.address") Optional<String> address,
                           @ConfigProperty(name = "journey.temporal.namespace") String namespace,
                           @ConfigProperty(name = "journey.worker.enabled") boolean workerEnabled,
                           @ConfigProperty(name = "journey.temporal.time-skipping", defaultValue = "false") boolean timeSkipping,
                           @ConfigProperty(name = "journey.temporal.drop-closed-workflows") boolean dropClosedWorkflows,
                           @ConfigProperty(name = "journey.embedded-database") Optional<String> embeddedDatabase,
                           @ConfigProperty(name = "journey.temporal.metrics-interval") Duration metricsInterval,
                           @ConfigProperty(name = "journey.temporal.worker.workflow-tasks") int workflowTasks,
                           AgroalDataSource db, TemplateRenderer templates, ObjectMapper json, ChannelSecrets secrets,
                           OutboundPolicy outbound, MeterRegistry registry, EngineMetrics engineMetrics) {
        Optional<String> cluster = address.filter(a -> !a.isBlank());
        this.namespace = namespace;
        this.workerEnabled = workerEnabled;
        this.timeSkipping = timeSkipping;
        this.workflowTasks = workflowTasks;
        // A time-skipping test may read a finished workflow's history.
        this.dropClosedWorkflows = dropClosedWorkflows && !timeSkipping;
        this.db = db;
        this.templates = templates;
        this.json = json;
        this.secrets = secrets;
        this.outbound = outbound;
        this.workerMetrics = engineMetrics.worker();
        this.sdkMetrics = new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofMillis(metricsInterval.toMillis()));
        if (cluster.isPresent()) {
            service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(cluster.get()).setMetricsScope(sdkMetrics).build());
            client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
            workers = WorkerFactory.newInstance(client);
            description = cluster.get() + " (namespace " + namespace + ")";
        } else {
            use(newService());
            description = "in-process (running journeys resume from PostgreSQL after a restart)";
            if (embeddedDatabase.isPresent() && workerEnabled) {
                releaseLeasesOfTheLastRun();
            }
        }
        startWorker(workers, description);
    }

    /**
     * With the embedded database and in-process Temporal this process is the only sender (no other
     * process can reach either), and it has sent nothing yet: a lease still running on a message was
     * taken by the previous run, which a crash ended, so the resumed journeys send at once instead of
     * waiting up to 30 s for it to run out.
     */
    private void releaseLeasesOfTheLastRun() {
        int released = new MessageStore(new Sql(db)).releaseEveryLease();
        if (released > 0) {
            LOG.infof("released %d send lease(s) left by the previous run", released);
        }
    }

    /** An in-process service, and how many workflow tasks wait in its queues. */
    private record InProcessService(TestWorkflowEnvironment environment, IntSupplier workflowTasksWaiting) {}

    private InProcessService newService() {
        TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(timeSkipping).setMetricsScope(sdkMetrics).build());
        TimeLockLog.stopRecording(environment);
        return new InProcessService(environment, ArrivalOrderTaskQueues.apply(environment).orElse(() -> 0));
    }

    private void use(InProcessService service) {
        TestWorkflowEnvironment environment = service.environment();
        inProcess = environment;
        workflowTasksWaiting = service.workflowTasksWaiting();
        closedWorkflows = dropClosedWorkflows ? ClosedWorkflows.of(environment).orElse(null) : null;
        client = environment.getWorkflowClient();
        workers = environment.getWorkerFactory();
    }

    private void startWorker(WorkerFactory factory, String on) {
        if (workerEnabled) {
            JourneyWorker.register(factory, db, templates, json, secrets, outbound, instancesEnded::incrementAndGet,
                    WorkerOptions.newBuilder().setMaxConcurrentWorkflowTaskExecutionSize(workflowTasks).build(), workerMetrics);
            factory.start();
            LOG.infof("journey worker started on Temporal %s", on);
        }
    }

    /** Starts a journey instance's workflow; false when it runs already (a repeated dispatch or resume). */
    public boolean start(String workflowId, JourneyInput input) {
        lock.readLock().lock();
        try {
            JourneyWorkflow workflow = client.newWorkflowStub(JourneyWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(JourneyIds.TASK_QUEUE)
                    .setWorkflowId(workflowId)
                    // A second start for the same (journey, subject, entry event) is refused, even after the first ended.
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .build());
            WorkflowClient.start(workflow::run, input);
            return true;
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            return false;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Signals a running workflow; throws WorkflowNotFoundException when Temporal does not run it. During a
     * hand-over a journey may not run on the new service yet: the signal waits until it does and is sent again
     * (should the resumed journey have read this event as missed already, it drops the repeat).
     */
    public void signal(String workflowId, String signal, Object payload) {
        CountDownLatch handOver;
        lock.readLock().lock();
        try {
            // Read with the signal under one lock: set here means the signal went to the new service.
            handOver = handingOver;
            try {
                client.newUntypedWorkflowStub(workflowId).signal(signal, payload);
                return;
            } catch (WorkflowNotFoundException notThere) {
                if (handOver == null) {
                    throw notThere;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        try {
            handOver.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while waiting for the running journeys to be handed over", e);
        }
        signal(workflowId, signal, payload);
    }

    /** Whether Temporal runs the workflow, ran it to completion, closed it otherwise (terminated, failed…) or never heard of it. */
    public Presence presence(String workflowId) {
        lock.readLock().lock();
        try {
            WorkflowExecutionStatus status = client.getWorkflowServiceStubs().blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                    .getWorkflowExecutionInfo().getStatus();
            return switch (status) {
                case WORKFLOW_EXECUTION_STATUS_RUNNING -> Presence.RUNNING;
                case WORKFLOW_EXECUTION_STATUS_COMPLETED, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> Presence.COMPLETED;
                default -> Presence.CLOSED_OTHERWISE;
            };
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Presence.UNKNOWN;
            }
            throw e;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True for the in-process service, which forgets everything when the process stops. */
    public boolean inProcess() {
        return inProcess != null;
    }

    public boolean timeSkipping() {
        return timeSkipping;
    }

    /** Whether the in-process service's closed workflows are dropped ({@link #dropClosedWorkflows}), so it need not be replaced. */
    public boolean dropsClosedWorkflows() {
        return closedWorkflows != null;
    }

    /** Drops the workflows the in-process service has closed (since the sweep before this one); answers how many. */
    public int dropClosedWorkflows() {
        ClosedWorkflows closed = closedWorkflows;
        return closed == null ? 0 : closed.sweep();
    }

    /**
     * Journeys started on the in-process service and not yet begun, with the timers and signals it has not handed
     * to the worker yet: what waits in its memory. Always 0 with a Temporal cluster.
     */
    public int workflowTasksWaiting() {
        return workflowTasksWaiting.getAsInt();
    }

    /** Instances whose end this process's worker recorded since it started. */
    public long instancesEnded() {
        return instancesEnded.get();
    }

    /** Where the time of a replacement went, in milliseconds: the new service and worker, the old worker's drain, the refill. */
    public record Replacement(long newServiceMillis, long drainMillis, long refillMillis) {}

    /**
     * Drops the in-process service with every finished workflow it holds for a fresh one. The new service
     * and its worker start first and take every start from then on; the old worker is then shut down
     * gracefully, so activities under way finish and record what they did (a message sent is recorded as
     * sent, and the resumed step does not send it again); then {@code refill} starts the journeys that were
     * running on the old service again, from their checkpoints. Only those journeys wait for the hand-over;
     * a signal meant for one of them waits with it (see {@link #signal}).
     */
    public synchronized Replacement replaceInProcessService(java.util.function.Consumer<Starter> refill, Duration drain) {
        if (inProcess == null) {
            throw new IllegalStateException("only the in-process Temporal service can be replaced");
        }
        long t0 = System.nanoTime();
        InProcessService next = newService();
        startWorker(next.environment().getWorkerFactory(), "in-process (a fresh service)");
        TestWorkflowEnvironment old;
        WorkerFactory oldWorkers;
        CountDownLatch handedOver = new CountDownLatch(1);
        lock.writeLock().lock();
        try {
            old = inProcess;
            oldWorkers = workers;
            oldWorkers.shutdown();
            draining = oldWorkers;
            use(next);
            handingOver = handedOver;
        } finally {
            lock.writeLock().unlock();
        }
        try {
            long t1 = System.nanoTime();
            try {
                awaitTermination(oldWorkers, drain);
            } finally {
                if (!oldWorkers.isTerminated()) {
                    LOG.warnf("activities still running after %s; dropping the old Temporal service anyway", drain);
                    oldWorkers.shutdownNow();
                }
                draining = null;
                old.close();
            }
            long t2 = System.nanoTime();
            refill.accept(this::start);
            return new Replacement((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        } finally {
            handingOver = null;
            handedOver.countDown();
        }
    }

    /**
     * Waits for a worker's tasks under way to finish, {@code limit} at most — through an interrupt too (a stop
     * interrupts the replacing thread, and a send cut short would be sent again after the restart).
     */
    private static void awaitTermination(WorkerFactory workers, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        while (!workers.isTerminated() && System.nanoTime() < deadline) {
            workers.awaitTermination(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Moves the in-process service's clock forward, firing the timers on the way: for scenario
     * tests of journeys that wait hours or days (needs journey.temporal.time-skipping=true).
     */
    public void skipTime(Duration duration) {
        if (inProcess == null) {
            throw new IllegalStateException("time can only be skipped on the in-process Temporal service");
        }
        inProcess.sleep(duration);
    }

    /**
     * Whether Temporal answers: the gRPC health check of the cluster's frontend, or of the in-process service
     * (which may not implement it: then being there is the answer). Throws with the reason when it does not.
     */
    public void checkReachable() {
        WorkflowServiceStubs stubs = client.getWorkflowServiceStubs();
        try {
            HealthCheckResponse.ServingStatus status = stubs.healthCheck().getStatus();
            if (status != HealthCheckResponse.ServingStatus.SERVING) {
                throw new IllegalStateException("Temporal answers " + status);
            }
        } catch (StatusRuntimeException e) {
            if (inProcess == null || e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
        }
    }

    /** The in-process worker: "disabled" (journey-worker runs apart), "running", "replacing" (the running journeys
     * are being handed over to a fresh in-process service, which already takes new ones) or "stopped". */
    public String workerState() {
        if (!workerEnabled) {
            return "disabled";
        }
        if (handingOver != null) {
            return "replacing";
        }
        WorkerFactory current = workers;
        return current.isStarted() && !current.isShutdown() ? "running" : "stopped";
    }

    public String description() {
        return description;
    }

    /**
     * Before any bean is destroyed (the datasource among them): the worker stops taking tasks and the
     * activities under way finish and record what they did, so a message handed off during a stop is
     * recorded as sent and the resumed step after a restart does not send it again. (Drained in
     * {@code @PreDestroy}, the datasource could be closed first, and the send's record was lost.)
     * A replaced service's worker still draining is waited for the same way. After {@link InstanceRecovery#stopping},
     * which ends a resume pass in progress.
     */
    void drain(@Observes @Priority(DRAIN_PRIORITY) ShutdownEvent event) {
        lock.writeLock().lock();
        try {
            workers.shutdown();
            awaitTermination(workers, DRAIN);
            // A replaced service's worker still draining: its sends under way are recorded before anything closes.
            WorkerFactory old = draining;
            if (old != null) {
                LOG.info("stopping during a replacement of the in-process Temporal service: waiting for the replaced worker's tasks under way too");
                awaitTermination(old, DRAIN);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The worker was drained on ShutdownEvent (fired before any bean is destroyed). */
    @PreDestroy
    void stop() {
        lock.writeLock().lock();
        try {
            if (inProcess != null) {
                inProcess.close();
            }
            if (service != null) {
                service.shutdown();
            }
            try {
                sdkMetrics.close();
            } catch (com.uber.m3.tally.ScopeCloseException e) {
                LOG.debugf("Temporal metrics scope: %s", e.getMessage());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
