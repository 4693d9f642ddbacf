package dev.journey.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/**
 * Runs journey workers as their own process against a Temporal cluster, configured by the same
 * environment variables as the API: {@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE},
 * {@code QUARKUS_DATASOURCE_JDBC_URL}, {@code QUARKUS_DATASOURCE_USERNAME}, {@code QUARKUS_DATASOURCE_PASSWORD}.
 * The schema is the API's: start journey-api once first so Flyway has migrated it.
 *
 * <p>{@code JOURNEY_WORKER_STICKY=false} turns sticky execution off (every workflow task then
 * replays the instance's short history). A real Temporal server moves a dead worker's sticky tasks
 * back to the shared queue after a few seconds; Temporal's test server does not, so against it a
 * worker killed with {@code kill -9} would strand the journeys it had cached.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        String address = required("TEMPORAL_ADDRESS");
        String jdbcUrl = required("QUARKUS_DATASOURCE_JDBC_URL");
        AgroalDataSource db = AgroalDataSource.from(new AgroalPropertiesReader()
                .readProperties(java.util.Map.of(
                        AgroalPropertiesReader.JDBC_URL, jdbcUrl,
                        AgroalPropertiesReader.PRINCIPAL, env("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                        AgroalPropertiesReader.CREDENTIAL, env("QUARKUS_DATASOURCE_PASSWORD", ""),
                        AgroalPropertiesReader.MAX_SIZE, env("JOURNEY_WORKER_DB_POOL", "16")))
                .get());
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
        WorkflowClient client = WorkflowClient.newInstance(service,
                io.temporal.client.WorkflowClientOptions.newBuilder().setNamespace(env("TEMPORAL_NAMESPACE", "default")).build());
        WorkerFactory factory = WorkerFactory.newInstance(client);
        WorkerOptions options = Boolean.parseBoolean(env("JOURNEY_WORKER_STICKY", "true")) ? WorkerOptions.getDefaultInstance()
                // No sticky attributes are sent when this timeout is zero: every task goes through the shared queue.
                : WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();
        JourneyWorker.register(factory, db, new TemplateRenderer(), new ObjectMapper(), () -> {}, options);
        factory.start();
        System.out.println("journey-worker polling task queue 'journeys' at " + address);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            factory.shutdown();
            service.shutdown();
            db.close();
            stop.countDown();
        }));
        stop.await();
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println(name + " must be set");
            System.exit(2);
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
