package dev.journey.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.TemporalServerResource;
import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The production shape: the API talks to Temporal over gRPC and runs no worker; journey-worker's
 * WorkerMain runs in its own JVM, configured only by environment variables, and delivers.
 */
@QuarkusTest
@TestProfile(SeparateWorkerProcessTest.ExternalTemporal.class)
class SeparateWorkerProcessTest {
    public static class ExternalTemporal implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TemporalServerResource.class));
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @Test
    void aWorkerInItsOwnProcessRunsTheJourney() throws Exception {
        TestProject project = TestProject.create("External");
        Path log = Files.createTempFile("journey-worker", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.journey.worker.WorkerMain")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TEMPORAL_ADDRESS", TemporalServerResource.address);
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", username);
        Process worker = builder.start();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", TrackToWebhookTest.SECRET))
                    .post(project.path("/channels")).then().statusCode(201);
            String id = project.api().body("""
                    {"name": "Thanks", "trigger": {"event": "purchase"},
                     "steps": [{"id": "thanks", "type": "message", "channel": "webhook",
                                "template": {"body": "Thanks for buying << entry_event.data.productName >>!"}, "next": null}]}""")
                    .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
            project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
            project.api().body(TrackToWebhookTest.SEED).post(project.path("/track")).then().statusCode(202);

            WebhookReceiver.Received webhook = receiver.next(Duration.ofSeconds(30));
            if (webhook == null) {
                worker.destroy();
                worker.waitFor();
            }
            assertNotNull(webhook, "the worker process delivered nothing; its log:\n" + Files.readString(log));
            assertEquals("Thanks for buying Product Name!",
                    new ObjectMapper().readTree(webhook.body()).path("content").path("body").asText());
            assertTrue(Files.readString(log).contains("journey-worker polling task queue"), Files.readString(log));
        } finally {
            worker.destroy();
            worker.waitFor();
            Files.deleteIfExists(log);
        }
    }

}
