package dev.journey.api.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
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
    private static final Duration POLL = Duration.ofMillis(200);

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
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;
    @ConfigProperty(name = "journey.channel-secrets.key")
    String channelSecretsKey;

    /** Where this test's worker processes serve their metrics. */
    private final int metricsPort = freePort();

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Process startWorker(Path log) throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.journey.worker.WorkerMain")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("TEMPORAL_ADDRESS", TemporalServerResource.address);
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", username);
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", password);
        builder.environment().put("JOURNEY_CHANNEL_SECRETS_KEY", channelSecretsKey);
        builder.environment().put("JOURNEY_WORKER_METRICS_PORT", String.valueOf(metricsPort));
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON", "true");
        // Temporal's test server keeps a killed worker's sticky tasks for ever (a real server moves them on).
        builder.environment().put("JOURNEY_WORKER_STICKY", "false");
        // The receiver listens on loopback, which a worker of its own refuses unless told otherwise.
        builder.environment().put("JOURNEY_OUTBOUND_ALLOW_LOOPBACK", "true");
        return builder.start();
    }

    @Test
    void aWorkerInItsOwnProcessRunsTheJourney() throws Exception {
        TestProject project = TestProject.create("External");
        Path log = Files.createTempFile("journey-worker", ".log");
        Process worker = startWorker(log);
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
            // A worker of its own serves the worker series and Temporal's at its /metrics.
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.URI scrape = java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
            await("the worker's metrics").atMost(Duration.ofSeconds(30)).pollInterval(POLL).untilAsserted(() -> {
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(scrape).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("journey_messages_total{") && l.contains("channel=\"webhook\"")
                        && l.contains("status=\"sent\"") && l.endsWith(" 1.0")), metrics);
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("journey_messages_handoff_seconds_count{")), metrics);
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("temporal_")), metrics);
            });
            // QUARKUS_LOG_CONSOLE_JSON, the API's switch, makes the worker's log lines JSON too.
            assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("{\"timestamp\"")), Files.readString(log));
        } finally {
            worker.destroy();
            worker.waitFor();
            Files.deleteIfExists(log);
        }
    }


    /**
     * kill -9 of the worker while 250 journeys send to a slow webhook and wait: Temporal keeps
     * their state, the next worker process takes over (activities cut short are retried after
     * their timeout), every journey finishes, and each idempotency key stands for one message.
     */
    @Test
    void aWorkerKilledMidJourneyLeavesNothingUnfinishedAndSendsNothingTwiceUnderAnotherKey() throws Exception {
        TestProject project = TestProject.create("Worker crash");
        Path log = Files.createTempFile("journey-worker", ".log");
        // Enough that sends are in flight at the kill and many journeys are at each step; the worker's
        // throughput against Temporal's test server (tens of sends a second) sets the test's length.
        int users = 250;
        Process worker = startWorker(log);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answerAfter(Duration.ofMillis(300));
            project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", TrackToWebhookTest.SECRET))
                    .post(project.path("/channels")).then().statusCode(201);
            String id = project.api().body("""
                    {"name": "Slow", "trigger": {"event": "signup"},
                     "steps": [{"id": "hello", "type": "message", "channel": "webhook", "template": {"body": "hello"}, "next": "pause"},
                               {"id": "pause", "type": "wait", "duration": "PT5S", "next": "bye"},
                               {"id": "bye", "type": "message", "channel": "webhook", "template": {"body": "bye"}, "next": null}]}""")
                    .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
            project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
            for (int from = 0; from < users; from += 200) {
                List<Map<String, Object>> events = new java.util.ArrayList<>();
                for (int i = from; i < Math.min(users, from + 200); i++) {
                    events.add(Map.of("subjectType", "user", "subjectId", "w" + i, "type", "signup", "data", Map.of()));
                }
                project.api().body(Map.of("events", events)).post(project.path("/track")).then().statusCode(202);
            }
            await("sending under way").atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> receiver.all().size(), greaterThanOrEqualTo(100));
            worker.destroyForcibly();
            assertEquals(137, worker.waitFor(), "killed with SIGKILL");
            int beforeKill = landed(receiver);
            worker = startWorker(log);
            try {
                await("every journey completed").atMost(Duration.ofMinutes(3)).pollInterval(POLL)
                        .until(() -> project.api().get(project.path("/journeys/" + id + "/stats")).then().extract().jsonPath()
                                .getLong("completed"), equalTo((long) users));
            } catch (ConditionTimeoutException e) {
                String stats = project.api().get(project.path("/journeys/" + id + "/stats")).then().extract().asString();
                List<String> steps = project.api().get(project.path("/journeys/" + id + "/instances?status=active&limit=500")).then()
                        .extract().jsonPath().getList("instances.currentStep");
                String workerLog = Files.readString(log);
                StringBuilder diag = new StringBuilder();
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, username, password);
                     java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT id, workflow_id, last_error, attempts FROM message WHERE status = 'failed'")) {
                    while (rs.next()) {
                        diag.append("\nfailed ").append(rs.getString(2)).append(" attempts ").append(rs.getInt(4)).append(": ").append(rs.getString(3));
                    }
                }
                String stuck = project.api().get(project.path("/journeys/" + id + "/instances?status=active&limit=1")).then()
                        .extract().jsonPath().getString("instances[0].id");
                var service = io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
                        io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(TemporalServerResource.address).build());
                diag.append("\nstuck ").append(stuck).append(": ").append(service.blockingStub().describeWorkflowExecution(
                        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                                .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(stuck)).build()));
                var history = io.temporal.client.WorkflowClient.newInstance(service).fetchHistory(stuck);
                history.getEvents().forEach(ev -> diag.append("\n  ").append(ev.getEventType()));
                workerLog = diag + "\n" + workerLog;
                throw new AssertionError(e.getMessage() + "; stats " + stats + "; active instances by step "
                        + steps.stream().collect(java.util.stream.Collectors.groupingBy(x -> String.valueOf(x), java.util.stream.Collectors.counting()))
                        + "; received " + receiver.all().size() + "; worker log ends with:\n"
                        + workerLog.substring(Math.max(0, workerLog.length() - 4000)), e);
            }

            io.restassured.path.json.JsonPath stats = project.api().get(project.path("/journeys/" + id + "/stats")).then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(0, stats.getLong("active"));
            StringBuilder failed = new StringBuilder();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, username, password);
                 java.sql.ResultSet rs = c.createStatement().executeQuery(
                         "SELECT step_id, attempts, last_error FROM message WHERE status <> 'sent' LIMIT 5")) {
                while (rs.next()) {
                    failed.append("\n").append(rs.getString(1)).append(" attempts ").append(rs.getInt(2)).append(": ").append(rs.getString(3));
                }
            }
            assertEquals(users, stats.getLong("messages.hello.sent"), "one row per message, each sent; not sent:" + failed);
            assertEquals(users, stats.getLong("messages.bye.sent"), "one row per message");
            Map<String, List<String>> byKey = new java.util.HashMap<>();
            for (WebhookReceiver.Received r : receiver.all()) {
                byKey.computeIfAbsent(r.header("Idempotency-Key"), k -> new java.util.ArrayList<>())
                        .add(new ObjectMapper().readTree(r.body()).path("messageId").asText());
            }
            assertEquals(2 * users, byKey.size(), "every message handed off");
            byKey.forEach((key, messages) -> assertEquals(java.util.Set.of(key), java.util.Set.copyOf(messages),
                    "the key " + key + " stands for one message"));
            long repeated = byKey.values().stream().filter(v -> v.size() > 1).count();
            assertTrue(repeated <= beforeKill, repeated + " repeated, more than were sent before the kill");
            System.out.printf("worker kill -9: %d requests before the kill, %d messages handed off twice (same key)%n", beforeKill, repeated);
        } finally {
            worker.destroy();
            worker.waitFor();
            Files.deleteIfExists(log);
        }
    }

    /**
     * What the killed worker handed off: requests it had sent are still being read by the receiver when the
     * process is gone (CI once counted 134 repeats against fewer requests counted at the kill), so the count is
     * taken once it has not moved for half a second. Nothing else sends until the next worker starts.
     */
    private static int landed(WebhookReceiver receiver) {
        int[] last = {-1};
        await("the killed worker's requests have landed").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    int now = receiver.all().size();
                    boolean settled = now == last[0];
                    last[0] = now;
                    return settled;
                });
        return last[0];
    }

    /**
     * With a Temporal cluster, an instance whose workflow an operator terminated is not left
     * "active": the next signal for it finds the workflow closed and the row is recorded as ended.
     */
    @Test
    void anInstanceTerminatedInTemporalIsRecordedAsEndedNotLeftActive() throws Exception {
        TestProject project = TestProject.create("Terminated");
        Path log = Files.createTempFile("journey-worker", ".log");
        Process worker = startWorker(log);
        try {
            String id = project.api().body("""
                    {"name": "Cart", "trigger": {"event": "cart"},
                     "steps": [{"id": "wait", "type": "waitForEvent", "event": "purchase", "timeout": "P1D", "onEvent": null, "onTimeout": null}]}""")
                    .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
            project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
            project.api().body(Map.of("events", List.of(Map.of("subjectType", "user", "subjectId", "t1", "type", "cart", "data", Map.of()))))
                    .post(project.path("/track")).then().statusCode(202);
            await("the instance waits").atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> project.api()
                    .get(project.path("/journeys/" + id + "/instances")).then().extract().jsonPath().getString("instances[0].currentStep"),
                    equalTo("wait"));
            String workflowId = project.api().get(project.path("/journeys/" + id + "/instances")).then().extract().jsonPath()
                    .getString("instances[0].id");
            var service = io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
                    io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(TemporalServerResource.address).build());
            io.temporal.client.WorkflowClient.newInstance(service).newUntypedWorkflowStub(workflowId).terminate("operator");
            service.shutdown();

            project.api().body(Map.of("events", List.of(Map.of("subjectType", "user", "subjectId", "t1", "type", "purchase", "data", Map.of()))))
                    .post(project.path("/track")).then().statusCode(202);
            await("the row ended").atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> project.api()
                    .get(project.path("/journeys/" + id + "/instances")).then().extract().jsonPath().getString("instances[0].status"),
                    equalTo("exited"));
            assertEquals(0, project.api().get(project.path("/journeys/" + id + "/stats")).then().extract().jsonPath().getLong("active"));
            // Ended by the repair, outside its workflow: still counted once among the ends.
            String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
            assertEquals(1, metrics.lines().filter(l -> l.startsWith("journey_instances_ended_total{") && l.contains("journey=\"" + id + "\"")
                    && l.contains("status=\"exited\"") && l.endsWith(" 1.0")).count(), metrics);
        } finally {
            worker.destroy();
            worker.waitFor();
            Files.deleteIfExists(log);
        }
    }
}
