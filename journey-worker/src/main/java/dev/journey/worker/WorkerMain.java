package dev.journey.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.observe.JsonLogFormatter;
import dev.journey.worker.observe.MetricsEndpoint;
import dev.journey.worker.observe.MicrometerWorkerMetrics;
import dev.journey.worker.observe.WorkerMetrics;
import com.uber.m3.tally.RootScopeBuilder;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import org.eclipse.microprofile.config.spi.ConfigSource;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/**
 * Runs journey workers as their own process against a Temporal cluster, configured like the API:
 * {@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code QUARKUS_DATASOURCE_JDBC_URL},
 * {@code QUARKUS_DATASOURCE_USERNAME}, {@code QUARKUS_DATASOURCE_PASSWORD}, and the templates'
 * sandbox limits {@code journey.templates.*} and where channels may send, {@code journey.outbound.*}
 * ({@link WorkerConfig}, {@link TemplatesConfig}, {@link OutboundConfig}).
 * The schema is the API's: start journey-api once first so Flyway has migrated it.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        SmallRyeConfig config;
        WorkerConfig settings;
        OutboundPolicy outbound;
        ChannelSecrets secrets;
        try {
            config = config();
            settings = config.getConfigMapping(WorkerConfig.class);
            // A worker of its own is never the embedded run: loopback is refused unless allowed.
            outbound = config.getConfigMapping(OutboundConfig.class).policy(false);
            secrets = ChannelSecrets.withKeys(settings.channelSecretsKey(), settings.channelSecretsPreviousKeys().orElse(List.of()));
        } catch (RuntimeException e) {
            System.err.println("journey-worker is not configured: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.logJson()) {
            JsonLogFormatter.installOnRootHandlers();
        }
        AgroalDataSource db = AgroalDataSource.from(new AgroalPropertiesReader()
                .readProperties(java.util.Map.of(
                        AgroalPropertiesReader.JDBC_URL, settings.jdbcUrl(),
                        AgroalPropertiesReader.PRINCIPAL, settings.jdbcUsername(),
                        AgroalPropertiesReader.CREDENTIAL, settings.jdbcPassword().orElse(""),
                        AgroalPropertiesReader.MAX_SIZE, String.valueOf(settings.dbPool())))
                .get());
        MetricsEndpoint endpoint = settings.metricsPort().isPresent()
                ? MetricsEndpoint.serve(settings.metricsHost(), settings.metricsPort().get()) : null;
        WorkflowServiceStubsOptions.Builder stubs = WorkflowServiceStubsOptions.newBuilder().setTarget(settings.temporalAddress());
        if (endpoint != null) {
            stubs.setMetricsScope(new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(endpoint.registry()))
                    .reportEvery(com.uber.m3.util.Duration.ofSeconds(10)));
        }
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(stubs.build());
        WorkflowClient client = WorkflowClient.newInstance(service,
                io.temporal.client.WorkflowClientOptions.newBuilder().setNamespace(settings.temporalNamespace()).build());
        WorkerFactory factory = WorkerFactory.newInstance(client);
        WorkerOptions options = settings.sticky() ? WorkerOptions.getDefaultInstance()
                // No sticky attributes are sent when this timeout is zero: every task goes through the shared queue.
                : WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();
        TemplateRenderer templates = new TemplateRenderer(config.getConfigMapping(TemplatesConfig.class).limits());
        JourneyWorker.register(factory, db, templates, new ObjectMapper(), secrets, outbound, () -> {}, options,
                endpoint == null ? WorkerMetrics.NONE : new MicrometerWorkerMetrics(endpoint.registry()));
        factory.start();
        System.out.println("journey-worker polling task queue 'journeys' at " + settings.temporalAddress()
                + (endpoint == null ? "" : "; metrics at http://" + settings.metricsHost() + ":" + endpoint.port() + "/metrics"));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            factory.shutdown();
            // Sends under way finish and record what they did before the pool closes; else a message handed off
            // during the stop is not recorded as sent, and its retry sends it again.
            factory.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS);
            service.shutdown();
            db.close();
            if (endpoint != null) {
                endpoint.close();
            }
            stop.countDown();
        }));
        stop.await();
    }

    /** Environment and system properties over {@code journey-worker.properties}, then {@code extra} sources (tests). */
    static SmallRyeConfig config(ConfigSource... extra) throws IOException {
        return new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(WorkerMain.class.getResource("/journey-worker.properties"), 100))
                .withSources(extra)
                .withConverter(Duration.class, 200, new SimpleDurations())
                .withMapping(WorkerConfig.class)
                .withMapping(TemplatesConfig.class)
                .withMapping(OutboundConfig.class)
                // The API reads other journey.worker.* keys (journey.worker.enabled) from the same environment.
                .withValidateUnknown(false)
                .build();
    }
}
