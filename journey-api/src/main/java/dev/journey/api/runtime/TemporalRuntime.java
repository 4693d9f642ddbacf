package dev.journey.api.runtime;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.JourneyWorker;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;

/**
 * The Temporal client (and, unless switched off, a journey worker) of this process. Without
 * TEMPORAL_ADDRESS it runs Temporal in-process (temporal-testing's service, real time, no time
 * skipping): everything works, but the service keeps its state in memory, so journeys waiting
 * when the process stops are gone after a restart. A real cluster keeps them.
 */
@Startup
@ApplicationScoped
public class TemporalRuntime {
    private static final Logger LOG = Logger.getLogger(TemporalRuntime.class);

    private final WorkflowClient client;
    private final WorkerFactory workers;
    private final TestWorkflowEnvironment inProcess;
    private final WorkflowServiceStubs service;
    private final String description;

    @Inject
    public TemporalRuntime(@ConfigProperty(name = "journey.temporal.address") java.util.Optional<String> address,
                           @ConfigProperty(name = "journey.temporal.namespace") String namespace,
                           @ConfigProperty(name = "journey.worker.enabled") boolean workerEnabled,
                           @ConfigProperty(name = "journey.temporal.time-skipping", defaultValue = "false") boolean timeSkipping,
                           AgroalDataSource db, TemplateRenderer templates, ObjectMapper json) {
        if (address.isPresent() && !address.get().isBlank()) {
            service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(address.get()).build());
            client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
            workers = WorkerFactory.newInstance(client);
            inProcess = null;
            description = address.get() + " (namespace " + namespace + ")";
        } else {
            inProcess = TestWorkflowEnvironment.newInstance(
                    TestEnvironmentOptions.newBuilder().setUseTimeskipping(timeSkipping).build());
            service = null;
            client = inProcess.getWorkflowClient();
            workers = inProcess.getWorkerFactory();
            description = "in-process (journeys waiting at shutdown do not survive a restart)";
        }
        if (workerEnabled) {
            JourneyWorker.register(workers, db, templates, json);
            workers.start();
            LOG.infof("journey worker started on Temporal %s", description);
        }
    }

    public WorkflowClient client() {
        return client;
    }

    /**
     * Moves the in-process service's clock forward, firing the timers on the way: for scenario
     * tests of journeys that wait hours or days (needs journey.temporal.time-skipping=true).
     */
    public void skipTime(java.time.Duration duration) {
        if (inProcess == null) {
            throw new IllegalStateException("time can only be skipped on the in-process Temporal service");
        }
        inProcess.sleep(duration);
    }

    public String description() {
        return description;
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
        if (inProcess != null) {
            inProcess.close();
        }
        if (service != null) {
            service.shutdown();
        }
    }
}
