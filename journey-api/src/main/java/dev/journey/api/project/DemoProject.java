package dev.journey.api.project;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.journey.api.JourneyMain;
import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.worker.channel.OutboundPolicy;
import io.quarkus.runtime.StartupEvent;

/** Creates the demo project at start-up and prints what a newcomer needs to send a first event. */
public class DemoProject {
    @Inject
    Projects projects;
    @Inject
    Secrets secrets;
    @Inject
    AdminToken admin;
    @Inject
    TemporalRuntime temporal;
    @Inject
    OutboundPolicy outbound;

    @ConfigProperty(name = "journey.demo.enabled")
    boolean enabled;
    @ConfigProperty(name = "journey.demo.project-id")
    String projectId;
    @ConfigProperty(name = "journey.demo.api-key")
    Optional<String> configuredKey;
    @ConfigProperty(name = "journey.data-dir")
    String dataDir;
    @ConfigProperty(name = "journey.embedded-database")
    Optional<String> embeddedDatabase;
    @ConfigProperty(name = JourneyMain.RECOVERED_PROPERTY)
    Optional<String> recovered;

    private volatile String key;

    void onStart(@Observes StartupEvent start) {
        if (!enabled) {
            return;
        }
        String demoKey = secrets.get("demo.api-key", configuredKey.orElse(null), () -> ApiKeys.newSecret("jk_"));
        projects.create(projectId, "Demo", demoKey);
        key = demoKey;
        Thread banner = new Thread(this::printWhenListening, "start-up-banner");
        banner.setDaemon(true);
        banner.start();
    }

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    /** The HTTP server opens after start-up observers run: wait for it, so the curl the banner shows works at once. */
    private void printWhenListening() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (java.io.IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        String url = "http://localhost:" + port;
        System.out.println("""

                ==================================================================
                 Journey engine is running
                   API          %s
                   Project      %s
                   API key      %s
                   Admin token  %s
                   PostgreSQL   %s
                %s   Temporal     %s
                   Outbound     %s
                 Try:
                   curl -X POST %s/v1/projects/%s/track \\
                     -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                     -d '{"events":[{"subjectType":"user","subjectId":"userid1","type":"purchase","data":{"productName":"Product Name","amount":10000}}]}'
                ==================================================================
                """.formatted(url, projectId, key, admin.value(),
                embeddedDatabase.map(dir -> "embedded, data in " + dir).orElse("external"),
                recovered.map(what -> "   Recovered    " + what + "\n").orElse(""),
                temporal.description(), outbound.describe(), url, projectId, key));
    }
}
