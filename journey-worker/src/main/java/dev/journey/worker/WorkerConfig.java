package dev.journey.worker;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * A standalone worker's settings, {@code journey.worker.*}, read by SmallRye Config from the
 * environment (the same variables the API reads: see {@code journey-worker.properties}), system
 * properties, and that file's defaults.
 */
@ConfigMapping(prefix = "journey.worker")
public interface WorkerConfig {
    /** The Temporal frontend, host:port. */
    String temporalAddress();

    String temporalNamespace();

    String jdbcUrl();

    String jdbcUsername();

    Optional<String> jdbcPassword();

    /** One JSON object per log line (QUARKUS_LOG_CONSOLE_JSON, the API's switch), with the ids of {@code LogFields}. */
    @WithDefault("false")
    boolean logJson();

    /** Where to serve {@code GET /metrics} (Prometheus); none when unset. */
    Optional<Integer> metricsPort();

    /** The address the metrics endpoint listens on (all interfaces by default: a scraper runs elsewhere). */
    @WithDefault("0.0.0.0")
    String metricsHost();

    /** The key channel secrets are sealed with (JOURNEY_CHANNEL_SECRETS_KEY): the same value the API has. */
    String channelSecretsKey();

    /** Keys that sealed secrets still stored, while keys are rotated. */
    Optional<List<String>> channelSecretsPreviousKeys();

    /** Connections in the worker's pool. */
    @WithDefault("16")
    int dbPool();

    /**
     * Sticky execution. A real Temporal server moves a dead worker's sticky tasks back to the shared
     * queue after a few seconds; Temporal's test server does not, so against it a worker killed with
     * {@code kill -9} would strand the journeys it had cached: run such a worker with this off.
     */
    @WithDefault("true")
    boolean sticky();
}
