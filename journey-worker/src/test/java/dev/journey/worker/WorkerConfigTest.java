package dev.journey.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.templates.TemplateLimits;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;

/** A standalone worker reads the variables the API reads; the sandbox limits reach its renderer, the outbound settings its channels. */
class WorkerConfigTest {
    private static final Map<String, String> REQUIRED = Map.of("TEMPORAL_ADDRESS", "127.0.0.1:7233",
            "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/journeys",
            "JOURNEY_CHANNEL_SECRETS_KEY", "dGVzdC1jaGFubmVsLXNlY3JldHMta2V5LTMyLWJ5dGU=");

    private static SmallRyeConfig config(Map<String, String> env) throws Exception {
        // Above the real environment's ordinal (300), so the machine's own variables do not leak in.
        return WorkerMain.config(new EnvConfigSource(env, 500));
    }

    @Test
    void theApisVariablesConfigureTheWorker() throws Exception {
        java.util.HashMap<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.put("JOURNEY_WORKER_STICKY", "false");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "secret");
        // The API's application.properties beside it (same classpath in a test) has its own journey.worker.* key.
        WorkerConfig worker = WorkerMain.config(new EnvConfigSource(env, 500),
                new PropertiesConfigSource(Map.of("journey.worker.enabled", "false"), "application.properties", 250))
                .getConfigMapping(WorkerConfig.class);
        assertEquals("127.0.0.1:7233", worker.temporalAddress());
        assertEquals("default", worker.temporalNamespace());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/journeys", worker.jdbcUrl());
        assertEquals("postgres", worker.jdbcUsername());
        assertEquals("secret", worker.jdbcPassword().orElseThrow());
        assertEquals(16, worker.dbPool());
        assertFalse(worker.sticky());
        assertEquals("dGVzdC1jaGFubmVsLXNlY3JldHMta2V5LTMyLWJ5dGU=", worker.channelSecretsKey());
        assertTrue(worker.channelSecretsPreviousKeys().isEmpty());
    }

    @Test
    void aWorkerWithoutTheChannelSecretsKeyIsNotConfigured() {
        java.util.HashMap<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.remove("JOURNEY_CHANNEL_SECRETS_KEY");
        Exception e = assertThrows(Exception.class, () -> config(env).getConfigMapping(WorkerConfig.class));
        assertTrue(e.getMessage().contains("JOURNEY_CHANNEL_SECRETS_KEY") || e.getMessage().contains("channel-secrets-key"), e.getMessage());
    }

    @Test
    void templateLimitsReachAStandaloneWorker() throws Exception {
        assertEquals(TemplateLimits.DEFAULT, config(REQUIRED).getConfigMapping(TemplatesConfig.class).limits());
        java.util.HashMap<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.put("JOURNEY_TEMPLATES_MAX_ITERATIONS", "7");
        env.put("JOURNEY_TEMPLATES_MAX_RENDER_TIME", "250ms");
        TemplateLimits limits = config(env).getConfigMapping(TemplatesConfig.class).limits();
        assertEquals(7, limits.maxIterations());
        assertEquals(250, limits.maxRenderMillis());
    }

    @Test
    void theOutboundSettingsReachAStandaloneWorkerWhichRefusesLoopbackUnlessTold() throws Exception {
        assertEquals("loopback refused; private, link-local and metadata addresses refused",
                config(REQUIRED).getConfigMapping(OutboundConfig.class).policy(false).describe());
        java.util.HashMap<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.put("JOURNEY_OUTBOUND_ALLOW", "10.1.2.0/24,hooks.intranet");
        env.put("JOURNEY_OUTBOUND_ALLOW_LOOPBACK", "true");
        assertEquals("loopback allowed; private, link-local and metadata addresses refused except 10.1.2.0/24, hooks.intranet",
                config(env).getConfigMapping(OutboundConfig.class).policy(false).describe());
    }

    @Test
    void aMissingTemporalAddressIsNamed() {
        Exception e = assertThrows(Exception.class, () -> config(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://x/y"))
                .getConfigMapping(WorkerConfig.class));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("TEMPORAL_ADDRESS") || e.getMessage().contains("temporal-address"),
                e.getMessage());
    }
}
