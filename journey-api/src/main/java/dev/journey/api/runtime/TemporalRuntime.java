package dev.journey.api.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
 * <p>Every call to Temporal goes through here under a read lock; replacing the service takes the
 * write lock, so nothing starts or signals a workflow while the old service is drained and the
 * new one is filled.
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
    private final AgroalDataSource db;
    private final TemplateRenderer templates;
    private final ObjectMapper json;
    private final ChannelSecrets secrets;
    private final OutboundPolicy outbound;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong instancesEnded = new AtomicLong();
    private volatile WorkflowClient client;
    private volatile WorkerFactory workers;
    private volatile TestWorkflowEnvironment inProcess;
    private WorkflowServiceStubs service;
    private final String description;
    private final WorkerMetrics workerMetrics;
    /** The Temporal SDK's own metrics (requests, long polls, task latencies …) reported into Micrometer: temporal_* at /q/metrics. */
    private final Scope sdkMetrics;
    private volatile boolean replacing;

    @Inject
    public TemporalRuntime(@ConfigProperty(name = "journey.temporal.address") Optional<String> address,
                           @ConfigProperty(name = "journey.temporal.namespace") String namespace,
                           @ConfigProperty(name = "journey.worker.enabled") boolean workerEnabled,
                           @ConfigProperty(name = "journey.temporal.time-skipping", defaultValue = "false") boolean timeSkipping,
                           @ConfigProperty(name = "journey.embedded-database") Optional<String> embeddedDatabase,
                           @ConfigProperty(name = "journey.temporal.metrics-interval") Duration metricsInterval,
                           AgroalDataSource db, TemplateRenderer templates, ObjectMapper json, ChannelSecrets secrets,
                           OutboundPolicy outbound, MeterRegistry registry, EngineMetrics engineMetrics) {
        Optional<String> cluster = address.filter(a -> !a.isBlank());
        this.namespace = namespace;
        this.workerEnabled = workerEnabled;
        this.timeSkipping = timeSkipping;
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
            newInProcessService();
            description = "in-process (running journeys resume from PostgreSQL after a restart)";
            if (embeddedDatabase.isPresent() && workerEnabled) {
                releaseLeasesOfTheLastRun();
            }
        }
        startWorker();
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

    private void newInProcessService() {
        inProcess = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(timeSkipping).setMetricsScope(sdkMetrics).build());
        TimeLockLog.stopRecording(inProcess);
        client = inProcess.getWorkflowClient();
        workers = inProcess.getWorkerFactory();
    }

    private void startWorker() {
        if (workerEnabled) {
            JourneyWorker.register(workers, db, templates, json, secrets, outbound, instancesEnded::incrementAndGet,
                    WorkerOptions.getDefaultInstance(), workerMetrics);
            workers.start();
            LOG.infof("journey worker started on Temporal %s", description);
        }
    }

    /** Starts a journey instance's workflow; false when it runs already (a repeated dispatch or resume). */
    public boolean start(String workflowId, JourneyInput input) {
        lock.readLock().lock();
        try {
            return startUnlocked(workflowId, input);
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean startUnlocked(String workflowId, JourneyInput input) {
        JourneyWorkflow workflow = client.newWorkflowStub(JourneyWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(JourneyIds.TASK_QUEUE)
                .setWorkflowId(workflowId)
                // A second start for the same (journey, subject, entry event) is refused, even after the first ended.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        try {
            WorkflowClient.start(workflow::run, input);
            return true;
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            return false;
        }
    }

    /** Signals a running workflow; throws WorkflowNotFoundException when Temporal does not run it. */
    public void signal(String workflowId, String signal, Object payload) {
        lock.readLock().lock();
        try {
            client.newUntypedWorkflowStub(workflowId).signal(signal, payload);
        } finally {
            lock.readLock().unlock();
        }
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

    /** Instances whose end this process's worker recorded since it started. */
    public long instancesEnded() {
        return instancesEnded.get();
    }

    /** Where the time of a replacement went, in milliseconds: the old worker's drain, the new service and worker, the refill. */
    public record Replacement(long drainMillis, long swapMillis, long refillMillis) {}

    /**
     * Drops the in-process service with every finished workflow it holds and starts a fresh one,
     * then lets {@code refill} start the running instances again (from their checkpoints) before
     * anything else may call Temporal. The worker is shut down gracefully first, so activities
     * under way finish and record what they did (a message sent is recorded as sent, and the
     * resumed step does not send it again).
     */
    public Replacement replaceInProcessService(java.util.function.Consumer<Starter> refill, Duration drain) {
        if (inProcess == null) {
            throw new IllegalStateException("only the in-process Temporal service can be replaced");
        }
        lock.writeLock().lock();
        replacing = true;
        try {
            long t0 = System.nanoTime();
            workers.shutdown();
            workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
            if (!workers.isTerminated()) {
                LOG.warnf("activities still running after %s; replacing the Temporal service anyway", drain);
                workers.shutdownNow();
            }
            long t1 = System.nanoTime();
            inProcess.close();
            newInProcessService();
            startWorker();
            long t2 = System.nanoTime();
            refill.accept(this::startUnlocked);
            return new Replacement((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        } finally {
            replacing = false;
            lock.writeLock().unlock();
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

    /** The in-process worker: "disabled" (journey-worker runs apart), "running", "replacing" (a fresh in-process service) or "stopped". */
    public String workerState() {
        if (!workerEnabled) {
            return "disabled";
        }
        if (replacing) {
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
     * After {@link InstanceRecovery#stopping}, which lets go of the lock a resume pass holds.
     */
    void drain(@Observes @Priority(DRAIN_PRIORITY) ShutdownEvent event) {
        lock.writeLock().lock();
        try {
            workers.shutdown();
            workers.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
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
