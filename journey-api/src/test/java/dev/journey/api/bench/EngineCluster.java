package dev.journey.api.bench;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.journey.api.runtime.EmbeddedDatabase;
import io.restassured.path.json.JsonPath;
import io.temporal.testserver.TestServer;

/**
 * The engine as it runs past one process, on this machine: an external PostgreSQL (embedded, but its
 * own process), Temporal's test server reached over gRPC, API processes ({@code quarkus-run.jar}, no
 * worker of their own) and {@code WorkerMain} processes, all on loopback. For the benchmarks that
 * need several processes or a Temporal they can ask for histories.
 */
final class EngineCluster implements AutoCloseable {
    static final String ADMIN = "jadm_engine_cluster_0123456789abcdef0123";
    private static final String SECRETS_KEY = "cmVwbGljYXMtYmVuY2gtY2hhbm5lbC1rZXktMzJieXQ=";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Api(int n, String url, Process process) {}

    record Worker(int n, int metricsPort, Process process) {}

    /** A project made through the admin API: its id, its secret key, and the path of its API. */
    record Project(String id, String key, String base) {}

    final Path dir;
    final EmbeddedDatabase db;
    final String temporalAddress;
    final List<Api> apis = new ArrayList<>();
    final List<Worker> workers = new ArrayList<>();
    private final TestServer.PortBoundTestServer temporal;
    private final Map<String, String> shared = new HashMap<>();

    /** Starts {@code apis} API processes and {@code workers} workers and waits until every API is ready. */
    EngineCluster(int apis, int workers) throws Exception {
        dir = Files.createTempDirectory("journey-cluster");
        db = EmbeddedDatabase.start(dir.resolve("postgres"), false, EmbeddedDatabase.newPassword());
        int temporalPort = freePort();
        temporal = TestServer.createPortBoundServer(temporalPort, true);
        temporalAddress = "127.0.0.1:" + temporalPort;
        shared.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        shared.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        shared.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        shared.put("TEMPORAL_ADDRESS", temporalAddress);
        shared.put("JOURNEY_CHANNEL_SECRETS_KEY", SECRETS_KEY);
        shared.put("JOURNEY_OUTBOUND_ALLOW_LOOPBACK", "true");
        // Temporal's test server keeps a stopped worker's sticky tasks (a real cluster moves them on).
        shared.put("JOURNEY_WORKER_STICKY", "false");
        for (int i = 1; i <= apis; i++) {
            this.apis.add(startApi(i));
            if (i == 1) {
                awaitReady(this.apis.get(0)); // one process migrates the schema first
            }
        }
        for (int i = 1; i <= workers; i++) {
            this.workers.add(startWorker(i));
        }
        for (Api api : this.apis) {
            awaitReady(api);
        }
    }

    Project project(String name) {
        JsonPath created = given().header("Authorization", "Bearer " + ADMIN).contentType("application/json")
                .body(Map.of("name", name)).post(apis.get(0).url() + "/v1/admin/projects").then().statusCode(201).extract().jsonPath();
        return new Project(created.getString("projectId"), created.getString("apiKey"), "/v1/projects/" + created.getString("projectId"));
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private Api startApi(int n) throws IOException {
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-jar",
                Path.of("journey-api/target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("api-" + n + ".log").toFile());
        pb.environment().putAll(shared);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("JOURNEY_WORKER_ENABLED", "false");
        pb.environment().put("JOURNEY_ADMIN_TOKEN", ADMIN);
        pb.environment().put("JOURNEY_DATA_DIR", dir.resolve("api-" + n).toString());
        return new Api(n, "http://127.0.0.1:" + port, pb.start());
    }

    private Worker startWorker(int n) throws IOException {
        int metricsPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.journey.worker.WorkerMain")
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + n + ".log").toFile());
        pb.environment().putAll(shared);
        pb.environment().put("JOURNEY_WORKER_METRICS_PORT", String.valueOf(metricsPort));
        return new Worker(n, metricsPort, pb.start());
    }

    private static void awaitReady(Api api) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!api.process().isAlive()) {
                throw new IllegalStateException("api-" + api.n() + " exited; see its log");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("api-" + api.n() + " was not ready within 3 minutes");
    }

    @Override
    public void close() throws Exception {
        List<Process> all = new ArrayList<>();
        apis.forEach(a -> all.add(a.process()));
        workers.forEach(w -> all.add(w.process()));
        all.forEach(Process::destroy);
        for (Process p : all) {
            p.waitFor();
        }
        temporal.close();
        db.close();
        System.out.println("logs: " + dir);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
